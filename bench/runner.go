package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/bench/ceiling"
	"github.com/depotix/depotix/bench/load"
	"github.com/depotix/depotix/bench/plancheck"
	"github.com/depotix/depotix/bench/procstat"
	"github.com/depotix/depotix/bench/report"
	"github.com/depotix/depotix/bench/seed"
	"github.com/depotix/depotix/platform/nativestack"
)

// Targets of the issue.
const (
	readShareTarget   = 60.0 // per cent of the proxy ceiling
	readP99Target     = 50 * time.Millisecond
	randomShareTarget = 50.0 // per cent of the transaction ceiling
	hotShareTarget    = 30.0
	idleRSSTarget     = 40 << 20
	readRSSTarget     = 120 << 20
)

// runner holds one benchmark run.
type runner struct {
	opts           options
	root, binDir   string
	command        string
	stdout, stderr io.Writer
	cores          int
	started        time.Time
	stack          *benchStack
	pool           *pgxpool.Pool
	results        results
}

// results is everything the report shows.
type results struct {
	seed          seed.Result
	seedVerify    time.Duration
	rows          []report.Row
	readPlans     []readPlan // which captured statements belong to a read scenario
	cpu           []measured
	rss           []rssLine
	plans         *plancheck.Report
	planTestOK    bool
	planTestRan   bool
	planTestOut   string
	ledgerChecked int64
	failures      []string // correctness, not figures
	total         time.Duration
	pgVersion     string
	apiVersion    string
	background    float64 // cores busy with the stack idle, before the scenarios
	sales         salesResult
}

// readPlan ties a read scenario to the plan check's requests of the same
// kind.
type readPlan struct {
	scenario string
	match    func(request string) bool
}

func exactly(path string) func(string) bool { return func(r string) bool { return r == path } }

func startingWith(prefix string) func(string) bool {
	return func(r string) bool { return strings.HasPrefix(r, prefix) }
}

type rssLine struct {
	what   string
	bytes  int64
	target int64 // 0 for none
}

func newRunner(wd string, opts options, stdout, stderr io.Writer) (*runner, error) {
	root, err := nativestack.Root(wd)
	if err != nil {
		return nil, err
	}
	r := &runner{opts: opts, root: root, binDir: absFrom(wd, opts.binDir), stdout: stdout, stderr: stderr, cores: runtime.NumCPU()}
	for _, b := range []string{"api", "web", "proxy"} {
		if _, err := os.Stat(filepath.Join(r.binDir, b)); err != nil {
			return nil, fmt.Errorf("%s: %w (run make build)", b, err)
		}
	}
	return r, nil
}

func (r *runner) logf(format string, args ...any) {
	fmt.Fprintf(r.stderr, "%s "+format+"\n", append([]any{time.Since(r.started).Round(time.Second)}, args...)...)
}

func (r *runner) run(ctx context.Context) (err error) {
	r.started = time.Now()
	r.logf("starting the native stack (binaries from %s)", r.binDir)
	r.stack, err = startStack(ctx, r.root, r.binDir)
	if err != nil {
		return err
	}
	defer func() {
		if serr := r.stack.Stop(); serr != nil && err == nil {
			err = serr
		}
		if r.opts.keep {
			r.logf("data and logs kept in %s", r.stack.DataDir)
		} else {
			os.RemoveAll(r.stack.DataDir)
		}
	}()
	r.logf("stack ready: %s (api pid %d, web %d, proxy %d, postgres %d)", r.stack.URL("/"), r.stack.APIPID, r.stack.WebPID, r.stack.ProxyPID, r.stack.PostgresPID)

	// Idle: after start, before anything else happens.
	time.Sleep(2 * time.Second)
	idle := procstat.StartSampler(100*time.Millisecond, r.stack.APIPID, r.stack.WebPID, r.stack.ProxyPID)
	time.Sleep(time.Second)
	peaks := idle.Stop()
	r.results.rss = append(r.results.rss,
		rssLine{"api idle after start (it migrated the empty database and created the first admin)", peaks[r.stack.APIPID], idleRSSTarget},
		rssLine{"web idle", peaks[r.stack.WebPID], 0},
		rssLine{"proxy idle", peaks[r.stack.ProxyPID], 0})

	dbURL, err := r.stack.DatabaseURL()
	if err != nil {
		return err
	}
	cfg, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return err
	}
	cfg.MaxConns = int32(r.opts.writeConcurrency + 2)
	cfg.ConnConfig.RuntimeParams["application_name"] = "depotix-bench"
	if r.pool, err = pgxpool.NewWithConfig(ctx, cfg); err != nil {
		return err
	}
	defer r.pool.Close()
	if err := r.pool.QueryRow(ctx, "SHOW server_version").Scan(&r.results.pgVersion); err != nil {
		return err
	}
	if out, err := exec.Command(filepath.Join(r.binDir, "api"), "version").Output(); err == nil {
		r.results.apiVersion = string(bytes.TrimSpace(out))
	}

	r.logf("seeding %d items and %d movements with COPY", r.opts.items, r.opts.movements)
	r.results.seed, err = seed.Run(ctx, r.pool, seed.Config{Items: r.opts.items, Movements: r.opts.movements, Seed: r.opts.seed,
		Now: time.Now(), Streams: r.cores, Log: r.logf})
	if err != nil {
		return err
	}
	r.logf("seeded in %s", r.results.seed.Elapsed.Round(100*time.Millisecond))
	t0 := time.Now()
	if _, err := seed.Verify(ctx, r.pool); err != nil {
		return err
	}
	r.results.seedVerify = time.Since(t0)
	r.logf("ledger verified: every stock level is the sum of its movements (%s)", r.results.seedVerify.Round(time.Millisecond))

	fresh, err := r.freshAPIIdle(ctx, dbURL)
	if err != nil {
		return err
	}
	r.results.rss = append(r.results.rss, rssLine{"api idle, a second one started on the seeded database (nothing to migrate or create)", fresh, idleRSSTarget})

	// Other work on the machine skews every figure; say how much there was.
	before := snapshotCPU(nil)
	time.Sleep(3 * time.Second)
	r.results.background = cpuBetween(nil, before, snapshotCPU(nil), r.cores).machine
	r.logf("background load with the stack idle: %.2f of %d cores busy", r.results.background, r.cores)

	if err := r.scenarios(ctx); err != nil {
		return err
	}

	t0 = time.Now()
	if n, err := seed.Verify(ctx, r.pool); err != nil {
		r.results.failures = append(r.results.failures, err.Error())
	} else {
		r.results.ledgerChecked = n
		r.logf("ledger verified again after the load: %d movements (%s)", n, time.Since(t0).Round(time.Millisecond))
	}

	if r.opts.planTest {
		r.planTest(ctx, dbURL)
	}
	r.results.total = time.Since(r.started)
	r.print()
	if r.opts.doc != "" {
		path := absFrom(r.root, r.opts.doc)
		if err := os.WriteFile(path, r.markdown(), 0o644); err != nil {
			return err
		}
		r.logf("wrote %s", path)
	}
	if len(r.results.failures) > 0 {
		return fmt.Errorf("%d checks failed:\n  %s", len(r.results.failures), joinLines(r.results.failures))
	}
	return nil
}

// groups are the processes whose CPU use the scenarios report.
type groups struct{ loadgen, proxy, web, api, postgres cpuGroup }

// scenarios measures the ceilings and the stack, in an order that keeps
// each ceiling next to what is compared with it.
func (r *runner) scenarios(ctx context.Context) error {
	s := r.stack
	g := groups{
		loadgen:  cpuGroup{"loadgen", procstat.Group{PID: os.Getpid()}},
		proxy:    cpuGroup{"proxy", procstat.Group{PID: s.ProxyPID}},
		web:      cpuGroup{"web", procstat.Group{PID: s.WebPID}},
		api:      cpuGroup{"api", procstat.Group{PID: s.APIPID}},
		postgres: cpuGroup{"postgres", procstat.Group{PID: s.PostgresPID, Tree: true}},
	}
	client, err := load.NewClient(max(r.opts.readConcurrency, r.opts.writeConcurrency), s.RootPEM)
	if err != nil {
		return err
	}
	c := &apiClient{http: client, base: s.URL("")}
	if r.opts.reads {
		ceilingRPS, err := r.proxyCeiling(ctx, g.loadgen)
		if err != nil {
			return err
		}
		if err := r.reads(ctx, g, c, ceilingRPS); err != nil {
			return err
		}
	}
	if r.opts.webPages {
		if err := r.webPagesScenario(ctx, g); err != nil {
			return err
		}
	}
	if r.opts.writes {
		if err := r.movements(ctx, g, c); err != nil {
			return err
		}
	}
	if r.opts.sales {
		return r.sales(ctx, g, c)
	}
	return nil
}

// proxyCeiling measures a second proxy from the same binary and
// Caddyfile, in front of a handler that does nothing, and returns its
// throughput.
func (r *runner) proxyCeiling(ctx context.Context, loadgen cpuGroup) (float64, error) {
	claim, err := nativestack.ClaimPorts(4)
	if err != nil {
		return 0, err
	}
	defer claim.Release()
	ports := claim.Numbers
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	upstream, err := ceiling.StartUpstream(exe, upstreamCommand, fmt.Sprintf("127.0.0.1:%d", ports[0]))
	if err != nil {
		return 0, err
	}
	defer upstream.Stop()
	cp, cpRoot, err := ceiling.StartProxy(ceiling.ProxyOptions{
		Binary: filepath.Join(r.binDir, "proxy"), Caddyfile: filepath.Join(r.root, "Caddyfile"), Dir: filepath.Join(r.stack.DataDir, "ceiling-proxy"),
		HTTPSPort: ports[1], HTTPPort: ports[2], AdminPort: ports[3], Upstream: fmt.Sprintf("127.0.0.1:%d", ports[0]),
	})
	if err != nil {
		return 0, err
	}
	defer cp.Stop()
	cpClient, err := load.NewClient(r.opts.readConcurrency, cpRoot)
	if err != nil {
		return 0, err
	}
	// The same header as the api scenarios send, to a handler that ignores it.
	trivial := &apiClient{http: cpClient, base: fmt.Sprintf("https://localhost:%d", ports[1]), token: "none"}
	m, err := r.measure(ctx, "ceiling: proxy → trivial handler", r.opts.readConcurrency,
		[]cpuGroup{loadgen, {"proxy", procstat.Group{PID: cp.PID()}}, {"handler", procstat.Group{PID: upstream.PID()}}},
		trivial.get(fixed("/api/v1/items?limit=50")))
	if err != nil {
		return 0, err
	}
	r.add(m, 0, "", nil, "")
	return m.result.Throughput(), nil
}

// reads measures the lists through the stack's proxy, and the items list
// straight from the api.
func (r *runner) reads(ctx context.Context, g groups, c *apiClient, ceilingRPS float64) error {
	s := r.stack
	if err := c.login(ctx, s.AdminEmail, s.AdminPassword); err != nil {
		return err
	}
	directClient, err := load.NewClient(r.opts.readConcurrency, nil)
	if err != nil {
		return err
	}
	direct := &apiClient{http: directClient, base: s.APIURL(""), token: c.token}
	uncached := &apiClient{http: c.http, base: c.base, token: c.token, uncached: true}
	readGroups := []cpuGroup{g.loadgen, g.proxy, g.api, g.postgres}
	readTarget := fmt.Sprintf("≥ %.0f %% of proxy ceiling, p99 ≤ %d ms", readShareTarget, readP99Target.Milliseconds())
	readPass := func(m measured) *bool {
		return verdict(100*m.result.Throughput()/ceilingRPS >= readShareTarget && m.result.Percentile(99) <= readP99Target && m.result.Errors == 0)
	}
	terms, err := seed.SearchTerms(ctx, r.pool)
	if err != nil {
		return err
	}
	rss := procstat.StartSampler(100*time.Millisecond, s.APIPID, s.ProxyPID, s.WebPID)
	for _, sc := range []struct {
		name   string
		client *apiClient
		paths  func(int, int) string
		target bool
		plans  func(string) bool // the plan check's requests of the same kind
	}{
		{"items list (limit=50)", c, fixed("/api/v1/items?limit=50"), true, exactly("/api/v1/items?limit=50")},
		{fmt.Sprintf("items search (q=, %d terms)", len(terms)), c, searchPaths(terms), true, startingWith("/api/v1/items?limit=50&q=")},
		{"stock list (limit=50)", c, fixed("/api/v1/stock?limit=50"), false, exactly("/api/v1/stock?limit=50")},
		{"journal list (limit=50)", c, fixed("/api/v1/movements?limit=50"), false, exactly("/api/v1/movements?limit=50")},
		{"items list, api direct (no proxy)", direct, fixed("/api/v1/items?limit=50"), false, nil},
		// The same reads with the response cache passed by: what a read
		// costs right after a write, and the figures before the cache.
		{"items list, no-cache", uncached, fixed("/api/v1/items?limit=50"), false, nil},
		{fmt.Sprintf("items search, no-cache (%d terms)", len(terms)), uncached, searchPaths(terms), false, nil},
		{"stock list, no-cache", uncached, fixed("/api/v1/stock?limit=50"), false, nil},
		{"journal list, no-cache", uncached, fixed("/api/v1/movements?limit=50"), false, nil},
	} {
		if sc.plans != nil {
			r.results.readPlans = append(r.results.readPlans, readPlan{sc.name, sc.plans})
		}
		size, err := sc.client.size(ctx, sc.paths(0, 0))
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		note := fmt.Sprintf("a page is %.1f KB of JSON", float64(size)/1024)
		m, err := r.measure(ctx, sc.name, r.opts.readConcurrency, readGroups, sc.client.get(sc.paths))
		if err != nil {
			return err
		}
		switch {
		case sc.target:
			r.add(m, ceilingRPS, readTarget, readPass(m), note)
		case sc.client == direct:
			r.add(m, 0, "", nil, note)
		default:
			r.add(m, ceilingRPS, "", nil, note)
		}
	}
	peaks := rss.Stop()
	r.results.rss = append(r.results.rss,
		rssLine{"api peak under the read load", peaks[s.APIPID], readRSSTarget},
		rssLine{"proxy peak under the read load", peaks[s.ProxyPID], 0})
	return nil
}

// checkpoint makes PostgreSQL write a checkpoint before a write scenario,
// so that every one starts on the same footing: after a checkpoint the
// first change of each page also logs the whole page, and a checkpoint the
// seed's WAL or the clock starts during one scenario would tilt its
// comparison with the others (ceilings varied by a third between runs).
// CHECKPOINT needs the superuser of the benchmark's own cluster, which
// scripts/pg.sh creates with trust on its socket.
func (r *runner) checkpoint(ctx context.Context) error {
	cfg := r.pool.Config().ConnConfig.Copy()
	cfg.User = "postgres"
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return fmt.Errorf("connect as the cluster's superuser for CHECKPOINT: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CHECKPOINT"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// movements measures the raw transaction, then the api, on random places
// and on one hot place, and verifies the hot place's level after each.
func (r *runner) movements(ctx context.Context, g groups, c *apiClient) error {
	s := r.stack
	places := make([]ceiling.Place, len(r.results.seed.Slots))
	slots := make(map[ceiling.Place]seed.Slot, len(places))
	for i, sl := range r.results.seed.Slots {
		places[i] = ceiling.Place{ItemID: sl.ItemID, LocationID: sl.LocationID}
		slots[places[i]] = sl
	}
	hot := places[len(places)/2]
	w := r.opts.writeConcurrency
	rss := procstat.StartSampler(100*time.Millisecond, s.APIPID, s.ProxyPID)
	var raw [2]measured
	for i, v := range []struct {
		name string
		pick func(int, int) ceiling.Place
	}{
		{"ceiling: pgx transaction, random items", randomPlaces(w, places, 1)},
		{"ceiling: pgx transaction, one hot item", func(int, int) ceiling.Place { return hot }},
	} {
		var booked ceiling.Booked
		if err := r.checkpoint(ctx); err != nil {
			return err
		}
		check, err := startHotCheck(ctx, r.pool, hot)
		if err != nil {
			return err
		}
		raw[i], err = r.measure(ctx, v.name, w, []cpuGroup{g.loadgen, g.postgres}, ceilingOp(r.pool, ceiling.NewPairs(w, v.pick), &booked))
		if err != nil {
			return err
		}
		note := ""
		if i == 1 { // the random run moves the hot place only by chance
			var ok bool
			if note, ok, err = check.verify(ctx, r.pool, &booked, raw[i].result); err != nil {
				return err
			}
			if !ok {
				r.results.failures = append(r.results.failures, v.name+": "+note)
			}
		}
		r.add(raw[i], 0, "", nil, note)
	}

	if err := c.login(ctx, s.AdminEmail, s.AdminPassword); err != nil {
		return err
	}
	writeGroups := []cpuGroup{g.loadgen, g.proxy, g.api, g.postgres}
	run := time.Now().Format("150405")
	var booked ceiling.Booked
	if err := r.checkpoint(ctx); err != nil {
		return err
	}
	m, err := r.measure(ctx, "movement create, random items", w, writeGroups,
		c.movementOp(run+"r", ceiling.NewPairs(w, randomPlaces(w, places, 2)), slots, r.results.seed.Customers, &booked))
	if err != nil {
		return err
	}
	randomCeiling := raw[0].result.Throughput()
	r.add(m, randomCeiling, fmt.Sprintf("≥ %.0f %% of transaction ceiling (random)", randomShareTarget),
		verdict(100*m.result.Throughput()/randomCeiling >= randomShareTarget && m.result.Errors == 0), "")

	booked = ceiling.Booked{}
	if err := r.checkpoint(ctx); err != nil {
		return err
	}
	check, err := startHotCheck(ctx, r.pool, hot)
	if err != nil {
		return err
	}
	m, err = r.measure(ctx, "movement create, one hot item", w, writeGroups,
		c.movementOp(run+"h", ceiling.NewPairs(w, func(int, int) ceiling.Place { return hot }), slots, r.results.seed.Customers, &booked))
	if err != nil {
		return err
	}
	note, consistent, err := check.verify(ctx, r.pool, &booked, m.result)
	if err != nil {
		return err
	}
	if !consistent {
		r.results.failures = append(r.results.failures, "movement create, one hot item: "+note)
	}
	hotCeiling := raw[1].result.Throughput()
	note += fmt.Sprintf("; %.0f %% of the random-item transaction ceiling", 100*m.result.Throughput()/randomCeiling)
	r.add(m, hotCeiling, fmt.Sprintf("correct, ≥ %.0f %% of transaction ceiling (hot item)", hotShareTarget),
		verdict(consistent && 100*m.result.Throughput()/hotCeiling >= hotShareTarget && m.result.Errors == 0), note)
	peaks := rss.Stop()
	r.results.rss = append(r.results.rss, rssLine{"api peak under the write load", peaks[s.APIPID], 0})
	return nil
}

// freshAPIIdle starts a second api on the seeded database, where it has
// no migration to apply and no first admin to create, and returns its
// RSS after it has idled for three seconds.
func (r *runner) freshAPIIdle(ctx context.Context, dbURL string) (int64, error) {
	claim, err := nativestack.ClaimPorts(1)
	if err != nil {
		return 0, err
	}
	defer claim.Release()
	ports := claim.Numbers
	addr := fmt.Sprintf("127.0.0.1:%d", ports[0])
	secret := make([]byte, 48)
	rand.Read(secret)
	cmd := exec.Command(filepath.Join(r.binDir, "api"))
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "API_ADDR="+addr, "JWT_SECRET="+base64.StdEncoding.EncodeToString(secret),
		"LOG_FORMAT=json", "ADMIN_EMAIL=", "ADMIN_PASSWORD=")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	defer func() {
		cmd.Process.Signal(syscall.SIGTERM)
		<-exited
	}()
	for start := time.Now(); ; {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case <-exited:
			return 0, fmt.Errorf("second api exited at start:\n%s", &out)
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Since(start) > time.Minute {
			return 0, errors.New("second api did not start within a minute")
		}
	}
	time.Sleep(2 * time.Second)
	sampler := procstat.StartSampler(100*time.Millisecond, cmd.Process.Pid)
	time.Sleep(time.Second)
	return sampler.Stop()[cmd.Process.Pid], nil
}

func ceilingOp(pool *pgxpool.Pool, pairs *ceiling.Pairs, booked *ceiling.Booked) load.Op {
	return func(ctx context.Context, w, seq int) load.Outcome {
		place, receipt, qty := pairs.Next(w, seq)
		return load.Outcome{Err: ceiling.Transaction(ctx, pool, place, receipt, qty, booked)}
	}
}

// add records a scenario's row; ceiling 0 means none to compare with.
func (r *runner) add(m measured, ceilingRPS float64, target string, pass *bool, note string) {
	res := m.result
	row := report.Row{Scenario: m.name, Concurrency: res.Concurrency, Throughput: res.Throughput(), Ceiling: ceilingRPS,
		P50: res.Percentile(50), P95: res.Percentile(95), P99: res.Percentile(99), Requests: res.Requests, Errors: res.Errors,
		Target: target, Pass: pass, Note: note}
	if res.FirstError != nil {
		first := fmt.Sprintf("first error: %.200v", res.FirstError)
		if row.Note == "" {
			row.Note = first
		} else {
			row.Note += "; " + first
		}
	}
	r.results.rows = append(r.results.rows, row)
	r.results.cpu = append(r.results.cpu, m)
}

// planTest runs TestListQueryPlansAtSize against the seeded database, as
// a developer would, and reads its report.
func (r *runner) planTest(ctx context.Context, dbURL string) {
	out := filepath.Join(r.stack.DataDir, "plans.json")
	r.logf("running the query plan test against the seeded database")
	cmd := exec.CommandContext(ctx, "go", "test", "-count=1", "-run", "^TestListQueryPlansAtSize$", "-v",
		"github.com/depotix/depotix/bench/plancheck")
	cmd.Dir = r.root
	cmd.Env = append(os.Environ(), "DEPOTIX_BENCH_DB="+dbURL, "DEPOTIX_BENCH_API="+filepath.Join(r.binDir, "api"),
		"DEPOTIX_BENCH_EMAIL="+r.stack.AdminEmail, "DEPOTIX_BENCH_PASSWORD="+r.stack.AdminPassword,
		"DEPOTIX_BENCH_PLAN_REPORT="+out)
	b, err := cmd.CombinedOutput()
	r.results.planTestRan = true
	r.results.planTestOK = err == nil
	r.results.planTestOut = string(b)
	if raw, rerr := os.ReadFile(out); rerr == nil {
		var rep plancheck.Report
		if json.Unmarshal(raw, &rep) == nil {
			r.results.plans = &rep
		}
	}
	if err != nil {
		r.results.failures = append(r.results.failures, "query plan test failed (see its output above)")
		fmt.Fprintf(r.stderr, "%s\n", b)
		return
	}
	r.logf("query plan test passed")
}

func (r *runner) print() {
	w := r.stdout
	res := r.results
	fmt.Fprintf(w, "\nDepotix benchmark, %s, %d cores, %s, PostgreSQL %s\n", time.Now().Format("2006-01-02 15:04"), r.cores, runtime.Version(), res.pgVersion)
	fmt.Fprintf(w, "background load before the scenarios: %.2f of %d cores busy\n", res.background, r.cores)
	fmt.Fprintf(w, "seeded %d items, %d locations, %d stock levels, %d movements in %s\n\n",
		res.seed.Rows["items"], res.seed.Rows["locations"], res.seed.Rows["stock"], res.seed.Rows["movements"], res.seed.Elapsed.Round(100*time.Millisecond))
	report.Text(w, res.rows)
	fmt.Fprintln(w)
	for _, l := range res.rss {
		fmt.Fprintf(w, "RSS %-34s %6.1f MB  %s\n", l.what, mb(l.bytes), rssVerdict(l))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "CPU in cores, whole run of each scenario (warm-up included):")
	for _, m := range res.cpu {
		fmt.Fprintf(w, "  %-38s %s\n", m.name, m.cpu)
	}
	fmt.Fprintln(w)
	if res.sales.ran {
		fmt.Fprintf(w, "sales: %d orders prepared in %s, %d invoices seeded in %s, sales scenarios %s in all\n",
			res.sales.ordersPrepared, res.sales.ordersElapsed.Round(100*time.Millisecond), res.sales.invoicesSeeded,
			res.sales.seedElapsed.Round(100*time.Millisecond), res.sales.elapsed.Round(time.Second))
		fmt.Fprintf(w, "50 concurrent issuers: %s\n\n", res.sales.gapless)
	}
	switch {
	case res.plans != nil:
		fmt.Fprintf(w, "query plans: %d list requests, %d statements explained at this size, %d read items, movements, stock or invoices sequentially\n",
			res.plans.Requests, len(res.plans.Plans), len(res.plans.Findings()))
		for _, p := range res.plans.Findings() {
			fmt.Fprintf(w, "  %s: Seq Scan on %v\n    %.300s\n", p.Request, p.SeqScans, p.SQL)
		}
		for _, u := range res.plans.Unused {
			fmt.Fprintf(w, "  %s: meant to be read, not read\n", u)
		}
	case res.planTestRan:
		fmt.Fprintln(w, "query plans: the test produced no report")
	}
	if res.planTestRan {
		fmt.Fprintf(w, "query plan test (TestListQueryPlansAtSize): %s\n", map[bool]string{true: "pass", false: "FAIL"}[res.planTestOK])
	}
	fmt.Fprintf(w, "total time %s\n", res.total.Round(time.Second))
}

// verdict is a fresh pass or fail for a row.
func verdict(ok bool) *bool { return &ok }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

func rssVerdict(l rssLine) string {
	switch {
	case l.target == 0:
		return ""
	case l.bytes <= l.target:
		return fmt.Sprintf("target ≤ %.0f MB: pass", mb(l.target))
	default:
		return fmt.Sprintf("target ≤ %.0f MB: FAIL", mb(l.target))
	}
}

func joinLines(s []string) string {
	var b bytes.Buffer
	for i, l := range s {
		if i > 0 {
			b.WriteString("\n  ")
		}
		b.WriteString(l)
	}
	return b.String()
}
