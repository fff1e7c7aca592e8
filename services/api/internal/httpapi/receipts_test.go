package httpapi_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the dashboard's zone, whatever the host has

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type receiptOut struct {
	Movements []movementOut `json:"movements"`
}

// fieldError is one field's entry of the error envelope, as a client reads it.
type fieldError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params"`
}

// problems returns the field errors of an error answer.
func (en *env) problems(r response) map[string]fieldError {
	en.t.Helper()
	var e struct {
		Error struct {
			Fields map[string]fieldError `json:"fields"`
		} `json:"error"`
	}
	r.decode(en.t, &e)
	return e.Error.Fields
}

// fields returns the English message of each field error of an answer.
func (en *env) fields(r response) map[string]string {
	en.t.Helper()
	var out map[string]string
	for f, e := range en.problems(r) {
		if out == nil {
			out = map[string]string{}
		}
		out[f] = e.Message
	}
	return out
}

// codes returns the code of each field error of an answer.
func (en *env) codes(r response) map[string]string {
	en.t.Helper()
	out := map[string]string{}
	for f, e := range en.problems(r) {
		out[f] = e.Code
	}
	return out
}

func (en *env) count(sql string, args ...any) int64 {
	en.t.Helper()
	var n int64
	if err := en.pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		en.t.Fatal(err)
	}
	return n
}

func TestReceiptOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	water, _ := en.create(en.tokens[auth.RoleManager], "/api/v1/items", map[string]any{"sku": "WASSER", "name": "Wasser",
		"base_unit": "bottle", "sales_price_unit": "1.00", "vat_rate": "2.6"})
	clerk := en.tokens[auth.RoleClerk]
	post := func(body map[string]any, key string) response {
		t.Helper()
		var h map[string]string
		if key != "" {
			h = map[string]string{"Idempotency-Key": key}
		}
		return en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: clerk, body: body, header: h})
	}
	line := func(it int64, qty int, more ...any) map[string]any {
		l := map[string]any{"item_id": it, "location_id": loc.ID, "quantity": qty}
		for i := 0; i+1 < len(more); i += 2 {
			l[more[i].(string)] = more[i+1]
		}
		return l
	}

	// The document's rules and the ledger's both name the line.
	r := post(map[string]any{"supplier_id": sup.ID, "lines": []any{line(item.ID, 1), line(water.ID, 2), line(item.ID, 0)}}, "")
	if r.Status != 422 || !cmp.Equal(slices.Collect(maps.Keys(en.fields(r))), []string{"lines[2].quantity"}) {
		t.Errorf("quantity 0 on the third line: %d %s", r.Status, r.Body)
	}
	r = post(map[string]any{"supplier_id": sup.ID, "lines": []any{line(item.ID, 1), line(water.ID, 1, "unit", "package"),
		line(999999, 1)}}, "")
	if want := map[string]string{"lines[1].unit": "no_package", "lines[2].item_id": "not_found"}; r.Status != 422 ||
		!cmp.Equal(en.codes(r), want) {
		t.Errorf("crates of water and an unknown item: %d %s", r.Status, r.Body)
	}
	r = post(map[string]any{"lines": []any{line(item.ID, 1)}}, "")
	if r.Status != 422 || en.codes(r)["supplier_id"] != "required" {
		t.Errorf("no supplier: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM movements"); n != 0 {
		t.Fatalf("%d movements after refused deliveries", n)
	}

	body := map[string]any{"supplier_id": sup.ID, "reference": "LS 2025-0412", "lines": []any{
		line(item.ID, 2, "unit", "package", "unit_cost", "24.00"), line(water.ID, 12), line(item.ID, 1, "unit", "pallet", "unit_cost", "912")}}
	r = post(body, "delivery-0412")
	var first receiptOut
	if r.Status != 201 {
		t.Fatalf("delivery: %d %s", r.Status, r.Body)
	}
	r.decode(t, &first)
	if len(first.Movements) != 3 || first.Movements[0].QuantityBase != 48 || first.Movements[2].QuantityBase != 960 ||
		first.Movements[1].Type != "receipt" {
		t.Fatalf("delivery: %s", r.Body)
	}
	// The same request again gets the same movements; another under the key 409.
	r = post(body, "delivery-0412")
	var again receiptOut
	r.decode(t, &again)
	if r.Status != 201 || !cmp.Equal(first, again) {
		t.Errorf("retry: %d %s", r.Status, r.Body)
	}
	body["reference"] = "LS 2025-0413"
	if r := post(body, "delivery-0412"); r.Status != 409 || r.errorCode() != "idempotency_mismatch" {
		t.Errorf("same key, other delivery: %d %s", r.Status, r.Body)
	}
	if n := en.count("SELECT count(*) FROM movements"); n != 3 {
		t.Errorf("%d movements, want 3", n)
	}
	if n := en.count("SELECT count(*) FROM idempotency_keys"); n != 0 {
		t.Errorf("%d keys in the HTTP layer's table: the ledger keys receipts itself", n)
	}
	st := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/stock", item.ID), token: clerk})
	var stock struct {
		Good        int64  `json:"good"`
		AvgUnitCost string `json:"avg_unit_cost"`
	}
	st.decode(t, &stock)
	// (48 × 1.00 + 960 × 0.95) / 1008
	if stock.Good != 1008 || stock.AvgUnitCost != "0.952381" {
		t.Errorf("stock after the delivery: %s", st.Body)
	}
	if n := en.auditCount("movement", "create"); n != 3 {
		t.Errorf("%d audit records", n)
	}
}

func TestMovementExportOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	mgr, clerk := en.tokens[auth.RoleManager], en.tokens[auth.RoleClerk]
	other, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH2", "name": "Aussenlager", "kind": "warehouse"})
	cus, _ := en.create(mgr, "/api/v1/customers", map[string]any{"name": "Gasthof \"Löwen\", Bern",
		"billing_address": map[string]any{"postal_code": "3000", "town": "Bern"}})
	note := "Lieferschein 17, \"dringend\"\nzweite Zeile"
	rec, _ := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 2,
		"unit": "package", "unit_cost": "29.90", "supplier_id": sup.ID, "note": note}, nil)
	iss, _ := en.book(clerk, map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID, "quantity": 5,
		"customer_id": cus.ID}, nil)
	tra, _ := en.book(mgr, map[string]any{"type": "transfer", "item_id": item.ID, "location_id": loc.ID, "to_location_id": other.ID,
		"quantity": 10}, nil)
	rev := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/movements/%d/reverse", iss.ID), token: clerk,
		body: map[string]any{"reason": "=falsch"}})
	var reversal movementOut
	rev.decode(t, &reversal)

	read := func(query string) [][]string {
		t.Helper()
		q := "?lang=en"
		if query != "" {
			q = query + "&lang=en"
		}
		file := en.download(clerk, "movements", q)
		cr := csv.NewReader(strings.NewReader(file))
		cr.Comma = ';'
		rows, err := cr.ReadAll()
		if err != nil {
			t.Fatalf("%s: %v\n%s", query, err, file)
		}
		header := []string{"id", "effective_at", "type", "item_sku", "item_name", "location", "to_location", "quantity",
			"entered_quantity", "entered_unit", "unit_factor", "unit_cost", "supplier", "customer", "reason", "note",
			"reverses_id", "booked_by", "created_at"}
		if len(rows) == 0 || !cmp.Equal(rows[0], header) {
			t.Fatalf("%s: header %q", query, rows)
		}
		return rows[1:]
	}
	ids := func(rows [][]string) []string {
		var out []string
		for _, r := range rows {
			out = append(out, r[0])
		}
		return out
	}
	id := func(v int64) string { return fmt.Sprint(v) }

	all := read("")
	if diff := cmp.Diff([]string{id(reversal.ID), id(tra.ID), id(iss.ID), id(rec.ID)}, ids(all)); diff != "" {
		t.Fatalf("all movements, newest first (-want +got):\n%s", diff)
	}
	r := all[3]
	// Times are the organisation's local time, to the second.
	var booked struct {
		EffectiveAt time.Time `json:"effective_at"`
	}
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/movements/%d", rec.ID), token: clerk}).decode(t, &booked)
	zurich, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	if want := booked.EffectiveAt.In(zurich).Format("2006-01-02 15:04:05"); r[1] != want {
		t.Errorf("effective_at %q, want %q", r[1], want)
	}
	wantReceipt := []string{"receipt", "FS-33", "Feldschlösschen Original 33 cl", "WH1", "", "48", "2", "package", "24",
		"1.245833", "Feldschlösschen", "", "", note, "", "clerk@depot.example"}
	if diff := cmp.Diff(wantReceipt, slices.Concat(r[2:16], r[16:18])); diff != "" {
		t.Errorf("receipt row (-want +got):\n%s", diff)
	}
	if iss := all[2]; iss[7] != "-5" || iss[13] != "Gasthof \"Löwen\", Bern" || iss[17] != "clerk@depot.example" {
		t.Errorf("issue row %q", iss)
	}
	if tr := all[1]; tr[5] != "WH1" || tr[6] != "WH2" || tr[7] != "-10" || tr[17] != "manager@depot.example" {
		t.Errorf("transfer row %q", tr)
	}
	if rv := all[0]; rv[2] != "reversal" || rv[7] != "5" || rv[14] != "'=falsch" || rv[16] != id(iss.ID) {
		t.Errorf("reversal row %q", rv)
	}

	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"?type=issue", []string{id(iss.ID)}},
		{fmt.Sprintf("?location_id=%d", other.ID), []string{id(tra.ID)}},
		{fmt.Sprintf("?supplier_id=%d", sup.ID), []string{id(rec.ID)}},
		{fmt.Sprintf("?customer_id=%d", cus.ID), []string{id(reversal.ID), id(iss.ID)}},
		{fmt.Sprintf("?user_id=%d", en.users[auth.RoleManager].ID), []string{id(tra.ID)}},
		{fmt.Sprintf("?item_id=%d&type=receipt", item.ID), []string{id(rec.ID)}},
		{"?from=" + url.QueryEscape(time.Now().Add(time.Hour).UTC().Format(time.RFC3339)), nil},
		{"?to=" + url.QueryEscape(time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)), nil},
		{"?type=adjust", nil},
	} {
		if got := ids(read(tc.query)); !cmp.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.query, got, tc.want)
		}
	}
	// A bad filter gets the usual error answer, not a file.
	from := time.Now().UTC().Format(time.RFC3339)
	if r := en.do(req{method: "GET", path: "/api/v1/movements/export?from=" + url.QueryEscape(from) + "&to=" + url.QueryEscape(from),
		token: clerk}); r.Status != 422 || en.fields(r)["to"] == "" {
		t.Errorf("to before from: %d %s", r.Status, r.Body)
	}
}

func TestDashboardOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]
	en.do(req{method: "PATCH", path: fmt.Sprintf("/api/v1/items/%d", item.ID), token: en.tokens[auth.RoleManager],
		body: map[string]any{"min_stock": 100}})
	r := en.do(req{method: "GET", path: "/api/v1/dashboard", token: en.tokens[auth.RoleViewer]})
	type dashboard struct {
		TimeZone   string `json:"time_zone"`
		Currency   string `json:"currency"`
		StockValue string `json:"stock_value"`
		ByCategory []struct {
			CategoryID *int64 `json:"category_id"`
			Value      string `json:"value"`
		} `json:"stock_value_by_category"`
		LowStockCount int64 `json:"low_stock_count"`
		LowStockItems []struct {
			ItemID   int64 `json:"item_id"`
			Good     int64 `json:"good"`
			MinStock int64 `json:"min_stock"`
		} `json:"low_stock_items"`
		MovementsToday  int64         `json:"movements_today"`
		Week            int64         `json:"movements_this_week"`
		Recent          []movementOut `json:"recent_movements"`
		MovementsPerDay []struct {
			Date      string `json:"date"`
			Movements int64  `json:"movements"`
		} `json:"movements_per_day"`
	}
	var empty dashboard
	r.decode(t, &empty)
	if r.Status != 200 || empty.TimeZone != "Europe/Zurich" || empty.Currency != "CHF" || empty.StockValue != "0.00" ||
		empty.LowStockCount != 1 || len(empty.MovementsPerDay) != 30 || empty.MovementsToday != 0 || len(empty.Recent) != 0 {
		t.Fatalf("empty depot: %d %s", r.Status, r.Body)
	}
	en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 2, "unit": "package",
		"unit_cost": "24", "supplier_id": sup.ID}, nil)
	m, _ := en.book(clerk, map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID, "quantity": 8, "note": "Fest"}, nil)
	var d dashboard
	en.do(req{method: "GET", path: "/api/v1/dashboard", token: clerk}).decode(t, &d)
	today := time.Now().In(zurichZone(t)).Format(time.DateOnly)
	if d.StockValue != "40.00" || len(d.ByCategory) != 1 || d.ByCategory[0].CategoryID != nil || d.ByCategory[0].Value != "40.00" ||
		d.LowStockCount != 1 || len(d.LowStockItems) != 1 || d.LowStockItems[0].Good != 40 || d.LowStockItems[0].MinStock != 100 ||
		d.MovementsToday != 2 || d.Week != 2 || len(d.Recent) != 2 || d.Recent[0].ID != m.ID ||
		d.MovementsPerDay[29].Date != today || d.MovementsPerDay[29].Movements != 2 {
		t.Errorf("after two movements: %+v", d)
	}
}

func zurichZone(t *testing.T) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	return z
}
