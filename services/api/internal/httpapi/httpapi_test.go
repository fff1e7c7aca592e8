package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/health"
)

type fixedChecker health.Report

func (f fixedChecker) Check(context.Context) health.Report { return health.Report(f) }

func newTestAPI(t *testing.T, r health.Report) (*echo.Echo, *observer.ObservedLogs) {
	t.Helper()
	core, logs := observer.New(zap.InfoLevel)
	e, err := New(Deps{Log: zap.New(core), Readiness: fixedChecker(r), Version: "v1.2.3", BodyLimit: 1024})
	if err != nil {
		t.Fatal(err)
	}
	return e, logs
}

func do(e *echo.Echo, method, path string, body string, header http.Header) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	return rec
}

func decodeError(t *testing.T, rec *httptest.ResponseRecorder) ErrorDetail {
	t.Helper()
	var body ErrorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body is not the error envelope: %v\n%s", err, rec.Body)
	}
	if body.Error.RequestID == "" || body.Error.RequestID != rec.Header().Get(echo.HeaderXRequestID) {
		t.Errorf("envelope request_id %q, header %q", body.Error.RequestID, rec.Header().Get(echo.HeaderXRequestID))
	}
	return body.Error
}

func TestLiveness(t *testing.T) {
	e, _ := newTestAPI(t, health.Report{Database: health.DatabaseUnreachable})
	rec := do(e, http.MethodGet, "/healthz", "", nil)
	if rec.Code != http.StatusOK || strings.TrimSpace(rec.Body.String()) != `{"ok":true}` {
		t.Fatalf("healthz = %d %s; liveness must not depend on the database", rec.Code, rec.Body)
	}
}

// readinessDoc mirrors the /readyz document independently of the generated types.
type readinessDoc struct {
	OK                    bool   `json:"ok"`
	Database              string `json:"database"`
	SchemaVersion         uint   `json:"schema_version"`
	ExpectedSchemaVersion uint   `json:"expected_schema_version"`
	Reason                string `json:"reason,omitempty"`
	Version               string `json:"version"`
}

func TestReadiness(t *testing.T) {
	ready := health.Report{OK: true, Database: health.DatabaseReady, SchemaVersion: 1, ExpectedVersion: 1}
	down := health.Report{Database: health.DatabaseUnreachable, ExpectedVersion: 1, Reason: "database does not answer: refused"}
	tests := []struct {
		path   string
		report health.Report
		status int
		want   readinessDoc
	}{
		{"/readyz", ready, 200, readinessDoc{OK: true, Database: "ready", SchemaVersion: 1, ExpectedSchemaVersion: 1, Version: "v1.2.3"}},
		{"/api/health", ready, 200, readinessDoc{OK: true, Database: "ready", SchemaVersion: 1, ExpectedSchemaVersion: 1, Version: "v1.2.3"}},
		{"/readyz", down, 503, readinessDoc{Database: "unreachable", ExpectedSchemaVersion: 1, Reason: "database does not answer: refused", Version: "v1.2.3"}},
	}
	for _, tt := range tests {
		e, _ := newTestAPI(t, tt.report)
		rec := do(e, http.MethodGet, tt.path, "", nil)
		if rec.Code != tt.status {
			t.Errorf("%s: status %d, want %d", tt.path, rec.Code, tt.status)
		}
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", tt.path, cc)
		}
		var got readinessDoc
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.path, diff)
		}
	}
}

func TestErrorsUseTheEnvelope(t *testing.T) {
	e, _ := newTestAPI(t, health.Report{OK: true})
	e.GET("/api/v1/boom", func(echo.Context) error { panic("secret internal detail") })
	e.GET("/api/v1/gone", func(echo.Context) error { return apperr.New(apperr.CodeNotFound, "Item 7 does not exist.") })
	e.POST("/api/v1/things", func(c echo.Context) error {
		var v map[string]any
		if err := c.Bind(&v); err != nil {
			return err
		}
		return apperr.Validation("Check the marked fields.", apperr.Problems{"sku": apperr.Required()})
	})

	tests := []struct {
		name    string
		method  string
		path    string
		body    string
		status  int
		code    apperr.Code
		message string
		fields  apperr.Problems
	}{
		{"unknown route", "GET", "/api/v1/nothing-here", "", 404, apperr.CodeNotFound, "No such resource.", nil},
		{"wrong method", "DELETE", "/healthz", "", 405, apperr.CodeMethodNotAllow, "This method is not allowed on this resource.", nil},
		{"domain not found", "GET", "/api/v1/gone", "", 404, apperr.CodeNotFound, "Item 7 does not exist.", nil},
		{"validation with fields", "POST", "/api/v1/things", `{"sku":""}`, 422, apperr.CodeValidation, "Check the marked fields.", apperr.Problems{"sku": apperr.Required()}},
		{"body over the limit", "POST", "/api/v1/things", strings.Repeat("x", 2048), 413, apperr.CodePayloadTooLarge, "The request body is too large.", nil},
		{"panic", "GET", "/api/v1/boom", "", 500, apperr.CodeInternal, "Something went wrong on our side. Quote the request id when reporting it.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(e, tt.method, tt.path, tt.body, http.Header{"Content-Type": {"application/json"}})
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if strings.Contains(rec.Body.String(), "secret internal detail") {
				t.Fatal("response leaks the panic message")
			}
			got := decodeError(t, rec)
			if got.Code != tt.code || got.Message != tt.message || !cmp.Equal(got.Fields, tt.fields) {
				t.Errorf("got %+v", got)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	e, logs := newTestAPI(t, health.Report{OK: true})

	rec := do(e, "GET", "/healthz", "", http.Header{"X-Request-Id": {"abc-123.x_Y"}})
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123.x_Y" {
		t.Errorf("well-formed id not passed through: %q", got)
	}
	rec = do(e, "GET", "/healthz", "", http.Header{"X-Request-Id": {"evil\nid with spaces"}})
	if got := rec.Header().Get("X-Request-ID"); len(got) != 32 || strings.ContainsAny(got, " \n") {
		t.Errorf("malformed id not replaced: %q", got)
	}
	a := do(e, "GET", "/healthz", "", nil).Header().Get("X-Request-ID")
	b := do(e, "GET", "/healthz", "", nil).Header().Get("X-Request-ID")
	if a == "" || a == b {
		t.Errorf("generated ids %q and %q", a, b)
	}

	// One access-log line per request, carrying the id.
	lines := logs.FilterMessage("request").All()
	if len(lines) != 4 {
		t.Fatalf("%d access-log lines for 4 requests", len(lines))
	}
	if got := lines[0].ContextMap()["request_id"]; got != "abc-123.x_Y" {
		t.Errorf("access log request_id %v", got)
	}
}
