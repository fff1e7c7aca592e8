package auth

import (
	"time"

	"github.com/maypok86/otter/v2"
)

// Generations is what the session memo needs of the change feed (the
// changes package's view of people and access).
type Generations interface {
	// Generation returns a number that moves on with every write to people
	// and access, and whether what was remembered under it may be served.
	Generation() (uint64, bool)
}

// sessionMemo remembers the sessions found active until the next write to
// people and access. Ending a session, disabling a person or changing a
// role or password are such writes, so they end the memo at once in this
// process and within a notification's delay in the others.
type sessionMemo struct {
	generations Generations
	entries     *otter.Cache[string, rememberedSession]
}

type rememberedSession struct {
	generation uint64
	userID     int64
	role       Role
	ends       time.Time
}

// RememberSessions lets Authenticate skip the database for sessions it has
// checked since the last write to people and access, holding at most size.
func (s *Service) RememberSessions(generations Generations, size int) {
	s.sessions = &sessionMemo{generations: generations, entries: otter.Must(&otter.Options[string, rememberedSession]{MaximumSize: size})}
}

// generation is the feed's generation and whether the memo may be used.
func (m *sessionMemo) generation() (uint64, bool) {
	if m == nil {
		return 0, false
	}
	return m.generations.Generation()
}

func (m *sessionMemo) recall(generation uint64, sessionID string, userID int64, now time.Time) (Role, bool) {
	if m == nil {
		return "", false
	}
	r, ok := m.entries.GetIfPresent(sessionID)
	if !ok || r.generation != generation || r.userID != userID || !now.Before(r.ends) {
		return "", false
	}
	if g, live := m.generations.Generation(); !live || g != generation {
		return "", false
	}
	return r.role, true
}

func (m *sessionMemo) remember(generation uint64, sessionID string, userID int64, role Role, ends time.Time) {
	m.entries.Set(sessionID, rememberedSession{generation: generation, userID: userID, role: role, ends: ends})
}
