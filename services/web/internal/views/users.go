package views

import (
	"time"

	"github.com/depotix/depotix/services/web/internal/apiclient"
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

// userNewFields are the fields of the form that creates a person, in order
// (the form and its error summary list the same).
func userNewFields(p Page) []FieldSpec {
	t := i18n.Users(p.Lang)
	return []FieldSpec{
		{Form: "user", Name: "name", Label: t.Name, Required: true, MaxLength: apiclient.LimitUserCreateNameMaxLength, Autocomplete: "off"},
		{Form: "user", Name: "email", Label: t.Email, Type: "email", Required: true, MaxLength: apiclient.LimitUserCreateEmailMaxLength, Autocomplete: "off"},
		{Form: "user", Name: "role", Label: t.Role, Required: true, Options: userRoleOptions(p.Msg)},
		{Form: "user", Name: "language", Label: t.Language, Options: userLanguageOptions(p.Msg, t, true)},
		{Form: "user", Name: "password", Label: t.InitialPassword, Hint: t.PasswordHint, Type: "password",
			Required: true, MaxLength: apiclient.LimitUserCreatePasswordMaxLength, Autocomplete: "new-password"},
		{Form: "user", Name: "repeat_password", Label: t.RepeatPassword, Type: "password",
			Required: true, MaxLength: apiclient.LimitUserCreatePasswordMaxLength, Autocomplete: "new-password"},
	}
}

// userDetailsFields are the fields of a person's details form: the name
// first, then the role (not for one's own record: the api refuses an admin
// changing their own role), then the language.
func userDetailsFields(p Page, v UserView) []FieldSpec {
	t := i18n.Users(p.Lang)
	fields := []FieldSpec{{Form: "user-edit", Name: "name", Label: t.Name, Required: true, MaxLength: apiclient.LimitUserUpdateNameMaxLength, Autocomplete: "off"}}
	if !v.Self {
		fields = append(fields, FieldSpec{Form: "user-edit", Name: "role", Label: t.Role, Required: true, Options: userRoleOptions(p.Msg)})
	}
	return append(fields, FieldSpec{Form: "user-edit", Name: "language", Label: t.Language, Options: userLanguageOptions(p.Msg, t, v.Language == "")})
}

// userPasswordFields are the fields of the form that sets a person's
// password.
func userPasswordFields(p Page) []FieldSpec {
	t := i18n.Users(p.Lang)
	return []FieldSpec{
		{Form: "user-password", Name: "password", Label: t.NewPassword, Hint: t.PasswordHint, Type: "password",
			Required: true, MaxLength: apiclient.LimitUserUpdatePasswordMaxLength, Autocomplete: "new-password"},
		{Form: "user-password", Name: "repeat_password", Label: t.RepeatPassword, Type: "password",
			Required: true, MaxLength: apiclient.LimitUserUpdatePasswordMaxLength, Autocomplete: "new-password"},
	}
}
