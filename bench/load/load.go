// Package load is the benchmark's load generator: a fixed number of
// workers, each sending one request after another for a fixed time, with
// every latency recorded.
//
// The same generator drives the ceilings and the real scenarios, so that
// its own cost (it shares the machine's cores with what it measures) is
// the same on both sides of every comparison.
package load

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Config bounds one run. Every worker stops at Warmup+Duration or when the
// run has sent MaxRequests, whichever comes first.
type Config struct {
	Concurrency int
	Warmup      time.Duration // requests sent in this time are not recorded
	Duration    time.Duration // the measured window
	MaxRequests int
}

// Outcome is what one request's sender reports.
type Outcome struct {
	Status int   // HTTP status, or 0 for a request without one (a database transaction)
	Err    error // transport error or a result the scenario does not accept
}

// Op sends request number seq of worker (both from 0) and reports how it
// went. It must return promptly when ctx ends.
type Op func(ctx context.Context, worker, seq int) Outcome

// Result is a run's measured window.
type Result struct {
	Concurrency int
	Elapsed     time.Duration // the measured window as it really lasted
	Requests    int           // sent in the window and answered
	Errors      int           // of those: transport errors and rejected outcomes
	Status      map[int]int   // of those: count per HTTP status
	FirstError  error
	latencies   []time.Duration // sorted
}

// Throughput is requests per second in the measured window.
func (r Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the latency below which p (0 < p <= 100) per cent of
// the measured requests completed (nearest rank).
func (r Result) Percentile(p float64) time.Duration {
	n := len(r.latencies)
	if n == 0 {
		return 0
	}
	rank := int(p/100*float64(n)+0.999999) - 1
	return r.latencies[min(max(rank, 0), n-1)]
}

// Run drives op with cfg.Concurrency workers and returns the measured
// window. It returns early, with what it has, when ctx ends.
func Run(ctx context.Context, cfg Config, op Op) (Result, error) {
	if cfg.Concurrency < 1 || cfg.Duration <= 0 || cfg.MaxRequests < 1 {
		return Result{}, fmt.Errorf("load: concurrency, duration and request limit must be positive (got %+v)", cfg)
	}
	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	end := measureFrom.Add(cfg.Duration)
	ctx, cancel := context.WithDeadline(ctx, end.Add(30*time.Second)) // a stuck request cannot hold the run
	defer cancel()

	type sample struct {
		latency time.Duration
		out     Outcome
	}
	var (
		mu      sync.Mutex
		sent    int
		samples = make([][]sample, cfg.Concurrency)
		wg      sync.WaitGroup
	)
	// take reserves the next request of the run, or reports that the run is over.
	take := func() bool {
		mu.Lock()
		defer mu.Unlock()
		if sent >= cfg.MaxRequests || !time.Now().Before(end) || ctx.Err() != nil {
			return false
		}
		sent++
		return true
	}
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for seq := 0; take(); seq++ {
				t0 := time.Now()
				out := op(ctx, w, seq)
				if t0.Before(measureFrom) {
					continue
				}
				samples[w] = append(samples[w], sample{time.Since(t0), out})
			}
		}()
	}
	wg.Wait()
	r := Result{Concurrency: cfg.Concurrency, Status: map[int]int{}, Elapsed: min(time.Since(measureFrom), cfg.Duration)}
	for _, ws := range samples {
		for _, s := range ws {
			r.Requests++
			r.latencies = append(r.latencies, s.latency)
			if s.out.Status != 0 {
				r.Status[s.out.Status]++
			}
			if s.out.Err != nil {
				r.Errors++
				if r.FirstError == nil {
					r.FirstError = s.out.Err
				}
			}
		}
	}
	slices.Sort(r.latencies)
	return r, ctx.Err()
}

// NewClient returns an HTTP/1.1 keep-alive client for concurrency workers:
// one connection each, TLS trusting only rootPEM (when given), bodies
// never compressed, and every connection made to the loopback address
// whatever the URL's host name says, so that a load never leaves the
// machine.
func NewClient(concurrency int, rootPEM []byte) (*http.Client, error) {
	tlsCfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if rootPEM != nil {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(rootPEM) {
			return nil, errors.New("load: the root certificate is not PEM")
		}
		tlsCfg.RootCAs = pool
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			_, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			return dialer.DialContext(ctx, "tcp4", net.JoinHostPort("127.0.0.1", port))
		},
		TLSClientConfig:     tlsCfg,
		TLSHandshakeTimeout: 5 * time.Second,
		// A non-nil empty map keeps the transport on HTTP/1.1: a worker is
		// one connection, as with wrk, rather than a stream of one shared
		// HTTP/2 connection.
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		DisableCompression:  true,
		MaxIdleConns:        concurrency,
		MaxIdleConnsPerHost: concurrency,
		MaxConnsPerHost:     concurrency,
		IdleConnTimeout:     time.Minute,
	}
	return &http.Client{
		Transport:     tr,
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// Do sends req and reads the whole answer (so the connection is reused),
// accepting only the status want.
func Do(c *http.Client, req *http.Request, want int) Outcome {
	_, out := DoBody(c, req, want, false)
	return out
}

// DoBody is Do that also returns the body when keep is set.
func DoBody(c *http.Client, req *http.Request, want int, keep bool) ([]byte, Outcome) {
	resp, err := c.Do(req)
	if err != nil {
		return nil, Outcome{Err: err}
	}
	defer resp.Body.Close()
	var body []byte
	if keep || resp.StatusCode != want {
		body, err = io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	} else {
		_, err = io.Copy(io.Discard, resp.Body)
	}
	out := Outcome{Status: resp.StatusCode, Err: err}
	if out.Err == nil && resp.StatusCode != want {
		out.Err = fmt.Errorf("%s %s: status %d, want %d: %.300s", req.Method, req.URL.RequestURI(), resp.StatusCode, want, body)
	}
	return body, out
}
