package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/session"
	"github.com/depotix/depotix/services/web/internal/views"
)

// afterLogin is where a sign-in leads: the local page asked for, but never
// the sign-in page itself.
func afterLogin(next string) string {
	next = safeNext(next)
	if next == "/login" || strings.HasPrefix(next, "/login?") {
		return "/"
	}
	return next
}

// loginPage shows the sign-in form; someone signed in goes on at once.
func (s *server) loginPage(c echo.Context) error {
	next := afterLogin(c.QueryParam(views.NextFieldName))
	if s.visitorOf(c).sess != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	return s.renderLogin(c, http.StatusOK, views.Form{}, next)
}

func (s *server) renderLogin(c echo.Context, status int, f views.Form, next string) error {
	p := s.page(c, "")
	t := i18n.Auth(p.Lang)
	p.Title = t.Title
	v := views.LoginView{Form: f}
	if next != "/" {
		v.Next = next
		if p.Flash == nil {
			v.Notice = t.NextLead
		}
	}
	return render(c, status, views.Login(p, v))
}

// login signs in with the api and starts the session: wrong credentials,
// missing fields and throttling re-render the form with the api's answer;
// the api being down is the 503 page.
func (s *server) login(c echo.Context) error {
	email := strings.TrimSpace(c.FormValue("email"))
	password := c.FormValue("password")
	next := afterLogin(c.FormValue(views.NextFieldName))
	f := views.Form{Values: map[string]string{"email": email}}

	// The language the sign-in page was shown in (the switch's cookie, else
	// the browser's Accept-Language) becomes the person's when they have
	// none yet: the first admin without ADMIN_LANGUAGE.
	pair, err := s.api.Login(c.Request().Context(), email, password, string(s.lang(c)))
	if err != nil {
		lang := s.lang(c)
		t := i18n.Auth(lang)
		if isStatus(err, http.StatusUnauthorized) {
			f.Error = t.Wrong
			return s.renderLogin(c, http.StatusUnauthorized, f, next)
		}
		// Missing fields (422) and throttling (429, "try again in N s").
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderLogin(c, status, f, next)
		}
		return err
	}

	sess := s.sessionFrom(pair, session.NewCSRFSecret())
	s.writeSession(c, sess)
	// The person's own language from now on, in every tab.
	if sess.Person.Language != "" {
		s.setCookie(c, cookieLang, sess.Person.Language, prefLifetime)
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// logout ends the session at the api and in the browser. The cookie goes
// even when the api cannot be told (it is down): the person asked to leave,
// and the api's session then simply expires.
func (s *server) logout(c echo.Context) error {
	v := s.visitorOf(c)
	if v.sess != nil {
		err := s.api.Logout(c.Request().Context(), apiclient.BearerToken(v.sess.AccessToken))
		if err != nil && !isStatus(err, http.StatusUnauthorized) {
			s.log.Warn("api logout failed", zap.Error(err), zap.String("request_id", middleware.RequestIDOf(c)))
		}
	}
	s.clearCookie(c, cookieSession)
	v.sess = nil
	return s.redirectWithFlash(c, "/login", views.Flash{Kind: views.FlashInfo, Text: i18n.Auth(v.lang).SignedOut})
}
