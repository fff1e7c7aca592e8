// Package changes tells the api's in-memory caches when what they hold may
// be stale.
//
// Every write request this process finishes moves its generation on. Other
// api processes on the same database learn of the write through PostgreSQL's
// LISTEN/NOTIFY and move theirs. A cache stores what it read under the
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
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"go.uber.org/zap"
)

// Channel is the notification channel the api processes share. A
// notification's payload is the sender's name and the scope of its writes.
const Channel = "depotix_changes"

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

// Run listens for other processes' writes and announces this one's until
// ctx ends, reconnecting after failures.
func (f *Feed) Run(ctx context.Context, pool *pgxpool.Pool) {
	go f.announce(ctx, pool)
	const firstWait = time.Second
	for wait := firstWait; ctx.Err() == nil; {
		listened, err := f.listen(ctx, pool.Config().ConnConfig.Copy())
		f.moveAll() // notifications may be lost from here on
		f.listening.Store(false)
		if ctx.Err() != nil {
			return
		}
		if listened {
			// A connection that worked and then broke (the database
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

// listen holds its own connection (outside the pool, which it would
// otherwise shrink for good) and moves the generation on every notification
// from another process. listened says whether it got as far as listening.
func (f *Feed) listen(ctx context.Context, cfg *pgx.ConnConfig) (listened bool, err error) {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return false, fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return false, fmt.Errorf("listen: %w", err)
	}
	// Anything may have changed while nobody listened.
	f.moveAll()
	f.listening.Store(true)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return true, fmt.Errorf("wait for notification: %w", err)
		}
		sender, scope, _ := strings.Cut(n.Payload, " ")
		switch {
		case sender == f.self:
		case scope == dataPayload:
			f.generation.Add(1)
		default: // access, or a NOTIFY by hand after writing outside the api
			f.moveAll()
		}
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
func (f *Feed) announce(ctx context.Context, pool *pgxpool.Pool) {
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
			_, err := pool.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, payload)
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
