package postgres_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
)

// journalEntry is what the test knows of a movement it booked.
type journalEntry struct {
	id                 int64
	typ                ledger.Type
	item, loc          int64
	to                 *int64
	supplier, customer *int64
	user               int64
	effective          time.Time
}

func TestLedgerJournalPagesAndFilters(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	items := []int64{env.item(t, "LAGER", 0, 0), env.item(t, "COLA", 0, 0)}
	locs := []int64{env.location(t, "A"), env.location(t, "B"), env.location(t, "C")}
	sups := []int64{env.supplier(t, "Brauerei"), env.supplier(t, "Mineralquelle")}
	cuss := []int64{env.customer(t, "Krone"), env.customer(t, "Sonne")}
	users := []int64{env.user(t, "anna@example.ch"), env.user(t, "ben@example.ch")}
	now := time.Now().UTC().Truncate(time.Second)

	// 120 movements: six types in turn, two items, three locations, two
	// people, dated back in an order other than the ids', three at each
	// time (ties the id breaks).
	var all []journalEntry
	for i := range 120 {
		// Each run of six starts with a receipt that the other five draw on.
		e := journalEntry{item: items[i/6%2], loc: locs[i/6%3], user: users[i/7%2], effective: now.Add(-time.Duration((i*37)%40*3) * time.Hour)}
		in := ledger.Input{ItemID: e.item, LocationID: e.loc, Quantity: 1, EffectiveAt: &e.effective}
		switch i % 6 {
		case 0:
			e.typ, e.supplier = ledger.Receipt, &sups[i/6%2]
			in.Quantity, in.SupplierID = 100, e.supplier
		case 1:
			e.typ, e.customer = ledger.Issue, &cuss[i/6%2]
			in.CustomerID = e.customer
		case 2:
			e.typ, e.customer = ledger.Return, &cuss[i/12%2]
			in.CustomerID = e.customer
		case 3:
			e.typ, in.Reason = ledger.Defect, "Bruch"
		case 4:
			e.typ, e.to = ledger.Transfer, &locs[(i/6+1)%3]
			in.ToLocationID = e.to
		case 5:
			e.typ = ledger.Adjust
		}
		in.Type = e.typ
		m, err := env.svc.CreateMovement(ctx, audit.Actor{UserID: e.user}, in)
		if err != nil {
			t.Fatalf("movement %d: %v", i, err)
		}
		e.id = m.ID
		all = append(all, e)
	}
	// As the journal lists them: by effective time, newest first, then by
	// id, newest first.
	slices.SortFunc(all, func(a, b journalEntry) int {
		if c := b.effective.Compare(a.effective); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})

	journal := func(f ledger.Filter) func(cursor *string) (page.Page[ledger.Movement], error) {
		return func(cursor *string) (page.Page[ledger.Movement], error) {
			p, err := page.NewRequest(ptr(50), cursor, ledger.JournalSort)
			if err != nil {
				return page.Page[ledger.Movement]{}, err
			}
			return env.svc.ListMovements(ctx, f, p)
		}
	}
	expect := func(keep func(journalEntry) bool) []int64 {
		var ids []int64
		for _, e := range all {
			if keep(e) {
				ids = append(ids, e.id)
			}
		}
		return ids
	}
	movementID := func(m ledger.Movement) int64 { return m.ID }

	// The whole journal: 50 + 50 + 20, newest first, nothing twice, nothing missing.
	var pages []int
	var cursor *string
	for {
		p := try(journal(ledger.Filter{})(cursor)).must(t)
		pages = append(pages, len(p.Items))
		if p.NextCursor == "" {
			break
		}
		cursor = &p.NextCursor
	}
	if diff := gocmp.Diff([]int{50, 50, 20}, pages); diff != "" {
		t.Errorf("page sizes (-want +got):\n%s", diff)
	}

	b := locs[1]
	from, to := now.Add(-80*time.Hour), now.Add(-20*time.Hour)
	for _, tc := range []struct {
		name string
		f    ledger.Filter
		keep func(journalEntry) bool
	}{
		{"all", ledger.Filter{}, func(journalEntry) bool { return true }},
		{"type", ledger.Filter{Type: ledger.Transfer}, func(e journalEntry) bool { return e.typ == ledger.Transfer }},
		{"item", ledger.Filter{ItemID: &items[1]}, func(e journalEntry) bool { return e.item == items[1] }},
		{"location, as source or target", ledger.Filter{LocationID: &b},
			func(e journalEntry) bool { return e.loc == b || e.to != nil && *e.to == b }},
		{"supplier", ledger.Filter{SupplierID: &sups[1]}, func(e journalEntry) bool { return e.supplier != nil && *e.supplier == sups[1] }},
		{"customer", ledger.Filter{CustomerID: &cuss[0]}, func(e journalEntry) bool { return e.customer != nil && *e.customer == cuss[0] }},
		{"user", ledger.Filter{UserID: &users[1]}, func(e journalEntry) bool { return e.user == users[1] }},
		{"effective from", ledger.Filter{From: &from}, func(e journalEntry) bool { return !e.effective.Before(from) }},
		{"effective range", ledger.Filter{From: &from, To: &to},
			func(e journalEntry) bool { return !e.effective.Before(from) && e.effective.Before(to) }},
		{"item, type and user", ledger.Filter{ItemID: &items[0], Type: ledger.Receipt, UserID: &users[0]},
			func(e journalEntry) bool { return e.item == items[0] && e.typ == ledger.Receipt && e.user == users[0] }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := expect(tc.keep)
			if len(want) == 0 || (tc.name != "all" && len(want) == len(all)) {
				t.Fatalf("the filter keeps %d of %d: a test that cannot fail", len(want), len(all))
			}
			got, total := walk(t, 50, movementID, journal(tc.f))
			if diff := gocmp.Diff(want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if total != len(want) {
				t.Errorf("total = %d, want %d", total, len(want))
			}
		})
	}

	items0 := expect(func(e journalEntry) bool { return e.item == items[0] })
	got, _ := walk(t, 50, movementID, func(cursor *string) (page.Page[ledger.Movement], error) {
		p, err := page.NewRequest(ptr(50), cursor, ledger.JournalSort)
		if err != nil {
			return page.Page[ledger.Movement]{}, err
		}
		return env.svc.ItemMovements(ctx, items[0], p)
	})
	if diff := gocmp.Diff(items0, got); diff != "" {
		t.Errorf("ItemMovements (-want +got):\n%s", diff)
	}

	for _, after := range [][]string{{"x"}, {"1", "2"}} {
		_, err := env.svc.ListMovements(ctx, ledger.Filter{}, page.Request{Limit: 10, After: after})
		wantLedgerCode(t, err, apperr.CodeValidation)
	}
	_, err := env.svc.ListMovements(ctx, ledger.Filter{Type: "gift"}, page.Request{Limit: 10})
	wantLedgerCode(t, err, apperr.CodeValidation)
}

// With 50,000 movements and fresh statistics, no variant of the journal or
// the stock list reads movements (or, for a page, stock or items)
// sequentially.
func TestLedgerListsUseIndexes(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	start := time.Now()
	env.exec(t, `
		INSERT INTO categories (name) SELECT 'Kategorie ' || g FROM generate_series(1, 20) g;
		INSERT INTO items (sku, name, base_unit, category_id, min_stock)
		SELECT 'SKU-' || g, 'Item ' || md5(g::text), 'bottle', 1 + g % 20, g % 50 FROM generate_series(1, 2000) g;
		INSERT INTO locations (code, name, kind) SELECT 'L' || g, 'Lager ' || g, 'warehouse' FROM generate_series(1, 20) g;
		INSERT INTO suppliers (name) SELECT 'Lieferant ' || g FROM generate_series(1, 50) g;
		INSERT INTO customers (name, billing_postal_code, billing_town) SELECT 'Kunde ' || g, '8001', 'Zürich' FROM generate_series(1, 200) g;
		INSERT INTO users (email, name, role, password_hash) SELECT 'u' || g || '@example.ch', 'U' || g, 'clerk', 'x' FROM generate_series(1, 10) g;
		INSERT INTO stock (item_id, location_id, good, defective)
		SELECT 1 + g % 2000, 1 + (g / 2000 * 4 + g % 3) % 20, g % 97, g % 3 FROM generate_series(0, 9999) g
		    ON CONFLICT DO NOTHING;
		INSERT INTO movements (type, item_id, location_id, to_location_id, quantity_base, counted, entered_quantity, entered_unit,
		                       unit_factor, supplier_id, customer_id, reason, effective_at, created_at, created_by,
		                       avg_cost_before, avg_cost_after)
		SELECT t, 1 + g % 2000, 1 + g % 20, CASE WHEN t = 'transfer' THEN 1 + (g + 1) % 20 END,
		       1 + g % 10, CASE WHEN t = 'adjust' THEN g % 10 END, 1 + g % 10, 'base', 1,
		       CASE WHEN t = 'receipt' THEN 1 + g % 50 END, CASE WHEN t IN ('issue', 'return') THEN 1 + g % 200 END,
		       CASE WHEN t IN ('defect', 'write_off') THEN 'Bruch' ELSE '' END,
		       now() - (50000 - g) * interval '1 minute', now() - (50000 - g) * interval '1 minute', 1 + g % 10, 0, 0
		  FROM (SELECT g, (ARRAY['receipt', 'issue', 'return', 'defect', 'write_off', 'adjust', 'transfer'])[1 + g % 7] AS t
		          FROM generate_series(1, 50000) g) s;
		ANALYZE categories; ANALYZE items; ANALYZE locations; ANALYZE stock; ANALYZE movements;`)
	t.Logf("seeded 50,000 movements in %s", time.Since(start).Round(time.Millisecond))

	checked := 0
	explain := func(name, sql string, args []any, tables ...string) {
		t.Helper()
		var plan []map[string]any
		if err := env.pool.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&plan); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, sql)
		}
		for _, table := range tables {
			if seqScanOn(plan[0]["Plan"], table) {
				raw, _ := json.Marshal(plan)
				t.Errorf("%s reads %s sequentially:\n%s\nplan: %s", name, table, sql, raw)
			}
		}
		checked++
	}
	// Every journal page and count can walk an index in the journal's order
	// and stop at the limit: with sorting priced out, the plan has no Sort
	// node. (Left free, the planner rightly sorts a filter's few matches,
	// such as one item's 25 movements, from a bitmap scan instead; a
	// verbose run logs both plans.)
	inOrder := func(name, sql string, args []any, index string) {
		t.Helper()
		tx, err := env.pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = tx.Rollback(ctx) }()
		var free, walked []map[string]any
		if err := tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&free); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := tx.Exec(ctx, "SET LOCAL enable_sort = off"); err != nil {
			t.Fatal(err)
		}
		if err := tx.QueryRow(ctx, "EXPLAIN (FORMAT JSON) "+sql, args...).Scan(&walked); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if nodeOf(walked[0]["Plan"], "Sort") != nil {
			raw, _ := json.Marshal(walked)
			t.Errorf("%s has no index in the journal's order:\n%s\nplan: %s", name, sql, raw)
		}
		if shape := planShape(walked[0]["Plan"]); index != "" && !strings.Contains(shape, " "+index+" ") {
			t.Errorf("%s does not walk %s: %s", name, index, shape)
		}
		if testing.Verbose() {
			t.Logf("%s:\n  free:   %s\n  walked: %s", name, planShape(free[0]["Plan"]), planShape(walked[0]["Plan"]))
		}
	}

	item, loc, sup, cus, user, cat := int64(17), int64(3), int64(5), int64(9), int64(2), int64(4)
	from := time.Now().Add(-10 * 24 * time.Hour)
	to := from.Add(24 * time.Hour)
	// index is the index a selective filter's page must walk; the
	// others may as well walk movements_effective_idx backwards and skip
	// the few rows that do not match.
	for _, v := range []struct {
		name  string
		f     ledger.Filter
		index string
	}{
		{"all", ledger.Filter{}, "movements_effective_idx"},
		{"type", ledger.Filter{Type: ledger.Transfer}, ""},
		{"item", ledger.Filter{ItemID: &item}, "movements_item_idx"},
		{"location", ledger.Filter{LocationID: &loc}, ""},
		{"supplier", ledger.Filter{SupplierID: &sup}, "movements_supplier_idx"},
		{"customer", ledger.Filter{CustomerID: &cus}, "movements_customer_idx"},
		{"user", ledger.Filter{UserID: &user}, ""},
		{"from", ledger.Filter{From: &from}, "movements_effective_idx"},
		{"range", ledger.Filter{From: &from, To: &to}, "movements_effective_idx"},
		{"item and type", ledger.Filter{ItemID: &item, Type: ledger.Issue}, "movements_item_idx"},
		{"location and range", ledger.Filter{LocationID: &loc, From: &from, To: &to}, ""},
		{"user and type", ledger.Filter{UserID: &user, Type: ledger.Receipt}, ""},
	} {
		middle := time.Now().Add(-25000 * time.Minute).UTC().Format(time.RFC3339Nano)
		for _, after := range [][]string{nil, {middle, "25000"}} {
			name := fmt.Sprintf("journal %s, cursor %v", v.name, after != nil)
			countSQL, countArgs, pageSQL, pageArgs, err := postgres.LedgerJournalSQL(v.f, page.Request{Limit: 50, After: after})
			if err != nil {
				t.Fatal(err)
			}
			explain(name+" (page)", pageSQL, pageArgs, "movements")
			inOrder(name+" (page)", pageSQL, pageArgs, v.index)
			if after == nil {
				explain(name+" (count)", countSQL, countArgs, "movements")
				inOrder(name+" (count)", countSQL, countArgs, v.index)
			}
		}
	}
	// A page of the stock list walks items in name order on an index, unless
	// a selective filter makes sorting the few matches cheaper (with 2,000
	// items the planner then rightly reads the small items table whole).
	for _, v := range []struct {
		name    string
		f       ledger.StockFilter
		byIndex bool // the page must come from an index on items too
	}{
		{"all", ledger.StockFilter{}, true},
		{"item", ledger.StockFilter{ItemID: &item}, true},
		{"location", ledger.StockFilter{LocationID: &loc}, false},
		{"location and below", ledger.StockFilter{LocationID: &loc, Sublocations: true}, false},
		{"category", ledger.StockFilter{CategoryID: &cat}, false},
		{"low", ledger.StockFilter{LowStock: true}, true},
		{"low at a location", ledger.StockFilter{LowStock: true, LocationID: &loc}, false},
		{"low in a category", ledger.StockFilter{LowStock: true, CategoryID: &cat}, false},
	} {
		for _, after := range [][]string{nil, {"item 5", "100"}} {
			name := fmt.Sprintf("stock %s, cursor %v", v.name, after != nil)
			countSQL, countArgs, pageSQL, pageArgs, err := postgres.LedgerStockListSQL(v.f, page.Request{Limit: 50, After: after})
			if err != nil {
				t.Fatal(err)
			}
			tables := []string{"movements", "stock"}
			if v.byIndex {
				tables = append(tables, "items")
			}
			explain(name+" (page)", pageSQL, pageArgs, tables...)
			if after == nil {
				// Counting every item's stock reads every item; it must not
				// read all the stock to do it.
				explain(name+" (count)", countSQL, countArgs, "movements", "stock")
			}
		}
	}
	t.Logf("%d query plans checked", checked)

	// The journal answers from the seeded table as it would in use.
	p := try(env.svc.ListMovements(ctx, ledger.Filter{ItemID: &item}, page.Request{Limit: 10})).must(t)
	if p.Total != 25 || len(p.Items) != 10 || p.NextCursor == "" {
		t.Errorf("item %d: total %d, %d items, cursor %q; want 25 in all", item, p.Total, len(p.Items), p.NextCursor)
	}
	if p := try(env.svc.ListMovements(ctx, ledger.Filter{}, page.Request{Limit: 1})).must(t); p.Total != ledger.JournalCountLimit+1 {
		t.Errorf("total of the whole journal = %d, want the cap %d", p.Total, ledger.JournalCountLimit+1)
	}
}

// nodeOf returns the first plan node of the given type in a plan tree, or
// nil.
func nodeOf(node any, typ string) map[string]any {
	m, ok := node.(map[string]any)
	if !ok {
		return nil
	}
	if m["Node Type"] == typ {
		return m
	}
	children, _ := m["Plans"].([]any)
	for _, c := range children {
		if n := nodeOf(c, typ); n != nil {
			return n
		}
	}
	return nil
}

// planShape writes a plan tree on one line: each node's type and index,
// children in brackets, for the log of a verbose run.
func planShape(node any) string {
	m, ok := node.(map[string]any)
	if !ok {
		return ""
	}
	s, _ := m["Node Type"].(string)
	if ix, ok := m["Index Name"].(string); ok {
		s += " " + ix
		if dir, _ := m["Scan Direction"].(string); dir != "" {
			s += " " + dir
		}
	}
	children, _ := m["Plans"].([]any)
	var parts []string
	for _, c := range children {
		parts = append(parts, planShape(c))
	}
	if len(parts) > 0 {
		s += " [" + strings.Join(parts, ", ") + "]"
	}
	return s
}

// The journal, its export and the dashboard's recent movements list
// movements by the time they took effect, which is what they show: a
// back-dated booking sits at its time, not at its id. Paging two at a time
// through three movements of one time loses and repeats none.
func TestLedgerJournalOrdersByEffectiveTime(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	now := time.Now().UTC().Truncate(time.Microsecond)
	book := func(at time.Time) int64 {
		return env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 1, Note: "Nachtrag", EffectiveAt: &at}).ID
	}
	// Booked in this order (so ids ascend), effective in another.
	latest := book(now.Add(-time.Minute))
	backdated := book(now.Add(-48 * time.Hour))
	tie := now.Add(-24 * time.Hour).Add(123456 * time.Microsecond) // microseconds survive the cursor
	tied := []int64{book(tie), book(tie), book(tie)}
	recent := book(now.Add(-time.Hour))
	want := []int64{latest, recent, tied[2], tied[1], tied[0], backdated}

	for _, f := range []ledger.Filter{{}, {ItemID: &beer}, {LocationID: &wh}, {Type: ledger.Receipt}} {
		got, total := walk(t, 2, func(m ledger.Movement) int64 { return m.ID }, func(cursor *string) (page.Page[ledger.Movement], error) {
			p, err := page.NewRequest(ptr(2), cursor, ledger.JournalSort)
			if err != nil {
				return page.Page[ledger.Movement]{}, err
			}
			return env.svc.ListMovements(ctx, f, p)
		})
		if diff := gocmp.Diff(want, got); diff != "" || total != len(want) {
			t.Errorf("journal %+v, two a page (-want +got):\n%s(total %d)", f, diff, total)
		}
	}

	var exported []int64
	if err := env.store.EachMovement(ctx, ledger.Filter{}, func(r ledger.JournalRow) error {
		exported = append(exported, r.ID)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := gocmp.Diff(want, exported); diff != "" {
		t.Errorf("export (-want +got):\n%s", diff)
	}

	d, err := env.svc.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var shown []int64
	for _, m := range d.Recent {
		shown = append(shown, m.ID)
	}
	if diff := gocmp.Diff(want, shown); diff != "" {
		t.Errorf("dashboard's recent movements (-want +got):\n%s", diff)
	}

	// A cursor of the journal's old order (by id alone) is refused.
	old := page.Cursor("-id", strconv.FormatInt(tied[1], 10))
	if _, err := page.NewRequest(ptr(2), &old, ledger.JournalSort); err == nil {
		t.Error("a cursor of the id order was accepted")
	}
}
