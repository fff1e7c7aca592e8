package handlers

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// page fills the parts of views.Page every page shares. active is the
// navigation ID of the page ("" for none). It takes the flash message, so
// call it once per rendered page.
func (s *server) page(c echo.Context, active string) views.Page {
	v := s.visitorOf(c)
	msg := i18n.For(v.lang)
	var person *views.Person
	var perms roles.Set
	if v.sess != nil {
		perms = roles.Of(v.sess.Person.Permissions)
		person = &views.Person{Name: v.sess.Person.Name, Email: v.sess.Person.Email, Role: v.sess.Person.Role, Perms: perms}
	}
	var csrf []byte
	if secrets := v.csrfSecrets(); len(secrets) > 0 {
		csrf = secrets[0]
	}
	return views.Page{
		Lang:    v.lang,
		Msg:     msg,
		Active:  active,
		Nav:     views.Navigation(msg, perms),
		Version: s.version,
		Asset:   s.assets.Path,
		Person:  person,
		Theme:   v.theme,
		CSRF:    s.codec.CSRFToken(csrf),
		Here:    here(c),
		Flash:   s.takeFlash(c),
		Fmt:     format.New(v.lang, s.loc, s.now()),
	}
}

// render writes a page. It renders into a buffer first, so a failing
// component becomes a clean error page instead of half a page.
func render(c echo.Context, status int, component templ.Component) error {
	var buf bytes.Buffer
	if err := component.Render(c.Request().Context(), &buf); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	h := c.Response().Header()
	// Pages show live state and a signed-in person's data: never keep them
	// in a shared or browser cache.
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Language, Cookie")
	return c.HTMLBlob(status, buf.Bytes())
}

// redirectWithFlash ends a successful POST: the message is shown once on
// the page at target (POST-redirect-GET, so a reload does not post again).
func (s *server) redirectWithFlash(c echo.Context, target string, f views.Flash) error {
	s.setFlash(c, f)
	return c.Redirect(http.StatusSeeOther, target)
}

// setFlash leaves f for the next page in a short-lived sealed cookie: it
// may carry a secret (a new API token), and a forged "saved" must not be
// possible.
func (s *server) setFlash(c echo.Context, f views.Flash) {
	sealed, err := s.codec.Seal(cookieFlash, f, s.now().Add(flashLifetime))
	if err != nil {
		s.log.Error("seal flash", zap.Error(err), zap.String("request_id", middleware.RequestIDOf(c)))
		return
	}
	s.setCookie(c, cookieFlash, sealed, flashLifetime)
}

// takeFlash returns the waiting flash, if any, and deletes it so it is
// shown once.
func (s *server) takeFlash(c echo.Context) *views.Flash {
	v := s.visitorOf(c)
	if v.flashTaken {
		return v.flash
	}
	v.flashTaken = true
	ck, err := c.Cookie(cookieFlash)
	if err != nil || ck.Value == "" {
		return nil
	}
	s.clearCookie(c, cookieFlash)
	var f views.Flash
	if err := s.codec.Open(cookieFlash, ck.Value, &f); err != nil {
		return nil
	}
	v.flash = &f
	return v.flash
}

// pageError is an error a handler or middleware returns to show a specific
// error page.
type pageError struct {
	status int
	text   func(*i18n.Messages) i18n.ErrorText
	cause  error
}

func (e *pageError) Error() string { return fmt.Sprintf("%d: %v", e.status, e.cause) }
func (e *pageError) Unwrap() error { return e.cause }

// formExpired is the answer to a POST without a valid CSRF token or from
// another site: 403, "reload and try again".
func formExpired(cause error) error {
	return &pageError{status: http.StatusForbidden, cause: cause,
		text: func(m *i18n.Messages) i18n.ErrorText { return m.FormExpired }}
}

// handleError answers every error with a styled page in the visitor's
// language. Only the status and the request id reach the browser; the error
// itself is logged by the access log under the same id. Errors from api
// calls are mapped here, so a handler simply returns them:
//
//	401 → the sign-in page (and back here afterwards)
//	403 → "not permitted"; 404 → "not found"; 409, 412 → "changed meanwhile"
//	429 → "too many attempts"; 400, 422 → "request not understood"
//	the api down, too slow, failing or answering nonsense → 503 "not available"
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, text := http.StatusInternalServerError, (func(*i18n.Messages) i18n.ErrorText)(nil)
	var pe *pageError
	var httpErr *echo.HTTPError
	var tooLarge *http.MaxBytesError
	var callErr *apiclient.CallError
	switch {
	case errors.As(err, &pe):
		status, text = pe.status, pe.text
	case errors.As(err, &tooLarge):
		status = http.StatusRequestEntityTooLarge
		// An upload's form again, saying how large a file may be; it only
		// shows a page, as its GET does, so it needs no CSRF token.
		if page, ok := s.uploads[c.Request().Method+" "+c.Path()]; ok {
			perr := page(c)
			if perr == nil {
				return
			}
			s.log.Warn("render the upload's too-large page", zap.Error(perr), zap.String("request_id", middleware.RequestIDOf(c)))
		}
	case errors.As(err, &httpErr) && httpErr.Code >= 400 && httpErr.Code <= 599:
		status = httpErr.Code
	case errors.As(err, &callErr):
		var redirected bool
		status, redirected = s.apiErrorStatus(c, callErr)
		if redirected {
			return
		}
	}
	p := s.page(c, "")
	if text == nil {
		text = func(m *i18n.Messages) i18n.ErrorText { return m.Error(status) }
	}
	p.Title = text(p.Msg).Title
	if rerr := render(c, status, views.ErrorPage(p, status, text(p.Msg), middleware.RequestIDOf(c))); rerr != nil {
		s.log.Error("render error page", zap.Error(rerr), zap.String("request_id", middleware.RequestIDOf(c)))
		if !c.Response().Committed {
			_ = c.String(status, http.StatusText(status))
		}
	}
}

// apiErrorStatus maps a failed api call to the status of the page shown
// for it. A 401 is not a page: the session ended, and the visitor is sent
// to sign in (redirected reports that).
func (s *server) apiErrorStatus(c echo.Context, e *apiclient.CallError) (status int, redirected bool) {
	switch {
	case e.Status == http.StatusUnauthorized:
		if err := s.toLogin(c, true); err != nil {
			s.log.Error("redirect to sign-in", zap.Error(err))
		}
		return 0, true
	case e.Status == http.StatusForbidden, e.Status == http.StatusNotFound:
		return e.Status, false
	case e.Status == http.StatusConflict, e.Status == http.StatusPreconditionFailed:
		return http.StatusConflict, false
	case e.Status == http.StatusTooManyRequests:
		var apiErr *apiclient.APIError
		if errors.As(e, &apiErr) && apiErr.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", strconv.Itoa(apiErr.RetryAfter))
		}
		return http.StatusTooManyRequests, false
	case e.Status == http.StatusBadRequest, e.Status == http.StatusUnprocessableEntity:
		return http.StatusBadRequest, false
	default:
		// No answer, a 5xx, or an answer that breaks the contract: to the
		// visitor the api is unavailable. The access log has the cause.
		return http.StatusServiceUnavailable, false
	}
}

// lang is the language of the page being made for this request.
func (s *server) lang(c echo.Context) i18n.Lang { return s.visitorOf(c).lang }
