package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caddyserver/caddy/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/klauspost/compress/zstd"

	"github.com/depotix/depotix/platform/ports"
)

const testBodyLimit = 64 << 10 // matches PROXY_BODY_LIMIT=64KiB below

var uuidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// seen is what a stand-in upstream received.
type seen struct {
	Who       string `json:"who"`
	Path      string `json:"path"`
	RequestID string `json:"request_id"`
	BodyBytes int64  `json:"body_bytes"`
}

// standIn plays api or web: it reads the whole body (so body limits bite
// while streaming) and answers with what it saw, padded so compression
// applies. /own-csp and /own-id send the upstream's own Content-Security-Policy
// and X-Request-ID.
func standIn(who string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/own-csp":
			w.Header().Set("Content-Security-Policy", "default-src 'self' 'unsafe-inline'")
		case "/own-id":
			w.Header().Set("X-Request-ID", "upstream-id")
		}
		body, _ := json.Marshal(seen{Who: who, Path: r.URL.Path, RequestID: r.Header.Get("X-Request-ID"), BodyBytes: n})
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
		_, _ = w.Write(bytes.Repeat([]byte(" "), 4096))
	})
}

// claimPorts claims n different loopback ports for the test, released
// when it ends. A port that was merely free a moment ago is not enough:
// Caddy listens with SO_REUSEPORT, so another test process (a parallel
// `go test`, or a native stack of tests/) that drew the same number would
// bind it too. platform/ports is the claim they all make.
func claimPorts(t *testing.T, n int) []string {
	t.Helper()
	claim, err := ports.Claim(n)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(claim.Release)
	out := make([]string, n)
	for i, p := range claim.Numbers {
		out[i] = strconv.Itoa(p)
	}
	return out
}

type runningProxy struct {
	httpPort, httpsPort, adminAddr string
	client                         *http.Client
	accessLog                      string
	rootCert                       string // the local CA's root certificate (PEM file)
}

// startProxy loads the root Caddyfile, adapted with native-like settings,
// into an in-process Caddy and returns an HTTPS client that trusts only the
// local CA it created. Caddy is global to the process, so callers must not
// run in parallel.
func startProxy(t *testing.T, apiAddr, webAddr string) *runningProxy {
	t.Helper()
	claimed := claimPorts(t, 3)
	p := &runningProxy{httpPort: claimed[0], httpsPort: claimed[1], adminAddr: "127.0.0.1:" + claimed[2]}
	cfgJSON := adaptCaddyfile(t, map[string]string{
		"DOMAIN":             "localhost",
		"HTTP_PORT":          p.httpPort,
		"HTTPS_PORT":         p.httpsPort,
		"API_UPSTREAM":       apiAddr,
		"WEB_UPSTREAM":       webAddr,
		"PROXY_BODY_LIMIT":   "64KiB",
		"PROXY_TRY_DURATION": "1s",
		"PROXY_ADMIN":        p.adminAddr,
		"PROXY_BIND":         "127.0.0.1",
	})

	// Caddy picks its default storage folder when the process starts, so the
	// test points the config at its own folder instead, laid out like
	// XDG_DATA_HOME/caddy.
	dataHome := t.TempDir()
	t.Setenv("XDG_DATA_HOME", dataHome)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	storage := filepath.Join(dataHome, "caddy")
	logDir := t.TempDir()
	p.accessLog = filepath.Join(logDir, "access.log")
	serverLog := filepath.Join(logDir, "caddy.log")

	var cfg map[string]any
	if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
		t.Fatal(err)
	}
	cfg["storage"] = map[string]any{"module": "file_system", "root": storage}
	obj(t, cfg, "admin")["config"] = map[string]any{"persist": false}
	logs := obj(t, cfg, "logging", "logs")
	obj(t, logs, "access")["writer"] = map[string]any{"output": "file", "filename": p.accessLog}
	obj(t, logs, "default")["writer"] = map[string]any{"output": "file", "filename": serverLog}
	loaded, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := caddy.Load(loaded, true); err != nil {
		t.Fatalf("load config: %v", err)
	}
	t.Cleanup(func() {
		if err := caddy.Stop(); err != nil {
			t.Errorf("stop caddy: %v", err)
		}
		if t.Failed() {
			if b, err := os.ReadFile(serverLog); err == nil {
				t.Logf("caddy log:\n%s", b)
			}
		}
	})

	p.rootCert = filepath.Join(storage, "pki", "authorities", "local", "root.crt")
	rootPEM := waitForFile(t, p.rootCert)
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(rootPEM) {
		t.Fatal("local root certificate is not PEM")
	}
	dialer := &net.Dialer{Timeout: 2 * time.Second}
	p.client = &http.Client{
		Timeout: 10 * time.Second,
		Transport: &http.Transport{
			Proxy:              nil,
			TLSClientConfig:    &tls.Config{RootCAs: roots},
			ForceAttemptHTTP2:  true,
			DisableCompression: true, // the test asks for encodings itself
			// Every name (localhost, www.localhost) is served on loopback.
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	// Each name's certificate is issued in the background after the start,
	// one after the other: localhost answering says nothing of
	// www.localhost, whose redirect the tests also ask for.
	p.waitFor(t, p.url("/healthz"), http.StatusOK)
	p.waitFor(t, "https://www.localhost:"+p.httpsPort+"/", http.StatusPermanentRedirect)
	return p
}

// waitFor asks url until it answers with status over TLS. The deadline
// only bounds a failure; a loaded machine may take a while.
func (p *runningProxy) waitFor(t *testing.T, url string, status int) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := p.client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == status {
				return
			}
			err = fmt.Errorf("status %d", resp.StatusCode)
		}
		if time.Now().After(deadline) {
			t.Fatalf("proxy not ready for %s: %v", url, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (p *runningProxy) url(path string) string {
	return "https://localhost:" + p.httpsPort + path
}

func (p *runningProxy) do(t *testing.T, method, url string, body io.Reader, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := p.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, b
}

func decodeSeen(t *testing.T, body []byte) seen {
	t.Helper()
	var s seen
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&s); err != nil {
		t.Fatalf("upstream answer %q: %v", body, err)
	}
	return s
}

func waitForFile(t *testing.T, path string) []byte {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		b, err := os.ReadFile(path)
		if err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not appear: %v", path, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type errorEnvelope struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

func TestProxyBehaviour(t *testing.T) {
	api := httptest.NewServer(standIn("api"))
	web := httptest.NewServer(standIn("web"))
	var closeOnce sync.Once
	closeUpstreams := func() { closeOnce.Do(func() { api.Close(); web.Close() }) }
	t.Cleanup(closeUpstreams)
	p := startProxy(t, api.Listener.Addr().String(), web.Listener.Addr().String())

	t.Run("routing", func(t *testing.T) {
		tests := []struct{ path, want string }{
			{"/api/x", "api"},
			{"/api/v1/items?q=1", "api"},
			{"/api", "api"},
			{"/healthz", "api"},
			{"/readyz", "api"},
			{"/uploads/x", "web"}, // no longer the api's: files are served from the database
			{"/", "web"},
			{"/items/42", "web"},
			{"/apix", "web"},
			{"/uploadsx", "web"},
			{"/healthz/x", "web"},
		}
		for _, tc := range tests {
			resp, body := p.do(t, http.MethodGet, p.url(tc.path), nil, nil)
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET %s: status %d", tc.path, resp.StatusCode)
				continue
			}
			if got := decodeSeen(t, body).Who; got != tc.want {
				t.Errorf("GET %s went to %s, want %s", tc.path, got, tc.want)
			}
		}
	})

	t.Run("redirects keep the port", func(t *testing.T) {
		tests := []struct{ url, want string }{
			{"http://localhost:" + p.httpPort + "/x?y=1", "https://localhost:" + p.httpsPort + "/x?y=1"},
			{"http://www.localhost:" + p.httpPort + "/x", "https://www.localhost:" + p.httpsPort + "/x"},
			{"https://www.localhost:" + p.httpsPort + "/a/b?c=d", "https://localhost:" + p.httpsPort + "/a/b?c=d"},
		}
		for _, tc := range tests {
			resp, _ := p.do(t, http.MethodGet, tc.url, nil, nil)
			if resp.StatusCode != http.StatusPermanentRedirect || resp.Header.Get("Location") != tc.want {
				t.Errorf("GET %s = %d Location %q, want 308 to %s", tc.url, resp.StatusCode, resp.Header.Get("Location"), tc.want)
			}
			if id := resp.Header.Get("X-Request-ID"); !uuidPattern.MatchString(id) {
				t.Errorf("GET %s: redirect X-Request-ID = %q, want a generated id", tc.url, id)
			}
			if resp.Header.Get("Server") != "" {
				t.Errorf("GET %s: redirect names its server %q", tc.url, resp.Header.Get("Server"))
			}
		}
	})

	t.Run("security headers", func(t *testing.T) {
		for _, path := range []string{"/", "/api/x"} {
			resp, _ := p.do(t, http.MethodGet, p.url(path), nil, nil)
			for name, want := range wantSecurityHeaders {
				if got := resp.Header.Values(name); !cmp.Equal(got, []string{want}) {
					t.Errorf("GET %s: %s = %q, want %q", path, name, got, want)
				}
			}
			for _, name := range []string{"Server", "Via"} {
				if got := resp.Header.Get(name); got != "" {
					t.Errorf("GET %s: %s header %q, want none", path, name, got)
				}
			}
		}
		resp, _ := p.do(t, http.MethodGet, p.url("/own-csp"), nil, nil)
		if got := resp.Header.Values("Content-Security-Policy"); !cmp.Equal(got, []string{"default-src 'self' 'unsafe-inline'"}) {
			t.Errorf("upstream's own CSP became %q", got)
		}
		if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("other defaults missing next to the upstream's CSP: X-Frame-Options %q", got)
		}
	})

	t.Run("compression", func(t *testing.T) {
		_, plain := p.do(t, http.MethodGet, p.url("/page"), nil, nil)
		decoders := map[string]func(io.Reader) (io.Reader, error){
			"gzip": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
			"zstd": func(r io.Reader) (io.Reader, error) {
				d, err := zstd.NewReader(r)
				return d, err
			},
		}
		for enc, decode := range decoders {
			resp, body := p.do(t, http.MethodGet, p.url("/page"), nil, http.Header{"Accept-Encoding": {enc}})
			if got := resp.Header.Get("Content-Encoding"); got != enc {
				t.Errorf("Accept-Encoding %s: Content-Encoding %q", enc, got)
				continue
			}
			if len(body) >= len(plain) {
				t.Errorf("%s body %d bytes, plain %d: not compressed", enc, len(body), len(plain))
			}
			r, err := decode(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			got, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("%s body does not decode: %v", enc, err)
			}
			// Bodies differ only in the request id, which has a fixed length.
			if len(got) != len(plain) || decodeSeen(t, got).Path != "/page" {
				t.Errorf("%s body decodes to %.100q, want the same answer as uncompressed %.100q", enc, got, plain)
			}
		}
	})

	var loggedID string
	t.Run("request id", func(t *testing.T) {
		tests := []struct {
			name, sent string
			keep       bool
		}{
			{"generated when missing", "", false},
			{"client id passed through", "client-id_1.2", true},
			{"malformed id replaced", "bad id<script>", false},
			{"overlong id replaced", strings.Repeat("a", 129), false},
		}
		for _, tc := range tests {
			header := http.Header{}
			if tc.sent != "" {
				header.Set("X-Request-ID", tc.sent)
			}
			resp, body := p.do(t, http.MethodGet, p.url("/api/x"), nil, header)
			upstream := decodeSeen(t, body).RequestID
			switch {
			case tc.keep && upstream != tc.sent:
				t.Errorf("%s: upstream saw %q, want %q", tc.name, upstream, tc.sent)
			case !tc.keep && !uuidPattern.MatchString(upstream):
				t.Errorf("%s: upstream saw %q, want a generated id", tc.name, upstream)
			}
			if got := resp.Header.Get("X-Request-ID"); got != upstream {
				t.Errorf("%s: response X-Request-ID %q, upstream saw %q", tc.name, got, upstream)
			}
			loggedID = upstream
		}
		resp, _ := p.do(t, http.MethodGet, p.url("/own-id"), nil, nil)
		if got := resp.Header.Values("X-Request-ID"); !cmp.Equal(got, []string{"upstream-id"}) {
			t.Errorf("upstream's own X-Request-ID became %q", got)
		}
	})

	t.Run("access log", func(t *testing.T) {
		deadline := time.Now().Add(3 * time.Second)
		for {
			entry, ok := findAccessLogEntry(t, p.accessLog, loggedID)
			if ok {
				if entry["status"] != float64(200) || entry["level"] == nil {
					t.Errorf("access log entry = %v", entry)
				}
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("no JSON access log line with request_id %q", loggedID)
			}
			time.Sleep(50 * time.Millisecond)
		}
	})

	t.Run("body limit", func(t *testing.T) {
		small := bytes.Repeat([]byte("a"), 1024)
		resp, body := p.do(t, http.MethodPost, p.url("/api/x"), bytes.NewReader(small), nil)
		if resp.StatusCode != http.StatusOK || decodeSeen(t, body).BodyBytes != int64(len(small)) {
			t.Errorf("small POST = %d %s", resp.StatusCode, body)
		}
		big := bytes.Repeat([]byte("a"), testBodyLimit+1)
		tests := []struct {
			name, id string
			body     func() io.Reader
		}{
			{"with Content-Length", "too-big-1", func() io.Reader { return bytes.NewReader(big) }},
			// A reader of unknown length is sent chunked, so only the streaming limit can stop it.
			{"streamed", "too-big-2", func() io.Reader { return io.MultiReader(bytes.NewReader(big)) }},
		}
		for _, tc := range tests {
			name, wantID := tc.name, tc.id
			resp, got := p.do(t, http.MethodPost, p.url("/api/x"), tc.body(), http.Header{"X-Request-ID": {wantID}})
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("%s: status %d, want 413; body %.200s", name, resp.StatusCode, got)
				continue
			}
			var env errorEnvelope
			if err := json.Unmarshal(got, &env); err != nil || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s: body %q (%s) is not a JSON envelope: %v", name, got, resp.Header.Get("Content-Type"), err)
				continue
			}
			if env.Error.Code != "payload_too_large" || env.Error.Message == "" || env.Error.RequestID != wantID || resp.Header.Get("X-Request-ID") != wantID {
				t.Errorf("%s: envelope %+v, X-Request-ID %q", name, env.Error, resp.Header.Get("X-Request-ID"))
			}
			if resp.Header.Get("Server") != "" {
				t.Errorf("%s: 413 names its server", name)
			}
		}
	})

	t.Run("healthcheck against the running admin endpoint", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
		defer cancel()
		if err := checkAdmin(ctx, newHealthcheckClient(nil), p.adminAddr); err != nil {
			t.Error(err)
		}
	})

	t.Run("healthcheck over HTTPS trusting the local CA", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
		defer cancel()
		if err := checkURLs(ctx, []string{p.url("/healthz"), p.url("/")}, p.rootCert); err != nil {
			t.Errorf("api and web through the proxy: %v", err)
		}
		// The system's roots do not know the local CA.
		if err := checkURLs(ctx, []string{p.url("/healthz")}, ""); err == nil || !strings.Contains(err.Error(), "certificate") {
			t.Errorf("without --cacert: %v, want a certificate error", err)
		}
		if code, out := runProxy(t, "healthcheck", "--cacert", p.rootCert, "--url", p.url("/healthz"), "--url", p.url("/")); code != 0 {
			t.Errorf("proxy healthcheck --url exited %d:\n%s", code, out)
		}
	})

	t.Run("upstreams down", func(t *testing.T) {
		closeUpstreams()

		resp, body := p.do(t, http.MethodGet, p.url("/api/x"), nil, nil)
		if resp.StatusCode != http.StatusBadGateway && resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("api down: status %d, want 502 or 503", resp.StatusCode)
		}
		var env errorEnvelope
		if err := json.Unmarshal(body, &env); err != nil || resp.Header.Get("Content-Type") != "application/json" {
			t.Errorf("api down: body %q is not a JSON envelope: %v", body, err)
		}
		if id := resp.Header.Get("X-Request-ID"); env.Error.Code != "service_unavailable" || env.Error.Message == "" || !uuidPattern.MatchString(id) || env.Error.RequestID != id {
			t.Errorf("api down: envelope %+v, X-Request-ID %q", env.Error, id)
		}
		if resp.Header.Get("Retry-After") == "" {
			t.Error("api down: no Retry-After")
		}

		resp, body = p.do(t, http.MethodGet, p.url("/"), nil, nil)
		if resp.StatusCode != http.StatusBadGateway && resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("web down: status %d, want 502 or 503", resp.StatusCode)
		}
		page := string(body)
		for _, want := range []string{"Depotix startet", "Depotix is starting", `http-equiv="refresh"`, resp.Header.Get("X-Request-ID")} {
			if !strings.Contains(page, want) {
				t.Errorf("web down: page lacks %q:\n%s", want, page)
			}
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("web down: Content-Type %q", ct)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'sha256-") {
			t.Errorf("web down: CSP %q does not allow the page's style", csp)
		}
		for _, name := range []string{"Server", "Via"} {
			if got := resp.Header.Get(name); got != "" {
				t.Errorf("web down: %s header %q", name, got)
			}
		}
		if got := resp.Header.Get("X-Frame-Options"); got != "DENY" {
			t.Errorf("web down: X-Frame-Options %q", got)
		}
	})
}

// findAccessLogEntry returns the access log line carrying request id id.
func findAccessLogEntry(t *testing.T, path, id string) (map[string]any, bool) {
	t.Helper()
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var entry map[string]any
		if err := json.Unmarshal(sc.Bytes(), &entry); err != nil {
			t.Fatalf("access log line is not JSON: %q", sc.Text())
		}
		if entry["request_id"] == id {
			return entry, true
		}
	}
	return nil, false
}
