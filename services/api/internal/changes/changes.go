// Package changes tells the api's in-memory caches when what they hold may
// be stale.
//
// Every write request this process finishes moves its generation on. Other
// api processes on the same database learn of the write through a Bus (the
// postgres package's, over LISTEN/NOTIFY) and move theirs. A cache stores what it read under the
// generation it saw before reading and serves it only while the generation is
// unchanged, so a process never serves data older than the last write it
// knows of: its own writes at once, other processes' writes as soon as their
// notification arrives (within about announceSpacing).
//
// Writes to people and access (sessions, users, tokens) also move a second
// generation, so what depends only on them (who a session belongs to) stays
// valid through the stream of bookings.
//
// While the feed cannot hear other processes (before it first listens, or
// after its connection dropped) it says so, and caches must not serve.
package changes

import (
	"context"
	"crypto/rand"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.uber.org/zap"
)

// Bus carries notifications between the api processes on one database. A
// notification's payload is the sender's name and the scope of its writes.
type Bus interface {
	// Listen subscribes, calls subscribed once it hears every notification
	// sent from then on, then calls heard with each one's payload until ctx
	// ends or the subscription breaks, and says why it stopped.
	Listen(ctx context.Context, subscribed func(), heard func(payload string)) error
	// Notify sends payload to every process listening, this one included.
	Notify(ctx context.Context, payload string) error
}

const (
	dataPayload   = "data"
	accessPayload = "access"
)

// Feed is one process's view of how current its caches may be.
type Feed struct {
	generation atomic.Uint64 // moved by every write
	access     atomic.Uint64 // moved by writes to people and access, and whenever notifications may be lost
	listening  atomic.Bool
	self       string        // this process's name in notifications
	outbox     chan struct{} // holds at most one pending notification: writes coalesce
	// pendingAccess says the pending notification covers a write to people
	// and access.
	pendingAccess atomic.Bool
	log           *zap.Logger
}

// Scope says what a write may have changed.
type Scope int

const (
	// Data is any write.
	Data Scope = iota
	// Access is a write to people and access: sessions, users, tokens.
	Access
)

// New returns a feed that is not listening yet: Generation reports false
// until Run has subscribed.
func New(log *zap.Logger) *Feed {
	return &Feed{self: rand.Text(), outbox: make(chan struct{}, 1), log: log}
}

// Generation returns the current generation of scope and whether caches may
// serve what they stored under it.
func (f *Feed) Generation(scope Scope) (uint64, bool) {
	// Read listening second: a drop moves the generation before it clears
	// the flag, so a true here with the old generation cannot outlive it.
	g := f.counter(scope).Load()
	return g, f.listening.Load()
}

func (f *Feed) counter(scope Scope) *atomic.Uint64 {
	if scope == Access {
		return &f.access
	}
	return &f.generation
}

// moveAll moves both generations on.
func (f *Feed) moveAll() {
	f.access.Add(1)
	f.generation.Add(1)
}

// Changed records that a write of this process has finished (committed or
// not: an unneeded move costs only cache hits).
func (f *Feed) Changed(scope Scope) {
	if scope == Access {
		f.pendingAccess.Store(true)
		f.access.Add(1)
	}
	f.generation.Add(1)
	select {
	case f.outbox <- struct{}{}:
	default: // one notification is already pending and will cover this write
	}
}

// Generations is one scope of a feed, for what depends on that scope
// alone (the session memo on Access).
type Generations struct {
	feed  *Feed
	scope Scope
}

// Generations returns the feed's view of scope.
func (f *Feed) Generations(scope Scope) Generations {
	return Generations{feed: f, scope: scope}
}

// Generation is Feed.Generation of the view's scope.
func (g Generations) Generation() (uint64, bool) {
	return g.feed.Generation(g.scope)
}

// Run listens for other processes' writes and announces this one's through
// bus until ctx ends, reconnecting after failures. It returns once both
// have stopped.
func (f *Feed) Run(ctx context.Context, bus Bus) {
	var wg sync.WaitGroup
	wg.Go(func() { f.announce(ctx, bus) })
	f.listen(ctx, bus)
	wg.Wait()
}

// listen keeps a subscription to bus until ctx ends.
func (f *Feed) listen(ctx context.Context, bus Bus) {
	listened := false
	subscribed := func() {
		listened = true
		// Anything may have changed while nobody listened.
		f.moveAll()
		f.listening.Store(true)
	}
	const firstWait = time.Second
	for wait := firstWait; ctx.Err() == nil; {
		listened = false
		err := bus.Listen(ctx, subscribed, f.heard)
		f.moveAll() // notifications may be lost from here on
		f.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		if listened {
			// A subscription that worked and then broke (the database
			// restarted) starts the back-off afresh: the longer waits are
			// for a database that stays away, not for every later outage.
			wait = firstWait
		}
		f.log.Warn("change notifications interrupted; caches off until they resume", zap.Error(err), zap.Duration("retry_in", wait))
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 30*time.Second)
	}
}

// heard moves the generations on for a notification from another process.
func (f *Feed) heard(payload string) {
	sender, scope, _ := strings.Cut(payload, " ")
	switch {
	case sender == f.self:
	case scope == dataPayload:
		f.generation.Add(1)
	default: // access, or a notification by hand after writing outside the api
		f.moveAll()
	}
}

// announceSpacing is the least time between two notifications: under a
// stream of bookings one notification covers the writes of that interval
// instead of adding a statement to each. It bounds how late other processes
// hear of a write.
const announceSpacing = 10 * time.Millisecond

// announce sends one notification per batch of this process's writes. It
// runs after the writes have committed, outside their transactions: a NOTIFY
// inside them would serialise every commit on PostgreSQL's notify queue lock.
func (f *Feed) announce(ctx context.Context, bus Bus) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-f.outbox:
		}
		payload := f.self + " " + dataPayload
		if f.pendingAccess.Swap(false) {
			payload = f.self + " " + accessPayload
		}
		for wait := 100 * time.Millisecond; ; wait = min(2*wait, 5*time.Second) {
			err := bus.Notify(ctx, payload)
			if err == nil || ctx.Err() != nil {
				break
			}
			f.log.Error("announce a change to the other api processes", zap.Error(err), zap.Duration("retry_in", wait))
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(announceSpacing):
		}
	}
}
