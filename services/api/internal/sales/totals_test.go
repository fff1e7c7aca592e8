package sales

import (
	"encoding/binary"
	"math/big"
	"reflect"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

func TestVATRounding(t *testing.T) {
	for _, tc := range []struct {
		base money.Amount
		rate int
		want money.Amount
	}{
		{50, 500, 3},   // 0.025 → 0.03: halves go up
		{-50, 500, -3}, // and away from zero on a credit
		{49, 500, 2},   // 0.0245 → 0.02
		{500, 810, 41}, // 0.405 → 0.41
		{-500, 810, -41},
		{250, 260, 7},     // 0.065 → 0.07
		{6, 810, 0},       // 0.00486
		{7, 810, 1},       // 0.00567
		{1000, 810, 81},   // 10.00 at 8.1 %
		{1000, 0, 0},      // zero rate
		{12345, 380, 469}, // 4.6911
		{maxAmount, 10_000, maxAmount},
		{maxAmount, 810, 81_000_000_000_000}, // 80999999999999.919
		{-maxAmount, 810, -81_000_000_000_000},
	} {
		if got := VATOf(tc.base, tc.rate); got != tc.want {
			t.Errorf("VATOf(%d, %d) = %d; want %d", tc.base, tc.rate, got, tc.want)
		}
	}
}

func TestComputeTotals(t *testing.T) {
	// A delivery of 3 crates of beer, 10 bottles of water, 2 glasses and
	// a zero-rated line; 2 crates and 7 water bottles came back empty.
	mixed := []DocLine{
		{ItemID: 1, Quantity: 3, UnitPrice: 3600, VATRateBP: catalogue.VATStandard, Deposit: 1020},
		{ItemID: 2, Quantity: 10, UnitPrice: 95, VATRateBP: catalogue.VATReduced, Deposit: 50},
		{ItemID: 3, Quantity: 2, UnitPrice: 450, VATRateBP: catalogue.VATStandard},
		{ItemID: 7, Quantity: 1, UnitPrice: 1234, VATRateBP: catalogue.VATNone},
	}
	mixedEmpties := []DocEmpties{
		{ItemID: 1, Quantity: 2, Deposit: 1020, VATRateBP: catalogue.VATStandard},
		{ItemID: 2, Quantity: 7, Deposit: 50, VATRateBP: catalogue.VATReduced},
	}
	at := func(price money.Amount, rate int) []DocLine {
		return []DocLine{{ItemID: 1, Quantity: 1, UnitPrice: price, VATRateBP: rate}}
	}
	for _, tc := range []struct {
		name     string
		currency string
		s        Settings
		lines    []DocLine
		empties  []DocEmpties
		want     Totals
	}{
		{"x.x2 rounds down to x.x0", money.CHF, Settings{}, at(1002, 0), nil, Totals{Net: 1002,
			VATGroups: []VATGroup{{0, 1002, 0}}, Gross: 1002, Rounding: -2, Payable: 1000}},
		{"x.x3 rounds up to x.x5", money.CHF, Settings{}, at(1003, 0), nil, Totals{Net: 1003,
			VATGroups: []VATGroup{{0, 1003, 0}}, Gross: 1003, Rounding: 2, Payable: 1005}},
		{"x.x7 rounds down to x.x5", money.CHF, Settings{}, at(1007, 0), nil, Totals{Net: 1007,
			VATGroups: []VATGroup{{0, 1007, 0}}, Gross: 1007, Rounding: -2, Payable: 1005}},
		{"x.x8 rounds up to x.y0", money.CHF, Settings{}, at(1008, 0), nil, Totals{Net: 1008,
			VATGroups: []VATGroup{{0, 1008, 0}}, Gross: 1008, Rounding: 2, Payable: 1010}},
		{"EUR is not rounded", money.EUR, Settings{}, at(1003, 0), nil, Totals{Net: 1003,
			VATGroups: []VATGroup{{0, 1003, 0}}, Gross: 1003, Payable: 1003}},
		{"VAT 0.405 rounds to 0.41, gross 5.41 to 5.40", money.CHF, Settings{}, at(500, 810), nil, Totals{Net: 500, VAT: 41,
			VATGroups: []VATGroup{{810, 500, 41}}, Gross: 541, Rounding: -1, Payable: 540}},
		{"VAT per rate, not per line: 2 × 0.405 is 0.81", money.EUR, Settings{},
			append(at(500, 810), at(500, 810)...), nil, Totals{Net: 1000, VAT: 81,
				VATGroups: []VATGroup{{810, 1000, 81}}, Gross: 1081, Payable: 1081}},
		{"mixed rates, deposits without VAT", money.CHF, Settings{}, mixed, mixedEmpties, Totals{
			Net: 13884, Deposits: 3560, EmptiesCredit: 2390, VAT: 973,
			VATGroups: []VATGroup{{0, 1234, 0}, {260, 950, 25}, {810, 11700, 948}},
			Gross:     16027, Rounding: -2, Payable: 16025}},
		{"mixed rates, taxable deposits", money.CHF, Settings{DepositsTaxable: true}, mixed, mixedEmpties, Totals{
			Net: 13884, Deposits: 3560, EmptiesCredit: 2390, VAT: 1059,
			VATGroups: []VATGroup{{0, 1234, 0}, {260, 1100, 29}, {810, 12720, 1030}},
			Gross:     16113, Rounding: 2, Payable: 16115}},
		{"only empties: a negative invoice", money.CHF, Settings{DepositsTaxable: true}, nil, mixedEmpties[:1], Totals{
			EmptiesCredit: 2040, VAT: -165, VATGroups: []VATGroup{{810, -2040, -165}},
			Gross: -2205, Rounding: 0, Payable: -2205}},
		{"empty document", money.CHF, Settings{}, nil, nil, Totals{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ComputeTotals(tc.currency, tc.s, tc.lines, tc.empties)
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Currency = tc.currency
			assertTotals(t, got, tc.want)
			assertTotals(t, got.Negate().Negate(), tc.want)
		})
	}
}

func assertTotals(t *testing.T, got, want Totals) {
	t.Helper()
	if len(got.VATGroups) != len(want.VATGroups) {
		t.Fatalf("VAT groups %+v; want %+v", got.VATGroups, want.VATGroups)
	}
	for i := range want.VATGroups {
		if got.VATGroups[i] != want.VATGroups[i] {
			t.Errorf("VAT group %d = %+v; want %+v", i, got.VATGroups[i], want.VATGroups[i])
		}
	}
	got.VATGroups, want.VATGroups = nil, nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("totals\n %+v; want\n %+v", got, want)
	}
}

func TestCreditNoteTotalsAreNegative(t *testing.T) {
	inv, err := ComputeTotals(money.CHF, Settings{}, []DocLine{{Quantity: 1, UnitPrice: 500, VATRateBP: 810, Deposit: 30}},
		[]DocEmpties{{Quantity: 3, Deposit: 30}})
	if err != nil {
		t.Fatal(err)
	}
	cn := inv.Negate()
	assertTotals(t, cn, Totals{Currency: money.CHF, Net: -500, Deposits: -30, EmptiesCredit: -90, VAT: -41,
		VATGroups: []VATGroup{{810, -500, -41}}, Gross: -481, Rounding: 1, Payable: -480})
}

func TestComputeTotalsRefuses(t *testing.T) {
	half := maxAmount/2 + 1
	for _, tc := range []struct {
		name     string
		currency string
		lines    []DocLine
		empties  []DocEmpties
		want     map[string]apperr.FieldCode
	}{
		{"a product beyond 13 digits", money.CHF, []DocLine{{Quantity: 1_000_000_000, UnitPrice: 1_000_000_000_000}}, nil,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldOverflow}},
		{"a product beyond int64", money.CHF, []DocLine{{Quantity: 1 << 40, UnitPrice: 1 << 40}}, nil,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldOverflow}},
		{"a deposit product beyond 13 digits", money.CHF, []DocLine{{Quantity: 1 << 40, Deposit: 1 << 40}}, nil,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldOverflow}},
		{"a sum beyond 13 digits", money.EUR, []DocLine{{Quantity: 1, UnitPrice: half}, {Quantity: 1, UnitPrice: half}}, nil,
			map[string]apperr.FieldCode{"lines[1].quantity": apperr.FieldOverflow}},
		{"an empties product beyond 13 digits", money.CHF, nil, []DocEmpties{{Quantity: 1 << 40, Deposit: 1 << 40}},
			map[string]apperr.FieldCode{"empties[0].quantity": apperr.FieldOverflow}},
		{"the gross with VAT beyond 13 digits", money.EUR, []DocLine{{Quantity: 1, UnitPrice: maxAmount - 10, VATRateBP: 810}}, nil,
			map[string]apperr.FieldCode{"lines": apperr.FieldOverflow}},
		{"the CHF rounding beyond 13 digits", money.CHF, []DocLine{{Quantity: 1, UnitPrice: maxAmount}}, nil,
			map[string]apperr.FieldCode{"lines": apperr.FieldOverflow}},
		{"negative values", money.CHF, []DocLine{{Quantity: -1, UnitPrice: 1}, {Quantity: 1, UnitPrice: -1}, {Quantity: 1, VATRateBP: 10_001}},
			[]DocEmpties{{Quantity: 1, Deposit: -1}}, map[string]apperr.FieldCode{
				"lines[0].quantity": apperr.FieldTooSmall, "lines[1].quantity": apperr.FieldTooSmall,
				"lines[2].quantity": apperr.FieldTooSmall, "empties[0].quantity": apperr.FieldTooSmall}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ComputeTotals(tc.currency, Settings{}, tc.lines, tc.empties)
			checkFields(t, err, tc.want)
		})
	}
	// The largest payable CHF amount still computes.
	if tot, err := ComputeTotals(money.CHF, Settings{}, []DocLine{{Quantity: 1, UnitPrice: maxAmount - 4}}, nil); err != nil || tot.Payable != maxAmount-4 {
		t.Errorf("largest amount: %+v, %v", tot, err)
	}
}

// FuzzTotals checks that the parts of any document add up: the sum of the
// lines, deposits, empties and per-rate VAT is the gross before rounding,
// each rate's VAT is its base's rounded exactly, and the CHF rounding line
// brings the gross to the nearest 0.05.
func FuzzTotals(f *testing.F) {
	f.Add([]byte{3, 0, 0, 0, 16, 14, 0, 0, 1, 0, 4, 2}, false, true)
	f.Add([]byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24}, true, true)
	f.Add([]byte{255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255}, true, false)
	f.Add([]byte{}, false, false)
	rates := []int{catalogue.VATNone, catalogue.VATReduced, catalogue.VATAccommodation, catalogue.VATStandard}
	f.Fuzz(func(t *testing.T, data []byte, taxable, chf bool) {
		var lines []DocLine
		var empties []DocEmpties
		// 10 bytes a line: quantity (2), price (3 of 4), deposit (2), rate,
		// kind; at most 50 lines, so that no sum comes near the limits.
		for n := 0; len(data) >= 10 && n < 50; n++ {
			q := int64(binary.LittleEndian.Uint16(data))
			price := money.Amount(binary.LittleEndian.Uint32(data[2:]) & 0xFFFFFF)
			dep := money.Amount(binary.LittleEndian.Uint16(data[6:]))
			rate := rates[int(data[8])%len(rates)]
			if data[9]%4 == 0 {
				empties = append(empties, DocEmpties{Quantity: q, Deposit: dep, VATRateBP: rate})
			} else {
				lines = append(lines, DocLine{Quantity: q, UnitPrice: price, Deposit: dep, VATRateBP: rate})
			}
			data = data[10:]
		}
		currency := money.EUR
		if chf {
			currency = money.CHF
		}
		tot, err := ComputeTotals(currency, Settings{DepositsTaxable: taxable}, lines, empties)
		if err != nil {
			t.Fatal(err) // these amounts are far below the limits
		}
		var net, deposits, credit big.Int
		bases := map[int]*big.Int{}
		base := func(r int) *big.Int {
			if bases[r] == nil {
				bases[r] = new(big.Int)
			}
			return bases[r]
		}
		for _, l := range lines {
			n := new(big.Int).Mul(big.NewInt(l.Quantity), big.NewInt(int64(l.UnitPrice)))
			d := new(big.Int).Mul(big.NewInt(l.Quantity), big.NewInt(int64(l.Deposit)))
			net.Add(&net, n)
			deposits.Add(&deposits, d)
			base(l.VATRateBP).Add(base(l.VATRateBP), n)
			if taxable {
				base(l.VATRateBP).Add(base(l.VATRateBP), d)
			}
		}
		for _, e := range empties {
			c := new(big.Int).Mul(big.NewInt(e.Quantity), big.NewInt(int64(e.Deposit)))
			credit.Add(&credit, c)
			if taxable {
				base(e.VATRateBP).Sub(base(e.VATRateBP), c)
			}
		}
		if net.Int64() != int64(tot.Net) || deposits.Int64() != int64(tot.Deposits) || credit.Int64() != int64(tot.EmptiesCredit) {
			t.Fatalf("net %v deposits %v credit %v; totals %+v", &net, &deposits, &credit, tot)
		}
		if len(tot.VATGroups) != len(bases) {
			t.Fatalf("groups %+v; bases %v", tot.VATGroups, bases)
		}
		var vat money.Amount
		for _, g := range tot.VATGroups {
			if base(g.RateBP).Int64() != int64(g.Base) {
				t.Fatalf("base of %d: %d; want %v", g.RateBP, g.Base, base(g.RateBP))
			}
			// |VAT × 10000 − base × rate| ≤ 5000: rounded to the nearest.
			diff := new(big.Int).Sub(new(big.Int).Mul(big.NewInt(int64(g.VAT)), big.NewInt(10_000)),
				new(big.Int).Mul(big.NewInt(int64(g.Base)), big.NewInt(int64(g.RateBP))))
			if diff.CmpAbs(big.NewInt(5000)) > 0 {
				t.Fatalf("VAT %d of %d at %d is off by %v/10000", g.VAT, g.Base, g.RateBP, diff)
			}
			vat += g.VAT
		}
		if vat != tot.VAT || tot.Gross != tot.Net+tot.Deposits-tot.EmptiesCredit+tot.VAT || tot.Payable != tot.Gross+tot.Rounding {
			t.Fatalf("parts do not add up: %+v", tot)
		}
		if chf {
			if tot.Payable%5 != 0 || tot.Rounding < -2 || tot.Rounding > 2 {
				t.Fatalf("CHF rounding %+v", tot)
			}
		} else if tot.Rounding != 0 {
			t.Fatalf("EUR rounded: %+v", tot)
		}
		n := tot.Negate()
		if n.Payable != -tot.Payable || n.Gross != -tot.Gross || n.Net+n.Deposits-n.EmptiesCredit+n.VAT != n.Gross {
			t.Fatalf("negated %+v", n)
		}
	})
}
