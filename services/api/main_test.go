package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/platform/goroutines"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func lookupFrom(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// servesWork are the functions that serve runs beside the server; none of
// them may still run once run has returned.
var servesWork = []string{
	"main.serve",
	"main.expireIdempotencyKeys",
	"github.com/depotix/depotix/services/api/internal/changes.",
	"github.com/depotix/depotix/services/api/internal/postgres.(*ChangeBus)",
	"github.com/depotix/depotix/platform/debugserver.",
	"github.com/depotix/depotix/platform/httpserver.Run",
}

func checkNothingLeftRunning(t *testing.T) {
	t.Helper()
	if left := goroutines.Running(servesWork...); len(left) > 0 {
		t.Fatalf("run returned with %d of its goroutines still running:\n\n%s", len(left), strings.Join(left, "\n\n"))
	}
}

func TestHelpListsCommandsAndVariables(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"--help"}, lookupFrom(nil), strings.NewReader(""), &out, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"migrate down N", "healthcheck", "DATABASE_URL", "(required)", "JWT_SECRET", "API_BODY_LIMIT", "API_SHUTDOWN_TIMEOUT"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q", want)
		}
	}
}

func TestServeRefusesBadConfigWithEveryProblem(t *testing.T) {
	err := run(context.Background(), nil, lookupFrom(map[string]string{"JWT_SECRET": "short", "API_READ_TIMEOUT": "x"}), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("serve started without a database URL")
	}
	for _, want := range []string{"DATABASE_URL is required", "JWT_SECRET is 5 bytes long", "API_READ_TIMEOUT must be a positive duration"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if err := run(context.Background(), []string{"frobnicate"}, lookupFrom(nil), strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Fatal("unknown command accepted")
	}
}

func TestMigrateCommands(t *testing.T) {
	env := lookupFrom(map[string]string{"DATABASE_URL": pgtest.EmptyURL(t)})
	ctx := context.Background()
	step := func(args ...string) string {
		t.Helper()
		var out bytes.Buffer
		if err := run(ctx, append([]string{"migrate"}, args...), env, strings.NewReader(""), &out, &out); err != nil {
			t.Fatalf("migrate %v: %v", args, err)
		}
		return strings.TrimSpace(out.String())
	}
	if got := step("version"); !strings.HasPrefix(got, "schema version 0 (expected ") {
		t.Errorf("version on empty database: %q", got)
	}
	up := step("up")
	if strings.HasPrefix(up, "schema version 0") {
		t.Errorf("up did not advance: %q", up)
	}
	if got := step("down", "1"); strings.HasPrefix(got, up) {
		t.Errorf("down 1 did not go back: %q after %q", got, up)
	}
	if got := step("up"); got != up {
		t.Errorf("up again: %q, want %q", got, up)
	}
	for _, bad := range [][]string{{}, {"down"}, {"down", "zero"}, {"down", "-1"}, {"sideways"}} {
		if err := run(ctx, append([]string{"migrate"}, bad...), env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
			t.Errorf("migrate %v accepted", bad)
		}
	}
}

// The whole serve path in-process: config, pool, migrations at start, HTTP,
// healthcheck subcommand, graceful stop.
func TestServeMigratesAndAnswers(t *testing.T) {
	addr, debugAddr := freeAddr(t), freeAddr(t)
	env := lookupFrom(map[string]string{
		"DATABASE_URL": pgtest.EmptyURL(t),
		"JWT_SECRET":   strings.Repeat("k", 40),
		"API_ADDR":     addr,
		"DEBUG_ADDR":   debugAddr,
		"LOG_LEVEL":    "error",
	})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}) }()

	var resp *http.Response
	deadline := time.Now().Add(20 * time.Second)
	for {
		var err error
		resp, err = http.Get("http://" + addr + "/readyz")
		if err == nil {
			break
		}
		select {
		case runErr := <-done:
			t.Fatalf("serve ended before answering: %v", runErr)
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("api did not come up: %v (run: %v)", err, <-done)
		}
		time.Sleep(50 * time.Millisecond)
	}
	var body struct {
		OK       bool   `json:"ok"`
		Database string `json:"database"`
	}
	err := json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 200 || !body.OK || body.Database != "ready" {
		t.Fatalf("readyz: %d %+v %v", resp.StatusCode, body, err)
	}
	if err := run(ctx, []string{"healthcheck"}, env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
		t.Errorf("healthcheck against a live api: %v", err)
	}

	// Someone is profiling when the api stops: the profiling listener
	// takes its grace time (a second) to give up on the request, and serve
	// must wait for it.
	go func() {
		if resp, err := http.Get("http://" + debugAddr + "/debug/pprof/profile?seconds=3"); err == nil {
			resp.Body.Close()
		}
	}()
	for len(goroutines.Running("net/http/pprof.Profile")) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve ended with %v", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop after cancel")
	}
	checkNothingLeftRunning(t)
	if err := run(context.Background(), []string{"healthcheck"}, env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{}); err == nil {
		t.Error("healthcheck passed with the api stopped")
	}
}

// When the server cannot run, serve stops the background work it started
// beside it and returns the server's error.
func TestServeStopsEverythingWhenTheServerFails(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	env := lookupFrom(map[string]string{
		"DATABASE_URL": pgtest.EmptyURL(t),
		"JWT_SECRET":   strings.Repeat("k", 40),
		"API_ADDR":     taken.Addr().String(),
		"DEBUG_ADDR":   freeAddr(t),
		"LOG_LEVEL":    "error",
	})
	err = run(context.Background(), nil, env, strings.NewReader(""), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "listen on "+taken.Addr().String()) {
		t.Fatalf("run on a taken address: %v, want the listen error", err)
	}
	checkNothingLeftRunning(t)
}

func TestUsersCreateCommand(t *testing.T) {
	// The database is all it needs: no JWT_SECRET.
	env := lookupFrom(map[string]string{"DATABASE_URL": pgtest.EmptyURL(t)})
	var out bytes.Buffer
	err := run(context.Background(), []string{"users", "create", "--admin", "--email", "Chef@Depot.Example", "--name", "Chefin"},
		env, strings.NewReader("Lagerhaus-Schluessel-77\n"), &out, &out)
	if err != nil || !strings.Contains(out.String(), "created admin chef@depot.example") {
		t.Fatalf("create: %v\n%s", err, out.String())
	}
	err = run(context.Background(), []string{"users", "create", "--email", "x@depot.example", "--name", "X"},
		env, strings.NewReader("password\n"), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "password") {
		t.Fatalf("weak password accepted or not explained: %v", err)
	}
	// --language names the person's language; one the screens lack is refused.
	err = run(context.Background(), []string{"users", "create", "--email", "en@depot.example", "--name", "En", "--language", "en"},
		env, strings.NewReader("Lagerhaus-Schluessel-77\n"), &out, &out)
	if err != nil {
		t.Fatalf("create with --language en: %v", err)
	}
	err = run(context.Background(), []string{"users", "create", "--email", "fr@depot.example", "--name", "Fr", "--language", "fr"},
		env, strings.NewReader("Lagerhaus-Schluessel-77\n"), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "language") {
		t.Fatalf("--language fr accepted or not explained: %v", err)
	}
	err = run(context.Background(), []string{"users", "create", "--admin", "--email", "chef@depot.example", "--name", "Again"},
		env, strings.NewReader("Lagerhaus-Schluessel-77\n"), &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil {
		t.Fatal("a second person with the same email was created")
	}
}
