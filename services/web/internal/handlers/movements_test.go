package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// startLedger serves the web in front of the ledger's fake api and signs
// in as Anna with role.
func startLedger(t *testing.T, role string) (*ledgerAPI, *browser) {
	t.Helper()
	api := newLedgerAPI()
	api.set(func(a *fakeAPI) { a.user.Role = role })
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	return api, b
}

// formOf collects the inputs and selected options of the form with testID,
// as a browser would send it.
func formOf(t *testing.T, p page, testID string) url.Values {
	t.Helper()
	form := p.doc.Find(`[data-testid="` + testID + `"]`)
	if form.Length() == 0 {
		t.Fatalf("no form %q on the page\n%s", testID, p.body)
	}
	v := url.Values{}
	form.Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		value, _ := in.Attr("value")
		if typ, _ := in.Attr("type"); typ == "checkbox" {
			if _, on := in.Attr("checked"); !on {
				return
			}
		}
		if name != "" {
			v.Set(name, value)
		}
	})
	form.Find("select").Each(func(_ int, sel *goquery.Selection) {
		name, _ := sel.Attr("name")
		value, _ := sel.Find("option[selected]").Attr("value")
		v.Set(name, value)
	})
	return v
}

func TestMovementScanAndBook(t *testing.T) {
	api, b := startLedger(t, "clerk")

	// A scanner types the EAN and Enter: the GET form finds the item.
	p := b.get("/movements/new/issue?q=7610000000017")
	if p.status != http.StatusOK {
		t.Fatalf("GET issue form = %d\n%s", p.status, p.body)
	}
	if got := p.text("movement-item-sku"); got != "BEER-1" {
		t.Fatalf("chosen item = %q, want BEER-1", got)
	}
	var factors []string
	p.doc.Find(`#movement-unit option`).Each(func(_ int, o *goquery.Selection) {
		f, _ := o.Attr("data-factor")
		factors = append(factors, o.AttrOr("value", "")+"="+f)
	})
	if got := strings.Join(factors, " "); got != "base=1 package=24 pallet=960" {
		t.Errorf("unit choices = %q", got)
	}
	if !p.has("field-movement-customer") || p.has("field-movement-supplier") {
		t.Error("an issue asks for the customer, not the supplier")
	}
	form := formOf(t, p, "movement-form")
	key := form.Get("_idempotency_key")
	if len(key) != 36 {
		t.Fatalf("idempotency key = %q", key)
	}
	form.Set("location_id", "1")
	form.Set("quantity", "2")
	form.Set("unit", "package")
	form.Set("customer", "1000") // the customer number

	r := b.post("/movements/new/issue", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("book = %d\n%s", r.status, r.body)
	}
	target := r.header.Get("Location")
	// The same form sent again (a double click) books nothing new.
	again := b.post("/movements/new/issue", form)
	if again.status != http.StatusSeeOther || again.header.Get("Location") != target {
		t.Errorf("second submit = %d → %q, want the same movement %q", again.status, again.header.Get("Location"), target)
	}
	if keys := api.keysOf("/api/v1/movements"); len(keys) != 2 || keys[0] != key || keys[1] != key {
		t.Errorf("Idempotency-Keys sent = %v, want the form's twice", keys)
	}
	if got := api.stock[1]; got != 120-48 {
		t.Errorf("stock after a double submit = %d, want 72 (booked once)", got)
	}

	d := b.get(target)
	if d.status != http.StatusOK {
		t.Fatalf("GET %s = %d", target, d.status)
	}
	if got := d.text("flash"); !strings.Contains(got, "Booked: Issue of 48 bottles.") {
		t.Errorf("flash = %q", got)
	}
	if got := d.text("movement-quantity"); got != "−48 bottles" {
		t.Errorf("quantity = %q", got)
	}
	if got := d.text("movement-entered"); got != "2 crates" {
		t.Errorf("entered = %q", got)
	}
	if got := d.text("movement-partner"); got != "Restaurant Sonne" {
		t.Errorf("partner = %q", got)
	}
	if href, _ := d.doc.Find(`[data-testid="movement-book-another"]`).Attr("href"); href != "/movements/new/issue?location_id=1" {
		t.Errorf("book another = %q", href)
	}
	// The next form keeps the location.
	next := b.get("/movements/new/issue?location_id=1&item_id=1")
	if v, _ := next.doc.Find(`#movement-location_id option[selected]`).Attr("value"); v != "1" {
		t.Errorf("location not kept: %q", v)
	}
}

func TestMovementSearchChoices(t *testing.T) {
	_, b := startLedger(t, "clerk")
	p := b.get("/movements/new/defect?q=lager")
	if !p.has("movement-candidate-1") || !p.has("movement-candidate-3") || p.has("movement-form") {
		t.Errorf("two matches should be offered to choose from, without a form\n%s", p.body)
	}
	p = b.get("/movements/new/defect?item_id=3")
	if got := p.text("movement-item-sku"); got != "BEER-2" || !p.has("field-movement-reason") {
		t.Errorf("choosing by id: item %q, reason field %t", got, p.has("field-movement-reason"))
	}
	p = b.get("/movements/new/defect?q=nothing-like-this")
	if !p.has("movement-not-found") || p.has("movement-form") {
		t.Error("a search without a match should say so")
	}
	// Without a pallet size the pallet is not offered.
	p = b.get("/movements/new/adjust?item_id=2")
	if p.doc.Find(`#movement-unit option[value="pallet"]`).Length() != 0 {
		t.Error("pallet offered for an item without a pallet size")
	}
	if r := b.get("/movements/new/reversal"); r.status != http.StatusNotFound {
		t.Errorf("a reversal has no form: %d", r.status)
	}
}

// A German page says what the api says about a refusal for want of stock
// (once in the form's message, once beside the quantity), from the
// code's parameters and in the item's own unit.
func TestShortageInGerman(t *testing.T) {
	api, b := startLedger(t, "clerk")
	api.mu.Lock()
	api.items = append(api.items, fakeItem(4, "KEG-1", "Lagerbier Fass 50 l", "Fass", "7610000000048", 0, 0))
	api.stock[4] = 4
	api.mu.Unlock()
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"}
	form := formOf(t, b.get("/movements/new/issue?item_id=4"), "movement-form")
	form.Set("location_id", "1")
	form.Set("quantity", "999")
	form.Set("note", "Fest")
	r := b.post("/movements/new/issue", form)
	if r.status != http.StatusConflict {
		t.Fatalf("issue beyond stock = %d, want 409", r.status)
	}
	if got, want := r.text("movement-error"), "Nicht genug Bestand: 999 Fässer angefordert, 4 Fässer verfügbar."; got != want {
		t.Errorf("form error = %q, want %q", got, want)
	}
	if got, want := r.text("error-movement-quantity"), "Nur 4 Fässer verfügbar."; got != want {
		t.Errorf("quantity error = %q, want %q", got, want)
	}
}

func TestMovementRefused(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/movements/new/issue?item_id=1")
	form := formOf(t, p, "movement-form")
	form.Set("location_id", "1")
	form.Set("quantity", "10")
	form.Set("unit", "pallet")
	form.Set("note", "to the fair")

	r := b.post("/movements/new/issue", form)
	if r.status != http.StatusConflict {
		t.Fatalf("issue beyond stock = %d, want 409", r.status)
	}
	if got := r.text("movement-error"); got != "Not enough stock: 10 pallets (9’600 bottles) requested, 120 bottles available." {
		t.Errorf("form error = %q", got)
	}
	if got := r.text("error-movement-quantity"); got != "Only 120 bottles available." {
		t.Errorf("quantity error = %q", got)
	}
	if v, _ := r.doc.Find("#movement-note").Attr("value"); v != "to the fair" {
		t.Errorf("typed note lost: %q", v)
	}
	if k := formOf(t, r, "movement-form").Get("_idempotency_key"); k == form.Get("_idempotency_key") {
		t.Error("a refused form keeps its idempotency key; the corrected one would get the old answer")
	}

	// In German the api's English is not shown, but all it says is: by
	// the code and the quantities of its parameters.
	b.lang = "de"
	b.cookies[cookieLang].Value = "de"
	r = b.post("/movements/new/issue", form)
	if got := r.text("movement-error"); got != "Nicht genug Bestand: 10 Paletten (9’600 bottles) angefordert, 120 bottles verfügbar." {
		t.Errorf("German form error = %q", got)
	}
	form.Set("unit", "package")
	r = b.post("/movements/new/issue", form)
	if got := r.text("movement-error"); got != "Nicht genug Bestand: 10 crates (240 bottles) angefordert, 120 bottles verfügbar." {
		t.Errorf("German form error, in crates = %q", got)
	}
	form.Set("unit", "pallet")

	// A quantity that is not a number never reaches the api.
	before := api.callCount("POST /api/v1/movements")
	form.Set("quantity", "zwei")
	r = b.post("/movements/new/issue", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-movement-quantity") != "Geben Sie eine ganze Zahl von 1 bis 1’000’000’000 ein." {
		t.Errorf("bad quantity = %d %q", r.status, r.text("error-movement-quantity"))
	}
	if api.callCount("POST /api/v1/movements") != before {
		t.Error("a malformed quantity was sent to the api")
	}

	// The api's field messages land beside their fields.
	p = b.get("/movements/new/return?item_id=1")
	form = formOf(t, p, "movement-form")
	form.Set("location_id", "1")
	form.Set("quantity", "3")
	r = b.post("/movements/new/return", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-movement-customer") != "Wählen Sie, wer die Ware zurückbringt." {
		t.Errorf("return without customer = %d %q", r.status, r.text("error-movement-customer"))
	}
}

func TestMovementRoles(t *testing.T) {
	_, b := startLedger(t, "viewer")
	if r := b.get("/movements/new/issue"); r.status != http.StatusForbidden {
		t.Errorf("viewer on a form = %d, want 403", r.status)
	}
	if r := b.post("/movements/new/issue", url.Values{"item_id": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("viewer posting = %d, want 403", r.status)
	}
	home := b.get("/movements")
	if home.status != http.StatusOK || !home.has("movement-read-only") || home.has("movement-new-issue") {
		t.Errorf("viewer's movements page offers booking (%d)", home.status)
	}
	if !home.has("movement-101") || !home.has("movement-102") {
		t.Error("recent movements missing")
	}
	d := b.get("/movements/101")
	if d.status != http.StatusOK || d.has("movement-reverse") || d.has("movement-book-another") {
		t.Errorf("viewer sees a reversal or booking button (%d)", d.status)
	}
	st := b.get("/stock")
	if st.has("stock-receive-1") {
		t.Error("viewer sees a receive button")
	}
}

func TestMovementReversal(t *testing.T) {
	api, b := startLedger(t, "clerk")
	d := b.get("/movements/101")
	if !d.has("movement-reverse") || !d.has("reverse-form") {
		t.Fatalf("no reversal confirmation on the page\n%s", d.body)
	}
	// The confirmation is a <details>: closed until asked, no script.
	if _, open := d.doc.Find("details.confirm").Attr("open"); open {
		t.Error("confirmation open from the start")
	}
	form := formOf(t, d, "reverse-form")
	form.Set("reason", "counted twice")
	r := b.post("/movements/101/reverse", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("reverse = %d\n%s", r.status, r.body)
	}
	rev := b.get(r.header.Get("Location"))
	// The flash says what was undone, in words, not by number.
	if got := rev.text("flash"); !strings.Contains(got, "reversed: 120 bottles") || strings.Contains(got, "101") {
		t.Errorf("flash = %q", got)
	}
	if !rev.has("movement-reverses") || rev.has("movement-reverse") {
		t.Error("the reversal should point at the original and offer no reversal itself")
	}
	if got := rev.text("movement-quantity"); got != "−120 bottles" {
		t.Errorf("reversal of a receipt moves %q, want −120", got)
	}
	// Sent again, the same form books nothing new.
	again := b.post("/movements/101/reverse", form)
	if again.header.Get("Location") != r.header.Get("Location") {
		t.Errorf("second submit → %q, want %q", again.header.Get("Location"), r.header.Get("Location"))
	}
	if n := api.callCount("POST /api/v1/movements/101/reverse"); n != 2 {
		t.Errorf("reverse calls = %d", n)
	}
	orig := b.get("/movements/101")
	if !orig.has("movement-reversed-by") || orig.has("movement-reverse") {
		t.Error("the original should say it is reversed and offer no second reversal")
	}
}

func TestJournalFilters(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/journal?type=issue&item=BEER-1&partner=c9&mine=1&from=2025-06-01&to=02.06.2025")
	if p.status != http.StatusOK {
		t.Fatalf("GET /journal = %d\n%s", p.status, p.body)
	}
	qs := api.queriesOf("/api/v1/movements")
	if len(qs) != 1 {
		t.Fatalf("movement list calls = %d", len(qs))
	}
	q := qs[0]
	want := map[string]string{"type": "issue", "item_id": "1", "customer_id": "9", "user_id": "7",
		"from": "2025-05-31T22:00:00Z", "to": "2025-06-02T22:00:00Z", "limit": "50"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("api query %s = %q, want %q (all: %v)", k, q.Get(k), v, q)
		}
	}
	if v, _ := p.doc.Find(`#journal-partner`).Attr("value"); v != "Restaurant Sonne · 1000" || p.doc.Find(`[name="partner_key"]`).AttrOr("value", "") != "c9" {
		t.Errorf("partner filter not kept as name and key: %q", v)
	}
	// A clerk cannot list people: "only mine" instead of a person select.
	if !p.has("field-journal-mine") || p.has("field-journal-user_id") {
		t.Error("the clerk's journal should offer only mine")
	}

	all := b.get("/journal")
	if !all.has("movement-102") || !all.has("pager-next") {
		t.Fatalf("journal rows or next page missing\n%s", all.body)
	}
	if got := all.text("movement-qty-102"); got != "−24 bottles" {
		t.Errorf("issue quantity = %q", got)
	}
	next, _ := all.doc.Find(`[data-testid="pager-next"]`).Attr("href")
	if next != "/journal?cursor=page-2" {
		t.Errorf("next page = %q", next)
	}

	// An unknown item says so, and the list is not asked.
	before := len(api.queriesOf("/api/v1/movements"))
	nf := b.get("/journal?item=NOPE")
	if !nf.has("journal-item-not-found") || len(api.queriesOf("/api/v1/movements")) != before {
		t.Error("unknown item filter")
	}
	// The api's refusal of the filter is shown beside it.
	bad := b.get("/journal?from=2025-06-05&to=2025-06-01")
	if bad.status != http.StatusOK || bad.text("error-journal-to") != "Choose an end after the start." {
		t.Errorf("refused filter = %d, error %q", bad.status, bad.text("error-journal-to"))
	}
	// A malformed date is caught here.
	if r := b.get("/journal?from=someday"); r.text("error-journal-from") == "" {
		t.Error("malformed date not reported")
	}
}

func TestJournalForAdmin(t *testing.T) {
	_, b := startLedger(t, "admin")
	p := b.get("/journal")
	if !p.has("field-journal-user_id") {
		t.Error("an admin filters by person")
	}
	row := p.doc.Find(`[data-testid="movement-102"] td`).Eq(6).Text()
	if row != "Ben Keller via Scanner Rampe" {
		t.Errorf("booked by = %q, want the person's name and the token's", row)
	}
	if mine := p.doc.Find(`[data-testid="movement-101"] td`).Eq(6).Text(); mine != "me" {
		t.Errorf("own booking by = %q", mine)
	}
}

func TestStockPage(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/stock?low=1&category_id=3")
	if p.status != http.StatusOK {
		t.Fatalf("GET /stock = %d\n%s", p.status, p.body)
	}
	q := api.queriesOf("/api/v1/stock")[0]
	if q.Get("low_stock") != "true" || q.Get("category_id") != "3" {
		t.Errorf("stock query = %v", q)
	}
	if p.has("stock-1") || !p.has("stock-2") || !p.has("stock-low-2") {
		t.Error("low-stock filter: only items at or below minimum")
	}
	all := b.get("/stock")
	if got := all.text("stock-breakdown-1"); got != "5 crates" {
		t.Errorf("breakdown = %q", got)
	}
	if got := all.text("stock-available-1"); got != "120 bottles" {
		t.Errorf("available = %q", got)
	}
	if href, _ := all.doc.Find(`[data-testid="stock-receive-2"]`).Attr("href"); href != "/movements/new/receipt?item_id=2" {
		t.Errorf("receive link = %q", href)
	}
	if got := all.text("pager-count"); got != "3 results" {
		t.Errorf("count = %q", got)
	}
	if r := b.get("/stock?location_id=x"); r.text("error-stock-location_id") == "" {
		t.Error("malformed location id not reported")
	}
}

// TestMovementScanPicksUnit: a scanned crate's or pallet's code counts in
// that unit, without script: the server's pick knows which code matched,
// preselects the unit and says so; the unit's own code and the SKU leave
// the base unit. The booking then sends the unit to the api.
func TestMovementScanPicksUnit(t *testing.T) {
	api, b := startLedger(t, "clerk")
	for _, tc := range []struct {
		typ, code, unit string
	}{
		{"issue", fakeCrateEAN, "package"},
		{"transfer", fakeCrateEAN, "package"},
		{"adjust", fakeCrateEAN, "package"},
		{"adjust", fakePalletEAN, "pallet"},
		{"issue", "7610000000017", "base"},
		{"transfer", "BEER-1", "base"},
	} {
		t.Run(tc.typ+" "+tc.code, func(t *testing.T) {
			p := b.get("/movements/new/" + tc.typ + "?q=" + tc.code)
			if got := p.text("movement-item-sku"); got != "BEER-1" {
				t.Fatalf("chosen item = %q, want BEER-1", got)
			}
			form := formOf(t, p, "movement-form")
			want := tc.unit
			if want == "base" {
				want = "" // nothing preselected: the first option, the base unit
			}
			if form.Get("unit") != want {
				t.Errorf("preselected unit = %q, want %q", form.Get("unit"), want)
			}
			if note := p.has("movement-code-unit"); note != (tc.unit != "base") {
				t.Errorf("note on the code's unit shown = %v", note)
			}
			// The stock by location, in the item's units, in the plural.
			if got := p.text("movement-stock-1"); !strings.Contains(got, "bottles") && !strings.Contains(got, "crates") {
				t.Errorf("stock at A-01 = %q", got)
			}
			form.Set("location_id", "1")
			form.Set("to_location_id", "2")
			form.Set("quantity", "1")
			form.Set("customer", "1000")
			form.Set("reason", "count")
			if r := b.post("/movements/new/"+tc.typ, form); r.status != http.StatusSeeOther {
				t.Fatalf("book = %d\n%s", r.status, r.body)
			}
			if got := api.movements[len(api.movements)-1]["entered_unit"]; got != tc.unit {
				t.Errorf("booked unit = %v, want %s", got, tc.unit)
			}
		})
	}
}
