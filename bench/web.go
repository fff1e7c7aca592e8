package main

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/depotix/depotix/bench/load"
	"github.com/depotix/depotix/bench/procstat"
	"github.com/depotix/depotix/bench/report"
	"github.com/depotix/depotix/bench/seed"
)

// pageP95Target is the issue's "every page renders in ≤ 50 ms p95 at the
// benchmark's data size".
const pageP95Target = 50 * time.Millisecond

// webClient loads the web's pages as a signed-in browser does: it signs in
// through the /login form (CSRF field and cookie) and sends the session
// cookie with every page it asks for.
type webClient struct {
	http *http.Client
	base string // https://localhost:port
	// cookies are the session's, as the web last set them.
	cookies map[string]*http.Cookie
}

func newWebClient(c *http.Client, base string) *webClient {
	return &webClient{http: c, base: base, cookies: map[string]*http.Cookie{}}
}

// csrfField finds the sign-in form's CSRF token in a page.
var csrfField = regexp.MustCompile(`name="_csrf"\s+value="([^"]*)"`)

// signIn signs in through the web's own form, as a person would: the form
// page sets the pre-sign-in CSRF cookie and carries the token, the post
// answers 303 with the sealed session cookie.
func (c *webClient) signIn(ctx context.Context, email, password string) error {
	body, out := c.fetch(ctx, http.MethodGet, "/login", nil, http.StatusOK)
	if out.Err != nil {
		return fmt.Errorf("web sign-in form: %w", out.Err)
	}
	m := csrfField.FindSubmatch(body)
	if m == nil {
		return errors.New("web sign-in form: no CSRF field in the page")
	}
	form := url.Values{"email": {email}, "password": {password}, "_csrf": {html.UnescapeString(string(m[1]))}}
	if _, out = c.fetch(ctx, http.MethodPost, "/login", form, http.StatusSeeOther); out.Err != nil {
		return fmt.Errorf("web sign-in: %w", out.Err)
	}
	if c.cookies["dpx_session"] == nil {
		return errors.New("web sign-in: no session cookie in the answer")
	}
	return nil
}

// fetch sends one request with the client's cookies and keeps the cookies
// the answer sets (or deletes).
func (c *webClient) fetch(ctx context.Context, method, path string, form url.Values, want int) ([]byte, load.Outcome) {
	var req *http.Request
	var err error
	if form != nil {
		req, err = http.NewRequestWithContext(ctx, method, c.base+path, strings.NewReader(form.Encode()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	} else {
		req, err = http.NewRequestWithContext(ctx, method, c.base+path, nil)
	}
	if err != nil {
		return nil, load.Outcome{Err: err}
	}
	for _, ck := range c.cookies {
		req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, load.Outcome{Err: err}
	}
	defer resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck
		}
	}
	return readAnswer(req, resp, want)
}

// readAnswer reads the whole body (so the connection is reused) and
// accepts only the status want.
func readAnswer(req *http.Request, resp *http.Response, want int) ([]byte, load.Outcome) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	out := load.Outcome{Status: resp.StatusCode, Err: err}
	if out.Err == nil && resp.StatusCode != want {
		out.Err = fmt.Errorf("%s %s: status %d (location %q), want %d: %.200s",
			req.Method, req.URL.RequestURI(), resp.StatusCode, resp.Header.Get("Location"), want, b)
	}
	return b, out
}

// page is a load op that fetches the page pathFor chooses with the
// session's cookies. The cookies are read, never changed, by the workers:
// a page that would refresh the session (its access token close to
// expiry) is a sign the run took longer than a session lasts, and the
// 303 to the sign-in page that follows counts as an error.
func (c *webClient) page(pathFor func(worker, seq int) string) load.Op {
	header := c.cookieHeader()
	return func(ctx context.Context, w, seq int) load.Outcome {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+pathFor(w, seq), nil)
		if err != nil {
			return load.Outcome{Err: err}
		}
		req.Header.Set("Cookie", header)
		return load.Do(c.http, req, http.StatusOK)
	}
}

// cookieHeader is the Cookie header of the session as it is now.
func (c *webClient) cookieHeader() string {
	var parts []string
	for _, ck := range c.cookies {
		parts = append(parts, (&http.Cookie{Name: ck.Name, Value: ck.Value}).String())
	}
	return strings.Join(parts, "; ")
}

// webPage is one page the web scenario measures.
type webPage struct {
	name  string
	paths func(worker, seq int) string
}

// webPages are the main pages: the navigation's entries, the item search
// and an item's page. Items are picked from the seeded active items and
// search terms from the seed's list, in turn per request.
func webPages(terms []string, itemIDs []int64) []webPage {
	search := make([]string, len(terms))
	for i, t := range terms {
		search[i] = "/items?q=" + url.QueryEscape(t)
	}
	detail := make([]string, len(itemIDs))
	for i, id := range itemIDs {
		detail[i] = fmt.Sprintf("/items/%d", id)
	}
	turn := func(paths []string) func(int, int) string {
		return func(w, seq int) string { return paths[(w*31+seq)%len(paths)] }
	}
	return []webPage{
		{"page: dashboard /", fixed("/")},
		{"page: items list /items", fixed("/items")},
		{fmt.Sprintf("page: items search /items?q= (%d terms)", len(terms)), turn(search)},
		{fmt.Sprintf("page: item detail /items/{id} (%d items)", len(itemIDs)), turn(detail)},
		{"page: stock /stock", fixed("/stock")},
		{"page: journal /journal", fixed("/journal")},
		{"page: movements /movements", fixed("/movements")},
		{"page: categories /categories", fixed("/categories")},
		{"page: suppliers /suppliers", fixed("/suppliers")},
		{"page: customers /customers", fixed("/customers")},
		{"page: locations /locations", fixed("/locations")},
		{"page: users /users", fixed("/users")},
		{"page: audit trail /audit", fixed("/audit")},
	}
}

// spreadItems picks up to n item ids spread over the seeded active items.
func spreadItems(ids []int64, n int) []int64 {
	var out []int64
	seen := map[int64]bool{}
	step := max(len(ids)/n, 1)
	for i := 0; i < len(ids) && len(out) < n; i += step {
		if !seen[ids[i]] {
			seen[ids[i]] = true
			out = append(out, ids[i])
		}
	}
	return out
}

// webPagesTarget is the target column of the page rows.
func webPagesTarget() string {
	return fmt.Sprintf("p95 ≤ %d ms", pageP95Target.Milliseconds())
}

// pagePass is a page row's verdict: p95 within the target, no errors.
func pagePass(res load.Result) *bool {
	return verdict(res.Requests > 0 && res.Percentile(95) <= pageP95Target && res.Errors == 0)
}

// webPagesScenario signs in to the web through the proxy and measures each
// main page with the session's cookie. A page that does not answer 200 to
// a first request is reported as failed, not measured.
func (r *runner) webPagesScenario(ctx context.Context, g groups) error {
	s := r.stack
	conc := r.opts.webConcurrency
	client, err := load.NewClient(conc, s.RootPEM)
	if err != nil {
		return err
	}
	terms, err := seed.SearchTerms(ctx, r.pool)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(r.results.seed.Slots))
	for _, sl := range r.results.seed.Slots {
		ids = append(ids, sl.ItemID)
	}
	pages := webPages(terms, spreadItems(ids, 64))
	pageGroups := []cpuGroup{g.loadgen, g.proxy, g.web, g.api, g.postgres}
	rss := procstat.StartSampler(100*time.Millisecond, s.WebPID, s.APIPID)
	for _, pg := range pages {
		// A fresh session per page: each stays far from its access token's
		// expiry, so the web never refreshes it under load.
		wc := newWebClient(client, s.URL(""))
		if err := wc.signIn(ctx, s.AdminEmail, s.AdminPassword); err != nil {
			return err
		}
		body, out := wc.fetch(ctx, http.MethodGet, pg.paths(0, 0), nil, http.StatusOK)
		if out.Err != nil {
			cause := out.Err
			if out.Status != 0 { // the page's HTML says nothing the status does not
				cause = fmt.Errorf("GET %s answered %d", pg.paths(0, 0), out.Status)
			}
			r.results.rows = append(r.results.rows, pageRowNotMeasured(pg.name, conc, cause))
			r.results.failures = append(r.results.failures, fmt.Sprintf("%s: %v", pg.name, cause))
			r.logf("%-34s not measured: %v", pg.name, cause)
			continue
		}
		m, err := r.measureFor(ctx, pg.name, conc, r.opts.webDuration, pageGroups, wc.page(pg.paths))
		if err != nil {
			return err
		}
		r.add(m, 0, webPagesTarget(), pagePass(m.result), fmt.Sprintf("a page is %.1f KB of HTML", float64(len(body))/1024))
	}
	peaks := rss.Stop()
	r.results.rss = append(r.results.rss,
		rssLine{"web peak under the page load", peaks[s.WebPID], 0})
	return nil
}

// pageRowNotMeasured is the row of a page that failed its first request.
func pageRowNotMeasured(name string, conc int, err error) report.Row {
	return report.Row{Scenario: name, Concurrency: conc, Target: webPagesTarget(), Pass: verdict(false),
		Note: fmt.Sprintf("not measured: %.200v", err)}
}
