package httpapi_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// depot creates a category, a supplier, a location and an item packed 24 to
// the crate and 40 crates to the pallet.
func depot(t *testing.T, en *env) (item, loc, sup record) {
	t.Helper()
	mgr := en.tokens[auth.RoleManager]
	sup, _ = en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "Feldschlösschen"})
	loc, _ = en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH1", "name": "Hauptlager", "kind": "warehouse"})
	item, _ = en.create(mgr, "/api/v1/items", map[string]any{
		"sku": "FS-33", "name": "Feldschlösschen Original 33 cl", "base_unit": "bottle", "package_unit": "crate",
		"package_size": 24, "pallet_size": 40, "sales_price_unit": "1.40", "vat_rate": "8.1", "abv": "4.8", "alcoholic": true})
	return item, loc, sup
}

type movementOut struct {
	ID           int64  `json:"id"`
	Type         string `json:"type"`
	QuantityBase int64  `json:"quantity_base"`
	UnitFactor   int64  `json:"unit_factor"`
	ReversesID   *int64 `json:"reverses_id"`
}

func (en *env) book(token string, body map[string]any, header map[string]string) (movementOut, response) {
	en.t.Helper()
	r := en.do(req{method: "POST", path: "/api/v1/movements", token: token, body: body, header: header})
	var m movementOut
	if r.Status == 201 {
		r.decode(en.t, &m)
	}
	return m, r
}

func TestStockJourneyOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]

	// Receive 2 pallets at 0.95 per bottle: 2 × 40 × 24 = 1920 bottles.
	rec, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 2, "unit": "pallet", "supplier_id": sup.ID, "unit_cost": "912"}, nil)
	if r.Status != 201 || rec.QuantityBase != 1920 || rec.UnitFactor != 960 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	// Issue 3 crates.
	if _, r := en.book(clerk, map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 3, "unit": "package", "note": "Festwirtschaft"}, nil); r.Status != 201 {
		t.Fatalf("issue: %d %s", r.Status, r.Body)
	}
	st := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/stock", item.ID), token: en.tokens[auth.RoleViewer]})
	var stock struct {
		Available          int64  `json:"available"`
		AvgUnitCost        string `json:"avg_unit_cost"`
		Value              string `json:"value"`
		AvailableBreakdown struct {
			Pallets, Packages, Units int64
		} `json:"available_breakdown"`
		Locations []struct {
			Good int64 `json:"good"`
		} `json:"locations"`
	}
	st.decode(t, &stock)
	b := stock.AvailableBreakdown
	// 1920 - 72 = 1848 = 1 pallet (960) + 37 crates (888) + 0 bottles.
	if stock.Available != 1848 || b.Pallets != 1 || b.Packages != 37 || b.Units != 0 || len(stock.Locations) != 1 ||
		stock.AvgUnitCost != "0.95" || stock.Value != "1755.60" {
		t.Fatalf("stock %s", st.Body)
	}

	// Overselling is refused with the error envelope and changes nothing.
	if _, r := en.book(clerk, map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 1849, "note": "zu viel"}, nil); r.Status != 409 || r.errorCode() != "insufficient_stock" {
		t.Fatalf("oversell: %d %s", r.Status, r.Body)
	}
	// A viewer cannot book.
	if _, r := en.book(en.tokens[auth.RoleViewer], map[string]any{"type": "issue", "item_id": item.ID,
		"location_id": loc.ID, "quantity": 1, "note": "x"}, nil); r.Status != 403 {
		t.Fatalf("viewer booked: %d", r.Status)
	}

	// The journal lists both movements, newest first, and filters by type.
	j := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/movements?item_id=%d", item.ID), token: clerk})
	var journal struct {
		Items []movementOut `json:"items"`
	}
	j.decode(t, &journal)
	if len(journal.Items) != 2 || journal.Items[0].Type != "issue" || journal.Items[1].ID != rec.ID {
		t.Fatalf("journal %s", j.Body)
	}
	issueID := journal.Items[0].ID
	var first struct {
		Items      []movementOut `json:"items"`
		NextCursor string        `json:"next_cursor"`
	}
	en.do(req{method: "GET", path: "/api/v1/movements?limit=1", token: clerk}).decode(t, &first)
	second := en.do(req{method: "GET", path: "/api/v1/movements?limit=1&cursor=" + first.NextCursor, token: clerk})
	var next struct {
		Items []movementOut `json:"items"`
	}
	second.decode(t, &next)
	if len(first.Items) != 1 || first.NextCursor == "" || len(next.Items) != 1 || next.Items[0].ID != rec.ID {
		t.Fatalf("journal paging: %+v then %s", first, second.Body)
	}
	j = en.do(req{method: "GET", path: "/api/v1/movements?type=receipt", token: clerk})
	j.decode(t, &journal)
	if len(journal.Items) != 1 {
		t.Fatalf("receipts %s", j.Body)
	}

	// Reversal restores the previous state; a second reversal is refused.
	rev := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/movements/%d/reverse", issueID), token: clerk,
		body: map[string]any{"reason": "falsch erfasst"}})
	if rev.Status != 201 {
		t.Fatalf("reverse: %d %s", rev.Status, rev.Body)
	}
	if r := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/movements/%d/reverse", issueID), token: clerk,
		body: map[string]any{"reason": "nochmals"}}); r.Status != 409 {
		t.Fatalf("second reversal: %d %s", r.Status, r.Body)
	}
	// A reversal of the receipt would now need the 72 bottles issued... they are back.
	var good int64
	if err := en.pool.QueryRow(context.Background(), `SELECT good FROM stock WHERE item_id = $1`, item.ID).Scan(&good); err != nil || good != 1920 {
		t.Fatalf("stock after reversing the issue: %d (%v)", good, err)
	}
	low := en.do(req{method: "GET", path: "/api/v1/stock?low_stock=true", token: clerk})
	var lowList struct {
		Items []struct {
			ItemID int64 `json:"item_id"`
		} `json:"items"`
	}
	low.decode(t, &lowList)
	if len(lowList.Items) != 0 {
		t.Errorf("item below minimum 0? %s", low.Body)
	}

	// The item list carries each item's totals and filters by location and
	// by low stock.
	mgr := en.tokens[auth.RoleManager]
	empty, _ := en.create(mgr, "/api/v1/items", map[string]any{"sku": "EMPTY", "name": "Leergut", "base_unit": "crate", "sales_price_unit": "0", "min_stock": 5})
	other, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH2", "name": "Aussenlager", "kind": "warehouse"})
	type listed struct {
		Items []struct {
			ID    int64 `json:"id"`
			Stock struct {
				Good         int64 `json:"good"`
				OnHand       int64 `json:"on_hand"`
				BelowMinimum bool  `json:"below_minimum"`
			} `json:"stock"`
		} `json:"items"`
		Total int `json:"total"`
	}
	ids := func(path string) ([]int64, listed) {
		t.Helper()
		var l listed
		en.do(req{method: "GET", path: path, token: clerk}).decode(t, &l)
		var out []int64
		for _, it := range l.Items {
			out = append(out, it.ID)
		}
		if l.Total != len(out) {
			t.Errorf("%s: total %d for %d items", path, l.Total, len(out))
		}
		return out, l
	}
	all, l := ids("/api/v1/items?sort=sku")
	if len(all) != 2 || all[0] != empty.ID || l.Items[0].Stock.OnHand != 0 || !l.Items[0].Stock.BelowMinimum ||
		l.Items[1].Stock.Good != 1920 || l.Items[1].Stock.BelowMinimum {
		t.Errorf("items with stock: %+v", l)
	}
	if got, _ := ids(fmt.Sprintf("/api/v1/items?location_id=%d", loc.ID)); len(got) != 1 || got[0] != item.ID {
		t.Errorf("items at %d: %v", loc.ID, got)
	}
	if got, _ := ids(fmt.Sprintf("/api/v1/items?location_id=%d", other.ID)); len(got) != 0 {
		t.Errorf("items at an empty location: %v", got)
	}
	if got, _ := ids("/api/v1/items?low_stock=true"); len(got) != 1 || got[0] != empty.ID {
		t.Errorf("low-stock items: %v", got)
	}
	if got, _ := ids("/api/v1/items?low_stock=true&q=feld"); len(got) != 0 {
		t.Errorf("low-stock items matching feld: %v", got)
	}
}

// Concurrent retries of one movement with one Idempotency-Key book once.
func TestMovementIdempotency(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]
	body := map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 5, "supplier_id": sup.ID}
	var wg sync.WaitGroup
	ids := make([]int64, 12)
	replayed := make([]string, len(ids))
	for i := range ids {
		wg.Go(func() {
			m, r := en.book(clerk, body, map[string]string{"Idempotency-Key": "delivery-4711"})
			if r.Status != 201 {
				t.Errorf("retry %d: %d %s", i, r.Status, r.Body)
			}
			ids[i], replayed[i] = m.ID, r.Header.Get("Idempotent-Replayed")
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("retries booked different movements: %v", ids)
		}
	}
	// The one that booked says nothing; every other is marked a replay.
	if slices.Sort(replayed); !slices.Equal(replayed, append([]string{""}, slices.Repeat([]string{"true"}, len(ids)-1)...)) {
		t.Errorf("Idempotent-Replayed of the answers: %q", replayed)
	}
	var n, good int64
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM movements`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d movements booked (%v)", n, err)
	}
	if err := en.pool.QueryRow(context.Background(), `SELECT good FROM stock WHERE item_id = $1`, item.ID).Scan(&good); err != nil || good != 5 {
		t.Fatalf("stock %d (%v)", good, err)
	}
	body["quantity"] = 6
	if _, r := en.book(clerk, body, map[string]string{"Idempotency-Key": "delivery-4711"}); r.Status != 409 || r.errorCode() != "idempotency_mismatch" {
		t.Fatalf("same key, other body: %d %s", r.Status, r.Body)
	}
}

// Every POST that takes an Idempotency-Key marks the answer to a retry
// with Idempotent-Replayed: true, and the first answer not: those the
// ledger makes once-only itself (a movement, a reversal, a delivery of
// several lines) as well as those of the idempotency middleware (creating
// people is in TestIdempotentCreate, which needs an admin).
func TestReplaysAreMarked(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	mgr := en.tokens[auth.RoleManager]
	movement, r := en.book(mgr, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 50, "supplier_id": sup.ID}, nil)
	if r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	line := map[string]any{"item_id": item.ID, "location_id": loc.ID, "quantity": 2}
	posts := []struct {
		name, path string
		body       any
	}{
		{"delivery", "/api/v1/movements/receipts", map[string]any{"supplier_id": sup.ID, "reference": "LS-9", "lines": []any{line, line, line}}},
		{"reversal", fmt.Sprintf("/api/v1/movements/%d/reverse", movement.ID), map[string]any{"reason": "falsch erfasst"}},
		{"movement", "/api/v1/movements", map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID, "quantity": 3, "note": "Fest"}},
		{"category", "/api/v1/categories", map[string]any{"name": "Mineral"}},
		{"location", "/api/v1/locations", map[string]any{"code": "WH9", "name": "Aussenlager", "kind": "warehouse"}},
		{"supplier", "/api/v1/suppliers", map[string]any{"name": "Valser AG"}},
		{"customer", "/api/v1/customers", map[string]any{"name": "Restaurant Sonne", "billing_address": map[string]any{
			"street": "Dorfstrasse", "house_number": "1", "postal_code": "8001", "town": "Zürich", "country": "CH"}}},
		{"item", "/api/v1/items", map[string]any{"sku": "VAL-1", "name": "Valser 1 l", "base_unit": "bottle", "sales_price_unit": "1.20", "vat_rate": "2.6"}},
		{"token", "/api/v1/tokens", map[string]any{"name": "erp", "scope": "read", "expires_in_days": 30}},
	}
	for _, p := range posts {
		key := map[string]string{"Idempotency-Key": "replay-" + p.name}
		first := en.do(req{method: "POST", path: p.path, token: mgr, body: p.body, header: key})
		again := en.do(req{method: "POST", path: p.path, token: mgr, body: p.body, header: key})
		if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) {
			t.Errorf("%s: %d %s, again %d %s", p.name, first.Status, first.Body, again.Status, again.Body)
		}
		if first.Header.Get("Idempotent-Replayed") != "" || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("%s: Idempotent-Replayed %q first, %q again", p.name, first.Header.Get("Idempotent-Replayed"), again.Header.Get("Idempotent-Replayed"))
		}
		if first.Header.Get("Location") != again.Header.Get("Location") {
			t.Errorf("%s: Location %q first, %q again", p.name, first.Header.Get("Location"), again.Header.Get("Location"))
		}
	}
}

// movementNamesOut is what a reader learns of a movement's partner and
// booker; a key the answer leaves out stays nil.
type movementNamesOut struct {
	ID              int64   `json:"id"`
	SupplierName    *string `json:"supplier_name"`
	CustomerName    *string `json:"customer_name"`
	BookedByName    *string `json:"booked_by_name"`
	BookedWithToken *string `json:"booked_with_token"`
	ToLocationCode  *string `json:"to_location_code"`
}

func (m movementNamesOut) String() string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	return fmt.Sprintf("%d supplier=%s customer=%s by=%s token=%s to=%s", m.ID, s(m.SupplierName), s(m.CustomerName),
		s(m.BookedByName), s(m.BookedWithToken), s(m.ToLocationCode))
}

// Every movement the api returns names its partner and who booked it, for
// every role that reads the journal; without a partner the names are left
// out.
func TestMovementsCarryNamesOverHTTP(t *testing.T) {
	en := newEnv(t)
	item, loc, sup := depot(t, en)
	mgr, clerk := en.tokens[auth.RoleManager], en.tokens[auth.RoleClerk]
	cus, _ := en.create(mgr, "/api/v1/customers", map[string]any{"name": "Restaurant Sonne", "billing_address": map[string]any{
		"postal_code": "8001", "town": "Zürich"}})
	other, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH2", "name": "Aussenlager", "kind": "warehouse"})
	tok := en.do(req{method: "POST", path: "/api/v1/tokens", token: clerk,
		body: map[string]any{"name": "Scanner Rampe", "scope": "write", "expires_in_days": 30}})
	var scanner struct{ Token string }
	tok.decode(t, &scanner)

	post := func(token, path string, body map[string]any) movementNamesOut {
		t.Helper()
		r := en.do(req{method: "POST", path: path, token: token, body: body})
		var m movementNamesOut
		if r.Status != 201 {
			t.Fatalf("%s: %d %s", path, r.Status, r.Body)
		}
		r.decode(t, &m)
		return m
	}
	receipt := post(clerk, "/api/v1/movements", map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 100, "supplier_id": sup.ID})
	issue := post(scanner.Token, "/api/v1/movements", map[string]any{"type": "issue", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 5, "customer_id": cus.ID})
	transfer := post(clerk, "/api/v1/movements", map[string]any{"type": "transfer", "item_id": item.ID, "location_id": loc.ID,
		"to_location_id": other.ID, "quantity": 2})
	reversal := post(mgr, fmt.Sprintf("/api/v1/movements/%d/reverse", issue.ID), map[string]any{"reason": "falsch"})
	r := en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: clerk, body: map[string]any{
		"supplier_id": sup.ID, "lines": []map[string]any{{"item_id": item.ID, "location_id": loc.ID, "quantity": 1}}}})
	var delivery struct{ Movements []movementNamesOut }
	r.decode(t, &delivery)
	if r.Status != 201 || len(delivery.Movements) != 1 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	want := map[int64]string{
		receipt.ID:               fmt.Sprintf("%d supplier=Feldschlösschen customer=- by=Test clerk token=- to=-", receipt.ID),
		issue.ID:                 fmt.Sprintf("%d supplier=- customer=Restaurant Sonne by=Test clerk token=Scanner Rampe to=-", issue.ID),
		transfer.ID:              fmt.Sprintf("%d supplier=- customer=- by=Test clerk token=- to=WH2", transfer.ID),
		reversal.ID:              fmt.Sprintf("%d supplier=- customer=Restaurant Sonne by=Test manager token=- to=-", reversal.ID),
		delivery.Movements[0].ID: fmt.Sprintf("%d supplier=Feldschlösschen customer=- by=Test clerk token=- to=-", delivery.Movements[0].ID),
	}
	for _, m := range []movementNamesOut{receipt, issue, transfer, reversal, delivery.Movements[0]} {
		if m.String() != want[m.ID] {
			t.Errorf("booked: %s\nwant    %s", m, want[m.ID])
		}
	}

	// A viewer reads the same names in the journal, an item's movements
	// and one movement.
	viewer := en.tokens[auth.RoleViewer]
	for _, path := range []string{"/api/v1/movements", fmt.Sprintf("/api/v1/items/%d/movements", item.ID)} {
		var list struct{ Items []movementNamesOut }
		en.do(req{method: "GET", path: path, token: viewer}).decode(t, &list)
		if len(list.Items) != len(want) {
			t.Fatalf("%s: %d movements, want %d", path, len(list.Items), len(want))
		}
		for _, m := range list.Items {
			if m.String() != want[m.ID] {
				t.Errorf("%s: %s\nwant %s", path, m, want[m.ID])
			}
		}
	}
	var one movementNamesOut
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/movements/%d", issue.ID), token: viewer}).decode(t, &one)
	if one.String() != want[issue.ID] {
		t.Errorf("one movement: %s\nwant %s", one, want[issue.ID])
	}
}
