// Package handlers is the web service's HTTP surface: routes, middleware,
// page handlers and the error pages.
package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
	"github.com/depotix/depotix/services/web/static"
)

// API is what the pages need from the api.
type API interface {
	Readiness(ctx context.Context) (apiclient.Readiness, error)
}

// Options are the dependencies of the handler.
type Options struct {
	API       API
	Assets    *static.Assets
	Log       *zap.Logger
	Version   string
	BodyLimit int64 // largest request body in bytes
}

type server struct {
	api     API
	assets  *static.Assets
	log     *zap.Logger
	version string
}

// New returns the web service's handler with all routes and middleware. It
// is the *echo.Echo itself so tests can add routes (a panicking one, say).
func New(o Options) *echo.Echo {
	s := &server{api: o.API, assets: o.Assets, log: o.Log, version: o.Version}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	// The proxy in front sets X-Forwarded-For; trust it only from private
	// networks, where the proxy runs, so a client cannot forge its address.
	e.IPExtractor = echo.ExtractIPFromXFFHeader()
	e.HTTPErrorHandler = s.handleError

	e.Use(
		middleware.RequestID(),
		middleware.AccessLog(o.Log),
		middleware.Recover(o.Log),
		bodyLimit(o.BodyLimit),
		apiRequestID(),
	)

	getHead(e, "/healthz", s.healthz)
	getHead(e, "/", s.home)
	getHead(e, static.URLPrefix+"*", s.static)
	return e
}

// getHead routes GET and HEAD to h: Echo does not answer HEAD by itself, and
// monitors and link checkers use it.
func getHead(e *echo.Echo, path string, h echo.HandlerFunc) {
	e.Match([]string{http.MethodGet, http.MethodHead}, path, h)
}

// bodyLimit rejects request bodies larger than limit with 413: at once when
// Content-Length says so, otherwise when reading passes the limit.
func bodyLimit(limit int64) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.ContentLength > limit {
				return echo.ErrStatusRequestEntityTooLarge
			}
			r.Body = http.MaxBytesReader(c.Response(), r.Body, limit)
			return next(c)
		}
	}
}

// apiRequestID makes the request id travel with the request's context, so
// every api call made for this request carries it.
func apiRequestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			ctx := apiclient.WithRequestID(r.Context(), middleware.RequestIDOf(c))
			c.SetRequest(r.WithContext(ctx))
			return next(c)
		}
	}
}

func (s *server) healthz(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, struct {
		OK bool `json:"ok"`
	}{OK: true})
}

func (s *server) home(c echo.Context) error {
	readiness, err := s.api.Readiness(c.Request().Context())
	if err != nil {
		// The page still renders and says the api is unreachable; the
		// cause goes to the log, not to the browser.
		s.log.Warn("api readiness failed",
			zap.Error(err),
			zap.String("kind", string(apiclient.KindOf(err))),
			zap.String("request_id", middleware.RequestIDOf(c)))
	}
	p := s.page(c, views.NavHome)
	p.Title = p.Msg.HomeTitle
	return render(c, http.StatusOK, views.Home(p, views.StatusRows(p.Msg, readiness, err)))
}

func (s *server) static(c echo.Context) error {
	if !s.assets.Serve(c.Response(), c.Request(), c.Param("*")) {
		return echo.ErrNotFound
	}
	return nil
}

// page fills the parts of views.Page every page shares.
func (s *server) page(c echo.Context, active string) views.Page {
	lang := i18n.Negotiate(c.Request().Header.Get("Accept-Language"))
	msg := i18n.For(lang)
	return views.Page{
		Lang:    lang,
		Msg:     msg,
		Active:  active,
		Nav:     views.Navigation(msg),
		Version: s.version,
		Asset:   s.assets.Path,
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
	// Pages show live state (and later a signed-in person's data): never
	// keep them in a shared or browser cache.
	h.Set("Cache-Control", "no-store")
	h.Add("Vary", "Accept-Language")
	return c.HTMLBlob(status, buf.Bytes())
}

// handleError answers every error with a styled page in the visitor's
// language. Only the status and the request id reach the browser; the error
// itself is logged by the access log under the same id.
func (s *server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status := statusOf(err)
	p := s.page(c, "")
	p.Title = p.Msg.Error(status).Title
	if rerr := render(c, status, views.ErrorPage(p, status, middleware.RequestIDOf(c))); rerr != nil {
		s.log.Error("render error page", zap.Error(rerr), zap.String("request_id", middleware.RequestIDOf(c)))
		if !c.Response().Committed {
			_ = c.String(status, http.StatusText(status))
		}
	}
}

func statusOf(err error) int {
	var httpErr *echo.HTTPError
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge
	case errors.As(err, &httpErr) && httpErr.Code >= 400 && httpErr.Code <= 599:
		return httpErr.Code
	default:
		return http.StatusInternalServerError
	}
}
