package main

import (
	"io"
	"testing"
	"time"
)

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
		check   func(options) bool
	}{
		{args: nil, check: func(o options) bool {
			return o.items == 100_000 && o.movements == 1_000_000 && o.readConcurrency == 16 && o.writeConcurrency == 32 &&
				o.duration == 10*time.Second && o.warmup == 2*time.Second && o.planTest && o.binDir == "bin" && o.doc == "" &&
				o.webPages && o.webConcurrency == 4 && o.webDuration == 5*time.Second &&
				o.writes && o.sales && o.invoices == 50_000 && o.invoiceOrders == 800 && o.issueConcurrency == 8
		}},
		// Only the sales part, as docs/performance.md says to rerun it.
		{args: []string{"-reads=false", "-web-pages=false", "-movement-writes=false", "-invoices", "2000", "-issue-concurrency", "4"}, check: func(o options) bool {
			return !o.reads && !o.webPages && !o.writes && o.sales && o.invoices == 2000 && o.issueConcurrency == 4
		}},
		{args: []string{"-invoices", "999"}, wantErr: true},
		{args: []string{"-invoice-orders", "5"}, wantErr: true},
		{args: []string{"-issue-concurrency", "0"}, wantErr: true},
		{args: []string{"-issue-concurrency", "91"}, wantErr: true},
		{args: []string{"-items", "5000", "-duration", "3s", "-plan-test=false"}, check: func(o options) bool {
			return o.items == 5000 && o.duration == 3*time.Second && !o.planTest && len(o.set) == 3
		}},
		{args: []string{"-items", "10"}, wantErr: true},
		{args: []string{"-duration", "100ms"}, wantErr: true},
		{args: []string{"-web-duration", "100ms"}, wantErr: true},
		{args: []string{"-web-concurrency", "0"}, wantErr: true},
		{args: []string{"-write-concurrency", "200"}, wantErr: true},
		{args: []string{"-read-concurrency", "0"}, wantErr: true},
		{args: []string{"extra"}, wantErr: true},
		{args: []string{"-nonsense"}, wantErr: true},
	}
	for _, tt := range tests {
		o, err := parseFlags(tt.args, io.Discard)
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFlags(%q): err = %v, want error %v", tt.args, err, tt.wantErr)
			continue
		}
		if err == nil && !tt.check(o) {
			t.Errorf("parseFlags(%q) = %+v", tt.args, o)
		}
	}
}

func TestCommandLine(t *testing.T) {
	o, err := parseFlags([]string{"-bin", "/repo/bin", "-doc", "docs/performance.md", "-seed", "3", "-keep"}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	got := commandLine("/repo", o.set)
	if want := "go run ./bench -bin bin -doc docs/performance.md -keep=true -seed 3"; got != want {
		t.Errorf("commandLine = %q, want %q", got, want)
	}
	o, _ = parseFlags([]string{"-bin", "/elsewhere/bin"}, io.Discard)
	if got, want := commandLine("/repo", o.set), "go run ./bench -bin /elsewhere/bin"; got != want {
		t.Errorf("commandLine = %q, want %q", got, want)
	}
}

func TestBoundBy(t *testing.T) {
	for _, tt := range []struct {
		u    cpuUse
		want string
	}{
		{cpuUse{names: []string{"loadgen", "api", "postgres"}, cores: []float64{0.1, 0.4, 1.4}, machine: 1.95, of: 2},
			"CPU, mostly postgres (72 % of the busy time)"},
		{cpuUse{names: []string{"loadgen", "postgres"}, cores: []float64{0.2, 1.1}, machine: 1.5, of: 2},
			"waits (locks, WAL flushes, round trips): 25 % of the CPU idle"},
	} {
		if got := tt.u.boundBy(); got != tt.want {
			t.Errorf("boundBy(%+v) = %q, want %q", tt.u, got, tt.want)
		}
	}
}
