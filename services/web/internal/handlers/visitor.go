package handlers

import (
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/session"
	"github.com/depotix/depotix/services/web/internal/views"
	"github.com/depotix/depotix/services/web/static"
)

// Cookies. All are HttpOnly, Secure, SameSite=Lax and Path=/.
const (
	// cookieSession holds the sealed session.Session.
	cookieSession = "dpx_session"
	// cookieCSRF is the CSRF secret of a visitor who is not signed in
	// (the sign-in form, the switches): a double-submit cookie.
	cookieCSRF = "dpx_csrf"
	cookieLang = "dpx_lang"
	// cookieTheme is light, dark or system.
	cookieTheme = "dpx_theme"
	// cookieFlash holds a sealed views.Flash for the next page.
	cookieFlash = "dpx_flash"
)

const (
	// refreshMargin: the access token is renewed when it expires within
	// this, so the page's own api calls still find it valid.
	refreshMargin = 60 * time.Second
	// prefLifetime is how long the language and theme cookies last.
	prefLifetime = 365 * 24 * time.Hour
	// flashLifetime bounds how long a flash waits for its page.
	flashLifetime = time.Minute
	// maxCookieBytes: browsers drop larger cookies silently.
	maxCookieBytes = 4000
)

// visitor is what the middleware learns about the browser behind a request.
type visitor struct {
	sess *session.Session // nil: nobody signed in
	// lost: a session cookie came with the request, but the session is
	// over (expired, revoked, refresh refused, or sealed under another
	// secret). Pages send the person to sign in again, saying why.
	lost    bool
	lang    i18n.Lang
	theme   string
	preCSRF []byte // the dpx_csrf secret, nil when there is none

	flashTaken bool
	flash      *views.Flash
}

// csrfSecrets are the secrets a form token may be made from: the session's,
// and the pre-session cookie's (a sign-in form rendered before signing in
// in another tab stays valid). Both belong to this browser alone.
func (v *visitor) csrfSecrets() [][]byte {
	var out [][]byte
	if v.sess != nil {
		out = append(out, v.sess.CSRF)
	}
	if v.preCSRF != nil {
		out = append(out, v.preCSRF)
	}
	return out
}

const visitorKey = "dpx.visitor"

// visitorOf returns what loadVisitor stored. Requests it skipped (static
// files) or that failed before it (a body too large) get a visitor made
// from the cookies alone, without a session, so their error page is still
// in the right language and theme.
func (s *server) visitorOf(c echo.Context) *visitor {
	if v, ok := c.Get(visitorKey).(*visitor); ok {
		return v
	}
	v := &visitor{preCSRF: readCSRFCookie(c)}
	v.lang = language(c, nil)
	v.theme = theme(c)
	c.Set(visitorKey, v)
	return v
}

// loadVisitor reads the visitor's cookies, renews the session's access
// token when it is about to expire, and gives a visitor without a session a
// pre-session CSRF secret.
func (s *server) loadVisitor() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			path := c.Request().URL.Path
			if path == "/healthz" || strings.HasPrefix(path, static.URLPrefix) {
				return next(c)
			}
			v := &visitor{preCSRF: readCSRFCookie(c)}
			v.sess, v.lost = s.loadSession(c)
			if v.sess == nil && v.preCSRF == nil && isSafe(c.Request().Method) {
				v.preCSRF = session.NewCSRFSecret()
				s.setCookie(c, cookieCSRF, base64.RawURLEncoding.EncodeToString(v.preCSRF), 0)
			}
			v.lang = language(c, v.sess)
			v.theme = theme(c)
			c.Set(visitorKey, v)
			return next(c)
		}
	}
}

func readCSRFCookie(c echo.Context) []byte {
	ck, err := c.Cookie(cookieCSRF)
	if err != nil {
		return nil
	}
	b, err := base64.RawURLEncoding.DecodeString(ck.Value)
	if err != nil || len(b) != 32 {
		return nil
	}
	return b
}

// language: the visitor's explicit choice (cookie), else the signed-in
// person's profile language, else what the browser asks for.
func language(c echo.Context, sess *session.Session) i18n.Lang {
	if ck, err := c.Cookie(cookieLang); err == nil {
		if l, ok := i18n.Parse(ck.Value); ok {
			return l
		}
	}
	if sess != nil {
		if l, ok := i18n.Parse(sess.Person.Language); ok {
			return l
		}
	}
	return i18n.Negotiate(c.Request().Header.Get("Accept-Language"))
}

func theme(c echo.Context) string {
	if ck, err := c.Cookie(cookieTheme); err == nil {
		switch ck.Value {
		case views.ThemeLight, views.ThemeDark, views.ThemeSystem:
			return ck.Value
		}
	}
	return views.ThemeSystem
}

// loadSession opens the session cookie and refreshes its access token when
// needed. It reports lost when a cookie came but no session survives.
func (s *server) loadSession(c echo.Context) (sess *session.Session, lost bool) {
	ck, err := c.Cookie(cookieSession)
	if err != nil || ck.Value == "" {
		return nil, false
	}
	var current session.Session
	if err := s.codec.Open(cookieSession, ck.Value, &current); err != nil {
		s.clearCookie(c, cookieSession)
		return nil, true
	}
	if !current.NeedsRefresh(s.now(), refreshMargin) {
		return &current, false
	}
	pair, err := s.api.Refresh(c.Request().Context(), current.RefreshToken)
	if err != nil {
		if status, _ := apiclient.Status(err); status >= 400 && status < 500 {
			// The api refuses the refresh token: signed out elsewhere,
			// revoked, expired, or a disabled account.
			s.clearCookie(c, cookieSession)
			return nil, true
		}
		// The api is down or slow. Keep the session: the page's own calls
		// fail visibly (503 page), and the next request tries again.
		s.log.Warn("session refresh failed", zap.Error(err),
			zap.String("kind", string(apiclient.KindOf(err))),
			zap.String("request_id", middleware.RequestIDOf(c)))
		return &current, false
	}
	renewed := s.sessionFrom(pair, current.CSRF)
	s.writeSession(c, renewed)
	return renewed, false
}

// sessionFrom makes the session of a token pair from login or refresh.
func (s *server) sessionFrom(pair apiclient.TokenPair, csrf []byte) *session.Session {
	return &session.Session{
		AccessToken:   pair.AccessToken,
		AccessExpiry:  s.now().Add(time.Duration(pair.ExpiresIn) * time.Second),
		RefreshToken:  pair.RefreshToken,
		RefreshExpiry: pair.RefreshExpiresAt,
		ID:            pair.SessionID.String(),
		Person: session.Person{
			ID: pair.User.ID, Name: pair.User.Name, Email: pair.User.Email,
			Role: string(pair.User.Role), Language: apiclient.LanguageOf(pair.User.Language),
			Permissions: permissionNames(pair.User.Permissions),
		},
		CSRF: csrf,
	}
}

// permissionNames is the api's list of permissions as the session keeps
// it: never nil, so a person the api allows nothing is not taken for a
// session sealed before permissions were kept (see NeedsRefresh).
func permissionNames(perms []apiclient.Permission) []string {
	out := make([]string, len(perms))
	for i, p := range perms {
		out[i] = string(p)
	}
	return out
}

// writeSession seals sess into the session cookie, valid as long as its
// refresh token.
func (s *server) writeSession(c echo.Context, sess *session.Session) {
	sealed, err := s.codec.Seal(cookieSession, sess, sess.RefreshExpiry)
	if err == nil && len(sealed) > maxCookieBytes {
		err = errors.New("sealed session larger than a browser keeps")
	}
	if err != nil {
		// Without the cookie the person is signed out at the next page;
		// say why in the log.
		s.log.Error("write session cookie", zap.Error(err), zap.String("request_id", middleware.RequestIDOf(c)))
		return
	}
	s.setCookie(c, cookieSession, sealed, time.Until(sess.RefreshExpiry))
	if v, ok := c.Get(visitorKey).(*visitor); ok {
		v.sess = sess
	}
}

// setCookie writes one of our cookies. maxAge 0 makes a browser-session
// cookie.
func (s *server) setCookie(c echo.Context, name, value string, maxAge time.Duration) {
	ck := &http.Cookie{
		Name: name, Value: value, Path: "/",
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	}
	if maxAge > 0 {
		ck.MaxAge = int(maxAge / time.Second)
	}
	c.SetCookie(ck)
}

func (s *server) clearCookie(c echo.Context, name string) {
	c.SetCookie(&http.Cookie{
		Name: name, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
}

// crossOrigin refuses unsafe requests that a browser marks as coming from
// another site (Sec-Fetch-Site, else Origin against Host), before anything
// reads the body or refreshes a session for them.
func (s *server) crossOrigin() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := s.sameSite.Check(c.Request()); err != nil {
				return formExpired(err)
			}
			return next(c)
		}
	}
}

// checkCSRF refuses every unsafe request whose _csrf field was not made
// from one of this browser's secrets. A POST from a session that ended
// meanwhile goes to the sign-in page instead: nothing was done, and the
// person can do it again after signing in.
func (s *server) checkCSRF() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isSafe(c.Request().Method) {
				return next(c)
			}
			v := s.visitorOf(c)
			token := c.FormValue(views.CSRFFieldName)
			for _, secret := range v.csrfSecrets() {
				if s.codec.CheckCSRF(secret, token) {
					return next(c)
				}
			}
			if v.lost {
				return s.toLogin(c, true)
			}
			if err := bodyTooLarge(c); err != nil {
				// The form, its token included, could not be read whole.
				return err
			}
			return formExpired(errors.New("csrf token missing or invalid"))
		}
	}
}

// requireSignIn guards a page: nobody signed in goes to the sign-in page,
// which brings them back here afterwards.
func (s *server) requireSignIn(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		v := s.visitorOf(c)
		if v.sess == nil {
			return s.toLogin(c, v.lost)
		}
		return next(c)
	}
}

// SignedIn is the person a handler behind requireSignIn serves.
type SignedIn struct {
	Person session.Person
	// Perms is what the api lets the person do (roles.Set.Can).
	Perms roles.Set
	// SessionID is the api's id of this session (the profile marks it).
	SessionID string
	// Bearer authenticates an api call as this person: pass it to every
	// apiclient method. An api answer 401 on it means the session ended;
	// return that error and handleError sends the person to sign in.
	Bearer apiclient.RequestEditorFn
}

// signedIn returns the person of a page behind requireSignIn. Without a
// session (a route that forgot requireSignIn) Bearer sends no token, the
// api answers 401, and the person is sent to sign in: the mistake fails
// closed.
func (s *server) signedIn(c echo.Context) SignedIn {
	v := s.visitorOf(c)
	if v.sess == nil {
		return SignedIn{Bearer: apiclient.BearerToken("")}
	}
	return SignedIn{
		Person:    v.sess.Person,
		Perms:     roles.Of(v.sess.Person.Permissions),
		SessionID: v.sess.ID,
		Bearer:    apiclient.BearerToken(v.sess.AccessToken),
	}
}

// toLogin sends the visitor to the sign-in page, which returns them to the
// page they asked for. ended says their session ended (they are told so).
func (s *server) toLogin(c echo.Context, ended bool) error {
	v := s.visitorOf(c)
	if ended {
		s.clearCookie(c, cookieSession)
		v.sess = nil
		s.setFlash(c, views.Flash{Kind: views.FlashInfo, Text: i18n.Auth(v.lang).SessionEnded})
	}
	target := "/login"
	if next := here(c); next != "/" {
		target += "?next=" + url.QueryEscape(next)
	}
	return c.Redirect(http.StatusSeeOther, target)
}

// here is the local address of the page the visitor is on: the request's
// own for GET, and for a POST the page the form was on (its Referer, when
// that is ours).
func here(c echo.Context) string {
	r := c.Request()
	if isSafe(r.Method) {
		return safeNext(r.URL.RequestURI())
	}
	ref, err := url.Parse(r.Referer())
	if err != nil || ref.Host != r.Host {
		return "/"
	}
	return safeNext(ref.RequestURI())
}

// safeNext accepts only a path on this site as a place to send a browser
// to, so a link like /login?next=https://evil.example cannot turn the
// sign-in page into an open redirect. Anything else becomes "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || strings.HasPrefix(next, "//") {
		return "/"
	}
	for _, r := range next {
		if r < 0x20 || r == 0x7f || r == '\\' {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return "/"
	}
	if u.Path == "/logout" || strings.HasPrefix(u.Path, "/prefs/") {
		return "/" // POST-only: a GET there is a "not allowed" page
	}
	u.Fragment = ""
	return u.RequestURI()
}
