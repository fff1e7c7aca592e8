package handlers

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestCountSheet(t *testing.T) {
	api, b := startLedger(t, "clerk")
	// Without a location the sheet asks for one.
	p := b.get("/stock/count")
	if p.status != http.StatusOK || !p.has("count-choose") || p.has("count-form") {
		t.Fatalf("GET /stock/count = %d\n%s", p.status, p.body)
	}
	p = b.get("/stock/count?location=1")
	if p.status != http.StatusOK || p.text("count-title") != "Count sheet A-01 — Hall A" {
		t.Fatalf("sheet = %d %q\n%s", p.status, p.text("count-title"), p.body)
	}
	// What the ledger says, in base units and broken down; the count empty,
	// crates preselected where the item has them.
	if got := p.text("count-ledger-1"); !strings.HasPrefix(got, "120 bottle") || !strings.Contains(got, "crate") {
		t.Errorf("ledger of item 1 = %q", got)
	}
	form := formOf(t, p, "count-form")
	if form.Get("lines[0].item_id") != "1" || form.Get("lines[0].quantity") != "" || form.Get("lines[0].unit") != "package" {
		t.Errorf("first row = %v", form)
	}
	if !p.has("count-qty-3") || p.doc.Find(`label[for="count-lines[0].quantity"]`).Length() != 1 {
		t.Error("a row's count field has no label")
	}
	// Submitting before booking: the first button adds; a code it cannot
	// find says so, and nothing is booked.
	form.Set("lines[0].quantity", "6")   // 144: up 24
	form.Set("lines[2].quantity", "0")   // BEER-2 holds nothing: equal
	form.Set("lines[2].unit", "package") // leave WATER-1 (row 1) empty: not counted
	form.Set("add_code", "NOPE")
	form.Set("action", "add")
	r := b.post("/stock/count", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-count-add_code") != "No item has the code NOPE." {
		t.Fatalf("add NOPE = %d %q", r.status, r.text("error-count-add_code"))
	}
	if k := formOf(t, r, "count-form").Get("_idempotency_key"); k != form.Get("_idempotency_key") {
		t.Error("adding changed the key: a later double submit would book twice")
	}
	form.Set("add_code", "7610000000024") // WATER-1 is on the sheet
	if r := b.post("/stock/count", form); r.text("error-count-add_code") != "WATER-1 is already on the sheet." {
		t.Errorf("add WATER-1 again: %q", r.text("error-count-add_code"))
	}
	// An item that is not on the sheet becomes a row; the counts stay.
	api.lm.Lock()
	api.items = append(api.items, fakeItem(4, "JUICE-1", "Orange juice", "bottle", "7610000000048", 12, 0))
	api.lm.Unlock()
	form.Set("add_code", "JUICE-1")
	r = b.post("/stock/count", form)
	if r.status != http.StatusOK || !r.has("count-row-4") {
		t.Fatalf("add JUICE-1 = %d\n%s", r.status, r.body)
	}
	form = formOf(t, r, "count-form")
	if form.Get("lines[0].quantity") != "6" || form.Get("lines[3].item_id") != "4" || form.Get("add_code") != "" {
		t.Errorf("after adding: %v", form)
	}
	if api.callCount("POST /api/v1/movements/counts") != 0 {
		t.Fatal("adding booked")
	}
	form.Set("lines[3].quantity", "2")

	// A count that is not a number is refused here.
	form.Set("action", "book")
	form.Set("lines[0].quantity", "sechs")
	r = b.post("/stock/count", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-count-lines[0].quantity") != "Enter a whole number, 0 or more." {
		t.Fatalf("bad count = %d %q", r.status, r.text("error-count-lines[0].quantity"))
	}
	form.Set("lines[0].quantity", "6")
	r = b.post("/stock/count", form)
	if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/stock/count/done?") {
		t.Fatalf("book = %d → %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	// The rows' items came with the stock list: none was read one by one.
	if n := api.callCount("GET /api/v1/items/1"); n != 0 {
		t.Errorf("item 1 read %d times for the sheet", n)
	}
	// Only the counted rows went to the api, in the sheet's order.
	sent := api.counts[0]["lines"].([]any)
	var items []string
	for _, l := range sent {
		line := l.(map[string]any)
		items = append(items, fmt.Sprintf("%d:%d:%v", toInt(line["item_id"]), toInt(line["quantity"]), line["unit"]))
	}
	if got := strings.Join(items, " "); got != "1:6:package 3:0:package 4:2:package" {
		t.Errorf("lines sent = %s", got)
	}
	if api.keys["/api/v1/movements/counts"][0] != form.Get("_idempotency_key") {
		t.Error("the count went without the form's key")
	}
	// The confirmation shows the differences, not the counts.
	done := b.get(r.header.Get("Location"))
	if done.status != http.StatusOK {
		t.Fatalf("done = %d\n%s", done.status, done.body)
	}
	for id, want := range map[string][3]string{"1": {"120 bottles", "144 bottles", "+24 bottles"}, "4": {"0 bottles", "24 bottles", "+24 bottles"}} {
		got := [3]string{done.text("count-diff-ledger-" + id), done.text("count-diff-counted-" + id), done.text("count-diff-difference-" + id)}
		if got != want {
			t.Errorf("difference of item %s = %v, want %v", id, got, want)
		}
	}
	if done.has("count-diff-3") || done.has("count-diff-2") {
		t.Error("an equal or uncounted item is listed as a difference")
	}
	if got := done.text("count-done-lead"); got != "3 items counted; 2 differences booked as adjustments." {
		t.Errorf("lead = %q", got)
	}

	// A double submit books once: the api answers the first count again.
	again := b.post("/stock/count", form)
	if again.status != http.StatusSeeOther || again.header.Get("Location") != r.header.Get("Location") {
		t.Errorf("double submit = %d → %q", again.status, again.header.Get("Location"))
	}
	// Nothing counted.
	empty := url.Values{}
	for k, v := range form {
		empty[k] = v
	}
	for _, k := range []string{"lines[0].quantity", "lines[2].quantity", "lines[3].quantity"} {
		empty.Set(k, "")
	}
	if r := b.post("/stock/count", empty); r.status != http.StatusUnprocessableEntity || r.text("count-error") != "Nothing was counted: fill in at least one field." {
		t.Errorf("nothing counted = %d %q", r.status, r.text("count-error"))
	}
	// The api's refusal of a row lands on that row.
	dup := url.Values{}
	for k, v := range form {
		dup[k] = v
	}
	dup.Set("_idempotency_key", "another")
	dup.Set("lines[3].item_id", "1")
	r = b.post("/stock/count", dup)
	if r.status != http.StatusUnprocessableEntity || r.text("error-count-lines[3].quantity") != "This item is on the sheet twice; count it on one line." {
		t.Errorf("item twice = %d %q", r.status, r.text("error-count-lines[3].quantity"))
	}
}

func TestCountSheetGermanAndRoles(t *testing.T) {
	_, b := startLedger(t, "clerk")
	b.post("/prefs/language", url.Values{"lang": {"de"}, "next": {"/stock"}})
	p := b.get("/stock/count?location=2")
	if p.status != http.StatusOK || p.text("count-title") != "Zählliste B-02 — Cold room" {
		t.Fatalf("German sheet = %d %q", p.status, p.text("count-title"))
	}
	if p := b.get("/stock/count?location=99"); p.status != http.StatusNotFound {
		t.Errorf("unknown location = %d", p.status)
	}
	// The stock page leads to the sheet of the location it shows.
	st := b.get("/stock?location_id=2")
	if href, _ := st.doc.Find(`[data-testid="stock-count-sheet"]`).Attr("href"); href != "/stock/count?location=2" {
		t.Errorf("stock page's sheet link = %q", href)
	}

	_, viewer := startLedger(t, "viewer")
	if p := viewer.get("/stock/count?location=1"); p.status != http.StatusForbidden {
		t.Errorf("a viewer's sheet = %d", p.status)
	}
	if st := viewer.get("/stock"); st.has("stock-count-sheet") {
		t.Error("a viewer is offered the count sheet")
	}
}
