package apiclient

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestReadiness(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		want     Readiness
		wantKind Kind // "" for success
	}{
		{
			name:   "ready",
			status: http.StatusOK,
			body:   `{"ok":true,"database":"ready","schema_version":3,"expected_schema_version":3,"version":"1.2.0"}`,
			want:   Readiness{OK: true, Database: "ready", SchemaVersion: 3, ExpectedSchemaVersion: 3, Version: "1.2.0"},
		},
		{
			name:   "503 carries the document",
			status: http.StatusServiceUnavailable,
			body:   `{"ok":false,"database":"unreachable","schema_version":0,"expected_schema_version":3,"reason":"connection refused","version":"1.2.0"}`,
			want: Readiness{OK: false, Database: "unreachable", SchemaVersion: 0, ExpectedSchemaVersion: 3,
				Reason: "connection refused", Version: "1.2.0"},
		},
		{
			name:   "schema outdated",
			status: http.StatusServiceUnavailable,
			body:   `{"ok":false,"database":"schema_outdated","schema_version":2,"expected_schema_version":3,"reason":"run api migrate up","version":"1.2.0"}`,
			want: Readiness{OK: false, Database: "schema_outdated", SchemaVersion: 2, ExpectedSchemaVersion: 3,
				Reason: "run api migrate up", Version: "1.2.0"},
		},
		{
			name:   "unknown fields are ignored",
			status: http.StatusOK,
			body:   `{"ok":true,"database":"ready","schema_version":1,"expected_schema_version":1,"version":"x","uptime":"3h"}`,
			want:   Readiness{OK: true, Database: "ready", SchemaVersion: 1, ExpectedSchemaVersion: 1, Version: "x"},
		},
		{name: "garbage", status: http.StatusOK, body: `<html>proxy error</html>`, wantKind: KindInvalid},
		{name: "empty body", status: http.StatusOK, body: ``, wantKind: KindInvalid},
		{name: "trailing data", status: http.StatusOK, body: `{"ok":true,"database":"ready"} {}`, wantKind: KindInvalid},
		{name: "not the document", status: http.StatusOK, body: `{"hello":"world"}`, wantKind: KindInvalid},
		{name: "wrong type", status: http.StatusOK, body: `{"ok":"yes","database":"ready"}`, wantKind: KindInvalid},
		{name: "200 but not ok", status: http.StatusOK, body: `{"ok":false,"database":"ready"}`, wantKind: KindInvalid},
		{name: "503 but ok", status: http.StatusServiceUnavailable, body: `{"ok":true,"database":"ready"}`, wantKind: KindInvalid},
		{name: "500 with error envelope", status: http.StatusInternalServerError,
			body: `{"error":{"code":"internal","message":"boom","request_id":"r"}}`, wantKind: KindStatus},
		{name: "404", status: http.StatusNotFound, body: `{}`, wantKind: KindStatus},
		{name: "too large", status: http.StatusOK, body: `{"ok":true,"database":"ready","version":"` + strings.Repeat("x", maxBody) + `"}`,
			wantKind: KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/readyz" {
					t.Errorf("request %s %s, want GET /readyz", r.Method, r.URL.Path)
				}
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}))
			defer api.Close()

			got, err := New(api.URL, 2*time.Second).Readiness(context.Background())
			if tt.wantKind != "" {
				if err == nil {
					t.Fatalf("Readiness = %+v, want an error of kind %s", got, tt.wantKind)
				}
				if k := KindOf(err); k != tt.wantKind {
					t.Errorf("KindOf(%v) = %s, want %s", err, k, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("Readiness: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Readiness (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessTimeoutIsQuick(t *testing.T) {
	release := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer api.Close()
	defer close(release)

	const timeout = 200 * time.Millisecond
	start := time.Now()
	_, err := New(api.URL, timeout).Readiness(context.Background())
	elapsed := time.Since(start)
	if k := KindOf(err); k != KindTimeout {
		t.Fatalf("KindOf(%v) = %s, want %s", err, k, KindTimeout)
	}
	// Generous bound: the point is that the client does not wait for the
	// server, which would never answer.
	if elapsed > 10*timeout {
		t.Errorf("Readiness returned after %s with a timeout of %s", elapsed, timeout)
	}
}

func TestReadinessHonoursContext(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer api.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := New(api.URL, time.Minute).Readiness(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || KindOf(err) != KindTimeout {
		t.Fatalf("Readiness error = %v (kind %s), want the context's deadline as %s", err, KindOf(err), KindTimeout)
	}
}

func TestReadinessRefused(t *testing.T) {
	// Take a free port and release it, so nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	_, err = New("http://"+addr, time.Second).Readiness(context.Background())
	if k := KindOf(err); k != KindRefused {
		t.Fatalf("KindOf(%v) = %s, want %s", err, k, KindRefused)
	}
	var e *Error
	if !errors.As(err, &e) || e.Op != "GET /readyz" {
		t.Errorf("error %v does not name the operation", err)
	}
}

func TestRequestIDAndBasePath(t *testing.T) {
	var gotID, gotPath, gotAccept string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotID = r.Header.Get("X-Request-ID")
		gotPath = r.URL.Path
		gotAccept = r.Header.Get("Accept")
		_, _ = w.Write([]byte(`{"ok":true,"database":"ready"}`))
	}))
	defer api.Close()

	ctx := WithRequestID(context.Background(), "req-123")
	if _, err := New(api.URL+"/prefix/", time.Second).Readiness(ctx); err != nil {
		t.Fatalf("Readiness: %v", err)
	}
	got := []string{gotID, gotPath, gotAccept}
	want := []string{"req-123", "/prefix/readyz", "application/json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request id, path, accept (-want +got):\n%s", diff)
	}

	// Without an id in the context no header is sent.
	if _, err := New(api.URL, time.Second).Readiness(context.Background()); err != nil {
		t.Fatalf("Readiness: %v", err)
	}
	if gotID != "" {
		t.Errorf("X-Request-ID = %q without an id in the context, want none", gotID)
	}
}

func TestKindOfForeignError(t *testing.T) {
	if k := KindOf(errors.New("other")); k != KindUnknown {
		t.Errorf("KindOf(foreign error) = %s, want %s", k, KindUnknown)
	}
}
