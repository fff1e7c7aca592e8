package views

import (
	"time"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// UserListView is the people list: its filter (a GET form whose values are
// the query), a page of people and the pager.
type UserListView struct {
	Filter Form // q, role, state
	Rows   []UserRow
	Pager  Pager
	// MeID is the signed-in admin, marked "you" in the list.
	MeID int64
}

// UserRow is one person in the list.
type UserRow struct {
	ID         int64
	Name       string
	Email      string
	Role       string
	Disabled   bool
	LastSignIn *time.Time
}

// UserNewView is the form for a new person.
type UserNewView struct {
	Form Form // email, name, role, language; passwords never come back
}

// UserView is one person's page.
type UserView struct {
	ID         int64
	Name       string
	Email      string
	Role       string
	Language   string
	Disabled   bool
	LastSignIn *time.Time
	Created    time.Time
	// Version is the ETag of the record, sent back as If-Match.
	Version string
	// Self: the signed-in admin's own record. The api refuses to let them
	// change their own role or disable themselves, so neither is offered.
	Self bool

	Details  Form // name, role, language
	State    Form // the form-level message of a refused disable or enable
	Password Form
}

// User states of the list filter, as in the query string.
const (
	UserStateActive   = "active"
	UserStateDisabled = "disabled"
)

// UserRoles are the api's roles in the order the pages offer them.
func UserRoles() []string { return []string{"viewer", "clerk", "manager", "admin"} }

func userRoleOptions(m *i18n.Messages) []Option {
	var out []Option
	for _, r := range UserRoles() {
		out = append(out, Option{Value: r, Label: m.Role(r)})
	}
	return out
}

// userLanguageOptions are the languages a person may have, and with none
// "none yet" (their first sign-in sets the browser's): offered for a new
// person and for one who has none, since the api cannot take one away.
func userLanguageOptions(m *i18n.Messages, t *i18n.UsersText, none bool) []Option {
	out := []Option{{Value: "de", Label: m.LanguageNames["de"]}, {Value: "en", Label: m.LanguageNames["en"]}}
	if none {
		out = append([]Option{{Value: "", Label: t.LanguageFromBrowser}}, out...)
	}
	return out
}

// userFilterOptions are the role and state choices of the list filter,
// each with "any" first.
func userRoleFilter(t *i18n.UsersText, m *i18n.Messages) []Option {
	return append([]Option{{Value: "", Label: t.AnyRole}}, userRoleOptions(m)...)
}

func userStateFilter(t *i18n.UsersText) []Option {
	return []Option{{Value: "", Label: t.AnyState}, {Value: UserStateActive, Label: t.Active}, {Value: UserStateDisabled, Label: t.Disabled}}
}

func userHref(id int64) string { return "/users/" + itoa(id) }
