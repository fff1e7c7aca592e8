package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/platform/goroutines"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// checkNothingLeftRunning fails when something serve started beside the
// server still runs after run has returned.
func checkNothingLeftRunning(t *testing.T) {
	t.Helper()
	left := goroutines.Running("main.serve", "github.com/depotix/depotix/platform/debugserver.",
		"github.com/depotix/depotix/platform/httpserver.Run")
	if len(left) > 0 {
		t.Fatalf("run returned with %d of its goroutines still running:\n\n%s", len(left), strings.Join(left, "\n\n"))
	}
}

func TestCommands(t *testing.T) {
	tests := []struct {
		name       string
		args       []string
		env        map[string]string
		wantErr    string // substring; "" for success
		wantUsage  bool   // errUsage
		wantStdout []string
	}{
		{name: "version", args: []string{"version"}, wantStdout: []string{"dev\n"}},
		{name: "help", args: []string{"help"}, wantStdout: []string{"Usage:", "healthcheck",
			"WEB_ADDR", "API_URL", "API_TIMEOUT", "WEB_READ_HEADER_TIMEOUT", "WEB_READ_TIMEOUT",
			"WEB_WRITE_TIMEOUT", "WEB_IDLE_TIMEOUT", "WEB_SHUTDOWN_TIMEOUT", "WEB_BODY_LIMIT",
			"LOG_LEVEL", "LOG_FORMAT", "SESSION_SECRET"}},
		{name: "--help", args: []string{"--help"}, wantStdout: []string{"Usage:", "WEB_ADDR"}},
		{name: "-h", args: []string{"-h"}, wantStdout: []string{"Usage:", "WEB_ADDR"}},
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate"`, wantUsage: true},
		{name: "extra argument", args: []string{"version", "now"}, wantErr: "takes no arguments", wantUsage: true},
		{name: "bad config", args: []string{"serve"},
			env:     map[string]string{"API_URL": "api", "LOG_FORMAT": "yaml"},
			wantErr: "API_URL must be a URL starting with http:// or https://, got api\n  - LOG_FORMAT must be one of json, console"},
		{name: "missing session secret", args: []string{"serve"},
			env: map[string]string{}, wantErr: "SESSION_SECRET is required"},
		{name: "healthcheck with nothing listening", args: []string{"healthcheck"},
			env: map[string]string{"WEB_ADDR": freeAddr(t)}, wantErr: "probe http://127.0.0.1:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			err := run(context.Background(), tt.args, env(tt.env), &stdout, &stderr)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("run: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("run error = %v, want one containing %q", err, tt.wantErr)
			}
			if got := errors.Is(err, errUsage); got != tt.wantUsage {
				t.Errorf("usage error = %t, want %t", got, tt.wantUsage)
			}
			for _, s := range tt.wantStdout {
				if !strings.Contains(stdout.String(), s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout.String())
				}
			}
		})
	}
}

// TestServe starts the real server, checks it with the healthcheck command,
// and stops it the way SIGTERM does.
func TestServe(t *testing.T) {
	addr := freeAddr(t)
	lookup := env(map[string]string{
		"WEB_ADDR":       addr,
		"DEBUG_ADDR":     freeAddr(t),
		"API_URL":        "http://" + freeAddr(t), // nothing there: the page must still render
		"API_TIMEOUT":    "1s",
		"LOG_LEVEL":      "error",
		"SESSION_SECRET": "0123456789abcdef0123456789abcdef",
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- run(ctx, nil, lookup, io.Discard, io.Discard) }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		err := run(context.Background(), []string{"healthcheck"}, lookup, io.Discard, io.Discard)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("healthcheck never passed: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}

	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "api: unreachable") {
		t.Errorf("GET / = %d, want 200 with api: unreachable\n%s", resp.StatusCode, body)
	}

	cancel()
	select {
	case err := <-served:
		if err != nil {
			t.Fatalf("serve returned %v after shutdown", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("server did not stop after the context was cancelled")
	}
	checkNothingLeftRunning(t)
	if err := run(context.Background(), []string{"healthcheck"}, lookup, io.Discard, io.Discard); err == nil {
		t.Error("healthcheck passes after shutdown")
	}
}

// When the server cannot listen, run stops the profiling listener it
// started beside it and returns the server's error.
func TestServeStopsEverythingWhenTheServerFails(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	lookup := env(map[string]string{
		"WEB_ADDR":       taken.Addr().String(),
		"DEBUG_ADDR":     freeAddr(t),
		"API_URL":        "http://" + freeAddr(t),
		"LOG_LEVEL":      "error",
		"SESSION_SECRET": "0123456789abcdef0123456789abcdef",
	})
	err = run(context.Background(), nil, lookup, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "listen on "+taken.Addr().String()) {
		t.Fatalf("run on a taken address: %v, want the listen error", err)
	}
	checkNothingLeftRunning(t)
}
