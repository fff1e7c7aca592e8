package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func startOrders(t *testing.T, role string) (*ordersAPI, *browser) {
	t.Helper()
	api := newOrdersAPI()
	api.set(func(a *fakeAPI) { a.user.Role = role })
	b := newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	return api, b
}

// An order is put together line by line without script: a scanned crate
// code adds a line counted in crates, words find an item, several matches
// are offered, a line is removed, and only «Save» creates the order.
func TestOrderFormLines(t *testing.T) {
	api, b := startOrders(t, "clerk")
	p := b.get("/orders/new")
	if p.status != http.StatusOK {
		t.Fatalf("GET /orders/new = %d\n%s", p.status, p.body)
	}
	// The first submit button adds a line: a scanner's Enter never saves.
	if first := p.doc.Find(`[data-testid="order-form"] button[type="submit"]`).First().AttrOr("value", ""); first != "add" {
		t.Errorf("the form's first button is %q, want add", first)
	}
	if p.has("field-order-lines[0].unit_price") {
		t.Error("a clerk is offered the price")
	}
	form := formOf(t, p, "order-form")
	form.Set("customer", "1000")
	form.Set("location_id", "1")

	form.Set("add_code", fakeCrateEAN)
	form.Set("action", "add")
	r := b.post("/orders", form)
	if r.status != http.StatusOK {
		t.Fatalf("add = %d\n%s", r.status, r.body)
	}
	form = formOf(t, r, "order-form")
	if form.Get("lines[0].code") != fakeCrateEAN || form.Get("add_code") != "" {
		t.Errorf("scanned line = %q, add field %q", form.Get("lines[0].code"), form.Get("add_code"))
	}
	info := r.text("order-lines-item-0")
	for _, want := range []string{"BEER-1 — Lager 33cl", "Available here: 5 crates", "Price: CHF 26.40 / crate", "VAT 8.1 %", "Deposit: CHF 10.20 / crate"} {
		if !strings.Contains(info, want) {
			t.Errorf("line 1 shows %q, without %q", info, want)
		}
	}
	if got := r.doc.Find(`[id="order-lines[0].unit"] option[value=""]`).Text(); !strings.Contains(got, "crate") {
		t.Errorf("as scanned = %q, want the crate", got)
	}
	if form.Get("customer") != "Restaurant Sonne · 1000" || form.Get("customer_key") != "c9" {
		t.Errorf("customer = %q key %q", form.Get("customer"), form.Get("customer_key"))
	}

	// Words find the one item they name; several are offered to choose.
	form.Set("add_code", "mineral")
	form.Set("action", "add")
	r = b.post("/orders", form)
	form = formOf(t, r, "order-form")
	if form.Get("lines[1].code") != "WATER-1" {
		t.Errorf("found by words: %q", form.Get("lines[1].code"))
	}
	form.Set("add_code", "lager")
	form.Set("action", "add")
	r = b.post("/orders", form)
	if !r.has("order-candidate-1") || !r.has("order-candidate-3") {
		t.Fatalf("no candidates\n%s", r.text("order-add"))
	}
	form = formOf(t, r, "order-form")
	form.Set("add_pick", "BEER-2")
	r = b.post("/orders", form)
	form = formOf(t, r, "order-form")
	if form.Get("lines[2].code") != "BEER-2" {
		t.Fatalf("picked line = %q", form.Get("lines[2].code"))
	}
	form.Del("add_pick")

	// Removing line 2 renumbers the rest.
	form.Set("lines[0].quantity", "2")
	form.Set("remove", "1")
	r = b.post("/orders", form)
	form = formOf(t, r, "order-form")
	form.Del("remove")
	if form.Get("lines[1].code") != "BEER-2" || form.Get("lines[0].quantity") != "2" {
		t.Errorf("after remove: %q, quantity %q", form.Get("lines[1].code"), form.Get("lines[0].quantity"))
	}
	if n := len(api.sentTo("POST /api/v1/orders")); n != 0 {
		t.Fatalf("adding lines created %d orders", n)
	}

	// A line without a quantity is refused here, named by its number.
	form.Set("action", "save")
	r = b.post("/orders", form)
	if r.status != http.StatusUnprocessableEntity || r.text("error-order-lines[1].quantity") == "" {
		t.Fatalf("missing quantity = %d %q", r.status, r.text("error-order-lines[1].quantity"))
	}
	if got := r.doc.Find(`[data-testid="summary-order-lines[1].quantity"] .error-summary__label`).Text(); got != "Line 2 · Quantity" {
		t.Errorf("summary names %q", got)
	}
	form = formOf(t, r, "order-form")
	form.Set("lines[1].quantity", "6")
	form.Set("lines[1].unit_price", "0.10") // not the clerk's to set: not sent
	form.Set("action", "save")
	r = b.post("/orders", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/orders/1" {
		t.Fatalf("save = %d → %q\n%s", r.status, r.header.Get("Location"), r.text("order-error"))
	}
	sent := api.sentTo("POST /api/v1/orders")
	if len(sent) != 1 {
		t.Fatalf("%d creates", len(sent))
	}
	lines := sent[0]["lines"].([]any)
	l0, l1 := lines[0].(map[string]any), lines[1].(map[string]any)
	if sent[0]["customer_id"] != float64(9) || sent[0]["location_id"] != float64(1) || len(lines) != 2 ||
		l0["item_id"] != float64(1) || l0["unit"] != "package" || l0["quantity"] != float64(2) ||
		l1["item_id"] != float64(3) || l1["quantity"] != float64(6) || l1["unit_price"] != nil {
		t.Errorf("sent %v", sent[0])
	}
	if keys := api.idemKeys["POST /api/v1/orders"]; len(keys) != 1 || keys[0] == "" || keys[0] != form.Get("_idempotency_key") {
		t.Errorf("idempotency keys %v", keys)
	}
	if d := b.get("/orders/1"); d.text("flash") != "Order LS-2026-0001 saved." {
		t.Errorf("flash %q", d.text("flash"))
	}
}

// A manager sees each line's price as the item's and may set another; the
// DRAFT's change goes with the version it was based on.
func TestOrderPriceAndEdit(t *testing.T) {
	api, b := startOrders(t, "manager")
	id := api.addOrder("DRAFT", [3]any{1, "package", 2})
	p := b.get("/orders/1/edit")
	if p.status != http.StatusOK {
		t.Fatalf("edit = %d\n%s", p.status, p.body)
	}
	if ph := p.doc.Find(`[id="order-lines[0].unit_price"]`).AttrOr("placeholder", ""); ph != "CHF 26.40 / crate" {
		t.Errorf("price placeholder %q", ph)
	}
	form := formOf(t, p, "order-form")
	if form.Get("lines[0].code") != "BEER-1" || form.Get("lines[0].unit") != "package" || form.Get("customer_key") != "c9" || form.Get("version") != `"1"` {
		t.Errorf("edit form %v", form)
	}
	form.Set("lines[0].unit_price", "25,00")
	form.Set("action", "save")
	r := b.post("/orders/1", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("update = %d\n%s", r.status, r.text("order-error"))
	}
	call := "PUT /api/v1/orders/1"
	sent := api.sentTo(call)
	if len(sent) != 1 || sent[0]["lines"].([]any)[0].(map[string]any)["unit_price"] != "25.00" || api.ifMatch[call][0] != `"1"` {
		t.Errorf("sent %v with If-Match %v", sent, api.ifMatch[call])
	}
	// The same form again is stale: changed meanwhile, values kept.
	r = b.post("/orders/1", form)
	if r.status != http.StatusConflict || formOf(t, r, "order-form").Get("lines[0].unit_price") != "25,00" {
		t.Errorf("stale update = %d", r.status)
	}
	_ = id
}

// An order's page shows what its status allows; a confirm short of stock
// names the line and what is missing in the line's unit, in both
// languages; confirm and cancel send the version shown.
func TestOrderPageActions(t *testing.T) {
	api, b := startOrders(t, "clerk")
	api.addOrder("DRAFT", [3]any{3, "base", 6}, [3]any{1, "package", 2})
	p := b.get("/orders/1")
	if p.status != http.StatusOK {
		t.Fatalf("order page = %d", p.status)
	}
	for _, id := range []string{"order-edit", "order-confirm", "order-cancel", "order-delivery-note"} {
		if !p.has(id) {
			t.Errorf("no %s", id)
		}
	}
	if p.has("order-deliver") {
		t.Error("a draft offers delivery")
	}
	if href := p.doc.Find(`[data-testid="order-delivery-note"]`).AttrOr("href", ""); href != "/orders/1/delivery-note.pdf" {
		t.Errorf("delivery note link %q", href)
	}
	if got := p.doc.Find(`[data-testid="line-ordered"]`).First().Text(); got != "6 bottles" {
		t.Errorf("ordered %q", got)
	}

	api.setShort(true)
	form := formOf(t, p, "order-confirm-form")
	r := b.post("/orders/1/confirm", form)
	if r.status != http.StatusConflict || r.text("order-action-error") != "Not enough stock for order LS-2026-0001: line 2 (BEER-1): 23 bottle missing." {
		t.Fatalf("short confirm = %d %q", r.status, r.text("order-action-error"))
	}
	link := r.doc.Find(`[data-testid="summary-order-line-1"]`)
	if !strings.Contains(link.Text(), "Line 2 (BEER-1) · Quantity") || !strings.Contains(link.Text(), "1 crate missing: only 25 bottles available.") ||
		link.AttrOr("href", "") != "#order-line-1" {
		t.Errorf("shortfall %q → %q", link.Text(), link.AttrOr("href", ""))
	}
	b.german()
	r = b.post("/orders/1/confirm", form)
	if r.text("order-action-error") != "Nicht genug Bestand am Lagerort des Auftrags: nichts wurde reserviert oder gebucht." ||
		!strings.Contains(r.text("order-action-error-summary"), "Es fehlen 1 crate: nur 25 bottles verfügbar.") {
		t.Errorf("German shortfall %q", r.text("order-action-error-summary"))
	}

	api.setShort(false)
	r = b.post("/orders/1/confirm", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("confirm = %d", r.status)
	}
	if m := api.ifMatch["POST /api/v1/orders/1/confirm"]; m[len(m)-1] != `"1"` {
		t.Errorf("If-Match %v", m)
	}
	if k := api.idemKeys["POST /api/v1/orders/1/confirm"]; k[len(k)-1] == "" || k[len(k)-1] != form.Get("_idempotency_key") {
		t.Errorf("Idempotency-Key %v, the form's %q", k, form.Get("_idempotency_key"))
	}
	p = b.get("/orders/1")
	if p.text("flash") != "Auftrag LS-2026-0001 bestätigt: die Ware ist reserviert." || !p.has("order-deliver") || p.has("order-edit") {
		t.Errorf("confirmed page: flash %q", p.text("flash"))
	}
	// The old page's version is stale: changed meanwhile.
	r = b.post("/orders/1/confirm", form)
	if r.status != http.StatusConflict {
		t.Errorf("stale confirm = %d", r.status)
	}
	// Cancel asks first (a details box) and sends the current version.
	r = b.post("/orders/1/cancel", formOf(t, p, "order-cancel-form"))
	if r.status != http.StatusSeeOther {
		t.Fatalf("cancel = %d", r.status)
	}
	// Confirming a cancelled order says what it is now.
	p = b.get("/orders/1")
	r = b.post("/orders/1/confirm", formFrom(map[string]string{"version": `"3"`}))
	if r.status != http.StatusConflict || r.text("order-action-error") != "Auftrag LS-2026-0001 ist jetzt «Storniert»; das ist nicht mehr möglich." {
		t.Errorf("wrong status = %d %q", r.status, r.text("order-action-error"))
	}
}

// The delivery screen: the ordered quantities by default, one line
// delivered short, empties added by a scanned crate code, one api call;
// a shortfall lands beside its line.
func TestOrderDelivery(t *testing.T) {
	api, b := startOrders(t, "clerk")
	api.addOrder("CONFIRMED", [3]any{1, "package", 2}, [3]any{3, "base", 6})
	p := b.get("/orders/1/deliver")
	if p.status != http.StatusOK {
		t.Fatalf("deliver form = %d\n%s", p.status, p.body)
	}
	form := formOf(t, p, "deliver-form")
	if form.Get("lines[0].quantity") != "2" || form.Get("lines[1].quantity") != "6" {
		t.Errorf("defaults %q %q", form.Get("lines[0].quantity"), form.Get("lines[1].quantity"))
	}
	if first := p.doc.Find(`[data-testid="deliver-form"] button[type="submit"]`).First().AttrOr("value", ""); first != "add" {
		t.Errorf("first button %q", first)
	}
	form.Set("lines[0].quantity", "1")
	form.Set("add_code", fakeCrateEAN)
	form.Set("action", "add")
	r := b.post("/orders/1/deliver", form)
	form = formOf(t, r, "deliver-form")
	if form.Get("empties[0].code") != fakeCrateEAN || form.Get("lines[0].quantity") != "1" {
		t.Fatalf("empties row %q, delivered %q", form.Get("empties[0].code"), form.Get("lines[0].quantity"))
	}
	if got := r.text("deliver-empties-item-0"); !strings.Contains(got, "Deposit: CHF 10.20 / crate") || strings.Contains(got, "Price") {
		t.Errorf("empties row shows %q", got)
	}
	form.Set("empties[0].quantity", "3")
	form.Set("action", "deliver")

	api.setShort(true)
	r = b.post("/orders/1/deliver", form)
	if r.status != http.StatusConflict || r.text("error-deliver-lines[1].quantity") != "1 crate missing: only 25 bottles available." {
		t.Fatalf("short delivery refused = %d %q", r.status, r.text("error-deliver-lines[1].quantity"))
	}
	if formOf(t, r, "deliver-form").Get("empties[0].quantity") != "3" {
		t.Error("the empties were lost")
	}
	api.setShort(false)
	r = b.post("/orders/1/deliver", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/orders/1" {
		t.Fatalf("deliver = %d\n%s", r.status, r.text("deliver-error"))
	}
	sent := api.sentTo("POST /api/v1/orders/1/deliver")
	last := sent[len(sent)-1]
	e := last["empties"].([]any)[0].(map[string]any)
	if d := last["delivered"].([]any); len(d) != 2 || d[0] != float64(1) || d[1] != float64(6) ||
		e["item_id"] != float64(1) || e["unit"] != "package" || e["quantity"] != float64(3) {
		t.Errorf("sent %v", last)
	}
	keys := api.idemKeys["POST /api/v1/orders/1/deliver"]
	if keys[0] == "" || keys[0] != keys[len(keys)-1] {
		t.Errorf("the delivery's key changed between attempts: %v", keys)
	}
	p = b.get("/orders/1")
	if p.text("flash") != "Order LS-2026-0001 delivered short; the rest is released." ||
		p.text("order-empties-credit") != "CHF 30.60" || !strings.Contains(p.text("order-empties-0"), "3 crates") {
		t.Errorf("delivered page: %q, credit %q, empties %q", p.text("flash"), p.text("order-empties-credit"), p.text("order-empties-0"))
	}
	if got := p.doc.Find(`[data-testid="order-line-0"] [data-testid="line-delivered"]`).Text(); got != "1 crate" {
		t.Errorf("delivered %q", got)
	}
	// A delivered order has no delivery screen any more.
	if r := b.get("/orders/1/deliver"); r.status != http.StatusSeeOther {
		t.Errorf("deliver screen of a delivered order = %d", r.status)
	}
}

// The list filters by several statuses and searches, newest first.
func TestOrderList(t *testing.T) {
	api, b := startOrders(t, "viewer")
	api.addOrder("DRAFT", [3]any{1, "base", 1})
	api.addOrder("CONFIRMED", [3]any{1, "base", 1})
	api.addOrder("CANCELLED", [3]any{1, "base", 1})
	p := b.get("/orders?status=DRAFT&status=CONFIRMED&q=LS-2026")
	if p.status != http.StatusOK {
		t.Fatalf("list = %d", p.status)
	}
	rows := p.doc.Find(`[data-testid="orders-table"] tbody tr`)
	if rows.Length() != 2 || rows.First().AttrOr("data-testid", "") != "order-2" {
		t.Errorf("%d rows, first %q", rows.Length(), rows.First().AttrOr("data-testid", ""))
	}
	q := api.queriesOf("/api/v1/orders")
	if len(q) == 0 || len(q[len(q)-1]["status"]) != 2 || q[len(q)-1].Get("q") != "LS-2026" {
		t.Errorf("asked %v", q)
	}
	if p.doc.Find(`[data-testid="orders-status-CONFIRMED"][checked]`).Length() != 1 || p.has("orders-new") {
		t.Error("filter not kept, or a viewer offered a new order")
	}
	if got := p.doc.Find(`[data-testid="order-2"] [data-testid="order-status"]`).Text(); got != "Confirmed" {
		t.Errorf("status %q", got)
	}
}

// A viewer reads orders but every write is refused without asking the
// api; the navigation shows orders to everyone who may read.
func TestOrderRoles(t *testing.T) {
	api, b := startOrders(t, "viewer")
	api.addOrder("CONFIRMED", [3]any{1, "base", 1})
	p := b.get("/orders/1")
	if p.status != http.StatusOK || p.has("order-actions") || !p.has("nav-orders") {
		t.Errorf("viewer's order page = %d, actions %v", p.status, p.has("order-actions"))
	}
	for _, path := range []string{"/orders/new", "/orders/1/edit", "/orders/1/deliver", "/orders/line?code=BEER-1"} {
		if r := b.get(path); r.status != http.StatusForbidden {
			t.Errorf("GET %s = %d, want 403", path, r.status)
		}
	}
	for _, path := range []string{"/orders", "/orders/1", "/orders/1/confirm", "/orders/1/cancel", "/orders/1/deliver"} {
		if r := b.post(path, formFrom(map[string]string{"action": "save", "version": `"1"`})); r.status != http.StatusForbidden {
			t.Errorf("POST %s = %d, want 403", path, r.status)
		}
	}
	for call := range api.sent {
		t.Errorf("the api was asked to %s", call)
	}
}

// movements.js asks for a line's code: the unit choice and what the line
// shows, the stock at the order's location.
func TestOrderLineLookup(t *testing.T) {
	_, b := startOrders(t, "clerk")
	r := b.get("/orders/line?code=" + fakeCrateEAN + "&location_id=1")
	if r.status != http.StatusOK || r.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("lookup = %d", r.status)
	}
	if got := r.doc.Find(`[data-line-answer] option[value=""]`).Text(); !strings.Contains(got, "crate") {
		t.Errorf("as scanned %q", got)
	}
	if got := r.doc.Find(`[data-line-info]`).Text(); !strings.Contains(got, "Available here: 5 crates") {
		t.Errorf("info %q", got)
	}
	r = b.get("/orders/line?code=NOPE&kind=empties")
	if !strings.Contains(r.doc.Find(`[data-line-info]`).Text(), "No active item") {
		t.Errorf("unknown code: %q", r.doc.Find(`[data-line-info]`).Text())
	}
}

// The customer's page shows their deposit account and recent orders.
func TestCustomerDepositsAndOrders(t *testing.T) {
	api, b := startOrders(t, "clerk")
	api.addOrder("DELIVERED", [3]any{1, "package", 2})
	p := b.get("/customers/9")
	if p.status != http.StatusOK {
		t.Fatalf("customer page = %d", p.status)
	}
	if p.text("deposit-charged") != "CHF 40.80" || p.text("deposit-credited") != "CHF 30.60" || p.text("deposit-balance") != "CHF 10.20" {
		t.Errorf("deposits %q", p.text("customer-deposits"))
	}
	if href := p.doc.Find(`[data-testid="customer-order-1"] a`).AttrOr("href", ""); href != "/orders/1" {
		t.Errorf("order link %q", href)
	}
	if q := api.queriesOf("/api/v1/orders"); len(q) == 0 || q[0].Get("customer_id") != "9" {
		t.Errorf("orders asked %v", q)
	}
}

func formFrom(values map[string]string) url.Values {
	v := url.Values{}
	for k, x := range values {
		v.Set(k, x)
	}
	return v
}
