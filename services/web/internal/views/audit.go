package views

import (
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"time"

	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
)

// AuditView is the audit trail: its filter (a GET form whose values are
// the query), a page of entries and the pager.
type AuditView struct {
	// Filter holds entity, entity_id, user_id, action, from, to and
	// request_id as typed; Errors name those the page could not read.
	Filter Form
	// People are the choices of the person filter when the viewer may list
	// people (admins); nil gives a number field instead.
	People []Option
	Rows   []AuditEntryRow
	Pager  Pager
}

// AuditEntryRow is one audit entry.
type AuditEntryRow struct {
	ID        int64
	At        time.Time
	UserID    int64  // 0: the system
	UserName  string // "" when the page does not know it
	TokenID   int64  // 0: not through an API token
	Entity    string
	EntityID  string
	Action    string
	RequestID string
	Changes   []AuditFieldChange
}

// AuditFieldChange is one changed field. A value the record did not have
// (before a create, after a delete) is nil.
type AuditFieldChange struct {
	Field    string
	From, To any
}

// Sides says which columns the entry's changes need: a created record has
// no values before, a deleted one none after; a column of nothing but
// "(empty)" would only hide what changed.
func (r AuditEntryRow) Sides() (before, after bool) {
	for _, c := range r.Changes {
		before = before || c.From != nil
		after = after || c.To != nil
	}
	if !before && !after {
		return true, true
	}
	return before, after
}

// SortedAuditChanges turns the api's map of changes into rows ordered by field.
func SortedAuditChanges[C any](changes map[string]C, from, to func(C) any) []AuditFieldChange {
	out := make([]AuditFieldChange, 0, len(changes))
	for field, c := range changes {
		out = append(out, AuditFieldChange{Field: field, From: from(c), To: to(c)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// auditValue writes a changed field's value (JSON as the api stored it)
// for a page: numbers without exponents, yes/no, objects and lists as
// compact JSON, and "(empty)" for null or an empty string.
func auditValue(t *i18n.AuditText, v any) string {
	switch v := v.(type) {
	case nil:
		return t.Empty
	case string:
		if v == "" {
			return t.Empty
		}
		return v
	case bool:
		if v {
			return t.Yes
		}
		return t.No
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return t.Empty
		}
		return string(b)
	}
}

// auditWho names who made an entry: the person's name when known, else
// their number, or the system; with the API token it went through.
func auditWho(t *i18n.AuditText, r AuditEntryRow) string {
	who := t.System
	switch {
	case r.UserName != "":
		who = r.UserName
	case r.UserID != 0:
		who = fill(t.PersonNumber, "n", itoa(r.UserID))
	}
	if r.TokenID != 0 {
		who += " (" + fill(t.ViaToken, "n", itoa(r.TokenID)) + ")"
	}
	return who
}

// auditRecordPages are the pages of the record kinds that have one, and
// the permission reading it needs.
var auditRecordPages = map[string]struct {
	path string
	perm roles.Permission
}{
	"item":     {"/items/", roles.Read},
	"category": {"/categories/", roles.Read},
	"supplier": {"/suppliers/", roles.Read},
	"customer": {"/customers/", roles.Read},
	"location": {"/locations/", roles.Read},
	"movement": {"/movements/", roles.Read},
	"user":     {"/users/", roles.Users},
}

// auditRecordHref is the page of an entry's record, "" when its kind has
// none, the viewer may not read it, or the id is not a record number.
func auditRecordHref(p Page, r AuditEntryRow) string {
	page, ok := auditRecordPages[r.Entity]
	if !ok || !p.Can(page.perm) {
		return ""
	}
	if _, err := strconv.ParseInt(r.EntityID, 10, 64); err != nil {
		return ""
	}
	return page.path + r.EntityID
}

// auditLink is the audit trail filtered by one parameter set.
func auditLink(params ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	return "/audit?" + q.Encode()
}

// AuditEntities are the record kinds the filter offers, in its order.
func AuditEntities() []string {
	return []string{"item", "category", "supplier", "customer", "location", "item_supplier", "movement", "user", "session", "api_token"}
}

// AuditActions are the actions the filter offers, in its order.
func AuditActions() []string {
	return []string{"create", "update", "archive", "restore", "delete", "import", "revoke", "login", "logout"}
}

func auditEntityOptions(t *i18n.AuditText) []Option {
	out := []Option{{Value: "", Label: t.AnyEntity}}
	for _, e := range AuditEntities() {
		out = append(out, Option{Value: e, Label: t.EntityName(e)})
	}
	return out
}

func auditActionOptions(t *i18n.AuditText) []Option {
	out := []Option{{Value: "", Label: t.AnyAction}}
	for _, a := range AuditActions() {
		out = append(out, Option{Value: a, Label: t.ActionName(a)})
	}
	return out
}

func auditPeopleOptions(t *i18n.AuditText, people []Option) []Option {
	return append([]Option{{Value: "", Label: t.AnyPerson}}, people...)
}
