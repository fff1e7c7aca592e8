// Package seed fills an empty, migrated Depotix database with a realistic
// catalogue and a year of stock movements, fast: everything is generated
// in memory and written with COPY.
//
// The data obeys the schema as the api would have written it: every CHECK
// constraint, every foreign key (checked by the database during the COPY),
// and the ledger's invariant that each stock level is the sum of its
// movements' effects, which Verify confirms afterwards.
package seed

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"
)

// Config says how much to seed.
type Config struct {
	Items     int
	Movements int
	Seed      uint64    // the same seed gives the same data
	Now       time.Time // the seeded year ends an hour before it
	// Streams is the number of parallel COPY streams for the movements.
	Streams int
	Log     func(format string, args ...any)
}

// Slot is a place where an active item is stocked, with what a receipt
// of it names: the item's supplier and usual cost.
type Slot struct {
	ItemID, LocationID, SupplierID int64
	UnitCostMicros                 int64 // per base unit
}

// Phase is one timed step of the seeding.
type Phase struct {
	Name    string
	Elapsed time.Duration
}

// Result describes what was seeded.
type Result struct {
	Slots     []Slot // of active items, in item order
	Customers []int64
	Rows      map[string]int64 // per table
	Phases    []Phase
	Elapsed   time.Duration
}

// dataset is everything to be written.
type dataset struct {
	categories []category
	suppliers  []supplier
	customers  []customer
	locations  []location
	items      []item
	movements  []movement
	ledger     *ledger
}

func generate(cfg Config) dataset {
	r := rand.New(rand.NewPCG(cfg.Seed, 0x5eed))
	var d dataset
	d.categories = slices.Clone(categories)
	for i := range d.categories {
		d.categories[i].id = int64(i + 1)
	}
	d.suppliers = slices.Clone(suppliers)
	byKind := map[kind][]int64{}
	for i := range d.suppliers {
		s := &d.suppliers[i]
		s.id = int64(i + 1)
		s.country, s.terms = "CH", 30
		s.email = fmt.Sprintf("bestellung@lieferant%d.example", s.id)
		s.phone = fmt.Sprintf("+41 %02d %03d %02d %02d", 31+r.IntN(60), r.IntN(1000), r.IntN(100), r.IntN(100))
		for _, k := range s.kinds {
			byKind[k] = append(byKind[k], s.id)
		}
	}
	d.customers = makeCustomers(r)
	var zones [][]int64
	d.locations, zones = locationTree()
	// Categories by weight.
	var wheel []int
	for i, c := range d.categories {
		for range c.weight {
			wheel = append(wheel, i)
		}
	}
	itemsEnd := cfg.Now.Add(-time.Hour)
	d.items = make([]item, cfg.Items)
	codes := newGTINs()
	for i := range d.items {
		c := d.categories[wheel[r.IntN(len(wheel))]]
		d.items[i] = makeItem(r, int64(i+1), c, byKind[c.kind], zones, codes, itemsEnd)
	}
	d.ledger = newLedger(d.items)
	d.movements = makeMovements(r, d.items, len(d.customers), cfg.Movements, itemsEnd, d.ledger)
	for i := range d.items {
		d.items[i].avgCost = d.ledger.avg[i]
		// Two in a hundred items are discontinued; after their last movement.
		if r.IntN(50) == 0 {
			d.items[i].archivedAt = ptr(cfg.Now.Add(-30 * time.Minute))
		}
	}
	return d
}

// Run seeds the database behind pool, which must be migrated and hold no
// catalogue yet. Seeded movements are booked by the first user (the
// admin), or by the system when there is none.
func Run(ctx context.Context, pool *pgxpool.Pool, cfg Config) (Result, error) {
	if cfg.Streams < 1 {
		cfg.Streams = 1
	}
	if cfg.Log == nil {
		cfg.Log = func(string, ...any) {}
	}
	res := Result{Rows: map[string]int64{}}
	start := time.Now()
	phase := func(name string, t0 time.Time) {
		res.Phases = append(res.Phases, Phase{name, time.Since(t0)})
		cfg.Log("seed: %s: %s", name, time.Since(t0).Round(time.Millisecond))
	}

	var existing int64
	if err := pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM items) + (SELECT count(*) FROM movements) + (SELECT count(*) FROM locations)").Scan(&existing); err != nil {
		return res, fmt.Errorf("seed: %w", err)
	}
	if existing > 0 {
		return res, errors.New("seed: the database already holds items, locations or movements; seed a fresh one")
	}
	var bookedBy *int64
	if err := pool.QueryRow(ctx, "SELECT min(id) FROM users").Scan(&bookedBy); err != nil {
		return res, fmt.Errorf("seed: find the admin: %w", err)
	}

	t0 := time.Now()
	d := generate(cfg)
	phase(fmt.Sprintf("generate %d items and %d movements in memory", len(d.items), len(d.movements)), t0)

	t0 = time.Now()
	for _, c := range []struct {
		table   string
		columns []string
		rows    pgx.CopyFromSource
	}{
		{"categories", []string{"id", "name", "description"}, rowsOf(d.categories, func(c category) []any {
			return []any{c.id, c.name, c.description}
		})},
		{"suppliers", []string{"id", "name", "contact_person", "email", "phone", "street", "house_number", "postal_code", "town", "country", "payment_terms_days"},
			rowsOf(d.suppliers, func(s supplier) []any {
				return []any{s.id, s.name, s.contact, s.email, s.phone, s.street, s.houseNumber, s.postal, s.town, s.country, int32(s.terms)}
			})},
		{"customers", []string{"id", "name", "contact_person", "email", "phone", "billing_street", "billing_house_number", "billing_postal_code", "billing_town", "payment_terms_days"},
			rowsOf(d.customers, func(c customer) []any {
				return []any{c.id, c.name, c.contact, c.email, c.phone, c.street, c.houseNumber, c.postal, c.town, int32(c.terms)}
			})},
		{"locations", []string{"id", "parent_id", "code", "name", "kind"}, rowsOf(d.locations, func(l location) []any {
			var parent *int64
			if l.parentID != 0 {
				parent = &l.parentID
			}
			return []any{l.id, parent, l.code, l.name, l.kind}
		})},
	} {
		n, err := pool.CopyFrom(ctx, pgx.Identifier{c.table}, c.columns, c.rows)
		if err != nil {
			return res, fmt.Errorf("seed: copy %s: %w", c.table, err)
		}
		res.Rows[c.table] = n
	}
	phase("copy categories, suppliers, customers and locations", t0)

	t0 = time.Now()
	n, err := copyChunks(ctx, pool, "items", itemColumns, len(d.items), 10_000, cfg.Streams,
		func(i int) []any { return itemRow(d.items[i]) }, cfg.Log)
	if err != nil {
		return res, err
	}
	res.Rows["items"] = n
	phase(fmt.Sprintf("copy %d items in %d streams", n, cfg.Streams), t0)

	t0 = time.Now()
	var stock [][]any
	for i, lv := range d.ledger.levels {
		for _, l := range lv {
			stock = append(stock, []any{d.items[i].id, l.loc, l.good, l.defective})
		}
	}
	if n, err = pool.CopyFrom(ctx, pgx.Identifier{"stock"}, []string{"item_id", "location_id", "good", "defective"}, pgx.CopyFromRows(stock)); err != nil {
		return res, fmt.Errorf("seed: copy stock: %w", err)
	}
	res.Rows["stock"] = n
	phase(fmt.Sprintf("copy %d stock levels", n), t0)

	t0 = time.Now()
	n, err = copyChunks(ctx, pool, "movements", movementColumns, len(d.movements), 50_000, cfg.Streams,
		func(k int) []any { return movementRow(d, k, bookedBy) }, cfg.Log)
	if err != nil {
		return res, err
	}
	res.Rows["movements"] = n
	phase(fmt.Sprintf("copy %d movements in %d streams", n, cfg.Streams), t0)

	t0 = time.Now()
	// The explicit ids went past the identity sequences; move them on.
	for _, table := range []string{"categories", "suppliers", "customers", "locations", "items", "movements"} {
		if _, err := pool.Exec(ctx, fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), (SELECT max(id) FROM %s))", table, table)); err != nil {
			return res, fmt.Errorf("seed: move the %s sequence: %w", table, err)
		}
	}
	// VACUUM also marks the pages all-visible, as autovacuum would have
	// long done in a database that grew to this size, so index-only scans
	// work as they would in use.
	if _, err := pool.Exec(ctx, "VACUUM (ANALYZE) categories, suppliers, customers, locations, items, stock, movements"); err != nil {
		return res, fmt.Errorf("seed: vacuum: %w", err)
	}
	phase("VACUUM ANALYZE", t0)

	for i, it := range d.items {
		if it.archivedAt != nil {
			continue
		}
		for _, l := range d.ledger.levels[i] {
			res.Slots = append(res.Slots, Slot{ItemID: it.id, LocationID: l.loc, SupplierID: it.supplierID, UnitCostMicros: it.costMicros})
		}
	}
	for _, c := range d.customers {
		res.Customers = append(res.Customers, c.id)
	}
	res.Elapsed = time.Since(start)
	return res, nil
}

var movementColumns = []string{"id", "type", "item_id", "location_id", "to_location_id", "quantity_base", "counted", "entered_quantity",
	"entered_unit", "unit_factor", "unit_cost_micros", "supplier_id", "customer_id", "reason", "note", "effective_at", "created_at",
	"created_by", "avg_cost_before", "avg_cost_after"}

// copyChunks writes n rows of table in chunks, each chunk one COPY (and
// one transaction) on one of streams connections, so that the server's
// inserts, index updates and foreign key checks use every core.
func copyChunks(ctx context.Context, pool *pgxpool.Pool, table string, columns []string, n, chunk, streams int,
	row func(int) []any, log func(string, ...any)) (int64, error) {
	next := make(chan int)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer close(next)
		for from := 0; from < n; from += chunk {
			select {
			case next <- from:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		return nil
	})
	var copied, reported atomic.Int64
	for range streams {
		g.Go(func() error {
			for from := range next {
				to := min(from+chunk, n)
				k, err := pool.CopyFrom(ctx, pgx.Identifier{table}, columns, indexRows(to-from, func(i int) []any { return row(from + i) }))
				if err != nil {
					return fmt.Errorf("seed: copy %s %d to %d: %w", table, from+1, to, err)
				}
				if total := copied.Add(k); total-reported.Load() >= int64(n/4) && total < int64(n) {
					reported.Store(total)
					log("seed: %d of %d %s copied", total, n, table)
				}
			}
			return nil
		})
	}
	err := g.Wait()
	return copied.Load(), err
}

func movementRow(d dataset, k int, bookedBy *int64) []any {
	m := d.movements[k]
	it := &d.items[m.item]
	var to, counted, cost, supplier, customer any
	if m.toLoc != 0 {
		to = int64(m.toLoc)
	}
	if m.typ == tAdjust {
		counted = m.counted
	}
	if m.typ == tReceipt {
		cost, supplier = m.unitCost, it.supplierID
	}
	if m.customer != 0 {
		customer = int64(m.customer)
	}
	unit := "base"
	if m.pkg {
		unit = "package"
	}
	reason, note := "", ""
	switch {
	case m.typ == tAdjust:
		reason = "Inventur"
	case m.reason > 0 && m.typ == tWriteOff:
		reason = "Entsorgung: " + defectReasons[m.reason-1]
	case m.reason > 0:
		reason = defectReasons[m.reason-1]
	}
	if m.note > 0 {
		note = issueNotes[m.note-1]
	}
	at := time.UnixMicro(m.at).UTC()
	return []any{int64(k + 1), movementTypes[m.typ], it.id, int64(m.loc), to, m.qtyBase, counted, m.enteredQty,
		unit, int64(m.factor), cost, supplier, customer, reason, note, at, at, bookedBy, m.avgBefore, m.avgAfter}
}

var itemColumns = []string{"id", "sku", "name", "description", "category_id", "brand", "ean_unit", "ean_package", "base_unit",
	"package_unit", "package_size", "pallet_size", "sales_price_unit", "sales_price_package", "avg_unit_cost_micros", "vat_rate_bp",
	"deposit_unit", "deposit_package", "returnable", "beverage_type", "container", "volume_ml", "abv", "alcoholic",
	"country_of_origin", "min_stock", "reorder_qty", "preferred_supplier_id", "archived_at", "created_at", "updated_at"}

func itemRow(it item) []any {
	return []any{it.id, it.sku, it.name, it.description, it.categoryID, it.brand, it.eanUnit, it.eanPackage, it.baseUnit,
		it.packageUnit, it.packageSize, it.palletSize, it.priceUnit, it.pricePackage, it.avgCost, it.vat,
		it.depositUnit, it.depositPack, it.returnable, it.beverageType, it.container, it.volumeML, it.abv, it.alcoholic,
		it.country, it.minStock, it.reorderQty, it.supplierID, it.archivedAt, it.createdAt, it.createdAt}
}

// sliceRows is a CopyFromSource over a slice, converting a row at a time
// so that a million movements never exist twice in memory.
type sliceRows struct {
	n, i int
	row  func(int) []any
}

func rowsOf[T any](s []T, conv func(T) []any) *sliceRows {
	return indexRows(len(s), func(k int) []any { return conv(s[k]) })
}

// indexRows is a CopyFromSource of n rows made by row(0) to row(n-1).
func indexRows(n int, row func(int) []any) *sliceRows {
	return &sliceRows{n: n, i: -1, row: row}
}

func (r *sliceRows) Next() bool             { r.i++; return r.i < r.n }
func (r *sliceRows) Values() ([]any, error) { return r.row(r.i), nil }
func (r *sliceRows) Err() error             { return nil }
