// Package httpapi is the api's HTTP layer and its only Echo importer: routes
// (generated from openapi.yaml), middleware, authentication and permissions,
// and the mapping of domain errors to responses.
package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/changes"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/health"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
)

// ReadinessChecker reports whether the api can serve.
type ReadinessChecker interface {
	Check(ctx context.Context) health.Report
}

// Deps is what the HTTP layer needs from the rest of the api.
type Deps struct {
	Log         *zap.Logger
	Readiness   ReadinessChecker
	Auth        *auth.Service
	Idempotency idempotency.Store
	Audit       AuditReader
	Catalogue   *catalogue.Service
	Ledger      *ledger.Service
	Company     *company.Service
	Files       FileReader
	Orders      *orders.Service
	Invoices    *invoices.Service
	Expenses    *expenses.Service
	Version     string
	BodyLimit   int64 // bytes
	// Docs serves /api/docs and /api/redoc; nil leaves them out.
	Docs http.Handler
	// Changes, when set, hears of every write, so the response cache and
	// the session memo know when to forget; nil turns the cache off.
	Changes *changes.Feed
	// CacheBytes bounds the cached bodies (0: no response cache).
	CacheBytes int64
	// ReadConcurrency bounds the reads the cache does not answer that are
	// worked on at once (0: no bound).
	ReadConcurrency int
	// StoreErrors turns the store's failures to reach the database into
	// apperr.CodeUnavailable (postgres.Unavailable), which the error
	// mapper answers with 503 and Retry-After; nil leaves errors as they
	// come (a 500).
	StoreErrors func(error) error
}

// New builds the api's HTTP handler.
func New(d Deps) (*echo.Echo, error) {
	spec, err := oapi.GetSpec()
	if err != nil {
		return nil, fmt.Errorf("load embedded OpenAPI document: %w", err)
	}
	specJSON, err := json.Marshal(spec)
	if err != nil {
		return nil, fmt.Errorf("encode OpenAPI document: %w", err)
	}
	guardOperations, err := guard(spec)
	if err != nil {
		return nil, err
	}

	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = errorHandler(d.Log, d.StoreErrors)
	// The proxy appends the client's address to X-Forwarded-For; trust only
	// hops on loopback and private networks (the compose network), so a
	// client cannot choose the address its sign-in attempts are counted under.
	e.IPExtractor = echo.ExtractIPFromXFFHeader(echo.TrustLoopback(true), echo.TrustPrivateNet(true))

	e.Use(middleware.RequestID())
	e.Use(middleware.AccessLog(d.Log))
	e.Use(middleware.Recover(d.Log))
	e.Use(compressAnswers)
	// One limit for every body but the upload's, which may carry a file.
	fileLimit := int64(files.DefaultMaxSize)
	if d.Company != nil {
		fileLimit = d.Company.MaxFileSize()
	}
	isUpload := func(c echo.Context) bool {
		return c.Path() == logoPath || c.Path() == bankImportPath || c.Path() == receiptPath
	}
	e.Use(echomw.BodyLimitWithConfig(echomw.BodyLimitConfig{Limit: strconv.FormatInt(d.BodyLimit, 10) + "B", Skipper: isUpload}))
	e.Use(echomw.BodyLimitWithConfig(echomw.BodyLimitConfig{Limit: strconv.FormatInt(fileLimit+multipartOverhead, 10) + "B",
		Skipper: func(c echo.Context) bool { return !isUpload(c) }}))
	e.Use(noStore)
	e.Use(checkText)
	e.Use(authenticate(d.Auth))
	if d.Changes != nil {
		e.Use(announceWrites(d.Changes))
		if d.CacheBytes > 0 {
			e.Use(newResponseCache(spec, d.Changes, d.CacheBytes).middleware)
		}
	}
	if d.ReadConcurrency > 0 {
		e.Use(limitReads(d.ReadConcurrency))
	}
	e.Use(guardOperations)
	if d.Idempotency != nil {
		e.Use(idempotent(d.Idempotency, d.Log))
	}

	srv := &server{
		checker:   d.Readiness,
		auth:      d.Auth,
		audit:     d.Audit,
		catalogue: d.Catalogue,
		ledger:    d.Ledger,
		company:   d.Company,
		files:     d.Files,
		orders:    d.Orders,
		invoices:  d.Invoices,
		expenses:  d.Expenses,
		version:   d.Version,
		specJSON:  specJSON,
	}
	oapi.RegisterHandlers(e, oapi.NewStrictHandler(srv, nil))
	if d.Docs != nil {
		docs := echo.WrapHandler(d.Docs)
		for _, path := range docsRoutes {
			e.Any(path, docs)
		}
	}
	return e, nil
}

// docsRoutes serve the API documentation pages; they are not operations of
// the document they display.
var docsRoutes = []string{"/api/docs", "/api/docs/*", "/api/redoc", "/api/redoc/*"}

// server implements the operations of the OpenAPI document.
type server struct {
	checker   ReadinessChecker
	auth      *auth.Service
	audit     AuditReader
	catalogue *catalogue.Service
	ledger    *ledger.Service
	company   *company.Service
	files     FileReader
	orders    *orders.Service
	invoices  *invoices.Service
	expenses  *expenses.Service
	version   string
	specJSON  []byte
}

var _ oapi.StrictServerInterface = (*server)(nil)

// noStore keeps API answers (personal data, stock levels) out of browser and
// proxy caches; handlers that serve cacheable assets set their own header.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderCacheControl, "no-store")
		return next(c)
	}
}
