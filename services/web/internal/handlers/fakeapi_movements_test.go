package handlers

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// ledgerAPI is the fake api of the ledger pages: items, locations,
// partners, movements, stock, receipts, the journal's CSV and the
// dashboard, with just enough state to tell right calls from wrong ones.
// Sign-in and everything else is the shared fakeAPI's, which also decides
// whether a token is valid.
type ledgerAPI struct {
	*fakeAPI

	lm        sync.Mutex
	items     []map[string]any
	stock     map[int64]int64 // good stock per item (one location is enough here)
	movements []map[string]any
	byKey     map[string]map[string]any // booked movement by Idempotency-Key
	// queries holds the query string of each GET, by path.
	queries map[string][]url.Values
	// keys holds the Idempotency-Key of each POST, by path.
	keys map[string][]string
	// exportRows is how many lines the CSV export writes.
	exportRows int
	// receipts holds the body of each booked receipt.
	receipts []map[string]any
	// counts holds the body of each booked count, countsByKey its answer.
	counts      []map[string]any
	countsByKey map[string]map[string]any
}

func newLedgerAPI() *ledgerAPI {
	l := &ledgerAPI{
		fakeAPI:     newFakeAPI(),
		stock:       map[int64]int64{1: 120, 2: 0},
		byKey:       map[string]map[string]any{},
		queries:     map[string][]url.Values{},
		countsByKey: map[string]map[string]any{},
		keys:        map[string][]string{},
	}
	l.items = []map[string]any{
		fakeItem(1, "BEER-1", "Lager 33cl", "bottle", "7610000000017", 24, 40),
		fakeItem(2, "WATER-1", "Mineral water 1l", "bottle", "7610000000024", 6, 0),
		fakeItem(3, "BEER-2", "Lager 50cl", "bottle", "7610000000031", 20, 0),
	}
	// BEER-1's crate and pallet have codes of their own.
	l.items[0]["ean_package"], l.items[0]["ean_pallet"] = fakeCrateEAN, fakePalletEAN
	l.movements = []map[string]any{
		fakeMovement(101, "receipt", 1, 120, "base", 1, map[string]any{"supplier_id": 5, "created_by": 7}),
		fakeMovement(102, "issue", 1, 24, "package", 24, map[string]any{"customer_id": 9, "created_by": 8, "token_id": 3}),
	}
	return l
}

// fakeSuppliers and fakeCustomers are the partners the fake knows; two
// names share "Brauerei" and two "Sonne", for searches with several
// matches.
func fakeSuppliers() []map[string]any {
	adler := fakeSupplier()
	adler["id"], adler["name"] = 6, "Brauerei Adler"
	return []map[string]any{fakeSupplier(), adler}
}

func fakeCustomers() []map[string]any {
	hof := fakeCustomer()
	hof["id"], hof["number"], hof["name"] = 10, 1001, "Sonnenhof"
	return []map[string]any{fakeCustomer(), hof}
}

// fakeNames are the names the api gives movements, by partner and person.
var fakeNames = map[string]map[int64]string{
	"supplier_id": {5: "Brauerei Falken", 6: "Brauerei Adler"},
	"customer_id": {9: "Restaurant Sonne", 10: "Sonnenhof"},
	"created_by":  {7: "Anna Muster", 8: "Ben Keller"},
	"token_id":    {3: "Scanner Rampe"},
}

// named adds to m the names the api reads with a movement.
func named(m map[string]any) map[string]any {
	for key, name := range map[string]string{"supplier_id": "supplier_name", "customer_id": "customer_name",
		"created_by": "booked_by_name", "token_id": "booked_with_token"} {
		if id, ok := m[key]; ok && id != nil {
			m[name] = fakeNames[key][toInt(id)]
		}
	}
	return m
}

// findPartners lists the partners whose name contains q (any case) or
// whose number is q, at most limit of them, as the api's search would.
func findPartners(all []map[string]any, q url.Values) []map[string]any {
	text := strings.ToLower(strings.TrimSpace(q.Get("q")))
	limit := 500
	if n, err := strconv.Atoi(q.Get("limit")); err == nil {
		limit = n
	}
	out := []map[string]any{}
	for _, p := range all {
		if q.Has("ids") && !slices.Contains(fakeIDs(q.Get("ids")), toInt(p["id"])) {
			continue
		}
		if text == "" || strings.Contains(strings.ToLower(p["name"].(string)), text) || fmt.Sprint(p["number"]) == text {
			out = append(out, p)
		}
	}
	return out[:min(limit, len(out))]
}

// The codes of BEER-1's crate and pallet.
const (
	fakeCrateEAN  = "7610000000048"
	fakePalletEAN = "17610000000025"
)

// codeOf reports whether q is one of it's codes: its SKU or an EAN.
func codeOf(it map[string]any, q string) bool {
	return strings.ToLower(it["sku"].(string)) == q || it["ean_unit"] == q || it["ean_package"] == q || it["ean_pallet"] == q
}

func fakeItem(id int64, sku, name, base, ean string, pkg, pallet int64) map[string]any {
	it := map[string]any{
		"id": id, "sku": sku, "name": name, "description": "", "brand": "", "base_unit": base,
		"sales_price_unit": "1.20", "currency": "CHF", "vat_rate": "8.1", "deposit_unit": "0.00",
		"deposit_package": "0.00", "returnable": false, "beverage_type": "", "alcoholic": false,
		"min_stock": 48, "reorder_qty": 96, "avg_unit_cost": "0.80", "archived": false,
		"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z", "ean_unit": ean,
	}
	if pkg > 1 {
		it["package_size"], it["package_unit"] = pkg, "crate"
		if pallet > 0 {
			it["pallet_size"] = pallet
		}
	}
	return it
}

func fakeMovement(id int64, typ string, item int64, base int64, unit string, factor int64, extra map[string]any) map[string]any {
	m := map[string]any{
		"id": id, "type": typ, "item_id": item, "item_sku": fmt.Sprintf("BEER-%d", item), "item_name": "Lager 33cl",
		"item_base_unit": "bottle", "item_package_unit": "crate",
		"location_id": 1, "location_code": "A-01", "quantity_base": base, "entered_quantity": base / factor,
		"entered_unit": unit, "unit_factor": factor, "reason": "", "note": "",
		"effective_at": "2025-06-02T07:00:00Z", "created_at": "2025-06-02T07:00:00Z",
		"avg_cost_before": "0.80", "avg_cost_after": "0.80",
	}
	for k, v := range extra {
		m[k] = v
	}
	return named(m)
}

// signedIn reports whether the request carries a valid access token (the
// shared fake's), and records the call as the shared fake does.
func (l *ledgerAPI) signedIn(r *http.Request) bool {
	l.fakeAPI.mu.Lock()
	defer l.fakeAPI.mu.Unlock()
	l.fakeAPI.calls = append(l.fakeAPI.calls, r.Method+" "+r.URL.Path)
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	return l.fakeAPI.access[token]
}

func (l *ledgerAPI) forbidden(call string) bool {
	l.fakeAPI.mu.Lock()
	defer l.fakeAPI.mu.Unlock()
	return l.fakeAPI.forbid[call]
}

// ledgerPaths are the paths this fake answers; everything else goes to
// the shared fake.
func ledgerPath(p string) bool {
	for _, prefix := range []string{"/api/v1/movements", "/api/v1/items", "/api/v1/locations", "/api/v1/suppliers",
		"/api/v1/customers", "/api/v1/categories", "/api/v1/stock", "/api/v1/dashboard", "/api/v1/users"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

func (l *ledgerAPI) queriesOf(path string) []url.Values {
	l.lm.Lock()
	defer l.lm.Unlock()
	return append([]url.Values(nil), l.queries[path]...)
}

func (l *ledgerAPI) keysOf(path string) []string {
	l.lm.Lock()
	defer l.lm.Unlock()
	return append([]string(nil), l.keys[path]...)
}

func (l *ledgerAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !ledgerPath(r.URL.Path) {
		l.fakeAPI.ServeHTTP(w, r)
		return
	}
	if !l.signedIn(r) {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	call := r.Method + " " + r.URL.Path
	if l.forbidden(call) {
		apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
		return
	}
	l.lm.Lock()
	defer l.lm.Unlock()
	var body map[string]any
	if b, _ := io.ReadAll(r.Body); len(b) > 0 {
		_ = json.Unmarshal(b, &body)
	}
	if r.Method == http.MethodGet {
		l.queries[r.URL.Path] = append(l.queries[r.URL.Path], r.URL.Query())
	} else {
		l.keys[r.URL.Path] = append(l.keys[r.URL.Path], r.Header.Get("Idempotency-Key"))
	}
	q := r.URL.Query()
	parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/v1/"), "/")
	switch {
	case call == "POST /api/v1/movements/receipts":
		l.receipt(w, r, body)
	case call == "POST /api/v1/movements/counts":
		l.count(w, r, body)
	case call == "GET /api/v1/movements/export":
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="movements-2025-06-02.csv"`)
		w.WriteHeader(200)
		_, _ = io.WriteString(w, "id,effective_at,type\r\n")
		for i := range l.exportRows {
			_, _ = fmt.Fprintf(w, "%d,2025-06-02T07:00:00Z,receipt\r\n", i+1)
		}
	case call == "GET /api/v1/items":
		writeJSON(w, 200, map[string]any{"items": l.findItems(q.Get("q"))})
	case r.Method == "GET" && parts[0] == "items" && len(parts) == 2:
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		if it := l.item(id); it != nil {
			writeJSON(w, 200, it)
			return
		}
		apiError(w, 404, "not_found", "Item not found.", nil)
	case r.Method == "GET" && parts[0] == "items" && len(parts) == 3 && parts[2] == "stock":
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		if it := l.item(id); it != nil {
			writeJSON(w, 200, l.itemStock(it))
			return
		}
		apiError(w, 404, "not_found", "Item not found.", nil)
	case call == "GET /api/v1/locations":
		writeJSON(w, 200, map[string]any{"items": []map[string]any{
			{"id": 1, "code": "A-01", "name": "Hall A", "kind": "zone", "archived": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
			{"id": 2, "code": "B-02", "name": "Cold room", "kind": "zone", "archived": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
		}})
	case call == "GET /api/v1/suppliers":
		writeJSON(w, 200, map[string]any{"items": findPartners(fakeSuppliers(), q)})
	case call == "GET /api/v1/suppliers/5":
		writeJSON(w, 200, fakeSupplier())
	case call == "GET /api/v1/customers":
		writeJSON(w, 200, map[string]any{"items": findPartners(fakeCustomers(), q)})
	case call == "GET /api/v1/customers/9":
		writeJSON(w, 200, fakeCustomer())
	case call == "GET /api/v1/categories":
		writeJSON(w, 200, map[string]any{"items": []map[string]any{
			{"id": 3, "name": "Beer", "description": "", "archived": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
		}})
	case call == "GET /api/v1/users":
		writeJSON(w, 200, map[string]any{"items": []map[string]any{
			{"id": 7, "email": annaEmail, "name": "Anna Muster", "role": "admin", "language": "en", "disabled": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
			{"id": 8, "email": "ben@example.ch", "name": "Ben Keller", "role": "clerk", "language": "de", "disabled": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
		}})
	case call == "GET /api/v1/movements":
		l.listMovements(w, q)
	case call == "POST /api/v1/movements":
		l.book(w, r, body)
	case r.Method == "GET" && parts[0] == "movements" && len(parts) == 2:
		id, _ := strconv.ParseInt(parts[1], 10, 64)
		if m := l.movement(id); m != nil {
			writeJSON(w, 200, m)
			return
		}
		apiError(w, 404, "not_found", "Movement not found.", nil)
	case r.Method == "POST" && parts[0] == "movements" && len(parts) == 3 && parts[2] == "reverse":
		l.reverse(w, r, parts[1], body)
	case call == "GET /api/v1/stock":
		l.stockList(w, q)
	case call == "GET /api/v1/dashboard":
		writeJSON(w, 200, l.dashboard())
	default:
		apiError(w, 404, "not_found", "No such resource.", nil)
	}
}

func fakeSupplier() map[string]any {
	return map[string]any{"id": 5, "name": "Brauerei Falken", "contact_person": "", "email": "", "phone": "", "notes": "",
		"payment_terms_days": 30, "address": map[string]any{}, "archived": false,
		"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
}

func fakeCustomer() map[string]any {
	return map[string]any{"id": 9, "number": 1000, "name": "Restaurant Sonne", "contact_person": "", "email": "", "phone": "",
		"payment_terms_days": 30, "billing_address": map[string]any{}, "currency": "CHF", "archived": false,
		"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}
}

// findItems matches an exact SKU or EAN first, then names containing q.
func (l *ledgerAPI) findItems(q string) []map[string]any {
	out := []map[string]any{}
	q = strings.ToLower(strings.TrimSpace(q))
	for _, it := range l.items {
		if codeOf(it, q) {
			out = append(out, it)
		}
	}
	for _, it := range l.items {
		if !codeOf(it, q) &&
			(q == "" || strings.Contains(strings.ToLower(it["name"].(string)), q)) {
			out = append(out, it)
		}
	}
	return out
}

// itemStock is an item's stock as the api gives it: all of it at A-01.
func (l *ledgerAPI) itemStock(it map[string]any) map[string]any {
	id := toInt(it["id"])
	good := l.stock[id]
	pkg, pallet := toInt(it["package_size"]), toInt(it["pallet_size"])
	b := map[string]any{"pallets": 0, "packages": 0, "units": good}
	if pkg > 1 {
		rest := good
		if pallet > 0 {
			b["pallets"], rest = rest/(pkg*pallet), rest%(pkg*pallet)
		}
		b["packages"], b["units"] = rest/pkg, rest%pkg
	}
	out := map[string]any{"item_id": id, "sku": it["sku"], "name": it["name"], "base_unit": it["base_unit"],
		"good": good, "defective": 0, "on_hand": good, "available": good, "available_breakdown": b,
		"min_stock": it["min_stock"], "low_stock": false, "avg_unit_cost": "0.80", "value": "0.00", "currency": "CHF",
		"archived": false, "locations": []map[string]any{}}
	for k := range map[string]bool{"package_unit": true, "package_size": true, "pallet_size": true} {
		if v, ok := it[k]; ok {
			out[k] = v
		}
	}
	if good != 0 {
		out["locations"] = []map[string]any{{"location_id": 1, "location_code": "A-01", "location_name": "Hall A",
			"location_archived": false, "good": good, "defective": 0, "good_breakdown": b,
			"reserved": 0, "available": good}}
	}
	return out
}

func (l *ledgerAPI) item(id int64) map[string]any {
	for _, it := range l.items {
		if it["id"].(int64) == id {
			return it
		}
	}
	return nil
}

func (l *ledgerAPI) movement(id int64) map[string]any {
	for _, m := range l.movements {
		if toInt(m["id"]) == id {
			return m
		}
	}
	return nil
}

func toInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func (l *ledgerAPI) listMovements(w http.ResponseWriter, q url.Values) {
	if q.Get("from") != "" && q.Get("to") != "" && q.Get("from") >= q.Get("to") {
		apiError(w, 422, "validation_failed", "Check the marked fields.", map[string]problem{"to": prob("must_be_after", "must be after from", "other", "from")})
		return
	}
	items := []map[string]any{}
	for i := len(l.movements) - 1; i >= 0; i-- {
		m := l.movements[i]
		if t := q.Get("type"); t != "" && m["type"] != t {
			continue
		}
		if id := q.Get("item_id"); id != "" && strconv.FormatInt(toInt(m["item_id"]), 10) != id {
			continue
		}
		if id := q.Get("user_id"); id != "" && strconv.FormatInt(toInt(m["created_by"]), 10) != id {
			continue
		}
		if id := q.Get("supplier_id"); id != "" && strconv.FormatInt(toInt(m["supplier_id"]), 10) != id {
			continue
		}
		if id := q.Get("customer_id"); id != "" && strconv.FormatInt(toInt(m["customer_id"]), 10) != id {
			continue
		}
		items = append(items, m)
	}
	res := map[string]any{"items": items}
	if q.Get("cursor") == "" && len(items) > 1 {
		res["next_cursor"] = "page-2"
	}
	writeJSON(w, 200, res)
}

func (l *ledgerAPI) book(w http.ResponseWriter, r *http.Request, body map[string]any) {
	key := r.Header.Get("Idempotency-Key")
	if m, ok := l.byKey[key]; ok && key != "" {
		writeJSON(w, 201, m)
		return
	}
	fields := map[string]problem{}
	qty := toInt(body["quantity"])
	typ, _ := body["type"].(string)
	if qty < 1 && typ != "adjust" {
		fields["quantity"] = prob("out_of_range", "must be a whole number between 1 and 1000000000", "min", 1, "max", 1000000000)
	}
	if toInt(body["location_id"]) < 1 {
		fields["location_id"] = prob("too_small", "must be a positive id", "min", 1)
	}
	if typ == "return" && body["customer_id"] == nil {
		fields["customer_id"] = prob("required", "is required: who returns the goods")
	}
	if len(fields) > 0 {
		apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
		return
	}
	itemID := toInt(body["item_id"])
	it := l.item(itemID)
	if it == nil {
		apiError(w, 404, "not_found", "Item not found.", nil)
		return
	}
	factor := int64(1)
	unit, _ := body["unit"].(string)
	switch unit {
	case "package":
		factor = toInt(it["package_size"])
	case "pallet":
		factor = toInt(it["package_size"]) * toInt(it["pallet_size"])
	default:
		unit = "base"
	}
	base := qty * factor
	if (typ == "issue" || typ == "transfer" || typ == "defect") && base > l.stock[itemID] {
		params := []any{"requested", base, "available", l.stock[itemID], "unit", it["base_unit"], "kind", "good"}
		if unit != "base" {
			params = append(params, "entered", qty, "entered_unit", unit)
			if name, ok := it["package_unit"]; ok && unit == "package" {
				params = append(params, "entered_unit_name", name)
			}
		}
		apiError(w, 409, "insufficient_stock",
			fmt.Sprintf("Not enough good stock of %s at A-01: %d %s requested, %d %s available.", it["sku"], base, it["base_unit"], l.stock[itemID], it["base_unit"]),
			map[string]problem{"quantity": prob("insufficient_stock", fmt.Sprintf("is more than the %d %s available", l.stock[itemID], it["base_unit"]), params...)})
		return
	}
	switch typ {
	case "receipt", "return":
		l.stock[itemID] += base
	case "issue", "defect", "transfer":
		l.stock[itemID] -= base
	}
	extra := map[string]any{"created_by": 7}
	for _, k := range []string{"supplier_id", "customer_id", "reason", "note", "to_location_id", "unit_cost"} {
		if v, ok := body[k]; ok {
			extra[k] = v
		}
	}
	m := fakeMovement(int64(200+len(l.movements)), typ, itemID, base, unit, factor, extra)
	m["item_sku"], m["item_name"], m["item_base_unit"] = it["sku"], it["name"], it["base_unit"]
	m["item_package_unit"], _ = it["package_unit"].(string)
	m["entered_quantity"] = qty
	l.movements = append(l.movements, m)
	l.byKey[key] = m
	writeJSON(w, 201, m)
}

func (l *ledgerAPI) reverse(w http.ResponseWriter, r *http.Request, rawID string, body map[string]any) {
	id, _ := strconv.ParseInt(rawID, 10, 64)
	key := r.Header.Get("Idempotency-Key")
	if m, ok := l.byKey[key]; ok && key != "" {
		writeJSON(w, 201, m)
		return
	}
	o := l.movement(id)
	if o == nil {
		apiError(w, 404, "not_found", "Movement not found.", nil)
		return
	}
	if o["reversed_by_id"] != nil || o["type"] == "reversal" {
		apiError(w, 409, "conflict", "Movement already reversed.", nil)
		return
	}
	extra := map[string]any{"created_by": 7, "reverses_id": id, "reversed_type": o["type"]}
	if reason, ok := body["reason"]; ok {
		extra["reason"] = reason
	}
	m := fakeMovement(int64(200+len(l.movements)), "reversal", toInt(o["item_id"]), toInt(o["quantity_base"]), "base", 1, extra)
	o["reversed_by_id"] = m["id"]
	l.movements = append(l.movements, m)
	l.byKey[key] = m
	writeJSON(w, 201, m)
}

func (l *ledgerAPI) stockList(w http.ResponseWriter, q url.Values) {
	items := []map[string]any{}
	for _, it := range l.items {
		id := it["id"].(int64)
		good := l.stock[id]
		low := toInt(it["min_stock"]) > 0 && good <= toInt(it["min_stock"]) // as the api: no minimum, never low
		if q.Get("low_stock") == "true" && !low {
			continue
		}
		pkg, pallet := toInt(it["package_size"]), toInt(it["pallet_size"])
		b := map[string]any{"pallets": 0, "packages": 0, "units": good}
		if pkg > 1 {
			rest := good
			if pallet > 0 {
				b["pallets"] = rest / (pkg * pallet)
				rest %= pkg * pallet
			}
			b["packages"], b["units"] = rest/pkg, rest%pkg
		}
		line := map[string]any{"item_id": id, "sku": it["sku"], "name": it["name"], "archived": false,
			"base_unit": it["base_unit"], "good": good, "defective": 0, "on_hand": good, "available": good,
			"available_breakdown": b, "min_stock": it["min_stock"], "low_stock": low, "avg_unit_cost": "0.80",
			"value": fmt.Sprintf("%d.%02d", good*80/100, good*80%100), "currency": "CHF", "category_id": 3}
		for _, k := range []string{"package_unit", "package_size", "pallet_size"} {
			if v, ok := it[k]; ok {
				line[k] = v
			}
		}
		items = append(items, line)
	}
	writeJSON(w, 200, map[string]any{"items": items, "total": len(items)})
}

func (l *ledgerAPI) dashboard() map[string]any {
	days := []map[string]any{}
	for i := range 30 {
		day := fmt.Sprintf("2025-05-%02d", i+1)
		if i == 29 {
			day = "2025-06-02"
		}
		days = append(days, map[string]any{"date": day, "movements": i % 4})
	}
	return map[string]any{
		"as_of": "2025-06-02T07:30:00Z", "time_zone": "Europe/Zurich", "currency": "CHF",
		"stock_value": "12345.60",
		"stock_value_by_category": []map[string]any{
			{"category_id": 3, "name": "Beer", "value": "10000.00"},
			{"value": "345.60"},
		},
		"other_categories_value": "2000.00",
		"other_currencies":       []map[string]any{{"currency": "EUR", "value": "99.50"}},
		"low_stock_count":        12,
		"low_stock_items": []map[string]any{
			{"item_id": 2, "sku": "WATER-1", "name": "Mineral water 1l", "base_unit": "bottle", "good": 0, "min_stock": 48, "reorder_qty": 96},
		},
		"movements_today": 3, "movements_this_week": 1234,
		"recent_movements":  l.movements,
		"movements_per_day": days,
	}
}

// receipt books a delivery all or nothing: every line needs a known item
// and a positive quantity, else nothing is written and each problem is
// named by its line.
func (l *ledgerAPI) receipt(w http.ResponseWriter, r *http.Request, body map[string]any) {
	key := r.Header.Get("Idempotency-Key")
	if prev, ok := l.byKey[key]; ok && key != "" {
		writeJSON(w, 201, prev)
		return
	}
	fields := map[string]problem{}
	if toInt(body["supplier_id"]) < 1 {
		fields["supplier_id"] = prob("required", "is required: who delivered the goods")
	}
	lines, _ := body["lines"].([]any)
	for i, raw := range lines {
		line, _ := raw.(map[string]any)
		if l.item(toInt(line["item_id"])) == nil {
			fields[fmt.Sprintf("lines[%d].item_id", i)] = prob("not_found", "does not exist")
		}
		if toInt(line["location_id"]) < 1 {
			fields[fmt.Sprintf("lines[%d].location_id", i)] = prob("too_small", "must be a positive id", "min", 1)
		}
		if toInt(line["quantity"]) > 1000 {
			fields[fmt.Sprintf("lines[%d].quantity", i)] = prob("out_of_range", "must be a whole number between 1 and 1000", "min", 1, "max", 1000)
		}
	}
	if len(fields) > 0 {
		apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
		return
	}
	var ms []map[string]any
	for _, raw := range lines {
		line := raw.(map[string]any)
		id := toInt(line["item_id"])
		l.stock[id] += toInt(line["quantity"])
		m := fakeMovement(int64(200+len(l.movements)), "receipt", id, toInt(line["quantity"]), "base", 1,
			map[string]any{"supplier_id": body["supplier_id"], "created_by": 7})
		l.movements = append(l.movements, m)
		ms = append(ms, m)
	}
	res := map[string]any{"movements": ms}
	l.receipts = append(l.receipts, body)
	l.byKey[key] = res
	writeJSON(w, 201, res)
}
