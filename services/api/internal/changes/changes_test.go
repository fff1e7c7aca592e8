package changes_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/depotix/depotix/services/api/internal/changes"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// waitFor polls cond for up to five seconds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting: %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func listening(f *changes.Feed) bool {
	_, ok := f.Generation()
	return ok
}

func TestAWriteMovesEveryProcessOn(t *testing.T) {
	pool := pgtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	a, b := changes.New(zap.NewNop()), changes.New(zap.NewNop())
	if listening(a) {
		t.Fatal("a feed that has not subscribed yet must not let caches serve")
	}
	go a.Run(ctx, pool)
	go b.Run(ctx, pool)
	waitFor(t, "both feeds listening", func() bool { return listening(a) && listening(b) })

	aBefore, _ := a.Generation()
	bBefore, _ := b.Generation()
	a.Changed()
	if g, _ := a.Generation(); g == aBefore {
		t.Fatal("a's own write did not move a's generation at once")
	}
	waitFor(t, "b hears a's write", func() bool { g, _ := b.Generation(); return g != bBefore })

	// a hears its own notification too and must not count it again: its
	// cache stays valid after its own write has been announced.
	aAfter, _ := a.Generation()
	bAfter, _ := b.Generation()
	b.Changed()
	waitFor(t, "a hears b's write", func() bool { g, _ := a.Generation(); return g != aAfter })
	if g, _ := b.Generation(); g != bAfter+1 {
		t.Fatalf("b moved %d generations for its one write; its own notification must not count", g-bAfter)
	}
}

func TestCachesStopServingWhenTheFeedStops(t *testing.T) {
	pool := pgtest.Pool(t)
	ctx, cancel := context.WithCancel(context.Background())
	f := changes.New(zap.NewNop())
	done := make(chan struct{})
	go func() { f.Run(ctx, pool); close(done) }()
	waitFor(t, "listening", func() bool { return listening(f) })
	before, _ := f.Generation()
	cancel()
	<-done
	g, ok := f.Generation()
	if ok {
		t.Fatal("a stopped feed still lets caches serve")
	}
	if g == before {
		t.Fatal("stopping did not move the generation: entries stored before would outlive the outage")
	}
}
