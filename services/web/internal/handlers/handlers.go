// Package handlers is the web service's HTTP surface: routes, middleware,
// page handlers and the error pages.
//
// docs/web.md describes the conventions every page group follows: how a
// handler gets the signed-in person and calls the api, how forms post,
// validate and redirect, and how errors become pages.
package handlers

import (
	"errors"
	"io"
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
	// FileLimit is the largest uploaded file in bytes: an upload route
	// takes a body that large plus the form around it (0: BodyLimit).
	FileLimit int64
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
	// bodyLimit bounds every request body but an upload's; fileLimit
	// bounds the file of an upload.
	bodyLimit, fileLimit int64
	// uploads are the routes that take a file (method and route path):
	// their body may be as large as the file plus the form around it, and
	// one larger shows the route's form again saying so.
	uploads map[string]func(echo.Context) error
}

// New returns the web service's handler with all routes and middleware. It
// is the *echo.Echo itself so tests can add routes (a panicking one, say).
func New(o Options) *echo.Echo {
	s := &server{
		api: o.API, assets: o.Assets, log: o.Log, version: o.Version,
		codec: o.Sessions, loc: o.Location, now: o.Now,
		sameSite:  http.NewCrossOriginProtection(),
		bodyLimit: o.BodyLimit, fileLimit: max(o.FileLimit, o.BodyLimit),
		uploads: map[string]func(echo.Context) error{},
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
		s.limitBody(),
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

// multipartOverhead is what an upload's body may carry beyond its file:
// the form's other fields, boundaries and part headers.
const multipartOverhead = 64 << 10

// bodyTooLargeKey names the Echo context value holding the
// *http.MaxBytesError of a body cut off at its limit.
const bodyTooLargeKey = "body_too_large"

// limitBody bounds request bodies: BodyLimit, or for an upload route the
// file limit plus multipartOverhead. A body larger than the general limit
// is 413 at once when Content-Length says so. An upload's, or one that
// passes its limit while being read, is noted (bodyTooLarge), so that the
// CSRF check, which cannot read the form's token from it, answers "too
// large" rather than "form expired"; the too-large page of an upload is its
// form again, which needs the visitor loaded after this.
func (s *server) limitBody() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			limit := s.bodyLimit
			_, upload := s.uploads[r.Method+" "+c.Path()]
			if upload {
				limit = s.fileLimit + multipartOverhead
			}
			if r.ContentLength > limit {
				if !upload {
					return echo.ErrStatusRequestEntityTooLarge
				}
				c.Set(bodyTooLargeKey, &http.MaxBytesError{Limit: limit})
				r.Body = http.NoBody
				return next(c)
			}
			r.Body = &limitedBody{ReadCloser: http.MaxBytesReader(c.Response(), r.Body, limit), c: c}
			return next(c)
		}
	}
}

// limitedBody notes in the request's context that its limit was passed.
type limitedBody struct {
	io.ReadCloser
	c echo.Context
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		b.c.Set(bodyTooLargeKey, tooLarge)
	}
	return n, err
}

// bodyTooLarge returns the error of a body cut off at its limit, nil when
// it was not.
func bodyTooLarge(c echo.Context) error {
	if err, ok := c.Get(bodyTooLargeKey).(*http.MaxBytesError); ok {
		return err
	}
	return nil
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
