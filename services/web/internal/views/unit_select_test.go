package views

import (
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The receipt's rows and the count sheet's rows share one unit select: the
// same data attributes for movements.js, the same label and error wiring.
func TestUnitSelectIsShared(t *testing.T) {
	p := signedInPage(i18n.German, NavStock, "manager")
	it := *sampleMovementItem()
	count := CountSheetView{LocationID: 3, LocationLabel: "A-01", Rows: []CountRow{{Item: it}},
		Form: Form{Values: map[string]string{LineField(0, "unit"): "package"},
			Errors: map[string]string{LineField(0, "unit"): "falsch"}, IdempotencyKey: "k"}}
	receipt := ReceiptFormView{Lines: 1, Form: Form{Values: map[string]string{LineField(0, "unit"): "package"},
		Errors: map[string]string{LineField(0, "unit"): "falsch"}, IdempotencyKey: "k"},
		Items: map[int]MovementItem{0: it}}
	for name, doc := range map[string]*goquery.Document{
		"count sheet": renderDoc(t, CountSheet(p, count)),
		"receipt":     renderDoc(t, ReceiptForm(p, receipt)),
	} {
		sel := doc.Find(`select[name="lines[0].unit"]`)
		if sel.Length() != 1 {
			t.Fatalf("%s: %d unit selects for line 0", name, sel.Length())
		}
		id := sel.AttrOr("id", "")
		if _, ok := sel.Attr("data-quantity-unit"); !ok {
			t.Errorf("%s: the select lacks data-quantity-unit (movements.js)", name)
		}
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("%s: the select %q has no label", name, id)
		}
		if sel.AttrOr("aria-invalid", "") != "true" || sel.AttrOr("aria-describedby", "") != id+"-error" ||
			doc.Find(`[id="`+id+`-error"]`).Text() != "falsch" {
			t.Errorf("%s: the unit's error is not wired to the select", name)
		}
		if got := sel.Find(`option[selected]`).AttrOr("value", ""); got != "package" {
			t.Errorf("%s: selected %q, want package", name, got)
		}
		if got := sel.Find(`option[value="package"]`).AttrOr("data-factor", ""); got != "24" {
			t.Errorf("%s: the package option's factor = %q, want 24", name, got)
		}
	}
}
