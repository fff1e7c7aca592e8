package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// partnerListCallsOf counts the calls that list (or search) suppliers and
// customers.
func partnerListCallsOf(api *ledgerAPI) (int, int) {
	return api.callCount("GET /api/v1/suppliers"), api.callCount("GET /api/v1/customers")
}

// The forms ask the api for no list of suppliers or customers: the partner
// is typed. The "receive" link of a low item still names its preferred
// supplier, read by id.
func TestMovementFormsListNoPartners(t *testing.T) {
	api, b := startLedger(t, "clerk")
	api.lm.Lock()
	api.items[1]["preferred_supplier_id"] = 5
	api.lm.Unlock()
	for _, path := range []string{"/movements/new/issue?item_id=1", "/movements/new/return?item_id=1",
		"/movements/new/receipt", "/movements/new/receipt?item_id=2"} {
		if p := b.get(path); p.status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, p.status)
		}
	}
	if s, c := partnerListCallsOf(api); s != 0 || c != 0 {
		t.Errorf("the forms listed suppliers %d and customers %d times", s, c)
	}
	p := b.get("/movements/new/receipt?item_id=2")
	form := formOf(t, p, "receipt-form")
	if form.Get("supplier") != "Brauerei Falken" || form.Get("supplier_key") != "s5" || form.Get("lines[0].code") != "WATER-1" || form.Get("lines[0].quantity") != "96" {
		t.Errorf("receive link prefills supplier %q, line %q × %q", form.Get("supplier"), form.Get("lines[0].code"), form.Get("lines[0].quantity"))
	}
	// Booked with the prefilled supplier: its kept key needs no search.
	form.Set("location_id", "1")
	form.Set("action", "book")
	if r := b.post("/movements/new/receipt", form); r.status != http.StatusSeeOther {
		t.Fatalf("receive = %d\n%s", r.status, r.body)
	}
	if got := toInt(api.receipts[0]["supplier_id"]); got != 5 {
		t.Errorf("booked supplier = %d, want 5", got)
	}
	if s, _ := partnerListCallsOf(api); s != 0 {
		t.Errorf("an exact supplier was searched %d times", s)
	}
	// Without a preferred supplier the field is empty.
	api.lm.Lock()
	delete(api.items[1], "preferred_supplier_id")
	api.lm.Unlock()
	if got := formOf(t, b.get("/movements/new/receipt?item_id=2"), "receipt-form").Get("supplier"); got != "" {
		t.Errorf("supplier without a preferred one = %q", got)
	}
}

// An issue's customer: one match books, several offer the candidates and
// book nothing, none says so and books nothing; a picked candidate books
// that one, once even when sent twice.
func TestIssueCustomerResolved(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/movements/new/issue?item_id=1")
	form := formOf(t, p, "movement-form")
	key := form.Get("_idempotency_key")
	form.Set("location_id", "1")
	form.Set("quantity", "3")
	form.Set("note", "Fest")

	// Several: the candidates, everything typed kept, nothing booked.
	form.Set("customer", "sonne")
	r := b.post("/movements/new/issue", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-movement-customer") != "Several customers match «sonne»: choose one." {
		t.Fatalf("several = %d %q", r.status, r.text("error-movement-customer"))
	}
	var choices []string
	r.doc.Find(`[data-testid="movement-customer-choices"] input[type="radio"][name="customer_pick"]`).Each(func(_ int, in *goquery.Selection) {
		choices = append(choices, in.AttrOr("value", ""))
	})
	if strings.Join(choices, " | ") != "c9 | c10" {
		t.Errorf("choices = %q", choices)
	}
	// People read the name and the customer number, not the key.
	if got := strings.Join(strings.Fields(r.doc.Find(`[data-testid="movement-customer-choices"] label`).Text()), " "); got != "Restaurant Sonne · 1000 Sonnenhof · 1001" {
		t.Errorf("choice labels = %q", got)
	}
	again := formOf(t, r, "movement-form")
	if again.Get("customer") != "sonne" || again.Get("quantity") != "3" || again.Get("note") != "Fest" ||
		again.Get("location_id") != "1" || again.Get("_idempotency_key") != key {
		t.Errorf("re-rendered form lost values: %v", again)
	}
	// None: said so, no candidates.
	form.Set("customer", "Nirgendwo")
	r = b.post("/movements/new/issue", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-movement-customer") != "No active customer matches «Nirgendwo»." ||
		r.has("movement-customer-choices") {
		t.Errorf("none = %d %q", r.status, r.text("error-movement-customer"))
	}
	if n := api.callCount("POST /api/v1/movements"); n != 0 {
		t.Fatalf("an unresolved customer booked %d times", n)
	}
	// The searches were small ones of customers only.
	for _, q := range api.queriesOf("/api/v1/customers") {
		if (q.Get("q") == "" && q.Get("ids") == "") || q.Get("limit") != "10" || q.Get("archived") != "" {
			t.Errorf("customer search %v, want q and limit 10 of active ones", q)
		}
	}
	if s, _ := partnerListCallsOf(api); s != 0 {
		t.Errorf("an issue searched suppliers %d times", s)
	}

	// The person picks the second candidate; sent twice, it books once.
	again.Set("customer_pick", choices[1])
	r = b.post("/movements/new/issue", again)
	if r.status != http.StatusSeeOther {
		t.Fatalf("picked = %d\n%s", r.status, r.body)
	}
	target := r.header.Get("Location")
	// A pick is looked up by its id, not searched.
	if qs := api.queriesOf("/api/v1/customers"); qs[len(qs)-1].Get("ids") != "10" || qs[len(qs)-1].Get("q") != "" {
		t.Errorf("a pick asked %v, want ids=10", qs[len(qs)-1])
	}
	if r2 := b.post("/movements/new/issue", again); r2.status != http.StatusSeeOther || r2.header.Get("Location") != target {
		t.Errorf("second submit = %d → %q, want %q", r2.status, r2.header.Get("Location"), target)
	}
	if got := b.get(target).text("movement-partner"); got != "Sonnenhof" {
		t.Errorf("booked partner = %q, want Sonnenhof", got)
	}
	if got := api.stock[1]; got != 120-3 {
		t.Errorf("stock = %d, want 117 (booked once)", got)
	}
	if keys := api.keysOf("/api/v1/movements"); len(keys) != 2 || keys[0] != key || keys[1] != key {
		t.Errorf("keys = %v, want the form's twice", keys)
	}

	// Exact forms of older bookmarks and scripts: "c9" books after one
	// lookup by id, not a search.
	fresh := formOf(t, b.get("/movements/new/return?item_id=1"), "movement-form")
	fresh.Set("location_id", "1")
	fresh.Set("quantity", "1")
	fresh.Set("customer", "c9")
	if r := b.post("/movements/new/return", fresh); r.status != http.StatusSeeOther {
		t.Fatalf("c9 = %d\n%s", r.status, r.body)
	}
	if qs := api.queriesOf("/api/v1/customers"); qs[len(qs)-1].Get("ids") != "9" || qs[len(qs)-1].Get("q") != "" {
		t.Errorf("an exact customer asked %v, want ids=9", qs[len(qs)-1])
	}
	if last := api.movements[len(api.movements)-1]; toInt(last["customer_id"]) != 9 || last["type"] != "return" {
		t.Errorf("return booked %v", last)
	}
	// A supplier's key is no customer: searched as text, found nothing.
	fresh = formOf(t, b.get("/movements/new/return?item_id=1"), "movement-form")
	fresh.Set("location_id", "1")
	fresh.Set("quantity", "1")
	fresh.Set("customer", "s5")
	if r := b.post("/movements/new/return", fresh); r.status != http.StatusUnprocessableEntity || r.text("error-movement-customer") != "No active customer matches «s5»." {
		t.Errorf("s5 as a customer = %d %q", r.status, r.text("error-movement-customer"))
	}
}

// A delivery's supplier: resolved with the lines' items; checking shows
// the candidates, booking with an ambiguous or unknown supplier books
// nothing, one match books.
func TestReceiptSupplierResolved(t *testing.T) {
	api, b := startLedger(t, "clerk")
	b.lang = "de"
	b.cookies[cookieLang].Value = "de"
	form := formOf(t, b.get("/movements/new/receipt"), "receipt-form")
	form.Set("location_id", "1")
	form.Set("reference", "LS-1")
	form.Set("lines[0].code", "BEER-1")
	form.Set("lines[0].quantity", "24")
	form.Set("supplier", "brauerei")

	form.Set("action", "check")
	r := b.post("/movements/new/receipt", form)
	if r.status != http.StatusOK || r.text("error-receipt-supplier") != "Mehrere Lieferanten passen zu «brauerei»: bitte einen wählen." ||
		r.doc.Find(`[data-testid="receipt-supplier-choices"] input[type="radio"]`).Length() != 2 || !strings.HasPrefix(r.text("receipt-line-item-0"), "BEER-1 — Lager 33cl") {
		t.Errorf("check = %d %q", r.status, r.text("error-receipt-supplier"))
	}
	form.Set("action", "book")
	r = b.post("/movements/new/receipt", form)
	if r.status != http.StatusUnprocessableEntity || r.doc.Find(`[data-testid="receipt-supplier-choices"] input[type="radio"][name="supplier_pick"]`).Length() != 2 {
		t.Errorf("book with several = %d", r.status)
	}
	kept := formOf(t, r, "receipt-form")
	if kept.Get("reference") != "LS-1" || kept.Get("lines[0].quantity") != "24" || kept.Get("_idempotency_key") != form.Get("_idempotency_key") {
		t.Errorf("re-rendered delivery lost values: %v", kept)
	}
	form.Set("supplier", "Hopfen")
	r = b.post("/movements/new/receipt", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-receipt-supplier") != "Kein aktiver Lieferant passt zu «Hopfen»." {
		t.Errorf("book with none = %d %q", r.status, r.text("error-receipt-supplier"))
	}
	if n := api.callCount("POST /api/v1/movements/receipts"); n != 0 {
		t.Fatalf("an unresolved supplier booked %d deliveries", n)
	}
	// One match (any case) resolves: the field shows the name only, the
	// key travels hidden with the text it belongs to.
	form.Set("supplier", "adler")
	form.Set("action", "check")
	r = b.post("/movements/new/receipt", form)
	checked := formOf(t, r, "receipt-form")
	if checked.Get("supplier") != "Brauerei Adler" || checked.Get("supplier_key") != "s6" || checked.Get("supplier_key_for") != "Brauerei Adler" {
		t.Errorf("resolved supplier = %q key %q for %q", checked.Get("supplier"), checked.Get("supplier_key"), checked.Get("supplier_key_for"))
	}
	if strings.Contains(r.doc.Find("main").Text(), "s6") {
		t.Error("the page shows the supplier's key")
	}
	// Booking with the kept key searches nothing more.
	searches := api.callCount("GET /api/v1/suppliers")
	checked.Set("action", "book")
	if r := b.post("/movements/new/receipt", checked); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/journal?") {
		t.Fatalf("book = %d → %q", r.status, r.header.Get("Location"))
	}
	if n := api.callCount("GET /api/v1/suppliers"); n != searches {
		t.Errorf("a kept key was searched again (%d calls)", n-searches)
	}
	if got := toInt(api.receipts[0]["supplier_id"]); got != 6 {
		t.Errorf("booked supplier %d, want 6", got)
	}
	for _, q := range api.queriesOf("/api/v1/suppliers") {
		if q.Get("limit") != "10" || q.Get("q") == "" {
			t.Errorf("supplier search %v, want a small one", q)
		}
	}
	if _, c := partnerListCallsOf(api); c != 0 {
		t.Errorf("a delivery searched customers %d times", c)
	}
}

// The suggestions movements.js asks for while a partner is typed.
func TestPartnerSuggestions(t *testing.T) {
	api, b := startLedger(t, "clerk")
	r := b.get("/movements/partners?kind=supplier&q=brauerei")
	var got []string
	r.doc.Find("datalist option").Each(func(_ int, o *goquery.Selection) { got = append(got, o.AttrOr("value", "")) })
	var keys []string
	r.doc.Find("datalist option").Each(func(_ int, o *goquery.Selection) { keys = append(keys, o.AttrOr("data-key", "")) })
	if r.status != http.StatusOK || strings.Join(got, " | ") != "Brauerei Falken | Brauerei Adler" || strings.Join(keys, " ") != "s5 s6" {
		t.Errorf("supplier suggestions = %d %q", r.status, got)
	}
	if r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q", r.header.Get("Cache-Control"))
	}
	r = b.get("/movements/partners?kind=customer&q=1001")
	if got := r.doc.Find("datalist option").AttrOr("value", ""); got != "Sonnenhof · 1001" {
		t.Errorf("customer suggestion = %q", got)
	}
	// Nothing typed: an empty list, no search.
	before := api.callCount("GET /api/v1/suppliers")
	if r := b.get("/movements/partners?kind=supplier&q=+"); r.status != http.StatusOK || r.doc.Find("datalist option").Length() != 0 ||
		api.callCount("GET /api/v1/suppliers") != before {
		t.Errorf("empty q = %d", r.status)
	}
	if r := b.get("/movements/partners?kind=people&q=a"); r.status != http.StatusNotFound {
		t.Errorf("unknown kind = %d", r.status)
	}
	_, viewer := startLedger(t, "viewer")
	if r := viewer.get("/movements/partners?kind=supplier&q=a"); r.status != http.StatusForbidden {
		t.Errorf("viewer = %d, want 403", r.status)
	}
}

// The hidden key counts only while the field shows the text it was
// resolved to; a retyped name is searched afresh, and without the key
// "Name · 1001" still names that customer by its number.
func TestPartnerKeyOnlyForItsText(t *testing.T) {
	api, b := startLedger(t, "clerk")
	form := formOf(t, b.get("/movements/new/issue?item_id=1"), "movement-form")
	form.Set("location_id", "1")
	form.Set("quantity", "2")
	// A suggestion was chosen (key c9), then the name was retyped.
	form.Set("customer", "Sonnenhof")
	form.Set("customer_key", "c9")
	form.Set("customer_key_for", "Restaurant Sonne · 1000")
	if r := b.post("/movements/new/issue", form); r.status != http.StatusSeeOther {
		t.Fatalf("retyped = %d\n%s", r.status, r.body)
	}
	if last := api.movements[len(api.movements)-1]; toInt(last["customer_id"]) != 10 {
		t.Errorf("retyped name booked customer %v, want 10 (the stale key ignored)", last["customer_id"])
	}
	// The key with its text books without any call for customers.
	form = formOf(t, b.get("/movements/new/issue?item_id=1"), "movement-form")
	form.Set("location_id", "1")
	form.Set("quantity", "2")
	form.Set("customer", "Restaurant Sonne · 1000")
	form.Set("customer_key", "c9")
	form.Set("customer_key_for", "Restaurant Sonne · 1000")
	calls := api.callCount("GET /api/v1/customers")
	if r := b.post("/movements/new/issue", form); r.status != http.StatusSeeOther {
		t.Fatalf("keyed = %d\n%s", r.status, r.body)
	}
	if n := api.callCount("GET /api/v1/customers"); n != calls {
		t.Errorf("a kept key was searched (%d calls)", n-calls)
	}
	if last := api.movements[len(api.movements)-1]; toInt(last["customer_id"]) != 9 {
		t.Errorf("keyed booked customer %v, want 9", last["customer_id"])
	}
	// No key (no JavaScript): "Name · 1001" is searched by its number.
	form.Set("customer", "Sonnenhof · 1001")
	form.Set("customer_key", "")
	form.Set("customer_key_for", "")
	if r := b.post("/movements/new/issue", form); r.status != http.StatusSeeOther {
		t.Fatalf("name · number = %d\n%s", r.status, r.body)
	}
	if qs := api.queriesOf("/api/v1/customers"); qs[len(qs)-1].Get("q") != "1001" {
		t.Errorf("name · number searched %v, want q=1001", qs[len(qs)-1])
	}
	// An old exact form on a re-rendered form shows the name, not the key.
	form.Set("customer", "Sonnenhof (c10)")
	form.Set("quantity", "")
	r := b.post("/movements/new/issue", form)
	again := formOf(t, r, "movement-form")
	if r.status != http.StatusUnprocessableEntity || again.Get("customer") != "Sonnenhof · 1001" || again.Get("customer_key") != "c10" {
		t.Errorf("exact form re-rendered = %d %q key %q", r.status, again.Get("customer"), again.Get("customer_key"))
	}
}

func TestExactPartner(t *testing.T) {
	tests := []struct {
		text     string
		supplier bool
		want     string
	}{
		{"s5", true, "s5"},
		{"Brauerei Falken (s5)", true, "s5"},
		{"Müller (Bern) (s12)", true, "s12"},
		{"Restaurant Sonne · 1000 (c9)", false, "c9"},
		{"c9", true, ""},
		{"Sonne (1000)", false, ""},
		{"s0", true, ""},
		{"Falken", true, ""},
		{"(s5", true, ""},
	}
	for _, tc := range tests {
		k, ok := exactPartner(tc.text, tc.supplier)
		got := ""
		if ok {
			got = k.String()
		}
		if got != tc.want {
			t.Errorf("exactPartner(%q, %v) = %q, want %q", tc.text, tc.supplier, got, tc.want)
		}
	}
}
