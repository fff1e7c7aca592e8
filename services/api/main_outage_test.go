package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// TestServeAnswers503WhileTheDatabaseIsAway checks the wiring of the
// outage answer in serve (httpapi.Deps.StoreErrors): the api started on a
// database that then stops answers a sign-in with 503 and Retry-After, and
// signs in again once the database is back. The answers of every kind of
// request are tested in httpapi (TestDatabaseOutage).
func TestServeAnswers503WhileTheDatabaseIsAway(t *testing.T) {
	cluster := pgtest.NewCluster(t)
	addr := freeAddr(t)
	env := lookupFrom(map[string]string{
		"DATABASE_URL":   cluster.Database("serve"),
		"JWT_SECRET":     strings.Repeat("k", 40),
		"API_ADDR":       addr,
		"DB_MAX_CONNS":   "4",
		"LOG_LEVEL":      "error",
		"ADMIN_EMAIL":    "admin@depot.example",
		"ADMIN_PASSWORD": "Rotkehlchen-Fahrrad-47",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve ended with %v", err)
		}
	})
	login := func() *http.Response {
		t.Helper()
		resp, err := http.Post("http://"+addr+"/api/v1/auth/login", "application/json",
			strings.NewReader(`{"email":"admin@depot.example","password":"Rotkehlchen-Fahrrad-47"}`))
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if resp, err := http.Get("http://" + addr + "/readyz"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("api did not come up")
		}
	}
	if resp := login(); resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		t.Fatalf("sign-in with the database up: %d", resp.StatusCode)
	}

	cluster.StopFast()
	resp := login()
	var body struct {
		Error struct{ Code string } `json:"error"`
	}
	err := json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != http.StatusServiceUnavailable || body.Error.Code != "service_unavailable" || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("sign-in with the database away: %d %+v Retry-After %q (%v)", resp.StatusCode, body, resp.Header.Get("Retry-After"), err)
	}

	cluster.Start()
	// Each of the pool's connections from before the stop may fail one
	// more request (DB_MAX_CONNS 4).
	for attempt := 0; ; attempt++ {
		resp := login()
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if resp.StatusCode != http.StatusServiceUnavailable || attempt == 4 {
			t.Fatalf("sign-in after the database came back: %d (attempt %d)", resp.StatusCode, attempt+1)
		}
	}
}
