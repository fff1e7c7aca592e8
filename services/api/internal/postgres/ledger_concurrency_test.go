package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// outcomes counts the results of concurrent calls by error code ("" for
// success); any other error fails the test.
type outcomes struct {
	mu    sync.Mutex
	count map[apperr.Code]int
	other []error
}

func (o *outcomes) add(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.count == nil {
		o.count = map[apperr.Code]int{}
	}
	if err == nil {
		o.count[""]++
		return
	}
	if e, ok := apperr.As(err); ok && e.Code != apperr.CodeInternal {
		o.count[e.Code]++
		return
	}
	o.other = append(o.other, err)
}

func (o *outcomes) check(t *testing.T) {
	t.Helper()
	for _, err := range o.other {
		t.Errorf("unexpected error: %v", err)
	}
}

// warm opens n connections before a race, so that the clients meet at the
// locks rather than one by one as their connections come up.
func warm(t *testing.T, env ledgerEnv, n int) {
	t.Helper()
	conns := make([]*pgxpool.Conn, n)
	for i := range conns {
		c, err := env.pool.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	for _, c := range conns {
		c.Release()
	}
}

// Fifty units, sixty-four clerks each taking one at the same moment:
// fifty get theirs, fourteen are told there is no more, nothing is lost.
func TestLedgerConcurrentIssuesNeverOversell(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 50, Note: "Anfangsbestand"})

	const clients = 64
	warm(t, env, clients)
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range clients {
		wg.Go(func() {
			<-start
			actor := audit.Actor{RequestID: fmt.Sprintf("req-%d", i)}
			_, err := env.svc.CreateMovement(ctx, actor, ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 1, Note: "Verkauf"})
			o.add(err)
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	if o.count[""] != 50 || o.count[apperr.CodeInsufficient] != 14 {
		t.Errorf("outcomes = %v, want 50 booked and 14 insufficient_stock", o.count)
	}
	if got := env.stockTable(t)[place{beer, wh}]; got != (ledger.Level{}) {
		t.Errorf("stock left = %+v, want none", got)
	}
	if n := env.movementCount(t); n != 51 {
		t.Errorf("%d movements, want 51", n)
	}
	env.checkConsistent(t)
}

// Receipts, issues and transfers in both directions between two locations,
// from many clients at once: every call either books or is refused for lack
// of stock (no deadlock, no serialization failure), and the units booked in
// minus the units booked out are exactly what the stock holds.
func TestLedgerConcurrentMixedMovementsLoseNothing(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer := env.item(t, "LAGER", 6, 0)
	a, b := env.location(t, "A"), env.location(t, "B")
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Krone")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: a, Quantity: 20, SupplierID: &sup})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: b, Quantity: 20, SupplierID: &sup})

	const clients, rounds = 24, 12
	warm(t, env, clients)
	var o outcomes
	var mu sync.Mutex
	var in, out int64 // units booked in and out of the depot
	var wg sync.WaitGroup
	start := make(chan struct{})
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			<-start
			for range rounds {
				from, to := a, b
				if rng.IntN(2) == 0 {
					from, to = b, a
				}
				qty := int64(1 + rng.IntN(8))
				var input ledger.Input
				var delta int64
				switch rng.IntN(4) {
				case 0:
					input = ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: from, Quantity: qty, SupplierID: &sup,
						UnitCost: i64(int64(1_000_000 + rng.IntN(500_000)))}
					delta = qty
				case 1:
					input = ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: from, Quantity: qty, CustomerID: &cus}
					delta = -qty
				default:
					input = ledger.Input{Type: ledger.Transfer, ItemID: beer, LocationID: from, ToLocationID: &to, Quantity: qty}
				}
				_, err := env.svc.CreateMovement(ctx, stockClerk, input)
				o.add(err)
				if err == nil {
					mu.Lock()
					if delta > 0 {
						in += delta
					} else {
						out -= delta
					}
					mu.Unlock()
				}
			}
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	for code := range o.count {
		if code != "" && code != apperr.CodeInsufficient {
			t.Errorf("%d calls failed with %s", o.count[code], code)
		}
	}
	stock := env.stockTable(t)
	total := stock[place{beer, a}].Good + stock[place{beer, b}].Good
	if want := 40 + in - out; total != want {
		t.Errorf("stock holds %d, want 40 + %d in - %d out = %d", total, in, out, want)
	}
	if o.count[""] == 0 || o.count[apperr.CodeInsufficient] == 0 {
		t.Logf("outcomes = %v (a run where nothing was refused proves less)", o.count)
	}
	t.Logf("outcomes = %v", o.count)
	env.checkConsistent(t)
}

// A retried request (same key, same input) books once and gets the first
// movement back, however many copies race; the same key with another
// input is refused; keys are per person.
func TestLedgerRequestKeyBooksOnce(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	anna := audit.Actor{UserID: env.user(t, "anna@example.ch")}
	ben := audit.Actor{UserID: env.user(t, "ben@example.ch")}
	receipt := ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 10, Note: "Lieferung 17", RequestKey: "key-1"}

	const copies = 16
	warm(t, env, copies)
	ids := make([]int64, copies)
	replays := make([]bool, copies)
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range copies {
		wg.Go(func() {
			<-start
			m, err := env.svc.CreateMovement(ctx, anna, receipt)
			o.add(err)
			ids[i], replays[i] = m.ID, m.Replayed
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	if o.count[""] != copies {
		t.Fatalf("outcomes = %v, want all %d answered", o.count, copies)
	}
	if n := slices.Index(replays, false); n < 0 || slices.Contains(replays[n+1:], false) {
		t.Fatalf("replays %v: want exactly one answer that booked", replays)
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("copies got movements %v, want one", ids)
		}
	}
	if n := env.movementCount(t); n != 1 {
		t.Fatalf("%d movements booked, want 1", n)
	}

	other := receipt
	other.Quantity = 11
	_, err := env.svc.CreateMovement(ctx, anna, other)
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	_, err = env.svc.Reverse(ctx, anna, ids[0], ledger.ReversalInput{RequestKey: "key-1"})
	wantLedgerCode(t, err, apperr.CodeIdempotency)

	// Ben's key-1 is his own; the system's (user 0) too.
	for _, actor := range []audit.Actor{ben, stockClerk} {
		m := try(env.svc.CreateMovement(ctx, actor, receipt)).must(t)
		if m.ID == ids[0] {
			t.Errorf("user %d got user %d's movement", actor.UserID, anna.UserID)
		}
		if again := try(env.svc.CreateMovement(ctx, actor, receipt)).must(t); again.ID != m.ID {
			t.Errorf("user %d: retry booked %d, first was %d", actor.UserID, again.ID, m.ID)
		}
	}

	// Reversals are keyed too.
	undo := ledger.ReversalInput{Reason: "doppelt", RequestKey: "undo-1"}
	r1 := try(env.svc.Reverse(ctx, anna, ids[0], undo)).must(t)
	r2 := try(env.svc.Reverse(ctx, anna, ids[0], undo)).must(t)
	if r1.ID != r2.ID || r1.Replayed || !r2.Replayed {
		t.Errorf("a retried reversal booked %d (replay %v) and %d (replay %v)", r1.ID, r1.Replayed, r2.ID, r2.Replayed)
	}
	undo.Reason = "anders"
	_, err = env.svc.Reverse(ctx, anna, ids[0], undo)
	wantLedgerCode(t, err, apperr.CodeIdempotency)

	// A request that was refused leaves its key free for the corrected one.
	issue := ledger.Input{Type: ledger.Issue, ItemID: beer, LocationID: wh, Quantity: 1000, Note: "x", RequestKey: "key-2"}
	_, err = env.svc.CreateMovement(ctx, anna, issue)
	wantLedgerCode(t, err, apperr.CodeInsufficient)
	issue.Quantity = 1
	try(env.svc.CreateMovement(ctx, anna, issue)).must(t)
	if n := env.movementCount(t); n != 5 {
		t.Errorf("%d movements, want 5", n)
	}
	env.checkConsistent(t)
}

// Reversing one movement from many clients at once reverses it once.
func TestLedgerConcurrentReversalsReverseOnce(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wh := env.item(t, "LAGER", 0, 0), env.location(t, "WH1")
	m := env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 10, Note: "x", UnitCost: i64(2_000_000)})
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 16 {
		wg.Go(func() {
			<-start
			_, err := env.svc.Reverse(ctx, stockClerk, m.ID, ledger.ReversalInput{})
			o.add(err)
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	if o.count[""] != 1 || o.count[apperr.CodeConflict] != 15 {
		t.Errorf("outcomes = %v, want 1 reversal and 15 conflicts", o.count)
	}
	if got := env.avg(t, beer); got != 0 {
		t.Errorf("average = %d, want 0 as before the receipt", got)
	}
	env.checkConsistent(t)
}
