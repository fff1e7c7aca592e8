package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// startCatalogue serves the web in front of the catalogue fake and signs in
// as Anna with role.
func startCatalogue(t *testing.T, role string) (*catalogueAPI, *browser) {
	t.Helper()
	api := newCatalogueAPI()
	api.set(func(f *fakeAPI) { f.user.Role = role })
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	return api, b
}

// german makes the browser's pages German (the language switch's cookie).
func (b *browser) german() { b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"} }

func idPath(prefix string, id int64) string { return prefix + strconv.FormatInt(id, 10) }

func TestItemList(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	cat := api.add("categories", map[string]any{"name": "Beer"})
	lager := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager 33cl", "category_id": cat,
		"sales_price_unit": "1234.5"})
	api.add("items", map[string]any{"sku": "IPA-50", "name": "IPA 50cl",
		"stock": map[string]any{"on_hand": 3, "good": 3, "defective": 0, "below_minimum": true}})
	api.add("items", map[string]any{"sku": "OLD-1", "name": "Old", "archived": true})

	r := b.get("/items")
	if r.status != http.StatusOK {
		t.Fatalf("GET /items = %d\n%s", r.status, r.body)
	}
	row := idPath("item-", lager)
	for id, want := range map[string]string{
		row + " [data-testid=item-sku]":      "LAG-33",
		row + " [data-testid=item-category]": "Beer",
		row + " [data-testid=item-on-hand]":  "240 bottles",
		row + " [data-testid=item-price]":    "CHF 1’234.50",
		"pager-count":                        "2 results",
	} {
		got := strings.Join(strings.Fields(r.doc.Find(`[data-testid="`+strings.Replace(id, " ", `"] `, 1)).Text()), " ")
		if !strings.Contains(id, " ") {
			got = r.text(id)
		}
		if got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if !r.has("below-min") || r.doc.Find(`[data-testid="below-min"]`).Length() != 1 {
		t.Errorf("want one below-minimum badge")
	}
	if !r.has("new-record") || !r.has("import-link") {
		t.Errorf("a manager is offered new item and import")
	}
	if href := attrOf(r.doc, "export-link", "href"); href != "/items/export" {
		t.Errorf("export link = %q", href)
	}

	// Filters and sort go to the api as the query string says.
	r = b.get("/items?q=lager&category_id=" + strconv.FormatInt(cat, 10) + "&location_id=3&low_stock=1&sort=-sku&archived=all")
	q, _ := url.ParseQuery(api.lastQuery("items"))
	for k, want := range map[string]string{"q": "lager", "category_id": strconv.FormatInt(cat, 10), "location_id": "3",
		"low_stock": "true", "sort": "-sku", "archived": "all"} {
		if q.Get(k) != want {
			t.Errorf("api query %s = %q, want %q (%s)", k, q.Get(k), want, api.lastQuery("items"))
		}
	}
	if v, _ := r.doc.Find(`#filter-category_id option[selected]`).Attr("value"); v != strconv.FormatInt(cat, 10) {
		t.Errorf("category filter keeps its value: %q", v)
	}
	if _, ok := r.doc.Find(`[data-testid="filter-low_stock"]`).Attr("checked"); !ok {
		t.Errorf("low stock stays checked")
	}
	if href := attrOf(r.doc, "export-link-comma", "href"); href != "/items/export?archived=all&q=lager&separator=comma" {
		t.Errorf("comma export link = %q", href)
	}
	if href := attrOf(r.doc, "export-link", "href"); href != "/items/export?archived=all&q=lager" {
		t.Errorf("export keeps the search: %q", href)
	}

	// Without a chosen sort the api ranks a search by relevance.
	r = b.get("/items?q=lager")
	if q, _ := url.ParseQuery(api.lastQuery("items")); q.Has("sort") {
		t.Errorf("a sort was sent unasked: %s", api.lastQuery("items"))
	}
	if v, ok := r.doc.Find(`#filter-sort option[selected]`).Attr("value"); !ok || v != "" {
		t.Errorf("sort select shows %q", v)
	}

	// Relevance without search text is not sent (the api refuses it).
	b.get("/items?sort=relevance")
	if q, _ := url.ParseQuery(api.lastQuery("items")); q.Has("sort") {
		t.Errorf("relevance without q sent: %s", api.lastQuery("items"))
	}

	// The api stops counting at 10,000.
	r = b.get("/items?q=many")
	if got := r.text("pager-count"); got != "more than 10’000 results" {
		t.Errorf("count = %q", got)
	}
}

func TestItemListPagesAndViewer(t *testing.T) {
	api, b := startCatalogue(t, "viewer")
	for i := range 55 {
		api.add("items", map[string]any{"sku": "S-" + strconv.Itoa(i), "name": "Item " + strconv.Itoa(i)})
	}
	b.german()
	r := b.get("/items?q=item")
	if r.has("new-record") || r.has("import-link") {
		t.Errorf("a viewer is offered to create or import")
	}
	if !r.has("export-link") {
		t.Errorf("a viewer may export")
	}
	next := attrOf(r.doc, "pager-next", "href")
	if !strings.Contains(next, "cursor=after-") || !strings.Contains(next, "q=item") {
		t.Fatalf("next link = %q", next)
	}
	if r.text("pager-count") != "55 Treffer" {
		t.Errorf("count = %q", r.text("pager-count"))
	}
	r = b.get(next)
	if r.doc.Find(`tbody tr`).Length() != 5 || !r.has("pager-first") || r.has("pager-next") {
		t.Errorf("second page: %d rows, first=%v next=%v", r.doc.Find(`tbody tr`).Length(), r.has("pager-first"), r.has("pager-next"))
	}
	if first := attrOf(r.doc, "pager-first", "href"); first != "/items?q=item" {
		t.Errorf("first page link = %q", first)
	}
	// Name first, as the list is ordered by name; the SKU next to it.
	if got := r.doc.Find(`th`).Eq(1).Text(); got != "Artikelnr." {
		t.Errorf("German column = %q", got)
	}
}

func TestItemDetail(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	cat := api.add("categories", map[string]any{"name": "Beer"})
	id := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager 33cl", "category_id": cat, "preferred_supplier_id": 77})

	r := b.get(idPath("/items/", id))
	if got := r.text("fact-preferred_supplier_id"); got != "Brauerei Muster" {
		t.Errorf("preferred supplier = %q", got)
	}
	if r.status != http.StatusOK {
		t.Fatalf("GET item = %d\n%s", r.status, r.body)
	}
	for tid, want := range map[string]string{
		"stock-on-hand":         "250 bottles",
		"stock-defective":       "10 bottles",
		"stock-breakdown":       "0 pallets · 10 crates · 0 bottles",
		"stock-value":           "CHF 192.00",
		"fact-category_id":      "Beer",
		"fact-vat_rate":         "8.1 % (standard)",
		"movement-501":          "",
		"item-supplier-77":      "",
		"audit-91":              "",
		"stock-location-3":      "",
		"fact-sales_price_unit": "CHF 1.50",
	} {
		if !r.has(tid) {
			t.Errorf("missing %s", tid)
			continue
		}
		if want != "" && r.text(tid) != want {
			t.Errorf("%s = %q, want %q", tid, r.text(tid), want)
		}
	}
	if !strings.Contains(r.text("item-supplier-77"), "CHF 0.75") || !strings.Contains(r.text("item-supplier-77"), "3 days") {
		t.Errorf("supplier row = %q", r.text("item-supplier-77"))
	}
	if !r.has("edit") || !r.has("archive") || !r.has("delete") {
		t.Errorf("a manager gets edit, archive and delete")
	}
	if href := attrOf(r.doc, "audit-all", "href"); href != "/audit?entity=item&entity_id="+strconv.FormatInt(id, 10) {
		t.Errorf("audit link = %q", href)
	}
	// Movement history pages with the api's cursor.
	next := attrOf(r.doc, "pager-next", "href")
	r = b.get(next)
	if !r.has("movement-499") || r.has("movement-501") {
		t.Errorf("second movement page: %s", next)
	}

	// A viewer reads but gets no buttons and no audit trail.
	api2, v := startCatalogue(t, "viewer")
	id2 := api2.add("items", map[string]any{"sku": "X", "name": "X"})
	r = v.get(idPath("/items/", id2))
	if r.has("edit") || r.has("record-actions") || r.has("item-audit") {
		t.Errorf("a viewer sees write buttons or the audit trail")
	}
	if api2.auditCalls != 0 {
		t.Errorf("the audit trail was asked for a viewer")
	}
	if r.text("fact-category_id") != "none" {
		t.Errorf("no category = %q", r.text("fact-category_id"))
	}
	if r := v.get("/items/999"); r.status != http.StatusNotFound {
		t.Errorf("unknown item = %d", r.status)
	}
	if r := v.get(idPath("/items/", id2) + "/edit"); r.status != http.StatusForbidden {
		t.Errorf("viewer edit form = %d", r.status)
	}
}

func TestItemCreate(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	cat := api.add("categories", map[string]any{"name": "Beer"})
	api.add("suppliers", map[string]any{"name": "Brauerei Muster"})
	r := b.get("/items/new")
	key := attrOf(r.doc, "item-form", "action")
	if key != "/items" {
		t.Fatalf("form posts to %q", key)
	}
	idem, _ := r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	if idem == "" || r.doc.Find(`#item-category_id option`).Length() != 2 {
		t.Fatalf("new form: key %q, %d category options", idem, r.doc.Find(`#item-category_id option`).Length())
	}

	// The api's refusal stands beside the field; the values stay.
	form := url.Values{"_idempotency_key": {idem}, "sku": {""}, "name": {"Lager 33cl"}, "base_unit": {"bottle"},
		"sales_price_unit": {"1,50"}, "category_id": {strconv.FormatInt(cat, 10)}, "vat_rate": {"8.1"}, "currency": {"CHF"},
		"alcoholic": {"1"}}
	r = b.post("/items", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-item-sku") != "This field is required." {
		t.Fatalf("refused create = %d, sku error %q", r.status, r.text("error-item-sku"))
	}
	if v, _ := r.doc.Find(`#item-name`).Attr("value"); v != "Lager 33cl" {
		t.Errorf("name kept = %q", v)
	}
	if _, ok := r.doc.Find(`#item-alcoholic`).Attr("checked"); !ok {
		t.Errorf("checkbox kept")
	}
	newKey, _ := r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	if newKey == idem || newKey == "" {
		t.Errorf("a refused create gets a new key")
	}

	// A number that is not one is caught before the api.
	before := api.callCount("POST /api/v1/items")
	form.Set("sku", "LAG-33")
	form.Set("package_size", "many")
	r = b.post("/items", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-item-package_size") != "Enter a whole number." {
		t.Errorf("local check = %d %q", r.status, r.text("error-item-package_size"))
	}
	if api.callCount("POST /api/v1/items") != before {
		t.Errorf("the api was asked with a broken number")
	}

	form.Set("package_size", "24")
	form.Set("_idempotency_key", newKey)
	r = b.post("/items", form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/items/") {
		t.Fatalf("create = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	// A double submit with the same key creates once.
	again := b.post("/items", form)
	if again.header.Get("Location") != r.header.Get("Location") {
		t.Errorf("double submit went to %s, first to %s", again.header.Get("Location"), r.header.Get("Location"))
	}
	page := b.get(r.header.Get("Location"))
	if !strings.Contains(page.text("flash"), "Lager 33cl was created.") {
		t.Errorf("flash = %q", page.text("flash"))
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/items/"), 10, 64)
	rec := api.record("items", id)
	if rec["sales_price_unit"] != "1.50" || rec["package_size"] != float64(24) || rec["alcoholic"] != true ||
		rec["category_id"] != float64(cat) {
		t.Errorf("sent %v", rec)
	}
	if _, ok := rec["ean_unit"]; ok {
		t.Errorf("an empty optional field is sent on create: %v", rec["ean_unit"])
	}
}

func TestItemEdit(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	id := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager", "ean_unit": "7610000000001"})
	path := idPath("/items/", id)
	r := b.get(path + "/edit")
	if v, _ := r.doc.Find(`#item-sku`).Attr("value"); v != "LAG-33" {
		t.Fatalf("edit form sku = %q", v)
	}
	version := attrOf(r.doc, "version", "value")
	if version != `"1"` {
		t.Fatalf("version = %q", version)
	}
	form := url.Values{"version": {version}, "sku": {"LAG-33"}, "name": {"Lager hell"}, "base_unit": {"bottle"},
		"sales_price_unit": {"1.60"}, "vat_rate": {"8.1"}, "currency": {"CHF"}, "ean_unit": {""}}

	// Someone else saved meanwhile: "changed meanwhile", values kept.
	api.bump("items", id)
	b.german()
	r = b.post(path, form)
	if r.status != http.StatusConflict || r.text("item-error") != i18n.For(i18n.German).Conflict.Text {
		t.Errorf("stale edit = %d %q", r.status, r.text("item-error"))
	}
	if v, _ := r.doc.Find(`#item-name`).Attr("value"); v != "Lager hell" {
		t.Errorf("typed name kept = %q", v)
	}

	// An api field message in German beside its field.
	form.Set("version", `"2"`)
	form.Set("ean_unit", "123")
	r = b.post(path, form)
	if got := r.text("error-item-ean_unit"); !strings.HasPrefix(got, "Geben Sie eine gültige EAN") {
		t.Errorf("German EAN message = %q", got)
	}

	form.Set("ean_unit", "")
	r = b.post(path, form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != path {
		t.Fatalf("save = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	rec := api.record("items", id)
	if rec["name"] != "Lager hell" || rec["sales_price_unit"] != "1.60" {
		t.Errorf("saved %v", rec)
	}
	if _, ok := rec["ean_unit"]; ok {
		t.Errorf("an emptied field is not cleared: %v", rec["ean_unit"])
	}
}

func TestItemArchiveDelete(t *testing.T) {
	api, b := startCatalogue(t, "admin")
	id := api.add("items", map[string]any{"sku": "A", "name": "Alpha"})
	path := idPath("/items/", id)
	b.get(path)
	r := b.post(path+"/archive", url.Values{"version": {`"1"`}, "name": {"Alpha"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != path {
		t.Fatalf("archive = %d %s", r.status, r.header.Get("Location"))
	}
	page := b.get(path)
	if !page.has("archived-tag") || !page.has("restore") || page.text("flash") != "Alpha was archived." {
		t.Errorf("after archive: tag %v restore %v flash %q", page.has("archived-tag"), page.has("restore"), page.text("flash"))
	}
	// A stale version is "changed meanwhile", nothing happens.
	r = b.post(path+"/restore", url.Values{"version": {`"1"`}, "name": {"Alpha"}})
	if page := b.get(path); !strings.Contains(page.text("flash"), "changed") || !page.has("archived-tag") {
		t.Errorf("stale restore: %q", page.text("flash"))
	}
	api.mu.Lock()
	api.inUse["items/"+strconv.FormatInt(id, 10)] = true
	api.mu.Unlock()
	r = b.post(path+"/delete", url.Values{"version": {`"2"`}, "name": {"Alpha"}})
	if page := b.get(path); !strings.Contains(page.text("flash"), "cannot be deleted") {
		t.Errorf("delete in use: %d %q", r.status, page.text("flash"))
	}
	api.mu.Lock()
	api.inUse = map[string]bool{}
	api.mu.Unlock()
	r = b.post(path+"/delete", url.Values{"version": {`"2"`}, "name": {"Alpha"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/items" {
		t.Fatalf("delete = %d %s", r.status, r.header.Get("Location"))
	}
	if page := b.get("/items"); page.text("flash") != "Alpha was deleted." {
		t.Errorf("flash = %q", page.text("flash"))
	}
	// A clerk may not: the api's 403 is the "not permitted" page.
	api2, c := startCatalogue(t, "clerk")
	id2 := api2.add("items", map[string]any{"sku": "B", "name": "Beta"})
	api2.set(func(f *fakeAPI) { f.forbid["POST /api/v1/items/"+strconv.FormatInt(id2, 10)+"/archive"] = true })
	c.get("/items")
	if r := c.post(idPath("/items/", id2)+"/archive", url.Values{"version": {`"1"`}}); r.status != http.StatusForbidden {
		t.Errorf("clerk archive = %d", r.status)
	}
}

func TestExportStreamsCSV(t *testing.T) {
	api, b := startCatalogue(t, "viewer")
	r := b.get("/items/export?q=lager&archived=all")
	if r.status != http.StatusOK || r.body != "sku,name\nA-1,Lager 33cl\n" {
		t.Fatalf("export = %d %q", r.status, r.body)
	}
	if cd := r.header.Get("Content-Disposition"); cd != `attachment; filename="items-2025-06-02.csv"` {
		t.Errorf("Content-Disposition = %q", cd)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("Content-Type = %q", ct)
	}
	api.mu.Lock()
	got := api.exports
	api.mu.Unlock()
	// The header in the page's language; semicolons are the api's default.
	if len(got) != 1 || !strings.HasPrefix(got[0], "items?") || !sameQuery(strings.TrimPrefix(got[0], "items?"), "archived=all&q=lager&lang=en") {
		t.Errorf("api export calls = %v", got)
	}
	if r := b.get("/customers/export?separator=comma"); r.status != http.StatusOK {
		t.Errorf("customers export = %d", r.status)
	}
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"} // the page is German
	b.get("/suppliers/export")
	api.mu.Lock()
	got = api.exports
	api.mu.Unlock()
	if len(got) != 3 || !sameQuery(strings.TrimPrefix(got[1], "customers?"), "lang=en&separator=comma") ||
		!sameQuery(strings.TrimPrefix(got[2], "suppliers?"), "lang=de") {
		t.Errorf("api export calls = %v", got)
	}
}

func sameQuery(a, b string) bool {
	qa, _ := url.ParseQuery(a)
	qb, _ := url.ParseQuery(b)
	return qa.Encode() == qb.Encode()
}

// TestItemFormMatchesFields: the item form shows exactly the fields the
// handler sends, each labelled in both languages.
func TestItemFormMatchesFields(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := views.Page{Lang: lang, Msg: i18n.For(lang)}
		names := map[string]bool{}
		for _, f := range itemFields {
			names[f] = true
		}
		// The preferred supplier is typed; its id is what is sent.
		delete(names, "preferred_supplier_id")
		names["preferred_supplier"] = true
		for _, sec := range views.ItemFormSections(p, views.ItemFormView{}) {
			for _, f := range sec.Fields {
				if f.Label == "" {
					t.Errorf("%s: %s has no label", lang, f.Name)
				}
				if !names[f.Name] {
					t.Errorf("%s: %s is shown but not sent", lang, f.Name)
				}
				delete(names, f.Name)
			}
		}
		for name := range names {
			t.Errorf("%s: %s is sent but not shown", lang, name)
		}
	}
}
