// Package httpapi is the api's HTTP layer and its only Echo importer: routes,
// middleware, and the mapping of domain errors to responses.
package httpapi

import (
	"context"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/health"
)

// ReadinessChecker reports whether the api can serve.
type ReadinessChecker interface {
	Check(ctx context.Context) health.Report
}

// Deps is what the HTTP layer needs from the rest of the api.
type Deps struct {
	Log       *zap.Logger
	Readiness ReadinessChecker
	Version   string
	BodyLimit int64 // bytes
}

// New builds the api's HTTP handler.
func New(d Deps) *echo.Echo {
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(d.Log)

	e.Use(middleware.RequestID())
	e.Use(middleware.AccessLog(d.Log))
	e.Use(middleware.Recover(d.Log))
	e.Use(echomw.BodyLimit(strconv.FormatInt(d.BodyLimit, 10) + "B"))

	h := handlers{checker: d.Readiness, version: d.Version}
	e.GET("/healthz", h.liveness)
	e.GET("/readyz", h.readiness)
	e.GET("/api/health", h.readiness)
	return e
}

type handlers struct {
	checker ReadinessChecker
	version string
}

// Liveness answers as long as the process serves HTTP; it never touches the
// database, so a database outage does not get the api restarted.
func (h handlers) liveness(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(http.StatusOK, map[string]bool{"ok": true})
}

// Readiness is the document /readyz answers with, in both 200 and 503.
type Readiness struct {
	OK                    bool   `json:"ok"`
	Database              string `json:"database"`
	SchemaVersion         uint   `json:"schema_version"`
	ExpectedSchemaVersion uint   `json:"expected_schema_version"`
	Reason                string `json:"reason,omitempty"`
	Version               string `json:"version"`
}

func (h handlers) readiness(c echo.Context) error {
	r := h.checker.Check(c.Request().Context())
	status := http.StatusOK
	if !r.OK {
		status = http.StatusServiceUnavailable
	}
	c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
	return c.JSON(status, Readiness{
		OK:                    r.OK,
		Database:              r.Database,
		SchemaVersion:         r.SchemaVersion,
		ExpectedSchemaVersion: r.ExpectedVersion,
		Reason:                r.Reason,
		Version:               h.version,
	})
}
