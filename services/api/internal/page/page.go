// Package page implements keyset pagination: a list is read in pages ordered
// by a sort key plus the id, and the cursor carries the last row's key, so the
// next page starts with `WHERE (key, id) > (...)` on an index instead of an
// OFFSET that reads and throws away every earlier row.
package page

import (
	"encoding/base64"
	"encoding/json"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Limits of a page.
const (
	DefaultLimit = 50
	MaxLimit     = 500
	// CountLimit caps Total: counting every match of a filter over 100,000
	// items or a million movements would cost more than the page itself. A
	// Total of CountLimit+1 means "more than CountLimit".
	CountLimit = 10_000
)

// Request is what a list call asks for.
type Request struct {
	Limit int
	// After holds the sort key and id of the last row of the previous page,
	// as decoded from the cursor; nil for the first page.
	After []string
}

// Page is one page of results.
type Page[T any] struct {
	Items      []T
	NextCursor string // empty on the last page
	Total      int    // rows matching the filter, regardless of paging, up to CountLimit+1
}

type cursor struct {
	Sort string   `json:"s"`
	Keys []string `json:"k"`
}

// NewRequest validates limit (nil means the default) and decodes the cursor,
// which must have been made for the same sort order.
func NewRequest(limit *int, rawCursor *string, sort string) (Request, error) {
	r := Request{Limit: DefaultLimit}
	if limit != nil {
		if *limit < 1 || *limit > MaxLimit {
			return r, apperr.FieldProblem("Check the paging parameters.", "limit", apperr.OutOfRange(1, MaxLimit))
		}
		r.Limit = *limit
	}
	if rawCursor == nil || *rawCursor == "" {
		return r, nil
	}
	invalid := InvalidCursor()
	b, err := base64.RawURLEncoding.DecodeString(*rawCursor)
	if err != nil {
		return r, invalid
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || len(c.Keys) == 0 {
		return r, invalid
	}
	r.After = c.Keys
	return r, nil
}

// InvalidCursor is the error of a cursor this api did not make for the
// list and sort order at hand.
func InvalidCursor() error {
	return apperr.FieldProblem("Check the paging parameters.", "cursor", apperr.InvalidCursor())
}

// Cursor encodes the keys of the last row of a page for the given sort.
func Cursor(sort string, keys ...string) string {
	b, _ := json.Marshal(cursor{Sort: sort, Keys: keys}) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}
