// Package idempotency describes what is kept for an Idempotency-Key: the
// hash of the first request and, once it finished, its answer. The HTTP layer
// applies it; the postgres package stores it, shared by every api replica.
package idempotency

import (
	"context"
	"time"
)

// Response is the first answer given under a key.
type Response struct {
	RequestHash []byte
	Done        bool // false while the first request is still running
	Status      int
	Headers     map[string]string
	Body        []byte
}

// Store keeps idempotency keys, scoped per user.
type Store interface {
	// Claim records the key for a request; false when it exists already,
	// unless it is an unfinished claim of the same request older than
	// Abandoned, which the new request takes over.
	Claim(ctx context.Context, userID int64, key, method, path string, requestHash []byte) (bool, error)
	Lookup(ctx context.Context, userID int64, key string) (Response, bool, error)
	Complete(ctx context.Context, userID int64, key string, resp Response) error
	// Release forgets a key whose request failed on our side, so a retry runs again.
	Release(ctx context.Context, userID int64, key string) error
}

// MaxAge is how long keys are kept: retries come within minutes, not days.
const MaxAge = 24 * time.Hour

// Abandoned is how long a claim may stay unfinished before a request with
// the same key and body takes it over. A request that claims a key and then
// loses the database cannot release the key either; without a limit its
// client's retries would wait for an answer that never comes until the key
// expires. It is well beyond the time any request runs (the api's write
// timeout is 60 s by default), so a running request is never overtaken.
const Abandoned = 2 * time.Minute
