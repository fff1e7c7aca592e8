package handlers

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// ordersAPI is the fake api of the order pages: orders with their lines,
// the actions and the delivery, on top of the ledger's fake (items,
// stock, customers, locations). It keeps what each write sent and the
// If-Match it carried, and can be told to refuse for want of stock.
type ordersAPI struct {
	*ledgerAPI

	om     sync.Mutex
	orders []map[string]any
	// sent holds the JSON body of each write, ifMatch its If-Match and
	// idemKeys its Idempotency-Key, by call ("POST /api/v1/orders/1/deliver").
	sent     map[string][]map[string]any
	ifMatch  map[string][]string
	idemKeys map[string][]string
	// short makes confirm and deliver refuse line 2 (index 1) for want of
	// stock, as the api does.
	short bool
}

func newOrdersAPI() *ordersAPI {
	a := &ordersAPI{ledgerAPI: newLedgerAPI(), sent: map[string][]map[string]any{},
		ifMatch: map[string][]string{}, idemKeys: map[string][]string{}}
	// BEER-1 is sold by the crate with a deposit; the crate is returnable.
	a.items[0]["sales_price_package"], a.items[0]["deposit_unit"], a.items[0]["deposit_package"] = "26.40", "0.30", "10.20"
	a.items[0]["returnable"] = true
	return a
}

func (a *ordersAPI) sentTo(call string) []map[string]any {
	a.om.Lock()
	defer a.om.Unlock()
	return append([]map[string]any(nil), a.sent[call]...)
}

func (a *ordersAPI) setShort(short bool) {
	a.om.Lock()
	defer a.om.Unlock()
	a.short = short
}

// addOrder stores an order made from lines (item id, unit, quantity) in
// status, and returns its id.
func (a *ordersAPI) addOrder(status string, lines ...[3]any) int64 {
	a.om.Lock()
	defer a.om.Unlock()
	var in []any
	for _, l := range lines {
		in = append(in, map[string]any{"item_id": float64(l[0].(int)), "unit": l[1], "quantity": float64(l[2].(int))})
	}
	o := a.makeOrder(int64(len(a.orders)+1), map[string]any{"customer_id": float64(9), "location_id": float64(1), "lines": in})
	o["status"] = status
	o["actions"] = actionsOf(status)
	a.orders = append(a.orders, o)
	return toInt(o["id"])
}

func actionsOf(status string) []string {
	switch status {
	case "DRAFT":
		return []string{"edit", "confirm", "cancel"}
	case "CONFIRMED":
		return []string{"deliver", "cancel"}
	}
	return []string{}
}

// makeOrder builds an order as the api answers it from a body of the
// api's OrderInput. Call with om held.
func (a *ordersAPI) makeOrder(id int64, body map[string]any) map[string]any {
	var lines []map[string]any
	var net int64
	raw, _ := body["lines"].([]any)
	for _, r := range raw {
		in := r.(map[string]any)
		it := a.ledgerAPI.item(toInt(in["item_id"]))
		if it == nil {
			continue
		}
		unit, _ := in["unit"].(string)
		if unit == "" {
			unit = "base"
		}
		factor, price := int64(1), int64(120)
		if unit == "package" {
			factor, price = toInt(it["package_size"]), 2640
		}
		if p, ok := in["unit_price"].(string); ok {
			f, _ := strconv.ParseFloat(p, 64)
			price = int64(f*100 + 0.5)
		}
		qty := toInt(in["quantity"])
		net += qty * price
		lines = append(lines, map[string]any{"item_id": it["id"], "item_sku": it["sku"], "item_name": it["name"],
			"base_unit": it["base_unit"], "package_unit": it["package_unit"], "unit": unit, "quantity": qty, "factor": factor,
			"quantity_base": qty * factor, "unit_price": cents(price), "price_overridden": in["unit_price"] != nil,
			"vat_rate_bp": 810, "deposit": "0.00", "net": cents(qty * price)})
	}
	o := map[string]any{"id": id, "number": fmt.Sprintf("LS-2026-%04d", id), "customer_id": body["customer_id"],
		"customer_name": "Restaurant Sonne", "customer_number": 1000, "location_id": body["location_id"], "location_code": "A-01",
		"status": "DRAFT", "currency": "CHF", "notes": "", "net": cents(net), "deposits": "0.00",
		"ship_to": map[string]any{"name": "Restaurant Sonne", "street": "Seestrasse", "house_number": "1", "postal_code": "8000", "town": "Zürich", "country": "CH"},
		"lines":   lines, "empties": []any{}, "actions": actionsOf("DRAFT"), "version": 1,
		"created_at": "2026-03-02T08:00:00Z", "updated_at": "2026-03-02T08:00:00Z"}
	if n, ok := body["notes"].(string); ok {
		o["notes"] = n
	}
	if d, ok := body["delivery_date"].(string); ok {
		o["delivery_date"] = d
	}
	return o
}

func cents(n int64) string { return fmt.Sprintf("%d.%02d", n/100, n%100) }

func (a *ordersAPI) order(id int64) map[string]any {
	for _, o := range a.orders {
		if toInt(o["id"]) == id {
			return o
		}
	}
	return nil
}

func (a *ordersAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == "/api/v1/customers/9" && a.signedIn(r) {
		// The customer's record carries their deposit account.
		c := fakeCustomer()
		c["deposit_balance"] = []map[string]any{{"currency": "CHF", "charged": "40.80", "credited": "30.60", "balance": "10.20"}}
		writeJSON(w, 200, c)
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/orders")
	if !ok || (rest != "" && !strings.HasPrefix(rest, "/")) {
		a.ledgerAPI.ServeHTTP(w, r)
		return
	}
	if !a.signedIn(r) {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	call := r.Method + " " + r.URL.Path
	a.om.Lock()
	defer a.om.Unlock()
	var body map[string]any
	if b, _ := io.ReadAll(r.Body); len(b) > 0 {
		_ = json.Unmarshal(b, &body)
	}
	if r.Method == http.MethodGet {
		a.lm.Lock()
		a.queries[r.URL.Path] = append(a.queries[r.URL.Path], r.URL.Query())
		a.lm.Unlock()
	}
	if r.Method != http.MethodGet {
		a.sent[call] = append(a.sent[call], body)
		a.ifMatch[call] = append(a.ifMatch[call], r.Header.Get("If-Match"))
		a.idemKeys[call] = append(a.idemKeys[call], r.Header.Get("Idempotency-Key"))
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	if rest == "" {
		switch r.Method {
		case http.MethodGet:
			a.list(w, r)
		case http.MethodPost:
			o := a.makeOrder(int64(len(a.orders)+1), body)
			a.orders = append(a.orders, o)
			a.answer(w, 201, o)
		}
		return
	}
	id, _ := strconv.ParseInt(parts[0], 10, 64)
	o := a.order(id)
	if o == nil {
		apiError(w, 404, "not_found", "Order not found.", nil)
		return
	}
	if r.Method == http.MethodGet && len(parts) == 1 {
		a.answer(w, 200, o)
		return
	}
	if m := r.Header.Get("If-Match"); m != "" && m != fmt.Sprintf(`"%d"`, toInt(o["version"])) {
		apiError(w, 412, "precondition_failed", "The order was changed meanwhile.", nil)
		return
	}
	action := ""
	if len(parts) == 2 {
		action = parts[1]
	}
	allowed := map[string]string{"": "DRAFT", "confirm": "DRAFT", "deliver": "CONFIRMED", "cancel": "DRAFT CONFIRMED"}
	if !strings.Contains(allowed[action], o["status"].(string)) {
		apiError(w, 409, "conflict", fmt.Sprintf("Order %s is %s.", o["number"], o["status"]), nil)
		return
	}
	if a.short && (action == "confirm" || action == "deliver") {
		apiError(w, 409, "insufficient_stock", "Not enough stock for order "+o["number"].(string)+": line 2 (BEER-1): 23 bottle missing.",
			map[string]problem{"lines[1].quantity": prob("insufficient_stock", "needs 2 crate, 1 bottle available",
				"requested", 48, "available", 25, "unit", "bottle", "kind", "good", "missing", 23,
				"entered", 2, "entered_unit", "package", "missing_entered", 1, "entered_unit_name", "crate")})
		return
	}
	switch action {
	case "":
		fresh := a.makeOrder(id, body)
		for k, v := range fresh {
			o[k] = v
		}
	case "confirm":
		o["status"], o["confirmed_at"] = "CONFIRMED", "2026-03-02T09:00:00Z"
	case "cancel":
		o["status"], o["cancelled_at"] = "CANCELLED", "2026-03-02T09:00:00Z"
	case "deliver":
		o["status"], o["delivered_at"] = "DELIVERED", "2026-03-02T10:00:00Z"
		delivered, _ := body["delivered"].([]any)
		for i, l := range o["lines"].([]map[string]any) {
			l["delivered"] = l["quantity"]
			if i < len(delivered) {
				l["delivered"] = toInt(delivered[i])
			}
		}
		var empties []map[string]any
		raw, _ := body["empties"].([]any)
		for _, e := range raw {
			in := e.(map[string]any)
			it := a.ledgerAPI.item(toInt(in["item_id"]))
			empties = append(empties, map[string]any{"item_id": it["id"], "item_sku": it["sku"], "item_name": it["name"],
				"unit": in["unit"], "quantity": in["quantity"], "factor": 24, "quantity_base": toInt(in["quantity"]) * 24,
				"deposit": "10.20", "credit": cents(toInt(in["quantity"]) * 1020), "movement_id": 900})
		}
		o["empties"] = empties
	}
	o["actions"] = actionsOf(o["status"].(string))
	o["version"] = toInt(o["version"]) + 1
	a.answer(w, 200, o)
}

func (a *ordersAPI) answer(w http.ResponseWriter, status int, o map[string]any) {
	w.Header().Set("ETag", fmt.Sprintf(`"%d"`, toInt(o["version"])))
	writeJSON(w, status, o)
}

// list filters by status (several), customer and q (number or name),
// newest first.
func (a *ordersAPI) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	out := []map[string]any{}
	for i := len(a.orders) - 1; i >= 0; i-- {
		o := a.orders[i]
		if st := q["status"]; len(st) > 0 && !strings.Contains(strings.Join(st, " "), o["status"].(string)) {
			continue
		}
		if c := q.Get("customer_id"); c != "" && c != fmt.Sprint(o["customer_id"]) {
			continue
		}
		if text := strings.ToLower(q.Get("q")); text != "" && !strings.Contains(strings.ToLower(o["number"].(string)+" "+o["customer_name"].(string)), text) {
			continue
		}
		out = append(out, o)
	}
	writeJSON(w, 200, map[string]any{"items": out, "total": len(out)})
}
