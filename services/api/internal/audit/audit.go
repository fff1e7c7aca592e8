// Package audit describes the trail every write leaves: who (a person, or a
// person's API token), when, under which request id, what entity, what action
// and which fields changed from what to what. Stores append a Record in the
// same transaction as the change it describes; audit rows are never updated.
package audit

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"
)

// Actor is whoever causes a write.
type Actor struct {
	UserID    int64
	TokenID   int64 // set when the request came with a personal API token
	RequestID string
}

// System is the actor for writes nobody asked for over HTTP (first admin from
// the environment, command line). UserID 0 is stored as NULL.
func System(requestID string) Actor { return Actor{RequestID: requestID} }

// Actions recorded.
const (
	ActionCreate  = "create"
	ActionUpdate  = "update"
	ActionDelete  = "delete"
	ActionArchive = "archive"
	ActionRestore = "restore"
	ActionRevoke  = "revoke"
	ActionLogin   = "login"
	ActionLogout  = "logout"
	ActionImport  = "import"
)

// Change is one field's value before and after.
type Change struct {
	From any `json:"from"`
	To   any `json:"to"`
}

// Record is one audit entry as a store writes it.
type Record struct {
	Entity   string // "item", "user", "movement"...
	EntityID string
	Action   string
	Changes  map[string]Change
}

// Entry is one audit entry as read back.
type Entry struct {
	ID        int64
	At        time.Time
	UserID    int64
	TokenID   int64
	RequestID string
	// UserName and TokenName name who made the entry as they are called
	// now ("" for the system, or without a token), read with the entry so
	// that a reader who may not list people still sees names.
	UserName  string
	TokenName string
	Record
}

// Diff compares two values of the same struct type through their JSON form
// and returns the fields that differ. A nil before (create) lists every field
// of after; a nil after (delete) every field of before. Fields named in skip
// (timestamps, versions) are ignored. Secrets must be kept out of the structs
// passed here (json:"-").
func Diff(before, after any, skip ...string) (map[string]Change, error) {
	b, err := fields(before)
	if err != nil {
		return nil, err
	}
	a, err := fields(after)
	if err != nil {
		return nil, err
	}
	out := map[string]Change{}
	// A field missing on one side counts as null there, so a create lists
	// only the fields it set and a delete only those that held something.
	for k, av := range a {
		if bv := b[k]; !reflect.DeepEqual(av, bv) {
			out[k] = Change{From: bv, To: av}
		}
	}
	for k, bv := range b {
		if _, ok := a[k]; !ok && bv != nil {
			out[k] = Change{From: bv}
		}
	}
	for _, s := range skip {
		delete(out, s)
	}
	return out, nil
}

func fields(v any) (map[string]any, error) {
	if v == nil || (reflect.ValueOf(v).Kind() == reflect.Pointer && reflect.ValueOf(v).IsNil()) {
		return map[string]any{}, nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("audit: marshal %T: %w", v, err)
	}
	m := map[string]any{}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("audit: %T is not an object: %w", v, err)
	}
	return m, nil
}

// Filter narrows the audit trail. Zero values mean "any".
type Filter struct {
	Entity    string
	EntityID  string
	Action    string
	UserID    int64
	RequestID string
	From, To  time.Time
}
