package handlers

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// supplierListCalls counts the supplier searches and lists the web asked
// of the api (not the look-ups of one supplier by id).
func supplierListCalls(api *catalogueAPI) int { return api.callCount("GET /api/v1/suppliers") }

// itemForm is a create or edit form of an item as a browser would post it,
// with the typed preferred supplier and the hidden id beside it.
func itemForm(name, supplier, supplierID string) url.Values {
	return url.Values{"sku": {"LAG-33"}, "name": {name}, "base_unit": {"bottle"}, "sales_price_unit": {"1.50"},
		"vat_rate": {"8.1"}, "currency": {"CHF"}, "preferred_supplier": {supplier}, "preferred_supplier_id": {supplierID}}
}

func itemCreated(t *testing.T, r page) int64 {
	t.Helper()
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/items/") {
		t.Fatalf("create = %d %s\n%s", r.status, r.header.Get("Location"), r.body)
	}
	id, err := strconv.ParseInt(strings.TrimPrefix(r.header.Get("Location"), "/items/"), 10, 64)
	if err != nil {
		t.Fatalf("created at %q", r.header.Get("Location"))
	}
	return id
}

func TestItemFormPreferredSupplierCreate(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	muster := api.add("suppliers", map[string]any{"name": "Brauerei Muster"})
	h1 := api.add("suppliers", map[string]any{"name": "Huber Getränke", "address": map[string]any{"town": "Bern"}})
	h2 := api.add("suppliers", map[string]any{"name": "Huber Weine"})
	h2s := strconv.FormatInt(h2, 10)

	// The form page: a typed field with suggestions, no list of suppliers.
	r := b.get("/items/new")
	if r.status != http.StatusOK {
		t.Fatalf("new form = %d", r.status)
	}
	if n := supplierListCalls(api); n != 0 {
		t.Errorf("the form page asked for the supplier list %d times", n)
	}
	in := r.doc.Find("#item-preferred_supplier")
	if typ, _ := in.Attr("type"); typ != "text" || in.AttrOr("data-supplier-lookup", "") != "/items/suppliers/lookup" ||
		in.AttrOr("list", "") != "item-preferred_supplier-suggestions" {
		t.Errorf("preferred supplier field: type %q lookup %q list %q", typ, in.AttrOr("data-supplier-lookup", ""), in.AttrOr("list", ""))
	}
	if _, required := in.Attr("required"); required {
		t.Errorf("the preferred supplier is required")
	}
	if r.doc.Find("datalist#item-preferred_supplier-suggestions").Length() != 1 ||
		r.doc.Find(`input[type="hidden"][name="preferred_supplier_id"][data-supplier-id]`).Length() != 1 {
		t.Errorf("no datalist or hidden id for the script")
	}
	if r.doc.Find("select#item-preferred_supplier_id").Length() != 0 {
		t.Errorf("the form still has a supplier select")
	}
	if r.doc.Find(`script[src*="items"]`).Length() != 1 {
		t.Errorf("items.js is not loaded for the lookup")
	}
	// The lookup answers without an item.
	look := b.get("/items/suppliers/lookup?q=huber")
	if look.status != http.StatusOK || look.doc.Find("datalist option").Length() != 2 {
		t.Errorf("lookup = %d with %d options", look.status, look.doc.Find("datalist option").Length())
	}

	// Several match: they come back to choose from, beside the field, the
	// other values kept and nothing created.
	posts := api.callCount("POST /api/v1/items")
	form := itemForm("Lager 33cl", "huber", "")
	form.Set("_idempotency_key", uuid.NewString())
	r = b.post("/items", form)
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("ambiguous = %d", r.status)
	}
	if got := r.text("error-item-preferred_supplier"); got != "Several suppliers match “huber”. Choose one:" {
		t.Errorf("message beside the field = %q", got)
	}
	for _, id := range []int64{h1, h2} {
		sid := strconv.FormatInt(id, 10)
		if r.doc.Find(`input[type="radio"][name="preferred_supplier_id"][value="`+sid+`"]`).Length() != 1 {
			t.Errorf("candidate %s missing", sid)
		}
	}
	if r.doc.Find(`input[type="hidden"][name="preferred_supplier_id"]`).Length() != 0 {
		t.Errorf("a hidden id competes with the candidates")
	}
	if r.doc.Find("#item-name").AttrOr("value", "") != "Lager 33cl" || r.doc.Find("#item-preferred_supplier").AttrOr("value", "") != "huber" {
		t.Errorf("typed values lost")
	}
	if api.callCount("POST /api/v1/items") != posts {
		t.Errorf("an ambiguous supplier reached the api")
	}

	// None match: a message beside the field, no candidates.
	form.Set("preferred_supplier", "Nobody")
	r = b.post("/items", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-item-preferred_supplier") != "No active supplier matches “Nobody”." ||
		r.has("supplier-candidates") {
		t.Errorf("unknown = %d %q", r.status, r.text("error-item-preferred_supplier"))
	}
	// With another field's error too, both stand beside their fields.
	form.Set("package_size", "many")
	b.german()
	r = b.post("/items", form)
	if r.text("error-item-package_size") != "Geben Sie eine ganze Zahl ein." ||
		r.text("error-item-preferred_supplier") != "Kein aktiver Lieferant passt zu «Nobody»." {
		t.Errorf("German: package size %q, supplier %q", r.text("error-item-package_size"), r.text("error-item-preferred_supplier"))
	}
	if api.callCount("POST /api/v1/items") != posts {
		t.Errorf("a refused form reached the api")
	}
	delete(b.cookies, cookieLang)
	form.Del("package_size")

	// A chosen candidate is recorded.
	form.Set("preferred_supplier", "huber")
	form.Set("preferred_supplier_id", h2s)
	rec := api.record("items", itemCreated(t, b.post("/items", form)))
	if rec["preferred_supplier_id"] != float64(h2) {
		t.Errorf("chosen candidate: preferred %v, want %d", rec["preferred_supplier_id"], h2)
	}

	// One match (a part of the name, any case), and a #number.
	for typed, want := range map[string]int64{"MUSTER": muster, "#" + strconv.FormatInt(h1, 10): h1} {
		form = itemForm("Lager "+typed, typed, "")
		form.Set("_idempotency_key", uuid.NewString())
		rec = api.record("items", itemCreated(t, b.post("/items", form)))
		if rec["preferred_supplier_id"] != float64(want) {
			t.Errorf("%q: preferred %v, want %d", typed, rec["preferred_supplier_id"], want)
		}
	}

	// Empty: no preferred supplier, whatever hidden id came along.
	form = itemForm("Lager ohne", "", h2s)
	form.Set("_idempotency_key", uuid.NewString())
	searches := supplierListCalls(api)
	rec = api.record("items", itemCreated(t, b.post("/items", form)))
	if _, has := rec["preferred_supplier_id"]; has {
		t.Errorf("empty field sent a preferred supplier: %v", rec["preferred_supplier_id"])
	}
	if supplierListCalls(api) != searches {
		t.Errorf("an empty supplier was searched for")
	}
}

func TestItemFormPreferredSupplierEdit(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	muster := api.add("suppliers", map[string]any{"name": "Brauerei Muster"})
	api.add("suppliers", map[string]any{"name": "Huber Weine"})
	twin := api.add("suppliers", map[string]any{"name": "Huber Weine", "address": map[string]any{"town": "Chur"}})
	twins := strconv.FormatInt(twin, 10)
	id := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager", "preferred_supplier_id": twin})
	path := idPath("/items/", id)

	// The form shows the supplier's name with its id beside it; no list.
	r := b.get(path + "/edit")
	if r.status != http.StatusOK {
		t.Fatalf("edit form = %d", r.status)
	}
	if got := r.doc.Find("#item-preferred_supplier").AttrOr("value", ""); got != "Huber Weine" {
		t.Errorf("preferred supplier shown as %q", got)
	}
	if got := r.doc.Find(`input[type="hidden"][name="preferred_supplier_id"]`).AttrOr("value", ""); got != twins {
		t.Errorf("hidden id = %q, want %s", got, twins)
	}
	if n := supplierListCalls(api); n != 0 {
		t.Errorf("the edit form asked for the supplier list %d times", n)
	}
	version := attrOf(r.doc, "version", "value")
	save := func(supplier, supplierID string) page {
		form := itemForm("Lager hell", supplier, supplierID)
		form.Set("version", version)
		r := b.post(path, form)
		if r.status == http.StatusSeeOther {
			version = attrOf(b.get(path+"/edit").doc, "version", "value")
		}
		return r
	}
	preferred := func() any { return api.record("items", id)["preferred_supplier_id"] }

	// Unchanged: kept, though another supplier has the same name.
	if r := save("Huber Weine", twins); r.status != http.StatusSeeOther || preferred() != float64(twin) {
		t.Fatalf("unchanged save = %d, preferred %v", r.status, preferred())
	}
	// Typed over without script (the hidden id still the old one): the
	// text wins.
	if r := save("Brauerei Muster", twins); r.status != http.StatusSeeOther || preferred() != float64(muster) {
		t.Fatalf("retyped save = %d, preferred %v", r.status, preferred())
	}
	// A text that matches several, with a stale id that is none of them:
	// the candidates, not the stale id.
	r = save("huber", strconv.FormatInt(muster, 10))
	if r.status != http.StatusUnprocessableEntity || !r.has("supplier-candidates") ||
		r.text("error-item-preferred_supplier") != "Several suppliers match “huber”. Choose one:" {
		t.Errorf("ambiguous save = %d %q", r.status, r.text("error-item-preferred_supplier"))
	}
	if got := r.doc.Find(`[data-testid="supplier-candidates"]`).Text(); !strings.Contains(got, "Huber Weine, Chur (#"+twins+")") {
		t.Errorf("candidates = %q", got)
	}
	if r.doc.Find("#item-name").AttrOr("value", "") != "Lager hell" || attrOf(r.doc, "version", "value") != version {
		t.Errorf("typed values or version lost")
	}
	// None.
	r = save("Nobody", "")
	if r.status != http.StatusUnprocessableEntity || r.text("error-item-preferred_supplier") != "No active supplier matches “Nobody”." {
		t.Errorf("unknown save = %d %q", r.status, r.text("error-item-preferred_supplier"))
	}
	if preferred() != float64(muster) {
		t.Errorf("a refused save changed the preferred supplier: %v", preferred())
	}
	// Emptied (the hidden id left as rendered): cleared.
	if r := save("", strconv.FormatInt(muster, 10)); r.status != http.StatusSeeOther {
		t.Fatalf("emptied save = %d\n%s", r.status, r.body)
	}
	if _, has := api.record("items", id)["preferred_supplier_id"]; has {
		t.Errorf("an emptied preferred supplier is not cleared: %v", preferred())
	}
	// Searched: the retyped, the ambiguous and the unknown text; the
	// unchanged and the emptied field were not.
	if n := supplierListCalls(api); n != 3 {
		t.Errorf("%d supplier searches, want 3", n)
	}
}
