package handlers

import (
	"net/http"
	"strings"
	"testing"
)

func TestReceiptDelivery(t *testing.T) {
	api, b := startLedger(t, "manager")
	// One click from a low item: its code, usual order and the form.
	p := b.get("/movements/new/receipt?item_id=2")
	if p.status != http.StatusOK {
		t.Fatalf("GET receipt = %d\n%s", p.status, p.body)
	}
	form := formOf(t, p, "receipt-form")
	if form.Get("lines[0].code") != "WATER-1" || form.Get("lines[0].quantity") != "96" {
		t.Errorf("prefilled line = %q × %q", form.Get("lines[0].code"), form.Get("lines[0].quantity"))
	}
	if got := p.text("receipt-line-item-0"); got != "WATER-1 — Mineral water 1l In stock: 0 bottles" {
		t.Errorf("found item = %q", got)
	}
	// The found item's own units with their factors; other lines generic.
	if f, _ := p.doc.Find(`[id="receipt-lines[0].unit"] option[value="package"]`).Attr("data-factor"); f != "6" {
		t.Errorf("line 1 package factor = %q, want 6", f)
	}
	if p.doc.Find(`[id="receipt-lines[1].unit"] option[data-factor]`).Length() != 0 {
		t.Error("a line without an item claims factors")
	}
	form.Set("supplier", "Falken")
	form.Set("location_id", "1")
	form.Set("reference", "LS-4711")
	form.Set("lines[1].code", "7610000000017") // a scanned EAN
	form.Set("lines[1].quantity", "2")
	form.Set("lines[1].unit", "pallet")
	form.Set("lines[1].unit_cost", "230,40")
	form.Set("lines[2].code", "NOPE")
	form.Set("lines[2].quantity", "1")

	// Enter from the scanner presses the first button: check, book nothing.
	form.Set("action", "check")
	r := b.post("/movements/new/receipt", form)
	if r.status != http.StatusOK || !strings.HasPrefix(r.text("receipt-line-item-1"), "BEER-1 — Lager 33cl") || r.text("error-receipt-lines[2].code") == "" {
		t.Errorf("check = %d, line 2 %q, line 3 error %q", r.status, r.text("receipt-line-item-1"), r.text("error-receipt-lines[2].code"))
	}
	if api.callCount("POST /api/v1/movements/receipts") != 0 {
		t.Fatal("checking booked the delivery")
	}
	if k := formOf(t, r, "receipt-form").Get("_idempotency_key"); k != form.Get("_idempotency_key") {
		t.Error("checking changed the key: a later double submit would book twice")
	}

	// Booking with an unknown code is refused here, values kept.
	form.Set("action", "book")
	r = b.post("/movements/new/receipt", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-receipt-lines[2].code") != "No active item has this EAN or SKU." {
		t.Fatalf("unknown code = %d %q", r.status, r.text("error-receipt-lines[2].code"))
	}
	if v, _ := r.doc.Find(`input[name="reference"]`).Attr("value"); v != "LS-4711" {
		t.Errorf("reference lost: %q", v)
	}

	// The api refuses a line: its message lands on the form's line, which
	// is line 3 of the form but line 2 (from 0) of what was sent.
	form.Set("lines[2].code", "")
	form.Set("lines[2].quantity", "")
	form.Set("lines[3].code", "BEER-2")
	form.Set("lines[3].quantity", "5000")
	r = b.post("/movements/new/receipt", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-receipt-lines[3].quantity") != "Enter a whole number from 1 to 1’000." {
		t.Fatalf("api refusal = %d %q\n%s", r.status, r.text("error-receipt-lines[3].quantity"), r.text("receipt-error"))
	}
	form = formOf(t, r, "receipt-form")
	form.Set("lines[3].quantity", "50")
	form.Set("action", "book")
	r = b.post("/movements/new/receipt", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/journal?partner=Brauerei+Falken&partner_key=s5&type=receipt" {
		t.Fatalf("book = %d → %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	again := b.post("/movements/new/receipt", form)
	if again.status != http.StatusSeeOther {
		t.Errorf("double submit = %d", again.status)
	}
	if n := len(api.receipts); n != 1 {
		t.Fatalf("receipts booked = %d, want 1 (double submit books once)", n)
	}
	got := api.receipts[0]
	lines := got["lines"].([]any)
	if len(lines) != 3 || got["reference"] != "LS-4711" || toInt(got["supplier_id"]) != 5 {
		t.Fatalf("receipt sent = %v", got)
	}
	second := lines[1].(map[string]any)
	if toInt(second["item_id"]) != 1 || second["unit"] != "pallet" || second["unit_cost"] != "230.40" || toInt(second["location_id"]) != 1 {
		t.Errorf("second line = %v", second)
	}
	j := b.get(r.header.Get("Location"))
	if !strings.Contains(j.text("flash"), "Delivery booked: 3 lines.") {
		t.Errorf("flash = %q", j.text("flash"))
	}
}

func TestReceiptForClerk(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/movements/new/receipt")
	if p.has("field-receipt-lines[0].unit_cost") {
		t.Error("clerk sees cost fields")
	}
	form := formOf(t, p, "receipt-form")
	form.Set("supplier", "s5")
	form.Set("location_id", "1")
	form.Set("lines[0].code", "BEER-1")
	form.Set("lines[0].quantity", "24")
	form.Set("lines[0].unit_cost", "9.99") // not offered; never sent
	form.Set("action", "book")
	if r := b.post("/movements/new/receipt", form); r.status != http.StatusSeeOther {
		t.Fatalf("clerk's receipt = %d\n%s", r.status, r.body)
	}
	if line := api.receipts[0]["lines"].([]any)[0].(map[string]any); line["unit_cost"] != nil {
		t.Errorf("clerk's line carries a cost: %v", line)
	}
	// Nothing filled in: one message for the form.
	empty := formOf(t, b.get("/movements/new/receipt"), "receipt-form")
	empty.Set("action", "book")
	if r := b.post("/movements/new/receipt", empty); r.status != http.StatusUnprocessableEntity || r.text("receipt-error") != "Fill in at least one line." {
		t.Errorf("empty receipt = %d %q", r.status, r.text("receipt-error"))
	}
	// All lines used: checking adds more.
	full := formOf(t, b.get("/movements/new/receipt"), "receipt-form")
	for i := range 5 {
		full.Set("lines["+string(rune('0'+i))+"].code", "BEER-1")
		full.Set("lines["+string(rune('0'+i))+"].quantity", "1")
	}
	full.Set("action", "check")
	if r := b.post("/movements/new/receipt", full); r.doc.Find("fieldset.receipt-row").Length() != 10 {
		t.Errorf("lines after checking a full form = %d", r.doc.Find("fieldset.receipt-row").Length())
	}
}

func TestJournalExport(t *testing.T) {
	api, b := startLedger(t, "viewer")
	api.exportRows = 20000
	p := b.get("/journal?type=receipt&item=BEER-1&cursor=page-2")
	if href, _ := p.doc.Find(`[data-testid="journal-export"]`).Attr("href"); href != "/journal/export?item=BEER-1&type=receipt" {
		t.Errorf("export link = %q", href)
	}
	r := b.get("/journal/export?item=BEER-1&type=receipt")
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("export = %d %q", r.status, r.header.Get("Content-Type"))
	}
	if got := r.header.Get("Content-Disposition"); got != `attachment; filename="movements-2025-06-02.csv"` {
		t.Errorf("disposition = %q", got)
	}
	if n := strings.Count(r.body, "\r\n"); n != 20001 {
		t.Errorf("lines = %d, want the whole file", n)
	}
	q := api.queriesOf("/api/v1/movements/export")
	if len(q) != 1 || q[0].Get("item_id") != "1" || q[0].Get("type") != "receipt" || q[0].Get("cursor") != "" ||
		q[0].Get("lang") != "en" || q[0].Has("separator") {
		t.Errorf("export query = %v", q)
	}
	if href, _ := p.doc.Find(`[data-testid="journal-export-comma"]`).Attr("href"); href != "/journal/export?item=BEER-1&type=receipt&separator=comma" {
		t.Errorf("comma export link = %q", href)
	}
	b.get("/journal/export?type=receipt&separator=comma")
	if q := api.queriesOf("/api/v1/movements/export"); len(q) != 2 || q[1].Get("separator") != "comma" {
		t.Errorf("comma export query = %v", q)
	}
	if h := b.do(http.MethodHead, "/journal/export?type=receipt", nil, nil); h.status != http.StatusOK || h.body != "" {
		t.Errorf("HEAD export = %d with %d bytes", h.status, len(h.body))
	}
	// A filter that cannot be read goes back to the journal, which says why.
	if r := b.get("/journal/export?from=someday"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/journal?from=someday" {
		t.Errorf("bad filter = %d → %q", r.status, r.header.Get("Location"))
	}
}

// TestReceiptLineCountsAsScanned: a line whose unit is left "as scanned"
// books the unit its code names, without script; a unit chosen wins.
func TestReceiptLineCountsAsScanned(t *testing.T) {
	api, b := startLedger(t, "manager")
	form := formOf(t, b.get("/movements/new/receipt"), "receipt-form")
	form.Set("supplier", "Falken")
	form.Set("location_id", "1")
	form.Set("lines[0].code", fakeCrateEAN)
	form.Set("lines[0].quantity", "12")
	form.Set("lines[1].code", fakePalletEAN)
	form.Set("lines[1].quantity", "1")
	form.Set("lines[2].code", "BEER-1")
	form.Set("lines[2].quantity", "5")
	form.Set("lines[3].code", fakeCrateEAN)
	form.Set("lines[3].quantity", "7")
	form.Set("lines[3].unit", "base")

	// Checking shows what each code found, its stock and the unit it counts.
	form.Set("action", "check")
	r := b.post("/movements/new/receipt", form)
	if got := r.text("receipt-line-item-0"); !strings.Contains(got, "BEER-1 — Lager 33cl") || !strings.Contains(got, "In stock: 5 crates") {
		t.Errorf("line 1 shows %q", got)
	}
	if got := r.doc.Find(`[id="receipt-lines[0].unit"] option[value=""]`).Text(); got != "as scanned: crate (= 24 bottles)" {
		t.Errorf("line 1 'as scanned' = %q", got)
	}
	form.Set("action", "book")
	if r := b.post("/movements/new/receipt", form); r.status != http.StatusSeeOther {
		t.Fatalf("book = %d\n%s", r.status, r.body)
	}
	if len(api.receipts) != 1 {
		t.Fatalf("%d receipts booked", len(api.receipts))
	}
	var units []string
	for _, raw := range api.receipts[0]["lines"].([]any) {
		u, _ := raw.(map[string]any)["unit"].(string)
		units = append(units, u)
	}
	if got := strings.Join(units, " "); got != "package pallet base base" {
		t.Errorf("units booked = %q, want package pallet base base", got)
	}
}

// TestReceiptLineAnswer: what movements.js takes into a line once its
// code is known: the item, its stock and its units, "as scanned" first.
func TestReceiptLineAnswer(t *testing.T) {
	_, b := startLedger(t, "clerk")
	p := b.get("/movements/receipt-line?code=" + fakePalletEAN)
	if p.status != http.StatusOK {
		t.Fatalf("GET line = %d\n%s", p.status, p.body)
	}
	answer := p.doc.Find("[data-line-answer]")
	if answer.AttrOr("data-base-unit", "") != "bottle" || answer.AttrOr("data-found", "") != "true" {
		t.Errorf("answer = %v", answer.Nodes)
	}
	first := answer.Find("select option").First()
	if first.AttrOr("value", "x") != "" || first.Text() != "as scanned: pallet (= 960 bottles)" || first.AttrOr("data-factor", "") != "960" {
		t.Errorf("first choice = %q %q", first.AttrOr("value", "x"), first.Text())
	}
	if got := answer.Find("[data-line-info]").Text(); !strings.Contains(got, "BEER-1 — Lager 33cl") || !strings.Contains(got, "In stock: 5 crates") {
		t.Errorf("line info = %q", got)
	}
	unknown := b.get("/movements/receipt-line?code=NOPE")
	if got := unknown.doc.Find("[data-line-info]").Text(); got != "No active item has this EAN or SKU." {
		t.Errorf("unknown code = %q", got)
	}
	_, vb := startLedger(t, "viewer")
	if r := vb.get("/movements/receipt-line?code=BEER-1"); r.status != http.StatusForbidden {
		t.Errorf("a viewer's line lookup = %d, want 403", r.status)
	}
}
