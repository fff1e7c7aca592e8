package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/idempotency"
)

// IdempotencyStore keeps idempotency keys and the first answer given under each.
type IdempotencyStore struct{ pool *pgxpool.Pool }

// NewIdempotencyStore returns the store on pool.
func NewIdempotencyStore(pool *pgxpool.Pool) *IdempotencyStore { return &IdempotencyStore{pool: pool} }

var _ idempotency.Store = (*IdempotencyStore)(nil)

// Claim inserts the key; false when it is already there, unless it is an
// abandoned claim of the same request (idempotency.Abandoned), which is
// renewed for this one.
func (s *IdempotencyStore) Claim(ctx context.Context, userID int64, key, method, path string, hash []byte) (bool, error) {
	tag, err := s.pool.Exec(ctx, `
		INSERT INTO idempotency_keys (user_id, key, method, path, request_hash) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (user_id, key) DO UPDATE SET created_at = now()
		WHERE idempotency_keys.status IS NULL AND idempotency_keys.request_hash = EXCLUDED.request_hash
		  AND idempotency_keys.created_at < now() - $6::interval`, userID, key, method, path, hash, idempotency.Abandoned)
	if err != nil {
		return false, err
	}
	return tag.RowsAffected() == 1, nil
}

// Lookup returns what is stored under the key.
func (s *IdempotencyStore) Lookup(ctx context.Context, userID int64, key string) (idempotency.Response, bool, error) {
	var r idempotency.Response
	var status *int
	err := s.pool.QueryRow(ctx, `
		SELECT request_hash, status, response_body, response_headers FROM idempotency_keys WHERE user_id = $1 AND key = $2`,
		userID, key).Scan(&r.RequestHash, &status, &r.Body, &r.Headers)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, false, nil
	}
	if err != nil {
		return r, false, err
	}
	if status != nil {
		r.Done, r.Status = true, *status
	}
	return r, true, nil
}

// Complete stores the answer of the request that claimed the key.
func (s *IdempotencyStore) Complete(ctx context.Context, userID int64, key string, r idempotency.Response) error {
	_, err := s.pool.Exec(ctx, `
		UPDATE idempotency_keys SET status = $3, response_body = $4, response_headers = $5
		WHERE user_id = $1 AND key = $2`, userID, key, r.Status, r.Body, r.Headers)
	return err
}

// Release forgets a key whose request failed.
func (s *IdempotencyStore) Release(ctx context.Context, userID int64, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE user_id = $1 AND key = $2 AND status IS NULL`, userID, key)
	return err
}

// Expire deletes keys older than maxAge; retries come within minutes, not days.
func (s *IdempotencyStore) Expire(ctx context.Context, maxAge time.Duration) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM idempotency_keys WHERE created_at < now() - $1::interval`, maxAge)
	return tag.RowsAffected(), err
}
