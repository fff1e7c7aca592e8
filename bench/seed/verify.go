package seed

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"
)

// ledgerMismatchSQL counts the stock levels that differ from the sum of
// their movements' effects (see the ledger migration for the effects; a
// reversal repeats its original's fields and undoes its effect).
const ledgerMismatchSQL = `
WITH m AS (
    SELECT m.item_id, m.location_id, m.to_location_id, m.quantity_base,
           coalesce(o.type, m.type) AS type, CASE WHEN m.type = 'reversal' THEN -1 ELSE 1 END AS sign
      FROM movements m LEFT JOIN movements o ON o.id = m.reverses_id
), effects AS (
    SELECT item_id, location_id AS loc,
           sign * CASE type WHEN 'receipt' THEN quantity_base WHEN 'return' THEN quantity_base WHEN 'adjust' THEN quantity_base
                            WHEN 'issue' THEN -quantity_base WHEN 'defect' THEN -quantity_base WHEN 'transfer' THEN -quantity_base
                            ELSE 0 END AS good,
           sign * CASE type WHEN 'defect' THEN quantity_base WHEN 'write_off' THEN -quantity_base ELSE 0 END AS defective
      FROM m
    UNION ALL
    SELECT item_id, to_location_id, sign * quantity_base, 0 FROM m WHERE type = 'transfer'
), sums AS (
    SELECT item_id, loc, sum(good) AS good, sum(defective) AS defective FROM effects GROUP BY item_id, loc
)
SELECT count(*), coalesce(sum(abs(coalesce(s.good, 0) - coalesce(x.good, 0))), 0)
  FROM sums x FULL JOIN stock s ON s.item_id = x.item_id AND s.location_id = x.loc
 WHERE coalesce(s.good, 0) <> coalesce(x.good, 0) OR coalesce(s.defective, 0) <> coalesce(x.defective, 0)`

// Verify checks that every stock level in the database equals the sum of
// its movements' effects, and returns how many movements it summed.
func Verify(ctx context.Context, pool *pgxpool.Pool) (movements int64, err error) {
	var bad, off int64
	if err := pool.QueryRow(ctx, ledgerMismatchSQL).Scan(&bad, &off); err != nil {
		return 0, fmt.Errorf("verify ledger: %w", err)
	}
	if bad > 0 {
		return 0, fmt.Errorf("verify ledger: %d stock levels differ from the sum of their movements (by %d units of good stock in all)", bad, off)
	}
	err = pool.QueryRow(ctx, "SELECT count(*) FROM movements").Scan(&movements)
	return movements, err
}
