package postgres

import (
	"context"
	"errors"

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

// CreateMovement books a movement in three round trips, four for a
// reversal: one batch begins the transaction and reads and locks the
// snapshot, decide runs, a second batch writes what it decided, COMMIT.
// Statements of a batch run in the order queued, so the lock order above
// holds. A reversal learns the item and locations it locks from the
// original, which a batch of its own reads first.
func (s *LedgerStore) CreateMovement(ctx context.Context, actor audit.Actor, req ledger.Request, decide func(ledger.Snapshot) (ledger.Booking, error)) (ledger.Movement, error) {
	out, err := s.createMovement(ctx, actor, req, decide)
	return out, ledgerError(err)
}

func (s *LedgerStore) createMovement(ctx context.Context, actor audit.Actor, req ledger.Request, decide func(ledger.Snapshot) (ledger.Booking, error)) (ledger.Movement, error) {
	var (
		snap     ledger.Snapshot
		next     nextMovement
		replayID int64
		original *ledger.Movement
	)
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{})
	if req.Key != "" {
		queueReplay(b, actor, req, &replayID)
	}
	if req.ReversesID != 0 {
		queueOriginal(b, req.ReversesID, &original)
	} else {
		queueSnapshot(b, actor, req, &snap, &next)
	}
	br := s.pool.SendBatch(ctx, b)
	tx := br.Tx()
	// Undoes whatever was not committed and gives the connection back; a
	// no-op after Commit.
	defer func() { _ = tx.Rollback(ctx) }()
	if err := br.Close(); err != nil {
		return ledger.Movement{}, err
	}
	if replayID != 0 {
		// The movement booked under the key; what the batch locked and the
		// empty stock rows it may have created are rolled back.
		return s.movement(ctx, tx, replayID)
	}
	if req.ReversesID != 0 {
		if original == nil {
			return ledger.Movement{}, apperr.New(apperr.CodeNotFound, movementNotFound)
		}
		req.ItemID, req.LocationIDs, req.ChangesCost = original.ItemID, original.Locations(), original.ChangesAverage()
		b = &pgx.Batch{}
		queueSnapshot(b, actor, req, &snap, &next)
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return ledger.Movement{}, err
		}
	}
	booking, err := decide(snap)
	if err != nil {
		return ledger.Movement{}, err
	}
	out, err := storedMovement(booking.Movement, next, actor, snap)
	if err != nil {
		return ledger.Movement{}, err
	}
	b = &pgx.Batch{}
	if err := queueBooking(b, actor, req, out, booking, snap); err != nil {
		return ledger.Movement{}, err
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return ledger.Movement{}, err
	}
	if err := tx.Commit(ctx); err != nil {
		return ledger.Movement{}, err
	}
	return out, nil
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
