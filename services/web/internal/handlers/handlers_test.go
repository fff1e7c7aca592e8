package handlers

import (
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/htmlcheck"
	"github.com/depotix/depotix/services/web/internal/session"
	"github.com/depotix/depotix/services/web/static"
)

const (
	readyDoc = `{"ok":true,"database":"ready","schema_version":5,"expected_schema_version":5,"version":"2.0.1"}`
	downDoc  = `{"ok":false,"database":"unreachable","schema_version":0,"expected_schema_version":5,"reason":"dial tcp 10.1.2.3:5432: connect: connection refused","version":"2.0.1"}`
)

// standInAPI answers /readyz with status and body and records the request
// ids it receives.
type standInAPI struct {
	status int
	body   string
	delay  time.Duration

	mu  sync.Mutex
	ids []string
}

func (a *standInAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	a.ids = append(a.ids, r.Header.Get("X-Request-ID"))
	a.mu.Unlock()
	if a.delay > 0 {
		select {
		case <-time.After(a.delay):
		case <-r.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	_, _ = io.WriteString(w, a.body)
}

func (a *standInAPI) requestIDs() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.ids...)
}

type testWeb struct {
	url  string
	echo *echo.Echo
	logs *observer.ObservedLogs
	api  *httptest.Server // nil when started with the api down
}

// testSecret is the SESSION_SECRET of the web under test.
var testSecret = []byte("0123456789abcdef0123456789abcdef")

// startWeb serves the web handler in front of api; a nil api stands for one
// that is down (nothing listens at its address).
func startWeb(t *testing.T, api http.Handler, apiTimeout time.Duration) *testWeb {
	t.Helper()
	var apiURL string
	var apiSrv *httptest.Server
	if api == nil {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		apiURL = "http://" + ln.Addr().String()
		ln.Close()
	} else {
		apiSrv = httptest.NewServer(api)
		t.Cleanup(apiSrv.Close)
		apiURL = apiSrv.URL
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	client, err := apiclient.New(apiURL, apiTimeout)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.CloseIdleConnections)
	codec, err := session.NewCodec(testSecret, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	loc, err := time.LoadLocation(format.Zone)
	if err != nil {
		t.Fatal(err)
	}
	core, logs := observer.New(zap.DebugLevel)
	e := New(Options{
		API:       client,
		Assets:    assets,
		Log:       zap.New(core),
		Version:   "9.9.9-test",
		BodyLimit: 1 << 10,
		FileLimit: testFileLimit,
		Sessions:  codec,
		Location:  loc,
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return &testWeb{url: srv.URL, echo: e, logs: logs, api: apiSrv}
}

type response struct {
	status int
	header http.Header
	body   string
}

func (w *testWeb) do(t *testing.T, method, path string, header map[string]string, body io.Reader) response {
	t.Helper()
	req, err := http.NewRequest(method, w.url+path, body)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(b)}
}

// pageDoc parses an HTML answer and checks it against the proxy's strict CSP.
func pageDoc(t *testing.T, r response) *goquery.Document {
	t.Helper()
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Fatalf("Content-Type = %q, want HTML", ct)
	}
	if v := htmlcheck.Violations(r.body); len(v) > 0 {
		t.Errorf("page breaks the CSP: %v", v)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(r.body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func textOf(doc *goquery.Document, testID string) string {
	return strings.Join(strings.Fields(doc.Find(`[data-testid="`+testID+`"]`).Text()), " ")
}

func attrOf(doc *goquery.Document, testID, attr string) string {
	v, _ := doc.Find(`[data-testid="` + testID + `"]`).Attr(attr)
	return v
}

func TestHomeStatus(t *testing.T) {
	tests := []struct {
		name       string
		api        http.Handler // nil: the api is down
		apiTimeout time.Duration
		header     map[string]string
		want       map[string]string // data-testid → text
		wantKind   string            // data-state of the api row
		wantLang   string
	}{
		{
			name: "ready",
			api:  &standInAPI{status: 200, body: readyDoc},
			want: map[string]string{
				"status-api-text":      "api: reachable",
				"status-database-text": "database: ready",
				"status-schema-text":   "schema version: 5",
				"status-schema-detail": "expected 5",
				"status-api-detail":    "api version 2.0.1",
			},
			wantKind: "reachable",
			wantLang: "en",
		},
		{
			name: "database unreachable (503)",
			api:  &standInAPI{status: 503, body: downDoc},
			want: map[string]string{
				"status-api-text":        "api: reachable",
				"status-database-text":   "database: unreachable",
				"status-database-detail": "reason: dial tcp 10.1.2.3:5432: connect: connection refused",
			},
			wantKind: "reachable",
			wantLang: "en",
		},
		{
			name: "api down",
			api:  nil,
			want: map[string]string{
				"status-api-text":      "api: unreachable",
				"status-api-detail":    "connection refused: nothing listens at the api address",
				"status-database-text": "database: unknown",
			},
			wantKind: "refused",
			wantLang: "en",
		},
		{
			name:       "api too slow",
			api:        &standInAPI{status: 200, body: readyDoc, delay: 5 * time.Second},
			apiTimeout: 100 * time.Millisecond,
			want: map[string]string{
				"status-api-text":   "api: unreachable",
				"status-api-detail": "timeout: the api did not answer in time",
			},
			wantKind: "timeout",
			wantLang: "en",
		},
		{
			name: "api answers garbage",
			api:  &standInAPI{status: 200, body: "<html>bad gateway</html>"},
			want: map[string]string{
				"status-api-text":   "api: unreachable",
				"status-api-detail": "the api's answer could not be read",
			},
			wantKind: "invalid",
			wantLang: "en",
		},
		{
			name:   "German",
			api:    &standInAPI{status: 200, body: readyDoc},
			header: map[string]string{"Accept-Language": "de-CH"},
			want: map[string]string{
				"status-api-text":      "API: erreichbar",
				"status-database-text": "Datenbank: bereit",
				"nav-home":             "Übersicht",
			},
			wantKind: "reachable",
			wantLang: "de",
		},
		{
			name:   "German, api down",
			api:    nil,
			header: map[string]string{"Accept-Language": "de-CH, de;q=0.9, en;q=0.8"},
			want: map[string]string{
				"status-api-text":   "API: nicht erreichbar",
				"status-api-detail": "Verbindung abgelehnt: unter der API-Adresse hört niemand zu",
			},
			wantKind: "refused",
			wantLang: "de",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			timeout := tt.apiTimeout
			if timeout == 0 {
				timeout = 2 * time.Second
			}
			w := startWeb(t, tt.api, timeout)
			r := w.do(t, http.MethodGet, "/", tt.header, nil)
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, want 200\n%s", r.status, r.body)
			}
			doc := pageDoc(t, r)
			got := map[string]string{}
			for id := range tt.want {
				got[id] = textOf(doc, id)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("status panel (-want +got):\n%s", diff)
			}
			if k := attrOf(doc, "status-api", "data-state"); k != tt.wantKind {
				t.Errorf("api row data-state = %q, want %q", k, tt.wantKind)
			}
			if lang, _ := doc.Find("html").Attr("lang"); lang != tt.wantLang {
				t.Errorf("html lang = %q, want %q", lang, tt.wantLang)
			}
			if got := textOf(doc, "footer-version"); got != "9.9.9-test" {
				t.Errorf("footer version = %q", got)
			}
			for _, leak := range []string{"goroutine", "panic", "127.0.0.1", "dial tcp 127"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("page shows internals: contains %q", leak)
				}
			}
			if got := r.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", got)
			}
			if got := r.header.Get("Vary"); got != "Accept-Language, Cookie" {
				t.Errorf("Vary = %q, want Accept-Language, Cookie", got)
			}
		})
	}
}

func TestRequestIDReachesAPI(t *testing.T) {
	api := &standInAPI{status: 200, body: readyDoc}
	w := startWeb(t, api, time.Second)

	r := w.do(t, http.MethodGet, "/", map[string]string{"X-Request-ID": "from-proxy-42"}, nil)
	if got := r.header.Get("X-Request-ID"); got != "from-proxy-42" {
		t.Errorf("response X-Request-ID = %q", got)
	}
	r = w.do(t, http.MethodGet, "/", nil, nil)
	generated := r.header.Get("X-Request-ID")
	if generated == "" {
		t.Fatal("no X-Request-ID generated")
	}
	if diff := cmp.Diff([]string{"from-proxy-42", generated}, api.requestIDs()); diff != "" {
		t.Errorf("ids seen by the api (-want +got):\n%s", diff)
	}
}

func TestHealthz(t *testing.T) {
	w := startWeb(t, nil, time.Second) // liveness does not depend on the api
	r := w.do(t, http.MethodGet, "/healthz", nil, nil)
	if r.status != http.StatusOK || strings.TrimSpace(r.body) != `{"ok":true}` {
		t.Errorf("GET /healthz = %d %q, want 200 {\"ok\":true}", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestHeadWorksWhereGetDoes(t *testing.T) {
	w := startWeb(t, &standInAPI{status: 200, body: readyDoc}, time.Second)
	home := w.do(t, http.MethodGet, "/", nil, nil)
	doc := pageDoc(t, home)
	css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")

	for _, path := range []string{"/", "/healthz", css} {
		get := w.do(t, http.MethodGet, path, nil, nil)
		head := w.do(t, http.MethodHead, path, nil, nil)
		if head.status != get.status || head.status != http.StatusOK {
			t.Errorf("%s: HEAD %d, GET %d, want both 200", path, head.status, get.status)
		}
		if head.body != "" {
			t.Errorf("HEAD %s has a body", path)
		}
		if head.header.Get("Content-Type") != get.header.Get("Content-Type") {
			t.Errorf("HEAD %s Content-Type %q, GET %q", path, head.header.Get("Content-Type"), get.header.Get("Content-Type"))
		}
	}
}

var hashedURL = regexp.MustCompile(`^/static/[a-z]+\.[0-9a-f]{8}\.(css|svg|js)$`)

// TestStaticAssets follows every asset URL of the home page: each must be a
// hashed name, served with the right type and a year-long immutable cache.
func TestStaticAssets(t *testing.T) {
	w := startWeb(t, &standInAPI{status: 200, body: readyDoc}, time.Second)
	doc := pageDoc(t, w.do(t, http.MethodGet, "/", nil, nil))

	var urls []string
	doc.Find("[href], [src]").Each(func(_ int, s *goquery.Selection) {
		for _, attr := range []string{"href", "src"} {
			if v, ok := s.Attr(attr); ok && strings.HasPrefix(v, "/static/") {
				urls = append(urls, v)
			}
		}
	})
	if len(urls) < 3 {
		t.Fatalf("home references %d assets, want the stylesheet, the script and the icon: %v", len(urls), urls)
	}
	wantType := map[string]string{".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".js": "text/javascript; charset=utf-8"}
	for _, u := range urls {
		if !hashedURL.MatchString(u) {
			t.Errorf("page references %q, not a content-hashed URL", u)
			continue
		}
		r := w.do(t, http.MethodGet, u, nil, nil)
		if r.status != http.StatusOK {
			t.Errorf("GET %s = %d", u, r.status)
		}
		if got := r.header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s Cache-Control = %q", u, got)
		}
		ext := u[strings.LastIndex(u, "."):]
		if got := r.header.Get("Content-Type"); got != wantType[ext] {
			t.Errorf("GET %s Content-Type = %q, want %q", u, got, wantType[ext])
		}
		if len(r.body) == 0 {
			t.Errorf("GET %s: empty body", u)
		}
	}

	// The same files under a hash from another release, or unhashed, are gone.
	css := urls[0]
	stale := regexp.MustCompile(`\.[0-9a-f]{8}\.`).ReplaceAllString(css, ".00000000.")
	for _, u := range []string{stale, "/static/app.css", "/static/", "/static/../main.go"} {
		r := w.do(t, http.MethodGet, u, nil, nil)
		if r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", u, r.status)
		}
		if cc := r.header.Get("Cache-Control"); strings.Contains(cc, "immutable") {
			t.Errorf("GET %s: a 404 is cached as immutable", u)
		}
	}
}

func TestErrorPages(t *testing.T) {
	w := startWeb(t, &standInAPI{status: 200, body: readyDoc}, time.Second)
	w.echo.GET("/boom", func(c echo.Context) error {
		panic("secret-internal-detail: db password hunter2")
	})
	w.echo.GET("/fails", func(c echo.Context) error {
		return io.ErrUnexpectedEOF
	})

	tests := []struct {
		name      string
		method    string
		path      string
		header    map[string]string
		body      string
		wantCode  int
		wantTitle string
	}{
		{"not found", "GET", "/no/such/page", nil, "", 404, "Page not found"},
		{"not found, German", "GET", "/nirgends", map[string]string{"Accept-Language": "de-CH"}, "", 404, "Seite nicht gefunden"},
		{"body too large", "POST", "/", nil, strings.Repeat("x", 2<<10), 413, "Too much data"},
		{"panic", "GET", "/boom", nil, "", 500, "Something went wrong"},
		{"panic, German", "GET", "/boom", map[string]string{"Accept-Language": "de"}, "", 500, "Etwas ist schiefgelaufen"},
		{"error", "GET", "/fails", nil, "", 500, "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var body io.Reader
			if tt.body != "" {
				body = strings.NewReader(tt.body)
			}
			r := w.do(t, tt.method, tt.path, tt.header, body)
			if r.status != tt.wantCode {
				t.Fatalf("status = %d, want %d", r.status, tt.wantCode)
			}
			doc := pageDoc(t, r)
			if got := textOf(doc, "error-title"); got != tt.wantTitle {
				t.Errorf("title = %q, want %q", got, tt.wantTitle)
			}
			if got := attrOf(doc, "error-page", "data-status"); got != strconv.Itoa(tt.wantCode) {
				t.Errorf("data-status = %q, want %d", got, tt.wantCode)
			}
			id := r.header.Get("X-Request-ID")
			if got := textOf(doc, "request-id"); id == "" || got != id {
				t.Errorf("request id on page %q, in header %q", got, id)
			}
			if doc.Find(`link[rel="stylesheet"]`).Length() != 1 {
				t.Error("error page is not styled")
			}
			for _, leak := range []string{"secret-internal-detail", "hunter2", "goroutine", "unexpected EOF", "panic"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("error page shows internals: contains %q", leak)
				}
			}
		})
	}

	// The panic is in the log, under the request id the page shows.
	panics := w.logs.FilterMessage("panic").All()
	if len(panics) != 2 {
		t.Fatalf("logged %d panics, want 2", len(panics))
	}
	if id := panics[0].ContextMap()["request_id"]; id == "" || id == nil {
		t.Errorf("panic log has no request id: %v", panics[0].ContextMap())
	}
}
