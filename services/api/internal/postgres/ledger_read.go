package postgres

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
)

// movementSelect reads movements with what they are displayed with. Every
// join is on a primary key or a unique index, so a page of the journal
// costs a few index probes per row.
const movementSelect = "SELECT" + movementColumns + " FROM" + movementJoins

// movementColumns and movementJoins make up movementSelect, for queries
// that read more with a movement.
const (
	movementColumns = movementOwnColumns + `, i.sku, i.name, i.base_unit, coalesce(i.package_unit, ''), l.code, tl.code,` + movementNameColumns
	// The names of the partner and of who booked it, each looked up by
	// primary key for the row at hand: as joins, the planner may hash the
	// whole customers table for a page of fifty movements. Only an id that
	// is set is looked up.
	movementNameColumns = `
	       coalesce((SELECT name FROM suppliers WHERE id = m.supplier_id), ''),
	       coalesce((SELECT name FROM customers WHERE id = m.customer_id), ''),
	       coalesce((SELECT name FROM users WHERE id = m.created_by), ''),
	       coalesce((SELECT name FROM api_tokens WHERE id = m.token_id), '')`
	movementJoins = `
	       movements m
	  JOIN items i ON i.id = m.item_id` + movementOtherJoins
	// The movement's own columns, with what its reversal links name.
	movementOwnColumns = `
	       m.id, m.type, m.item_id, m.location_id, m.to_location_id, m.quantity_base, m.counted,
	       m.entered_quantity, m.entered_unit, m.unit_factor, m.unit_cost_micros, m.supplier_id, m.customer_id,
	       m.reason, m.note, m.reverses_id, o.type, r.id, m.effective_at, m.created_at,
	       coalesce(m.created_by, 0), coalesce(m.token_id, 0), m.avg_cost_before, m.avg_cost_after`
	movementOtherJoins = `
	  JOIN locations l ON l.id = m.location_id
	  LEFT JOIN locations tl ON tl.id = m.to_location_id
	  LEFT JOIN movements o ON o.id = m.reverses_id
	  LEFT JOIN movements r ON r.reverses_id = m.id`
)

// booker names who books a movement, as movementNameColumns reads it back:
// the person's name and the API token's ("" when none).
type booker struct{ name, token string }

// bookerColumns reads the names of the person $first and of the API token
// $first+1, empty for none.
func bookerColumns(first int) string {
	return fmt.Sprintf(`coalesce((SELECT name FROM users WHERE id = $%d), ''), coalesce((SELECT name FROM api_tokens WHERE id = $%d), '')`, first, first+1)
}

// queueBooker reads the names of actor and of its API token into *out, for
// the booked movement's booked_by_name and booked_with_token.
func queueBooker(b *pgx.Batch, actor audit.Actor, out *booker) {
	b.Queue("SELECT "+bookerColumns(1), actor.UserID, actor.TokenID).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&out.name, &out.token); err != nil {
			return fmt.Errorf("read booker: %w", err)
		}
		return nil
	})
}

func movementDests(m *ledger.Movement) []any {
	return []any{&m.ID, &m.Type, &m.ItemID, &m.LocationID, &m.ToLocationID, &m.QuantityBase, &m.Counted,
		&m.EnteredQuantity, &m.EnteredUnit, &m.UnitFactor, &m.UnitCostMicros, &m.SupplierID, &m.CustomerID,
		&m.Reason, &m.Note, &m.ReversesID, &m.ReversedType, &m.ReversedByID, &m.EffectiveAt, &m.CreatedAt,
		&m.CreatedBy, &m.TokenID, &m.AvgCostBefore, &m.AvgCostAfter,
		&m.ItemSKU, &m.ItemName, &m.ItemBaseUnit, &m.ItemPackageUnit, &m.LocationCode, &m.ToLocationCode,
		&m.SupplierName, &m.CustomerName, &m.BookedByName, &m.BookedWithToken}
}

func scanMovement(row pgx.CollectableRow) (ledger.Movement, error) {
	var m ledger.Movement
	err := row.Scan(movementDests(&m)...)
	m.EffectiveAt, m.CreatedAt = m.EffectiveAt.UTC(), m.CreatedAt.UTC()
	return m, err
}

func (s *LedgerStore) movement(ctx context.Context, q querier, id int64) (ledger.Movement, error) {
	rows, _ := q.Query(ctx, movementSelect+" WHERE m.id = $1", id)
	m, err := pgx.CollectExactlyOneRow(rows, scanMovement)
	return m, mapError(err, movementNotFound)
}

func (s *LedgerStore) Movement(ctx context.Context, id int64) (ledger.Movement, error) {
	return s.movement(ctx, s.pool, id)
}

// ledgerQuery collects the conditions and arguments of a list query.
type ledgerQuery struct {
	where []string
	args  []any
}

func (q *ledgerQuery) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

func (q *ledgerQuery) filter(cond string) { q.where = append(q.where, cond) }

func (q *ledgerQuery) whereSQL() string {
	if len(q.where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.where, " AND ")
}

// journalOrder is the journal's order: by the time a movement took effect,
// which is what the journal shows, newest first; the id breaks ties. Each
// filter has an index ending in this order (migration 000014).
const journalOrder = " ORDER BY m.effective_at DESC, m.id DESC"

// journalFilter turns a journal filter into conditions on movements m.
func journalFilter(f ledger.Filter) ledgerQuery {
	var q ledgerQuery
	if f.Type != "" {
		q.filter("m.type = " + q.arg(string(f.Type)))
	}
	if f.ItemID != nil {
		q.filter("m.item_id = " + q.arg(*f.ItemID))
	}
	if f.LocationID != nil {
		p := q.arg(*f.LocationID)
		q.filter("(m.location_id = " + p + " OR m.to_location_id = " + p + ")")
	}
	if f.SupplierID != nil {
		q.filter("m.supplier_id = " + q.arg(*f.SupplierID))
	}
	if f.CustomerID != nil {
		q.filter("m.customer_id = " + q.arg(*f.CustomerID))
	}
	if f.UserID != nil {
		q.filter("m.created_by = " + q.arg(*f.UserID))
	}
	if f.From != nil {
		q.filter("m.effective_at >= " + q.arg(*f.From))
	}
	if f.To != nil {
		q.filter("m.effective_at < " + q.arg(*f.To))
	}
	return q
}

// journalSQL returns the two queries of a journal page: the capped count
// and the page itself, one row longer than asked to learn whether another
// follows.
func journalSQL(f ledger.Filter, p page.Request) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	q := journalFilter(f)
	// Ordered like the page so that the count walks the same index and
	// stops at the cap.
	countSQL = "SELECT count(*) FROM (SELECT 1 FROM movements m" + q.whereSQL() +
		journalOrder + " LIMIT " + strconv.Itoa(ledger.JournalCountLimit+1) + ") c"
	countArgs = slices.Clone(q.args)
	if len(p.After) > 0 {
		at, id, ok := journalKey(p.After)
		if !ok {
			return "", nil, "", nil, ledgerCursorError()
		}
		// One row comparison, which the index takes as its start.
		q.filter("(m.effective_at, m.id) < (" + q.arg(at) + ", " + q.arg(id) + ")")
	}
	pageSQL = movementSelect + q.whereSQL() + journalOrder + " LIMIT " + q.arg(ledgerPageLimit(p)+1)
	return countSQL, countArgs, pageSQL, q.args, nil
}

// journalCursor is the cursor after m in the journal: its effective time
// (to the microsecond, as stored) and its id.
func journalCursor(m ledger.Movement) string {
	return page.Cursor(ledger.JournalSort, m.EffectiveAt.UTC().Format(time.RFC3339Nano), strconv.FormatInt(m.ID, 10))
}

// journalKey reads the keys journalCursor wrote.
func journalKey(keys []string) (time.Time, int64, bool) {
	if len(keys) != 2 {
		return time.Time{}, 0, false
	}
	at, err := time.Parse(time.RFC3339Nano, keys[0])
	if err != nil {
		return time.Time{}, 0, false
	}
	id, err := strconv.ParseInt(keys[1], 10, 64)
	if err != nil {
		return time.Time{}, 0, false
	}
	return at, id, true
}

func ledgerPageLimit(p page.Request) int {
	if p.Limit < 1 {
		return page.DefaultLimit
	}
	return min(p.Limit, page.MaxLimit)
}

func (s *LedgerStore) ListMovements(ctx context.Context, f ledger.Filter, p page.Request) (page.Page[ledger.Movement], error) {
	var out page.Page[ledger.Movement]
	countSQL, countArgs, pageSQL, pageArgs, err := journalSQL(f, p)
	if err != nil {
		return out, err
	}
	if err := s.pool.QueryRow(ctx, countSQL, countArgs...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count movements: %w", err)
	}
	rows, _ := s.pool.Query(ctx, pageSQL, pageArgs...)
	items, err := pgx.CollectRows(rows, scanMovement)
	if err != nil {
		return out, fmt.Errorf("list movements: %w", err)
	}
	if limit := ledgerPageLimit(p); len(items) > limit {
		items = items[:limit]
		out.NextCursor = journalCursor(items[limit-1])
	}
	out.Items = items
	return out, nil
}

// journalExportSQL is the query of an export of the journal: the page's
// movements with the names of their partners and of who booked them (and
// that person's email), all of them, in the journal's order. The item is looked up
// per movement: joined, the planner hashes the whole catalogue to export a
// week's movements.
func journalExportSQL(f ledger.Filter) (string, []any) {
	q := journalFilter(f)
	return "SELECT" + movementOwnColumns + `,
	       (SELECT sku FROM items WHERE id = m.item_id), (SELECT name FROM items WHERE id = m.item_id),
	       (SELECT base_unit FROM items WHERE id = m.item_id), (SELECT coalesce(package_unit, '') FROM items WHERE id = m.item_id),
	       l.code, tl.code,` +
		movementNameColumns + `,
	       coalesce((SELECT email FROM users WHERE id = m.created_by), '')
	  FROM movements m` + movementOtherJoins + q.whereSQL() + journalOrder, q.args
}

// EachMovement streams the journal's export; the rows come in index order
// (the journal's), so the first ones flow before the query has read the
// rest.
func (s *LedgerStore) EachMovement(ctx context.Context, f ledger.Filter, fn func(ledger.JournalRow) error) error {
	sql, args := journalExportSQL(f)
	return each(ctx, s.pool, sql, args, func(rows pgx.Rows) error {
		var r ledger.JournalRow
		if err := rows.Scan(append(movementDests(&r.Movement), &r.UserEmail)...); err != nil {
			return fmt.Errorf("export movements: %w", err)
		}
		r.EffectiveAt, r.CreatedAt = r.EffectiveAt.UTC(), r.CreatedAt.UTC()
		return fn(r)
	})
}

// Stock.

// stockItemColumns are the item's part of a stock summary, from items i.
const stockItemColumns = `i.id, i.sku, i.name, i.category_id, i.archived_at, i.base_unit, i.package_unit, i.package_size,
	i.pallet_size, i.min_stock, i.avg_unit_cost_micros, i.currency`

func stockItemDests(s *ledger.StockSummary) []any {
	return []any{&s.ItemID, &s.SKU, &s.Name, &s.CategoryID, &s.ArchivedAt, &s.BaseUnit, &s.PackageUnit, &s.PackageSize,
		&s.PalletSize, &s.MinStock, &s.AvgUnitCostMicros, &s.Currency}
}

func (s *LedgerStore) StockByItem(ctx context.Context, itemID int64) (ledger.ItemStock, error) {
	var out ledger.ItemStock
	// One snapshot: the average and the levels must belong together.
	err := inSnapshot(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT "+stockItemColumns+" FROM items i WHERE i.id = $1", itemID).
			Scan(stockItemDests(&out.StockSummary)...); err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, `
			SELECT s.location_id, l.code, l.name, l.archived_at IS NOT NULL, s.good, s.defective, s.reserved
			  FROM stock s JOIN locations l ON l.id = s.location_id
			 WHERE s.item_id = $1
			 ORDER BY lower(l.code), l.id`, itemID)
		var err error
		out.Locations, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (ledger.LocationStock, error) {
			var l ledger.LocationStock
			err := row.Scan(&l.LocationID, &l.LocationCode, &l.LocationName, &l.LocationArchived, &l.Good, &l.Defective, &l.Reserved)
			return l, err
		})
		return err
	})
	if err != nil {
		return ledger.ItemStock{}, mapError(err, "Item not found.")
	}
	for _, l := range out.Locations {
		out.Good += l.Good
		out.Defective += l.Defective
		out.Reserved += l.Reserved
	}
	if out.Locations == nil {
		out.Locations = []ledger.LocationStock{}
	}
	return out, nil
}

func (s *LedgerStore) ItemTotals(ctx context.Context, ids []int64) (map[int64]ledger.Totals, error) {
	rows, _ := s.pool.Query(ctx, "SELECT item_id, good, defective, reserved, min_stock FROM item_stock WHERE item_id = ANY($1)", ids)
	out := make(map[int64]ledger.Totals, len(ids))
	var id int64
	var t ledger.Totals
	if _, err := pgx.ForEachRow(rows, []any{&id, &t.Good, &t.Defective, &t.Reserved, &t.MinStock}, func() error {
		out[id] = t
		return nil
	}); err != nil {
		return nil, fmt.Errorf("item totals: %w", err)
	}
	return out, nil
}

func (s *LedgerStore) StockValue(ctx context.Context, itemID int64) (ledger.Value, error) {
	var v ledger.Value
	err := s.pool.QueryRow(ctx, `
		SELECT i.id, coalesce(sum(s.good + s.defective), 0)::bigint, i.avg_unit_cost_micros, i.currency
		  FROM items i LEFT JOIN stock s ON s.item_id = i.id
		 WHERE i.id = $1
		 GROUP BY i.id`, itemID).Scan(&v.ItemID, &v.OnHand, &v.AvgUnitCostMicros, &v.Currency)
	return v, mapError(err, "Item not found.")
}

// stockListSQL returns the two queries of a stock list page. Items are read
// in name order from items_name_idx (or items_category_idx) with each one's
// totals from item_stock (kept by triggers, migration 000007); with a
// location, the location's rows come from stock_location_idx. Archived
// items are listed only while they still hold stock.
//
// tree is the location and every location below it, for f.Sublocations.
func stockListSQL(f ledger.StockFilter, p page.Request, tree []int64) (countSQL string, countArgs []any, pageSQL string, pageArgs []any, err error) {
	var q ledgerQuery
	from := "items i JOIN item_stock t ON t.item_id = i.id"
	listed := "(NOT t.archived OR t.good + t.defective > 0)"
	low := lowStockSQL("t.good - t.reserved", "t.min_stock")
	if f.LocationID != nil {
		listed = "(i.archived_at IS NULL OR t.good + t.defective > 0)"
		low = lowStockSQL("t.good - t.reserved", "i.min_stock")
		if !f.Sublocations {
			from = "items i JOIN stock t ON t.item_id = i.id AND t.location_id = " + q.arg(*f.LocationID)
		} else {
			// Each item's rows in the location's tree added up: a few rows
			// per item, read by the tree's ids from stock_location_idx.
			// The ids come as a value (read first, locationTree), so the
			// planner knows how few they are.
			from = `items i JOIN (
				SELECT s.item_id, sum(s.good)::bigint AS good, sum(s.defective)::bigint AS defective,
				       sum(s.reserved)::bigint AS reserved FROM stock s
				 WHERE s.location_id = ANY(` + q.arg(tree) + `::bigint[])
				 GROUP BY s.item_id) t ON t.item_id = i.id`
		}
	}
	if f.ItemID != nil {
		q.filter("i.id = " + q.arg(*f.ItemID))
	}
	if f.CategoryID != nil {
		q.filter("i.category_id = " + q.arg(*f.CategoryID))
	}
	if f.LowStock {
		q.filter(low)
	}
	q.filter(listed)
	countSQL = "SELECT count(*) FROM (SELECT 1 FROM " + from + q.whereSQL() + " LIMIT " + strconv.Itoa(page.CountLimit+1) + ") c"
	countArgs = slices.Clone(q.args)
	switch {
	case f.LocationID != nil && f.ItemID == nil && !f.Sublocations:
		countSQL, countArgs = locationCountSQL(f)
	case f.LocationID == nil && f.ItemID == nil && !f.LowStock:
		countSQL, countArgs = stockTotalSQL(f.CategoryID)
	case f.LocationID == nil && f.ItemID == nil && f.CategoryID == nil:
		// Below the minimum, over all items: item_stock_low_idx alone.
		countSQL, countArgs = "SELECT count(*) FROM (SELECT 1 FROM item_stock t WHERE "+low+" AND "+listed+
			" LIMIT "+strconv.Itoa(page.CountLimit+1)+") c", nil
	}
	if len(p.After) > 0 {
		if len(p.After) != 2 {
			return "", nil, "", nil, ledgerCursorError()
		}
		id, perr := strconv.ParseInt(p.After[1], 10, 64)
		if perr != nil {
			return "", nil, "", nil, ledgerCursorError()
		}
		q.filter("(lower(i.name), i.id) > (" + q.arg(p.After[0]) + ", " + q.arg(id) + ")")
	}
	pageSQL = "SELECT " + stockItemColumns + ", t.good, t.defective, t.reserved, lower(i.name) FROM " + from + q.whereSQL() +
		" ORDER BY lower(i.name), i.id LIMIT " + q.arg(ledgerPageLimit(p)+1)
	return countSQL, countArgs, pageSQL, q.args, nil
}

// locationCountSQL counts a location's part of the stock list from its
// stock rows (stock_location_idx), looking up each row's item by primary
// key only where a condition needs it: joining the items instead made the
// planner hash the whole items table for a few thousand rows.
func locationCountSQL(f ledger.StockFilter) (string, []any) {
	var q ledgerQuery
	q.filter("t.location_id = " + q.arg(*f.LocationID))
	q.filter("(t.good + t.defective > 0 OR NOT (SELECT p.archived FROM item_stock p WHERE p.item_id = t.item_id))")
	if f.LowStock {
		q.filter(lowStockSQL("t.good - t.reserved", "(SELECT p.min_stock FROM item_stock p WHERE p.item_id = t.item_id)"))
	}
	if f.CategoryID != nil {
		q.filter("(SELECT i.category_id FROM items i WHERE i.id = t.item_id) = " + q.arg(*f.CategoryID))
	}
	return "SELECT count(*) FROM (SELECT 1 FROM stock t" + q.whereSQL() + " LIMIT " + strconv.Itoa(page.CountLimit+1) + ") c", q.args
}

// stockTotalSQL counts the whole stock list (of a category) exactly: the
// active items from item_counts, and the archived ones still holding stock
// from their partial index.
func stockTotalSQL(categoryID *int64) (string, []any) {
	active := itemTotal(catalogue.ActiveOnly, catalogue.ItemFilter{CategoryID: categoryID})
	held := "SELECT count(*) FROM item_stock t WHERE t.archived AND t.good + t.defective > 0"
	if categoryID != nil {
		// $1, as in active.
		held = "SELECT count(*) FROM item_stock t JOIN items i ON i.id = t.item_id" +
			" WHERE t.archived AND t.good + t.defective > 0 AND i.category_id = $1"
	}
	return "SELECT ((" + active.sql + ") + (" + held + "))::int", active.args
}

func (s *LedgerStore) ListStock(ctx context.Context, f ledger.StockFilter, p page.Request) (page.Page[ledger.StockSummary], error) {
	var out page.Page[ledger.StockSummary]
	var tree []int64
	if f.LocationID != nil && f.Sublocations {
		var err error
		if tree, err = locationTree(ctx, s.pool, *f.LocationID); err != nil {
			return out, err
		}
	}
	countSQL, countArgs, pageSQL, pageArgs, err := stockListSQL(f, p, tree)
	if err != nil {
		return out, err
	}
	if err := s.pool.QueryRow(ctx, countSQL, countArgs...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count stock: %w", err)
	}
	type keyed struct {
		v   ledger.StockSummary
		key string
	}
	rows, _ := s.pool.Query(ctx, pageSQL, pageArgs...)
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (keyed, error) {
		var k keyed
		err := row.Scan(append(stockItemDests(&k.v), &k.v.Good, &k.v.Defective, &k.v.Reserved, &k.key)...)
		return k, err
	})
	if err != nil {
		return out, fmt.Errorf("list stock: %w", err)
	}
	if limit := ledgerPageLimit(p); len(got) > limit {
		got = got[:limit]
		last := got[limit-1]
		out.NextCursor = page.Cursor(ledger.StockSort, last.key, strconv.FormatInt(last.v.ItemID, 10))
	}
	out.Items = make([]ledger.StockSummary, len(got))
	for i, k := range got {
		out.Items[i] = k.v
	}
	return out, nil
}

// locationTree returns id and the ids of every location below it, along
// locations_parent_idx.
func locationTree(ctx context.Context, q querier, id int64) ([]int64, error) {
	rows, _ := q.Query(ctx, `
		WITH RECURSIVE tree(id) AS (
			SELECT $1::bigint
			UNION ALL SELECT l.id FROM locations l JOIN tree ON l.parent_id = tree.id)
		SELECT id FROM tree`, id)
	out, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("read the locations below %d: %w", id, err)
	}
	return out, nil
}

// lowStockSQL is ledger.IsLow in SQL: available (good - reserved) at or
// below the minimum, for an item that has one. Written "min_stock > 0 AND
// good - reserved <= min_stock" on item_stock's own columns, it is the
// condition of item_stock_low_idx (migration 000017), which the planner
// then uses.
func lowStockSQL(good, minStock string) string {
	return minStock + " > 0 AND " + good + " <= " + minStock
}

func ledgerCursorError() error {
	return page.InvalidCursor()
}
