package views

import (
	"strconv"
	"strings"
	"time"
)

// ProfileView is the profile page's own data.
type ProfileView struct {
	Name     string
	Email    string
	Role     string
	Language string
	// Version is the ETag of the person's record, sent back as If-Match so
	// a change made elsewhere meanwhile is not overwritten.
	Version string

	Details  Form
	Password Form
	NewToken Form

	Sessions []SessionRow
	Tokens   []TokenRow
	// Reveal is a token created just now, shown this once.
	Reveal *Reveal
}

// SessionRow is one of the person's sessions.
type SessionRow struct {
	ID       string
	Device   string // the browser's User-Agent, "" when unknown
	Address  string
	Created  time.Time
	LastUsed time.Time
	Expires  time.Time
	Current  bool
}

// TokenRow is one of the person's API tokens.
type TokenRow struct {
	ID       int64
	Name     string
	Scope    string // read or write
	Prefix   string
	Created  time.Time
	Expires  time.Time
	LastUsed *time.Time
}

// TokenValidityDays are the lifetimes offered for a new token; the api
// allows 1 to 730 days.
func TokenValidityDays() []int { return []int{30, 90, 365, 730} }

// HasOtherSessions reports whether any session but this one is listed.
func (v ProfileView) HasOtherSessions() bool {
	for _, s := range v.Sessions {
		if !s.Current {
			return true
		}
	}
	return false
}

// fill replaces {name} and {n} in a text.
func fill(text, placeholder, value string) string {
	return strings.ReplaceAll(text, "{"+placeholder+"}", value)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
