package static

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

func hash8(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])[:8]
}

func testAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := Load(fstest.MapFS{
		"app.css":       {Data: []byte("body{color:red}")},
		"favicon.svg":   {Data: []byte("<svg/>")},
		"fonts/x.woff2": {Data: []byte("font")},
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return a
}

func TestPath(t *testing.T) {
	a := testAssets(t)
	tests := []struct{ name, want string }{
		{"app.css", "/static/app." + hash8("body{color:red}") + ".css"},
		{"favicon.svg", "/static/favicon." + hash8("<svg/>") + ".svg"},
		{"fonts/x.woff2", "/static/fonts/x." + hash8("font") + ".woff2"},
		{"missing.css", "/static/missing.css"},
	}
	for _, tt := range tests {
		if got := a.Path(tt.name); got != tt.want {
			t.Errorf("Path(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
	if diff := cmp.Diff([]string{"app.css", "favicon.svg", "fonts/x.woff2"}, a.Names()); diff != "" {
		t.Errorf("Names (-want +got):\n%s", diff)
	}
}

func TestServe(t *testing.T) {
	a := testAssets(t)
	cssName := "app." + hash8("body{color:red}") + ".css"
	tests := []struct {
		name        string
		method      string
		hashed      string
		ifNoneMatch string
		wantServed  bool
		wantStatus  int
		wantType    string
		wantBody    string
	}{
		{name: "css", method: "GET", hashed: cssName, wantServed: true, wantStatus: 200,
			wantType: "text/css; charset=utf-8", wantBody: "body{color:red}"},
		{name: "svg", method: "GET", hashed: "favicon." + hash8("<svg/>") + ".svg", wantServed: true, wantStatus: 200,
			wantType: "image/svg+xml", wantBody: "<svg/>"},
		{name: "font in a folder", method: "GET", hashed: "fonts/x." + hash8("font") + ".woff2", wantServed: true, wantStatus: 200,
			wantType: "font/woff2", wantBody: "font"},
		{name: "head", method: "HEAD", hashed: cssName, wantServed: true, wantStatus: 200,
			wantType: "text/css; charset=utf-8", wantBody: ""},
		{name: "revalidation", method: "GET", hashed: cssName, ifNoneMatch: `"` + hash8("body{color:red}") + `"`,
			wantServed: true, wantStatus: 304},
		{name: "stale hash", method: "GET", hashed: "app.00000000.css"},
		{name: "logical name", method: "GET", hashed: "app.css"},
		{name: "unknown", method: "GET", hashed: "other.css"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(tt.method, URLPrefix+tt.hashed, nil)
			if tt.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			served := a.Serve(rec, req, tt.hashed)
			if served != tt.wantServed {
				t.Fatalf("Serve = %t, want %t", served, tt.wantServed)
			}
			if !served {
				if rec.Body.Len() != 0 || len(rec.Header()) != 0 {
					t.Errorf("Serve wrote a response for an unknown asset: headers %v body %q", rec.Header(), rec.Body)
				}
				return
			}
			if rec.Code != tt.wantStatus {
				t.Errorf("status = %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := rec.Header().Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
				t.Errorf("Cache-Control = %q", got)
			}
			if tt.wantStatus == http.StatusOK {
				if got := rec.Header().Get("Content-Type"); got != tt.wantType {
					t.Errorf("Content-Type = %q, want %q", got, tt.wantType)
				}
				if got := rec.Body.String(); got != tt.wantBody {
					t.Errorf("body = %q, want %q", got, tt.wantBody)
				}
			}
		})
	}
}

// TestEmbedded checks the real assets: all are there and named by hash.
func TestEmbedded(t *testing.T) {
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if diff := cmp.Diff([]string{"app.css", "app.js", "favicon.svg", "items.js", "movements.js"}, a.Names()); diff != "" {
		t.Errorf("embedded assets (-want +got):\n%s", diff)
	}
	hashed := regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{8}\.(css|js|svg)$`)
	for _, name := range a.Names() {
		if p := a.Path(name); !hashed.MatchString(p) {
			t.Errorf("Path(%q) = %q, not a hashed name", name, p)
		}
	}
}
