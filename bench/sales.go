package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"golang.org/x/sync/errgroup"

	"github.com/depotix/depotix/bench/load"
)

// Targets of issue 12.
const (
	issueRateTarget   = 50.0 // invoices per second
	invoiceListP99    = 50 * time.Millisecond
	pdfDownloadP95    = 20 * time.Millisecond
	gaplessIssuers    = 50
	linesPerOrder     = 20
	salesCustomers    = 40 // the customers the issued invoices are spread over
	orderPrepWorkers  = 8
	downloadInvoices  = 256 // issued invoices the PDF downloads pick from
	invoiceSeedPrefix = "RE"
)

// salesResult is what the report says about the sales scenarios besides
// their rows.
type salesResult struct {
	ran             bool
	ordersPrepared  int
	ordersElapsed   time.Duration
	invoicesSeeded  int64
	seedElapsed     time.Duration
	gapless         string // the 50 concurrent issuers' outcome
	gaplessOK       bool
	sequenceChecked string // the whole sequence after the load
	pdfBytes        int    // average size of the downloaded PDFs
	elapsed         time.Duration
}

// sales measures issue 12's figures: gapless numbers under 50 concurrent
// issuers, the issue throughput of 20-line invoices with their PDF, the
// invoice list over 50,000 invoices and the stored PDF's download, all
// through the proxy.
func (r *runner) sales(ctx context.Context, g groups, c *apiClient) error {
	start := time.Now()
	s := r.stack
	res := &r.results.sales
	res.ran = true
	// A client of its own, wide enough for the 50 issuers to be at the
	// api at once.
	hc, err := load.NewClient(max(gaplessIssuers, r.opts.readConcurrency, r.opts.issueConcurrency), s.RootPEM)
	if err != nil {
		return err
	}
	c = &apiClient{http: hc, base: c.base}
	if err := c.login(ctx, s.AdminEmail, s.AdminPassword); err != nil {
		return err
	}
	if err := c.completeCompanyProfile(ctx); err != nil {
		return err
	}
	customers := r.results.seed.Customers[:min(salesCustomers, len(r.results.seed.Customers))]
	run := time.Now().Format("150405")
	n := 1 + gaplessIssuers + r.opts.invoiceOrders
	loc, items, err := c.saleItems(ctx, r.pool, n, run)
	if err != nil {
		return err
	}
	r.logf("preparing %d delivered %d-line orders of %d customers through the api (create, confirm, deliver)", n, linesPerOrder, len(customers))
	t0 := time.Now()
	orders, err := c.deliveredOrders(ctx, n, loc, items, customers, run)
	if err != nil {
		return err
	}
	res.ordersPrepared, res.ordersElapsed = n, time.Since(t0)
	r.logf("orders delivered in %s", res.ordersElapsed.Round(100*time.Millisecond))

	// One invoice issued by the api is the model of the seeded ones: its
	// snapshot, totals and PDF are what the api writes.
	model, err := c.issue(ctx, orders[0], "bench-"+run+"-model")
	if err != nil {
		return fmt.Errorf("issue the model invoice: %w", err)
	}
	t0 = time.Now()
	if res.invoicesSeeded, err = seedInvoices(ctx, r.pool, model.ID, r.opts.invoices); err != nil {
		return err
	}
	res.seedElapsed = time.Since(t0)
	r.logf("seeded %d invoices in %s", res.invoicesSeeded, res.seedElapsed.Round(100*time.Millisecond))

	res.gapless, res.gaplessOK, err = c.concurrentIssue(ctx, r.pool, orders[1:1+gaplessIssuers], run)
	if err != nil {
		return err
	}
	if !res.gaplessOK {
		r.results.failures = append(r.results.failures, "50 concurrent issuers: "+res.gapless)
	}
	r.logf("50 concurrent issuers: %s", res.gapless)

	writeGroups := []cpuGroup{g.loadgen, g.proxy, g.api, g.postgres}
	pool := orders[1+gaplessIssuers:]
	if err := r.checkpoint(ctx); err != nil {
		return err
	}
	m, err := r.measureLimit(ctx, fmt.Sprintf("invoice issue (%d lines, PDF)", linesPerOrder), r.opts.issueConcurrency,
		r.opts.duration, len(pool), writeGroups, c.issueOp(pool, run))
	if err != nil {
		return err
	}
	note, ok, err := checkSequence(ctx, r.pool)
	if err != nil {
		return err
	}
	res.sequenceChecked = note
	if !ok {
		r.results.failures = append(r.results.failures, "invoice sequence after the issue load: "+note)
	}
	r.add(m, 0, fmt.Sprintf("≥ %.0f invoices/s", issueRateTarget), verdict(m.result.Throughput() >= issueRateTarget && m.result.Errors == 0 && ok),
		fmt.Sprintf("%d orders prepared for it; after the run %s", len(pool), note))

	if err := r.invoiceLists(ctx, g, c); err != nil {
		return err
	}
	if err := r.pdfDownloads(ctx, g, c); err != nil {
		return err
	}
	res.elapsed = time.Since(start)
	return nil
}

// invoiceLists reads the invoice list through the proxy with each filter
// the issue names. The api's response cache does not keep invoices; the
// requests say Cache-Control: no-cache all the same, so the figures stay
// the database's should it ever do.
func (r *runner) invoiceLists(ctx context.Context, g groups, c *apiClient) error {
	names, err := customerNameTerms(ctx, r.pool)
	if err != nil {
		return err
	}
	prefixes := numberPrefixes
	uncached := &apiClient{http: c.http, base: c.base, token: c.token, uncached: true}
	readGroups := []cpuGroup{g.loadgen, g.proxy, g.api, g.postgres}
	target := fmt.Sprintf("p99 ≤ %d ms", invoiceListP99.Milliseconds())
	list := "/api/v1/invoices?limit=50"
	for _, sc := range []struct {
		name   string
		client *apiClient
		paths  func(int, int) string
		plans  func(string) bool
		few    bool // also measured with fewer workers
	}{
		{"invoice list (limit=50)", uncached, fixed(list), exactly(list), true},
		{"invoices open", uncached, fixed(list + "&status=open"), exactly(list + "&status=open"), false},
		{"invoices overdue", uncached, fixed(list + "&status=overdue"), exactly(list + "&status=overdue"), false},
		{"invoices paid", uncached, fixed(list + "&status=paid"), exactly(list + "&status=paid"), false},
		{fmt.Sprintf("invoices by number prefix (%d)", len(prefixes)), uncached, queryPaths(list, prefixes), startingWith(list + "&q=RE"), true},
		{fmt.Sprintf("invoices by customer name (%d)", len(names)), uncached, queryPaths(list, names), nil, false},
	} {
		if sc.plans != nil {
			r.results.readPlans = append(r.results.readPlans, readPlan{sc.name, sc.plans})
		}
		size, err := sc.client.size(ctx, sc.paths(0, 0))
		if err != nil {
			return fmt.Errorf("%s: %w", sc.name, err)
		}
		m, err := r.measure(ctx, sc.name, r.opts.readConcurrency, readGroups, sc.client.get(sc.paths))
		if err != nil {
			return err
		}
		note := fmt.Sprintf("a page is %.1f KB of JSON", float64(size)/1024)
		r.add(m, 0, target, verdict(m.result.Percentile(99) <= invoiceListP99 && m.result.Errors == 0), note)
		if sc.few {
			if err := r.fewWorkers(ctx, sc.name, readGroups, sc.client.get(sc.paths)); err != nil {
				return err
			}
		}
	}
	return nil
}

// fewWorkers measures a scenario again with as many workers as the web
// pages' (4): the wait of one person while a few others work too, beside
// the 16 workers' figure, where two cores are saturated and the
// percentiles are mostly the queue. It has no target of its own.
func (r *runner) fewWorkers(ctx context.Context, name string, groups []cpuGroup, op load.Op) error {
	m, err := r.measure(ctx, fmt.Sprintf("%s, %d workers", name, r.opts.webConcurrency), r.opts.webConcurrency, groups, op)
	if err != nil {
		return err
	}
	r.add(m, 0, "", nil, "the wait with few readers; no target of its own")
	return nil
}

// pdfDownloads fetches the stored PDFs of random issued invoices, without
// and with the ETag the client already has.
func (r *runner) pdfDownloads(ctx context.Context, g groups, c *apiClient) error {
	rows, err := r.pool.Query(ctx, `
		SELECT i.id FROM invoices i JOIN files f ON f.id = i.pdf_file_id
		 WHERE f.owner_id = i.id ORDER BY random() LIMIT $1`, downloadInvoices)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return errors.New("no issued invoice has a PDF of its own")
	}
	// The ETag of each, as a browser keeps it from its first download.
	etags := make([]string, len(ids))
	total := 0
	for i, id := range ids {
		b, header, err := c.send(ctx, http.MethodGet, fmt.Sprintf("/api/v1/invoices/%d/pdf", id), nil, "", "", http.StatusOK)
		if err != nil {
			return err
		}
		if !bytes.HasPrefix(b, []byte("%PDF-")) || header.Get("ETag") == "" {
			return fmt.Errorf("invoice %d's PDF: %d bytes, ETag %q", id, len(b), header.Get("ETag"))
		}
		etags[i] = header.Get("ETag")
		total += len(b)
	}
	r.results.sales.pdfBytes = total / len(ids)
	uncached := &apiClient{http: c.http, base: c.base, token: c.token, uncached: true}
	groups := []cpuGroup{g.loadgen, g.proxy, g.api, g.postgres}
	target := fmt.Sprintf("p95 ≤ %d ms", pdfDownloadP95.Milliseconds())
	size := fmt.Sprintf("a PDF is %.1f KB on average", float64(total)/float64(len(ids))/1024)
	for _, sc := range []struct {
		name     string
		client   *apiClient
		etag     bool
		want     int
		targeted bool
		comment  string
	}{
		{fmt.Sprintf("invoice PDF download (%d invoices)", len(ids)), c, false, http.StatusOK, true,
			size + "; from the api's memory after the first download (a stored PDF never changes)"},
		{fmt.Sprintf("invoice PDF download, no-cache (%d invoices)", len(ids)), uncached, false, http.StatusOK, false,
			size + "; read from PostgreSQL every time; no target of its own"},
		{fmt.Sprintf("invoice PDF, If-None-Match (%d invoices)", len(ids)), uncached, true, http.StatusNotModified, true,
			"answered 304 without the bytes"},
	} {
		m, err := r.measure(ctx, sc.name, r.opts.readConcurrency, groups, sc.client.pdfOp(ids, etags, sc.etag, sc.want))
		if err != nil {
			return err
		}
		if !sc.targeted {
			r.add(m, 0, "", nil, sc.comment)
			if err := r.fewWorkers(ctx, sc.name, groups, sc.client.pdfOp(ids, etags, false, sc.want)); err != nil {
				return err
			}
			continue
		}
		r.add(m, 0, target, verdict(m.result.Percentile(95) <= pdfDownloadP95 && m.result.Errors == 0), sc.comment)
	}
	return nil
}

// pdfOp downloads a random invoice's PDF from the list, with its ETag in
// If-None-Match when etag is set.
func (c *apiClient) pdfOp(ids []int64, etags []string, etag bool, want int) load.Op {
	var mu sync.Mutex
	rng := rand.New(rand.NewPCG(12, 34))
	return func(ctx context.Context, w, seq int) load.Outcome {
		mu.Lock()
		k := rng.IntN(len(ids))
		mu.Unlock()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+fmt.Sprintf("/api/v1/invoices/%d/pdf", ids[k]), nil)
		if err != nil {
			return load.Outcome{Err: err}
		}
		c.authorize(req)
		if etag {
			req.Header.Set("If-None-Match", etags[k])
		}
		return load.Do(c.http, req, want)
	}
}

// send sends body (nil: none) as JSON and returns the answer's body and
// headers; any status but want is an error naming it.
func (c *apiClient) send(ctx context.Context, method, path string, body any, key, ifMatch string, want int) ([]byte, http.Header, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return nil, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Idempotency-Key", key)
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode != want {
		return out, resp.Header, fmt.Errorf("%s %s: status %d, want %d: %.300s", method, path, resp.StatusCode, want, out)
	}
	return out, resp.Header, nil
}

// completeCompanyProfile gives the company what a QR bill needs, with a
// QR-IBAN, so every invoice carries a QR reference.
func (c *apiClient) completeCompanyProfile(ctx context.Context) error {
	_, header, err := c.send(ctx, http.MethodGet, "/api/v1/company", nil, "", "", http.StatusOK)
	if err != nil {
		return err
	}
	profile := map[string]any{"name": "Getränke Müller GmbH", "street": "Industriestrasse", "building_number": "7a",
		"postal_code": "8400", "town": "Winterthur", "country": "CH", "vat_number": "CHE-116.281.710 MWST",
		"iban": "CH44 3199 9123 0008 8901 2", "bank_name": "Zürcher Kantonalbank", "payment_terms_days": 30,
		"invoice_footer": "Besten Dank für Ihren Auftrag.", "invoice_prefix": invoiceSeedPrefix, "credit_note_prefix": "GS",
		"currency": "CHF", "deposits_taxable": false}
	_, _, err = c.send(ctx, http.MethodPut, "/api/v1/company", profile, "", header.Get("ETag"), http.StatusOK)
	return err
}

// saleItems picks the location with the most active, priced items in
// stock and up to 400 of those items with the most available; orders of
// one unit each then leave their stock nearly untouched. Where an item
// has less available than the orders may take (a small catalogue), a
// receipt through the api tops it up first.
func (c *apiClient) saleItems(ctx context.Context, pool *pgxpool.Pool, orders int, run string) (int64, []int64, error) {
	var loc int64
	err := pool.QueryRow(ctx, `
		SELECT s.location_id FROM stock s JOIN items i ON i.id = s.item_id
		 WHERE i.archived_at IS NULL AND i.sales_price_unit > 0 AND s.good - s.reserved > 0
		 GROUP BY s.location_id ORDER BY count(*) DESC, s.location_id LIMIT 1`).Scan(&loc)
	if err != nil {
		return 0, nil, fmt.Errorf("find a location to sell from: %w", err)
	}
	rows, err := pool.Query(ctx, `
		SELECT s.item_id, s.good - s.reserved, i.preferred_supplier_id, i.avg_unit_cost_micros
		  FROM stock s JOIN items i ON i.id = s.item_id
		 WHERE s.location_id = $1 AND i.archived_at IS NULL AND i.sales_price_unit > 0 AND s.good - s.reserved > 0
		 ORDER BY s.good - s.reserved DESC, s.item_id LIMIT 400`, loc)
	if err != nil {
		return 0, nil, err
	}
	type stocked struct {
		id, available int64
		supplier      *int64
		cost          int64
	}
	var found []stocked
	for rows.Next() {
		var s stocked
		if err := rows.Scan(&s.id, &s.available, &s.supplier, &s.cost); err != nil {
			return 0, nil, err
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	if len(found) < linesPerOrder {
		return 0, nil, fmt.Errorf("location %d has only %d items in stock to sell", loc, len(found))
	}
	// Each order takes one unit of 20 of them at random: twice the mean
	// use is room enough.
	need := int64(2*orders*linesPerOrder/len(found) + 10)
	items := make([]int64, len(found))
	for i, s := range found {
		items[i] = s.id
		if s.available >= need {
			continue
		}
		in := map[string]any{"type": "receipt", "item_id": s.id, "location_id": loc, "quantity": need, "unit": "base",
			"unit_cost": formatMicros(max(s.cost, 1)), "note": "bench: stock for the sales scenarios"}
		if s.supplier != nil {
			in["supplier_id"] = *s.supplier
		}
		if _, _, err := c.send(ctx, http.MethodPost, "/api/v1/movements", in, fmt.Sprintf("bench-%s-topup-%d", run, s.id), "", http.StatusCreated); err != nil {
			return 0, nil, fmt.Errorf("top up item %d: %w", s.id, err)
		}
	}
	return loc, items, nil
}

// deliveredOrders creates n orders of 20 lines (20 different items, one
// unit each) for the customers in turn, confirms and delivers each, with
// a few workers at once, and returns their ids in creation order.
func (c *apiClient) deliveredOrders(ctx context.Context, n int, loc int64, items, customers []int64, run string) ([]int64, error) {
	ids := make([]int64, n)
	var next atomic.Int64
	eg, ctx := errgroup.WithContext(ctx)
	for w := range orderPrepWorkers {
		rng := rand.New(rand.NewPCG(uint64(w), 99))
		eg.Go(func() error {
			for {
				k := int(next.Add(1) - 1)
				if k >= n {
					return nil
				}
				lines := make([]map[string]any, linesPerOrder)
				for i, j := range rng.Perm(len(items))[:linesPerOrder] {
					lines[i] = map[string]any{"item_id": items[j], "unit": "base", "quantity": 1}
				}
				body := map[string]any{"customer_id": customers[k%len(customers)], "location_id": loc, "lines": lines}
				b, _, err := c.send(ctx, http.MethodPost, "/api/v1/orders", body, fmt.Sprintf("bench-%s-order-%d", run, k), "", http.StatusCreated)
				if err != nil {
					return err
				}
				var o struct {
					ID int64 `json:"id"`
				}
				if err := json.Unmarshal(b, &o); err != nil || o.ID == 0 {
					return fmt.Errorf("order create: no id in %.200s", b)
				}
				for _, action := range []string{"confirm", "deliver"} {
					if _, _, err := c.send(ctx, http.MethodPost, fmt.Sprintf("/api/v1/orders/%d/%s", o.ID, action), map[string]any{},
						fmt.Sprintf("bench-%s-%s-%d", run, action, k), "", http.StatusOK); err != nil {
						return err
					}
				}
				ids[k] = o.ID
			}
		})
	}
	return ids, eg.Wait()
}

// issued is what the benchmark reads of an issue's answer.
type issued struct {
	ID     int64  `json:"id"`
	Number string `json:"number"`
}

func (c *apiClient) issue(ctx context.Context, order int64, key string) (issued, error) {
	b, _, err := c.send(ctx, http.MethodPost, "/api/v1/invoices", map[string]any{"order_ids": []int64{order}}, key, "", http.StatusCreated)
	if err != nil {
		return issued{}, err
	}
	var inv issued
	if err := json.Unmarshal(b, &inv); err != nil || inv.ID == 0 || inv.Number == "" {
		return issued{}, fmt.Errorf("issue: no id and number in %.200s", b)
	}
	return inv, nil
}

// issueOp issues an invoice of the next prepared order.
func (c *apiClient) issueOp(orders []int64, run string) load.Op {
	var next atomic.Int64
	return func(ctx context.Context, w, seq int) load.Outcome {
		k := int(next.Add(1) - 1)
		if k >= len(orders) {
			return load.Outcome{Err: errors.New("no delivered order left to invoice")}
		}
		body, _ := json.Marshal(map[string]any{"order_ids": []int64{orders[k]}})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/invoices", bytes.NewReader(body))
		if err != nil {
			return load.Outcome{Err: err}
		}
		req.Header.Set("Authorization", "Bearer "+c.token)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Idempotency-Key", fmt.Sprintf("bench-%s-issue-%d", run, k))
		return load.Do(c.http, req, http.StatusCreated)
	}
}

// concurrentIssue lets one issuer per order start at the same moment and
// checks that they got distinct numbers that follow the last one given
// without a gap, and that the database's sequence agrees.
func (c *apiClient) concurrentIssue(ctx context.Context, pool *pgxpool.Pool, orders []int64, run string) (string, bool, error) {
	var before int64
	if err := pool.QueryRow(ctx, "SELECT last FROM document_numbers WHERE kind = 'invoice'").Scan(&before); err != nil {
		return "", false, err
	}
	got := make([]issued, len(orders))
	errs := make([]error, len(orders))
	startLine := make(chan struct{})
	var wg sync.WaitGroup
	t0 := time.Now()
	for i, o := range orders {
		wg.Go(func() {
			<-startLine
			got[i], errs[i] = c.issue(ctx, o, fmt.Sprintf("bench-%s-gapless-%d", run, i))
		})
	}
	close(startLine)
	wg.Wait()
	elapsed := time.Since(t0)
	if err := errors.Join(errs...); err != nil {
		return fmt.Sprintf("refused: %.300v", err), false, nil
	}
	seqs := make([]int64, len(got))
	for i, inv := range got {
		n, err := strconv.ParseInt(strings.TrimLeft(inv.Number, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), 10, 64)
		if err != nil {
			return fmt.Sprintf("number %q is not prefix and digits", inv.Number), false, nil
		}
		seqs[i] = n
	}
	slices.Sort(seqs)
	distinct := len(slices.Compact(slices.Clone(seqs)))
	gapless := distinct == len(seqs) && seqs[0] == before+1 && seqs[len(seqs)-1] == before+int64(len(seqs))
	note, ok, err := checkSequence(ctx, pool)
	if err != nil {
		return "", false, err
	}
	verdict := "pass"
	if !gapless || !ok {
		verdict = "FAIL"
	}
	return fmt.Sprintf("%s: %d issuers started together got %d distinct numbers %s%06d … %s%06d, following %06d without a gap, in %s; %s",
		verdict, len(orders), distinct, invoiceSeedPrefix, seqs[0], invoiceSeedPrefix, seqs[len(seqs)-1], before,
		elapsed.Round(10*time.Millisecond), note), gapless && ok, nil
}

// checkSequence checks the whole invoice sequence: numbers 1 to the last
// given, each once, and the counter at the last.
func checkSequence(ctx context.Context, pool *pgxpool.Pool) (string, bool, error) {
	var count, maxSeq, last int64
	var numbersMatch bool
	err := pool.QueryRow(ctx, `
		SELECT count(*), coalesce(max(seq), 0), (SELECT last FROM document_numbers WHERE kind = 'invoice'),
		       coalesce(bool_and(number = $1 || lpad(seq::text, 6, '0')), true)
		  FROM invoices`, invoiceSeedPrefix).Scan(&count, &maxSeq, &last, &numbersMatch)
	if err != nil {
		return "", false, err
	}
	ok := count == maxSeq && last == maxSeq && numbersMatch
	word := "gapless"
	if !ok {
		word = "NOT gapless"
	}
	return fmt.Sprintf("sequence %s: %d invoices numbered 1 … %d, counter at %d", word, count, maxSeq, last), ok, nil
}

// seedInvoices writes n invoices after the model the api issued, in one
// statement: the model's snapshot (company, lines, empties, totals, QR
// bill, PDF) with each invoice's own number, customer, billing address,
// dates, QR reference and account. Over three years to yesterday; the
// older nine tenths and every fifth invoice paid, every tenth of the rest
// half paid; the unpaid ones past their due date are overdue. The
// counter continues after the last seeded number. The seeded invoices
// share the model's stored PDF (50,000 distinct PDFs would be gigabytes);
// the downloads are measured on invoices the api issued.
func seedInvoices(ctx context.Context, pool *pgxpool.Pool, model int64, n int) (int64, error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Release()
	// The QR reference's recursive mod-10 check digit (qrbill.BuildQRR),
	// here in SQL so that one INSERT writes every invoice.
	if _, err := conn.Exec(ctx, `
		CREATE OR REPLACE FUNCTION pg_temp.qrr(digits text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $$
		DECLARE
			t int[] := '{0,9,4,6,8,2,7,1,3,5}';
			carry int := 0;
		BEGIN
			FOR i IN 1..length(digits) LOOP
				carry := t[(carry + substr(digits, i, 1)::int) % 10 + 1];
			END LOOP;
			RETURN digits || ((10 - carry) % 10)::text;
		END $$`); err != nil {
		return 0, fmt.Errorf("seed invoices: %w", err)
	}
	// The invoices and the counter after them in one transaction, as
	// issuing does: the list's total with no filter is the counter.
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("seed invoices: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }() // after Commit, a no-op
	tag, err := tx.Exec(ctx, `
		WITH m AS (SELECT * FROM invoices WHERE id = $1),
		     cs AS (SELECT c.*, row_number() OVER (ORDER BY c.id) - 1 AS k, count(*) OVER () AS n FROM customers c),
		     g AS (SELECT g, m.seq + g AS seq, current_date - 1 - (($2 - g) * 1095 / $2) AS day FROM generate_series(1, $2) g, m),
		     r AS (SELECT g.g, g.seq, g.day, c.id AS customer_id, c.number AS customer_number, c.name, c.payment_terms_days,
		                  jsonb_build_object('name', c.name, 'street', c.billing_street, 'building_number', c.billing_house_number,
		                                     'postal_code', c.billing_postal_code, 'town', c.billing_town, 'country', c.billing_country) AS bill_to,
		                  jsonb_build_object('Name', c.name, 'Street', c.billing_street, 'BuildingNumber', c.billing_house_number,
		                                     'PostalCode', c.billing_postal_code, 'Town', c.billing_town, 'Country', c.billing_country) AS debtor,
		                  pg_temp.qrr(lpad(c.number::text, 10, '0') || lpad(g.seq::text, 16, '0')) AS ref
		             FROM g JOIN cs c ON c.k = (g.g * 7919) % c.n)
		INSERT INTO invoices (seq, number, customer_id, customer_number, customer_name, currency, issue_date, due_date,
		                      payment_terms, bill_to, company, logo_file_id, lines, empties, totals, payable, reference_type,
		                      reference, bill, pdf_file_id, paid, created_by, created_at, updated_at)
		SELECT r.seq, $3 || lpad(r.seq::text, 6, '0'), r.customer_id, r.customer_number, r.name, m.currency, r.day,
		       r.day + r.payment_terms_days, r.payment_terms_days, r.bill_to, m.company, m.logo_file_id, m.lines, m.empties,
		       m.totals, m.payable, m.reference_type, r.ref,
		       m.bill || jsonb_build_object('Reference', r.ref, 'Message', 'Rechnung ' || $3 || lpad(r.seq::text, 6, '0'), 'Debtor', r.debtor),
		       m.pdf_file_id,
		       CASE WHEN r.g % 5 = 0 OR r.g < $2 * 0.9 THEN m.payable WHEN r.g % 10 = 1 THEN m.payable / 2 ELSE 0 END,
		       m.created_by, r.day + time '10:00', r.day + time '10:00'
		  FROM r, m ORDER BY r.seq`, model, n, invoiceSeedPrefix)
	if err != nil {
		return 0, fmt.Errorf("seed invoices: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE document_numbers SET last = (SELECT max(seq) FROM invoices) WHERE kind = 'invoice'`); err != nil {
		return 0, fmt.Errorf("seed invoices: continue the counter: %w", err)
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("seed invoices: %w", err)
	}
	if _, err := conn.Exec(ctx, "VACUUM (ANALYZE) invoices"); err != nil {
		return 0, fmt.Errorf("seed invoices: %w", err)
	}
	return tag.RowsAffected(), nil
}

// customerNameTerms are words people type to find a customer's invoices:
// the second word of some customers' names (the inn's name: Rössli,
// Krone …).
func customerNameTerms(ctx context.Context, pool *pgxpool.Pool) ([]string, error) {
	rows, err := pool.Query(ctx, `
		SELECT DISTINCT lower(split_part(customer_name, ' ', 2)) FROM invoices
		 WHERE split_part(customer_name, ' ', 2) <> '' ORDER BY 1 LIMIT 7`)
	if err != nil {
		return nil, err
	}
	var terms []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(terms) == 0 {
		return nil, errors.New("no customer names to search for")
	}
	return terms, nil
}

// numberPrefixes are number prefixes as typed: mostly four digits of the
// six (a hundred matches each among 50,000), some shorter (a thousand,
// ten thousand).
var numberPrefixes = []string{"RE0123", "RE0456", "RE004", "RE0310", "RE01", "RE0499", "RE0420"}

func queryPaths(list string, terms []string) func(int, int) string {
	paths := make([]string, len(terms))
	for i, t := range terms {
		paths[i] = list + "&q=" + url.QueryEscape(t)
	}
	return func(w, seq int) string { return paths[(w+seq)%len(paths)] }
}

// measureLimit is measureFor with a bound of its own on the requests (an
// issue consumes a prepared order).
func (r *runner) measureLimit(ctx context.Context, name string, concurrency int, duration time.Duration, maxRequests int, groups []cpuGroup, op load.Op) (measured, error) {
	cfg := load.Config{Concurrency: concurrency, Warmup: r.opts.warmup, Duration: duration, MaxRequests: min(maxRequests, r.opts.maxRequests)}
	return r.runLoad(ctx, name, cfg, groups, op)
}

// salesMarkdown is the report's section on the sales scenarios.
func (r *runner) salesMarkdown(p func(string, ...any)) {
	s := r.results.sales
	p("\n### Sales (issue 12)\n\n")
	p("Set up through the api like a depot would: the company profile completed with a QR-IBAN (so every invoice carries a QR reference), "+
		"then %d orders of %d lines each (20 different items of one location, one unit each) for %d customers created, confirmed and delivered by %d workers through the proxy "+
		"(%s; each delivery books 20 issue movements). The first order's invoice, issued by the api with its PDF, is the model of %d invoices written with one "+
		"`INSERT … SELECT` over `generate_series` (%s, `VACUUM ANALYZE` included): each with its own number after the model's, customer (%s), "+
		"billing address, issue date (three years up to yesterday), due date from the customer's terms, QR reference with its check digit and account "+
		"(the older nine tenths and every fifth paid, every tenth of the rest half paid; the unpaid ones past their due date are overdue), "+
		"and the model's lines, totals, company snapshot and stored PDF, which they share (fifty thousand distinct PDFs would be gigabytes); the counter continues after them. "+
		"They have no orders: the schema does not require them.\n\n",
		s.ordersPrepared, linesPerOrder, salesCustomers, orderPrepWorkers, s.ordersElapsed.Round(100*time.Millisecond), s.invoicesSeeded,
		s.seedElapsed.Round(100*time.Millisecond), "all the seeded customers in turn")
	p("- **Gapless numbers.** %d issuers, each with its own delivered order, released at the same moment (one connection each, so all %d requests are at the api together): %s.\n",
		gaplessIssuers, gaplessIssuers, s.gapless)
	p("- **Issue.** `POST /api/v1/invoices` of one delivered 20-line order with an `Idempotency-Key`, %d issuers at once, each sending its next issue as soon as the last is answered, "+
		"until the measured window ends or the prepared orders run out. Each issue locks the order, profile and customer, takes the next number from the gapless counter, "+
		"renders the invoice's PDF with its QR bill and stores it, sets the order INVOICED and writes the audit records, in one transaction. After the run: %s. "+
		"Target ≥ %.0f invoices/s.\n", r.opts.issueConcurrency, s.sequenceChecked, issueRateTarget)
	p("- **Invoice list.** `GET /api/v1/invoices?limit=50`, %d workers as for the item lists. The api's response cache does not keep invoices, so every request reads PostgreSQL "+
		"(the session check, the total — from the invoice counter, the kept count of unsettled invoices and the index of those not yet due, or the search's per-name counts and indexes, capped at 10,001 — and a page of 50, in one round trip; the requests say `Cache-Control: no-cache` all the same). Filters: `status=open`, `overdue`, `paid` as of today, `q=` number prefixes (%s) and customer names (the inn's name, as people type it). "+
		"Target p99 ≤ %d ms. The unfiltered list and the number prefixes are measured again with %d workers, as the web pages are: the wait of one person among a few, without a target of its own.\n",
		r.opts.readConcurrency, strings.Join(numberPrefixes, ", "), invoiceListP99.Milliseconds(), r.opts.webConcurrency)
	p("- **PDF download.** `GET /api/v1/invoices/{id}/pdf` of %d random invoices the api issued in this run (each its own stored PDF, %.1f KB on average), "+
		"%d workers, as a browser asks: the api keeps the stored PDFs of issued documents in memory once read (they never change; docs/architecture.md, \"Response cache\"). "+
		"Then the same with `Cache-Control: no-cache`, read from the files table every time (also with %d workers; neither has a target of its own), "+
		"and with the ETag of each in `If-None-Match` (a browser's repeat: 304, no bytes). Target p95 ≤ %d ms.\n",
		downloadInvoices, float64(s.pdfBytes)/1024, r.opts.readConcurrency, r.opts.webConcurrency, pdfDownloadP95.Milliseconds())
	p("- **Time.** The sales part took %s of the run (orders, seeding, the gapless check and the scenarios). "+
		"Rerun only it on a small catalogue: `go run ./bench -bin bin -items 1000 -movements 1000 -reads=false -web-pages=false -movement-writes=false -plan-test=false` "+
		"(prints the table; add `-doc` only for a full run).\n", s.elapsed.Round(time.Second))
}
