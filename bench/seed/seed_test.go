package seed

import (
	"regexp"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestGTINCheckDigit(t *testing.T) {
	// The worked examples of GS1 and of the EAN-13, EAN-8 and UPC-A articles.
	for _, code := range []string{"4006381333931", "5901234123457", "96385074", "036000291452"} {
		if got := gtinCheckDigit(code[:len(code)-1]); got != int(code[len(code)-1]-'0') {
			t.Errorf("check digit of %s = %d", code, got)
		}
	}
	// 3×2 + 4 + 1 + 3×6 + 7 = 36, topped up by 4.
	if got, want := withCheckDigit("761000000042"), "7610000000424"; got != want {
		t.Errorf("withCheckDigit(761000000042) = %s, want %s", got, want)
	}
}

func TestGTINsPerBrand(t *testing.T) {
	g := newGTINs()
	u1, p1 := g.issue("Valser")
	u2, _ := g.issue("Valser")
	u3, _ := g.issue("Rivella")
	if u1[:7] != u2[:7] || u1 == u2 {
		t.Errorf("one brand's units %s and %s should share the company prefix and differ", u1, u2)
	}
	if u1[:7] == u3[:7] {
		t.Errorf("two brands share the company prefix: %s, %s", u1, u3)
	}
	if len(u1) != 13 || len(p1) != 14 || p1[:13] != "1"+u1[:12] {
		t.Errorf("unit %s and case %s: want a GTIN-13 and the GTIN-14 with indicator 1 over its first twelve digits", u1, p1)
	}
}

func TestSizeLabel(t *testing.T) {
	for ml, want := range map[int]string{330: "33 cl", 375: "37.5 cl", 750: "75 cl", 1000: "1 l", 1500: "1.5 l", 20000: "20 l"} {
		if got := sizeLabel(ml); got != want {
			t.Errorf("sizeLabel(%d) = %q, want %q", ml, got, want)
		}
	}
}

func TestMovingAverage(t *testing.T) {
	for _, tt := range []struct{ onHand, avg, qty, cost, want int64 }{
		{0, 0, 24, 1_245_833, 1_245_833},
		{10, 1_000_000, 10, 2_000_000, 1_500_000},
		{2, 1, 1, 2, 1}, // 4/3 rounds down
		{1, 1, 1, 2, 2}, // 3/2 rounds half up
		{5, 700, 0, 0, 700},
		{0, 900, 0, 5, 900}, // nothing on hand: unchanged
	} {
		if got := movingAverage(tt.onHand, tt.avg, tt.qty, tt.cost); got != tt.want {
			t.Errorf("movingAverage(%d, %d, %d, %d) = %d, want %d", tt.onHand, tt.avg, tt.qty, tt.cost, got, tt.want)
		}
	}
}

var eanPattern = regexp.MustCompile(`^([0-9]{8}|[0-9]{12,14})$`)

// The generated data obeys what the schema's constraints demand, and the
// levels the ledger ends with are the sums of the movements.
func TestGeneratedDataKeepsTheRules(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	d := generate(Config{Items: 3000, Movements: 40_000, Seed: 7, Now: now})

	if len(d.locations) != 50 {
		t.Errorf("%d locations, want 50", len(d.locations))
	}
	codes := map[string]bool{}
	bins := map[int64]bool{}
	for _, l := range d.locations {
		if codes[l.code] || len(l.code) > 32 || regexp.MustCompile(`\s`).MatchString(l.code) {
			t.Errorf("bad or repeated location code %q", l.code)
		}
		codes[l.code] = true
		if (l.kind == "warehouse") != (l.parentID == 0) {
			t.Errorf("location %s: kind %s with parent %d", l.code, l.kind, l.parentID)
		}
		if l.kind == "bin" {
			bins[l.id] = true
		}
	}

	skus, eans := map[string]bool{}, map[string]bool{}
	for _, it := range d.items {
		if skus[it.sku] || utf8.RuneCountInString(it.name) > 200 || it.name == "" || len(it.brand) > 100 {
			t.Fatalf("item %d: repeated SKU or bad name %q", it.id, it.name)
		}
		skus[it.sku] = true
		for _, e := range []*string{it.eanUnit, it.eanPackage} {
			if e == nil {
				continue
			}
			if eans[*e] || !eanPattern.MatchString(*e) || withCheckDigit((*e)[:len(*e)-1]) != *e {
				t.Fatalf("item %d: repeated or invalid EAN %s", it.id, *e)
			}
			eans[*e] = true
		}
		if (it.packageUnit == nil) != (it.packageSize == nil) {
			t.Fatalf("item %d: package unit and size disagree", it.id)
		}
		if it.packageSize == nil && (it.palletSize != nil || it.pricePackage != nil || it.eanPackage != nil || it.depositPack != 0) {
			t.Fatalf("item %d: package details without a package", it.id)
		}
		if it.packageSize != nil && (*it.packageSize < 2 || (it.palletSize != nil && *it.palletSize < 1)) {
			t.Fatalf("item %d: package size %d", it.id, *it.packageSize)
		}
		if it.abv != nil && *it.abv > 5 && !it.alcoholic {
			t.Fatalf("item %d (%s): %d per mille but not alcoholic", it.id, it.name, *it.abv)
		}
		if want := map[bool]int32{true: 810, false: 260}[it.alcoholic]; it.vat != want {
			t.Fatalf("item %d: VAT %d for alcoholic=%v", it.id, it.vat, it.alcoholic)
		}
		if it.container != nil && !map[string]bool{"glass": true, "pet": true, "can": true, "keg": true, "carton": true}[*it.container] {
			t.Fatalf("item %d: container %s", it.id, *it.container)
		}
		for _, loc := range it.locations {
			if !bins[loc] {
				t.Fatalf("item %d stocked at %d, which is not a bin", it.id, loc)
			}
		}
		if it.supplierID < 1 || int(it.supplierID) > len(d.suppliers) || it.avgCost < 0 || it.costMicros <= 0 {
			t.Fatalf("item %d: supplier %d, average %d, cost %d", it.id, it.supplierID, it.avgCost, it.costMicros)
		}
	}

	// Replay the movements on empty levels, checking each against the
	// movements table's constraints and that no level goes below zero.
	levels := map[[2]int64]*level{}
	at := func(item int, loc int64) *level {
		k := [2]int64{int64(item), loc}
		if levels[k] == nil {
			levels[k] = &level{loc: loc}
		}
		return levels[k]
	}
	avg := make([]int64, len(d.items))
	var last int64
	types := map[string]int{}
	for k, m := range d.movements {
		typ := movementTypes[m.typ]
		types[typ]++
		if m.at < last {
			t.Fatalf("movement %d is earlier than the one before", k)
		}
		last = m.at
		switch {
		case m.qtyBase <= 0 && m.typ != tAdjust, m.enteredQty <= 0 && m.typ != tAdjust:
			t.Fatalf("movement %d (%s): quantity %d", k, typ, m.qtyBase)
		case (m.toLoc != 0) != (m.typ == tTransfer), m.toLoc == m.loc:
			t.Fatalf("movement %d (%s): to location %d", k, typ, m.toLoc)
		case (m.unitCost != 0) != (m.typ == tReceipt):
			t.Fatalf("movement %d (%s): cost %d", k, typ, m.unitCost)
		case m.avgBefore != m.avgAfter && m.typ != tReceipt, m.avgBefore != avg[m.item]:
			t.Fatalf("movement %d (%s): average %d -> %d, item's was %d", k, typ, m.avgBefore, m.avgAfter, avg[m.item])
		case m.customer != 0 && m.typ != tIssue && m.typ != tReturn, m.customer == 0 && m.typ == tReturn:
			t.Fatalf("movement %d (%s): customer %d", k, typ, m.customer)
		case (m.typ == tDefect || m.typ == tWriteOff) && m.reason == 0:
			t.Fatalf("movement %d (%s) without a reason", k, typ)
		case m.qtyBase != m.enteredQty*int64(m.factor) && m.typ != tAdjust:
			t.Fatalf("movement %d: %d × %d is not %d", k, m.enteredQty, m.factor, m.qtyBase)
		}
		avg[m.item] = m.avgAfter
		from := at(int(m.item), int64(m.loc))
		switch m.typ {
		case tReceipt, tReturn, tAdjust:
			from.good += m.qtyBase
		case tIssue:
			from.good -= m.qtyBase
		case tDefect:
			from.good -= m.qtyBase
			from.defective += m.qtyBase
		case tWriteOff:
			from.defective -= m.qtyBase
		case tTransfer:
			from.good -= m.qtyBase
			at(int(m.item), int64(m.toLoc)).good += m.qtyBase
		}
		if m.typ == tAdjust && from.good != m.counted {
			t.Fatalf("movement %d: adjusted to %d, counted %d", k, from.good, m.counted)
		}
		if from.good < 0 || from.defective < 0 {
			t.Fatalf("movement %d (%s) takes item %d at %d below zero", k, typ, m.item, m.loc)
		}
	}
	for i, lv := range d.ledger.levels {
		for _, l := range lv {
			got := at(i, l.loc)
			if got.good != l.good || got.defective != l.defective {
				t.Fatalf("item %d at %d: ledger says %+v, the movements add up to %+v", i, l.loc, l, *got)
			}
		}
		if d.items[i].avgCost != avg[i] {
			t.Fatalf("item %d: average %d, movements end at %d", i, d.items[i].avgCost, avg[i])
		}
	}
	for _, typ := range movementTypes {
		if types[typ] == 0 {
			t.Errorf("no %s among %d movements", typ, len(d.movements))
		}
	}
	t.Logf("movement types: %v", types)
}

func TestGenerateIsDeterministic(t *testing.T) {
	cfg := Config{Items: 500, Movements: 5000, Seed: 99, Now: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)}
	a, b := generate(cfg), generate(cfg)
	opt := cmp.AllowUnexported(item{}, movement{}, category{}, supplier{}, customer{}, location{}, ledger{}, level{})
	if diff := cmp.Diff(a, b, opt, cmp.AllowUnexported(dataset{})); diff != "" {
		t.Errorf("two runs with one seed differ:\n%.2000s", diff)
	}
	cfg.Seed = 100
	if c := generate(cfg); c.items[0].name == a.items[0].name && c.items[1].name == a.items[1].name && c.items[2].name == a.items[2].name {
		t.Error("another seed gives the same items")
	}
}

// Movements are spread evenly over the year up to the seeding time, the
// last ones within the last days, at any count.
func TestSpreadCoversTheWholeSpan(t *testing.T) {
	span := (365 * 24 * time.Hour).Microseconds()
	for _, n := range []int{1, 1000, 1_000_000, 5_000_000} {
		last := spread(span, n-1, n)
		if last < 0 || last > span || span-last > span/int64(n)+1 {
			t.Errorf("n %d: last movement at %d of %d", n, last, span)
		}
		if mid := spread(span, n/2, n); n > 1 && (mid < span/2-span/int64(n) || mid > span/2+span/int64(n)) {
			t.Errorf("n %d: middle movement at %d of %d", n, mid, span)
		}
	}
}
