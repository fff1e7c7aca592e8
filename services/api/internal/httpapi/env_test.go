package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/changes"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/health"
	"github.com/depotix/depotix/services/api/internal/httpapi"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/password"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// testPassword passes the password policy.
const testPassword = "Rotkehlchen-Fahrrad-47"

// clock is a movable clock shared by the auth service of one env.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is the whole api over a fresh database.
type env struct {
	t      *testing.T
	e      *echo.Echo
	pool   *pgxpool.Pool
	feed   *changes.Feed
	svc    *auth.Service
	clock  *clock
	router routers.Router
	users  map[auth.Role]auth.User
	tokens map[auth.Role]string // access tokens per role
	// render makes the documents' PDFs: testRenderers unless a test
	// rebuilds with salespdf's.
	render *invoices.Renderers
}

type ready struct{}

func (ready) Check(context.Context) health.Report {
	return health.Report{OK: true, Database: health.DatabaseReady, SchemaVersion: 3, ExpectedVersion: 3}
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return newEnvOn(t, pgtest.Pool(t))
}

// newEnvOn is newEnv over pool, a migrated database of the test's choice.
func newEnvOn(t *testing.T, pool *pgxpool.Pool) *env {
	t.Helper()
	// Cheap hashing parameters keep the suite fast; production uses DefaultParams.
	hasher, err := password.NewHasher(password.Params{Memory: 64, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}, 8)
	if err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now()}
	svc := auth.NewService(postgres.NewAuthStore(pool), hasher, password.Check,
		auth.NewSigner([]byte(strings.Repeat("s", 32)), 15*time.Minute, clk.now),
		auth.Config{AccessTTL: 15 * time.Minute, SessionTTL: 30 * 24 * time.Hour, RefreshGrace: 30 * time.Second,
			Throttle: auth.DefaultThrottle(), MaxTokenDays: auth.MaxTokenDays},
		clk.now)
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		t.Fatal(err)
	}
	en := &env{t: t, pool: pool, svc: svc, clock: clk, router: router,
		users: map[auth.Role]auth.User{}, tokens: map[auth.Role]string{}}
	// The whole suite runs with the response cache and the session memo on,
	// so every test also checks that a write ends what they hold.
	en.rebuild(listeningFeed(t, pool))
	for _, role := range auth.Roles {
		u, err := svc.CreateUser(context.Background(), audit.System("test"), auth.CreateUserInput{
			Email: string(role) + "@depot.example", Name: "Test " + string(role), Role: role, Password: testPassword})
		if err != nil {
			t.Fatalf("create %s: %v", role, err)
		}
		en.users[role] = u
		en.tokens[role] = en.login(string(role)+"@depot.example", testPassword).AccessToken
	}
	return en
}

// rebuild (re)creates the handler around feed.
func (en *env) rebuild(feed *changes.Feed) {
	en.t.Helper()
	en.feed = feed
	en.svc.RememberSessions(feed.Generations(changes.Access), 100)
	// Errors the api logs (the cause behind a 500) show with a failing test.
	log := zaptest.NewLogger(en.t, zaptest.Level(zap.ErrorLevel))
	e, err := httpapi.New(httpapi.Deps{Log: log, Readiness: ready{}, Auth: en.svc, Changes: feed, CacheBytes: 8 << 20,
		Idempotency: postgres.NewIdempotencyStore(en.pool), Audit: postgres.NewAuditStore(en.pool),
		Catalogue: catalogue.NewService(postgres.NewCatalogueStore(en.pool)),
		Ledger:    ledger.NewService(postgres.NewLedgerStore(en.pool), ledger.Config{Now: en.clock.now}),
		Company:   company.NewService(postgres.NewCompanyStore(en.pool), testFileMax),
		Files:     postgres.NewCompanyStore(en.pool),
		Orders:    orders.NewService(postgres.NewOrderStore(en.pool), en.clock.now, time.UTC),
		Invoices:  invoices.NewService(postgres.NewInvoiceStore(en.pool), en.renderers(), en.clock.now, time.UTC),
		Expenses:  expenses.NewService(postgres.NewExpenseStore(en.pool), en.clock.now, time.UTC, testFileMax),
		Version:   "test", BodyLimit: 1 << 20, StoreErrors: postgres.Unavailable})
	if err != nil {
		en.t.Fatal(err)
	}
	en.e = e
}

// feedListening tells whether the env's change feed hears other
// processes' writes (only then do the caches serve).
func (en *env) feedListening() bool {
	_, ok := en.feed.Generation(changes.Data)
	return ok
}

// listeningFeed runs a change feed on the test's database until the test
// ends, and returns once it listens (before that, caches do not serve).
func listeningFeed(t *testing.T, pool *pgxpool.Pool) *changes.Feed {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	feed := changes.New(zap.NewNop())
	done := make(chan struct{})
	go func() { feed.Run(ctx, postgres.NewChangeBus(pool)); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(2 * time.Millisecond) {
		if _, ok := feed.Generation(changes.Data); ok {
			return feed
		}
		if time.Now().After(deadline) {
			t.Fatal("the change feed did not start listening")
		}
	}
}

// response is a checked answer of the api.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		t.Fatalf("decode %s: %v", r.Body, err)
	}
}

// errorCode returns the envelope's code ("" if the body is not an error).
func (r response) errorCode() string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Code
}

type req struct {
	method, path string
	body         any
	token        string
	header       map[string]string
	twice        string // a header of header to send twice
}

// do sends a request and validates the answer against the OpenAPI document:
// every status, header and body the tests see is one the document promises.
func (en *env) do(r req) response {
	en.t.Helper()
	resp, raw, checked := en.serve(r)
	en.validate(r, raw, checked)
	return resp
}

// serve sends a request and returns the answer as sent, the request body,
// and the answer with its body decompressed.
func (en *env) serve(r req) (resp response, raw []byte, checked response) {
	en.t.Helper()
	var body io.Reader
	if r.body != nil {
		switch b := r.body.(type) {
		case string:
			raw = []byte(b)
		default:
			var err error
			if raw, err = json.Marshal(b); err != nil {
				en.t.Fatal(err)
			}
		}
		body = bytes.NewReader(raw)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	if r.body != nil && r.header["Content-Type"] == "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	for k, v := range r.header {
		hr.Header.Set(k, v)
		if k == r.twice {
			hr.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	en.e.ServeHTTP(rec, hr)
	resp = response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	checked = resp
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(resp.Body))
		if err != nil {
			en.t.Fatalf("%s %s: a gzip answer that is not gzip: %v", r.method, r.path, err)
		}
		if checked.Body, err = io.ReadAll(zr); err != nil {
			en.t.Fatalf("%s %s: %v", r.method, r.path, err)
		}
	}
	return resp, raw, checked
}

func (en *env) validate(r req, raw []byte, resp response) {
	en.t.Helper()
	hr := httptest.NewRequest(r.method, r.path, bytes.NewReader(raw))
	route, params, err := en.router.FindRoute(hr)
	if err != nil {
		return // not an operation of the document (404/405 tests)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: hr, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status:  resp.Status,
		Header:  resp.Header,
		Body:    io.NopCloser(bytes.NewReader(resp.Body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		en.t.Errorf("%s %s → %d does not match the OpenAPI document: %v\nbody: %s", r.method, r.path, resp.Status, err, resp.Body)
	}
}

type tokenPair struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	SessionID    string `json:"session_id"`
	ExpiresIn    int    `json:"expires_in"`
	User         struct {
		ID          int64    `json:"id"`
		Role        string   `json:"role"`
		Permissions []string `json:"permissions"`
	} `json:"user"`
}

func (en *env) login(email, pw string) tokenPair {
	en.t.Helper()
	r := en.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": pw}})
	if r.Status != 200 {
		en.t.Fatalf("login %s: %d %s", email, r.Status, r.Body)
	}
	var tp tokenPair
	r.decode(en.t, &tp)
	return tp
}

// auditCount counts audit rows matching entity and action.
func (en *env) auditCount(entity, action string) int {
	en.t.Helper()
	var n int
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity = $1 AND action = $2`, entity, action).Scan(&n); err != nil {
		en.t.Fatal(err)
	}
	return n
}
