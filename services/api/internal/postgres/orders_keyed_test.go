package postgres_test

import (
	"context"
	"errors"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// An order write under an Idempotency-Key keeps the key in its own
// transaction: the write and the answer kept for its repeats commit
// together (an answer that cannot be kept undoes the write), a repeat
// replays the kept answer without writing, and the key of another request
// is refused.
func TestOrderKeyIsKeptInTheWritesTransaction(t *testing.T) {
	env := newOrders(t)
	cust, wh := env.customer(t, "Bar Rössli"), env.location(t, "WH")
	beer := env.saleItem(t, "LAGER")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 48, Unit: catalogue.UnitBase, Note: "opening stock"})
	user := env.insertID(t, `INSERT INTO users (email, name, role, password_hash) VALUES ('k@depot.example', 'K', 'clerk', 'x') RETURNING id`)
	o := env.create(t, cust, wh, sales.LineInput{ItemID: beer, Quantity: 1, Unit: catalogue.UnitPackage})

	keyed := func(hash string, answer func(any) (idempotency.Response, error)) context.Context {
		return idempotency.WithKeyed(context.Background(), &idempotency.Keyed{UserID: user, Key: "confirm-1",
			Method: "POST", Path: "/confirm", Hash: []byte(hash), Answer: answer})
	}
	keys := func() int { return env.count(t, `SELECT count(*) FROM idempotency_keys WHERE key = 'confirm-1'`) }

	// The answer cannot be kept: nothing is written, no key stays.
	_, err := env.orders.Confirm(keyed("h1", func(any) (idempotency.Response, error) {
		return idempotency.Response{}, errors.New("no answer")
	}), stockClerk, o.ID, 0)
	if err == nil {
		t.Fatal("a confirm whose answer could not be kept succeeded")
	}
	if l := env.level(t, beer, wh); l.Reserved != 0 || keys() != 0 {
		t.Fatalf("after the failed confirm: %+v reserved, %d keys", l, keys())
	}

	// Kept: the answer is made from the completed order, inside the write.
	var answered orders.Order
	ok := func(result any) (idempotency.Response, error) {
		answered = result.(orders.Order)
		return idempotency.Response{Status: 200, Headers: map[string]string{"ETag": `"2"`}, Body: []byte("first answer")}, nil
	}
	confirmed, err := env.orders.Confirm(keyed("h1", ok), stockClerk, o.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	if answered.Status != sales.Confirmed || len(answered.Actions) == 0 || answered.Version != confirmed.Version {
		t.Errorf("the answer was made from %+v", answered)
	}
	if l := env.level(t, beer, wh); l.Reserved != 24 || keys() != 1 {
		t.Fatalf("after the confirm: %+v reserved, %d keys", l, keys())
	}

	// The repeat (even with a stale version) replays and writes nothing.
	_, err = env.orders.Confirm(keyed("h1", ok), stockClerk, o.ID, o.Version)
	var replay *idempotency.Replay
	if !errors.As(err, &replay) || string(replay.Response.Body) != "first answer" || replay.Response.Status != 200 ||
		replay.Response.Headers["ETag"] != `"2"` {
		t.Fatalf("the repeat: %v", err)
	}
	if l := env.level(t, beer, wh); l.Reserved != 24 {
		t.Errorf("the repeat reserved again: %+v", l)
	}

	// The key of another request.
	_, err = env.orders.Confirm(keyed("h2", ok), stockClerk, o.ID, 0)
	if e, isApp := apperr.As(err); !isApp || e.Code != apperr.CodeIdempotency {
		t.Errorf("another request under the key: %v", err)
	}
}
