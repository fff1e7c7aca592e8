package nativestack

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"
)

// fakePostgresEnv makes the test binary stand in for a PostgreSQL server
// process: it waits until its standard input closes.
const fakePostgresEnv = "NATIVESTACK_TEST_FAKE_POSTGRES"

func TestMain(m *testing.M) {
	if os.Getenv(fakePostgresEnv) == "1" {
		_, _ = io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}
	if name := os.Getenv(fakeServiceEnv); name != "" {
		if err := fakeService(name, os.Args[1:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if binDir := os.Getenv(launchEnv); binDir != "" {
		if err := launchStack(binDir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestReadsTheFirstAdminFromTheReadyMessage(t *testing.T) {
	var a admin
	for _, line := range []string{
		"Depotix is running: https://localhost:8443",
		"  First admin created; the password is shown only this once:",
		"    e-mail:   admin@localhost",
		"    password: hNgL9amDS4Hu5KzHSeC4P7ij",
		readyLine,
	} {
		a.read(line)
	}
	if a.email != "admin@localhost" || a.password != "hNgL9amDS4Hu5KzHSeC4P7ij" {
		t.Errorf("read %+v", a)
	}
}

func TestPostgresRunning(t *testing.T) {
	s := &Stack{DataDir: t.TempDir()}
	pidFile := filepath.Join(s.DataDir, "pg", "postmaster.pid")
	if err := os.MkdirAll(filepath.Dir(pidFile), 0o755); err != nil {
		t.Fatal(err)
	}
	check := func(what string, want bool) {
		t.Helper()
		got, err := s.PostgresRunning()
		if err != nil || got != want {
			t.Errorf("%s: PostgresRunning = %v, %v; want %v", what, got, err, want)
		}
	}
	check("no pid file", false)

	// A live process (this test) and one that has exited and been reaped.
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())+"\n/pgdata\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	check("live pid", true)
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(gone.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	check("stale pid file", false)

	if err := os.WriteFile(pidFile, []byte("garbage\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PostgresRunning(); err == nil {
		t.Error("a malformed pid file gave no error")
	}
	if err := os.Remove(pidFile); err != nil {
		t.Fatal(err)
	}

	// A server that has not written its pid file yet is found by its
	// command line; one of another cluster is not.
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		dir  string
		want bool
	}{{filepath.Join(s.DataDir, "pg"), true}, {filepath.Join(s.DataDir, "other"), false}} {
		server := exec.Command(exe, "-D", tc.dir, "-k", "/tmp")
		server.Args[0] = "/usr/lib/postgresql/15/bin/postgres"
		server.Env = append(os.Environ(), fakePostgresEnv+"=1")
		stdin, err := server.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := server.Start(); err != nil {
			t.Fatal(err)
		}
		check("server of "+tc.dir+" without a pid file", tc.want)
		stdin.Close()
		if err := server.Wait(); err != nil {
			t.Fatal(err)
		}
	}
	check("after the server ended", false)
}

func TestEnvHelpers(t *testing.T) {
	env := []string{"A=1", "DATABASE_URL=x", "B=2", "A=3"}
	if got := WithoutVars(env, "DATABASE_URL"); len(got) != 3 || got[1] != "B=2" {
		t.Errorf("WithoutVars = %v", got)
	}
	if got := WithoutVars(env, "A", "B"); len(got) != 1 || got[0] != "DATABASE_URL=x" {
		t.Errorf("WithoutVars(A, B) = %v", got)
	}
	if v, ok := lookupEnv(env, "A"); !ok || v != "3" {
		t.Errorf("lookupEnv(A) = %q, %v; want the last one, 3", v, ok)
	}
	if _, ok := lookupEnv(env, "C"); ok {
		t.Error("lookupEnv found an unset variable")
	}
}

// PostgresGone waits for a server on its way out, and reports one that
// stays.
func TestPostgresGone(t *testing.T) {
	s := &Stack{DataDir: t.TempDir()}
	pidFile := filepath.Join(s.DataDir, "pg", "postmaster.pid")
	if err := os.MkdirAll(filepath.Dir(pidFile), 0o755); err != nil {
		t.Fatal(err)
	}
	server := exec.Command("sleep", "300")
	if err := server.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = server.Process.Kill(); _ = server.Wait() })
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(server.Process.Pid)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := s.PostgresGone(50 * time.Millisecond); err == nil {
		t.Error("a server that stays was reported gone")
	}
	// It ends while PostgresGone waits.
	waiting := make(chan error)
	go func() { waiting <- s.PostgresGone(time.Minute) }()
	if err := server.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = server.Wait()
	if err := <-waiting; err != nil {
		t.Errorf("a server that ended: %v", err)
	}
}
