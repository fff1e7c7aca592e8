package postgres_test

import (
	"context"
	"testing"

	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// TestAnAbandonedClaimIsTakenOver: a request that claimed a key and lost
// the database before it could answer or let go leaves the claim behind;
// once it is older than idempotency.Abandoned, a retry of the same request
// takes it over instead of waiting for an answer that never comes.
func TestAnAbandonedClaimIsTakenOver(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	store := postgres.NewIdempotencyStore(pool)
	var userID int64
	if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, role, password_hash) VALUES ('i@depot.example', 'I', 'clerk', 'x') RETURNING id`).Scan(&userID); err != nil {
		t.Fatal(err)
	}
	claim := func(key string, hash []byte) bool {
		t.Helper()
		ok, err := store.Claim(ctx, userID, key, "POST", "/api/v1/categories", hash)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	age := func(key string) {
		t.Helper()
		if _, err := pool.Exec(ctx, `UPDATE idempotency_keys SET created_at = now() - $2::interval - interval '1 second' WHERE key = $1`,
			key, idempotency.Abandoned); err != nil {
			t.Fatal(err)
		}
	}
	body, other := []byte("body"), []byte("other")

	if !claim("k", body) || claim("k", body) {
		t.Fatal("a fresh claim must be made once and then hold")
	}
	age("k")
	if claim("k", other) {
		t.Fatal("another request took over an abandoned claim; it must get the mismatch")
	}
	if !claim("k", body) {
		t.Fatal("a retry of the same request did not take over the abandoned claim")
	}
	if claim("k", body) {
		t.Fatal("the renewed claim did not hold")
	}

	// A finished request's answer is never taken over, however old.
	if !claim("done", body) {
		t.Fatal("claim")
	}
	if err := store.Complete(ctx, userID, "done", idempotency.Response{RequestHash: body, Done: true, Status: 201, Body: []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	age("done")
	if claim("done", body) {
		t.Fatal("a finished answer was taken over")
	}
	if r, found, err := store.Lookup(ctx, userID, "done"); err != nil || !found || !r.Done || r.Status != 201 {
		t.Fatalf("lookup after: %+v %v %v", r, found, err)
	}
}
