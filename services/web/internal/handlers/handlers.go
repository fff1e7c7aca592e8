// Package handlers is the web service's HTTP surface: routes, middleware,
// page handlers and the error pages.
//
// docs/web.md describes the conventions every page group follows: how a
// handler gets the signed-in person and calls the api, how forms post,
// validate and redirect, and how errors become pages.
package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/session"
	"github.com/depotix/depotix/services/web/static"
)

// Options are the dependencies of the handler.
type Options struct {
	API       *apiclient.Client
	Assets    *static.Assets
	Log       *zap.Logger
	Version   string
	BodyLimit int64 // largest request body in bytes
	// Sessions seals the cookies and makes the CSRF tokens.
	Sessions *session.Codec
	// Location is the organisation's time zone for dates on pages.
	Location *time.Location
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

type server struct {
	api      *apiclient.Client
	assets   *static.Assets
	log      *zap.Logger
	version  string
	codec    *session.Codec
	loc      *time.Location
	now      func() time.Time
	sameSite *http.CrossOriginProtection
}

// New returns the web service's handler with all routes and middleware. It
// is the *echo.Echo itself so tests can add routes (a panicking one, say).
func New(o Options) *echo.Echo {
	s := &server{
		api: o.API, assets: o.Assets, log: o.Log, version: o.Version,
		codec: o.Sessions, loc: o.Location, now: o.Now,
		sameSite: http.NewCrossOriginProtection(),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}

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
		apiContext(),
		s.crossOrigin(),
		s.loadVisitor(),
		s.checkCSRF(),
	)
	s.routes(e)
	return e
}

// getHead routes GET and HEAD to h: Echo does not answer HEAD by itself, and
// monitors and link checkers use it.
func getHead(e *echo.Echo, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	e.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
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

// apiContext makes the request id and the browser's address and
// User-Agent travel with the request's context, so every api call made for
// this request carries them.
func apiContext() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			ctx := apiclient.WithRequestID(r.Context(), middleware.RequestIDOf(c))
			ctx = apiclient.WithClient(ctx, c.RealIP(), r.UserAgent())
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

func (s *server) static(c echo.Context) error {
	if !s.assets.Serve(c.Response(), c.Request(), c.Param("*")) {
		return echo.ErrNotFound
	}
	return nil
}
