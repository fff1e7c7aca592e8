package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// CreateReceipt books a receipt's lines in three round trips, like a single
// movement: one batch begins the transaction, reads and locks the snapshot
// in the lock order (see ledger.Store) and allocates the movements' ids;
// decide runs; a second batch writes; COMMIT.
func (s *LedgerStore) CreateReceipt(ctx context.Context, actor audit.Actor, req ledger.ReceiptRequest, decide func(ledger.ReceiptSnapshot) ([]ledger.Booking, error)) ([]ledger.Movement, error) {
	out, err := s.createLines(ctx, actor, req, false, decide)
	return out, ledgerError(err)
}

// CreateCount books a stock-take's differences like a receipt's lines (see
// ledger.Store): the same locks in the same order, without a supplier; the
// movements' ids are taken once decide has said how many differ.
func (s *LedgerStore) CreateCount(ctx context.Context, actor audit.Actor, req ledger.CountRequest, decide func(ledger.ReceiptSnapshot) ([]ledger.Booking, error)) ([]ledger.Movement, error) {
	lines := ledger.ReceiptRequest{Places: req.Places, Lines: req.Lines, Key: req.Key, Fingerprint: req.Fingerprint}
	out, err := s.createLines(ctx, actor, lines, true, decide)
	return out, ledgerError(err)
}

// createLines books the lines of a receipt, or with count the differences
// of a stock-take (req.SupplierID 0, no priced items, fewer bookings than
// lines allowed).
func (s *LedgerStore) createLines(ctx context.Context, actor audit.Actor, req ledger.ReceiptRequest, count bool, decide func(ledger.ReceiptSnapshot) ([]ledger.Booking, error)) ([]ledger.Movement, error) {
	var (
		snap     ledger.ReceiptSnapshot
		ids      []int64
		next     nextMovement
		replayID int64
	)
	what := "delivery"
	if count {
		what = "count"
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	if req.Key != "" {
		queueReceiptReplay(b, actor, req, what, &replayID)
	}
	queueReceiptSnapshot(b, req, &snap, &ids, &next, !count)
	queueBooker(b, actor, &next.by)
	br := s.pool.SendBatch(ctx, b)
	tx := br.Tx()
	// Undoes whatever was not committed and gives the connection back; a
	// no-op after Commit.
	defer func() { _ = tx.Rollback(ctx) }()
	if err := br.Close(); err != nil {
		return nil, err
	}
	if replayID != 0 {
		// What the batch locked and the stock rows it may have created are
		// rolled back.
		ms, err := s.receiptMovements(ctx, tx, actor, req, count)
		for i := range ms {
			ms[i].Replayed = true
		}
		return ms, err
	}
	bookings, err := decide(snap)
	if err != nil {
		return nil, err
	}
	if count {
		if len(bookings) > req.Lines {
			return nil, fmt.Errorf("count: %d lines, %d bookings", req.Lines, len(bookings))
		}
		if len(bookings) == 0 {
			return []ledger.Movement{}, nil // the stock rows it may have created are rolled back
		}
		if ids, err = allocateIDs(ctx, tx, len(bookings)); err != nil {
			return nil, err
		}
	}
	if len(bookings) != len(ids) || (!count && len(bookings) != req.Lines) {
		return nil, fmt.Errorf("receipt: %d lines, %d bookings, %d ids", req.Lines, len(bookings), len(ids))
	}
	out := make([]ledger.Movement, len(bookings))
	b = &pgx.Batch{}
	for i, booking := range bookings {
		m := booking.Movement
		view := ledger.Snapshot{Locations: snap.Locations, Supplier: snap.Supplier}
		if it, ok := snap.Items[m.ItemID]; ok {
			view.Item = &it
		}
		stored, err := storedMovement(m, nextMovement{id: ids[i], at: next.at, by: next.by}, actor, view)
		if err != nil {
			return nil, err
		}
		out[i] = stored
		var key any
		if req.Key != "" {
			key = ledger.LineKey(req.Key, i)
		}
		queueMovementInsert(b, actor, key, req.Fingerprint, stored, !m.EffectiveAt.IsZero())
	}
	if err := queueReceiptLevels(b, req, bookings, snap); err != nil {
		return nil, err
	}
	for _, m := range out {
		if err := queueMovementAudit(b, actor, m); err != nil {
			return nil, err
		}
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return nil, err
	}
	if req.Expense != nil {
		if err := bookReceiptExpense(ctx, tx, actor, req, out[0].ID); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// bookReceiptExpense writes the purchase expense of a priced receipt in its
// transaction, linked to the receipt's first movement: the lines' values at
// their items' VAT rates (expenses.FromReceipt), under the rules of any
// expense; a problem is named under expense (its field after the dot) and
// nothing is booked.
func bookReceiptExpense(ctx context.Context, tx pgx.Tx, actor audit.Actor, req ledger.ReceiptRequest, movementID int64) error {
	items := make([]int64, len(req.ExpenseLines))
	for i, l := range req.ExpenseLines {
		items[i] = l.ItemID
	}
	rates := map[int64]int{}
	rows, _ := tx.Query(ctx, "SELECT id, vat_rate_bp FROM items WHERE id = ANY($1)", items)
	var id int64
	var rate int
	if _, err := pgx.ForEachRow(rows, []any{&id, &rate}, func() error { rates[id] = rate; return nil }); err != nil {
		return fmt.Errorf("read the items' VAT rates: %w", err)
	}
	var category int64
	err := tx.QueryRow(ctx, "SELECT id FROM expense_categories WHERE key = 'purchase' AND archived_at IS NULL FOR SHARE").Scan(&category)
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.FieldProblem("Check the marked fields; nothing was booked.", "expense",
			apperr.Archived().Because("cannot be booked: the purchase expense category is archived"))
	}
	if err != nil {
		return fmt.Errorf("read the purchase category: %w", err)
	}
	lines := make([]expenses.ReceiptLine, len(req.ExpenseLines))
	for i, l := range req.ExpenseLines {
		lines[i] = expenses.ReceiptLine{Quantity: l.Quantity, UnitCostMicros: l.UnitCostMicros, VATRateBP: rates[l.ItemID]}
	}
	choice := expenses.ReceiptChoice{Status: expenses.Status(req.Expense.Status), PaidOn: req.Expense.PaidOn, Note: req.Expense.Note}
	f, err := expenses.Check(expenses.FromReceipt(req.ExpenseDay, req.SupplierID, category, lines, choice), req.Today)
	if err != nil {
		return underField("expense", err)
	}
	_, err = createExpense(ctx, tx, actor, f, &movementID)
	return underField("expense", err)
}

// underField names a validation error's fields under parent ("expense.status");
// other errors pass as they are.
func underField(parent string, err error) error {
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		return err
	}
	p := apperr.Problems{}
	for field, problem := range e.Fields {
		p[parent+"."+field] = problem
	}
	return p.Err("Check the marked fields; nothing was booked.")
}

// allocateIDs takes the ids of n movements, ascending.
func allocateIDs(ctx context.Context, q querier, n int) ([]int64, error) {
	rows, _ := q.Query(ctx, "SELECT nextval(pg_get_serial_sequence('movements', 'id')) FROM generate_series(1, $1)", n)
	got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("allocate movement ids: %w", err)
	}
	slices.Sort(got)
	return got, nil
}

// queueReceiptReplay serialises requests that share a key (under the lock
// single movements take) and sets *found to the first line's movement when
// the receipt was booked under it; the key taken by anything else fails
// the batch.
func queueReceiptReplay(b *pgx.Batch, actor audit.Actor, req ledger.ReceiptRequest, what string, found *int64) {
	onExec(b.Queue("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", requestKeyLock(actor, req.Key)), "lock request key", nil)
	queueKeyLookup(b, actor, req.Key, req.Fingerprint, what, found)
}

// receiptMovements reads the movements booked under req's key, in line
// order: one per line of a receipt, one per difference (at most one per
// line) of a count.
func (s *LedgerStore) receiptMovements(ctx context.Context, q querier, actor audit.Actor, req ledger.ReceiptRequest, count bool) ([]ledger.Movement, error) {
	keys := make([]string, req.Lines)
	for i := range keys {
		keys[i] = ledger.LineKey(req.Key, i)
	}
	rows, _ := q.Query(ctx, movementSelect+" WHERE coalesce(m.created_by, 0) = $1 AND m.request_key = ANY($2) ORDER BY m.id",
		actor.UserID, keys)
	out, err := pgx.CollectRows(rows, scanMovement)
	if err != nil {
		return nil, fmt.Errorf("read the receipt's movements: %w", err)
	}
	if len(out) != req.Lines && (!count || len(out) == 0 || len(out) > req.Lines) {
		return nil, fmt.Errorf("receipt under key: %d of %d movements found", len(out), req.Lines)
	}
	return out, nil
}

// queueReceiptSnapshot reads and locks what a receipt is decided on into
// snap, in the lock order, creates the missing stock rows and, with
// allocate, takes the movements' ids into ids (ascending, in line order);
// the transaction's time goes into next.
func queueReceiptSnapshot(b *pgx.Batch, req ledger.ReceiptRequest, snap *ledger.ReceiptSnapshot, ids *[]int64, next *nextMovement, allocate bool) {
	locs := req.LocationIDs()
	snap.Locations = make(map[int64]ledger.LocationState, len(locs))
	queueReceiptItems(b, req, snap)
	queueLocations(b, locs, snap.Locations)
	if req.SupplierID != 0 {
		supplier := req.SupplierID
		queueParty(b, "suppliers", &supplier, &snap.Supplier)
	}
	queueReceiptStock(b, req, snap)
	n := req.Lines
	if !allocate {
		n = 0
	}
	queueReceiptIDs(b, n, ids, next)
}

// queueReceiptItems reads and locks the receipt's items into snap, in id
// order: those whose average cost the receipt changes (priced) for update,
// with their stock on hand, the others for share.
func queueReceiptItems(b *pgx.Batch, req ledger.ReceiptRequest, snap *ledger.ReceiptSnapshot) {
	items := req.ItemIDs()
	snap.Items = make(map[int64]ledger.ItemState, len(items))
	// One statement per item, in id order, each with its own lock mode.
	for _, id := range items {
		lock := " FOR SHARE"
		if _, priced := slices.BinarySearch(req.PricedItems, id); priced {
			lock = " FOR UPDATE"
		}
		b.Queue(itemStateSelect+lock, id).QueryRow(func(row pgx.Row) error {
			it, err := scanItemState(row)
			if err != nil || it == nil {
				return err
			}
			snap.Items[id] = *it
			return nil
		})
	}
	if len(req.PricedItems) > 0 {
		// Under the locks just taken: no movement of these items runs.
		b.Queue(`SELECT item_id, coalesce(sum(good + defective), 0)::bigint FROM stock WHERE item_id = ANY($1) GROUP BY item_id`,
			req.PricedItems).Query(func(rows pgx.Rows) error {
			var id, onHand int64
			_, err := pgx.ForEachRow(rows, []any{&id, &onHand}, func() error {
				if it, ok := snap.Items[id]; ok {
					it.OnHand = onHand
					snap.Items[id] = it
				}
				return nil
			})
			if err != nil {
				return fmt.Errorf("read stock on hand: %w", err)
			}
			return nil
		})
	}
}

// queueReceiptStock creates the missing stock rows of the receipt's places
// and locks them all, reading their levels into snap.
func queueReceiptStock(b *pgx.Batch, req ledger.ReceiptRequest, snap *ledger.ReceiptSnapshot) {
	snap.Levels = make(map[ledger.Place]ledger.Level, len(req.Places))
	placeItems, placeLocs := make([]int64, len(req.Places)), make([]int64, len(req.Places))
	for i, p := range req.Places {
		placeItems[i], placeLocs[i] = p.ItemID, p.LocationID
	}
	// Only for items and locations that exist, which the statements before
	// have locked; in (item, location) order.
	onExec(b.Queue(`
		INSERT INTO stock (item_id, location_id)
		SELECT i.id, l.id FROM unnest($1::bigint[], $2::bigint[]) AS p(item_id, location_id)
		  JOIN items i ON i.id = p.item_id JOIN locations l ON l.id = p.location_id
		 ORDER BY i.id, l.id
		ON CONFLICT DO NOTHING`, placeItems, placeLocs), "create stock rows", nil)
	// The rows are locked as the sorted result is read.
	b.Queue(`
		SELECT s.item_id, s.location_id, s.good, s.defective, s.reserved
		  FROM stock s JOIN unnest($1::bigint[], $2::bigint[]) AS p(item_id, location_id)
		    ON s.item_id = p.item_id AND s.location_id = p.location_id
		 ORDER BY s.item_id, s.location_id FOR UPDATE OF s`, placeItems, placeLocs).Query(func(rows pgx.Rows) error {
		var p ledger.Place
		var lvl ledger.Level
		_, err := pgx.ForEachRow(rows, []any{&p.ItemID, &p.LocationID, &lvl.Good, &lvl.Defective, &lvl.Reserved}, func() error {
			_, item := snap.Items[p.ItemID]
			_, loc := snap.Locations[p.LocationID]
			if item && loc {
				snap.Levels[p] = lvl
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("lock stock: %w", err)
		}
		return nil
	})
}

// queueReceiptIDs allocates the ids of n movements into ids, ascending,
// and reads the transaction's time into next.
func queueReceiptIDs(b *pgx.Batch, n int, ids *[]int64, next *nextMovement) {
	b.Queue("SELECT nextval(pg_get_serial_sequence('movements', 'id')) FROM generate_series(1, $1)", n).
		Query(func(rows pgx.Rows) error {
			got, err := pgx.CollectRows(rows, pgx.RowTo[int64])
			if err != nil {
				return fmt.Errorf("allocate movement ids: %w", err)
			}
			slices.Sort(got)
			*ids = got
			return nil
		})
	b.Queue("SELECT now()").QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&next.at); err != nil {
			return fmt.Errorf("read the transaction's time: %w", err)
		}
		return nil
	})
}

// queueReceiptLevels writes the level each place was left at and the
// average each item was left at, in (item, location) and item order.
func queueReceiptLevels(b *pgx.Batch, req ledger.ReceiptRequest, bookings []ledger.Booking, snap ledger.ReceiptSnapshot) error {
	levels := map[ledger.Place]ledger.Level{}
	averages := map[int64]int64{}
	for _, bk := range bookings {
		m := bk.Movement
		lvl, ok := bk.Levels[m.LocationID]
		if !ok || len(bk.Levels) != 1 {
			return fmt.Errorf("receipt line of item %d: levels %v", m.ItemID, bk.Levels)
		}
		levels[ledger.Place{ItemID: m.ItemID, LocationID: m.LocationID}] = lvl
		averages[m.ItemID] = m.AvgCostAfter
	}
	for _, p := range req.Places {
		lvl, ok := levels[p]
		if !ok || lvl == snap.Levels[p] {
			continue
		}
		onExec(b.Queue("UPDATE stock SET good = $3, defective = $4 WHERE item_id = $1 AND location_id = $2",
			p.ItemID, p.LocationID, lvl.Good, lvl.Defective), "update stock", func(tag pgconn.CommandTag) error {
			if tag.RowsAffected() != 1 {
				return fmt.Errorf("update stock: no row for item %d at location %d", p.ItemID, p.LocationID)
			}
			return nil
		})
	}
	for _, id := range req.ItemIDs() {
		avg, ok := averages[id]
		if !ok || avg == snap.Items[id].AvgUnitCostMicros {
			continue
		}
		// As for a single movement: the average is the ledger's, not part
		// of the version clients edit.
		onExec(b.Queue("UPDATE items SET avg_unit_cost_micros = $2 WHERE id = $1", id, avg), "update average cost", nil)
	}
	return nil
}

// requestKeyLock names the advisory lock that serialises the requests of
// one person under one key.
func requestKeyLock(actor audit.Actor, key string) string {
	return "depotix.movement:" + strconv.FormatInt(actor.UserID, 10) + ":" + key
}
