package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// link returns the fake api's link of item to supplier (nil when none).
func (a *catalogueAPI) link(item, supplier int64) map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range a.links[item] {
		if l["supplier_id"] == supplier {
			out := map[string]any{}
			for k, v := range l {
				out[k] = v
			}
			return out
		}
	}
	return nil
}

func (a *catalogueAPI) linkCount(item int64) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.links[item])
}

func TestItemSupplierAddEditRemove(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	item := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager 33cl"})
	huber := api.add("suppliers", map[string]any{"name": "Getränke Huber"})
	api.add("suppliers", map[string]any{"name": "Mineralquelle AG"})
	path := idPath("/items/", item)
	sid := strconv.FormatInt(huber, 10)

	r := b.get(path)
	if !r.has("item-supplier-form") || !r.has("supplier-edit") || !r.has("supplier-remove") {
		t.Fatalf("a manager gets no supplier controls:\n%s", r.doc.Find(`[data-testid="item-suppliers"]`).Text())
	}
	if got, _ := r.doc.Find(`#itemsupplier-supplier`).Attr("data-supplier-lookup"); got != "/items/suppliers/lookup" {
		t.Errorf("lookup URL = %q", got)
	}

	// Typed in other case: the one supplier of that name.
	add := url.Values{"supplier": {"getränke huber"}, "supplier_sku": {"GH-1"}, "price": {"0.80"}, "lead_time_days": {"2"}}
	r = b.post(path+"/suppliers", add)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), path) {
		t.Fatalf("add = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	l := api.link(item, huber)
	if l == nil || l["supplier_sku"] != "GH-1" || l["price"] != "0.80" || l["lead_time_days"] != float64(2) {
		t.Fatalf("link after add = %v", l)
	}
	page := b.get(path)
	if got := page.text("flash"); got != "Getränke Huber is recorded as a supplier of this item." {
		t.Errorf("flash = %q", got)
	}
	row := page.doc.Find(`[data-testid="item-supplier-` + sid + `"]`)
	if !strings.Contains(row.Text(), "GH-1") || !strings.Contains(row.Text(), "2 days") {
		t.Errorf("row = %q", strings.Join(strings.Fields(row.Text()), " "))
	}

	// The same form sent twice records one link (PUT), and the second
	// submit leaves it as it was.
	b.post(path+"/suppliers", add)
	if n := api.linkCount(item); n != 2 { // the default supplier 77 and Huber
		t.Errorf("links after a double submit = %d, want 2", n)
	}
	if n := api.callCount("PUT /api/v1/items/" + strconv.FormatInt(item, 10) + "/suppliers/" + sid); n != 2 {
		t.Errorf("PUT calls = %d", n)
	}

	// Edit: the form shows the link's values; emptied price and lead time
	// are cleared (sent as null).
	r = b.get(path + "/suppliers/" + sid + "/edit")
	if r.status != http.StatusOK {
		t.Fatalf("edit form = %d", r.status)
	}
	for id, want := range map[string]string{"itemsupplier-supplier_sku": "GH-1", "itemsupplier-price": "0.80", "itemsupplier-lead_time_days": "2"} {
		if got, _ := r.doc.Find("#" + id).Attr("value"); got != want {
			t.Errorf("edit form %s = %q, want %q", id, got, want)
		}
	}
	if r.has("field-itemsupplier-supplier") {
		t.Errorf("the edit form offers to change the supplier itself")
	}
	r = b.post(path+"/suppliers/"+sid, url.Values{"supplier_sku": {"GH-2"}, "price": {""}, "lead_time_days": {""}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", r.status, r.body)
	}
	l = api.link(item, huber)
	if _, has := l["price"]; l["supplier_sku"] != "GH-2" || has || l["lead_time_days"] != nil {
		t.Errorf("link after edit = %v", l)
	}

	// Remove, then remove again (a second click): both end on the item.
	r = b.post(path+"/suppliers/"+sid+"/remove", url.Values{"name": {"Getränke Huber"}})
	if r.status != http.StatusSeeOther || api.link(item, huber) != nil {
		t.Fatalf("remove = %d, link %v", r.status, api.link(item, huber))
	}
	page = b.get(path)
	if got := page.text("flash"); got != "Getränke Huber is no longer a supplier of this item." || page.has("item-supplier-"+sid) {
		t.Errorf("after remove: flash %q, row still there %v", got, page.has("item-supplier-"+sid))
	}
	if r := b.post(path+"/suppliers/"+sid+"/remove", url.Values{"name": {"Getränke Huber"}}); r.status != http.StatusSeeOther {
		t.Errorf("second remove = %d", r.status)
	}
	// Editing a link that is gone says so instead of adding it again.
	r = b.post(path+"/suppliers/"+sid, url.Values{"supplier_sku": {"X"}})
	if r.status != http.StatusSeeOther || api.link(item, huber) != nil {
		t.Errorf("save of a removed link = %d, link %v", r.status, api.link(item, huber))
	}
	if got := b.get(path).text("flash"); got != "This supplier is no longer linked to the item." {
		t.Errorf("flash = %q", got)
	}
}

func TestItemSupplierResolvesTypedSupplier(t *testing.T) {
	api, b := startCatalogue(t, "admin")
	item := api.add("items", map[string]any{"sku": "IPA", "name": "IPA 50cl"})
	h1 := api.add("suppliers", map[string]any{"name": "Huber Getränke", "address": map[string]any{"town": "Bern"}})
	h2 := api.add("suppliers", map[string]any{"name": "Huber Weine"})
	alone := api.add("suppliers", map[string]any{"name": "Quellwasser AG"})
	path := idPath("/items/", item)
	b.get(path)

	// Several match: the form comes back with them to choose from, the
	// typed values kept, and nothing recorded.
	r := b.post(path+"/suppliers", url.Values{"supplier": {"huber"}, "supplier_sku": {"H-9"}, "price": {"1.10"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous add = %d", r.status)
	}
	if got := r.text("error-itemsupplier-supplier"); got != "Several suppliers match “huber”. Choose one:" {
		t.Errorf("message beside the field = %q", got)
	}
	for _, id := range []int64{h1, h2} {
		if !r.has("supplier-candidate-" + strconv.FormatInt(id, 10)) {
			t.Errorf("candidate %d missing", id)
		}
	}
	if label := r.doc.Find(`[data-testid="supplier-candidates"]`).Text(); !strings.Contains(label, "Huber Getränke, Bern (#"+strconv.FormatInt(h1, 10)+")") {
		t.Errorf("candidates = %q", label)
	}
	if got, _ := r.doc.Find("#itemsupplier-supplier_sku").Attr("value"); got != "H-9" {
		t.Errorf("typed SKU lost: %q", got)
	}
	if r.doc.Find(`input[type="hidden"][name="supplier_id"]`).Length() != 0 {
		t.Errorf("a hidden supplier_id competes with the candidates")
	}
	if api.linkCount(item) != 0 && api.link(item, h1) != nil {
		t.Errorf("an ambiguous add recorded a link")
	}
	// Choosing one records it.
	r = b.post(path+"/suppliers", url.Values{"supplier": {"huber"}, "supplier_id": {strconv.FormatInt(h2, 10)}, "supplier_sku": {"H-9"}})
	if r.status != http.StatusSeeOther || api.link(item, h2) == nil || api.link(item, h1) != nil {
		t.Fatalf("chosen add = %d; h1 %v h2 %v", r.status, api.link(item, h1), api.link(item, h2))
	}

	// Unknown: a message beside the field, no candidates.
	r = b.post(path+"/suppliers", url.Values{"supplier": {"Nobody"}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-itemsupplier-supplier") != "No active supplier matches “Nobody”." || r.has("supplier-candidates") {
		t.Errorf("unknown = %d %q", r.status, r.text("error-itemsupplier-supplier"))
	}
	// Empty: asked for.
	r = b.post(path+"/suppliers", url.Values{"supplier": {" "}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-itemsupplier-supplier") != "Enter a supplier’s name or #number." {
		t.Errorf("empty = %d %q", r.status, r.text("error-itemsupplier-supplier"))
	}
	// Only an id that is gone (the supplier deleted meanwhile): asked for
	// again, no search for nothing.
	searches := api.callCount("GET /api/v1/suppliers")
	r = b.post(path+"/suppliers", url.Values{"supplier": {""}, "supplier_id": {"999"}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-itemsupplier-supplier") != "Enter a supplier’s name or #number." || r.has("supplier-candidates") {
		t.Errorf("gone id = %d %q", r.status, r.text("error-itemsupplier-supplier"))
	}
	if api.callCount("GET /api/v1/suppliers") != searches {
		t.Errorf("an empty text was searched for")
	}
	// A number, and a part of a name that finds one supplier only.
	if r := b.post(path+"/suppliers", url.Values{"supplier": {"#" + strconv.FormatInt(h1, 10)}}); r.status != http.StatusSeeOther || api.link(item, h1) == nil {
		t.Errorf("by number = %d", r.status)
	}
	if r := b.post(path+"/suppliers", url.Values{"supplier": {"quell"}}); r.status != http.StatusSeeOther || api.link(item, alone) == nil {
		t.Errorf("by a part of the name = %d", r.status)
	}

	// The suggestions items.js asks for while one types.
	r = b.get("/items/suppliers/lookup?q=huber")
	opts := r.doc.Find(`datalist#itemsupplier-suggestions option`)
	if r.status != http.StatusOK || opts.Length() != 2 {
		t.Fatalf("lookup = %d with %d options\n%s", r.status, opts.Length(), r.body)
	}
	if v, _ := opts.First().Attr("value"); v != "Huber Getränke" {
		t.Errorf("first suggestion = %q", v)
	}
	if id, _ := opts.First().Attr("data-id"); id != strconv.FormatInt(h1, 10) {
		t.Errorf("first suggestion's id = %q", id)
	}
	if q, _ := url.ParseQuery(api.lastQuery("suppliers")); q.Get("q") != "huber" || q.Get("limit") != "10" {
		t.Errorf("lookup asked the api %q", api.lastQuery("suppliers"))
	}
}

func TestItemSupplierFieldErrors(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	item := api.add("items", map[string]any{"sku": "S", "name": "Soda"})
	sp := api.add("suppliers", map[string]any{"name": "Sodawerk"})
	gone := api.add("suppliers", map[string]any{"name": "Altlieferant", "archived": true})
	path := idPath("/items/", item)
	b.get(path)

	// The api's 422: its message beside the field, the values kept.
	r := b.post(path+"/suppliers", url.Values{"supplier": {"Sodawerk"}, "supplier_sku": {"SW-1"}, "lead_time_days": {"400"}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("lead time 400 = %d", r.status)
	}
	if got := r.text("error-itemsupplier-lead_time_days"); got != "Enter a value from 0 to 365." {
		t.Errorf("message beside lead time = %q", got)
	}
	if got, _ := r.doc.Find("#itemsupplier-lead_time_days").Attr("aria-invalid"); got != "true" {
		t.Errorf("lead time not marked invalid")
	}
	if got, _ := r.doc.Find("#itemsupplier-supplier").Attr("value"); got != "Sodawerk" {
		t.Errorf("supplier field = %q", got)
	}
	if got, _ := r.doc.Find(`input[name="supplier_id"]`).Attr("value"); got != strconv.FormatInt(sp, 10) {
		t.Errorf("the resolved supplier is not kept: %q", got)
	}
	if r.text("item-supplier-error") == "" || api.link(item, sp) != nil {
		t.Errorf("form error %q, link %v", r.text("item-supplier-error"), api.link(item, sp))
	}

	// The api's refusal of the supplier itself stands beside the supplier.
	r = b.post(path+"/suppliers", url.Values{"supplier": {"Altlieferant"}, "supplier_id": {strconv.FormatInt(gone, 10)}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-itemsupplier-supplier") != "This record is archived." {
		t.Errorf("archived supplier = %d %q", r.status, r.text("error-itemsupplier-supplier"))
	}

	// Not an amount: said without asking the api, in German too.
	b.german()
	puts := api.callCount("PUT /api/v1/items/" + strconv.FormatInt(item, 10) + "/suppliers/" + strconv.FormatInt(sp, 10))
	r = b.post(path+"/suppliers", url.Values{"supplier": {"Sodawerk"}, "price": {"zwölf"}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-itemsupplier-price") != "Geben Sie einen Betrag wie 12.50 ein." {
		t.Errorf("price zwölf = %d %q", r.status, r.text("error-itemsupplier-price"))
	}
	if n := api.callCount("PUT /api/v1/items/" + strconv.FormatInt(item, 10) + "/suppliers/" + strconv.FormatInt(sp, 10)); n != puts {
		t.Errorf("a local error was sent to the api")
	}
	if got := r.doc.Find("h1").Text(); got != "Lieferant zu Soda hinzufügen" {
		t.Errorf("German title = %q", got)
	}
}

func TestItemSupplierReadOnlyRoles(t *testing.T) {
	for _, role := range []string{"viewer", "clerk"} {
		t.Run(role, func(t *testing.T) {
			api, b := startCatalogue(t, role)
			item := api.add("items", map[string]any{"sku": "S", "name": "Soda"})
			sp := api.add("suppliers", map[string]any{"name": "Sodawerk"})
			path := idPath("/items/", item)
			r := b.get(path)
			if !r.has("item-supplier-77") {
				t.Fatalf("the suppliers are not listed")
			}
			for _, id := range []string{"item-supplier-form", "supplier-edit", "supplier-remove"} {
				if r.has(id) {
					t.Errorf("a %s sees %s", role, id)
				}
			}
			if r.doc.Find(`[data-testid="item-suppliers"] th`).Length() != 4 {
				t.Errorf("a %s gets an actions column", role)
			}
			// Posting anyway: the site's "not permitted" page, nothing asked
			// of the api.
			for _, post := range []string{"/suppliers", "/suppliers/77", "/suppliers/77/remove"} {
				r := b.post(path+post, url.Values{"supplier": {"Sodawerk"}, "supplier_sku": {"X"}})
				if r.status != http.StatusForbidden || !strings.Contains(r.body, "Your role does not allow this.") {
					t.Errorf("%s POST %s = %d", role, post, r.status)
				}
			}
			for _, get := range []string{path + "/suppliers/77/edit", "/items/suppliers/lookup?q=soda"} {
				if r := b.get(get); r.status != http.StatusForbidden {
					t.Errorf("%s GET %s = %d", role, get, r.status)
				}
			}
			items := "/api/v1/items/" + strconv.FormatInt(item, 10) + "/suppliers/"
			if api.callCount("PUT "+items+strconv.FormatInt(sp, 10))+api.callCount("PUT "+items+"77")+api.callCount("DELETE "+items+"77") != 0 {
				t.Errorf("a %s's post reached the api", role)
			}
		})
	}
}

// The api is the authority: should it refuse a manager (a role changed
// meanwhile), the page says "not permitted".
func TestItemSupplierForbiddenByAPI(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	item := api.add("items", map[string]any{"sku": "S", "name": "Soda"})
	api.set(func(f *fakeAPI) { f.forbid["DELETE /api/v1/items/"+strconv.FormatInt(item, 10)+"/suppliers/77"] = true })
	b.get(idPath("/items/", item))
	r := b.post(idPath("/items/", item)+"/suppliers/77/remove", url.Values{"name": {"Brauerei Muster"}})
	if r.status != http.StatusForbidden || !strings.Contains(r.body, "Not permitted") {
		t.Errorf("forbidden remove = %d", r.status)
	}
}
