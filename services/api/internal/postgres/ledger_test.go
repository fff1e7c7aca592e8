package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// stockClerk books the ledger tests' movements; UserID 0 is the system.
var stockClerk = audit.Actor{RequestID: "req-ledger"}

type ledgerEnv struct {
	pool  *pgxpool.Pool
	store *postgres.LedgerStore
	svc   *ledger.Service
}

// newLedger opens a fresh database with a pool large enough for the
// concurrency tests' clients to run at once.
func newLedger(t testing.TB) ledgerEnv {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = 80
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	store := postgres.NewLedgerStore(pool)
	return ledgerEnv{pool: pool, store: store, svc: ledger.NewService(store, ledger.Config{})}
}

func (e ledgerEnv) insertID(t testing.TB, sql string, args ...any) int64 {
	t.Helper()
	var id int64
	if err := e.pool.QueryRow(context.Background(), sql, args...).Scan(&id); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return id
}

func (e ledgerEnv) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// item creates an item counted in bottles; packageSize 0 means no crate,
// palletSize 0 no pallet.
func (e ledgerEnv) item(t testing.TB, sku string, packageSize, palletSize int64) int64 {
	t.Helper()
	var unit, pkg, pal any
	if packageSize > 0 {
		unit, pkg = "crate", packageSize
	}
	if palletSize > 0 {
		pal = palletSize
	}
	return e.insertID(t, `INSERT INTO items (sku, name, base_unit, package_unit, package_size, pallet_size)
		VALUES ($1, $1 || ' name', 'bottle', $2, $3, $4) RETURNING id`, sku, unit, pkg, pal)
}

func (e ledgerEnv) location(t testing.TB, code string) int64 {
	t.Helper()
	return e.insertID(t, `INSERT INTO locations (code, name, kind) VALUES ($1, $1, 'warehouse') RETURNING id`, code)
}

func (e ledgerEnv) supplier(t testing.TB, name string) int64 {
	t.Helper()
	return e.insertID(t, `INSERT INTO suppliers (name) VALUES ($1) RETURNING id`, name)
}

func (e ledgerEnv) customer(t testing.TB, name string) int64 {
	t.Helper()
	return e.insertID(t, `INSERT INTO customers (name, billing_postal_code, billing_town) VALUES ($1, '8001', 'Zürich') RETURNING id`, name)
}

func (e ledgerEnv) user(t testing.TB, email string) int64 {
	t.Helper()
	return e.insertID(t, `INSERT INTO users (email, name, role, password_hash) VALUES ($1, $1, 'clerk', 'x') RETURNING id`, email)
}

func (e ledgerEnv) archive(t testing.TB, table string, id int64) {
	t.Helper()
	e.exec(t, "UPDATE "+table+" SET archived_at = now() WHERE id = $1", id)
}

// book creates a movement and fails the test on error.
func (e ledgerEnv) book(t testing.TB, in ledger.Input) ledger.Movement {
	t.Helper()
	m, err := e.svc.CreateMovement(context.Background(), stockClerk, in)
	if err != nil {
		t.Fatalf("book %+v: %v", in, err)
	}
	return m
}

func (e ledgerEnv) reverse(t testing.TB, id int64) ledger.Movement {
	t.Helper()
	m, err := e.svc.Reverse(context.Background(), stockClerk, id, ledger.ReversalInput{Reason: "test"})
	if err != nil {
		t.Fatalf("reverse %d: %v", id, err)
	}
	return m
}

// place is an item at a location.
type place struct{ item, location int64 }

// stockTable reads every stock row.
func (e ledgerEnv) stockTable(t testing.TB) map[place]ledger.Level {
	t.Helper()
	rows, _ := e.pool.Query(context.Background(), "SELECT item_id, location_id, good, defective FROM stock")
	out := map[place]ledger.Level{}
	var p place
	var l ledger.Level
	if _, err := pgx.ForEachRow(rows, []any{&p.item, &p.location, &l.Good, &l.Defective}, func() error {
		out[p] = l
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// nonZero drops empty levels, which a stock row and no stock row both mean.
func nonZero(m map[place]ledger.Level) map[place]ledger.Level {
	out := map[place]ledger.Level{}
	for k, v := range m {
		if v != (ledger.Level{}) {
			out[k] = v
		}
	}
	return out
}

// ledgerSums adds up the effects of every movement in the journal.
func (e ledgerEnv) ledgerSums(t testing.TB) map[place]ledger.Level {
	t.Helper()
	rows, _ := e.pool.Query(context.Background(), `
		SELECT m.type, m.item_id, m.location_id, m.to_location_id, m.quantity_base, o.type
		  FROM movements m LEFT JOIN movements o ON o.id = m.reverses_id`)
	out := map[place]ledger.Level{}
	var m ledger.Movement
	if _, err := pgx.ForEachRow(rows, []any{&m.Type, &m.ItemID, &m.LocationID, &m.ToLocationID, &m.QuantityBase, &m.ReversedType}, func() error {
		effects := m.Effects()
		if len(effects) == 0 {
			return fmt.Errorf("movement %+v has no effect", m)
		}
		for _, ef := range effects {
			p := place{m.ItemID, ef.LocationID}
			l := out[p]
			l.Good += ef.Good
			l.Defective += ef.Defective
			out[p] = l
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// checkConsistent asserts that the stock table is the sum of the journal,
// that nothing is negative and that each item's average-cost history is
// one unbroken chain ending at the item's current average.
func (e ledgerEnv) checkConsistent(t testing.TB) {
	t.Helper()
	table := e.stockTable(t)
	for p, l := range table {
		if l.Good < 0 || l.Defective < 0 {
			t.Fatalf("negative stock %+v at %+v", l, p)
		}
	}
	if diff := cmp.Diff(nonZero(e.ledgerSums(t)), nonZero(table)); diff != "" {
		t.Fatalf("stock table differs from the journal (-journal +table):\n%s", diff)
	}
	// Each item's totals (kept by triggers) equal its stock rows, and its
	// minimum and archived state are the item's.
	var wrong int
	if err := e.pool.QueryRow(context.Background(), `
		SELECT count(*) FROM items i
		  JOIN item_stock t ON t.item_id = i.id
		  LEFT JOIN (SELECT item_id, sum(good) good, sum(defective) defective FROM stock GROUP BY item_id) s ON s.item_id = i.id
		 WHERE t.good <> coalesce(s.good, 0) OR t.defective <> coalesce(s.defective, 0)
		    OR t.min_stock <> i.min_stock OR t.archived <> (i.archived_at IS NOT NULL)`).Scan(&wrong); err != nil {
		t.Fatal(err)
	}
	var items, totals int
	if err := e.pool.QueryRow(context.Background(), "SELECT (SELECT count(*) FROM items), (SELECT count(*) FROM item_stock)").
		Scan(&items, &totals); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 || items != totals {
		t.Fatalf("item_stock: %d rows differ from the stock rows and items; %d totals for %d items", wrong, totals, items)
	}
	e.checkDashboard(t)
	rows, _ := e.pool.Query(context.Background(), `
		SELECT m.id, m.item_id, m.avg_cost_before, m.avg_cost_after, i.avg_unit_cost_micros
		  FROM movements m JOIN items i ON i.id = m.item_id ORDER BY m.item_id, m.id`)
	last := map[int64]int64{}
	current := map[int64]int64{}
	var id, item, before, after, now int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &item, &before, &after, &now}, func() error {
		if prev, ok := last[item]; ok && prev != before {
			return fmt.Errorf("movement %d of item %d starts from average %d, the one before ended at %d", id, item, before, prev)
		}
		last[item], current[item] = after, now
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for item, avg := range last {
		if current[item] != avg {
			t.Fatalf("item %d has average %d, its last movement left %d", item, current[item], avg)
		}
	}
}

func (e ledgerEnv) avg(t testing.TB, item int64) int64 {
	t.Helper()
	var v int64
	if err := e.pool.QueryRow(context.Background(), "SELECT avg_unit_cost_micros FROM items WHERE id = $1", item).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func (e ledgerEnv) movementCount(t testing.TB) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(context.Background(), "SELECT count(*) FROM movements").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func wantLedgerCode(t testing.TB, err error, code apperr.Code) *apperr.Error {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
	return e
}

func i64(v int64) *int64 { return &v }

func TestLedgerBooksEveryType(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 24, 40)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Restaurant Krone")
	clerk := audit.Actor{UserID: env.user(t, "clerk@example.ch"), RequestID: "req-1"}

	steps := []struct {
		in   ledger.Input
		want map[place]ledger.Level
	}{
		{ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 1, Unit: catalogue.UnitPallet, SupplierID: &sup},
			map[place]ledger.Level{{beer, wh1}: {Good: 960}}},
		{ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 10, Unit: catalogue.UnitPackage, CustomerID: &cus},
			map[place]ledger.Level{{beer, wh1}: {Good: 720}}},
		{ledger.Input{Type: ledger.Return, ItemID: beer, LocationID: wh1, Quantity: 5, CustomerID: &cus},
			map[place]ledger.Level{{beer, wh1}: {Good: 725}}},
		{ledger.Input{Type: ledger.Defect, ItemID: beer, LocationID: wh1, Quantity: 25, Reason: "Bruch beim Abladen"},
			map[place]ledger.Level{{beer, wh1}: {Good: 700, Defective: 25}}},
		{ledger.Input{Type: ledger.WriteOff, ItemID: beer, LocationID: wh1, Quantity: 20, Reason: "entsorgt"},
			map[place]ledger.Level{{beer, wh1}: {Good: 700, Defective: 5}}},
		{ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 2, Unit: catalogue.UnitPackage},
			map[place]ledger.Level{{beer, wh1}: {Good: 652, Defective: 5}, {beer, wh2}: {Good: 48}}},
		{ledger.Input{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 45},
			map[place]ledger.Level{{beer, wh1}: {Good: 652, Defective: 5}, {beer, wh2}: {Good: 45}}},
		{ledger.Input{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 45, Note: "nachgezählt"},
			map[place]ledger.Level{{beer, wh1}: {Good: 652, Defective: 5}, {beer, wh2}: {Good: 45}}},
	}
	for i, s := range steps {
		m, err := env.svc.CreateMovement(ctx, clerk, s.in)
		if err != nil {
			t.Fatalf("step %d (%s): %v", i, s.in.Type, err)
		}
		if diff := cmp.Diff(s.want, env.stockTable(t)); diff != "" {
			t.Fatalf("step %d (%s): stock (-want +got):\n%s", i, s.in.Type, diff)
		}
		got, err := env.svc.Movement(ctx, m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(m, got); diff != "" {
			t.Fatalf("step %d: movement read back differs (-booked +read):\n%s", i, diff)
		}
		// The item's unit words come with it (booked and read back alike: cmp above).
		if m.CreatedBy != clerk.UserID || m.ItemSKU != "LAGER" || m.ItemBaseUnit != "bottle" || m.ItemPackageUnit != "crate" ||
			m.LocationCode != "WH1" && m.LocationCode != "WH2" ||
			!m.EffectiveAt.Equal(m.CreatedAt) || m.CreatedAt.Location() != time.UTC {
			t.Fatalf("step %d: movement %+v", i, m)
		}
		// The audit record shares the movement's transaction and says what was booked.
		var changes map[string]audit.Change
		var user int64
		if err := env.pool.QueryRow(ctx, `SELECT changes, user_id FROM audit_log WHERE entity = 'movement' AND entity_id = $1 AND action = 'create'`,
			fmt.Sprint(m.ID)).Scan(&changes, &user); err != nil {
			t.Fatalf("step %d: audit record: %v", i, err)
		}
		_, unitWord := changes["item_base_unit"]
		if user != clerk.UserID || changes["type"].To != string(s.in.Type) || changes["quantity_base"].To != float64(m.QuantityBase) || unitWord {
			t.Fatalf("step %d: audit record by %d: %v", i, user, changes)
		}
	}
	last := try(env.svc.ListMovements(ctx, ledger.Filter{}, page.Request{Limit: 2})).must(t).Items
	if *last[0].Counted != 45 || last[0].QuantityBase != 0 || *last[1].Counted != 45 || last[1].QuantityBase != -3 {
		t.Errorf("the stock-takes stored %+v and %+v; want delta -3 then 0, both counting 45", last[1], last[0])
	}
	transfer := try(env.svc.ListMovements(ctx, ledger.Filter{Type: ledger.Transfer}, page.Request{Limit: 1})).must(t).Items[0]
	if transfer.EnteredQuantity != 2 || transfer.EnteredUnit != catalogue.UnitPackage || transfer.UnitFactor != 24 ||
		transfer.QuantityBase != 48 || *transfer.ToLocationCode != "WH2" {
		t.Errorf("transfer = %+v", transfer)
	}
	env.checkConsistent(t)
}

func TestLedgerRefusesWhatTheRulesForbid(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 24, 0)
	water := env.item(t, "WATER", 0, 0)
	old := env.item(t, "OLD", 0, 0)
	wh1, wh2, closed := env.location(t, "WH1"), env.location(t, "WH2"), env.location(t, "CLOSED")
	sup, oldSup := env.supplier(t, "Brauerei"), env.supplier(t, "Alte Brauerei")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 30, SupplierID: &sup})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: old, LocationID: wh1, Quantity: 5, SupplierID: &sup})
	env.archive(t, "items", old)
	env.archive(t, "locations", closed)
	env.archive(t, "suppliers", oldSup)
	before, count := env.stockTable(t), env.movementCount(t)

	for _, tc := range []struct {
		name   string
		in     ledger.Input
		code   apperr.Code
		fields map[string]string
		msg    string
	}{
		{"more than there is", ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 2, Unit: catalogue.UnitPackage, Note: "x"},
			apperr.CodeInsufficient, map[string]string{"quantity": "is more than the 30 bottle (1 crate + 6 bottle) available"},
			"Not enough good stock of LAGER at WH1: 2 crate (48 bottle) requested, 30 bottle (1 crate + 6 bottle) available."},
		{"from where there is nothing", ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh2, ToLocationID: &wh1, Quantity: 1},
			apperr.CodeInsufficient, map[string]string{"quantity": "is more than the 0 bottle available"}, ""},
		{"writing off what is not defective", ledger.Input{Type: ledger.WriteOff, ItemID: beer, LocationID: wh1, Quantity: 1, Reason: "x"},
			apperr.CodeInsufficient, map[string]string{"quantity": "is more than the 0 bottle available"}, ""},
		{"crates of water", ledger.Input{Type: ledger.Receipt, ItemID: water, LocationID: wh1, Quantity: 1, Unit: catalogue.UnitPackage, Note: "x"},
			apperr.CodeValidation, map[string]string{"unit": "this item has no package"}, ""},
		{"pallets of beer without a pallet size", ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 1, Unit: catalogue.UnitPallet, Note: "x"},
			apperr.CodeValidation, map[string]string{"unit": "this item has no pallet size"}, ""},
		{"an archived item", ledger.Input{Type: ledger.Issue, ItemID: old, LocationID: wh1, Quantity: 1, Note: "x"},
			apperr.CodeValidation, map[string]string{"item_id": "is archived"}, ""},
		{"an archived location", ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &closed, Quantity: 1},
			apperr.CodeValidation, map[string]string{"to_location_id": "is archived"}, ""},
		{"an archived supplier", ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 1, SupplierID: &oldSup},
			apperr.CodeValidation, map[string]string{"supplier_id": "is archived"}, ""},
		{"records that do not exist", ledger.Input{Type: ledger.Issue, ItemID: 999, LocationID: 998, Quantity: 1, CustomerID: i64(997)},
			apperr.CodeValidation, map[string]string{"item_id": "does not exist", "location_id": "does not exist", "customer_id": "does not exist"}, ""},
		{"too far back", ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 1, Note: "x",
			EffectiveAt: ptr(time.Now().Add(-31 * 24 * time.Hour))},
			apperr.CodeValidation, map[string]string{"effective_at": "must not be more than 30 days in the past"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := env.svc.CreateMovement(ctx, stockClerk, tc.in)
			e := wantLedgerCode(t, err, tc.code)
			if diff := cmp.Diff(tc.fields, e.Fields.Messages()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
			if tc.msg != "" && e.Message != tc.msg {
				t.Errorf("message = %q, want %q", e.Message, tc.msg)
			}
			if diff := cmp.Diff(before, env.stockTable(t)); diff != "" || env.movementCount(t) != count {
				t.Errorf("a refused movement changed the ledger (-before +after):\n%s", diff)
			}
		})
	}
}

func TestLedgerBackDating(t *testing.T) {
	env := newLedger(t)
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	when := time.Now().Add(-29 * 24 * time.Hour).Truncate(time.Second)
	m := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 1, Note: "Nachtrag", EffectiveAt: &when})
	if !m.EffectiveAt.Equal(when) || m.CreatedAt.Sub(m.EffectiveAt) < 29*24*time.Hour {
		t.Errorf("effective %v, created %v; want effective %v", m.EffectiveAt, m.CreatedAt, when)
	}
	r := env.reverse(t, m.ID)
	if !r.EffectiveAt.Equal(r.CreatedAt) {
		t.Errorf("a reversal without a date is effective %v, booked %v", r.EffectiveAt, r.CreatedAt)
	}
}

func TestLedgerMovingAverage(t *testing.T) {
	env := newLedger(t)
	beer := env.item(t, "LAGER", 24, 0)
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")
	receipt := func(qty int64, unit catalogue.Unit, cost string) ledger.Movement {
		in := ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: qty, Unit: unit, SupplierID: &sup}
		if cost != "" {
			c := try(ledger.ParseMicros(cost)).must(t)
			in.UnitCost = &c
		}
		return env.book(t, in)
	}
	for _, step := range []struct {
		name string
		book func() ledger.Movement
		want int64
	}{
		{"100 @ 1.00", func() ledger.Movement { return receipt(100, catalogue.UnitBase, "1.00") }, 1_000_000},
		{"+ 50 @ 1.30 = 1.10", func() ledger.Movement { return receipt(50, catalogue.UnitBase, "1.30") }, 1_100_000},
		{"an unpriced receipt leaves it", func() ledger.Movement { return receipt(10, catalogue.UnitBase, "") }, 1_100_000},
		{"an issue leaves it", func() ledger.Movement {
			return env.book(t, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 160, Note: "alles"})
		}, 1_100_000},
		{"from empty stock, a crate at 29.90 makes 1.245833 a bottle", func() ledger.Movement {
			return receipt(1, catalogue.UnitPackage, "29.90")
		}, 1_245_833},
	} {
		m := step.book()
		if got := env.avg(t, beer); got != step.want || m.AvgCostAfter != step.want {
			t.Fatalf("%s: average %d (movement says %d), want %d", step.name, got, m.AvgCostAfter, step.want)
		}
	}
	v := try(env.svc.StockValue(context.Background(), beer)).must(t)
	if v != (ledger.Value{ItemID: beer, OnHand: 24, AvgUnitCostMicros: 1_245_833, ValueMicros: 24 * 1_245_833, Currency: "CHF"}) {
		t.Errorf("value = %+v", v)
	}
	if got := ledger.MicrosToAmount(v.ValueMicros).String(); got != "29.90" {
		t.Errorf("value = %s, want 29.90", got)
	}
	env.checkConsistent(t)
}

// state is everything a movement may change about one item.
type itemState struct {
	Levels map[place]ledger.Level
	Avg    int64
}

func (e ledgerEnv) itemState(t testing.TB, item int64) itemState {
	t.Helper()
	levels := map[place]ledger.Level{}
	for p, l := range nonZero(e.stockTable(t)) {
		if p.item == item {
			levels[p] = l
		}
	}
	return itemState{Levels: levels, Avg: e.avg(t, item)}
}

func TestLedgerReversalRestoresThePreviousState(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 24, 40)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Krone")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 100, SupplierID: &sup, UnitCost: i64(1_000_000)})
	env.book(t, ledger.Input{Type: ledger.Defect, ItemID: beer, LocationID: wh1, Quantity: 10, Reason: "Bruch"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh2, Quantity: 20, SupplierID: &sup})

	for _, in := range []ledger.Input{
		{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 2, Unit: catalogue.UnitPackage, SupplierID: &sup, UnitCost: i64(31_200_000)},
		{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 7, SupplierID: &sup},
		{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 3, Unit: catalogue.UnitPackage, CustomerID: &cus},
		{Type: ledger.Return, ItemID: beer, LocationID: wh2, Quantity: 4, CustomerID: &cus},
		{Type: ledger.Defect, ItemID: beer, LocationID: wh1, Quantity: 5, Reason: "Bruch"},
		{Type: ledger.WriteOff, ItemID: beer, LocationID: wh1, Quantity: 10, Reason: "entsorgt"},
		{Type: ledger.Adjust, ItemID: beer, LocationID: wh1, Quantity: 3, Unit: catalogue.UnitPackage},
		{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 0},
		{Type: ledger.Adjust, ItemID: beer, LocationID: wh2, Quantity: 20},
		{Type: ledger.Transfer, ItemID: beer, LocationID: wh2, ToLocationID: &wh1, Quantity: 15},
		{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 1, Unit: catalogue.UnitPackage},
	} {
		t.Run(fmt.Sprintf("%s %d %s", in.Type, in.Quantity, in.Unit), func(t *testing.T) {
			before := env.itemState(t, beer)
			m := env.book(t, in)
			if after := env.itemState(t, beer); cmp.Equal(before, after) && !(in.Type == ledger.Adjust && m.QuantityBase == 0) {
				t.Fatalf("the movement changed nothing: %+v", after)
			}
			r := env.reverse(t, m.ID)
			if diff := cmp.Diff(before, env.itemState(t, beer)); diff != "" {
				t.Fatalf("after the reversal (-before +after):\n%s", diff)
			}
			if r.Type != ledger.Reversal || *r.ReversesID != m.ID || *r.ReversedType != in.Type || r.QuantityBase != m.QuantityBase ||
				r.Reason != "test" || r.Counted != nil {
				t.Errorf("reversal = %+v", r)
			}
			if got := try(env.svc.Movement(ctx, m.ID)).must(t); got.ReversedByID == nil || *got.ReversedByID != r.ID {
				t.Errorf("the original does not name its reversal: %+v", got)
			}
			_, err := env.svc.Reverse(ctx, stockClerk, m.ID, ledger.ReversalInput{})
			wantLedgerCode(t, err, apperr.CodeConflict)
			_, err = env.svc.Reverse(ctx, stockClerk, r.ID, ledger.ReversalInput{})
			wantLedgerCode(t, err, apperr.CodeConflict)
		})
	}
	env.checkConsistent(t)
}

func TestLedgerReversalRefusals(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 0, 0)
	wh1 := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")

	first := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 100, SupplierID: &sup, UnitCost: i64(1_000_000)})
	second := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 50, SupplierID: &sup, UnitCost: i64(1_300_000)})
	env.book(t, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh1, Quantity: 120, Note: "Fest"})

	// Undoing the first receipt would need 100 of the 30 left.
	_, err := env.svc.Reverse(ctx, stockClerk, first.ID, ledger.ReversalInput{})
	e := wantLedgerCode(t, err, apperr.CodeInsufficient)
	if want := fmt.Sprintf("Movement %d cannot be reversed: that needs 100 bottle of good stock of LAGER at WH1, and only 30 bottle is there.", first.ID); e.Message != want {
		t.Errorf("message = %q, want %q", e.Message, want)
	}
	if want := (apperr.Params{"requested": int64(100), "available": int64(30), "unit": "bottle", "kind": "good"}); e.Fields["quantity"].Code != apperr.FieldInsufficient ||
		!cmp.Equal(e.Fields["quantity"].Params, want) {
		t.Errorf("quantity = %+v, want insufficient_stock %v", e.Fields["quantity"], want)
	}
	_, err = env.svc.Reverse(ctx, stockClerk, 999_999, ledger.ReversalInput{})
	wantLedgerCode(t, err, apperr.CodeNotFound)

	// A priced receipt that is no longer the latest is taken out of the
	// value: 30 left @ 1.10 and 30 more @ 2.00 make 60 @ 1.55 (93.00);
	// removing the 50 @ 1.30 (65.00) leaves 10 worth 28.00.
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 30, SupplierID: &sup, UnitCost: i64(2_000_000)})
	env.reverse(t, second.ID)
	if got := env.avg(t, beer); got != 2_800_000 {
		t.Errorf("average after removing an older receipt = %d, want 2800000", got)
	}

	// Archived items and locations can still be corrected.
	m := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 1, Note: "falsch"})
	env.archive(t, "items", beer)
	env.archive(t, "locations", wh1)
	env.reverse(t, m.ID)
	env.checkConsistent(t)
}

// Who booked a movement or wrote an audit record is not a foreign key
// (migration 000010): the database still refuses an id of nobody, and
// people and tokens cannot be deleted, so no reference dangles.
func TestBookerReferencesHold(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	user := env.user(t, "clerk@example.ch")
	token := env.insertID(t, `INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, expires_at)
		VALUES ($1, 'scanner', sha256('x'), 'dpx_', 'write', now() + interval '1 day') RETURNING id`, user)

	refused := func(sql string, code string, args ...any) {
		t.Helper()
		_, err := env.pool.Exec(ctx, sql, args...)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != code {
			t.Errorf("%s %v: err = %v, want SQLSTATE %s", sql, args, err, code)
		}
	}
	const movement = `INSERT INTO movements (type, item_id, location_id, quantity_base, entered_quantity, entered_unit, unit_factor,
		effective_at, avg_cost_before, avg_cost_after, created_by, token_id) VALUES ('receipt', $1, $2, 1, 1, 'base', 1, now(), 0, 0, $3, $4)`
	const record = `INSERT INTO audit_log (user_id, token_id, request_id, entity, entity_id, action, changes)
		VALUES ($1, $2, 'req', 'movement', '1', 'create', '{}')`
	refused(movement, "23503", beer, wh, user+1000, nil)
	refused(movement, "23503", beer, wh, user, token+1000)
	refused(record, "23503", user+1000, nil)
	refused(record, "23503", user, token+1000)
	env.exec(t, movement, beer, wh, user, token)
	env.exec(t, record, user, token)
	env.exec(t, record, nil, nil)
	for _, sql := range []string{"DELETE FROM users WHERE id = $1", "DELETE FROM api_tokens WHERE id = $1"} {
		refused(sql, "42501", map[string]int64{"users": user, "api_tokens": token}[strings.Fields(sql)[2]])
	}
	refused("TRUNCATE users CASCADE", "42501")
	refused("TRUNCATE api_tokens CASCADE", "42501")
}

func TestLedgerMovementsAreAppendOnly(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	m := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 5, Note: "x"})
	for _, sql := range []string{
		"UPDATE movements SET quantity_base = 500 WHERE id = $1",
		"UPDATE movements SET note = 'changed' WHERE id = $1",
		"DELETE FROM movements WHERE id = $1",
		"TRUNCATE movements CASCADE",
	} {
		var args []any
		if strings.Contains(sql, "$1") {
			args = append(args, m.ID)
		}
		_, err := env.pool.Exec(ctx, sql, args...)
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" || !strings.Contains(pgErr.Message, "append-only") {
			t.Errorf("%s: err = %v, want the append-only refusal", sql, err)
		}
	}
	if got := try(env.svc.Movement(ctx, m.ID)).must(t); got.QuantityBase != 5 || got.Note != "x" {
		t.Errorf("movement changed: %+v", got)
	}
	// The CHECK constraints hold whatever the code does.
	_, err := env.pool.Exec(ctx, "UPDATE stock SET good = -1 WHERE item_id = $1", beer)
	var pgErr *pgconn.PgError
	if !errors.As(err, &pgErr) || pgErr.ConstraintName != "stock_good_check" {
		t.Errorf("negative stock: err = %v", err)
	}
}

func TestLedgerStockViews(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	cat := env.insertID(t, "INSERT INTO categories (name) VALUES ('Bier') RETURNING id")
	beer := env.item(t, "LAGER", 24, 40)
	wine := env.item(t, "WINE", 6, 0)
	env.item(t, "WATER", 0, 0)
	old := env.item(t, "OLD", 0, 0)
	env.exec(t, "UPDATE items SET category_id = $1, min_stock = 1000 WHERE id = $2", cat, beer)
	env.exec(t, "UPDATE items SET min_stock = 10 WHERE id = $1", wine)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 2, Unit: catalogue.UnitPallet, Note: "x", UnitCost: i64(960_000_000)})
	env.book(t, ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: wh1, ToLocationID: &wh2, Quantity: 7, Unit: catalogue.UnitPackage})
	env.book(t, ledger.Input{Type: ledger.Defect, ItemID: beer, LocationID: wh2, Quantity: 5, Reason: "Bruch"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: wine, LocationID: wh2, Quantity: 4, Unit: catalogue.UnitPackage, Note: "x"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: old, LocationID: wh1, Quantity: 1, Note: "x"})
	env.book(t, ledger.Input{Type: ledger.Issue, ItemID: old, LocationID: wh1, Quantity: 1, Note: "x"})
	env.archive(t, "items", old)
	keg := env.item(t, "KEG", 0, 0)
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: keg, LocationID: wh1, Quantity: 3, Note: "x"})
	env.archive(t, "items", keg)
	env.exec(t, "UPDATE items SET min_stock = 5 WHERE id = $1", keg)

	st := try(env.svc.StockByItem(ctx, beer)).must(t)
	units := ledger.ItemUnits{BaseUnit: "bottle", PackageUnit: ptr("crate"), PackageSize: i64(24), PalletSize: i64(40)}
	want := ledger.ItemStock{
		StockSummary: ledger.StockSummary{
			ItemID: beer, SKU: "LAGER", Name: "LAGER name", CategoryID: &cat, ItemUnits: units,
			Good: 1915, Defective: 5, OnHand: 1920, Available: 1915,
			AvailableBreakdown: ledger.Breakdown{Pallets: 1, Packages: 39, Units: 19},
			MinStock:           1000, AvgUnitCostMicros: 1_000_000, ValueMicros: 1_920_000_000, Currency: "CHF",
		},
		Locations: []ledger.LocationStock{
			{LocationID: wh1, LocationCode: "WH1", LocationName: "WH1", Good: 1752, Available: 1752, GoodBreakdown: ledger.Breakdown{Pallets: 1, Packages: 33}},
			{LocationID: wh2, LocationCode: "WH2", LocationName: "WH2", Good: 163, Defective: 5, Available: 163, GoodBreakdown: ledger.Breakdown{Packages: 6, Units: 19}},
		},
	}
	if diff := cmp.Diff(want, st); diff != "" {
		t.Errorf("StockByItem (-want +got):\n%s", diff)
	}
	_, err := env.svc.StockByItem(ctx, 999)
	wantLedgerCode(t, err, apperr.CodeNotFound)
	_, err = env.svc.StockValue(ctx, 999)
	wantLedgerCode(t, err, apperr.CodeNotFound)
	_, err = env.svc.ItemMovements(ctx, 999, page.Request{Limit: 10})
	wantLedgerCode(t, err, apperr.CodeNotFound)
	if n := len(try(env.svc.ItemMovements(ctx, beer, page.Request{Limit: 10})).must(t).Items); n != 3 {
		t.Errorf("beer has %d movements, want 3", n)
	}

	type row struct {
		SKU             string
		Good, Defective int64
		Low             bool
	}
	list := func(f ledger.StockFilter) []row {
		t.Helper()
		var out []row
		ids, total := walk(t, 2, func(s ledger.StockSummary) int64 {
			out = append(out, row{s.SKU, s.Good, s.Defective, s.LowStock})
			return s.ItemID
		}, func(cursor *string) (page.Page[ledger.StockSummary], error) {
			p, err := page.NewRequest(ptr(2), cursor, ledger.StockSort)
			if err != nil {
				return page.Page[ledger.StockSummary]{}, err
			}
			return env.svc.ListStock(ctx, f, p)
		})
		if len(ids) != len(out) {
			t.Fatal("walk and rows disagree")
		}
		if total != len(out) {
			t.Errorf("filter %+v: total %d for %d rows", f, total, len(out))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    ledger.StockFilter
		want []row
	}{
		// By name; the archived item without stock is left out.
		// The archived item still holding stock is listed.
		// WATER has no minimum (0): empty, and still never low.
		{"all", ledger.StockFilter{}, []row{{"KEG", 3, 0, true}, {"LAGER", 1915, 5, false}, {"WATER", 0, 0, false}, {"WINE", 24, 0, false}}},
		{"item", ledger.StockFilter{ItemID: &wine}, []row{{"WINE", 24, 0, false}}},
		{"location", ledger.StockFilter{LocationID: &wh2}, []row{{"LAGER", 163, 5, true}, {"WINE", 24, 0, false}}},
		{"category", ledger.StockFilter{CategoryID: &cat}, []row{{"LAGER", 1915, 5, false}}},
		{"low", ledger.StockFilter{LowStock: true}, []row{{"KEG", 3, 0, true}}},
		{"low at a location", ledger.StockFilter{LowStock: true, LocationID: &wh2}, []row{{"LAGER", 163, 5, true}}},
	} {
		if diff := cmp.Diff(tc.want, list(tc.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// Stock levels loaded in bulk (a migration from another system, the
// benchmark's seed) reach the item totals row by row, in one statement with
// several rows of an item and rows holding nothing.
func TestBulkLoadedStockReachesItemTotals(t *testing.T) {
	e := newLedger(t)
	a, b := e.item(t, "BULK-A", 0, 0), e.item(t, "BULK-B", 0, 0)
	l1, l2, l3 := e.location(t, "B1"), e.location(t, "B2"), e.location(t, "B3")
	e.exec(t, `INSERT INTO stock (item_id, location_id, good, defective) VALUES
		($1, $3, 10, 1), ($1, $4, 5, 0), ($1, $5, 0, 0), ($2, $3, 0, 0)`, a, b, l1, l2, l3)
	got := map[int64][2]int64{}
	rows, err := e.pool.Query(context.Background(), "SELECT item_id, good, defective FROM item_stock WHERE item_id = ANY($1)", []int64{a, b})
	if err != nil {
		t.Fatal(err)
	}
	var id, good, defective int64
	if _, err := pgx.ForEachRow(rows, []any{&id, &good, &defective}, func() error {
		got[id] = [2]int64{good, defective}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int64][2]int64{a: {15, 1}, b: {0, 0}}, got); diff != "" {
		t.Fatalf("item totals after a bulk load (-want +got):\n%s", diff)
	}
}
