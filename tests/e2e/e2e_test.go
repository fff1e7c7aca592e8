package e2e

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/platform/nativestack"
)

type readiness struct {
	OK       bool   `json:"ok"`
	Database string `json:"database"`
	Reason   string `json:"reason"`
}

type envelope struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

func decode[T any](t *testing.T, body string) T {
	t.Helper()
	var v T
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("not the expected JSON: %v\n%s", err, body)
	}
	return v
}

func TestNativeStack(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts the whole stack")
	}
	s := StartStack(t)

	t.Run("status page over HTTPS shows the database ready", func(t *testing.T) {
		resp, body := s.Get(t, s.URL("/status"))
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("GET /status = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if !strings.Contains(body, "database: ready") {
			t.Fatalf("status page does not say database: ready:\n%s", body)
		}
	})

	t.Run("routing", func(t *testing.T) {
		resp, body := s.Get(t, s.URL("/api/health"))
		if r := decode[readiness](t, body); resp.StatusCode != 200 || !r.OK || r.Database != "ready" {
			t.Errorf("/api/health = %d %s", resp.StatusCode, body)
		}
		for _, path := range []string{"/readyz", "/healthz"} {
			if resp, body := s.Get(t, s.URL(path)); resp.StatusCode != 200 || !strings.Contains(body, `"ok":true`) {
				t.Errorf("%s = %d %s", path, resp.StatusCode, body)
			}
		}
		// An unknown api path is answered by the api (JSON envelope), an
		// unknown page by web (HTML).
		resp, body = s.Get(t, s.URL("/api/v1/no-such-thing"))
		if e := decode[envelope](t, body); resp.StatusCode != 404 || e.Error.Code != "not_found" {
			t.Errorf("/api/v1/no-such-thing = %d %s", resp.StatusCode, body)
		}
		// The API documentation pages bring their own, looser CSP (inline styles
		// for ReDoc), which the proxy keeps; the contract itself is JSON.
		for _, path := range []string{"/api/docs", "/api/redoc"} {
			resp, body := s.Get(t, s.URL(path))
			if resp.StatusCode != 200 || !strings.Contains(body, "/api/openapi.json") && !strings.Contains(body, "assets/") {
				t.Errorf("%s = %d", path, resp.StatusCode)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("%s: CSP %q is not the page's own", path, csp)
			}
		}
		if resp, body := s.Get(t, s.URL("/api/openapi.json")); resp.StatusCode != 200 || !strings.Contains(body, `"openapi":"3.0.3"`) {
			t.Errorf("/api/openapi.json = %d", resp.StatusCode)
		}
		resp, body = s.Get(t, s.URL("/no-such-page"))
		if resp.StatusCode != 404 || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || strings.Contains(body, `"error"`) {
			t.Errorf("/no-such-page = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	})

	t.Run("http redirects to https keeping the port", func(t *testing.T) {
		resp, _ := s.Get(t, fmt.Sprintf("http://localhost:%d/items?q=cola", s.HTTPPort))
		want := fmt.Sprintf("https://localhost:%d/items?q=cola", s.HTTPSPort)
		if resp.StatusCode < 300 || resp.StatusCode > 399 || resp.Header.Get("Location") != want {
			t.Errorf("redirect = %d %q, want %q", resp.StatusCode, resp.Header.Get("Location"), want)
		}
	})

	t.Run("www redirects to the apex", func(t *testing.T) {
		url := fmt.Sprintf("https://www.localhost:%d/x?y=1", s.HTTPSPort)
		s.WaitForCertificate(t, url)
		resp, _ := s.Get(t, url)
		loc := resp.Header.Get("Location")
		if resp.StatusCode != http.StatusPermanentRedirect && resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(loc, "https://localhost") || !strings.HasSuffix(loc, "/x?y=1") {
			t.Errorf("www redirect = %d %q", resp.StatusCode, loc)
		}
	})

	t.Run("security headers", func(t *testing.T) {
		for _, path := range []string{"/", "/api/health"} {
			resp, _ := s.Get(t, s.URL(path))
			h := resp.Header
			checks := map[string]string{
				"Strict-Transport-Security": "max-age=31536000; includeSubDomains",
				"X-Content-Type-Options":    "nosniff",
				"Referrer-Policy":           "strict-origin-when-cross-origin",
				"X-Frame-Options":           "DENY",
				"Content-Security-Policy":   "frame-ancestors 'none'",
			}
			for name, want := range checks {
				if !strings.Contains(h.Get(name), want) {
					t.Errorf("%s: %s = %q, want it to contain %q", path, name, h.Get(name), want)
				}
			}
			if !strings.Contains(h.Get("Content-Security-Policy"), "script-src 'self'") {
				t.Errorf("%s: CSP does not restrict scripts: %q", path, h.Get("Content-Security-Policy"))
			}
			if v := h.Get("Server"); v != "" {
				t.Errorf("%s: Server header %q leaks", path, v)
			}
		}
	})

	t.Run("compression", func(t *testing.T) {
		resp, body := s.Get(t, s.URL("/status"), "Accept-Encoding", "gzip")
		if resp.Header.Get("Content-Encoding") != "gzip" {
			t.Fatalf("Content-Encoding = %q for gzip", resp.Header.Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil || !bytes.Contains(plain, []byte("database: ready")) {
			t.Errorf("gzip body does not decode to the page: %v", err)
		}
		if resp, _ := s.Get(t, s.URL("/status"), "Accept-Encoding", "zstd"); resp.Header.Get("Content-Encoding") != "zstd" {
			t.Errorf("Content-Encoding = %q for zstd", resp.Header.Get("Content-Encoding"))
		}
	})

	t.Run("request ids", func(t *testing.T) {
		for _, path := range []string{"/", "/api/health"} {
			resp, _ := s.Get(t, s.URL(path))
			if id := resp.Header.Get("X-Request-ID"); len(id) < 16 {
				t.Errorf("%s: X-Request-ID %q", path, id)
			}
			resp, _ = s.Get(t, s.URL(path), "X-Request-ID", "e2e-trace-42")
			if id := resp.Header.Get("X-Request-ID"); id != "e2e-trace-42" {
				t.Errorf("%s: X-Request-ID %q, want the caller's", path, id)
			}
		}
		// The api logs the id the proxy forwarded.
		s.Get(t, s.URL("/api/health"), "X-Request-ID", "e2e-logged-7")
		waitFor(t, time.Minute, func() bool {
			b, _ := os.ReadFile(filepath.Join(s.DataDir, "logs", "api.log"))
			return bytes.Contains(b, []byte(`"request_id":"e2e-logged-7"`))
		}, "api access log line with the forwarded request id")
	})

	t.Run("body over the api limit is 413 in the envelope", func(t *testing.T) {
		big := bytes.Repeat([]byte("x"), 2<<20) // api limit 1M, proxy limit higher
		resp, body := s.Do(t, http.MethodPost, s.URL("/api/v1/anything"), bytes.NewReader(big), "Content-Type", "application/json")
		if e := decode[envelope](t, body); resp.StatusCode != 413 || e.Error.Code != "payload_too_large" || e.Error.RequestID == "" {
			t.Errorf("POST 2 MiB = %d %s", resp.StatusCode, body)
		}
	})

	t.Run("the API guide's examples work", func(t *testing.T) {
		script := guideScript(t, filepath.Join(s.Root, "docs", "api.md"))
		cmd := exec.Command("bash", "-euo", "pipefail", "-c", script)
		cmd.Env = append(os.Environ(), "DEPOTIX="+s.URL(""), "CURL_CA_BUNDLE="+s.RootCertPath(),
			"ADMIN_EMAIL="+s.AdminEmail, "ADMIN_PASSWORD="+s.AdminPassword)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("docs/api.md examples failed: %v\n%s", err, out)
		}
	})

	t.Run("readyz follows the database", func(t *testing.T) {
		s.PG(t, "stop")
		waitFor(t, time.Minute, func() bool {
			resp, body := s.Get(t, s.URL("/readyz"))
			return resp.StatusCode == 503 && decode[readiness](t, body).Database == "unreachable"
		}, "/readyz 503 with the database stopped")
		_, body := s.Get(t, s.URL("/readyz"))
		if r := decode[readiness](t, body); r.OK || r.Reason == "" {
			t.Errorf("503 without a reason: %s", body)
		}
		if resp, _ := s.Get(t, s.URL("/healthz")); resp.StatusCode != 200 {
			t.Errorf("liveness failed with the database down: %d", resp.StatusCode)
		}
		if _, page := s.Get(t, s.URL("/status")); !strings.Contains(page, "database: unreachable") {
			t.Errorf("status page does not show the database down")
		}

		s.PG(t, "start")
		waitFor(t, time.Minute, func() bool {
			resp, _ := s.Get(t, s.URL("/readyz"))
			return resp.StatusCode == 200
		}, "/readyz 200 after the database is back")
	})

	t.Run("data survives a restart", func(t *testing.T) {
		psql(t, s, "UPDATE organisation SET name = 'Getränke Muster AG'")
		s.Stop(t)
		if out := s.Output(); !strings.Contains(out, "Stopped.") {
			t.Errorf("no clean stop message:\n%s", out)
		}
		s.Restart(t)
		if got := psql(t, s, "SELECT name FROM organisation"); got != "Getränke Muster AG" {
			t.Errorf("organisation name after restart = %q", got)
		}
		if _, body := s.Get(t, s.URL("/status")); !strings.Contains(body, "database: ready") {
			t.Error("home page not ready after restart")
		}
	})
}

func psql(t *testing.T, s *Stack, sql string) string {
	t.Helper()
	cmd := exec.Command("bash", "-c", `exec psql "$(scripts/pg.sh url)" -XtAq -v ON_ERROR_STOP=1 -c "$1"`, "psql", sql)
	cmd.Dir = s.Root
	cmd.Env = append(nativestack.WithoutVars(os.Environ(), "DATABASE_URL"), "DATA_DIR="+s.DataDir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("psql %q: %v\n%s", sql, err, out)
	}
	return strings.TrimSpace(string(out))
}

// waitFor polls cond until it holds. The timeout only bounds how long a
// failure takes; a loaded machine may need much of it.
func waitFor(t *testing.T, timeout time.Duration, cond func() bool, what string) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", timeout, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// guideScript joins every sh code block of a Markdown file into one script.
func guideScript(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var script strings.Builder
	blocks := 0
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```sh":
			in = true
			blocks++
			fmt.Fprintf(&script, "echo '--- example %d' >&2\n", blocks)
		case in && strings.TrimSpace(line) == "```":
			in = false
		case in:
			script.WriteString(line + "\n")
		}
	}
	if blocks < 5 {
		t.Fatalf("only %d examples found in %s", blocks, path)
	}
	return script.String()
}
