package idempotency

import "context"

// Keyed is a write whose store keeps its Idempotency-Key in the write's
// own transaction (the orders' writes), instead of the HTTP layer claiming
// the key before the write and keeping the answer after it: the write and
// the answer kept for its repeats then commit together or not at all, so a
// retry, even one racing the first, never writes twice and always gets the
// first answer. A refused write keeps nothing, like the ledger's bookings:
// its retry runs again.
type Keyed struct {
	UserID            int64
	Key, Method, Path string
	Hash              []byte // of method, path and body, as the HTTP layer hashes them
	// Answer makes the answer kept for repeats from what the write
	// returns, inside its transaction. Set by the handler; a store that
	// finds it nil keeps no key.
	Answer func(result any) (Response, error)
}

// Replay is the error a store returns for a repeated write: nothing was
// written, and Response, the first answer, is to be given again.
type Replay struct{ Response Response }

func (*Replay) Error() string { return "a repeated request: its first answer is given again" }

type keyedContextKey struct{}

// WithKeyed returns ctx carrying k for the store of the request's write.
func WithKeyed(ctx context.Context, k *Keyed) context.Context {
	return context.WithValue(ctx, keyedContextKey{}, k)
}

// KeyedFrom returns the keyed write ctx carries, nil when none.
func KeyedFrom(ctx context.Context) *Keyed {
	k, _ := ctx.Value(keyedContextKey{}).(*Keyed)
	return k
}
