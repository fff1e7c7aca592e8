// Package auth is about who is asking: signing in, sessions with rotating
// refresh tokens, personal API tokens, login throttling, and the role matrix.
// It holds the rules; the postgres package stores its state.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"time"

	"github.com/depotix/depotix/services/api/internal/audit"
)

// Principal is an authenticated caller.
type Principal struct {
	UserID     int64
	Role       Role
	SessionID  string // set for access tokens
	TokenID    int64  // set for personal API tokens
	TokenScope Scope
	RequestID  string
}

// Actor returns the principal as the author of writes.
func (p Principal) Actor() audit.Actor {
	return audit.Actor{UserID: p.UserID, TokenID: p.TokenID, RequestID: p.RequestID}
}

// Scope of a personal API token.
type Scope string

// Token scopes.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
)

// Language of a person's interface.
type Language string

// Languages.
const (
	LangDE Language = "de"
	LangEN Language = "en"
)

// User is a person who can sign in.
type User struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
	Role  Role   `json:"role"`
	// Language is "" while the person has none (see Service.Login).
	Language    Language   `json:"language"`
	Disabled    bool       `json:"disabled"`
	LastLoginAt *time.Time `json:"last_login_at,omitempty"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Session is one sign-in.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastUsedAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	IP         string
}

// APIToken is a personal token for integrations (without its secret).
type APIToken struct {
	ID         int64
	UserID     int64
	Name       string
	Scope      Scope
	Prefix     string
	ExpiresAt  time.Time
	LastUsedAt *time.Time
	CreatedAt  time.Time
}

// ClientInfo describes where a sign-in comes from, shown in the sessions list.
type ClientInfo struct {
	UserAgent string
	IP        string
	// Language is the one the client asked for at sign-in, "" for none:
	// a person without a language of their own gets it.
	Language Language
}

// Tokens is what a sign-in or refresh hands out.
type Tokens struct {
	AccessToken      string
	AccessExpiresIn  time.Duration
	RefreshToken     string
	RefreshExpiresAt time.Time
	SessionID        string
	User             User
}

// secretBytes is the entropy of refresh and API tokens.
const secretBytes = 32

// newSecret returns a random URL-safe secret with a prefix naming its kind.
func newSecret(prefix string) string {
	b := make([]byte, secretBytes)
	_, _ = rand.Read(b) // never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// HashSecret is how refresh and API tokens are stored: SHA-256 suffices for
// 256-bit random secrets (no dictionary to attack), and lookups stay O(1).
func HashSecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// Clock lets tests move time.
type Clock func() time.Time

// contextKey keeps this package's context values private.
type contextKey struct{}

// WithPrincipal stores the authenticated caller in ctx.
func WithPrincipal(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, contextKey{}, p)
}

// PrincipalFrom returns the caller stored by WithPrincipal.
func PrincipalFrom(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(contextKey{}).(Principal)
	return p, ok
}
