package postgres

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/orders"
)

// orderTx runs an order write (fn, which leaves its result in out) in one
// transaction. When the request carries an Idempotency-Key for it
// (idempotency.Keyed), the key is claimed first and the answer kept last in
// that same transaction: a repeat of a committed write gets its first
// answer (*idempotency.Replay) and writes nothing, and a repeat racing the
// first waits for it at the key's row, so a delivery is never booked twice.
func orderTx(ctx context.Context, pool *pgxpool.Pool, out *orders.Order, fn func(pgx.Tx) error) error {
	k := idempotency.KeyedFrom(ctx)
	if k == nil || k.Answer == nil {
		return inTx(ctx, pool, fn)
	}
	return inTx(ctx, pool, func(tx pgx.Tx) error {
		if err := claimKeyed(ctx, tx, k); err != nil {
			return err
		}
		if err := fn(tx); err != nil {
			return err
		}
		// The answer as the service gives it: completed from the stored order.
		resp, err := k.Answer(orders.Complete(*out))
		if err != nil {
			return fmt.Errorf("the answer kept for the idempotency key: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			UPDATE idempotency_keys SET status = $3, response_body = $4, response_headers = $5
			 WHERE user_id = $1 AND key = $2`, k.UserID, k.Key, resp.Status, resp.Body, resp.Headers); err != nil {
			return fmt.Errorf("keep the answer under the idempotency key: %w", err)
		}
		return nil
	})
}

// claimKeyed inserts the key in tx. A transaction holding the same key,
// not yet committed, makes the insert wait for its end; a key that is
// there is a repeat of this request (*idempotency.Replay), another
// request's (idempotency_mismatch), or one the HTTP layer's claim still
// runs (conflict).
func claimKeyed(ctx context.Context, tx pgx.Tx, k *idempotency.Keyed) error {
	tag, err := tx.Exec(ctx, `
		INSERT INTO idempotency_keys (user_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, key) DO NOTHING`, k.UserID, k.Key, k.Method, k.Path, k.Hash)
	if err != nil {
		return fmt.Errorf("claim the idempotency key: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil
	}
	var r idempotency.Response
	var status *int
	err = tx.QueryRow(ctx, `
		SELECT request_hash, status, response_body, response_headers FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		k.UserID, k.Key).Scan(&r.RequestHash, &status, &r.Body, &r.Headers)
	switch {
	case errors.Is(err, pgx.ErrNoRows), err == nil && status == nil && bytes.Equal(r.RequestHash, k.Hash):
		// Released or expired between the two statements, or a claim of
		// the HTTP layer still running: the client tries again.
		return apperr.New(apperr.CodeConflict, "A request with this Idempotency-Key is still being processed; try again shortly.")
	case err != nil:
		return fmt.Errorf("read the idempotency key: %w", err)
	case !bytes.Equal(r.RequestHash, k.Hash):
		return apperr.New(apperr.CodeIdempotency, "This Idempotency-Key was used for a different request; use a new key.")
	}
	r.Done, r.Status = true, *status
	return &idempotency.Replay{Response: r}
}
