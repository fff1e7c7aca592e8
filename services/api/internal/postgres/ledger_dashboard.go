package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/ledger"
)

// The dashboard's figures are dashboard_totals plus the dashboard_changes
// not yet folded into them (migration 000008); both are a few hundred rows
// at most, whatever the size of the catalogue and the journal.

// dashboardFigure is one figure's rows, totals and changes together.
const dashboardFigure = `(SELECT category_id, currency, hour_utc, amount FROM dashboard_totals WHERE figure = $1
	  UNION ALL
	  SELECT category_id, currency, hour_utc, amount FROM dashboard_changes WHERE figure = $1)`

// Figures reads the dashboard's figures in one read-only snapshot and two
// round trips: how to find the low-stock items depends on their number.
func (s *LedgerStore) Figures(ctx context.Context, since time.Time, lowStock, recent int) (ledger.Figures, error) {
	f := ledger.Figures{Hours: map[time.Time]int64{}}
	err := inSnapshot(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		// Micros to minor units (1 Rappen = 10,000 micros), rounding halves
		// away from zero as ledger.MicrosToAmount does; each currency's
		// total is rounded once, not summed from its rounded categories.
		b.Queue(`
			SELECT v.currency, GROUPING(v.category_id) = 1, coalesce(v.category_id, 0), coalesce(c.name, ''),
			       round(sum(v.amount) / 10000)::bigint
			  FROM `+dashboardFigure+` v
			  LEFT JOIN categories c ON c.id = v.category_id
			 GROUP BY GROUPING SETS ((v.currency, v.category_id, c.name), (v.currency))
			HAVING sum(v.amount) <> 0`, "stock_value").Query(func(rows pgx.Rows) error {
			var cv ledger.CategoryValue
			var total bool
			_, err := pgx.ForEachRow(rows, []any{&cv.Currency, &total, &cv.CategoryID, &cv.Name, &cv.Value}, func() error {
				if total {
					f.Currencies = append(f.Currencies, ledger.CurrencyValue{Currency: cv.Currency, Value: cv.Value})
				} else {
					f.Categories = append(f.Categories, cv)
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("stock value: %w", err)
			}
			return nil
		})
		b.Queue("SELECT coalesce(sum(amount), 0)::bigint FROM "+dashboardFigure+" v", "low_stock").
			QueryRow(func(row pgx.Row) error {
				if err := row.Scan(&f.LowStockCount); err != nil {
					return fmt.Errorf("low stock count: %w", err)
				}
				return nil
			})
		b.Queue("SELECT hour_utc, sum(amount)::bigint FROM "+dashboardFigure+" v WHERE hour_utc >= $2 GROUP BY hour_utc",
			"movements", since).Query(func(rows pgx.Rows) error {
			var hour time.Time
			var n int64
			_, err := pgx.ForEachRow(rows, []any{&hour, &n}, func() error {
				f.Hours[hour.UTC()] += n
				return nil
			})
			if err != nil {
				return fmt.Errorf("movements per hour: %w", err)
			}
			return nil
		})
		b.Queue(movementSelect+journalOrder+" LIMIT $1", recent).Query(func(rows pgx.Rows) error {
			var err error
			f.Recent, err = pgx.CollectRows(rows, scanMovement)
			if err != nil {
				return fmt.Errorf("recent movements: %w", err)
			}
			return nil
		})
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return err
		}
		var err error
		f.LowStock, err = lowStockItems(ctx, tx, f.LowStockCount, lowStock)
		return err
	})
	if err != nil {
		return ledger.Figures{}, err
	}
	return f, nil
}

// fewLowStock is the number of items at or below their minimum up to which
// the dashboard sorts all of them by name; with more, it walks the items by
// name until it has found its few. Either way at most about this many rows
// are read: the planner, which guesses a third of the items for the
// comparison of two columns, would walk all 100,000 names to find ten when
// only ten are low.
const fewLowStock = 1000

// lowStockItems reads the first limit active items at or below their
// minimum, by name; count is how many there are.
func lowStockItems(ctx context.Context, q querier, count int64, limit int) ([]ledger.LowStockItem, error) {
	const columns = "SELECT i.id, i.sku, i.name, i.base_unit, t.good, t.min_stock, i.reorder_qty, i.preferred_supplier_id"
	var sql string
	switch {
	case count == 0:
		return []ledger.LowStockItem{}, nil
	case count <= fewLowStock:
		// From item_stock_low_idx (000017), whose condition this implies;
		// good is the available stock, what was compared with the minimum.
		sql = `WITH low AS MATERIALIZED (
			SELECT item_id, greatest(good - reserved, 0) AS good, min_stock FROM item_stock WHERE min_stock > 0 AND good - reserved <= min_stock AND NOT archived)
		` + columns + ` FROM low t JOIN items i ON i.id = t.item_id ORDER BY lower(i.name), i.id LIMIT $1`
	default:
		// Along items_name_idx, each item looked up in item_stock_low_idx.
		sql = strings.Replace(columns, "t.good", "greatest(t.good - t.reserved, 0)", 1) + ` FROM items i JOIN item_stock t ON t.item_id = i.id
			WHERE t.min_stock > 0 AND t.good - t.reserved <= t.min_stock AND NOT t.archived ORDER BY lower(i.name), i.id LIMIT $1`
	}
	rows, _ := q.Query(ctx, sql, limit)
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ledger.LowStockItem, error) {
		var it ledger.LowStockItem
		err := row.Scan(&it.ItemID, &it.SKU, &it.Name, &it.BaseUnit, &it.Good, &it.MinStock, &it.ReorderQty, &it.PreferredSupplierID)
		return it, err
	})
	if err != nil {
		return nil, fmt.Errorf("low stock items: %w", err)
	}
	return out, nil
}
