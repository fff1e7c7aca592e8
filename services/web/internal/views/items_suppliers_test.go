package views

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

func TestItemSuppliersSection(t *testing.T) {
	p := signedInPage(i18n.English, NavItems, "manager")
	v := sampleDetail(p, false, true)
	v.Suppliers = ItemSupplierRows(p, []apiclient.ItemSupplier{
		{SupplierID: 7, SupplierName: "Muster", SupplierSku: "M-1", Price: ptr("0.75"), LeadTimeDays: ptr(3)},
		{SupplierID: 8, SupplierName: "Huber"}}, "CHF")
	for i := range v.Suppliers {
		id := itoa(v.Suppliers[i].SupplierID)
		v.Suppliers[i].EditHref = "/items/1/suppliers/" + id + "/edit"
		v.Suppliers[i].RemoveAction = "/items/1/suppliers/" + id + "/remove"
	}
	v.SupplierForm = &ItemSupplierFormView{Action: "/items/1/suppliers", LookupHref: "/items/1/suppliers/lookup",
		Form: Form{Values: map[string]string{}}}
	doc := renderDoc(t, ItemDetail(p, v))
	sec := doc.Find(byTestID("item-suppliers"))

	row := sec.Find(byTestID("item-supplier-8"))
	if price, lead := row.Find("td").Eq(2).Text(), row.Find("td").Eq(3).Text(); price != "–" || lead != "–" {
		t.Errorf("a supplier without price and lead time: %q, %q", price, lead)
	}
	if href, _ := row.Find(byTestID("supplier-edit")).Attr("href"); href != "/items/1/suppliers/8/edit" {
		t.Errorf("edit link = %q", href)
	}
	if label, _ := row.Find(byTestID("supplier-edit")).Attr("aria-label"); label != "Edit: Huber" {
		t.Errorf("edit link's name = %q", label)
	}
	// Remove asks first: the confirming form sits inside a <details>.
	confirm := row.Find("details.confirm")
	if confirm.Find(byTestID("supplier-remove")).Is("summary") != true {
		t.Errorf("remove is not the summary of a confirmation")
	}
	form := confirm.Find(`form[action="/items/1/suppliers/8/remove"]`)
	if form.Length() != 1 || form.Find(byTestID("supplier-remove-confirm")).Length() != 1 {
		t.Fatalf("no confirming remove form")
	}
	if !strings.Contains(confirm.Text(), "Remove Huber as a supplier of this item?") {
		t.Errorf("confirmation = %q", confirm.Text())
	}

	// The add form: a text field with server-side suggestions, no list of
	// every supplier.
	add := sec.Find(byTestID("item-supplier-form"))
	if a, _ := add.Attr("action"); a != "/items/1/suppliers" {
		t.Errorf("add form posts to %q", a)
	}
	in := add.Find("#itemsupplier-supplier")
	if typ, _ := in.Attr("type"); typ != "text" || attr(doc, "#itemsupplier-supplier", "list") != "itemsupplier-suggestions" ||
		attr(doc, "#itemsupplier-supplier", "data-supplier-lookup") != "/items/1/suppliers/lookup" {
		t.Errorf("supplier field: type %q list %q", typ, attr(doc, "#itemsupplier-supplier", "list"))
	}
	if add.Find("select").Length() != 0 {
		t.Errorf("the add form has a select")
	}
	if add.Find(`input[type="hidden"][data-supplier-id]`).Length() != 1 {
		t.Errorf("no hidden supplier_id for the script to fill")
	}
	for _, name := range []string{"supplier_sku", "price", "lead_time_days"} {
		if add.Find(byTestID("field-itemsupplier-"+name)).Length() != 1 {
			t.Errorf("field %s missing", name)
		}
	}
	if doc.Find(`script[src*="items"]`).Length() != 1 {
		t.Errorf("items.js is not loaded for the lookup")
	}
	// Every form of the section posts with the CSRF token.
	sec.Find("form").Each(func(_ int, f *goquery.Selection) {
		if got, _ := f.Find(`input[name="_csrf"]`).Attr("value"); got != p.CSRF {
			t.Errorf("form %s without CSRF", f.AttrOr("action", ""))
		}
	})

	// Without the form (a viewer): rows only, no actions column, no script.
	pv := signedInPage(i18n.German, NavItems, "viewer")
	v = sampleDetail(pv, false, false)
	doc = renderDoc(t, ItemDetail(pv, v))
	sec = doc.Find(byTestID("item-suppliers"))
	if sec.Find("form").Length()+sec.Find(byTestID("supplier-edit")).Length() != 0 || sec.Find("th").Length() != 4 {
		t.Errorf("a viewer sees supplier controls")
	}
	if doc.Find(`script[src*="items"]`).Length() != 0 {
		t.Errorf("items.js loaded without anything to wire")
	}
}

func TestItemSupplierPageCandidates(t *testing.T) {
	p := signedInPage(i18n.German, NavItems, "admin")
	p.Title = "Lieferant zu Soda hinzufügen"
	v := ItemSupplierFormView{ItemName: "Soda", Action: "/items/1/suppliers", BackHref: "/items/1",
		Form: Form{Values: map[string]string{"supplier": "huber", "supplier_sku": "H-9"},
			Errors: map[string]string{"supplier": "Mehrere Lieferanten passen zu «huber». Wählen Sie einen:"}, Error: "x"},
		Candidates: []Option{{Value: "3", Label: "Huber (#3)"}, {Value: "4", Label: "Huber (#4)"}}}
	doc := renderDoc(t, ItemSupplierPage(p, v))
	if got := text(doc, "error-itemsupplier-supplier"); !strings.HasPrefix(got, "Mehrere Lieferanten") {
		t.Errorf("message beside the supplier = %q", got)
	}
	if attr(doc, "#itemsupplier-supplier", "aria-invalid") != "true" ||
		!strings.Contains(attr(doc, "#itemsupplier-supplier", "aria-describedby"), "itemsupplier-supplier-error") {
		t.Errorf("the supplier field is not tied to its message")
	}
	radios := doc.Find(`[data-testid="supplier-candidates"] input[type="radio"][name="supplier_id"]`)
	if radios.Length() != 2 || doc.Find(`input[type="hidden"][name="supplier_id"]`).Length() != 0 {
		t.Errorf("candidates: %d radios", radios.Length())
	}
	if attr(doc, "#itemsupplier-supplier_sku", "value") != "H-9" {
		t.Errorf("typed SKU lost")
	}
	if got := text(doc, "item-supplier-submit"); got != "Lieferant hinzufügen" {
		t.Errorf("German submit = %q", got)
	}
	if attr(doc, byTestID("back-to-item"), "href") != "/items/1" {
		t.Errorf("no way back to the item")
	}

	// Changing a link: no supplier field, Save.
	v = ItemSupplierFormView{Supplier: "Huber", ItemName: "Soda", Action: "/items/1/suppliers/3", BackHref: "/items/1",
		Form: Form{Values: map[string]string{"supplier_sku": "H-9"}}}
	doc = renderDoc(t, ItemSupplierPage(p, v))
	if doc.Find("#itemsupplier-supplier").Length() != 0 || text(doc, "item-supplier-submit") != "Speichern" {
		t.Errorf("edit form: supplier field %d, submit %q", doc.Find("#itemsupplier-supplier").Length(), text(doc, "item-supplier-submit"))
	}
}

func TestItemSupplierSuggestions(t *testing.T) {
	doc := renderDoc(t, ItemSupplierSuggestions([]Option{{Value: "3", Label: "Huber & Söhne"}}))
	o := doc.Find("datalist#itemsupplier-suggestions option")
	if o.Length() != 1 || o.AttrOr("value", "") != "Huber & Söhne" || o.AttrOr("data-id", "") != "3" {
		t.Errorf("suggestions = %d %q", o.Length(), o.AttrOr("value", ""))
	}
}
