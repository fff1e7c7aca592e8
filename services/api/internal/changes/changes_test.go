package changes_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/depotix/depotix/services/api/internal/changes"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	waitWithin(t, 5*time.Second, what, cond)
}

// waitWithin polls cond for up to d.
func waitWithin(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func listening(f *changes.Feed) bool {
	_, ok := f.Generation(changes.Data)
	return ok
}

// twoProcesses runs two feeds on one database, as two api processes do,
// until the test ends, and returns once both listen.
func twoProcesses(t *testing.T) (a, b *changes.Feed) {
	t.Helper()
	pool := pgtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	a, b = changes.New(zap.NewNop()), changes.New(zap.NewNop())
	if listening(a) {
		t.Fatal("a feed that has not subscribed yet must not let caches serve")
	}
	var running sync.WaitGroup
	running.Go(func() { a.Run(ctx, postgres.NewChangeBus(pool)) })
	running.Go(func() { b.Run(ctx, postgres.NewChangeBus(pool)) })
	t.Cleanup(func() { cancel(); running.Wait() })
	waitFor(t, "both feeds listening", func() bool { return listening(a) && listening(b) })
	return a, b
}

func TestAWriteMovesEveryProcessOn(t *testing.T) {
	a, b := twoProcesses(t)

	aBefore, _ := a.Generation(changes.Data)
	bBefore, _ := b.Generation(changes.Data)
	a.Changed(changes.Data)
	if g, _ := a.Generation(changes.Data); g == aBefore {
		t.Fatal("a's own write did not move a's generation at once")
	}
	waitFor(t, "b hears a's write", func() bool { g, _ := b.Generation(changes.Data); return g != bBefore })

	// a hears its own notification too and must not count it again: its
	// cache stays valid after its own write has been announced.
	aAfter, _ := a.Generation(changes.Data)
	bAfter, _ := b.Generation(changes.Data)
	b.Changed(changes.Data)
	waitFor(t, "a hears b's write", func() bool { g, _ := a.Generation(changes.Data); return g != aAfter })
	if g, _ := b.Generation(changes.Data); g != bAfter+1 {
		t.Fatalf("b moved %d generations for its one write; its own notification must not count", g-bAfter)
	}
}

func TestCachesStopServingWhenTheFeedStops(t *testing.T) {
	pool := pgtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	f := changes.New(zap.NewNop())
	done := make(chan struct{})
	go func() { f.Run(ctx, postgres.NewChangeBus(pool)); close(done) }()
	waitFor(t, "listening", func() bool { return listening(f) })
	before, _ := f.Generation(changes.Data)
	cancel()
	<-done
	g, ok := f.Generation(changes.Data)
	if ok {
		t.Fatal("a stopped feed still lets caches serve")
	}
	if g == before {
		t.Fatal("stopping did not move the generation: entries stored before would outlive the outage")
	}
}

func TestAccessWritesMoveBothScopesDataWritesOnlyOne(t *testing.T) {
	a, b := twoProcesses(t)

	accessBefore, _ := b.Generation(changes.Access)
	dataBefore, _ := b.Generation(changes.Data)
	a.Changed(changes.Data)
	waitFor(t, "b hears a's booking", func() bool { g, _ := b.Generation(changes.Data); return g != dataBefore })
	if g, _ := b.Generation(changes.Access); g != accessBefore {
		t.Fatal("a data write ended what depends only on people and access")
	}
	if g, _ := a.Generation(changes.Access); g == 0 {
		t.Fatal("listening did not move the access generation") // anything may have changed before
	}

	aAccess, _ := a.Generation(changes.Access)
	a.Changed(changes.Access)
	if g, _ := a.Generation(changes.Access); g != aAccess+1 {
		t.Fatal("an access write did not move its own process's access generation at once")
	}
	waitFor(t, "b hears a's access write", func() bool { g, _ := b.Generation(changes.Access); return g != accessBefore })
}

// blockingBus is a bus whose calls hold on until their context ends, and
// which counts the calls still running.
type blockingBus struct {
	running                atomic.Int32
	listening, notified    chan struct{} // closed by the first Listen, the first Notify
	listenOnce, notifyOnce sync.Once
}

func (b *blockingBus) Listen(ctx context.Context, subscribed func(), heard func(string)) error {
	b.running.Add(1)
	defer b.running.Add(-1)
	subscribed()
	b.listenOnce.Do(func() { close(b.listening) })
	<-ctx.Done()
	return ctx.Err()
}

func (b *blockingBus) Notify(ctx context.Context, payload string) error {
	b.running.Add(1)
	defer b.running.Add(-1)
	b.notifyOnce.Do(func() { close(b.notified) })
	<-ctx.Done()
	return errors.Join(errors.New("notify cut off"), ctx.Err())
}

// Run must not leave its announcer behind: once it returns, nothing of the
// feed uses the bus (the api closes the pool right after).
func TestRunReturnsOnlyAfterListeningAndAnnouncingEnded(t *testing.T) {
	bus := &blockingBus{listening: make(chan struct{}), notified: make(chan struct{})}
	f := changes.New(zap.NewNop())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { f.Run(ctx, bus); close(done) }()
	f.Changed(changes.Data)
	<-bus.listening
	<-bus.notified
	cancel()
	<-done
	if n := bus.running.Load(); n != 0 {
		t.Fatalf("Run returned with %d bus calls still running", n)
	}
	if _, ok := f.Generation(changes.Data); ok {
		t.Fatal("a stopped feed still lets caches serve")
	}
}

// TestTheFeedResumesAfterItsConnectionBreaks cuts the listening connection
// (as a database restart does) again and again: each time caches stop
// serving at once, and the feed listens again by itself and moved the
// generation, since notifications may have been lost in between.
func TestTheFeedResumesAfterItsConnectionBreaks(t *testing.T) {
	pool := pgtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	f := changes.New(zap.NewNop())
	done := make(chan struct{})
	go func() { f.Run(ctx, postgres.NewChangeBus(pool)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	// The feed connects again after a back-off of a second, doubling while
	// the database stays away: a generous bound, not a measurement.
	const reconnect = time.Minute
	for round := range 3 {
		waitWithin(t, reconnect, "listening", func() bool { return listening(f) })
		before, _ := f.Generation(changes.Data)
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000)) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN %' AND pid <> pg_backend_pid()`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("round %d: terminate the listener: %d, %v", round, n, err)
		}
		waitFor(t, "caches stop serving", func() bool { return !listening(f) })
		waitWithin(t, reconnect, "listening again", func() bool { return listening(f) })
		if g, _ := f.Generation(changes.Data); g == before {
			t.Fatalf("round %d: the generation did not move over the break", round)
		}
	}
}
