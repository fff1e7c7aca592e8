package handlers

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// catalogueAPI is the fake api of the catalogue pages: items, categories,
// suppliers, customers, locations, an item's stock, movements, suppliers and
// audit trail, and CSV import and export. It answers those paths itself
// (after checking the access token with the shared fake) and hands every
// other request to the shared fakeAPI.
type catalogueAPI struct {
	*fakeAPI

	mu      sync.Mutex
	serial  int64
	records map[string]map[int64]map[string]any // kind → id → record
	version map[string]int                      // "kind/id" → version
	byKey   map[string]int64                    // Idempotency-Key → id
	// queries holds the raw query of each list call, by "kind".
	queries map[string][]string
	// imports records each import: kind, dry run, body.
	imports []fakeImport
	exports []string // "kind?query"
	// inUse: ids refused on delete (409), by "kind/id".
	inUse map[string]bool
	// stockCalls counts GET /items/{id}/stock.
	auditCalls int
	// links are the items' suppliers, by item id; an item without an entry
	// has the one supplier defaultLink names.
	links map[int64][]map[string]any
	// breakExport makes an export stop after its first line, the
	// connection cut as a failing api would.
	breakExport bool
	// sent holds the JSON bodies of creates and changes as they came,
	// by "METHOD path", the latest last.
	sent map[string][]string
	// denyPrices makes the api refuse credit limits whatever the person's
	// permissions say (their role changed since the web last heard).
	denyPrices bool
}

// The api's refusals of a credit limit for the role, as it words them.
const (
	noPriceRights       = "Your role may not set credit limits or prices."
	noPriceRightsField  = "your role may not set credit limits"
	importCreditRefusal = "Your role may not set credit limits, and line %d changes one; leave the credit_limit cells as they are or remove the column."
	importCreditField   = "line %d changes a credit limit, which your role may not set"
)

// creditLimitLine returns the first line of a customer CSV that sets a
// credit limit (0 when none does): the fake takes any value as a change.
func creditLimitLine(body string) int {
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil || len(rows) < 2 {
		return 0
	}
	col := slices.Index(rows[0], "credit_limit")
	if col < 0 {
		return 0
	}
	for i, row := range rows[1:] {
		if col < len(row) && row[col] != "" {
			return i + 2
		}
	}
	return 0
}

type fakeImport struct {
	kind string
	dry  bool
	body string
}

func newCatalogueAPI() *catalogueAPI {
	a := &catalogueAPI{fakeAPI: newFakeAPI(), records: map[string]map[int64]map[string]any{},
		version: map[string]int{}, byKey: map[string]int64{}, queries: map[string][]string{}, inUse: map[string]bool{},
		links: map[int64][]map[string]any{}, sent: map[string][]string{}}
	for _, k := range []string{"items", "categories", "suppliers", "customers", "locations"} {
		a.records[k] = map[int64]map[string]any{}
	}
	return a
}

const fakeTime = "2025-05-01T08:00:00Z"

// add stores a record of kind and returns its id.
func (a *catalogueAPI) add(kind string, rec map[string]any) int64 {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.addLocked(kind, rec)
}

func (a *catalogueAPI) addLocked(kind string, rec map[string]any) int64 {
	a.serial++
	id := a.serial
	rec["id"] = id
	if _, ok := rec["archived"]; !ok {
		rec["archived"] = false
	}
	rec["created_at"], rec["updated_at"] = fakeTime, fakeTime
	if kind == "items" {
		if _, ok := rec["stock"]; !ok {
			rec["stock"] = map[string]any{"on_hand": 240, "good": 240, "defective": 0, "below_minimum": false}
		}
		for k, v := range map[string]any{"currency": "CHF", "vat_rate": "8.1", "base_unit": "bottle",
			"sales_price_unit": "1.50", "deposit_unit": "0.30", "deposit_package": "3.00", "avg_unit_cost": "0.80"} {
			if _, ok := rec[k]; !ok {
				rec[k] = v
			}
		}
	}
	if kind == "customers" {
		rec["number"] = 1000 + id
	}
	a.records[kind][id] = rec
	a.version[kind+"/"+strconv.FormatInt(id, 10)] = 1
	return id
}

func (a *catalogueAPI) record(kind string, id int64) map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := map[string]any{}
	for k, v := range a.records[kind][id] {
		out[k] = v
	}
	return out
}

func (a *catalogueAPI) lastQuery(kind string) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	q := a.queries[kind]
	if len(q) == 0 {
		return ""
	}
	return q[len(q)-1]
}

// lastSent returns the JSON body of the latest call (e.g. "PATCH
// /api/v1/items/3"), parsed; nil when there was none.
func (a *catalogueAPI) lastSent(t *testing.T, call string) map[string]any {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	bodies := a.sent[call]
	if len(bodies) == 0 {
		t.Fatalf("no %s was sent", call)
	}
	var out map[string]any
	if err := json.Unmarshal([]byte(bodies[len(bodies)-1]), &out); err != nil {
		t.Fatalf("%s sent %q: %v", call, bodies[len(bodies)-1], err)
	}
	return out
}

func (a *catalogueAPI) importsDone() []fakeImport {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]fakeImport(nil), a.imports...)
}

// bump changes a record behind the web's back (another person's edit).
func (a *catalogueAPI) bump(kind string, id int64) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.version[kind+"/"+strconv.FormatInt(id, 10)]++
}

var catalogueKinds = map[string]bool{"items": true, "categories": true, "suppliers": true, "customers": true, "locations": true}

func (a *catalogueAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/api/v1/")
	parts := strings.Split(rest, "/")
	if !ok || (!catalogueKinds[parts[0]] && parts[0] != "audit") {
		a.fakeAPI.ServeHTTP(w, r)
		return
	}
	// Check the token and log the call with the shared fake.
	a.fakeAPI.mu.Lock()
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	valid := a.fakeAPI.access[token]
	call := r.Method + " " + r.URL.Path
	a.fakeAPI.calls = append(a.fakeAPI.calls, call)
	forbidden := a.fakeAPI.forbid[call]
	prices := slices.Contains(a.fakeAPI.me().Permissions, "prices.write")
	a.fakeAPI.mu.Unlock()
	if !valid {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	if forbidden {
		apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
		return
	}
	body, _ := io.ReadAll(r.Body)
	a.mu.Lock()
	defer a.mu.Unlock()
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		a.sent[call] = append(a.sent[call], string(body))
	}
	kind := parts[0]
	switch {
	case kind == "audit":
		a.auditCalls++
		writeJSON(w, 200, map[string]any{"items": []map[string]any{{"id": 91, "at": fakeTime, "action": "item.update",
			"entity": r.URL.Query().Get("entity"), "entity_id": r.URL.Query().Get("entity_id"), "request_id": "r1",
			"changes": map[string]any{"name": map[string]any{"from": "Old", "to": "New"}}}}})
	case len(parts) == 1 && r.Method == http.MethodGet:
		a.queries[kind] = append(a.queries[kind], r.URL.RawQuery)
		a.list(w, r, kind)
	case kind == "customers" && r.Method != http.MethodGet && (!prices || a.denyPrices) && bytes.Contains(body, []byte(`"credit_limit"`)):
		apiError(w, 403, "forbidden", noPriceRights, map[string]problem{"credit_limit": prob("not_permitted", noPriceRightsField)})
	case len(parts) == 1 && r.Method == http.MethodPost:
		a.create(w, r, kind, body)
	case len(parts) == 2 && parts[1] == "export":
		a.exports = append(a.exports, kind+"?"+r.URL.RawQuery)
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+kind+`-2025-06-02.csv"`)
		w.WriteHeader(200)
		if a.breakExport {
			_, _ = io.WriteString(w, "sku,name\n")
			w.(http.Flusher).Flush()
			panic(http.ErrAbortHandler) // the deferred unlock runs on the way out
		}
		_, _ = io.WriteString(w, "sku,name\nA-1,Lager 33cl\n")
	case len(parts) == 2 && parts[1] == "import":
		a.imports = append(a.imports, fakeImport{kind: kind, dry: r.URL.Query().Get("dry_run") == "true", body: string(body)})
		dry := r.URL.Query().Get("dry_run") == "true"
		if line := creditLimitLine(string(body)); kind == "customers" && line > 0 && (!prices || a.denyPrices) {
			apiError(w, 403, "forbidden", fmt.Sprintf(importCreditRefusal, line),
				map[string]problem{"credit_limit": prob("not_permitted", fmt.Sprintf(importCreditField, line), "line", line)})
			return
		}
		if strings.Contains(string(body), "bad") {
			problems := []map[string]any{{"line": 2, "column": "sku", "code": "required", "message": "is required"},
				{"line": 2, "column": "ean_unit", "code": "invalid_gtin", "message": "must be a GTIN-8, -12, -13 or -14 with a valid check digit"},
				{"line": 3, "code": "wrong_cell_count", "message": "This line has 3 cells but the header has 2.",
					"params": map[string]any{"cells": 3, "expected": 2}}}
			if strings.Contains(string(body), "Artikelnummer") {
				// A German file: the api names its columns as the header does.
				problems[0]["heading"], problems[1]["heading"] = "Artikelnummer", "EAN Einheit"
			}
			writeJSON(w, 422, map[string]any{"rows": 2, "created": 0, "updated": 0, "unchanged": 0, "dry_run": dry, "problems": problems})
			return
		}
		writeJSON(w, 200, map[string]any{"rows": 2, "created": 1, "updated": 1, "unchanged": 0, "dry_run": dry, "problems": []any{}})
	default:
		id, err := strconv.ParseInt(parts[1], 10, 64)
		rec, found := a.records[kind][id]
		if err != nil || !found {
			apiError(w, 404, "not_found", "No such record.", nil)
			return
		}
		a.one(w, r, kind, id, rec, parts[2:], body)
	}
}

func (a *catalogueAPI) etag(kind string, id int64) string {
	return fmt.Sprintf(`"%d"`, a.version[kind+"/"+strconv.FormatInt(id, 10)])
}

func (a *catalogueAPI) list(w http.ResponseWriter, r *http.Request, kind string) {
	q := r.URL.Query()
	var ids []int64
	for id, rec := range a.records[kind] {
		archived, _ := rec["archived"].(bool)
		switch q.Get("archived") {
		case "", "false":
			if archived {
				continue
			}
		case "true":
			if !archived {
				continue
			}
		}
		if s := q.Get("q"); s != "" && !strings.Contains(strings.ToLower(fmt.Sprint(rec["name"], rec["sku"], rec["code"])), strings.ToLower(s)) {
			continue
		}
		if q.Has("ids") && !slices.Contains(fakeIDs(q.Get("ids")), id) {
			continue
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit == 0 {
		limit = 50
	}
	start := 0
	if c := q.Get("cursor"); c != "" {
		start, _ = strconv.Atoi(strings.TrimPrefix(c, "after-"))
	}
	items := []map[string]any{}
	var next any
	for i := start; i < len(ids); i++ {
		if len(items) == limit {
			next = "after-" + strconv.Itoa(i)
			break
		}
		items = append(items, a.records[kind][ids[i]])
	}
	out := map[string]any{"items": items, "total": len(ids)}
	if kind == "items" && q.Get("q") == "many" {
		out["total"] = 10001
	}
	if next != nil {
		out["next_cursor"] = next
	}
	writeJSON(w, 200, out)
}

// check refuses what the real api would refuse in the tests' forms.
func (a *catalogueAPI) check(kind string, in map[string]any, create bool) map[string]problem {
	fields := map[string]problem{}
	required := map[string][]string{"items": {"sku", "name", "base_unit", "sales_price_unit"},
		"categories": {"name"}, "suppliers": {"name"}, "customers": {"name"}, "locations": {"code", "name", "kind"}}
	for _, f := range required[kind] {
		v, present := in[f]
		if (create && !present) || (present && (v == nil || v == "")) {
			fields[f] = prob("required", "is required")
		}
	}
	if kind == "items" {
		if in["sku"] == "TAKEN" {
			fields["sku"] = prob("taken", "is already taken")
		}
		if e, _ := in["ean_unit"].(string); e != "" && len(e) != 13 {
			fields["ean_unit"] = prob("invalid_gtin", "must be a GTIN-8, -12, -13 or -14 with a valid check digit")
		}
	}
	if kind == "customers" {
		if b, ok := in["billing_address"].(map[string]any); ok {
			if pc, _ := b["postal_code"].(string); pc != "" && len(pc) != 4 {
				fields["billing_address.postal_code"] = prob("invalid_postal_code", "must be four digits in Switzerland and Liechtenstein", "country", "CH")
			}
		}
	}
	return fields
}

func (a *catalogueAPI) create(w http.ResponseWriter, r *http.Request, kind string, body []byte) {
	var in map[string]any
	if err := json.Unmarshal(body, &in); err != nil {
		apiError(w, 400, "bad_request", "The body is not JSON.", nil)
		return
	}
	key := r.Header.Get("Idempotency-Key")
	if id, ok := a.byKey[key]; ok && key != "" {
		w.Header().Set("ETag", a.etag(kind, id))
		writeJSON(w, 201, a.records[kind][id])
		return
	}
	if fields := a.check(kind, in, true); len(fields) > 0 {
		apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
		return
	}
	id := a.addLocked(kind, in)
	if key != "" {
		a.byKey[key] = id
	}
	w.Header().Set("ETag", a.etag(kind, id))
	writeJSON(w, 201, in)
}

func (a *catalogueAPI) one(w http.ResponseWriter, r *http.Request, kind string, id int64, rec map[string]any, sub []string, body []byte) {
	key := kind + "/" + strconv.FormatInt(id, 10)
	stale := func() bool {
		if m := r.Header.Get("If-Match"); m != "" && m != a.etag(kind, id) {
			apiError(w, 412, "precondition_failed", "This record was changed by someone else.", nil)
			return true
		}
		return false
	}
	action := r.Method
	if len(sub) == 1 {
		action += " " + sub[0]
	}
	if len(sub) == 2 && sub[0] == "suppliers" && kind == "items" {
		a.itemSupplier(w, r, id, sub[1], body)
		return
	}
	switch action {
	case "GET":
		w.Header().Set("ETag", a.etag(kind, id))
		writeJSON(w, 200, rec)
	case "PATCH":
		if stale() {
			return
		}
		var in map[string]any
		_ = json.Unmarshal(body, &in)
		if fields := a.check(kind, in, false); len(fields) > 0 {
			apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
			return
		}
		for k, v := range in {
			if v == nil {
				delete(rec, k)
			} else {
				rec[k] = v
			}
		}
		a.version[key]++
		w.Header().Set("ETag", a.etag(kind, id))
		writeJSON(w, 200, rec)
	case "POST archive", "POST restore":
		if stale() {
			return
		}
		rec["archived"] = action == "POST archive"
		if action == "POST archive" {
			rec["archived_at"] = fakeTime
		} else {
			delete(rec, "archived_at")
		}
		a.version[key]++
		w.Header().Set("ETag", a.etag(kind, id))
		writeJSON(w, 200, rec)
	case "DELETE":
		if stale() {
			return
		}
		if a.inUse[key] {
			apiError(w, 409, "conflict", "Other records refer to it; archive it instead.", nil)
			return
		}
		delete(a.records[kind], id)
		w.WriteHeader(204)
	case "GET stock":
		writeJSON(w, 200, map[string]any{"item_id": id, "sku": rec["sku"], "name": rec["name"], "base_unit": "bottle",
			"archived": false, "currency": "CHF", "on_hand": 250, "good": 240, "defective": 10, "available": 240,
			"min_stock": 24, "low_stock": false, "value": "192.00", "avg_unit_cost": "0.80", "package_size": 24,
			"package_unit": "crate", "pallet_size": 40,
			"available_breakdown": map[string]any{"pallets": 0, "packages": 10, "units": 0},
			"locations": []map[string]any{{"location_id": 3, "location_code": "WH1-A", "location_name": "Aisle A",
				"good": 240, "defective": 10, "location_archived": false,
				"good_breakdown": map[string]any{"pallets": 0, "packages": 10, "units": 0}}}})
	case "GET movements":
		page := map[string]any{"items": []map[string]any{{"id": 501, "type": "receipt", "item_id": id, "item_sku": rec["sku"],
			"item_name": rec["name"], "location_id": 3, "location_code": "WH1-A", "quantity_base": 240,
			"entered_quantity": 10, "entered_unit": "package", "unit_factor": 24, "note": "first delivery",
			"reason": "", "effective_at": fakeTime, "created_at": fakeTime, "avg_cost_before": "0", "avg_cost_after": "0.80"}}}
		if r.URL.Query().Get("cursor") == "" {
			page["next_cursor"] = "mv-2"
		} else {
			page["items"] = []map[string]any{{"id": 499, "type": "issue", "item_id": id, "location_id": 3,
				"location_code": "WH1-A", "quantity_base": -12, "entered_quantity": 12, "entered_unit": "base",
				"unit_factor": 1, "note": "", "reason": "", "effective_at": fakeTime, "created_at": fakeTime,
				"avg_cost_before": "0.80", "avg_cost_after": "0.80"}}
		}
		writeJSON(w, 200, page)
	case "GET suppliers":
		writeJSON(w, 200, map[string]any{"items": a.itemLinks(id)})
	default:
		apiError(w, 404, "not_found", "No such resource.", nil)
	}
}

// itemLinks returns an item's suppliers (a.mu held), the default one for an
// item nobody changed.
func (a *catalogueAPI) itemLinks(itemID int64) []map[string]any {
	l, ok := a.links[itemID]
	if !ok {
		l = []map[string]any{{"item_id": itemID, "supplier_id": 77, "supplier_name": "Brauerei Muster",
			"supplier_sku": "BM-33", "price": "0.75", "lead_time_days": 3, "created_at": fakeTime, "updated_at": fakeTime}}
		a.links[itemID] = l
	}
	return l
}

// itemSupplier answers PUT and DELETE /items/{id}/suppliers/{supplier_id}
// (a.mu held) as the api does: PUT records the link or changes the fields
// sent, DELETE removes it.
func (a *catalogueAPI) itemSupplier(w http.ResponseWriter, r *http.Request, itemID int64, rawSupplier string, body []byte) {
	supplierID, err := strconv.ParseInt(rawSupplier, 10, 64)
	if err != nil {
		apiError(w, 400, "bad_request", "supplier_id is not a number.", nil)
		return
	}
	links := a.itemLinks(itemID)
	at := -1
	for i, l := range links {
		if l["supplier_id"] == supplierID || l["supplier_id"] == int(supplierID) {
			at = i
		}
	}
	switch r.Method {
	case http.MethodDelete:
		if at < 0 {
			apiError(w, 404, "not_found", "No such link.", nil)
			return
		}
		a.links[itemID] = append(links[:at:at], links[at+1:]...)
		w.WriteHeader(204)
	case http.MethodPut:
		var in map[string]any
		if err := json.Unmarshal(body, &in); err != nil {
			apiError(w, 400, "bad_request", "The body is not JSON.", nil)
			return
		}
		fields := map[string]problem{}
		if d, ok := in["lead_time_days"].(float64); ok && (d < 0 || d > 365) {
			fields["lead_time_days"] = prob("out_of_range", "must be between 0 and 365", "min", 0, "max", 365)
		}
		if sku, _ := in["supplier_sku"].(string); len(sku) > 64 {
			fields["supplier_sku"] = prob("too_long", "must be at most 64 characters", "max", 64)
		}
		name := ""
		if at >= 0 {
			name, _ = links[at]["supplier_name"].(string)
		} else if sp, ok := a.records["suppliers"][supplierID]; !ok {
			fields["supplier_id"] = prob("not_found", "does not exist")
		} else if sp["archived"] == true {
			fields["supplier_id"] = prob("archived", "is archived")
		} else {
			name, _ = sp["name"].(string)
		}
		if len(fields) > 0 {
			apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
			return
		}
		link := map[string]any{"item_id": itemID, "supplier_id": supplierID, "supplier_name": name,
			"supplier_sku": "", "created_at": fakeTime, "updated_at": fakeTime}
		if at >= 0 {
			link = links[at]
		}
		for k, v := range in {
			if v == nil {
				delete(link, k)
			} else {
				link[k] = v
			}
		}
		if at < 0 {
			a.links[itemID] = append(links, link)
		}
		writeJSON(w, 200, link)
	default:
		apiError(w, 405, "method_not_allowed", "Not allowed.", nil)
	}
}

// fakeIDs reads an `ids` query value ("4,7,19"); what is not a number is
// left out.
func fakeIDs(v string) []int64 {
	var out []int64
	for _, f := range strings.Split(v, ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out
}
