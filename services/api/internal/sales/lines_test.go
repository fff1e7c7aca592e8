package sales

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

func ptr[T any](v T) *T { return &v }

// beer is a crate of 24 bottles at 1.80 a bottle, 36.00 a crate, 40
// crates a pallet, deposit 0.30 a bottle and 10.20 a crate.
func beer() Item {
	return Item{ID: 1, SKU: "BEER", ItemFields: catalogue.ItemFields{
		BaseUnit: "bottle", PackageUnit: ptr("crate"), PackageSize: ptr[int64](24), PalletSize: ptr[int64](40),
		SalesPriceUnit: 180, SalesPricePackage: ptr[money.Amount](3600), Currency: money.CHF,
		VATRateBP: catalogue.VATStandard, DepositUnit: 30, DepositPackage: 1020, Returnable: true,
	}}
}

// water has a six-pack without a package price or package deposit.
func water() Item {
	return Item{ID: 2, SKU: "WATER", ItemFields: catalogue.ItemFields{
		BaseUnit: "bottle", PackageUnit: ptr("pack"), PackageSize: ptr[int64](6),
		SalesPriceUnit: 95, Currency: money.CHF, VATRateBP: catalogue.VATReduced, DepositUnit: 50, Returnable: true,
	}}
}

// glass has no package and no deposit.
func glass() Item {
	return Item{ID: 3, SKU: "GLASS", ItemFields: catalogue.ItemFields{
		BaseUnit: "piece", SalesPriceUnit: 450, Currency: money.CHF, VATRateBP: catalogue.VATStandard,
	}}
}

func items(its ...Item) map[int64]Item {
	m := map[int64]Item{}
	for _, it := range its {
		m[it.ID] = it
	}
	return m
}

func TestDefaultPriceAndDeposit(t *testing.T) {
	for _, tc := range []struct {
		name           string
		it             Item
		unit           catalogue.Unit
		price, deposit money.Amount
		err            apperr.FieldCode
	}{
		{"bottle", beer(), catalogue.UnitBase, 180, 30, ""},
		{"crate: its own price and deposit", beer(), catalogue.UnitPackage, 3600, 1020, ""},
		{"pallet: 40 crates", beer(), catalogue.UnitPallet, 144000, 40800, ""},
		{"pack without a package price: 6 × 0.95", water(), catalogue.UnitPackage, 570, 300, ""},
		{"no package", glass(), catalogue.UnitPackage, 0, 0, apperr.FieldNoPackage},
		{"no pallet", water(), catalogue.UnitPallet, 0, 0, apperr.FieldNoPallet},
		{"unknown unit", glass(), "box", 0, 0, apperr.FieldNotAllowed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			price, err := tc.it.DefaultPrice(tc.unit)
			deposit, err2 := tc.it.Deposit(tc.unit)
			if tc.err != "" {
				for _, e := range []error{err, err2} {
					if ae, ok := apperr.As(e); !ok || ae.Fields["unit"].Code != tc.err {
						t.Errorf("error %v; want %s on unit", e, tc.err)
					}
				}
				return
			}
			if err != nil || err2 != nil || price != tc.price || deposit != tc.deposit {
				t.Errorf("price %v, deposit %v (%v, %v); want %v, %v", price, deposit, err, err2, tc.price, tc.deposit)
			}
		})
	}
}

func TestDecideLines(t *testing.T) {
	its := items(beer(), water(), glass(), Item{ID: 4, Archived: true, ItemFields: catalogue.ItemFields{Currency: money.CHF}},
		Item{ID: 5, ItemFields: catalogue.ItemFields{Currency: money.EUR, SalesPriceUnit: 100}},
		Item{ID: 6, ItemFields: catalogue.ItemFields{Currency: money.CHF, PackageSize: ptr[int64](1_000_000), PalletSize: ptr[int64](100_000)}})
	in := []LineInput{
		{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3},
		{ItemID: 2, Quantity: 10, UnitPrice: ptr[money.Amount](95)}, // the item's price: no override
		{ItemID: 3, Quantity: 2, UnitPrice: ptr[money.Amount](400)},
	}
	got, err := DecideLines(in, nil, its, money.CHF, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Line{
		{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3, Factor: 24, QuantityBase: 72, UnitPrice: 3600, VATRateBP: 810, Deposit: 1020},
		{ItemID: 2, Unit: catalogue.UnitBase, Quantity: 10, Factor: 1, QuantityBase: 10, UnitPrice: 95, VATRateBP: 260, Deposit: 50},
		{ItemID: 3, Unit: catalogue.UnitBase, Quantity: 2, Factor: 1, QuantityBase: 2, UnitPrice: 400, PriceOverridden: true, VATRateBP: 810},
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d = %+v; want %+v", i, got[i], want[i])
		}
	}
	if got[0].Net() != 10800 {
		t.Errorf("net %v", got[0].Net())
	}

	for _, tc := range []struct {
		name        string
		in          []LineInput
		mayOverride bool
		want        map[string]apperr.FieldCode
	}{
		{"no lines", nil, true, map[string]apperr.FieldCode{"lines": apperr.FieldTooFew}},
		{"too many lines", make([]LineInput, MaxOrderLines+1), true, map[string]apperr.FieldCode{"lines": apperr.FieldTooMany}},
		{"every line checked", []LineInput{
			{ItemID: 1, Quantity: 1},
			{ItemID: 0, Quantity: 0},
			{ItemID: 99, Quantity: 1},
			{ItemID: 4, Quantity: 1},
			{ItemID: 5, Quantity: 1},
			{ItemID: 3, Unit: catalogue.UnitPackage, Quantity: 1},
			{ItemID: 1, Quantity: 1, UnitPrice: ptr[money.Amount](-1)},
			{ItemID: 1, Quantity: MaxQuantity + 1},
		}, true, map[string]apperr.FieldCode{
			"lines[1].item_id":    apperr.FieldTooSmall,
			"lines[1].quantity":   apperr.FieldOutOfRange,
			"lines[2].item_id":    apperr.FieldNotFound,
			"lines[3].item_id":    apperr.FieldArchived,
			"lines[4].item_id":    apperr.FieldNotAllowed,
			"lines[5].unit":       apperr.FieldNoPackage,
			"lines[6].unit_price": apperr.FieldTooSmall,
			"lines[7].quantity":   apperr.FieldOutOfRange,
		}},
		{"a clerk may not change a price", []LineInput{{ItemID: 3, Quantity: 1, UnitPrice: ptr[money.Amount](1)}}, false,
			map[string]apperr.FieldCode{"lines[0].unit_price": apperr.FieldNotPermitted}},
		{"a price beyond 13 digits", []LineInput{{ItemID: 3, Quantity: 1, UnitPrice: ptr(maxAmount + 1)}}, true,
			map[string]apperr.FieldCode{"lines[0].unit_price": apperr.FieldOverflow}},
		{"a pallet quantity beyond the ledger's base units", []LineInput{{ItemID: 6, Unit: catalogue.UnitPallet, Quantity: 11}}, true,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldTooLarge}},
		{"a pallet quantity beyond int64", []LineInput{{ItemID: 6, Unit: catalogue.UnitPallet, Quantity: MaxQuantity}}, true,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldTooLarge}},
		{"lines adding up beyond 13 digits", []LineInput{
			{ItemID: 3, Quantity: 1, UnitPrice: ptr(maxAmount / 2)},
			{ItemID: 3, Quantity: 1, UnitPrice: ptr(maxAmount / 2)},
			{ItemID: 3, Quantity: 1, UnitPrice: ptr(maxAmount / 2)},
		}, true, map[string]apperr.FieldCode{"lines[2].quantity": apperr.FieldOverflow}},
		{"quantity × price beyond 13 digits", []LineInput{{ItemID: 3, Quantity: MaxQuantity, UnitPrice: ptr(maxAmount / 1000)}}, true,
			map[string]apperr.FieldCode{"lines[0].quantity": apperr.FieldOverflow}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecideLines(tc.in, nil, its, money.CHF, tc.mayOverride)
			checkFields(t, err, tc.want)
		})
	}
}

// A manager's price on a DRAFT survives an edit by a clerk that keeps the
// line (the k-th line of its item and unit, wherever it stands); a clerk
// may not change it, not even back to the item's price; a new line or one
// in another unit takes the item's price; a manager leaving the price out
// resets it.
func TestDecideLinesKeepsManagersPrice(t *testing.T) {
	its := items(beer(), water(), glass())
	// The order as a manager saved it: the crates at 30.00 instead of
	// 36.00, the glasses at the item's price.
	current, err := DecideLines([]LineInput{
		{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3, UnitPrice: ptr[money.Amount](3000)},
		{ItemID: 3, Quantity: 2},
		{ItemID: 2, Unit: catalogue.UnitPackage, Quantity: 1, UnitPrice: ptr[money.Amount](500)},
	}, nil, its, money.CHF, true)
	if err != nil {
		t.Fatal(err)
	}
	if !current[0].PriceOverridden || current[0].UnitPrice != 3000 || current[1].PriceOverridden {
		t.Fatalf("the manager's order: %+v", current)
	}
	type price struct {
		amount     money.Amount
		overridden bool
	}
	for _, tc := range []struct {
		name        string
		in          []LineInput
		mayOverride bool
		want        []price
	}{
		{"a clerk changes quantities only", []LineInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 5},
			{ItemID: 3, Quantity: 1},
			{ItemID: 2, Unit: catalogue.UnitPackage, Quantity: 4},
		}, false, []price{{3000, true}, {450, false}, {500, true}}},
		{"a clerk sends the manager's price back", []LineInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3, UnitPrice: ptr[money.Amount](3000)},
		}, false, []price{{3000, true}}},
		{"a clerk adds a line", []LineInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3},
			{ItemID: 3, Quantity: 2},
			{ItemID: 2, Unit: catalogue.UnitPackage, Quantity: 1},
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 1},
		}, false, []price{{3000, true}, {450, false}, {500, true}, {3600, false}}},
		{"a clerk orders bottles instead of crates", []LineInput{
			{ItemID: 1, Quantity: 3},
		}, false, []price{{180, false}}},
		{"a clerk removes the first line and reorders the others", []LineInput{
			{ItemID: 2, Unit: catalogue.UnitPackage, Quantity: 1},
			{ItemID: 3, Quantity: 2},
		}, false, []price{{500, true}, {450, false}}},
		{"a clerk adds a line of the item above the manager's", []LineInput{
			{ItemID: 3, Quantity: 2},
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3},
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 1},
		}, false, []price{{450, false}, {3000, true}, {3600, false}}},
		{"a manager leaves the price out", []LineInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3},
		}, true, []price{{3600, false}}},
		{"a manager sets another price", []LineInput{
			{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3, UnitPrice: ptr[money.Amount](3100)},
		}, true, []price{{3100, true}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecideLines(tc.in, current, its, money.CHF, tc.mayOverride)
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range tc.want {
				if g := (price{got[i].UnitPrice, got[i].PriceOverridden}); g != w {
					t.Errorf("line %d: price %+v; want %+v", i, g, w)
				}
			}
		})
	}
	// A clerk may not change the manager's price: not to another, not to
	// the item's own.
	for _, p := range []money.Amount{2900, 3600} {
		_, err := DecideLines([]LineInput{{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3, UnitPrice: &p}},
			current, its, money.CHF, false)
		checkFields(t, err, map[string]apperr.FieldCode{"lines[0].unit_price": apperr.FieldNotPermitted})
	}
	// When the item's price has come to be the manager's, the kept price
	// is no longer an override.
	cheaper := beer()
	cheaper.SalesPricePackage = ptr[money.Amount](3000)
	got, err := DecideLines([]LineInput{{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 3}}, current,
		items(cheaper), money.CHF, false)
	if err != nil || got[0].UnitPrice != 3000 || got[0].PriceOverridden {
		t.Errorf("kept price at the item's new price: %+v, %v", got, err)
	}
}

// checkFields asserts that err is a validation error with exactly the
// field codes of want.
func checkFields(t *testing.T, err error, want map[string]apperr.FieldCode) {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("error %v; want a validation error", err)
	}
	for f, code := range want {
		if e.Fields[f].Code != code {
			t.Errorf("%s: %q (%s); want %s", f, e.Fields[f].Code, e.Fields[f].Message, code)
		}
	}
	for f, p := range e.Fields {
		if _, ok := want[f]; !ok {
			t.Errorf("unexpected problem %s: %s %s", f, p.Code, p.Message)
		}
	}
}
