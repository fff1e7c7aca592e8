package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/bench/ceiling"
	"github.com/depotix/depotix/bench/load"
	"github.com/depotix/depotix/bench/procstat"
	"github.com/depotix/depotix/bench/seed"
)

// cpuGroup is a set of processes whose CPU use a scenario reports.
type cpuGroup struct {
	name  string
	group procstat.Group
}

// cpuUse is how many cores each group kept busy during a run.
type cpuUse struct {
	names   []string
	cores   []float64
	machine float64 // all processes, in cores
	other   float64 // machine less the groups: other processes and the kernel
	of      int     // cores available
}

type cpuSnapshot struct {
	at        time.Time
	groups    []time.Duration
	busy, all time.Duration
}

func snapshotCPU(groups []cpuGroup) cpuSnapshot {
	s := cpuSnapshot{at: time.Now(), groups: make([]time.Duration, len(groups))}
	for i, g := range groups {
		s.groups[i], _ = g.group.CPU() // a group that is gone counts nothing
	}
	s.busy, s.all, _ = procstat.MachineCPU()
	return s
}

func cpuBetween(groups []cpuGroup, a, b cpuSnapshot, cores int) cpuUse {
	wall := b.at.Sub(a.at).Seconds()
	u := cpuUse{of: cores}
	for i, g := range groups {
		u.names = append(u.names, g.name)
		u.cores = append(u.cores, (b.groups[i]-a.groups[i]).Seconds()/wall)
	}
	if all := (b.all - a.all).Seconds(); all > 0 {
		u.machine = float64(cores) * (b.busy - a.busy).Seconds() / all
	}
	u.other = u.machine
	for _, c := range u.cores {
		u.other -= c
	}
	u.other = max(u.other, 0)
	return u
}

// boundBy names what limited a run: the busiest process when the machine
// was saturated, else waiting (for locks, commits or round trips).
func (u cpuUse) boundBy() string {
	if u.machine < 0.85*float64(u.of) {
		return fmt.Sprintf("waits (locks, WAL flushes, round trips): %.0f %% of the CPU idle", 100*(1-u.machine/float64(u.of)))
	}
	top := 0
	for i := range u.cores {
		if u.cores[i] > u.cores[top] {
			top = i
		}
	}
	return fmt.Sprintf("CPU, mostly %s (%.0f %% of the busy time)", u.names[top], 100*u.cores[top]/u.machine)
}

func (u cpuUse) String() string {
	var b bytes.Buffer
	for i, n := range u.names {
		fmt.Fprintf(&b, "%s %.2f, ", n, u.cores[i])
	}
	fmt.Fprintf(&b, "others %.2f, machine %.2f of %d", u.other, u.machine, u.of)
	return b.String()
}

// measured is one scenario's outcome.
type measured struct {
	name   string
	result load.Result
	cpu    cpuUse
}

// measure runs op with concurrency workers under the load generator and
// records the CPU use of the groups over the whole run, warm-up included.
func (r *runner) measure(ctx context.Context, name string, concurrency int, groups []cpuGroup, op load.Op) (measured, error) {
	return r.measureFor(ctx, name, concurrency, r.opts.duration, groups, op)
}

// measureFor is measure with a measured window of its own.
func (r *runner) measureFor(ctx context.Context, name string, concurrency int, duration time.Duration, groups []cpuGroup, op load.Op) (measured, error) {
	cfg := load.Config{Concurrency: concurrency, Warmup: r.opts.warmup, Duration: duration, MaxRequests: r.opts.maxRequests}
	return r.runLoad(ctx, name, cfg, groups, op)
}

// runLoad runs op under cfg and records the CPU use of the groups.
func (r *runner) runLoad(ctx context.Context, name string, cfg load.Config, groups []cpuGroup, op load.Op) (measured, error) {
	before := snapshotCPU(groups)
	res, err := load.Run(ctx, cfg, op)
	after := snapshotCPU(groups)
	m := measured{name: name, result: res, cpu: cpuBetween(groups, before, after, r.cores)}
	if err != nil {
		return m, fmt.Errorf("%s: %w", name, err)
	}
	r.logf("%-34s %6.0f req/s  p50 %-8s p95 %-8s p99 %-8s errors %d/%d  cpu: %s", name, res.Throughput(),
		res.Percentile(50).Round(10*time.Microsecond), res.Percentile(95).Round(10*time.Microsecond),
		res.Percentile(99).Round(10*time.Microsecond), res.Errors, res.Requests, m.cpu)
	if res.FirstError != nil {
		r.logf("  first error: %v", res.FirstError)
	}
	return m, nil
}

// apiClient sends the benchmark's requests with a bearer token.
type apiClient struct {
	http  *http.Client
	base  string // https://localhost:port or http://127.0.0.1:port
	token string
	// uncached asks the api to answer reads from the database, not from
	// its response cache (Cache-Control: no-cache).
	uncached bool
}

// authorize sets the headers every read of the client sends. Like a
// browser or `curl --compressed`, the client accepts gzip; the load
// generator counts the bytes as they come and does not inflate them.
func (c *apiClient) authorize(req *http.Request) {
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept-Encoding", "gzip")
	if c.uncached {
		req.Header.Set("Cache-Control", "no-cache")
	}
}

func (c *apiClient) login(ctx context.Context, email, password string) error {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/auth/login", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	b, out := load.DoBody(c.http, req, http.StatusOK, true)
	if out.Err != nil {
		return fmt.Errorf("login: %w", out.Err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(b, &tok); err != nil || tok.AccessToken == "" {
		return fmt.Errorf("login: no access token in %.200s", b)
	}
	c.token = tok.AccessToken
	return nil
}

// get is an op that fetches the path pathFor chooses.
func (c *apiClient) get(pathFor func(worker, seq int) string) load.Op {
	return func(ctx context.Context, w, seq int) load.Outcome {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+pathFor(w, seq), nil)
		if err != nil {
			return load.Outcome{Err: err}
		}
		c.authorize(req)
		return load.Do(c.http, req, http.StatusOK)
	}
}

// size fetches path once and returns the length of the answer's body.
func (c *apiClient) size(ctx context.Context, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+path, nil)
	if err != nil {
		return 0, err
	}
	c.authorize(req)
	req.Header.Del("Accept-Encoding") // the size of the JSON itself
	b, out := load.DoBody(c.http, req, http.StatusOK, true)
	return len(b), out.Err
}

func fixed(path string) func(int, int) string { return func(int, int) string { return path } }

func searchPaths(terms []string) func(int, int) string {
	paths := make([]string, len(terms))
	for i, t := range terms {
		paths[i] = "/api/v1/items?limit=50&q=" + url.QueryEscape(t)
	}
	return func(w, seq int) string { return paths[(w+seq)%len(paths)] }
}

// movementOp books receipt-then-issue pairs through the api: a receipt
// from the item's supplier at about its usual cost, an issue of the same
// quantity to a customer, each with its own Idempotency-Key. Answers 201
// are tallied in booked.
func (c *apiClient) movementOp(run string, pairs *ceiling.Pairs, slots map[ceiling.Place]seed.Slot, customers []int64, booked *ceiling.Booked) load.Op {
	return func(ctx context.Context, w, seq int) load.Outcome {
		place, receipt, qty := pairs.Next(w, seq)
		slot := slots[place]
		in := map[string]any{"item_id": place.ItemID, "location_id": place.LocationID, "quantity": qty}
		if receipt {
			in["type"], in["supplier_id"] = "receipt", slot.SupplierID
			in["unit_cost"] = formatMicros(slot.UnitCostMicros)
		} else {
			in["type"], in["customer_id"] = "issue", customers[(w*7919+seq)%len(customers)]
		}
		body, _ := json.Marshal(in)
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/movements", bytes.NewReader(body))
		if err != nil {
			return load.Outcome{Err: err}
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%s-%d-%d", run, w, seq))
		out := load.Do(c.http, req, http.StatusCreated)
		if out.Status == http.StatusCreated {
			booked.Movements.Add(1)
			if receipt {
				booked.Delta.Add(qty)
			} else {
				booked.Delta.Add(-qty)
			}
		}
		return out
	}
}

// formatMicros writes a cost in micros as the api's decimal: 1.245833.
func formatMicros(m int64) string {
	return strconv.FormatInt(m/1_000_000, 10) + "." + fmt.Sprintf("%06d", m%1_000_000)
}

// randomPlaces picks a random stocked place each time it is asked, from one
// generator per worker (each worker only touches its own).
func randomPlaces(workers int, places []ceiling.Place, seed uint64) func(w, seq int) ceiling.Place {
	rngs := make([]*rand.Rand, workers)
	for w := range rngs {
		rngs[w] = rand.New(rand.NewPCG(seed, uint64(w)))
	}
	return func(w, _ int) ceiling.Place { return places[rngs[w].IntN(len(places))] }
}

// hotCheck verifies a run on one place: the level moved by exactly the
// effects of the movements booked meanwhile, and those are exactly what
// the clients were told was booked.
type hotCheck struct {
	place         ceiling.Place
	level, lastID int64
}

func startHotCheck(ctx context.Context, pool *pgxpool.Pool, place ceiling.Place) (hotCheck, error) {
	h := hotCheck{place: place}
	err := pool.QueryRow(ctx, `SELECT (SELECT good FROM stock WHERE item_id = $1 AND location_id = $2), (SELECT max(id) FROM movements)`,
		place.ItemID, place.LocationID).Scan(&h.level, &h.lastID)
	return h, err
}

func (h hotCheck) verify(ctx context.Context, pool *pgxpool.Pool, booked *ceiling.Booked, res load.Result) (string, bool, error) {
	var level, n, delta int64
	err := pool.QueryRow(ctx, `
		SELECT (SELECT good FROM stock WHERE item_id = $1 AND location_id = $2), count(*),
		       coalesce(sum(CASE type WHEN 'receipt' THEN quantity_base WHEN 'issue' THEN -quantity_base END), 0)::bigint
		  FROM movements WHERE item_id = $1 AND location_id = $2 AND id > $3`,
		h.place.ItemID, h.place.LocationID, h.lastID).Scan(&level, &n, &delta)
	if err != nil {
		return "", false, err
	}
	fivexx := 0
	for status, count := range res.Status {
		if status >= 500 {
			fivexx += count
		}
	}
	ok := level == h.level+delta && n == booked.Movements.Load() && delta == booked.Delta.Load() && fivexx == 0
	verdict := "verified"
	if !ok {
		verdict = "NOT CONSISTENT"
	}
	return fmt.Sprintf("%s: item %d at location %d, %d movements booked (clients saw %d), level %d → %d = %d %+d (clients: %+d), %d answers 5xx",
		verdict, h.place.ItemID, h.place.LocationID, n, booked.Movements.Load(), h.level, level, h.level, delta, booked.Delta.Load(), fivexx), ok, nil
}
