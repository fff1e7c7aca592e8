package auth

import (
	"time"
)

// Throttling of sign-in attempts. Failures are counted per account and per
// client address within a window; after a few, each further attempt must wait
// longer, and past a limit the key is locked for a while. Both keys are
// checked, so guessing one account from many addresses and many accounts from
// one address are both slowed down.
type ThrottlePolicy struct {
	Window      time.Duration // failures older than this are forgotten
	FreeTries   int           // failures before any waiting
	BaseDelay   time.Duration // wait after the first counted failure, doubling
	MaxDelay    time.Duration
	LockAfter   int // failures that lock the key
	LockFor     time.Duration
	IPLockAfter int // the same for a client address, which is shared by many people
}

// DefaultThrottle: 3 free tries, then 2 s, 4 s, 8 s...; locked for 15 minutes
// after 10 failures on an account or 50 from one address.
func DefaultThrottle() ThrottlePolicy {
	return ThrottlePolicy{Window: 15 * time.Minute, FreeTries: 3, BaseDelay: 2 * time.Second,
		MaxDelay: time.Minute, LockAfter: 10, LockFor: 15 * time.Minute, IPLockAfter: 50}
}

// ThrottleEntry is the stored state of one key.
type ThrottleEntry struct {
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

// wait returns how long the key must wait from now before the next attempt.
func (p ThrottlePolicy) wait(e ThrottleEntry, now time.Time, isIP bool) time.Duration {
	if e.LockedUntil != nil && e.LockedUntil.After(now) {
		return e.LockedUntil.Sub(now)
	}
	if now.Sub(e.LastFailure) > p.Window {
		return 0
	}
	free := p.FreeTries
	if isIP {
		free = p.IPLockAfter / 2
	}
	if e.Failures < free {
		return 0
	}
	delay := p.BaseDelay << min(e.Failures-free, 10)
	delay = min(delay, p.MaxDelay)
	if ready := e.LastFailure.Add(delay); ready.After(now) {
		return ready.Sub(now)
	}
	return 0
}

// lockUntil returns when a key with failures must stay locked until, or nil.
func (p ThrottlePolicy) lockUntil(failures int, now time.Time, isIP bool) *time.Time {
	limit := p.LockAfter
	if isIP {
		limit = p.IPLockAfter
	}
	if failures < limit {
		return nil
	}
	t := now.Add(p.LockFor)
	return &t
}

func accountKey(email string) string { return "account:" + email }
func ipKey(ip string) string         { return "ip:" + ip }
