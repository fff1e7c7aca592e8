package load

import (
	"context"
	"encoding/pem"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestPercentile(t *testing.T) {
	r := Result{}
	for i := 1; i <= 200; i++ {
		r.latencies = append(r.latencies, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		p    float64
		want time.Duration
	}{
		{50, 100 * time.Millisecond},
		{95, 190 * time.Millisecond},
		{99, 198 * time.Millisecond},
		{100, 200 * time.Millisecond},
		{0.1, 1 * time.Millisecond},
	} {
		if got := r.Percentile(tt.p); got != tt.want {
			t.Errorf("p%v = %s, want %s", tt.p, got, tt.want)
		}
	}
	if got := (Result{}).Percentile(99); got != 0 {
		t.Errorf("p99 of nothing = %s", got)
	}
}

func TestRunBounds(t *testing.T) {
	tests := []struct {
		name        string
		cfg         Config
		opDelay     time.Duration
		maxRequests int           // at most this many recorded
		minRequests int           // at least this many recorded
		maxWall     time.Duration // the run returns within this, however busy the machine
	}{
		{
			name:        "stops at the request limit",
			cfg:         Config{Concurrency: 4, Duration: time.Minute, MaxRequests: 50},
			maxRequests: 50, minRequests: 50, maxWall: 30 * time.Second,
		},
		{
			name:        "stops at the deadline",
			cfg:         Config{Concurrency: 3, Duration: 150 * time.Millisecond, MaxRequests: 1 << 30},
			opDelay:     5 * time.Millisecond,
			maxRequests: 3 * 150 / 5, minRequests: 1, maxWall: 30 * time.Second,
		},
		{
			name:        "leaves the warm-up out",
			cfg:         Config{Concurrency: 2, Warmup: 100 * time.Millisecond, Duration: 100 * time.Millisecond, MaxRequests: 1 << 30},
			opDelay:     10 * time.Millisecond,
			maxRequests: 2 * 100 / 10, minRequests: 1, maxWall: 30 * time.Second,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			r, err := Run(context.Background(), tt.cfg, func(ctx context.Context, w, seq int) Outcome {
				time.Sleep(tt.opDelay)
				return Outcome{Status: 200}
			})
			if err != nil {
				t.Fatal(err)
			}
			if wall := time.Since(start); wall > tt.maxWall {
				t.Errorf("run took %s", wall)
			}
			if r.Requests < tt.minRequests || r.Requests > tt.maxRequests {
				t.Errorf("recorded %d requests, want %d..%d", r.Requests, tt.minRequests, tt.maxRequests)
			}
			if r.Status[200] != r.Requests || r.Errors != 0 {
				t.Errorf("status %v, errors %d", r.Status, r.Errors)
			}
		})
	}
}

func TestRunRejectsNonsense(t *testing.T) {
	for _, cfg := range []Config{
		{Concurrency: 0, Duration: time.Second, MaxRequests: 1},
		{Concurrency: 1, Duration: 0, MaxRequests: 1},
		{Concurrency: 1, Duration: time.Second, MaxRequests: 0},
	} {
		if _, err := Run(context.Background(), cfg, nil); err == nil {
			t.Errorf("Run accepted %+v", cfg)
		}
	}
}

func TestRunEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := Run(ctx, Config{Concurrency: 2, Duration: time.Hour, MaxRequests: 1 << 30}, func(ctx context.Context, w, seq int) Outcome {
		time.Sleep(time.Millisecond)
		return Outcome{}
	})
	// An hour against a 50 ms context: any return within half a minute
	// means Run followed the context, however busy the machine.
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 30*time.Second {
		t.Errorf("err = %v after %s", err, time.Since(start))
	}
}

// The client keeps its HTTP/1.1 connections over TLS (a worker reuses
// one), trusts the given root, and Do counts answers other than the wanted
// one as errors.
func TestClientAgainstServer(t *testing.T) {
	var mu sync.Mutex
	conns := map[string]bool{}
	protos := map[string]int{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		conns[r.RemoteAddr] = true
		protos[r.Proto]++
		mu.Unlock()
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		w.Write([]byte(`{"ok":true}`))
	}))
	defer srv.Close()
	root := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	const workers = 4
	c, err := NewClient(workers, root)
	if err != nil {
		t.Fatal(err)
	}
	// httptest's certificate names example.com; the client dials loopback
	// whatever the host, as it does for localhost against the stack.
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	url := "https://example.com:" + port
	r, err := Run(context.Background(), Config{Concurrency: workers, Duration: 5 * time.Second, MaxRequests: 400},
		func(ctx context.Context, w, seq int) Outcome {
			path := "/ok"
			if seq == 3 && w == 0 {
				path = "/missing"
			}
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+path, nil)
			return Do(c, req, http.StatusOK)
		})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[int]int{200: 399, 404: 1}, r.Status); diff != "" {
		t.Errorf("status (-want +got)\n%s", diff)
	}
	if r.Errors != 1 || r.FirstError == nil {
		t.Errorf("errors = %d (%v), want the one 404", r.Errors, r.FirstError)
	}
	// Reuse, not an exact count: net/http drops a connection whose request
	// write it cannot confirm within 50 ms of the answer (a busy machine),
	// and the worker dials a new one. Without keep-alive every request
	// would be a connection of its own.
	if len(conns) > 400/20 {
		t.Errorf("%d connections for 400 requests of %d workers: connections are not reused", len(conns), workers)
	}
	if diff := cmp.Diff(map[string]int{"HTTP/1.1": 400}, protos); diff != "" {
		t.Errorf("protocols (-want +got)\n%s", diff)
	}
}
