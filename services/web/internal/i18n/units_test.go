package i18n

import (
	"strings"
	"testing"
)

// The page's wrappers are unitwords' (whose tests hold the word list).
func TestUnitCount(t *testing.T) {
	if got := UnitCount(12, "12", "Harass"); got != "12 Harasse" {
		t.Errorf("UnitCount(12, Harass) = %q", got)
	}
	if got := UnitPlural("crate"); got != "crates" {
		t.Errorf("UnitPlural(crate) = %q", got)
	}
}

// A field message with a count and the item's unit names the unit in the
// plural unless the count is one, in both languages.
func TestFieldProblemCountsUnits(t *testing.T) {
	for _, tc := range []struct {
		lang   Lang
		code   string
		params map[string]string
		groups []map[string]string
		want   string
	}{
		{English, "insufficient_stock", map[string]string{"available": "120", "unit": "bottle", "requested": "200"}, nil, "Only 120 bottles available."},
		{German, "insufficient_stock", map[string]string{"available": "120", "unit": "Flasche"}, nil, "Nur 120 Flaschen verfügbar."},
		{English, "insufficient_stock", map[string]string{"available": "1", "unit": "bottle"}, nil, "Only 1 bottle available."},
		{German, "insufficient_stock", map[string]string{"available": "1’200", "unit": "Harass"}, nil, "Nur 1’200 Harasse verfügbar."},
		// Orders hold part of the stock: the text says how much.
		{English, "insufficient_stock", map[string]string{"available": "3", "unit": "crate", "reserved": "5"}, nil,
			"Only 3 crates available: 5 crates reserved for orders."},
		{German, "insufficient_stock", map[string]string{"available": "1", "unit": "Flasche", "reserved": "1’200"},
			[]map[string]string{Movements(German).APIFields}, "Nur 1 Flasche verfügbar: 1’200 Flaschen für Aufträge reserviert."},
		{German, "too_large", map[string]string{"max": "1’000’000’000", "unit": "Flasche"}, []map[string]string{Movements(German).APIFields},
			"Höchstens 1’000’000’000 Flaschen in einer Bewegung."},
	} {
		p := Problem{Field: "lines[2].quantity", Code: tc.code, Params: tc.params}
		if got := For(tc.lang).FieldProblem(tc.lang, p, tc.groups...); got != tc.want {
			t.Errorf("%s %s %v: %q, want %q", tc.lang, tc.code, tc.params, got, tc.want)
		}
	}
}

// A refusal for want of stock says how much orders hold, when they hold
// some, in the item's units.
func TestShortageTextNamesReservations(t *testing.T) {
	p := Problem{Field: "quantity", Code: "insufficient_stock",
		Params: map[string]string{"requested": "48", "available": "24", "unit": "bottle", "kind": "good", "reserved": "96"}}
	want := "Not enough stock: 48 bottles requested, 24 bottles available. 96 bottles reserved for orders."
	if got := Movements(English).ShortageText(p); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	delete(p.Params, "reserved")
	if got := Movements(German).ShortageText(p); strings.Contains(got, "reserviert") {
		t.Errorf("without reservations: %q", got)
	}
}
