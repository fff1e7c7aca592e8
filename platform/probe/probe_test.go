package probe

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	healthy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			w.WriteHeader(http.StatusNotFound)
		}
	}))
	defer healthy.Close()
	sick := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	defer sick.Close()
	port := func(s *httptest.Server) string { return s.URL[strings.LastIndex(s.URL, ":"):] }

	ctx := context.Background()
	if err := Healthz(ctx, port(healthy), "/healthz"); err != nil {
		t.Errorf("healthy server on :port: %v", err)
	}
	if err := Healthz(ctx, "0.0.0.0"+port(healthy), "/healthz"); err != nil {
		t.Errorf("healthy server on 0.0.0.0: %v", err)
	}
	if err := Healthz(ctx, port(sick), "/healthz"); err == nil {
		t.Error("503 accepted as healthy")
	}
	sick.Close()
	if err := Healthz(ctx, port(sick), "/healthz"); err == nil {
		t.Error("closed server accepted as healthy")
	}
	if err := Healthz(ctx, "no-port", "/healthz"); err == nil {
		t.Error("malformed address accepted")
	}
}
