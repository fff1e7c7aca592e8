package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/depotix/depotix/bench/plancheck"
	"github.com/depotix/depotix/bench/report"
)

// machine describes where the figures were measured.
type machine struct {
	cpu, ram, os, kernel string
}

func readMachine() machine {
	m := machine{cpu: "unknown", ram: "unknown", os: runtime.GOOS, kernel: "unknown"}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				m.cpu = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		if _, err := fmt.Sscanf(string(b), "MemTotal: %d kB", &kb); err == nil {
			m.ram = fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "PRETTY_NAME="); ok {
				m.os = strings.Trim(v, `"`)
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		m.kernel = strings.TrimSpace(string(b))
	}
	return m
}

func (r *runner) markdown() []byte {
	res := r.results
	m := readMachine()
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	p("# Performance\n\n")
	p("Figures of `make bench`, measured on %s. The benchmark writes this file itself; run it again rather than editing the figures.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04 UTC"))

	p("## Machine and command\n\n")
	p("| | |\n|---|---|\n")
	p("| CPU | %s, %d cores |\n", m.cpu, r.cores)
	p("| RAM | %s |\n", m.ram)
	p("| OS | %s, Linux %s |\n", m.os, m.kernel)
	p("| Go | %s |\n", runtime.Version())
	p("| PostgreSQL | %s, the native stack's cluster with its defaults (`scripts/pg.sh`: shared_buffers 128 MB, fsync and synchronous_commit on) |\n", res.pgVersion)
	if res.apiVersion != "" {
		p("| Depotix | `%s` |\n", res.apiVersion)
	}
	p("| Command | `make bench`, which runs `%s` after `make build` |\n", r.command)
	p("| Run time | %s in all (seeding %s) |\n", res.total.Round(time.Second), res.seed.Elapsed.Round(time.Second))
	cache := "on, `API_CACHE_SIZE` at its default (32M)"
	if v, ok := os.LookupEnv("API_CACHE_SIZE"); ok {
		cache = "`API_CACHE_SIZE=" + v + "` (from the environment; 0 turns it off)"
	}
	p("| api response cache | %s |\n", cache)
	p("| Background load | %.2f of %d cores busy over 3 s with the stack idle, just before the scenarios (other processes on the machine) |\n\n", res.background, r.cores)

	p("## Data\n\n")
	p("Seeded straight into PostgreSQL with `COPY` (pgx `CopyFrom`), foreign keys and CHECK constraints checked by the database as it loads:\n\n")
	tables := make([]string, 0, len(res.seed.Rows))
	for t := range res.seed.Rows {
		tables = append(tables, t)
	}
	sort.Strings(tables)
	p("| table | rows |\n|---|---|\n")
	for _, t := range tables {
		p("| %s | %d |\n", t, res.seed.Rows[t])
	}
	p("\nA beverage wholesaler's catalogue (wines, beers, waters, soft drinks, spirits, snacks) with brands, SKUs, GTIN-13 codes with valid check digits, crates, cartons and pallets, deposits and Swiss VAT rates; a year of receipts (priced, moving the average cost), issues, returns, defects, write-offs, stock-takes and transfers, with popular items moving more. Every stock level is the sum of its movements, and each item's average cost is where its receipts left it; both were verified after seeding (%s) and again after the load (%d movements).\n\n",
		res.seedVerify.Round(100*time.Millisecond), res.ledgerChecked)
	p("| seeding step | time |\n|---|---|\n")
	for _, ph := range res.seed.Phases {
		p("| %s | %s |\n", ph.Name, ph.Elapsed.Round(10*time.Millisecond))
	}
	p("| **total** | **%s** |\n\n", res.seed.Elapsed.Round(100*time.Millisecond))

	p("## Results\n\n")
	p("Each scenario keeps a fixed number of workers busy (conc: %d for the lists and the proxy ceiling, %d for the movements and the transaction ceiling), "+
		"each sending its next request as soon as the last is answered; %s warm-up, then %s measured; latencies are exact percentiles of every request in that window. "+
		"HTTP/1.1 keep-alive over TLS through the proxy (one connection per worker, as wrk does); the api clients send `Accept-Encoding: gzip` as browsers do and count the bytes without inflating them; the proxy ceiling is measured the same way. "+
		"Errors are transport errors and answers other than the expected 200 or 201. The percentages compare a list with the proxy ceiling and a movement with the transaction ceiling of its kind.\n\n",
		r.opts.readConcurrency, r.opts.writeConcurrency, r.opts.warmup, r.opts.duration)
	report.Markdown(&b, res.rows)
	p("\nThe api answers a repeated read from its response cache until the next write (docs/architecture.md, \"Response cache\"), so the list rows without a suffix " +
		"measure what a read costs while nobody books: the same request again and again, as when many people have the same list open. " +
		"The `no-cache` rows send `Cache-Control: no-cache`, which makes the api ask PostgreSQL every time: what a read costs right after a write, " +
		"and what every read cost before the cache. The web pages' api calls go through the same cache.\n")
	if r.opts.webPages {
		p("\nThe `page:` rows are the web's main pages as a signed-in administrator's browser gets them: the benchmark signs in through the web's own `/login` form "+
			"(its CSRF field and cookie), then %d workers load the page through the proxy with that session's cookie, %s measured after the same warm-up "+
			"(a fresh sign-in per page, so no session comes near its access token's expiry under load). Each request is the whole server-side page: "+
			"the proxy, the web opening the sealed session cookie, the web's api calls (concurrent where a page needs several), templ rendering and the HTML; "+
			"the browser's work (styles, the small scripts) is not in it. Target: every page in ≤ %d ms p95 at this data size. "+
			"A page that does not answer its first request with 200 is reported as failed and not measured.\n",
			r.opts.webConcurrency, r.opts.webDuration, pageP95Target.Milliseconds())
	}

	if res.sales.ran {
		r.salesMarkdown(p)
	}
	p("\n## Memory (RSS)\n\n")
	p("| process | VmRSS | target |\n|---|---|---|\n")
	for _, l := range res.rss {
		v := "—"
		if l.target > 0 {
			v = rssVerdict(l)
		}
		p("| %s | %.1f MB | %s |\n", l.what, mb(l.bytes), v)
	}
	p("\nSampled from `/proc/PID/status` every 100 ms. Idle is the largest sample over one second: for the stack, two seconds after it reported ready; for the second api, two seconds after it first answered `/healthz`.\n")

	p("\n## CPU use\n\n")
	p("Cores each process kept busy over the whole scenario (warm-up included), from `/proc/PID/stat`; postgres counts every backend; machine is all processes, from `/proc/stat`; others is the machine less the processes listed: the kernel's network and disk work, the idle parts of the stack, and whatever else ran on the machine. The load generator runs on the same cores as what it measures.\n\n")
	p("| scenario | cores used | others | machine busy | bound by |\n|---|---|---|---|---|\n")
	for _, c := range res.cpu {
		var parts []string
		for i, n := range c.cpu.names {
			parts = append(parts, fmt.Sprintf("%s %.2f", n, c.cpu.cores[i]))
		}
		p("| %s | %s | %.2f | %.2f of %d | %s |\n", c.name, strings.Join(parts, ", "), c.cpu.other, c.cpu.machine, c.cpu.of, c.cpu.boundBy())
	}

	p("\nThe same as CPU time per request: each process's cores divided by the scenario's requests per second (the cores include the warm-up at the same load, so this is a close estimate). "+
		"The last column is what %d fully busy cores would allow at that cost per request, everything on this machine included: a scenario's ceiling before any waiting.\n\n", r.cores)
	p("| scenario | req/s | CPU ms per request | total | %d cores allow |\n|---|---|---|---|---|\n", r.cores)
	for _, c := range res.cpu {
		rate := c.result.Throughput()
		if rate <= 0 {
			continue
		}
		var parts []string
		total := c.cpu.other * 1000 / rate
		for i, n := range c.cpu.names {
			ms := c.cpu.cores[i] * 1000 / rate
			total += ms
			parts = append(parts, fmt.Sprintf("%s %.2f", n, ms))
		}
		parts = append(parts, fmt.Sprintf("others %.2f", c.cpu.other*1000/rate))
		p("| %s | %.0f | %s | %.2f | %.0f req/s |\n", c.name, rate, strings.Join(parts, ", "), total, float64(c.cpu.of)*1000/total)
	}

	p("\n## Query plans at this size\n\n")
	if res.planTestRan {
		p("Target: no list query without an index. Result: %s.\n\n", map[bool]string{true: "pass", false: "**FAIL**"}[res.planTestOK])
	}
	switch {
	case res.plans != nil:
		p("`TestListQueryPlansAtSize` (in `bench/plancheck`, run by `make bench` against the seeded database) started an api whose database connections pass through a recording relay, sent it %d list requests (every sort and filter of items, stock and the journal, the item search terms, the invoice list's filters and searches, a second page of each, and the small lists), and ran `EXPLAIN` on each of the %d distinct SELECTs it captured, with the arguments the api had sent, then timed each statement alone (fastest of three runs, round trip included). ",
			res.plans.Requests, len(res.plans.Plans))
		findings := res.plans.Findings()
		if len(findings) == 0 {
			p("None reads items, movements, stock or invoices sequentially.\n")
		} else {
			p("**%d read items, movements, stock or invoices sequentially:**\n\n", len(findings))
			for _, f := range findings {
				p("- `%s`: Seq Scan on %s (%.1f ms)  \n  `%s`\n", f.Request, strings.Join(f.SeqScans, ", "), f.ExecutionMS, truncate(f.SQL, 400))
			}
		}
		p("\nThe statements behind the measured lists, as the api runs them for a first and a second page (each run alone, fastest of three, round trip included):\n\n")
		p("| scenario | request | time | statement |\n|---|---|---|---|\n")
		for _, rp := range res.readPlans {
			var mine []plancheck.Plan
			for _, pl := range res.plans.Plans {
				if rp.match(pl.Request) && readsBigTable.MatchString(pl.SQL) {
					mine = append(mine, pl)
				}
			}
			sort.SliceStable(mine, func(i, j int) bool { return mine[i].ExecutionMS > mine[j].ExecutionMS })
			for _, pl := range mine[:min(6, len(mine))] {
				p("| %s | `%s` | %.1f ms | `%s` |\n", rp.scenario, pl.Request, pl.ExecutionMS, mdCode(truncate(pl.SQL, 120)))
			}
		}
		slowest := slices.Clone(res.plans.Plans)
		sort.SliceStable(slowest, func(i, j int) bool { return slowest[i].ExecutionMS > slowest[j].ExecutionMS })
		p("\nThe slowest statements:\n\n| request | execution | statement |\n|---|---|---|\n")
		for _, s := range slowest[:min(8, len(slowest))] {
			p("| `%s` | %.1f ms | `%s` |\n", s.Request, s.ExecutionMS, mdCode(truncate(s.SQL, 160)))
		}
	case res.planTestRan:
		p("The query plan test ran but left no report; its output:\n\n```\n%s\n```\n", truncate(res.planTestOut, 4000))
	default:
		p("Not run (`-plan-test=false`).\n")
	}

	p("\n## What bounds each figure\n\n")
	p("- **One machine for everything.** The load generator, the proxy, the api, web (idle) and PostgreSQL share the same %d cores, "+
		"so a scenario that keeps the machine busy is CPU-bound and its absolute figures include the load generator's own cost (its share is in the CPU table). "+
		"The ceilings are measured the same way in the same run, so the percentages compare like with like.\n", r.cores)
	p("- **Proxy ceiling.** Caddy terminating TLS and proxying to a handler that returns 11 bytes, with the production Caddyfile " +
		"(request ids, security headers, JSON access log). Every api read pays the same, plus its own work and a larger body.\n")
	p("- **Reads.** Per request the api authenticates the bearer token (a session check in PostgreSQL), reads the list's total (kept counters for unsearched item " +
		"and stock lists, a window count in a search's page query, a capped count otherwise) and its page, and encodes a page of 50 as JSON; the api and the proxy each log one line. " +
		"The per-request CPU table shows the bound: a list read costs the proxy alone about as much as a whole trivial request does, " +
		"so a read can reach a large share of the proxy ceiling only if the api and PostgreSQL together cost next to nothing.\n")
	p("- **Transaction ceiling.** BEGIN, lock the stock row (`FOR UPDATE`) and read it, insert the movement, update the level, COMMIT: "+
		"five round trips and one WAL flush per transaction, at the same concurrency (one connection per worker). The api does that and more for a movement, in two round trips "+
		"(pipelined statements): the replay lookup of the Idempotency-Key, item, location and partner locks, the names of who books, the average-cost update "+
		"of a priced receipt, the audit record, and the triggers that keep each item's totals and the dashboard's figures; it runs them on at most "+
		"DB_MAX_CONNS connections (%s). PostgreSQL writes a checkpoint before each write scenario, so each starts on the same footing "+
		"(after a checkpoint, the first change of a page logs the whole page).\n", apiConns(r.cores))
	if r.opts.webPages {
		p("- **Pages.** A page costs one request through the proxy to web plus the api calls the page makes over loopback (answered from the api's cache while nothing is written); " +
			"its time is the slowest chain of those calls plus rendering. The web process's CPU is its own column in the CPU table.\n")
	}
	p("- **Hot item.** Every movement of one item at one place queues for the same stock row lock, so the movements are booked one after another, " +
		"each holding the lock through its commit's WAL flush.\n")
	return b.Bytes()
}

// apiConns says how many database connections the benchmark's api had.
func apiConns(cores int) string {
	if v := os.Getenv("DB_MAX_CONNS"); v != "" {
		return v + ", set in the environment"
	}
	return fmt.Sprintf("default four per core: here %d", 4*cores)
}

// readsBigTable spots the list queries among the statements of a request
// (the others check the session).
var readsBigTable = regexp.MustCompile(`\bFROM (items|movements|stock|invoices)\b`)

// mdCode escapes what would end a table cell.
func mdCode(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + " …"
}
