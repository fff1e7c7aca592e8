package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The people pages (admin): the list with search and filters, a new
// person, and one person's details, role, access and password. The api
// allows all of it to admins only; anyone else gets its 403 as the "not
// permitted" page, and the navigation does not offer the pages to them.
func (s *server) userRoutes(e *echo.Echo) {
	getHead(e, "/users", s.userList, s.requireSignIn)
	getHead(e, "/users/new", s.userNew, s.requireSignIn)
	e.POST("/users", s.createUser, s.requireSignIn)
	getHead(e, "/users/:id", s.userDetail, s.requireSignIn)
	e.POST("/users/:id", s.saveUser, s.requireSignIn)
	e.POST("/users/:id/disable", s.disableUser, s.requireSignIn)
	e.POST("/users/:id/enable", s.enableUser, s.requireSignIn)
	e.POST("/users/:id/password", s.setUserPassword, s.requireSignIn)
}

// usersPageSize is the number of people on one page of the list.
const usersPageSize = 50

func (s *server) userList(c echo.Context) error {
	who := s.signedIn(c)
	filter := views.Form{Values: map[string]string{
		"q": strings.TrimSpace(c.QueryParam("q")), "role": c.QueryParam("role"), "state": c.QueryParam("state")}}
	f := apiclient.UserFilter{Query: filter.Values["q"], Cursor: c.QueryParam("cursor"), Limit: usersPageSize}
	for _, r := range views.UserRoles() {
		if filter.Values["role"] == r {
			f.Role = apiclient.Role(r)
		}
	}
	switch filter.Values["state"] {
	case views.UserStateActive:
		off := false
		f.Disabled = &off
	case views.UserStateDisabled:
		on := true
		f.Disabled = &on
	}
	list, err := s.api.Users(c.Request().Context(), who.Bearer, f)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavUsers)
	p.Title = i18n.Users(p.Lang).Title
	v := views.UserListView{Filter: filter, MeID: who.Person.ID,
		Pager: views.NewPager("/users", c.QueryParams(), list.NextCursor, list.Total)}
	for _, u := range list.Items {
		v.Rows = append(v.Rows, views.UserRow{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role),
			Disabled: u.Disabled, LastSignIn: u.LastLoginAt})
	}
	return render(c, http.StatusOK, views.UserList(p, v))
}

func (s *server) userNew(c echo.Context) error {
	return s.renderUserNew(c, http.StatusOK, views.Form{
		Values:         map[string]string{"role": "clerk", "language": string(s.lang(c))},
		IdempotencyKey: newIdempotencyKey(),
	})
}

func (s *server) renderUserNew(c echo.Context, status int, f views.Form) error {
	p := s.page(c, views.NavUsers)
	p.Title = i18n.Users(p.Lang).NewTitle
	return render(c, status, views.UserNew(p, views.UserNewView{Form: f}))
}

// createUser adds a person; the api judges every value (email, role,
// password policy) and its messages appear beside the fields. The
// idempotency key makes a double submit add one person.
func (s *server) createUser(c echo.Context) error {
	who := s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Users(lang)
	f := views.Form{Values: formValues(c, "name", "email", "role", "language"), IdempotencyKey: postedIdempotencyKey(c)}
	password := c.FormValue("password")
	if password != c.FormValue("repeat_password") {
		f.Errors = map[string]string{"repeat_password": t.PasswordsDiffer}
		f.Error = i18n.For(lang).FormHasErrors
		return s.renderUserNew(c, http.StatusUnprocessableEntity, f)
	}
	in := apiclient.UserCreate{Name: f.Values["name"], Email: f.Values["email"], Role: apiclient.Role(f.Values["role"]), Password: password}
	if l, ok := i18n.Parse(f.Values["language"]); ok {
		language := apiclient.Language(l)
		in.Language = &language
	}
	created, err := s.api.CreateUser(c.Request().Context(), who.Bearer, f.IdempotencyKey, in)
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderUserNew(c, status, f)
		}
		return err
	}
	return s.redirectWithFlash(c, userPath(created.ID), views.Flash{Kind: views.FlashSuccess,
		Text: strings.ReplaceAll(t.CreatedFlash, "{name}", created.Name)})
}

// userForms are forms of a person's page to show as posted (with the
// api's messages) instead of fresh.
type userForms struct {
	details, state, password *views.Form
}

func (s *server) userDetail(c echo.Context) error {
	return s.renderUser(c, http.StatusOK, userForms{})
}

// renderUser reads the person and renders their page.
func (s *server) renderUser(c echo.Context, status int, forms userForms) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	u, etag, err := s.api.User(c.Request().Context(), who.Bearer, id)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavUsers)
	p.Title = u.Name
	v := views.UserView{ID: u.ID, Name: u.Name, Email: u.Email, Role: string(u.Role), Language: apiclient.LanguageOf(u.Language),
		Disabled: u.Disabled, LastSignIn: u.LastLoginAt, Created: u.CreatedAt, Version: etag, Self: u.ID == who.Person.ID,
		Details: views.Form{Values: map[string]string{"name": u.Name, "role": string(u.Role), "language": apiclient.LanguageOf(u.Language)}}}
	if forms.details != nil {
		v.Details = *forms.details
	}
	if forms.state != nil {
		v.State = *forms.state
	}
	if forms.password != nil {
		v.Password = *forms.password
	}
	return render(c, status, views.UserDetail(p, v))
}

// saveUser changes name, role and language. The form carries the record's
// ETag, so a change made elsewhere meanwhile is reported, not overwritten.
// Admins' own role is not on their form (the api refuses to change it), so
// none is sent for them.
func (s *server) saveUser(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	f := views.Form{Values: formValues(c, "name", "role", "language")}
	name := f.Values["name"]
	change := apiclient.UserUpdate{Name: &name}
	if id != who.Person.ID {
		role := apiclient.Role(f.Values["role"])
		change.Role = &role
	}
	if l, ok := i18n.Parse(f.Values["language"]); ok {
		language := apiclient.Language(l)
		change.Language = &language
	}
	saved, _, err := s.api.UpdateUser(c.Request().Context(), who.Bearer, id, c.FormValue("version"), change)
	t := i18n.Users(s.lang(c))
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderUser(c, status, userForms{details: &f})
		}
		return err
	}
	if id == who.Person.ID {
		// Their own name and language: the header and the pages follow at
		// once, as after a change on the profile page.
		v := s.visitorOf(c)
		if l, ok := i18n.Parse(apiclient.LanguageOf(saved.Language)); ok {
			s.setCookie(c, cookieLang, string(l), prefLifetime)
			v.lang = l
			t = i18n.Users(l)
		}
		updated := *v.sess
		updated.Person.Name, updated.Person.Language = saved.Name, apiclient.LanguageOf(saved.Language)
		s.writeSession(c, &updated)
	}
	return s.redirectWithFlash(c, userPath(id), views.Flash{Kind: views.FlashSuccess, Text: t.DetailsSaved})
}

func (s *server) disableUser(c echo.Context) error { return s.setUserDisabled(c, true) }

func (s *server) enableUser(c echo.Context) error { return s.setUserDisabled(c, false) }

// setUserDisabled disables or enables a person. Disabling ends their
// sessions and API tokens at once (the api does it in the same change).
func (s *server) setUserDisabled(c echo.Context, disabled bool) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	u, _, err := s.api.UpdateUser(c.Request().Context(), who.Bearer, id, c.FormValue("version"), apiclient.UserUpdate{Disabled: &disabled})
	t := i18n.Users(s.lang(c))
	if err != nil {
		var f views.Form
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			// The api names the field ("disabled"); the access section has
			// no input to put it beside, so it is the section's message.
			if msg, ok := f.Errors["disabled"]; ok {
				f.Error = msg
			}
			return s.renderUser(c, status, userForms{state: &f})
		}
		return err
	}
	text := t.EnabledFlash
	if disabled {
		text = t.DisabledFlash
	}
	return s.redirectWithFlash(c, userPath(id), views.Flash{Kind: views.FlashSuccess,
		Text: strings.ReplaceAll(text, "{name}", u.Name)})
}

// setUserPassword sets a new password for a person who forgot theirs; the
// api ends their sessions. Passwords are never put back into the page.
func (s *server) setUserPassword(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Users(lang)
	password := c.FormValue("password")
	var f views.Form
	if password != c.FormValue("repeat_password") {
		f.Errors = map[string]string{"repeat_password": t.PasswordsDiffer}
		f.Error = i18n.For(lang).FormHasErrors
		return s.renderUser(c, http.StatusUnprocessableEntity, userForms{password: &f})
	}
	u, _, err := s.api.UpdateUser(c.Request().Context(), who.Bearer, id, c.FormValue("version"), apiclient.UserUpdate{Password: &password})
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderUser(c, status, userForms{password: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, userPath(id), views.Flash{Kind: views.FlashSuccess,
		Text: strings.ReplaceAll(t.PasswordSet, "{name}", u.Name)})
}

// userPath is a person's page.
func userPath(id int64) string { return "/users/" + strconv.FormatInt(id, 10) }
