package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zone files

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
)

// figureKey names one row of a dashboard figure.
type figureKey struct {
	figure   string
	category int64
	currency string
	hour     string // as text: the figures without an hour have -infinity
}

// figureRows reads a query of (figure, category, currency, hour, amount)
// rows, dropping zeros.
func (e ledgerEnv) figureRows(t testing.TB, sql string) map[figureKey]string {
	t.Helper()
	rows, _ := e.pool.Query(context.Background(), sql)
	out := map[figureKey]string{}
	var k figureKey
	var amount string
	if _, err := pgx.ForEachRow(rows, []any{&k.figure, &k.category, &k.currency, &k.hour, &amount}, func() error {
		if amount != "0" {
			out[k] = amount
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkDashboard asserts that the figures the writes keep (totals plus the
// changes not folded in) equal the figures summed afresh from the data.
func (e ledgerEnv) checkDashboard(t testing.TB) {
	t.Helper()
	kept := e.figureRows(t, `
		SELECT figure, category_id, currency, hour_utc::text, sum(amount)::text FROM (
		  SELECT figure, category_id, currency, hour_utc, amount FROM dashboard_totals
		  UNION ALL SELECT figure, category_id, currency, hour_utc, amount FROM dashboard_changes) f
		 GROUP BY 1, 2, 3, 4`)
	fresh := e.figureRows(t, `
		SELECT 'stock_value', coalesce(i.category_id, 0), i.currency, '-infinity'::timestamptz::text,
		       sum((t.good + t.defective)::numeric * i.avg_unit_cost_micros)::text
		  FROM item_stock t JOIN items i ON i.id = t.item_id GROUP BY 2, 3
		UNION ALL
		SELECT 'low_stock', 0, '', '-infinity'::timestamptz::text, count(*)::text FROM item_stock WHERE min_stock > 0 AND good <= min_stock AND NOT archived
		UNION ALL
		SELECT 'movements', 0, '', date_trunc('hour', effective_at, 'UTC')::text, count(*)::text FROM movements GROUP BY 4`)
	if diff := cmp.Diff(fresh, kept, cmp.AllowUnexported(figureKey{})); diff != "" {
		t.Fatalf("the dashboard's figures differ from the data (-fresh +kept):\n%s", diff)
	}
}

func zurich(t testing.TB) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestDashboardFigures(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	// Wednesday 14 January 2026, 10:00 in Zurich (UTC+1).
	now := time.Date(2026, 1, 14, 9, 0, 0, 0, time.UTC)
	svc := ledger.NewService(env.store, ledger.Config{Now: func() time.Time { return now }, Zone: zurich(t)})
	book := func(in ledger.Input) ledger.Movement {
		t.Helper()
		m, err := svc.CreateMovement(ctx, stockClerk, in)
		if err != nil {
			t.Fatalf("book %+v: %v", in, err)
		}
		return m
	}
	at := func(s string) *time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}

	beerCat := env.insertID(t, "INSERT INTO categories (name) VALUES ('Bier') RETURNING id")
	wineCat := env.insertID(t, "INSERT INTO categories (name) VALUES ('Wein') RETURNING id")
	beer := env.item(t, "LAGER", 24, 0)
	wine := env.item(t, "WINE", 6, 0)
	loose := env.item(t, "LOOSE", 0, 0)
	euro := env.item(t, "EURO", 0, 0)
	gone := env.item(t, "GONE", 0, 0)
	env.exec(t, "UPDATE items SET category_id = $1, min_stock = 100, reorder_qty = 240 WHERE id = $2", beerCat, beer)
	env.exec(t, "UPDATE items SET category_id = $1, min_stock = 2 WHERE id = $2", wineCat, wine)
	env.exec(t, "UPDATE items SET currency = 'EUR', min_stock = 1 WHERE id = $1", euro)
	env.exec(t, "UPDATE items SET name = 'Aaa archived', archived_at = now() WHERE id = $1", gone)
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")

	// Beer: 48 at 1.10 a bottle, 2 sold: 46 left, below 100. At 23:30 UTC
	// on the 13th, which in Zurich is 00:30 on the 14th: today.
	book(ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 2, Unit: catalogue.UnitPackage,
		UnitCost: i64(24 * 1_100_000), SupplierID: &sup, EffectiveAt: at("2026-01-13T23:30:00Z")})
	book(ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 2, Note: "Verkauf", EffectiveAt: at("2026-01-13T22:30:00Z")})
	// Wine: 12 at 8.333333, then 1 turned defective (still on hand), on Monday the 12th.
	book(ledger.Input{Type: ledger.Receipt, ItemID: wine, LocationID: wh, Quantity: 2, Unit: catalogue.UnitPackage,
		UnitCost: i64(50_000_000), SupplierID: &sup, EffectiveAt: at("2026-01-11T23:00:00Z")})
	book(ledger.Input{Type: ledger.Defect, ItemID: wine, LocationID: wh, Quantity: 1, Reason: "Bruch", EffectiveAt: at("2026-01-12T10:00:00Z")})
	// Loose (no category): 3 at 0.005; Euro: 10 at 2.00 EUR. On Sunday the 11th.
	book(ledger.Input{Type: ledger.Receipt, ItemID: loose, LocationID: wh, Quantity: 3, UnitCost: i64(5_000), SupplierID: &sup,
		EffectiveAt: at("2026-01-11T22:59:59Z")})
	book(ledger.Input{Type: ledger.Receipt, ItemID: euro, LocationID: wh, Quantity: 10, UnitCost: i64(2_000_000), SupplierID: &sup,
		EffectiveAt: at("2026-01-11T12:00:00Z")})
	last := book(ledger.Input{Type: ledger.Issue, ItemID: euro, LocationID: wh, Quantity: 9, Note: "Export", EffectiveAt: &now})

	d, err := svc.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// 46 × 1.10 + 12 × 8.333333 + 3 × 0.005 = 50.60 + 99.999996 + 0.015 = 150.614996.
	if d.StockValue != 15061 || d.OtherCategories != 0 {
		t.Errorf("stock value %s, other categories %s", d.StockValue, d.OtherCategories)
	}
	wantCats := []ledger.CategoryValue{
		{Currency: "CHF", CategoryID: wineCat, Name: "Wein", Value: 10000},
		{Currency: "CHF", CategoryID: beerCat, Name: "Bier", Value: 5060},
		{Currency: "CHF", CategoryID: 0, Value: 2},
	}
	if diff := cmp.Diff(wantCats, d.ByCategory); diff != "" {
		t.Errorf("by category (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ledger.CurrencyValue{{Currency: "EUR", Value: money.Amount(200)}}, d.OtherCurrencies); diff != "" {
		t.Errorf("other currencies (-want +got):\n%s", diff)
	}
	// Low: beer (46 ≤ 100), wine (11 good ≤ 2? no), euro (1 ≤ 1), not the
	// archived one; by name.
	if d.LowStockCount != 2 {
		t.Errorf("low stock count %d", d.LowStockCount)
	}
	var low []string
	for _, it := range d.LowStock {
		low = append(low, fmt.Sprintf("%s %d/%d/%d", it.SKU, it.Good, it.MinStock, it.ReorderQty))
	}
	if diff := cmp.Diff([]string{"EURO 1/1/0", "LAGER 46/100/240"}, low); diff != "" {
		t.Errorf("low stock items (-want +got):\n%s", diff)
	}
	// Today: the beer receipt (00:30 local) and the euro issue (now); the
	// beer issue was at 23:30 local on the 13th.
	if d.MovementsToday != 2 || d.MovementsThisWeek != 5 {
		t.Errorf("today %d, this week %d; want 2 and 5", d.MovementsToday, d.MovementsThisWeek)
	}
	perDay := map[string]int64{}
	for _, day := range d.PerDay {
		if day.Movements > 0 {
			perDay[day.Date.Format(time.DateOnly)] = day.Movements
		}
	}
	if diff := cmp.Diff(map[string]int64{"2026-01-14": 2, "2026-01-13": 1, "2026-01-12": 2, "2026-01-11": 2}, perDay); diff != "" {
		t.Errorf("per day (-want +got):\n%s", diff)
	}
	if len(d.Recent) != 7 || d.Recent[0].ID != last.ID || d.Recent[0].ItemSKU != "EURO" {
		t.Errorf("recent: %d movements, first %+v", len(d.Recent), d.Recent[0])
	}
	env.checkDashboard(t)

	// Moving an item to another category and currency moves its value.
	env.exec(t, "UPDATE items SET category_id = NULL WHERE id = $1", wine)
	env.exec(t, "UPDATE items SET currency = 'CHF' WHERE id = $1", euro)
	d = try(svc.Dashboard(ctx)).must(t)
	if d.StockValue != 15261 || len(d.ByCategory) != 2 || d.ByCategory[1].Value != 10201 || len(d.OtherCurrencies) != 0 {
		t.Errorf("after moving: %s, %+v, %+v", d.StockValue, d.ByCategory, d.OtherCurrencies)
	}
	env.checkDashboard(t)
}

// Hundreds of bookings fold their changes into the totals, and the figures
// stay those of the data.
func TestDashboardFoldsChanges(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")
	var items []int64
	for i := range 5 {
		items = append(items, env.item(t, fmt.Sprintf("ITEM-%d", i), 0, 0))
	}
	for k := range 300 {
		in := ledger.Input{Type: ledger.Receipt, ItemID: items[k%5], LocationID: wh, Quantity: int64(1 + k%7),
			UnitCost: i64(int64(100_000 * (1 + k%13))), SupplierID: &sup}
		if k%3 == 2 {
			// The item the receipt before received.
			in = ledger.Input{Type: ledger.Issue, ItemID: items[(k-1)%5], LocationID: wh, Quantity: 1, Note: "Verkauf"}
		}
		if _, err := env.svc.CreateMovement(ctx, stockClerk, in); err != nil {
			t.Fatal(err)
		}
	}
	var changes int
	if err := env.pool.QueryRow(ctx, "SELECT count(*) FROM dashboard_changes").Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if changes >= 256 {
		t.Errorf("%d changes not folded", changes)
	}
	env.checkDashboard(t)
	env.checkConsistent(t)
}

// The first items below their minimum by name, whether few of the items or
// many are.
func TestDashboardLowStockItems(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	// 1,500 items with a minimum of 5, 300 without one (0), which are never
	// low however empty: the old rule (good <= min_stock) counted them.
	env.exec(t, `INSERT INTO items (sku, name, base_unit, min_stock)
		SELECT 'SKU-' || g, 'Item ' || lpad(g::text, 5, '0'), 'bottle', CASE WHEN g % 6 = 0 THEN 0 ELSE 5 END
		  FROM generate_series(1, 1800) g`)
	wh := env.location(t, "WH1")
	env.exec(t, `INSERT INTO stock (item_id, location_id, good) SELECT id, $1, 10 FROM items WHERE min_stock = 5 AND id % 5 <> 0`, wh)
	// Now 1,500 × 1/5 of minimum 5 hold nothing: 300 low; the 300 without
	// a minimum hold nothing either and are not.
	env.exec(t, "ANALYZE items; ANALYZE item_stock")
	for _, fill := range []bool{false, true} {
		if fill {
			// 1,200 more low: every item of minimum 5 back to nothing.
			env.exec(t, `UPDATE stock SET good = 0`)
		}
		d := try(env.svc.Dashboard(ctx)).must(t)
		var want []string
		rows, _ := env.pool.Query(ctx, `SELECT i.sku FROM items i JOIN item_stock t ON t.item_id = i.id
			WHERE t.min_stock > 0 AND t.good <= t.min_stock ORDER BY lower(i.name), i.id LIMIT 10`)
		want, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range d.LowStock {
			got = append(got, it.SKU)
		}
		if diff := cmp.Diff(want, got); diff != "" || len(got) != 10 {
			t.Errorf("filled %v: low stock items (-want +got):\n%s", fill, diff)
		}
		if wantCount := map[bool]int64{false: 300, true: 1500}[fill]; d.LowStockCount != wantCount {
			t.Errorf("filled %v: %d low, want %d", fill, d.LowStockCount, wantCount)
		}
	}
	env.checkDashboard(t)
}
