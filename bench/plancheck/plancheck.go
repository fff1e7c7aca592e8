// Package plancheck checks the query plans of the api's list queries at
// the size of a seeded database: it runs an api instance whose database
// connections pass through a recording relay, sends it every list request
// (each filter, sort and a second page), and EXPLAINs each SELECT the api
// ran, with the arguments it ran it with, and times it. A sequential scan
// of items, movements, stock or invoices in any of those plans is a finding.
package plancheck

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// BigTables are the tables no list query may read whole.
var bigTables = []string{"items", "item_stock", "movements", "stock", "invoices"}

// Options says which database and api binary to check with.
type Options struct {
	DatabaseURL string // a seeded database
	APIBinary   string
	Email       string // an admin of that database
	Password    string
	SearchTerms []string // what people type into the item search
	Log         func(format string, args ...any)
}

// Plan is the checked plan of one captured statement.
type Plan struct {
	Request     string   `json:"request"` // the api request that ran it
	SQL         string   `json:"sql"`
	Params      []string `json:"params"` // as text where readable
	SeqScans    []string `json:"seq_scans,omitempty"`
	Indexes     []string `json:"indexes,omitempty"` // the indexes it reads
	ExecutionMS float64  `json:"execution_ms"`      // fastest of three runs, round trip included
	Plan        any      `json:"plan,omitempty"`    // only kept for findings
}

// Report is the outcome of a check.
type Report struct {
	Requests int    `json:"requests"`
	Plans    []Plan `json:"plans"`
	// Unused are the indexes a request is meant to read that none of its
	// statements read: "request: index".
	Unused []string `json:"unused_indexes,omitempty"`
}

// Findings are the plans that read a big table sequentially.
func (r Report) Findings() []Plan {
	var out []Plan
	for _, p := range r.Plans {
		if len(p.SeqScans) > 0 {
			out = append(out, p)
		}
	}
	return out
}

// Run performs the check.
func Run(ctx context.Context, o Options) (Report, error) {
	if o.Log == nil {
		o.Log = func(string, ...any) {}
	}
	cfg, err := pgconn.ParseConfig(o.DatabaseURL)
	if err != nil {
		return Report{}, fmt.Errorf("plancheck: database URL: %w", err)
	}
	network, addr := "tcp", net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port)))
	if strings.HasPrefix(cfg.Host, "/") {
		network, addr = "unix", filepath.Join(cfg.Host, fmt.Sprintf(".s.PGSQL.%d", cfg.Port))
	}
	capture, err := Listen(func() (net.Conn, error) { return net.DialTimeout(network, addr, 5*time.Second) })
	if err != nil {
		return Report{}, err
	}
	defer capture.Close()

	api, err := startAPI(ctx, o.APIBinary, relayURL(cfg, capture.Addr()))
	if err != nil {
		return Report{}, err
	}
	defer api.stop()

	db, err := pgx.Connect(ctx, o.DatabaseURL)
	if err != nil {
		return Report{}, fmt.Errorf("plancheck: %w", err)
	}
	defer db.Close(ctx)
	ids, err := sampleIDs(ctx, db)
	if err != nil {
		return Report{}, err
	}

	token, err := api.login(ctx, o.Email, o.Password)
	if err != nil {
		return Report{}, err
	}
	want := invoiceIndexes(ids)
	requests := listRequests(ids, o.SearchTerms)
	var rep Report
	for _, first := range requests {
		capture.SetLabel(first)
		path := first
		// A second page runs the keyset condition as well.
		for page := 1; page <= 2 && path != ""; page++ {
			body, err := api.get(ctx, token, path)
			if err != nil {
				return rep, err
			}
			rep.Requests++
			var list struct {
				NextCursor *string `json:"next_cursor"`
			}
			path = ""
			if json.Unmarshal(body, &list) == nil && list.NextCursor != nil {
				path = first + "&cursor=" + url.QueryEscape(*list.NextCursor)
			}
		}
	}
	capture.SetLabel("")

	seen := map[string]bool{}
	for _, s := range capture.Statements() {
		if s.Label == "" || !readOnlySelect(s.SQL) {
			continue
		}
		key := s.SQL + "\x00" + fmt.Sprint(s.Params)
		if seen[key] {
			continue
		}
		seen[key] = true
		p, err := explain(ctx, db.PgConn(), s)
		if err != nil {
			return rep, fmt.Errorf("plancheck: explain the statement of %s: %w\n%s", s.Label, err, s.SQL)
		}
		rep.Plans = append(rep.Plans, p)
	}
	for _, r := range requests {
		for _, index := range want[r] {
			read := slices.ContainsFunc(rep.Plans, func(p Plan) bool { return p.Request == r && slices.Contains(p.Indexes, index) })
			if !read {
				rep.Unused = append(rep.Unused, r+": "+index)
			}
		}
	}
	o.Log("plancheck: %d requests, %d distinct statements explained, %d reading a big table whole, %d meant indexes unused",
		rep.Requests, len(rep.Plans), len(rep.Findings()), len(rep.Unused))
	return rep, nil
}

// listRequests are the list requests of the api: every sort and filter of
// items, stock and the journal, and the small lists, each also at page two;
// the journal's export and the dashboard.
func listRequests(ids sample, terms []string) []string {
	p := func(format string, args ...any) string { return fmt.Sprintf(format, args...) }
	out := []string{"/api/v1/items?limit=50"}
	for _, s := range []string{"name", "-name", "sku", "-sku", "created_at", "-created_at"} {
		out = append(out, "/api/v1/items?limit=50&sort="+s)
	}
	out = append(out,
		"/api/v1/items?limit=50&archived=true", "/api/v1/items?limit=50&archived=all",
		p("/api/v1/items?limit=50&category_id=%d", ids.category),
		p("/api/v1/items?limit=50&category_id=%d&sort=-created_at", ids.category),
		"/api/v1/items?limit=50&low_stock=true", p("/api/v1/items?limit=50&location_id=%d", ids.location),
		p("/api/v1/items?limit=50&location_id=%d&low_stock=true&sort=sku", ids.location),
	)
	for _, t := range terms {
		out = append(out, "/api/v1/items?limit=50&q="+url.QueryEscape(t))
	}
	if len(terms) > 0 {
		out = append(out,
			p("/api/v1/items?limit=50&sort=name&q=%s", url.QueryEscape(terms[0])),
			p("/api/v1/items?limit=50&category_id=%d&q=%s", ids.category, url.QueryEscape(terms[0])))
	}
	out = append(out,
		"/api/v1/stock?limit=50", "/api/v1/stock?limit=50&low_stock=true",
		p("/api/v1/stock?limit=50&location_id=%d", ids.location), p("/api/v1/stock?limit=50&category_id=%d", ids.category),
		p("/api/v1/stock?limit=50&item_id=%d", ids.item), p("/api/v1/stock?limit=50&location_id=%d&low_stock=true", ids.location),
		"/api/v1/movements?limit=50", "/api/v1/movements?limit=50&type=receipt",
		p("/api/v1/movements?limit=50&item_id=%d", ids.item), p("/api/v1/movements?limit=50&location_id=%d", ids.location),
		p("/api/v1/movements?limit=50&supplier_id=%d", ids.supplier), p("/api/v1/movements?limit=50&customer_id=%d", ids.customer),
		p("/api/v1/movements?limit=50&user_id=%d", ids.user),
		p("/api/v1/movements?limit=50&from=%s", url.QueryEscape(ids.monthAgo)),
		p("/api/v1/movements?limit=50&from=%s&to=%s", url.QueryEscape(ids.monthAgo), url.QueryEscape(ids.weekAgo)),
		p("/api/v1/movements?limit=50&item_id=%d&type=issue", ids.item),
		p("/api/v1/items/%d/movements?limit=50", ids.item), p("/api/v1/items/%d/stock", ids.item),
		// The journal's CSV export: the journal's filters without a page.
		p("/api/v1/movements/export?item_id=%d", ids.item), p("/api/v1/movements/export?customer_id=%d", ids.customer),
		p("/api/v1/movements/export?from=%s", url.QueryEscape(ids.weekAgo)),
		p("/api/v1/movements/export?location_id=%d&from=%s", ids.location, url.QueryEscape(ids.weekAgo)),
		"/api/v1/dashboard",
		"/api/v1/categories?limit=50", "/api/v1/suppliers?limit=50", "/api/v1/customers?limit=50", "/api/v1/locations?limit=50",
	)
	// The invoice list's filters, when the benchmark's sales part seeded
	// invoices (a handful would be read whole, rightly).
	if ids.invoices >= 1000 {
		inv := "/api/v1/invoices?limit=50"
		out = append(out, inv, inv+"&status=open", inv+"&status=overdue", inv+"&status=partially_paid", inv+"&status=paid",
			inv+"&status=open&status=partially_paid&status=overdue", inv+"&status=open&status=paid",
			p("%s&customer_id=%d", inv, ids.invoiceCustomer), p("%s&customer_id=%d&status=overdue", inv, ids.invoiceCustomer),
			inv+"&q=RE0123", inv+"&q=RE01", p("%s&q=%s", inv, url.QueryEscape(ids.invoiceName)),
			p("%s&q=%d", inv, ids.invoiceCustomerNumber), p("%s&q=%s&status=open", inv, url.QueryEscape(ids.invoiceName)))
	}
	return out
}

// invoiceIndexes are the indexes the invoice list's requests are meant to
// read (migrations 000020, 000022, 000023): the unsettled invoices'
// partial index for a page of a payment state and the index of those not
// yet due for the count of open ones; the settled ones' for a page of
// paid ones; the number prefix index and the names' newest first for a
// search.
func invoiceIndexes(ids sample) map[string][]string {
	if ids.invoices < 1000 {
		return nil
	}
	inv := "/api/v1/invoices?limit=50"
	name := inv + "&q=" + url.QueryEscape(ids.invoiceName)
	return map[string][]string{
		inv:                            {"invoices_pkey"},
		inv + "&status=open":           {"invoices_unsettled_idx", "invoices_unsettled_due_idx"},
		inv + "&status=overdue":        {"invoices_unsettled_idx", "invoices_unsettled_due_idx"},
		inv + "&status=paid":           {"invoices_settled_idx"},
		inv + "&status=partially_paid": {"invoices_unsettled_idx", "invoices_unsettled_due_idx"},
		inv + "&status=open&status=partially_paid&status=overdue":  {"invoices_unsettled_idx"},
		fmt.Sprintf("%s&customer_id=%d", inv, ids.invoiceCustomer): {"invoices_customer_idx"},
		inv + "&q=RE0123": {"invoices_number_prefix_idx"},
		inv + "&q=RE01":   {"invoices_number_prefix_idx"},
		name:              {"invoices_customer_name_id_idx"},
		fmt.Sprintf("%s&q=%d", inv, ids.invoiceCustomerNumber): {"invoices_customer_number_idx"},
	}
}

type sample struct {
	item, location, category, supplier, customer, user int64
	monthAgo, weekAgo                                  string
	// An invoiced customer, their number and a word of their name, and
	// how many invoices there are.
	invoiceCustomer, invoiceCustomerNumber, invoices int64
	invoiceName                                      string
}

// sampleIDs picks records with history to filter on: a busy item and its
// place, and the busiest partners.
func sampleIDs(ctx context.Context, db *pgx.Conn) (sample, error) {
	var s sample
	err := db.QueryRow(ctx, `
		SELECT m.item_id, m.location_id, i.category_id, i.preferred_supplier_id
		  FROM movements m JOIN items i ON i.id = m.item_id
		 WHERE i.archived_at IS NULL AND i.category_id IS NOT NULL AND i.preferred_supplier_id IS NOT NULL
		 ORDER BY m.id DESC LIMIT 1`).Scan(&s.item, &s.location, &s.category, &s.supplier)
	if err != nil {
		return s, fmt.Errorf("plancheck: the database has no movements to check with (seed it first): %w", err)
	}
	if err := db.QueryRow(ctx, "SELECT coalesce(max(customer_id), 1) FROM movements WHERE id > (SELECT max(id) - 1000 FROM movements)").Scan(&s.customer); err != nil {
		return s, fmt.Errorf("plancheck: %w", err)
	}
	if err := db.QueryRow(ctx, "SELECT min(id) FROM users").Scan(&s.user); err != nil {
		return s, fmt.Errorf("plancheck: %w", err)
	}
	if err := db.QueryRow(ctx, `
		SELECT coalesce(max(customer_id), 0), coalesce(max(customer_number), 0), coalesce(max(lower(split_part(customer_name, ' ', 2))), ''),
		       (SELECT count(*) FROM invoices)
		  FROM (SELECT * FROM invoices ORDER BY id DESC LIMIT 1) last`).Scan(&s.invoiceCustomer, &s.invoiceCustomerNumber, &s.invoiceName, &s.invoices); err != nil {
		return s, fmt.Errorf("plancheck: %w", err)
	}
	now := time.Now().UTC()
	s.monthAgo, s.weekAgo = now.AddDate(0, -1, 0).Format(time.RFC3339), now.AddDate(0, 0, -7).Format(time.RFC3339)
	return s, nil
}

var (
	selectStart = regexp.MustCompile(`(?is)^\s*(SELECT|WITH)\b`)
	writes      = regexp.MustCompile(`(?i)\b(INSERT|UPDATE|DELETE|MERGE)\b|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE|KEY\s+SHARE)\b|\bnextval\s*\(`)
)

// readOnlySelect reports whether sql only reads, so that running it under
// EXPLAIN ANALYZE changes nothing and takes no row locks.
func readOnlySelect(sql string) bool {
	return selectStart.MatchString(sql) && !writes.MatchString(sql)
}

// explain asks PostgreSQL for the plan of s with its own arguments and
// formats (an unnamed statement, so a plan for exactly those values), then
// runs s itself three times and keeps the fastest: EXPLAIN ANALYZE would
// time its own instrumentation too, which for a count over 100,000 rows
// is most of it. All in a read-only transaction that is rolled back.
func explain(ctx context.Context, conn *pgconn.PgConn, s Statement) (Plan, error) {
	p := Plan{Request: s.Label, SQL: strings.Join(strings.Fields(s.SQL), " ")}
	for i, v := range s.Params {
		switch {
		case v == nil:
			p.Params = append(p.Params, "NULL")
		case paramFormat(s.Formats, i) == 1:
			p.Params = append(p.Params, fmt.Sprintf("binary %x", v))
		default:
			p.Params = append(p.Params, string(v))
		}
	}
	if err := conn.Exec(ctx, "BEGIN READ ONLY").Close(); err != nil {
		return p, err
	}
	defer func() { conn.Exec(ctx, "ROLLBACK").Close() }()
	// OIDs as declared; the rest inferred from the same context as before.
	oids := make([]uint32, len(s.Params))
	copy(oids, s.ParamOIDs)
	res := conn.ExecParams(ctx, "EXPLAIN (FORMAT JSON) "+s.SQL, s.Params, oids, s.Formats, nil).Read()
	if res.Err != nil {
		return p, res.Err
	}
	if len(res.Rows) != 1 || len(res.Rows[0]) != 1 {
		return p, errors.New("EXPLAIN returned no plan")
	}
	var out []struct {
		Plan map[string]any `json:"Plan"`
	}
	if err := json.Unmarshal(res.Rows[0][0], &out); err != nil || len(out) != 1 {
		return p, fmt.Errorf("EXPLAIN output: %v", err)
	}
	p.SeqScans = seqScans(out[0].Plan, nil)
	p.Indexes = indexes(out[0].Plan, nil)
	if len(p.SeqScans) > 0 {
		p.Plan = out[0].Plan
	}
	best := time.Duration(math.MaxInt64)
	for range 3 {
		t0 := time.Now()
		if res := conn.ExecParams(ctx, s.SQL, s.Params, oids, s.Formats, nil).Read(); res.Err != nil {
			return p, res.Err
		}
		best = min(best, time.Since(t0))
	}
	p.ExecutionMS = float64(best) / float64(time.Millisecond)
	return p, nil
}

// paramFormat is the format code of parameter i: Bind sends none (all
// text), one for all, or one per parameter.
func paramFormat(formats []int16, i int) int16 {
	switch len(formats) {
	case 0:
		return 0
	case 1:
		return formats[0]
	default:
		return formats[i]
	}
}

// seqScans lists the big tables a plan node or its children read
// sequentially.
func seqScans(node map[string]any, found []string) []string {
	return collect(node, found, func(n map[string]any) string {
		if rel, _ := n["Relation Name"].(string); n["Node Type"] == "Seq Scan" && slices.Contains(bigTables, rel) {
			return rel
		}
		return ""
	})
}

// indexes lists the indexes a plan node or its children read.
func indexes(node map[string]any, found []string) []string {
	return collect(node, found, func(n map[string]any) string {
		name, _ := n["Index Name"].(string)
		return name
	})
}

// collect adds what of (a name, or "") says of node and each node below
// it to found, each name once.
func collect(node map[string]any, found []string, of func(map[string]any) string) []string {
	if name := of(node); name != "" && !slices.Contains(found, name) {
		found = append(found, name)
	}
	children, _ := node["Plans"].([]any)
	for _, c := range children {
		if m, ok := c.(map[string]any); ok {
			found = collect(m, found, of)
		}
	}
	return found
}

// relayURL is the database URL of cfg with its host and port replaced by
// the relay's.
func relayURL(cfg *pgconn.Config, relay string) string {
	u := url.URL{Scheme: "postgres", Host: relay, Path: "/" + cfg.Database}
	if cfg.Password != "" {
		u.User = url.UserPassword(cfg.User, cfg.Password)
	} else {
		u.User = url.User(cfg.User)
	}
	u.RawQuery = "sslmode=disable"
	return u.String()
}

// api is an api process started for the check.
type api struct {
	cmd    *exec.Cmd
	base   string
	client *http.Client
	exited chan struct{}
	output *bytes.Buffer
}

func startAPI(ctx context.Context, binary, databaseURL string) (*api, error) {
	if _, err := os.Stat(binary); err != nil {
		return nil, fmt.Errorf("plancheck: api binary: %w (run make build)", err)
	}
	ln, err := net.Listen("tcp4", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	secret := make([]byte, 48)
	rand.Read(secret)
	a := &api{base: "http://" + addr, client: &http.Client{Timeout: 30 * time.Second}, exited: make(chan struct{}), output: &bytes.Buffer{}}
	a.cmd = exec.Command(binary)
	a.cmd.Env = append(os.Environ(), "DATABASE_URL="+databaseURL, "API_ADDR="+addr, "JWT_SECRET="+base64.StdEncoding.EncodeToString(secret),
		"MIGRATE_ON_START=false", "DB_MAX_CONNS=4", "LOG_LEVEL=warn", "LOG_FORMAT=json", "ADMIN_EMAIL=", "ADMIN_PASSWORD=")
	a.cmd.Stdout, a.cmd.Stderr = a.output, a.output
	if err := a.cmd.Start(); err != nil {
		return nil, fmt.Errorf("plancheck: start the api: %w", err)
	}
	go func() { a.cmd.Wait(); close(a.exited) }()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := a.client.Get(a.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return a, nil
			}
		}
		select {
		case <-a.exited:
			return nil, fmt.Errorf("plancheck: the api exited at start:\n%s", a.output)
		case <-ctx.Done():
			a.stop()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			a.stop()
			return nil, errors.New("plancheck: the api did not answer /healthz within a minute")
		}
	}
}

func (a *api) stop() {
	select {
	case <-a.exited:
		return
	default:
	}
	a.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-a.exited:
	case <-time.After(30 * time.Second):
		a.cmd.Process.Kill()
		<-a.exited
	}
}

func (a *api) login(ctx context.Context, email, password string) (string, error) {
	body, _ := json.Marshal(map[string]string{"email": email, "password": password})
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, a.base+"/api/v1/auth/login", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := a.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("plancheck: login: %w", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &tok) != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("plancheck: login as %s: status %d: %.300s", email, resp.StatusCode, b)
	}
	return tok.AccessToken, nil
}

func (a *api) get(ctx context.Context, token, path string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, a.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := a.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("plancheck: GET %s: %w", path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("status %d: %.300s", resp.StatusCode, b)
	}
	if err != nil {
		return nil, fmt.Errorf("plancheck: GET %s: %w", path, err)
	}
	return b, nil
}
