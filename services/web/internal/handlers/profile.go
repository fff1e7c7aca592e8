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

// profileForms are forms of the profile page to show as posted (with the
// api's messages) instead of fresh.
type profileForms struct {
	details, password, token *views.Form
}

func (s *server) profilePage(c echo.Context) error {
	return s.renderProfile(c, http.StatusOK, profileForms{})
}

// renderProfile reads the person, their sessions and tokens from the api
// and renders the page.
func (s *server) renderProfile(c echo.Context, status int, forms profileForms) error {
	who := s.signedIn(c)
	ctx := c.Request().Context()
	me, etag, err := s.api.Me(ctx, who.Bearer)
	if err != nil {
		return err
	}
	sessions, err := s.api.Sessions(ctx, who.Bearer)
	if err != nil {
		return err
	}
	tokens, err := s.api.Tokens(ctx, who.Bearer)
	if err != nil {
		return err
	}

	p := s.page(c, views.NavProfile)
	p.Title = i18n.Profile(p.Lang).Title
	v := views.ProfileView{
		Name: me.Name, Email: me.Email, Role: string(me.Role), Language: apiclient.LanguageOf(me.Language), Version: etag,
		Details:  views.Form{Values: map[string]string{"name": me.Name, "language": apiclient.LanguageOf(me.Language)}},
		NewToken: views.Form{Values: map[string]string{"scope": "read", "expires_in_days": "90"}, IdempotencyKey: newIdempotencyKey()},
	}
	if forms.details != nil {
		v.Details = *forms.details
	}
	if forms.password != nil {
		v.Password = *forms.password
	}
	if forms.token != nil {
		v.NewToken = *forms.token
	}
	for _, sess := range sessions {
		row := views.SessionRow{ID: sess.ID.String(), Created: sess.CreatedAt, LastUsed: sess.LastUsedAt,
			Expires: sess.ExpiresAt, Current: sess.Current}
		if sess.UserAgent != nil {
			row.Device = *sess.UserAgent
		}
		if sess.IP != nil {
			row.Address = *sess.IP
		}
		v.Sessions = append(v.Sessions, row)
	}
	for _, tok := range tokens {
		v.Tokens = append(v.Tokens, views.TokenRow{ID: tok.ID, Name: tok.Name, Scope: string(tok.Scope), Prefix: tok.Prefix,
			Created: tok.CreatedAt, Expires: tok.ExpiresAt, LastUsed: tok.LastUsedAt})
	}
	if p.Flash != nil {
		v.Reveal = p.Flash.Reveal
	}
	return render(c, status, views.Profile(p, v))
}

// saveDetails changes name and language. The form carries the record's
// ETag, so a change made elsewhere meanwhile is reported, not overwritten.
func (s *server) saveDetails(c echo.Context) error {
	who := s.signedIn(c)
	f := views.Form{Values: formValues(c, "name", "language")}
	name := f.Values["name"]
	lang := apiclient.Language(f.Values["language"])
	me, _, err := s.api.UpdateMe(c.Request().Context(), who.Bearer, c.FormValue("version"),
		apiclient.MeUpdate{Name: &name, Language: &lang})
	if err != nil {
		t := i18n.Profile(s.lang(c))
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderProfile(c, status, profileForms{details: &f})
		}
		return err
	}

	v := s.visitorOf(c)
	if l, ok := i18n.Parse(apiclient.LanguageOf(me.Language)); ok {
		s.setCookie(c, cookieLang, string(l), prefLifetime)
		v.lang = l
	}
	updated := *v.sess
	updated.Person.Name, updated.Person.Language = me.Name, apiclient.LanguageOf(me.Language)
	s.writeSession(c, &updated)
	return s.redirectWithFlash(c, "/profile", views.Flash{Kind: views.FlashSuccess, Text: i18n.Profile(v.lang).DetailsSaved})
}

// changePassword needs the current password; the api's messages (wrong
// current password, a new one its policy refuses) appear beside the
// fields. Passwords are never put back into the page.
func (s *server) changePassword(c echo.Context) error {
	who := s.signedIn(c)
	t := i18n.Profile(s.lang(c))
	current, next, repeat := c.FormValue("current_password"), c.FormValue("new_password"), c.FormValue("repeat_password")
	var f views.Form
	if next != repeat {
		f.Errors = map[string]string{"repeat_password": t.PasswordsDiffer}
		f.Error = i18n.For(s.lang(c)).FormHasErrors
		return s.renderProfile(c, http.StatusUnprocessableEntity, profileForms{password: &f})
	}
	err := s.api.ChangePassword(c.Request().Context(), who.Bearer, current, next)
	if err != nil {
		// The password policy names its field "password".
		rename := map[string]string{"password": "new_password"}
		if status, ok := s.formFailure(c, err, &f, rename, t.APIFields); ok {
			return s.renderProfile(c, status, profileForms{password: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, "/profile", views.Flash{Kind: views.FlashSuccess, Text: t.PasswordChanged})
}

func (s *server) revokeOtherSessions(c echo.Context) error {
	n, err := s.api.RevokeOtherSessions(c.Request().Context(), s.signedIn(c).Bearer)
	if err != nil {
		return err
	}
	t := i18n.Profile(s.lang(c))
	return s.redirectWithFlash(c, "/profile#sessions", views.Flash{Kind: views.FlashSuccess,
		Text: strings.ReplaceAll(t.OthersRevoked, "{n}", strconv.Itoa(n))})
}

func (s *server) revokeSession(c echo.Context) error {
	id, err := pathUUID(c, "id")
	if err != nil {
		return err
	}
	if err := s.api.RevokeSession(c.Request().Context(), s.signedIn(c).Bearer, id); err != nil {
		return err
	}
	t := i18n.Profile(s.lang(c))
	return s.redirectWithFlash(c, "/profile#sessions", views.Flash{Kind: views.FlashSuccess, Text: t.SessionRevoked})
}

// createToken creates an API token and shows its secret once: it travels
// to the profile page in the sealed flash cookie, which that page deletes
// as it shows it. The idempotency key makes a double submit create one
// token.
func (s *server) createToken(c echo.Context) error {
	who := s.signedIn(c)
	f := views.Form{Values: formValues(c, "name", "scope", "expires_in_days"), IdempotencyKey: postedIdempotencyKey(c)}
	days, _ := strconv.Atoi(f.Values["expires_in_days"]) // 0 for nonsense: the api says what it allows
	created, err := s.api.CreateToken(c.Request().Context(), who.Bearer, f.IdempotencyKey, apiclient.APITokenCreate{
		Name: f.Values["name"], Scope: apiclient.TokenScope(f.Values["scope"]), ExpiresInDays: days,
	})
	if err != nil {
		t := i18n.Profile(s.lang(c))
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderProfile(c, status, profileForms{token: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, "/profile#tokens", views.Flash{Kind: views.FlashSuccess,
		Reveal: &views.Reveal{Name: created.Name, Secret: created.Token}})
}

func (s *server) revokeToken(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	if err := s.api.RevokeToken(c.Request().Context(), s.signedIn(c).Bearer, id); err != nil {
		return err
	}
	t := i18n.Profile(s.lang(c))
	return s.redirectWithFlash(c, "/profile#tokens", views.Flash{Kind: views.FlashSuccess, Text: t.TokenRevoked})
}
