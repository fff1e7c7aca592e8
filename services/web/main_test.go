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
	if err := run(context.Background(), []string{"healthcheck"}, lookup, io.Discard, io.Discard); err == nil {
		t.Error("healthcheck passes after shutdown")
	}
}
