package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles/rolestest"
	"github.com/depotix/depotix/services/web/internal/views"
)

func TestCategoryPages(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	beer := api.add("categories", map[string]any{"name": "Beer", "description": "All beers"})
	api.add("categories", map[string]any{"name": "Old", "archived": true})

	r := b.get("/categories")
	if r.status != http.StatusOK || !r.has(idPath("category-", beer)) || r.doc.Find("tbody tr").Length() != 1 {
		t.Fatalf("list = %d, rows %d\n%s", r.status, r.doc.Find("tbody tr").Length(), r.body)
	}
	if !r.has("new-record") || r.has("import-link") || r.has("export-link") {
		t.Errorf("categories: new yes, import/export no")
	}
	r = b.get("/categories?archived=true&q=ol&sort=-name")
	if q, _ := url.ParseQuery(api.lastQuery("categories")); q.Get("archived") != "true" || q.Get("q") != "ol" || q.Get("sort") != "-name" {
		t.Errorf("api query = %s", api.lastQuery("categories"))
	}
	if !r.has("archived-tag") {
		t.Errorf("archived rows carry the tag")
	}

	// Create: the api's refusal beside the field, then success.
	r = b.get("/categories/new")
	key, _ := r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	r = b.post("/categories", url.Values{"_idempotency_key": {key}, "name": {""}, "description": {"x"}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-category-name") != "This field is required." ||
		r.text("categories-error") != "Please check the marked fields." {
		t.Fatalf("refused = %d %q %q", r.status, r.text("error-category-name"), r.text("categories-error"))
	}
	if r.doc.Find(`#category-description`).Text() != "x" {
		t.Errorf("textarea keeps its value")
	}
	key, _ = r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	r = b.post("/categories", url.Values{"_idempotency_key": {key}, "name": {"Water"}, "description": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", r.status, r.body)
	}
	page := b.get(r.header.Get("Location"))
	if page.text("flash") != "Water was created." || !strings.HasPrefix(page.text("record-title"), "Water") {
		t.Errorf("after create: %q %q", page.text("flash"), page.text("record-title"))
	}

	// Edit with a stale version: changed meanwhile, typed value kept.
	path := idPath("/categories/", beer)
	r = b.get(path)
	version := attrOf(r.doc, "version", "value")
	if r.text("fact-created") == "" || !r.has("record-actions") {
		t.Errorf("record page lacks facts or actions")
	}
	api.bump("categories", beer)
	r = b.post(path, url.Values{"version": {version}, "name": {"Beers"}, "description": {"All beers"}})
	if r.status != http.StatusConflict || r.text("categories-error") != i18n.For(i18n.English).Conflict.Text {
		t.Errorf("stale = %d %q", r.status, r.text("categories-error"))
	}
	if v, _ := r.doc.Find(`#category-name`).Attr("value"); v != "Beers" {
		t.Errorf("typed value kept = %q", v)
	}
	r = b.post(path, url.Values{"version": {`"2"`}, "name": {"Beers"}, "description": {""}})
	if r.status != http.StatusSeeOther || api.record("categories", beer)["name"] != "Beers" {
		t.Errorf("save = %d %v", r.status, api.record("categories", beer))
	}
	// Delete: gone, back to the list.
	b.get(path)
	r = b.post(path+"/delete", url.Values{"version": {`"3"`}, "name": {"Beers"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/categories" {
		t.Errorf("delete = %d %s", r.status, r.header.Get("Location"))
	}
}

func TestCategoryReadOnlyForClerk(t *testing.T) {
	api, b := startCatalogue(t, "clerk")
	id := api.add("categories", map[string]any{"name": "Beer", "description": "All beers"})
	b.german()
	r := b.get(idPath("/categories/", id))
	if r.has("categories-form") || r.has("record-actions") {
		t.Errorf("a clerk gets a form or actions for categories")
	}
	if r.text("fact-name") != "Beer" || r.text("fact-description") != "All beers" {
		t.Errorf("facts = %q %q", r.text("fact-name"), r.text("fact-description"))
	}
	if r.has("new-record") {
		t.Errorf("new button")
	}
	if got := b.get("/categories").doc.Find("h1").Text(); got != "Kategorien" {
		t.Errorf("German title = %q", got)
	}
	if r := b.get("/categories/new"); r.status != http.StatusForbidden {
		t.Errorf("new form for a clerk = %d", r.status)
	}
	if r := b.post("/categories", url.Values{"name": {"x"}}); r.status != http.StatusForbidden {
		t.Errorf("create by a clerk = %d", r.status)
	}
}

func TestCustomerForm(t *testing.T) {
	api, b := startCatalogue(t, "clerk")
	r := b.get("/customers/new")
	if r.status != http.StatusOK || r.has("field-customer-credit_limit") {
		t.Fatalf("clerk form = %d, credit limit shown %v", r.status, r.has("field-customer-credit_limit"))
	}
	if v, _ := r.doc.Find(`[id="customer-billing_address.country"]`).Attr("value"); v != "CH" {
		t.Errorf("country default = %q", v)
	}
	key, _ := r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	form := url.Values{"_idempotency_key": {key}, "name": {"Restaurant Sonne"}, "payment_terms_days": {"30"},
		"currency": {"CHF"}, "billing_address.street": {"Hauptgasse"}, "billing_address.postal_code": {"30"},
		"billing_address.town": {"Bern"}, "billing_address.country": {"CH"}, "delivery_address.country": {"CH"},
		"credit_limit": {"5000"}}
	r = b.post("/customers", form)
	if r.status != http.StatusUnprocessableEntity ||
		r.text("error-customer-billing_address.postal_code") != "Enter four digits (Switzerland and Liechtenstein)." {
		t.Fatalf("postal code = %d %q", r.status, r.text("error-customer-billing_address.postal_code"))
	}
	// The summary at the top names the field by its section's label and
	// links to it; the required fields of the 17 are marked.
	if href, _ := r.doc.Find(`[data-testid="customers-error-summary"] a`).Attr("href"); href != "#customer-billing_address.postal_code" ||
		!strings.HasSuffix(r.text("summary-customer-billing_address.postal_code"), ": Enter four digits (Switzerland and Liechtenstein).") {
		t.Errorf("summary link %q %q", href, r.text("summary-customer-billing_address.postal_code"))
	}
	if !r.has("required-customer-name") || !r.has("required-customer-billing_address.town") || r.has("required-customer-email") ||
		r.doc.Find("fieldset.form-section legend").Length() < 4 {
		t.Errorf("customer form: required marks or sections missing")
	}
	key, _ = r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	form.Set("_idempotency_key", key)
	form.Set("billing_address.postal_code", "3011")
	r = b.post("/customers", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("create = %d\n%s", r.status, r.body)
	}
	id, _ := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/customers/"), 10, 64)
	rec := api.record("customers", id)
	if _, ok := rec["delivery_address"]; ok {
		t.Errorf("an empty delivery address is sent: %v", rec["delivery_address"])
	}
	if _, ok := rec["credit_limit"]; ok {
		t.Errorf("a clerk's form sent a credit limit")
	}
	if billing, _ := rec["billing_address"].(map[string]any); billing["town"] != "Bern" || billing["postal_code"] != "3011" {
		t.Errorf("billing address = %v", rec["billing_address"])
	}
	r = b.get(r.header.Get("Location"))
	if r.text("fact-number") == "" || !r.has("customers-form") || !r.has("record-actions") {
		t.Errorf("a clerk edits customers: number %q", r.text("fact-number"))
	}
	// The number is labelled in words, not with a technical "#".
	if label := strings.TrimSpace(r.doc.Find(`[data-testid="fact-number"]`).Prev().Text()); label != "Customer number" {
		t.Errorf("customer number labelled %q", label)
	}
	list := b.get("/customers")
	if !list.has("import-link") || !list.has("export-link") || !strings.Contains(list.text(idPath("customer-", id)), "3011 Bern") {
		t.Errorf("customer list: %q", list.text(idPath("customer-", id)))
	}

	// A manager sets the credit limit.
	api2, m := startCatalogue(t, "manager")
	form.Del("_csrf")
	r = m.get("/customers/new")
	key, _ = r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
	form.Set("_idempotency_key", key)
	form.Set("credit_limit", "5’000")
	form.Set("delivery_address.town", "Thun")
	r = m.post("/customers", form)
	id, _ = strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/customers/"), 10, 64)
	rec = api2.record("customers", id)
	if rec["credit_limit"] != "5000" || rec["delivery_address"] == nil {
		t.Errorf("manager's customer = %v", rec)
	}
}

func TestLocationTree(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	wh := api.add("locations", map[string]any{"code": "WH1", "name": "Main", "kind": "warehouse"})
	zone := api.add("locations", map[string]any{"code": "A", "name": "Aisle A", "kind": "zone", "parent_id": wh})
	bin := api.add("locations", map[string]any{"code": "A-03", "name": "Bin 3", "kind": "bin", "parent_id": zone})

	r := b.get("/locations")
	if got := r.text(idPath("location-", bin)); !strings.Contains(got, "WH1 › A › A-03") || !strings.Contains(got, "Bin") {
		t.Errorf("bin row = %q", got)
	}
	// Every location's contents is what is stored there and below, a bin's
	// too; not only the locations below it.
	for _, id := range []int64{zone, bin} {
		href, _ := r.doc.Find(`[data-testid="` + idPath("location-", id) + `"] a[href^="/stock"]`).Attr("href")
		if want := "/stock?location_id=" + strconv.FormatInt(id, 10) + "&below=1"; href != want ||
			!strings.Contains(r.text(idPath("location-", id)), "Contents") {
			t.Errorf("location %d's contents link = %q, want %q", id, href, want)
		}
	}
	r = b.get("/locations?parent_id=" + strconv.FormatInt(zone, 10))
	api.mu.Lock()
	queries := strings.Join(api.queries["locations"], " ")
	api.mu.Unlock()
	if !strings.Contains(queries, "parent_id="+strconv.FormatInt(zone, 10)) {
		t.Errorf("parent filter not sent: %s", queries)
	}
	if got := r.text("crumbs"); !strings.Contains(got, "WH1 › A") {
		t.Errorf("crumbs = %q", got)
	}
	// The parent choices leave out bins and the location itself.
	r = b.get(idPath("/locations/", zone))
	// Its page leads to its contents, the locations below and (for those
	// who book stock) its count sheet.
	for testID, want := range map[string]string{
		"location-contents": "/stock?location_id=" + strconv.FormatInt(zone, 10) + "&below=1",
		"location-children": "/locations?parent_id=" + strconv.FormatInt(zone, 10),
		"location-count":    "/stock/count?location=" + strconv.FormatInt(zone, 10),
	} {
		if href := attrOf(r.doc, testID, "href"); href != want {
			t.Errorf("%s = %q, want %q", testID, href, want)
		}
	}
	opts := r.doc.Find(`#location-parent_id option`)
	if opts.Length() != 2 { // top level + WH1
		t.Errorf("parent options = %d: %s", opts.Length(), opts.Text())
	}
	if v, _ := r.doc.Find(`#location-parent_id option[selected]`).Attr("value"); v != strconv.FormatInt(wh, 10) {
		t.Errorf("selected parent = %q", v)
	}
	// Moving to the top level sends null.
	version := attrOf(r.doc, "version", "value")
	r = b.post(idPath("/locations/", zone), url.Values{"version": {version}, "code": {"A"}, "name": {"Aisle A"},
		"kind": {"zone"}, "parent_id": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", r.status, r.body)
	}
	if _, ok := api.record("locations", zone)["parent_id"]; ok {
		t.Errorf("parent not cleared")
	}
}

func TestSupplierList(t *testing.T) {
	api, b := startCatalogue(t, "viewer")
	id := api.add("suppliers", map[string]any{"name": "Brauerei Muster", "contact_person": "Eva",
		"address": map[string]any{"town": "Luzern", "postal_code": "6003"}, "phone": "041 000 00 00"})
	r := b.get("/suppliers")
	if got := r.text(idPath("supplier-", id)); !strings.Contains(got, "6003 Luzern") || !strings.Contains(got, "Eva") {
		t.Errorf("row = %q", got)
	}
	if r.has("new-record") || r.has("import-link") || !r.has("export-link") {
		t.Errorf("viewer: no new, no import, export yes")
	}
	r = b.get(idPath("/suppliers/", id))
	if r.has("suppliers-form") || r.text("fact-address.town") != "Luzern" {
		t.Errorf("viewer sees %v form, town %q", r.has("suppliers-form"), r.text("fact-address.town"))
	}
	if r := b.get("/import/suppliers"); r.status != http.StatusForbidden {
		t.Errorf("viewer import page = %d", r.status)
	}
}

// postFile posts a multipart import form with the page's CSRF token, as
// the browser's do would a plain form.
func (b *browser) postFile(path string, fields map[string]string, file string) page {
	b.t.Helper()
	return b.postFileChunked(path, fields, file, false)
}

// postFileChunked is postFile; chunked sends the body without a
// Content-Length, so only reading it finds its size.
func (b *browser) postFileChunked(path string, fields map[string]string, file string, chunked bool) page {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("_csrf", b.csrf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "items.csv")
		_, _ = fw.Write([]byte(file))
	}
	mw.Close()
	var reader io.Reader = &body
	if chunked {
		reader = io.MultiReader(&body) // no Len: the client cannot tell the size
	}
	req, err := http.NewRequest(http.MethodPost, b.web.url+path, reader)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	p := page{response: response{status: resp.StatusCode, header: resp.Header, body: string(raw)}}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.doc = pageDoc(b.t, p.response)
	}
	return p
}

func TestImportTwoSteps(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	r := b.get("/import/items")
	if r.status != http.StatusOK || !r.has("import-form") {
		t.Fatalf("import page = %d", r.status)
	}
	// No file: said beside the field.
	r = b.postFile("/import/items", map[string]string{"step": "check"}, "")
	if r.status != http.StatusUnprocessableEntity || r.text("error-import-file") != "Choose a CSV file." {
		t.Errorf("no file = %d %q", r.status, r.text("error-import-file"))
	}
	// A file with errors: the api's report line by line, nothing written.
	r = b.postFile("/import/items", map[string]string{"step": "check"}, "sku,name\nbad,\n")
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`[data-testid="import-problems"] tbody tr`).Length() != 3 {
		t.Fatalf("problems = %d\n%s", r.status, r.body)
	}
	cells := func(testID string) string {
		var out []string
		r.doc.Find(`[data-testid="` + testID + `"] td`).Each(func(_ int, td *goquery.Selection) {
			out = append(out, strings.TrimSpace(td.Text()))
		})
		return strings.Join(out, " | ")
	}
	if got := cells("problem-1"); got != "2 | sku | This field is required." {
		t.Errorf("problem 1 = %q", got)
	}
	if got := cells("problem-2"); got != "2 | ean_unit | Enter a valid EAN (8, 12, 13 or 14 digits with check digit)." {
		t.Errorf("problem 2 = %q", got)
	}
	if got := cells("problem-3"); got != "3 | whole line | This line has 3 cells but the header has 2." {
		t.Errorf("problem 3 = %q", got)
	}
	if r.has("import-write") {
		t.Errorf("a file with problems is offered for import")
	}
	// A good file: checked (dry run), then written from the carried copy.
	csv := "sku,name\nA-1,Lager\n"
	r = b.postFile("/import/items", map[string]string{"step": "check"}, csv)
	if r.status != http.StatusOK || !strings.Contains(r.text("import-ready"), "2 rows: 1 new, 1 changed, 0 unchanged.") {
		t.Fatalf("check = %d %q", r.status, r.text("import-ready"))
	}
	carry, _ := r.doc.Find(`input[name="carry"]`).Attr("value")
	r = b.postFile("/import/items", map[string]string{"step": "write", "carry": carry, "filename": "items.csv"}, "")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/items" {
		t.Fatalf("write = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	done := api.importsDone()
	if len(done) != 3 || !done[1].dry || done[2].dry || done[2].body != csv {
		t.Errorf("imports = %+v", done)
	}
	if got := b.get("/items").text("flash"); got != "Imported. 2 rows: 1 new, 1 changed, 0 unchanged." {
		t.Errorf("flash = %q", got)
	}
	if r := b.get("/import/users"); r.status != http.StatusNotFound {
		t.Errorf("unknown kind = %d", r.status)
	}
}

// A German page says what the api's report says, by each problem's code
// and parameters: the EAN's check digit, the cells a line has.
func TestImportReportInGerman(t *testing.T) {
	_, b := startCatalogue(t, "manager")
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"}
	r := b.postFile("/import/items", map[string]string{"step": "check"}, "sku,name\nbad,\n")
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("problems = %d\n%s", r.status, r.body)
	}
	for testID, want := range map[string]string{
		"problem-1": "Dieses Feld ist erforderlich.",
		"problem-2": "Geben Sie eine gültige EAN ein (8, 12, 13 oder 14 Ziffern mit Prüfziffer).",
		"problem-3": "Diese Zeile hat 3 Zellen, die Kopfzeile aber 2.",
	} {
		if got := strings.TrimSpace(r.doc.Find(`[data-testid="` + testID + `"] td`).Last().Text()); got != want {
			t.Errorf("%s = %q, want %q", testID, got, want)
		}
	}
	// A German file's problems name its columns as its header does, not by the api's names.
	r = b.postFile("/import/items", map[string]string{"step": "check"}, "Artikelnummer;EAN Einheit\nbad;\n")
	for testID, want := range map[string]string{"problem-1": "Artikelnummer", "problem-2": "EAN Einheit"} {
		if got := strings.TrimSpace(r.doc.Find(`[data-testid="` + testID + `"] td`).Eq(1).Text()); got != want {
			t.Errorf("%s column = %q, want %q", testID, got, want)
		}
	}
	if got := strings.TrimSpace(r.doc.Find(`[data-testid="problem-1"] td`).Last().Text()); got != "Dieses Feld ist erforderlich." {
		t.Errorf("message by the field's code = %q", got)
	}
}

// TestCatalogueFormsLabelled renders every kind's form in both languages
// for a manager: every field and group has a text (a missing label is a key
// missing from the texts).
func TestCatalogueFormsLabelled(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		p := views.Page{Lang: lang, Msg: i18n.For(lang), Person: &views.Person{Role: "manager", Perms: rolestest.Of("manager")}}
		for _, k := range []*catKind{categoryKind(), supplierKind(), customerKind(), locationKind()} {
			who := SignedIn{Perms: rolestest.Of("manager")}
			names := map[string]bool{}
			for _, f := range k.fields(who) {
				names[f] = true
			}
			for _, sec := range k.sections(p, catOptions{}) {
				if sec.Legend == "" {
					t.Errorf("%s %s: a group without legend", lang, k.kind)
				}
				for _, f := range sec.Fields {
					if f.Label == "" {
						t.Errorf("%s %s: field %s has no label", lang, k.kind, f.Name)
					}
					if !names[f.Name] {
						t.Errorf("%s %s: field %s is shown but not sent", lang, k.kind, f.Name)
					}
					delete(names, f.Name)
				}
			}
			for name := range names {
				t.Errorf("%s %s: field %s is sent but not shown", lang, k.kind, name)
			}
		}
	}
}

// TestMasterDataCreateAndEdit creates and then changes a record of every
// master data kind through its forms.
func TestMasterDataCreateAndEdit(t *testing.T) {
	for _, tc := range []struct {
		kind   string
		create url.Values
		change string // a field changed on edit
		value  string
	}{
		{"categories", url.Values{"name": {"Water"}}, "name", "Mineral water"},
		{"suppliers", url.Values{"name": {"Quelle AG"}, "payment_terms_days": {"30"}, "address.town": {"Zug"},
			"address.country": {"CH"}}, "contact_person", "Urs"},
		{"customers", url.Values{"name": {"Bar Mond"}, "payment_terms_days": {"10"}, "currency": {"CHF"},
			"billing_address.postal_code": {"8001"}, "billing_address.town": {"Zürich"}, "billing_address.country": {"CH"}},
			"phone", "044 000 00 00"},
		{"locations", url.Values{"code": {"WH2"}, "name": {"Second"}, "kind": {"warehouse"}}, "name", "Second house"},
	} {
		t.Run(tc.kind, func(t *testing.T) {
			api, b := startCatalogue(t, "manager")
			r := b.get("/" + tc.kind + "/new")
			if r.status != http.StatusOK {
				t.Fatalf("new form = %d", r.status)
			}
			key, _ := r.doc.Find(`input[name="_idempotency_key"]`).Attr("value")
			form := url.Values{"_idempotency_key": {key}}
			// Start from the form's own defaults, as a browser would.
			r.doc.Find(`form[data-testid="` + tc.kind + `-form"] input[type!="hidden"], form select`).Each(func(_ int, s *goquery.Selection) {
				name, _ := s.Attr("name")
				if v, ok := s.Attr("value"); ok && name != "" {
					form.Set(name, v)
				}
			})
			for k, v := range tc.create {
				form[k] = v
			}
			r = b.post("/"+tc.kind, form)
			if r.status != http.StatusSeeOther {
				t.Fatalf("create = %d\n%s", r.status, r.body)
			}
			loc := r.header.Get("Location")
			id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/"+tc.kind+"/"), 10, 64)
			if api.record(tc.kind, id)["id"] == nil {
				t.Fatalf("nothing created at %s", loc)
			}
			page := b.get(loc)
			version := attrOf(page.doc, "version", "value")
			edit := url.Values{"version": {version}}
			for k, v := range form {
				if k != "_idempotency_key" && k != "_csrf" {
					edit[k] = v
				}
			}
			edit.Set(tc.change, tc.value)
			r = b.post(loc, edit)
			if r.status != http.StatusSeeOther || r.header.Get("Location") != loc {
				t.Fatalf("edit = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
			}
			if got := api.record(tc.kind, id)[tc.change]; got != tc.value {
				t.Errorf("%s = %v, want %q", tc.change, got, tc.value)
			}
			if !strings.Contains(b.get(loc).text("flash"), "was saved.") {
				t.Errorf("no saved message")
			}
		})
	}
}

// TestFormBody: on create an empty optional value is left out, on change
// it is null; a field the form does not have is never sent; numbers and
// amounts are read the Swiss way, and one that is not is noted beside its
// field.
func TestFormBody(t *testing.T) {
	type body struct {
		Name  *string                   `json:"name,omitempty"`
		Ean   nullable.Nullable[string] `json:"ean,omitempty"`
		N     *int64                    `json:"n,omitempty"`
		Size  nullable.Nullable[int]    `json:"size,omitempty"`
		Price *string                   `json:"price,omitempty"`
		Pkg   nullable.Nullable[string] `json:"pkg,omitempty"`
		OK    *bool                     `json:"ok,omitempty"`
		A     *apiclient.Address        `json:"a,omitempty"`
		Gone  nullable.Nullable[string] `json:"gone,omitempty"`
	}
	build := func(b *formBody) body {
		a := b.address("a")
		return body{Name: b.text("name"), Ean: optText[string](b, "ean"), N: whole[int64](b, "n"),
			Size: optWhole[int](b, "size"), Price: b.amount("price"), Pkg: optAmount(b, "pkg"), OK: b.check("ok"),
			A: &a, Gone: optText[string](b, "gone")}
	}
	tt := i18n.Catalogue(i18n.English)
	values := map[string]string{"name": "", "ean": "", "n": "1’200", "size": "", "price": "1’234,5", "pkg": "",
		"ok": "1", "a.town": "Bern", "a.country": ""}
	asJSON := func(v any) any {
		raw, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	parse := func(s string) any {
		var out any
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	b := newFormBody(values, true, tt)
	got := asJSON(build(b))
	want := parse(`{"a":{"town":"Bern"},"n":1200,"name":"","ok":true,"price":"1234.5"}`)
	if diff := cmp.Diff(want, got); diff != "" || b.failed() {
		t.Errorf("create (-want +got):\n%s%v", diff, b.local)
	}
	b = newFormBody(values, false, tt)
	got = asJSON(build(b))
	want = parse(`{"a":{"town":"Bern"},"ean":null,"n":1200,"name":"","ok":true,"pkg":null,"price":"1234.5","size":null}`)
	if diff := cmp.Diff(want, got); diff != "" || b.failed() {
		t.Errorf("change (-want +got):\n%s%v", diff, b.local)
	}
	values["n"], values["price"], values["size"], values["pkg"] = "twelve", "1.2.3", "3.5", "x"
	b = newFormBody(values, false, tt)
	got = asJSON(build(b))
	want = map[string]any{"a": map[string]any{"town": "Bern"}, "ean": nil, "name": "", "ok": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("unreadable values are sent (-want +got):\n%s", diff)
	}
	wantLocal := map[string]string{"n": tt.LocalNumber, "price": tt.LocalDecimal, "size": tt.LocalNumber, "pkg": tt.LocalDecimal}
	if diff := cmp.Diff(wantLocal, b.local); diff != "" {
		t.Errorf("local (-want +got):\n%s", diff)
	}
}
