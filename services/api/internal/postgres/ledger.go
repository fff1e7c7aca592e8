package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// LedgerStore keeps the stock ledger; it implements ledger.Store.
//
// Every movement locks, in this order: the request key (an advisory lock),
// the item, the reversed movement, the locations by id, the partner, the
// stock rows by location id. One order for every writer means two
// movements can wait for each other but never deadlock.
type LedgerStore struct {
	pool *pgxpool.Pool
}

var _ ledger.Store = (*LedgerStore)(nil)

// NewLedgerStore returns a store working on pool.
func NewLedgerStore(pool *pgxpool.Pool) *LedgerStore { return &LedgerStore{pool: pool} }

const movementNotFound = "Movement not found."

func (s *LedgerStore) CreateMovement(ctx context.Context, actor audit.Actor, req ledger.Request, decide func(ledger.Snapshot) (ledger.Booking, error)) (ledger.Movement, error) {
	var out ledger.Movement
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if req.Key != "" {
			found, err := s.replay(ctx, tx, actor, req, &out)
			if err != nil || found {
				return err
			}
		}
		snap, err := s.lockSnapshot(ctx, tx, &req)
		if err != nil {
			return err
		}
		b, err := decide(snap)
		if err != nil {
			return err
		}
		id, err := s.insertMovement(ctx, tx, actor, req, b.Movement)
		if err != nil {
			return err
		}
		if err := s.writeLevels(ctx, tx, b.Movement.ItemID, snap.Levels, b.Levels); err != nil {
			return err
		}
		if b.Movement.AvgCostAfter != snap.Item.AvgUnitCostMicros {
			// version is the ETag of what clients edit; the average is the
			// ledger's, so it changes without bumping it.
			if _, err := tx.Exec(ctx, "UPDATE items SET avg_unit_cost_micros = $2 WHERE id = $1", b.Movement.ItemID, b.Movement.AvgCostAfter); err != nil {
				return fmt.Errorf("update average cost: %w", err)
			}
		}
		if out, err = s.movement(ctx, tx, id); err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, "movement", id, audit.ActionCreate, nil, out)
	})
	return out, ledgerError(err)
}

// replay serialises requests that share a key and returns the movement
// already booked under it, if any.
func (s *LedgerStore) replay(ctx context.Context, tx pgx.Tx, actor audit.Actor, req ledger.Request, out *ledger.Movement) (bool, error) {
	lock := "depotix.movement:" + strconv.FormatInt(actor.UserID, 10) + ":" + req.Key
	if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", lock); err != nil {
		return false, fmt.Errorf("lock request key: %w", err)
	}
	var id int64
	var hash []byte
	err := tx.QueryRow(ctx, "SELECT id, request_hash FROM movements WHERE coalesce(created_by, 0) = $1 AND request_key = $2",
		actor.UserID, req.Key).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("look up request key: %w", err)
	}
	if !bytes.Equal(hash, req.Fingerprint) {
		return false, apperr.New(apperr.CodeIdempotency,
			fmt.Sprintf("This Idempotency-Key was already used for another request (movement %d); use a new key for a new movement.", id))
	}
	m, err := s.movement(ctx, tx, id)
	*out = m
	return true, err
}

// lockSnapshot reads and locks what the movement will be decided on. For
// a reversal it fills req's item and locations from the original.
func (s *LedgerStore) lockSnapshot(ctx context.Context, tx pgx.Tx, req *ledger.Request) (ledger.Snapshot, error) {
	var snap ledger.Snapshot
	if req.ReversesID != 0 {
		o, err := s.movement(ctx, tx, req.ReversesID)
		if err != nil {
			return snap, err
		}
		req.ItemID, req.LocationIDs, req.ChangesCost = o.ItemID, o.Locations(), o.ChangesAverage()
	}
	lock := " FOR SHARE"
	if req.ChangesCost {
		lock = " FOR UPDATE"
	}
	var err error
	if snap.Item, err = s.lockItem(ctx, tx, req.ItemID, lock); err != nil {
		return snap, err
	}
	if req.ReversesID != 0 {
		// Two reversals of one movement queue here; the second then sees
		// the first's reversal.
		if _, err := tx.Exec(ctx, "SELECT 1 FROM movements WHERE id = $1 FOR UPDATE", req.ReversesID); err != nil {
			return snap, fmt.Errorf("lock movement: %w", err)
		}
		o, err := s.movement(ctx, tx, req.ReversesID)
		if err != nil {
			return snap, err
		}
		snap.Original = &o
	}
	if snap.Item != nil && req.ChangesCost {
		if err := tx.QueryRow(ctx, "SELECT coalesce(sum(good + defective), 0)::bigint FROM stock WHERE item_id = $1",
			req.ItemID).Scan(&snap.Item.OnHand); err != nil {
			return snap, fmt.Errorf("read stock on hand: %w", err)
		}
	}
	locs := slices.Clone(req.LocationIDs)
	slices.Sort(locs)
	locs = slices.Compact(locs)
	snap.Locations = make(map[int64]ledger.LocationState, len(locs))
	for _, id := range locs {
		var l ledger.LocationState
		err := tx.QueryRow(ctx, "SELECT id, code, archived_at IS NOT NULL FROM locations WHERE id = $1 FOR SHARE", id).
			Scan(&l.ID, &l.Code, &l.Archived)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		}
		if err != nil {
			return snap, fmt.Errorf("lock location: %w", err)
		}
		snap.Locations[id] = l
	}
	if snap.Supplier, err = s.lockParty(ctx, tx, "suppliers", req.SupplierID); err != nil {
		return snap, err
	}
	if snap.Customer, err = s.lockParty(ctx, tx, "customers", req.CustomerID); err != nil {
		return snap, err
	}
	snap.Levels = map[int64]ledger.Level{}
	if snap.Item == nil {
		return snap, nil
	}
	present := make([]int64, 0, len(locs))
	for _, id := range locs {
		if _, ok := snap.Locations[id]; !ok {
			continue
		}
		present = append(present, id)
		if _, err := tx.Exec(ctx, "INSERT INTO stock (item_id, location_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", req.ItemID, id); err != nil {
			return snap, fmt.Errorf("create stock row: %w", err)
		}
	}
	// The rows are locked as the sorted result is read, in location order;
	// a row another movement changed meanwhile is read as committed.
	rows, _ := tx.Query(ctx, `
		SELECT location_id, good, defective FROM stock
		 WHERE item_id = $1 AND location_id = ANY($2)
		 ORDER BY location_id FOR UPDATE`, req.ItemID, present)
	var loc int64
	var lvl ledger.Level
	_, err = pgx.ForEachRow(rows, []any{&loc, &lvl.Good, &lvl.Defective}, func() error {
		snap.Levels[loc] = lvl
		return nil
	})
	if err != nil {
		return snap, fmt.Errorf("lock stock: %w", err)
	}
	return snap, nil
}

func (s *LedgerStore) lockItem(ctx context.Context, tx pgx.Tx, id int64, lock string) (*ledger.ItemState, error) {
	var it ledger.ItemState
	err := tx.QueryRow(ctx, `
		SELECT id, sku, name, base_unit, package_unit, package_size, pallet_size, avg_unit_cost_micros, archived_at IS NOT NULL
		  FROM items WHERE id = $1`+lock, id).
		Scan(&it.ID, &it.SKU, &it.Name, &it.BaseUnit, &it.PackageUnit, &it.PackageSize, &it.PalletSize, &it.AvgUnitCostMicros, &it.Archived)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("lock item: %w", err)
	}
	return &it, nil
}

// lockParty reads a supplier or customer (table is a constant) and holds
// off its archiving until the movement commits.
func (s *LedgerStore) lockParty(ctx context.Context, tx pgx.Tx, table string, id *int64) (*ledger.PartyState, error) {
	if id == nil {
		return nil, nil
	}
	p := ledger.PartyState{ID: *id}
	err := tx.QueryRow(ctx, "SELECT archived_at IS NOT NULL FROM "+table+" WHERE id = $1 FOR SHARE", *id).Scan(&p.Archived)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return &p, nil
	case err != nil:
		return nil, fmt.Errorf("lock %s: %w", table, err)
	}
	p.Exists = true
	return &p, nil
}

func (s *LedgerStore) insertMovement(ctx context.Context, tx pgx.Tx, actor audit.Actor, req ledger.Request, m ledger.Movement) (int64, error) {
	var effective any // NULL: the transaction's time, the same as created_at
	if !m.EffectiveAt.IsZero() {
		effective = m.EffectiveAt
	}
	var key any
	if req.Key != "" {
		key = req.Key
	}
	var id int64
	err := tx.QueryRow(ctx, `
		INSERT INTO movements (type, item_id, location_id, to_location_id, quantity_base, counted,
		                       entered_quantity, entered_unit, unit_factor, unit_cost_micros, supplier_id, customer_id,
		                       reason, note, reverses_id, effective_at, created_by, token_id, request_key, request_hash,
		                       avg_cost_before, avg_cost_after)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
		        coalesce($16::timestamptz, now()), NULLIF($17::bigint, 0), NULLIF($18::bigint, 0), $19, $20, $21, $22)
		RETURNING id`,
		m.Type, m.ItemID, m.LocationID, m.ToLocationID, m.QuantityBase, m.Counted,
		m.EnteredQuantity, m.EnteredUnit, m.UnitFactor, m.UnitCostMicros, m.SupplierID, m.CustomerID,
		m.Reason, m.Note, m.ReversesID, effective, actor.UserID, actor.TokenID, key, req.Fingerprint,
		m.AvgCostBefore, m.AvgCostAfter).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("insert movement: %w", err)
	}
	return id, nil
}

// writeLevels stores the levels that changed, in location order.
func (s *LedgerStore) writeLevels(ctx context.Context, tx pgx.Tx, itemID int64, before, after map[int64]ledger.Level) error {
	locs := make([]int64, 0, len(after))
	for loc := range after {
		locs = append(locs, loc)
	}
	slices.Sort(locs)
	for _, loc := range locs {
		lvl := after[loc]
		if lvl == before[loc] {
			continue
		}
		tag, err := tx.Exec(ctx, "UPDATE stock SET good = $3, defective = $4 WHERE item_id = $1 AND location_id = $2",
			itemID, loc, lvl.Good, lvl.Defective)
		if err != nil {
			return fmt.Errorf("update stock: %w", err)
		}
		if tag.RowsAffected() != 1 {
			return fmt.Errorf("update stock: no row for item %d at location %d", itemID, loc)
		}
	}
	return nil
}

// ledgerError maps database errors of the ledger's writes to domain errors.
func ledgerError(err error) error {
	var pgErr *pgconn.PgError
	if _, ok := apperr.As(err); ok || !errors.As(err, &pgErr) {
		return mapError(err, movementNotFound)
	}
	switch pgErr.ConstraintName {
	case "movements_reverses_id_key":
		return &apperr.Error{Code: apperr.CodeConflict, Message: "This movement was already reversed.", Err: err}
	case "stock_good_check", "stock_defective_check":
		// The decision is made under lock, so only a defect in it gets here;
		// the constraint keeps the stock right all the same.
		return &apperr.Error{Code: apperr.CodeInsufficient, Message: "Not enough stock.", Err: err}
	}
	return mapError(err, movementNotFound)
}
