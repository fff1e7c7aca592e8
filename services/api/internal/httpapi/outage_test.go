package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// outagePoolSize is the api's pool in the outage test. It bounds how many
// answers after the database came back can still fail: each failure is a
// connection from before the outage, which pgx then throws away.
const outagePoolSize = 4

// outage is the api over a database of its own that the test takes away.
type outage struct {
	*env
	cluster *pgtest.Cluster
	db      string
	item    record
	loc     record
	sup     record
	refresh string // the current refresh token of the admin's session
	apiKey  string // a personal API token (read)
	seq     atomic.Int64
}

// outageCall is one request of the representative set: build makes the
// request (afresh for each attempt), ok is the status of a success, and
// after (optional) takes note of a success.
type outageCall struct {
	name  string
	build func(o *outage) req
	ok    int
	after func(o *outage, r response)
}

func (o *outage) next() int64 { return o.seq.Add(1) }

func outageCalls() []outageCall {
	admin := func(o *outage) string { return o.tokens[auth.RoleAdmin] }
	return []outageCall{
		{name: "list items", ok: 200, build: func(o *outage) req {
			return req{method: "GET", path: "/api/v1/items", token: admin(o)}
		}},
		{name: "list items with an API token", ok: 200, build: func(o *outage) req {
			return req{method: "GET", path: "/api/v1/items?limit=5", token: o.apiKey}
		}},
		{name: "get item", ok: 200, build: func(o *outage) req {
			return req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d", o.item.ID), token: admin(o)}
		}},
		{name: "create item", ok: 201, build: func(o *outage) req {
			return req{method: "POST", path: "/api/v1/items", token: admin(o), body: map[string]any{
				"sku": fmt.Sprintf("OUT-%d", o.next()), "name": "Outage cola", "base_unit": "bottle",
				"sales_price_unit": "1.00", "vat_rate": "8.1"}}
		}},
		{name: "patch item", ok: 200, build: func(o *outage) req {
			// The version is read from the table the test set up, not
			// through the api: while the database is away the api answers
			// before it looks at If-Match.
			return req{method: "PATCH", path: fmt.Sprintf("/api/v1/items/%d", o.item.ID), token: admin(o),
				header: map[string]string{"If-Match": o.itemETag()},
				body:   map[string]any{"name": fmt.Sprintf("Outage item %d", o.next())}}
		}},
		{name: "create category with Idempotency-Key", ok: 201, build: func(o *outage) req {
			n := o.next()
			return req{method: "POST", path: "/api/v1/categories", token: admin(o),
				header: map[string]string{"Idempotency-Key": fmt.Sprintf("outage-category-%d", n)},
				body:   map[string]any{"name": fmt.Sprintf("Outage category %d", n)}}
		}},
		{name: "book a movement", ok: 201, build: func(o *outage) req {
			return req{method: "POST", path: "/api/v1/movements", token: admin(o),
				header: map[string]string{"Idempotency-Key": fmt.Sprintf("outage-movement-%d", o.next())},
				body: map[string]any{"type": "receipt", "item_id": o.item.ID, "location_id": o.loc.ID, "quantity": 1,
					"supplier_id": o.sup.ID, "unit_cost": "0.50"}}
		}},
		{name: "book a delivery", ok: 201, build: func(o *outage) req {
			line := map[string]any{"item_id": o.item.ID, "location_id": o.loc.ID, "quantity": 2}
			return req{method: "POST", path: "/api/v1/movements/receipts", token: admin(o),
				header: map[string]string{"Idempotency-Key": fmt.Sprintf("outage-receipt-%d", o.next())},
				body:   map[string]any{"supplier_id": o.sup.ID, "lines": []any{line, line}}}
		}},
		{name: "login", ok: 200, build: func(o *outage) req {
			return req{method: "POST", path: "/api/v1/auth/login",
				body: map[string]string{"email": "manager@depot.example", "password": testPassword}}
		}},
		{name: "refresh", ok: 200, build: func(o *outage) req {
			return req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": o.refresh}}
		}, after: func(o *outage, r response) {
			var tp tokenPair
			r.decode(o.t, &tp)
			o.refresh = tp.RefreshToken
		}},
		{name: "import items from CSV", ok: 200, build: func(o *outage) req {
			return req{method: "POST", path: "/api/v1/items/import", token: admin(o), header: map[string]string{"Content-Type": "text/csv"},
				body: fmt.Sprintf("sku,name,base_unit,sales_price_unit\nCSV-%d,Imported cola,bottle,1.10\n", o.next())}
		}},
		{name: "export items as CSV", ok: 200, build: func(o *outage) req {
			return req{method: "GET", path: "/api/v1/items/export", token: admin(o)}
		}},
		{name: "export the journal as CSV", ok: 200, build: func(o *outage) req {
			return req{method: "GET", path: "/api/v1/movements/export", token: admin(o)}
		}},
	}
}

// itemETag reads the item's version straight from the table (the ETag is
// the version in quotes).
func (o *outage) itemETag() string {
	o.t.Helper()
	pool, err := pgxpool.New(context.Background(), o.cluster.URL(o.db))
	if err != nil {
		o.t.Fatal(err)
	}
	defer pool.Close()
	var v int
	if err := pool.QueryRow(context.Background(), `SELECT version FROM items WHERE id = $1`, o.item.ID).Scan(&v); err != nil {
		return `"0"` // the database is away: any version does
	}
	return strconv.Quote(strconv.Itoa(v))
}

func newOutage(t *testing.T) *outage {
	t.Helper()
	cluster := pgtest.NewCluster(t)
	const db = "outage"
	cfg, err := pgxpool.ParseConfig(cluster.Database(db))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = outagePoolSize
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	o := &outage{env: newEnvOn(t, pool), cluster: cluster, db: db}
	o.item, o.loc, o.sup = depot(t, o.env)
	o.refresh = o.login("admin@depot.example", testPassword).RefreshToken
	r := o.do(req{method: "POST", path: "/api/v1/tokens", token: o.tokens[auth.RoleAdmin],
		body: map[string]any{"name": "outage", "scope": "read", "expires_in_days": 30}})
	if r.Status != 201 {
		t.Fatalf("create API token: %d %s", r.Status, r.Body)
	}
	var tok struct {
		Token string `json:"token"`
	}
	r.decode(t, &tok)
	o.apiKey = tok.Token
	return o
}

// call sends one request of the set. Its answer, a success or a 503, is
// validated against the OpenAPI document like every answer of the suite.
func (o *outage) call(c outageCall) response {
	o.t.Helper()
	rq := c.build(o)
	resp, raw, checked := o.serve(rq)
	if resp.Status == c.ok || resp.Status == http.StatusServiceUnavailable {
		o.validate(rq, raw, checked)
	}
	if resp.Status == c.ok && c.after != nil {
		c.after(o, resp)
	}
	return resp
}

// unavailable checks that r is the documented answer to an outage: 503,
// Retry-After in seconds, the envelope with service_unavailable and the
// request id.
func unavailable(t *testing.T, name string, r response) {
	t.Helper()
	if r.Status != http.StatusServiceUnavailable {
		t.Errorf("%s: %d %s, want 503", name, r.Status, r.Body)
		return
	}
	if s, err := strconv.Atoi(r.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("%s: Retry-After %q, want whole seconds", name, r.Header.Get("Retry-After"))
	}
	var e struct {
		Error struct {
			Code      string `json:"code"`
			Message   string `json:"message"`
			RequestID string `json:"request_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(r.Body, &e); err != nil || e.Error.Code != "service_unavailable" || e.Error.Message == "" ||
		e.Error.RequestID == "" || e.Error.RequestID != r.Header.Get("X-Request-ID") {
		t.Errorf("%s: envelope %s (X-Request-ID %q)", name, r.Body, r.Header.Get("X-Request-ID"))
	}
}

// allUnavailable sends every request of the set once and expects 503 from
// each: the server is gone.
func (o *outage) allUnavailable() {
	o.t.Helper()
	for _, c := range outageCalls() {
		unavailable(o.t, c.name, o.call(c))
	}
}

// neverFails sends every request of the set once, while connections die
// under it: each answer is its success or 503, never a 500.
func (o *outage) neverFails() {
	o.t.Helper()
	for _, c := range outageCalls() {
		if r := o.call(c); r.Status != c.ok {
			unavailable(o.t, c.name, r)
		}
	}
}

// recovered expects every request of the set to succeed again on the same
// api. Connections the pool held from before may each fail one more
// request (503), so a request may take up to outagePoolSize retries.
func (o *outage) recovered() {
	o.t.Helper()
	for _, c := range outageCalls() {
		for attempt := 0; ; attempt++ {
			r := o.call(c)
			if r.Status == c.ok {
				break
			}
			unavailable(o.t, c.name+" after the database came back", r)
			if attempt == outagePoolSize {
				o.t.Fatalf("%s: still failing after %d attempts: %d %s", c.name, attempt+1, r.Status, r.Body)
			}
		}
	}
}

// awaitFeed waits until the change feed is listening (or not). Stopped,
// the feed notices at once that its connection is gone: from then on the
// response cache and the session memo answer nothing from memory (before
// that they may, correctly: nothing can have changed while nobody can
// write). Started again, it reconnects after its back-off.
func (o *outage) awaitFeed(listening bool) {
	o.t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for o.feedListening() != listening {
		if time.Now().After(deadline) {
			o.t.Fatalf("the change feed is not listening = %v", listening)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDatabaseOutage(t *testing.T) {
	o := newOutage(t)
	// Every request of the set works, and the pool holds connections that
	// the outages below break.
	o.recovered()

	for _, down := range []struct {
		name string
		stop func()
	}{{"admin shutdown", o.cluster.StopFast}, {"crash", o.cluster.StopImmediate}} {
		t.Run(down.name, func(t *testing.T) {
			o.t = t
			o.recovered() // the pool holds live connections
			down.stop()
			o.awaitFeed(false)
			o.allUnavailable()
			o.cluster.Start()
			o.recovered()
		})
	}
	t.Run("connections terminated", func(t *testing.T) {
		o.t = t
		o.recovered()
		if n := o.cluster.TerminateBackends(o.db); n == 0 {
			t.Fatal("no connections to terminate")
		}
		o.neverFails()
		o.recovered()
	})
	t.Run("crash under load", func(t *testing.T) {
		o.t = t
		o.recovered()
		o.crashUnderLoad()
	})
	t.Run("the change feed listens again", func(t *testing.T) {
		o.t = t
		o.awaitFeed(true)
	})
}

// crashUnderLoad crashes the server while workers keep sending requests of
// the set, and starts it again: whatever a request meets (a statement
// cut in the middle, a booking between its two round trips, a pool that
// is connecting), its answer is its success or 503. The phases wait for
// what they need to see, not for time: every worker answered before the
// crash, 503s came while the server was gone, and successes came back.
func (o *outage) crashUnderLoad() {
	o.t.Helper()
	// Requests whose answers do not depend on each other: a patch (412 on
	// another worker's version) and a refresh (one rotating token) would.
	var calls []outageCall
	for _, c := range outageCalls() {
		if c.name != "patch item" && c.name != "refresh" {
			calls = append(calls, c)
		}
	}
	const workers = 8
	var (
		mu              sync.Mutex
		answers         = map[string]map[int]int{} // call → status → how many
		ok, unavailable atomic.Int64
		stop            atomic.Bool
		wg              sync.WaitGroup
	)
	for w := range workers {
		wg.Go(func() {
			for i := w; !stop.Load(); i++ {
				c := calls[i%len(calls)]
				r := o.call(c)
				switch r.Status {
				case c.ok:
					ok.Add(1)
				case http.StatusServiceUnavailable:
					unavailable.Add(1)
				}
				mu.Lock()
				if answers[c.name] == nil {
					answers[c.name] = map[int]int{}
				}
				answers[c.name][r.Status]++
				mu.Unlock()
			}
		})
	}
	await := func(what string, cond func() bool) {
		deadline := time.Now().Add(2 * time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				stop.Store(true)
				wg.Wait()
				o.t.Fatalf("gave up waiting: %s", what)
			}
			time.Sleep(time.Millisecond)
		}
	}
	await("every worker answered", func() bool { return ok.Load() >= workers })
	o.cluster.StopImmediate()
	before := unavailable.Load()
	await("503s while the server is gone", func() bool { return unavailable.Load() >= before+workers })
	o.cluster.Start()
	back := ok.Load()
	await("successes after the restart", func() bool { return ok.Load() >= back+2*workers })
	stop.Store(true)
	wg.Wait()

	total := 0
	for name, byStatus := range answers {
		for status, n := range byStatus {
			total += n
			if status >= 500 && status != http.StatusServiceUnavailable {
				o.t.Errorf("%s: %d answers %d", name, n, status)
			}
		}
	}
	o.t.Logf("%d answers around a crash: %d successes, %d × 503; by request: %v", total, ok.Load(), unavailable.Load(), answers)
}
