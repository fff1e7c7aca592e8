package views

import (
	"github.com/PuerkitoBio/goquery"

	"github.com/google/go-cmp/cmp"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

func sampleItems() []apiclient.Item {
	cat := int64(4)
	return []apiclient.Item{
		{ID: 1, Sku: "LAG-33", Name: "Lager 33cl", CategoryID: &cat, BaseUnit: "bottle", SalesPriceUnit: "1234.5",
			Currency: "CHF", Stock: &apiclient.ItemStockTotals{OnHand: 2400, Good: 2400}},
		{ID: 2, Sku: "IPA-50", Name: "IPA", BaseUnit: "can", SalesPriceUnit: "2", Currency: "EUR", Archived: true,
			Stock: &apiclient.ItemStockTotals{OnHand: 3, Good: 3, BelowMinimum: true}},
	}
}

func TestItemListComponent(t *testing.T) {
	for _, tc := range []struct {
		lang      i18n.Lang
		role      string
		canCreate bool
		heading   string
		onHand    string
	}{
		{i18n.English, "manager", true, "Items", "2’400 bottle"},
		{i18n.German, "viewer", false, "Artikel", "2’400 bottle"},
	} {
		p := signedInPage(tc.lang, NavItems, tc.role)
		v := ItemListView{
			Filter:     CatFilter{Action: "/items", Q: "lager", Sort: "relevance", Sorts: []Option{{Value: "relevance", Label: "Best"}}},
			Rows:       ItemRows(p, sampleItems(), map[int64]string{4: "Beer"}),
			Pager:      Pager{Next: "/items?cursor=x", Total: 2, Counted: true},
			CanCreate:  tc.canCreate,
			ExportHref: "/items/export?q=lager",
		}
		doc := renderDoc(t, ItemList(p, v))
		if got := doc.Find("h1").Text(); got != tc.heading {
			t.Errorf("%s: heading %q", tc.lang, got)
		}
		if got := text(doc, "item-1"); !strings.Contains(got, "LAG-33") || !strings.Contains(got, "Beer") ||
			!strings.Contains(got, tc.onHand) || !strings.Contains(got, "CHF 1’234.50") {
			t.Errorf("%s: row 1 = %q", tc.lang, got)
		}
		row2 := doc.Find(byTestID("item-2"))
		if row2.Find(byTestID("below-min")).Length() != 1 || row2.Find(byTestID("archived-tag")).Length() != 1 {
			t.Errorf("%s: row 2 lacks the low-stock badge or the archived tag", tc.lang)
		}
		if !strings.Contains(row2.Text(), "EUR 2.00") {
			t.Errorf("%s: EUR price: %q", tc.lang, row2.Text())
		}
		if (doc.Find(byTestID("new-record")).Length() == 1) != tc.canCreate || (doc.Find(byTestID("import-link")).Length() == 1) != tc.canCreate {
			t.Errorf("%s %s: new/import buttons wrong", tc.lang, tc.role)
		}
		if attr(doc, byTestID("list-filter"), "data-live-search") != "list-results" || doc.Find("#list-results").Length() != 1 {
			t.Errorf("live search is not wired to the results region")
		}
		if attr(doc, byTestID("filter-q"), "value") != "lager" || attr(doc, byTestID("filter-q"), "type") != "search" {
			t.Errorf("search field")
		}
		if attr(doc, `script[src="/static/hashed-items.js"]`, "type") != "module" {
			t.Errorf("items.js not loaded as a module")
		}
		if doc.Find(`label[for="filter-q"]`).Length() != 1 {
			t.Errorf("search field without label")
		}
	}
	p := signedInPage(i18n.English, NavItems, "viewer")
	doc := renderDoc(t, ItemList(p, ItemListView{ExportHref: "/items/export"}))
	if text(doc, "no-records") == "" {
		t.Errorf("empty list says nothing")
	}
}

func sampleDetail(p Page, showAudit, canWrite bool) ItemDetailView {
	it := sampleItems()[0]
	pkg, pallet := int64(24), int64(40)
	it.PackageSize, it.PalletSize = &pkg, &pallet
	it.VatRate = "2.6"
	crate := "crate"
	stock := apiclient.ItemStock{PackageSize: &pkg, PalletSize: &pallet, PackageUnit: &crate, OnHand: 250, Good: 240, Defective: 10, Available: 240, BaseUnit: "bottle",
		Value: "192", Currency: "CHF", AvailableBreakdown: apiclient.Breakdown{Packages: 10},
		Locations: []apiclient.LocationStock{{LocationID: 3, LocationCode: "WH1-A", LocationName: "Aisle A", Good: 240,
			Defective: 10, GoodBreakdown: apiclient.Breakdown{Pallets: 1, Packages: 2, Units: 3}}}}
	v := ItemDetailView{ID: 1, Name: it.Name, SKU: it.Sku,
		Groups:    ItemFactGroups(p, it, "Beer", "Muster"),
		Stock:     NewItemStockView(p, stock),
		Movements: ItemMovementRows(p, []apiclient.Movement{{ID: 9, Type: "transfer", LocationCode: "A", ToLocationCode: ptr("B"), QuantityBase: 24, EffectiveAt: testNow}}, "bottle"),
		Suppliers: ItemSupplierRows(p, []apiclient.ItemSupplier{{SupplierID: 7, SupplierName: "Muster", Price: ptr("0.75"), LeadTimeDays: ptr(3)}}, "CHF"),
		ShowAudit: showAudit,
		Audit: NewAuditRows(p, []apiclient.AuditEntry{{ID: 5, Entity: "item", EntityID: "1", Action: "update", At: testNow,
			UserID: ptr(int64(3)), UserName: ptr("Anna Muster"),
			Changes: map[string]apiclient.AuditChange{"brand": {From: "", To: "Falken"}}}},
			AuditRefs{"item": {1: {Name: "BEER-1 Lager"}}}),
		AuditHref: "/audit?entity=item&entity_id=1",
		Actions:   CatActions{Base: "/items/1", Name: it.Name, Version: `"3"`, CanWrite: canWrite, CanDelete: canWrite},
	}
	if canWrite {
		v.EditHref = "/items/1/edit"
	}
	return v
}

func TestItemDetailComponent(t *testing.T) {
	p := signedInPage(i18n.English, NavItems, "manager")
	doc := renderDoc(t, ItemDetail(p, sampleDetail(p, true, true)))
	for id, want := range map[string]string{
		"stock-on-hand":         "250 bottles",
		"stock-breakdown":       "0 pallets · 10 crates · 0 bottles",
		"stock-value":           "CHF 192.00",
		"fact-vat_rate":         "2.6 % (reduced)",
		"fact-package_size":     "24",
		"fact-category_id":      "Beer",
		"fact-sales_price_unit": "CHF 1’234.50",
		// No minimum is said in words, not as "0 bottles".
		"fact-min_stock":   "no minimum",
		"fact-reorder_qty": "not set",
	} {
		if got := text(doc, id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if got := text(doc, "stock-location-3"); !strings.Contains(got, "1 pallet · 2 crates · 3 bottles") {
		t.Errorf("location row = %q", got)
	}
	if got := text(doc, "movement-9"); !strings.Contains(got, "Transfer") || !strings.Contains(got, "A → B") {
		t.Errorf("movement = %q", got)
	}
	if got := text(doc, "item-supplier-7"); !strings.Contains(got, "CHF 0.75") || !strings.Contains(got, "3 days") {
		t.Errorf("supplier = %q", got)
	}
	// The history in words, like the audit page.
	if got := text(doc, "audit-what-5"); got != "Anna Muster changed item BEER-1 Lager" {
		t.Errorf("history = %q", got)
	}
	if got := changesOf(doc, "5"); !cmp.Equal(got, []string{"Brand: (empty) → Falken"}) {
		t.Errorf("history changes = %q", got)
	}
	if attr(doc, byTestID("edit"), "href") != "/items/1/edit" || doc.Find(byTestID("archive")).Length() != 1 ||
		doc.Find(byTestID("delete-confirm")).Length() != 1 {
		t.Errorf("manager buttons missing")
	}
	if attr(doc, `form[action="/items/1/archive"] input[name="version"]`, "value") != `"3"` {
		t.Errorf("archive form without the version")
	}

	p = signedInPage(i18n.German, NavItems, "viewer")
	doc = renderDoc(t, ItemDetail(p, sampleDetail(p, false, false)))
	if doc.Find(byTestID("edit")).Length()+doc.Find(byTestID("record-actions")).Length()+doc.Find(byTestID("item-audit")).Length() != 0 {
		t.Errorf("a viewer sees write buttons or the audit trail")
	}
	if got := text(doc, "stock-breakdown"); got != "0 Paletten · 10 crates · 0 bottles" {
		t.Errorf("German breakdown = %q", got)
	}
	if got := doc.Find("#stock-heading").Text(); got != "Bestand" {
		t.Errorf("German heading = %q", got)
	}
}

func TestItemFormComponent(t *testing.T) {
	p := signedInPage(i18n.English, NavItems, "manager")
	f := Form{Values: map[string]string{"name": "Lager", "alcoholic": "1", "vat_rate": "2.6", "category_id": "4"},
		Errors: map[string]string{"sku": "This field is required."}, Error: "Please check the marked fields.",
		IdempotencyKey: "key-1"}
	doc := renderDoc(t, ItemForm(p, ItemFormView{Create: true, Title: "New item", Action: "/items", BackHref: "/items",
		Form: f, Categories: []Option{{Value: "4", Label: "Beer"}}}))
	var legends []string
	doc.Find("fieldset legend").Each(func(_ int, l *goquery.Selection) { legends = append(legends, l.Text()) })
	want := []string{"Identity and codes", "Units and packaging", "Prices and VAT", "Deposit", "Beverage data", "Reordering"}
	if strings.Join(legends, "|") != strings.Join(want, "|") {
		t.Errorf("sections %q, want %q", legends, want)
	}
	for _, c := range []struct{ section, field string }{
		{"Identity and codes", "item-ean_package"}, {"Units and packaging", "item-pallet_size"},
		{"Prices and VAT", "item-vat_rate"}, {"Deposit", "item-deposit_unit"}, {"Reordering", "item-min_stock"},
	} {
		if got := doc.Find("#" + c.field).Closest("fieldset").Find("legend").Text(); got != c.section {
			t.Errorf("%s in section %q, want %q", c.field, got, c.section)
		}
	}
	if attr(doc, "#item-sku", "aria-invalid") != "true" || text(doc, "error-item-sku") != "This field is required." {
		t.Errorf("sku error not beside the field")
	}
	if _, ok := doc.Find("#item-alcoholic").Attr("checked"); !ok {
		t.Errorf("checkbox not checked")
	}
	if _, ok := doc.Find(`#item-vat_rate option[value="2.6"]`).Attr("selected"); !ok {
		t.Errorf("VAT rate not selected")
	}
	if _, ok := doc.Find(`#item-category_id option[value="4"]`).Attr("selected"); !ok {
		t.Errorf("category not selected")
	}
	if attr(doc, `input[name="_idempotency_key"]`, "value") != "key-1" || doc.Find(`input[name="version"]`).Length() != 0 {
		t.Errorf("create form: idempotency key, no version")
	}
	for _, id := range []string{"item-sku", "item-description", "item-sales_price_unit", "item-returnable", "item-abv"} {
		if doc.Find(`label[for="`+id+`"]`).Length() != 1 {
			t.Errorf("%s has no label", id)
		}
	}
	if attr(doc, "#item-sales_price_unit", "inputmode") != "decimal" {
		t.Errorf("price field is not decimal")
	}

	doc = renderDoc(t, ItemForm(p, ItemFormView{Title: "Edit", Action: "/items/1", BackHref: "/items/1",
		Form: Form{Values: ItemFormValues(sampleItems()[0])}, Version: `"7"`}))
	if attr(doc, byTestID("version"), "value") != `"7"` || doc.Find(`input[name="_idempotency_key"]`).Length() != 0 {
		t.Errorf("edit form: version, no idempotency key")
	}
	if attr(doc, "#item-sku", "value") != "LAG-33" || attr(doc, "#item-sales_price_unit", "value") != "1234.5" {
		t.Errorf("edit form values")
	}
}

// A category the lookup did not list is named in words, never "#4".
func TestItemRowsUnknownCategory(t *testing.T) {
	for lang, want := range map[i18n.Lang]string{i18n.English: "(category not listed)", i18n.German: "(Kategorie nicht aufgeführt)"} {
		rows := ItemRows(signedInPage(lang, NavItems, "viewer"), sampleItems(), nil)
		if rows[0].Category != want {
			t.Errorf("%s: category %q, want %q", lang, rows[0].Category, want)
		}
	}
}
