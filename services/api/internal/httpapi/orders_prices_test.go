package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// A manager prices a DRAFT's crates; a clerk then edits the draft through
// PUT /orders/{id} without prices (as the clerk's form sends it): the
// manager's price stays on the crates' line though it moved, the clerk's
// new line takes the item's price, and a clerk's own price on the manager's line is
// refused with nothing saved. A manager leaving the price out resets it.
func TestOrderClerkEditKeepsManagersPrice(t *testing.T) {
	en := newEnv(t)
	item, loc, _ := depot(t, en)
	clerk, mgr := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager]
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}})
	body := func(lines ...map[string]any) map[string]any {
		return map[string]any{"customer_id": cust.ID, "location_id": loc.ID, "lines": lines}
	}
	crates := func(n int, price string) map[string]any {
		l := map[string]any{"item_id": item.ID, "quantity": n, "unit": "package"}
		if price != "" {
			l["unit_price"] = price
		}
		return l
	}
	bottles := map[string]any{"item_id": item.ID, "quantity": 6}

	r := en.do(req{method: "POST", path: "/api/v1/orders", token: mgr, body: body(crates(2, "30.00"), bottles)})
	var o orderOut
	r.decode(t, &o)
	if r.Status != 201 || o.Lines[0].UnitPrice != "30.00" || !o.Lines[0].PriceOverridden || o.Lines[1].PriceOverridden {
		t.Fatalf("the manager's order: %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	put := func(token string, version int, b map[string]any) (response, orderOut) {
		t.Helper()
		r := en.do(req{method: "PUT", path: path, token: token, body: b,
			header: map[string]string{"If-Match": fmt.Sprintf(`"%d"`, version)}})
		var out orderOut
		r.decode(t, &out)
		return r, out
	}

	// The clerk moves the bottles up, changes the crates' quantity and
	// adds another line of crates.
	r, o = put(clerk, 1, body(bottles, crates(5, ""), crates(1, "")))
	if r.Status != 200 {
		t.Fatalf("clerk's edit: %d %s", r.Status, r.Body)
	}
	if l := o.Lines[1]; l.UnitPrice != "30.00" || !l.PriceOverridden {
		t.Errorf("the manager's line after the clerk's edit: %+v", l)
	}
	if l := o.Lines[2]; l.UnitPrice != "33.60" || l.PriceOverridden {
		t.Errorf("the clerk's new line: %+v", l)
	}
	if o.Net != "192.00" { // 5 × 30.00 + 6 × 1.40 + 33.60
		t.Errorf("net %s, want 192.00", o.Net)
	}

	// The clerk may send the manager's price back, not another, not the item's.
	if r, o = put(clerk, 2, body(crates(5, "30.00"), bottles)); r.Status != 200 || o.Lines[0].UnitPrice != "30.00" {
		t.Errorf("the manager's price sent back: %d %s", r.Status, r.Body)
	}
	for _, price := range []string{"33.60", "29.00"} {
		r, _ := put(clerk, 3, body(crates(5, price), bottles))
		var e errorOut
		r.decode(t, &e)
		if r.Status != 422 || e.Error.Fields["lines[0].unit_price"].Code != "not_permitted" {
			t.Errorf("clerk's price %s: %d %s", price, r.Status, r.Body)
		}
	}
	got := en.do(req{method: "GET", path: path, token: clerk})
	got.decode(t, &o)
	if o.Version != 3 || o.Lines[0].UnitPrice != "30.00" {
		t.Errorf("after the refusals: version %d, %s", o.Version, got.Body)
	}

	// A manager leaving the price out gets the item's.
	if r, o = put(mgr, 3, body(crates(5, ""), bottles)); r.Status != 200 || o.Lines[0].UnitPrice != "33.60" || o.Lines[0].PriceOverridden {
		t.Errorf("manager resets the price: %d %s", r.Status, r.Body)
	}
}
