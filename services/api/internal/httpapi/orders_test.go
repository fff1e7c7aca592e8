package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type orderOut struct {
	ID      int64    `json:"id"`
	Number  string   `json:"number"`
	Status  string   `json:"status"`
	Net     string   `json:"net"`
	Actions []string `json:"actions"`
	Version int      `json:"version"`
	Lines   []struct {
		UnitPrice       string `json:"unit_price"`
		PriceOverridden bool   `json:"price_overridden"`
		Deposit         string `json:"deposit"`
		Delivered       *int64 `json:"delivered"`
		MovementID      *int64 `json:"movement_id"`
	} `json:"lines"`
	Empties []struct {
		Credit     string `json:"credit"`
		MovementID int64  `json:"movement_id"`
	} `json:"empties"`
}

type errorOut struct {
	Error struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Fields  map[string]struct {
			Code   string         `json:"code"`
			Params map[string]any `json:"params"`
		} `json:"fields"`
	} `json:"error"`
}

func (en *env) orderCount() int {
	en.t.Helper()
	var n int
	if err := en.pool.QueryRow(en.t.Context(), "SELECT count(*) FROM orders").Scan(&n); err != nil {
		en.t.Fatal(err)
	}
	return n
}

// The whole flow over HTTP: a clerk orders at the item's price (another
// price is the manager's), confirms (the stock shows it reserved and an
// ad-hoc issue cannot take it), delivers short with empties; the customer
// shows the deposit balance. Wrong statuses, bad input, stale ETags and
// replays get the envelope and write nothing.
func TestOrdersOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk, mgr, viewer := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager], en.tokens[auth.RoleViewer]
	en.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/items/%d", item.ID), token: mgr,
		body: map[string]any{"deposit_unit": "0.30", "returnable": true}, header: map[string]string{"If-Match": `"1"`}})
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}})
	if _, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 2, "unit": "package", "supplier_id": sup.ID}, nil); r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	body := func(lines ...map[string]any) map[string]any {
		if lines == nil {
			lines = []map[string]any{}
		}
		return map[string]any{"customer_id": cust.ID, "location_id": loc.ID, "lines": lines}
	}

	// Bad input: 422 naming the field, nothing written.
	for _, tc := range []struct {
		token string
		body  map[string]any
		field string
		code  string
	}{
		{clerk, body(map[string]any{"item_id": item.ID, "quantity": 1, "unit_price": "1.00"}), "lines[0].unit_price", "not_permitted"},
		{clerk, body(map[string]any{"item_id": item.ID, "quantity": 0}), "lines[0].quantity", "out_of_range"},
		{clerk, body(map[string]any{"item_id": item.ID + 999, "quantity": 1}), "lines[0].item_id", "not_found"},
		{clerk, body(map[string]any{"item_id": item.ID, "quantity": 1, "unit": "pallet", "unit_price": "x"}), "lines[0].unit_price", "invalid_format"},
		{clerk, map[string]any{"customer_id": cust.ID + 999, "location_id": loc.ID, "lines": []map[string]any{{"item_id": item.ID, "quantity": 1}}}, "customer_id", "not_found"},
		{clerk, body(), "lines", "too_few"},
	} {
		r := en.do(req{method: "POST", path: "/api/v1/orders", token: tc.token, body: tc.body})
		var e errorOut
		r.decode(t, &e)
		if r.Status != 422 || e.Error.Fields[tc.field].Code != tc.code {
			t.Errorf("%v: %d %s, want 422 with %s %s", tc.body, r.Status, r.Body, tc.field, tc.code)
		}
	}
	if n := en.orderCount(); n != 0 {
		t.Fatalf("refused creates wrote %d orders", n)
	}

	// A manager may set another price; the clerk's order takes the item's.
	r := en.do(req{method: "POST", path: "/api/v1/orders", token: mgr, body: body(map[string]any{"item_id": item.ID, "quantity": 1, "unit_price": "1.00"})})
	var special orderOut
	r.decode(t, &special)
	if r.Status != 201 || !special.Lines[0].PriceOverridden || special.Lines[0].UnitPrice != "1.00" {
		t.Fatalf("manager's price: %d %s", r.Status, r.Body)
	}

	key := map[string]string{"Idempotency-Key": "order-1"}
	create := body(map[string]any{"item_id": item.ID, "quantity": 1, "unit": "package"})
	r = en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: create, header: key})
	again := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: create, header: key})
	var o orderOut
	r.decode(t, &o)
	if r.Status != 201 || again.Status != 201 || string(again.Body) != string(r.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("create and replay: %d %d %s", r.Status, again.Status, again.Body)
	}
	if o.Lines[0].UnitPrice != "33.60" || o.Lines[0].Deposit != "7.20" || o.Net != "33.60" || o.Status != "DRAFT" ||
		!strings.HasPrefix(o.Number, "LS-") || r.Header.Get("ETag") != `"1"` {
		t.Errorf("order = %s (ETag %s)", r.Body, r.Header.Get("ETag"))
	}
	if n := en.orderCount(); n != 2 {
		t.Errorf("%d orders after a replayed create, want 2", n)
	}
	other := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: body(map[string]any{"item_id": item.ID, "quantity": 2}), header: key})
	if other.Status != 409 || other.errorCode() != "idempotency_mismatch" {
		t.Errorf("same key, other body: %d %s", other.Status, other.Body)
	}

	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	// Edit with a stale ETag: 412; with the current one: saved.
	edit := body(map[string]any{"item_id": item.ID, "quantity": 1, "unit": "package"}, map[string]any{"item_id": item.ID, "quantity": 12})
	if r := en.do(req{method: "PUT", path: path, token: clerk, body: edit, header: map[string]string{"If-Match": `"7"`}}); r.Status != 412 {
		t.Errorf("stale If-Match: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "PUT", path: path, token: clerk, body: edit, header: map[string]string{"If-Match": `"1"`}})
	if r.Status != 200 || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("edit: %d %s", r.Status, r.Body)
	}
	// Deliver before confirming: 409 naming the status.
	r = en.do(req{method: "POST", path: path + "/deliver", token: clerk, body: map[string]any{}})
	var e errorOut
	r.decode(t, &e)
	if r.Status != 409 || e.Error.Code != "conflict" || !strings.Contains(e.Error.Message, o.Number+" is DRAFT") {
		t.Errorf("deliver a draft: %d %s", r.Status, r.Body)
	}
	// A viewer may read, not act.
	if r := en.do(req{method: "POST", path: path + "/confirm", token: viewer}); r.Status != 403 {
		t.Errorf("viewer confirm: %d", r.Status)
	}
	r = en.do(req{method: "POST", path: path + "/confirm", token: clerk, header: map[string]string{"Idempotency-Key": "confirm-1"}})
	r.decode(t, &o)
	if r.Status != 200 || o.Status != "CONFIRMED" || strings.Join(o.Actions, ",") != "deliver,cancel" {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	replay := en.do(req{method: "POST", path: path + "/confirm", token: clerk, header: map[string]string{"Idempotency-Key": "confirm-1"}})
	if replay.Status != 200 || replay.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("confirm replay: %d %s", replay.Status, replay.Body)
	}
	// The stock shows the reservation; the rest is all an ad-hoc issue may take.
	st := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/stock", item.ID), token: viewer})
	var stock struct {
		Good, Reserved, Available int64
		Locations                 []struct{ Reserved, Available int64 }
	}
	st.decode(t, &stock)
	if stock.Good != 48 || stock.Reserved != 36 || stock.Available != 12 || stock.Locations[0].Reserved != 36 {
		t.Errorf("stock: %s", st.Body)
	}
	_, r = en.book(clerk, map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID, "quantity": 13, "note": "walk-in"}, nil)
	r.decode(t, &e)
	if r.Status != 409 || e.Error.Fields["quantity"].Params["reserved"] != float64(36) || !strings.Contains(e.Error.Message, "reserved by orders") {
		t.Errorf("issue of reserved goods: %d %s", r.Status, r.Body)
	}

	// Deliver short: the crate, 6 of 12 bottles; 2 crates of empties back.
	r = en.do(req{method: "POST", path: path + "/deliver", token: clerk, body: map[string]any{"delivered": []int{2, 6}}})
	if r.Status != 422 || !strings.Contains(string(r.Body), "lines[0].quantity") {
		t.Errorf("delivering more than ordered: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "POST", path: path + "/deliver", token: clerk, header: map[string]string{"If-Match": fmt.Sprintf(`"%d"`, o.Version)},
		body: map[string]any{"delivered": []int{1, 6}, "empties": []map[string]any{{"item_id": item.ID, "unit": "package", "quantity": 2}}}})
	r.decode(t, &o)
	if r.Status != 200 || o.Status != "DELIVERED" || *o.Lines[1].Delivered != 6 || o.Lines[1].MovementID == nil ||
		len(o.Empties) != 1 || o.Empties[0].Credit != "14.40" || o.Net != "42.00" {
		t.Fatalf("deliver: %d %s", r.Status, r.Body)
	}
	st = en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/stock", item.ID), token: viewer})
	st.decode(t, &stock)
	if stock.Reserved != 0 || stock.Available != 18+48 {
		t.Errorf("stock after delivery (18 left at WH1, 48 empties at LEERGUT): %s", st.Body)
	}
	// Deposits charged 7.20 + 6 × 0.30 = 9.00; empties credited 14.40.
	c := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/customers/%d", cust.ID), token: viewer})
	var customer struct {
		DepositBalance []struct{ Currency, Charged, Credited, Balance string } `json:"deposit_balance"`
	}
	c.decode(t, &customer)
	if b := customer.DepositBalance; len(b) != 1 || b[0].Charged != "9.00" || b[0].Credited != "14.40" || b[0].Balance != "-5.40" {
		t.Errorf("customer: %s", c.Body)
	}
	r = en.do(req{method: "POST", path: path + "/cancel", token: clerk})
	if r.Status != 409 || !strings.Contains(string(r.Body), "is DELIVERED") {
		t.Errorf("cancel a delivered order: %d %s", r.Status, r.Body)
	}

	// The list finds orders by number and customer, filtered by status.
	l := en.do(req{method: "GET", path: "/api/v1/orders?status=DELIVERED&q=" + o.Number, token: viewer})
	var list struct {
		Items []orderOut
		Total int
	}
	l.decode(t, &list)
	if list.Total != 1 || list.Items[0].ID != o.ID {
		t.Errorf("list: %s", l.Body)
	}
	l = en.do(req{method: "GET", path: "/api/v1/orders?q=krone&limit=1", token: viewer})
	var paged struct {
		Items      []orderOut
		Total      int
		NextCursor string `json:"next_cursor"`
	}
	l.decode(t, &paged)
	if paged.Total != 2 || len(paged.Items) != 1 || paged.NextCursor == "" {
		t.Errorf("search by customer: %s", l.Body)
	}
	l = en.do(req{method: "GET", path: "/api/v1/orders?q=krone&limit=1&cursor=" + paged.NextCursor, token: viewer})
	var last struct {
		Items      []orderOut
		NextCursor string `json:"next_cursor"`
	}
	l.decode(t, &last)
	if len(last.Items) != 1 || last.Items[0].ID != special.ID || last.Items[0].Net != "1.00" || last.NextCursor != "" {
		t.Errorf("second page: %s", l.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/orders?status=SHIPPED", token: viewer}); r.Status != 422 {
		t.Errorf("unknown status: %d %s", r.Status, r.Body)
	}
}

// A confirm the stock does not cover is refused with the envelope: 409
// insufficient_stock naming the line and what is missing in its unit,
// and the order stays a DRAFT with nothing reserved.
func TestOrderShortfallOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Hotel Adler",
		"billing_address": map[string]any{"postal_code": "3000", "town": "Bern"}})
	if _, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 30, "supplier_id": sup.ID}, nil); r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	cr := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: map[string]any{"customer_id": cust.ID, "location_id": loc.ID,
		"lines": []map[string]any{{"item_id": item.ID, "quantity": 2, "unit": "package"}}}})
	var o orderOut
	cr.decode(t, &o)
	path := fmt.Sprintf("/api/v1/orders/%d", o.ID)
	r := en.do(req{method: "POST", path: path + "/confirm", token: clerk})
	var e errorOut
	r.decode(t, &e)
	f := e.Error.Fields["lines[0].quantity"]
	if r.Status != 409 || e.Error.Code != "insufficient_stock" || f.Code != "insufficient_stock" ||
		f.Params["missing"] != float64(18) || f.Params["missing_entered"] != float64(1) || f.Params["entered_unit"] != "package" {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	if !strings.Contains(e.Error.Message, "line 1 (FS-33): 18 bottle missing") {
		t.Errorf("message = %q", e.Error.Message)
	}
	g := en.do(req{method: "GET", path: path, token: clerk})
	var got orderOut
	g.decode(t, &got)
	st := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/stock", item.ID), token: clerk})
	var stock struct{ Reserved, Available int64 }
	st.decode(t, &stock)
	if got.Status != "DRAFT" || got.Version != 1 || stock.Reserved != 0 || stock.Available != 30 {
		t.Errorf("after the refusal: order %s, stock %s", g.Body, st.Body)
	}
}
