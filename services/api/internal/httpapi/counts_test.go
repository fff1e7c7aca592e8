package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type countOut struct {
	LocationID  int64 `json:"location_id"`
	Lines       int   `json:"lines"`
	Differences []struct {
		ItemID     int64  `json:"item_id"`
		ItemSKU    string `json:"item_sku"`
		Ledger     int64  `json:"ledger"`
		Counted    int64  `json:"counted"`
		Difference int64  `json:"difference"`
		MovementID int64  `json:"movement_id"`
	} `json:"differences"`
}

func TestCountOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, _ := depot(t, en)
	water, _ := en.create(en.tokens[auth.RoleManager], "/api/v1/items", map[string]any{"sku": "WASSER", "name": "Wasser",
		"base_unit": "bottle", "sales_price_unit": "1.00", "vat_rate": "2.6"})
	clerk := en.tokens[auth.RoleClerk]
	en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 100, "note": "x"}, nil)
	en.book(clerk, map[string]any{"type": "receipt", "item_id": water.ID, "location_id": loc.ID, "quantity": 6, "note": "x"}, nil)
	post := func(token string, body map[string]any, key string) response {
		t.Helper()
		var h map[string]string
		if key != "" {
			h = map[string]string{"Idempotency-Key": key}
		}
		return en.do(req{method: "POST", path: "/api/v1/movements/counts", token: token, body: body, header: h})
	}
	line := func(it int64, qty int, unit string) map[string]any {
		l := map[string]any{"item_id": it, "quantity": qty}
		if unit != "" {
			l["unit"] = unit
		}
		return l
	}
	before := en.count("SELECT count(*) FROM movements")

	// The document's rules and the ledger's both name the line.
	r := post(clerk, map[string]any{"location_id": loc.ID, "lines": []any{line(item.ID, 1, ""), line(water.ID, -1, "")}}, "")
	if r.Status != 422 || !cmp.Equal(en.codes(r), map[string]string{"lines[1].quantity": "out_of_range"}) {
		t.Errorf("negative count on the second line: %d %s", r.Status, r.Body)
	}
	r = post(clerk, map[string]any{"location_id": loc.ID, "lines": []any{line(item.ID, 1, ""), line(water.ID, 1, "package"),
		line(item.ID, 2, "")}}, "")
	if want := map[string]string{"lines[2].item_id": "duplicate"}; r.Status != 422 || !cmp.Equal(en.codes(r), want) ||
		en.problems(r)["lines[2].item_id"].Params["line"] != float64(0) {
		t.Errorf("an item counted twice: %d %s", r.Status, r.Body)
	}
	r = post(clerk, map[string]any{"location_id": loc.ID, "lines": []any{line(water.ID, 1, "package"), line(999999, 1, "")}}, "")
	if want := map[string]string{"lines[0].unit": "no_package", "lines[1].item_id": "not_found"}; r.Status != 422 ||
		!cmp.Equal(en.codes(r), want) {
		t.Errorf("crates of water and an unknown item: %d %s", r.Status, r.Body)
	}
	if r := post(en.tokens[auth.RoleViewer], map[string]any{"location_id": loc.ID, "lines": []any{line(item.ID, 1, "")}}, ""); r.Status != 403 {
		t.Errorf("a viewer's count: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM movements"); n != before {
		t.Fatalf("%d movements after refused counts", n-before)
	}

	// 5 crates of beer (120, up 20), the water as it is.
	body := map[string]any{"location_id": loc.ID, "note": "Inventur", "lines": []any{line(item.ID, 5, "package"), line(water.ID, 6, "")}}
	r = post(clerk, body, "count-1")
	if r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("count: %d %s", r.Status, r.Body)
	}
	var first countOut
	r.decode(t, &first)
	if len(first.Differences) != 1 || first.Lines != 2 || first.LocationID != loc.ID {
		t.Fatalf("count: %s", r.Body)
	}
	d := first.Differences[0]
	if d.ItemID != item.ID || d.ItemSKU != "FS-33" || d.Ledger != 100 || d.Counted != 120 || d.Difference != 20 || d.MovementID == 0 {
		t.Errorf("difference %+v", d)
	}
	m := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/movements/%d", d.MovementID), token: clerk})
	var mv movementOut
	m.decode(t, &mv)
	if mv.Type != "adjust" || mv.QuantityBase != 20 {
		t.Errorf("the difference's movement: %s", m.Body)
	}
	// The same request again gets the same answer; another under the key 409.
	r = post(clerk, body, "count-1")
	var again countOut
	r.decode(t, &again)
	if r.Status != 201 || !cmp.Equal(first, again) || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry: %d %s", r.Status, r.Body)
	}
	body["note"] = "other"
	if r := post(clerk, body, "count-1"); r.Status != 409 || r.errorCode() != "idempotency_mismatch" {
		t.Errorf("same key, other count: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM movements"); n != before+1 {
		t.Errorf("%d movements, want 1", n-before)
	}
	// A count without a difference answers none, and its retry is kept too.
	same := map[string]any{"location_id": loc.ID, "lines": []any{line(item.ID, 120, ""), line(water.ID, 6, "")}}
	r = post(clerk, same, "count-2")
	var none countOut
	r.decode(t, &none)
	if r.Status != 201 || len(none.Differences) != 0 {
		t.Errorf("count without difference: %d %s", r.Status, r.Body)
	}
	// Meanwhile someone issues; the retry still answers the first count.
	en.book(clerk, map[string]any{"type": "issue", "item_id": water.ID, "location_id": loc.ID, "quantity": 1, "note": "x"}, nil)
	if r := post(clerk, same, "count-2"); r.Status != 201 || r.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("retry of a count without difference: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM movements"); n != before+2 {
		t.Errorf("%d movements, want 2 (the count's and the issue)", n-before)
	}
}
