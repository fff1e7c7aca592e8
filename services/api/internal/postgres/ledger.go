package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// LedgerStore keeps the stock ledger; it implements ledger.Store.
//
// Every movement locks, in this order: the item, the reversed movement,
// the locations by id, the partner, the stock rows by location id. One
// order for every writer means two movements can wait for each other but
// never deadlock.
type LedgerStore struct {
	pool *pgxpool.Pool
}

var _ ledger.Store = (*LedgerStore)(nil)

// NewLedgerStore returns a store working on pool.
func NewLedgerStore(pool *pgxpool.Pool) *LedgerStore { return &LedgerStore{pool: pool} }

const movementNotFound = "Movement not found."

// CreateMovement books a movement in two round trips, three for a
// reversal: one batch begins the transaction and reads and locks the
// snapshot, decide runs, a second batch writes what it decided and
// commits. Statements of a batch run in the order queued, so the lock
// order above holds. A reversal learns the item and locations it locks
// from the original, which a batch of its own reads first; a movement at
// one location whose stock row does not exist yet creates it in a batch of
// its own.
//
// Requests under the same Idempotency-Key meet at the unique index on the
// key: the second one's insert waits for the first to commit and then
// fails. It is run once more, and finds the first one's movement.
func (s *LedgerStore) CreateMovement(ctx context.Context, actor audit.Actor, req ledger.Request, decide func(ledger.Snapshot) (ledger.Booking, error)) (ledger.Movement, error) {
	out, err := s.createMovement(ctx, actor, req, decide)
	if req.Key != "" && isConstraintError(err, "movements_request_key_key") {
		out, err = s.createMovement(ctx, actor, req, decide)
	}
	return out, ledgerError(err)
}

func (s *LedgerStore) createMovement(ctx context.Context, actor audit.Actor, req ledger.Request, decide func(ledger.Snapshot) (ledger.Booking, error)) (ledger.Movement, error) {
	var (
		snap     ledger.Snapshot
		next     nextMovement
		replayID int64
		original *ledger.Movement
	)
	// A connection of its own rather than a pgx.Tx, whose Commit is a round
	// trip of its own: COMMIT goes out with the writes.
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return ledger.Movement{}, fmt.Errorf("acquire connection: %w", err)
	}
	defer func() {
		// Whatever did not commit is undone before the connection goes back
		// (the pool would otherwise close it).
		if conn.Conn().PgConn().TxStatus() != 'I' {
			_, _ = conn.Exec(ctx, "ROLLBACK")
		}
		conn.Release()
	}()

	b := &pgx.Batch{}
	onExec(b.Queue("BEGIN"), "begin", nil)
	if req.Key != "" {
		queueReplay(b, actor, req, &replayID)
	}
	if req.ReversesID != 0 {
		queueOriginal(b, req.ReversesID, &original)
	} else {
		queueSnapshot(b, actor, req, &snap, &next)
	}
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return ledger.Movement{}, err
	}
	if replayID != 0 {
		// The movement booked under the key; what the batch locked is let go.
		m, err := s.movement(ctx, conn, replayID)
		m.Replayed = true
		return m, err
	}
	if req.ReversesID != 0 {
		if original == nil {
			return ledger.Movement{}, apperr.New(apperr.CodeNotFound, movementNotFound)
		}
		req.ItemID, req.LocationIDs, req.ChangesCost = original.ItemID, original.Locations(), original.ChangesAverage()
		b = &pgx.Batch{}
		queueSnapshot(b, actor, req, &snap, &next)
		if err := conn.SendBatch(ctx, b).Close(); err != nil {
			return ledger.Movement{}, err
		}
	}
	if b = missingStockRow(&snap); b != nil {
		if err := conn.SendBatch(ctx, b).Close(); err != nil {
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
	onExec(b.Queue("COMMIT"), "commit", func(tag pgconn.CommandTag) error {
		if tag.String() != "COMMIT" {
			return fmt.Errorf("commit: the transaction ended with %s", tag)
		}
		return nil
	})
	if err := conn.SendBatch(ctx, b).Close(); err != nil {
		return ledger.Movement{}, err
	}
	return out, nil
}

// isConstraintError tells whether err is a violation of the named
// constraint or unique index.
func isConstraintError(err error, name string) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.ConstraintName == name
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
