package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/depotix/depotix/platform/nativestack"
)

// These tests run the stack as a person or a supervisor does and stop it
// the way they do: Ctrl-C (SIGINT to the terminal's whole process group)
// or TERM to the whole group. Nothing in them waits for a span of time;
// every wait is for a condition, bounded by a deadline that only limits
// how long a failure takes.

// TestMakeRunAsTheReadmeSays starts the stack with exactly `make run` on a
// terminal (script(1) gives it one), signs in with the first admin it
// printed, checks what a stranger on the network can reach, and stops it
// with Ctrl-C typed into the terminal: make run ends with status 0,
// PostgreSQL is stopped and the terminal is as it was.
func TestMakeRunAsTheReadmeSays(t *testing.T) {
	root := repoRoot(t)
	binDir := buildBinaries(t, root)
	scriptBin, err := exec.LookPath("script")
	if err != nil {
		t.Fatalf("script(1) gives make run a terminal (Debian: bsdutils): %v", err)
	}
	// The defaults of make run (console logs, no admin given); the build
	// inside make run finds the binaries up to date. After it, the shell on
	// the terminal shows the terminal's settings and ends with make's
	// status.
	// A pipe of the system's, not an io.Pipe: the command gets it as it is,
	// so waiting for the command never waits for a copy of its input.
	keys, typing, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { keys.Close(); typing.Close() })
	run := "make --no-print-directory run BIN_DIR=" + binDir + " VERSION=e2e; status=$?; stty -a; exit $status"
	s := startWith(t, nativestack.Options{Root: root, BinDir: binDir, Stdin: keys,
		Command: []string{scriptBin, "--quiet", "--flush", "--return", "--command", run, "/dev/null"}})
	if !strings.Contains(s.Output(), "the password is shown only this once") {
		t.Errorf("make run did not say that it created the first admin:\n%s", s.Output())
	}
	signIn(t, s, s.AdminEmail, s.AdminPassword)
	checkLoopbackOnly(t, s)

	if _, err := typing.WriteString("\x03"); err != nil { // Ctrl-C
		t.Fatal(err)
	}
	state, err := s.Wait(2 * time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	out := s.Output()
	// Hit by the Ctrl-C itself, GNU make would kill itself with SIGINT
	// after its recipe ended (status 130); run-native.sh reads the key
	// instead, so make only sees its recipe end well.
	if !state.Success() {
		t.Errorf("make run ended with %s after Ctrl-C, want exit status 0:\n%s", state, out)
	}
	if strings.Contains(out, "make: ***") || !strings.Contains(out, "Stopped.") {
		t.Errorf("make run did not stop cleanly:\n%s", out)
	}
	// Keys make signals again and lines are edited again.
	if fields := strings.Fields(out[strings.LastIndex(out, "Stopped."):]); !slices.Contains(fields, "isig") || !slices.Contains(fields, "icanon") {
		t.Errorf("the terminal was not given back as it was:\n%s", out)
	}
	checkPostgresStopped(t, s)
	checkNoEscapes(t, s)
}

// TestStackStopsCleanlyOnGroupTERM: TERM to the whole group, as systemd
// or a terminal's closing sends it, ends run-native.sh with status 0 and
// its PostgreSQL stopped. It also adds a person with the README's native
// command while the stack runs and while it is stopped.
func TestStackStopsCleanlyOnGroupTERM(t *testing.T) {
	s := StartStack(t, "LOG_FORMAT=console")

	t.Run("users create on the running stack", func(t *testing.T) {
		out, err := apiScript(s, "Wareneingang-Lager-42", "users", "create", "--email", "clerk@depot.example", "--name", "Clara Clerk", "--role", "clerk")
		if err != nil {
			t.Fatalf("scripts/api.sh users create: %v\n%s", err, out)
		}
		signIn(t, s, "clerk@depot.example", "Wareneingang-Lager-42")
	})

	if err := s.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	state, err := s.Wait(2 * time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !state.Success() {
		t.Errorf("run-native.sh ended with %s after a group TERM, want exit status 0:\n%s", state, s.Output())
	}
	checkPostgresStopped(t, s)
	checkNoEscapes(t, s)

	t.Run("users create on the stopped stack", func(t *testing.T) {
		// The database is started for the command and stopped again.
		out, err := apiScript(s, "Kommissionier-Stapler-7", "users", "create", "--email", "picker@depot.example", "--name", "Paul Picker", "--role", "clerk")
		if err != nil {
			t.Fatalf("scripts/api.sh users create: %v\n%s", err, out)
		}
		checkPostgresStopped(t, s)
		// Stored: the same address again is refused.
		out, err = apiScript(s, "Kommissionier-Stapler-8", "users", "create", "--email", "picker@depot.example", "--name", "Paul Picker", "--role", "clerk")
		if err == nil || !strings.Contains(out, "email is already taken") {
			t.Errorf("a second person with the same e-mail: %v\n%s", err, out)
		}
		checkPostgresStopped(t, s)
	})
}

// TestStackStopsCleanlyWhileStarting signals the stack at two moments of
// its start: when PostgreSQL has just written its pid file (its pg_ctl is
// still waiting for it), and when the proxy has just been started.
func TestStackStopsCleanlyWhileStarting(t *testing.T) {
	root := repoRoot(t)
	binDir := buildBinaries(t, root)
	for _, tc := range []struct {
		name   string
		signal syscall.Signal
		marker string // relative to the data folder
		// command starts the script another way than nativestack does.
		command []string
	}{
		{"TERM as PostgreSQL starts", syscall.SIGTERM, filepath.Join("pg", "server.log"), nil},
		{"Ctrl-C as the proxy starts", syscall.SIGINT, filepath.Join("logs", "proxy.log"), nil},
		// A background job of a script starts with SIGINT ignored, and so
		// does all it starts (a make test run that way): the script must
		// still stop on it.
		{"INT as the proxy starts, to a script started ignoring INT", syscall.SIGINT, filepath.Join("logs", "proxy.log"),
			[]string{"bash", "-c", "trap '' INT; exec bash scripts/run-native.sh"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := nativestack.Launch(nativestack.Options{Root: root, BinDir: binDir, Command: tc.command})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				if running, _ := s.PostgresRunning(); running {
					_, _ = s.PG("stop")
				}
				if !t.Failed() {
					os.RemoveAll(s.DataDir)
				}
			})
			// Polled every millisecond: the moment lasts about a tenth of a second.
			marker := filepath.Join(s.DataDir, tc.marker)
			for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(time.Millisecond) {
				if _, err := os.Stat(marker); err == nil || !s.Running() {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s did not appear:\n%s", tc.marker, s.Output())
				}
			}
			if !s.Running() {
				t.Fatalf("the stack ended before %s appeared:\n%s", tc.marker, s.Output())
			}
			if err := s.Signal(tc.signal); err != nil {
				t.Fatal(err)
			}
			state, err := s.Wait(2 * time.Minute)
			if err != nil {
				t.Fatal(err)
			}
			if !state.Success() {
				t.Errorf("run-native.sh ended with %s, want exit status 0:\n%s", state, s.Output())
			}
			checkPostgresStopped(t, s)
		})
	}
}

func checkPostgresStopped(t *testing.T, s interface{ PostgresGone(time.Duration) error }) {
	t.Helper()
	if err := s.PostgresGone(time.Minute); err != nil {
		t.Errorf("PostgreSQL still running after the stop: %v", err)
	}
}

// checkNoEscapes reads every log file of the stack: none may hold an ESC
// byte (colour codes belong on a terminal).
func checkNoEscapes(t *testing.T, s *Stack) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(s.LogDir(), "*.log"))
	if err != nil || len(files) < 3 {
		t.Fatalf("log files %v, %v; want api, web and proxy", files, err)
	}
	files = append(files, filepath.Join(s.DataDir, "pg", "server.log"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Errorf("read %s: %v", f, err)
			continue
		}
		if len(b) == 0 {
			t.Errorf("%s is empty", f)
		}
		if i := bytes.IndexByte(b, 0x1b); i >= 0 {
			t.Errorf("%s holds an escape code at byte %d: %q", f, i, b[max(0, i-40):min(len(b), i+40)])
		}
	}
}

// checkLoopbackOnly dials the proxy's ports on this machine's own
// non-loopback addresses: nothing may answer there by default, while the
// same ports answer on loopback.
func checkLoopbackOnly(t *testing.T, s *Stack) {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	var outside []net.IP
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && !n.IP.IsLinkLocalUnicast() {
			outside = append(outside, n.IP)
		}
	}
	if len(outside) == 0 {
		t.Log("this machine has no non-loopback address; only loopback checked")
	}
	for _, port := range []int{s.HTTPSPort, s.HTTPPort} {
		conn, err := net.DialTimeout("tcp", net.JoinHostPort("127.0.0.1", fmt.Sprint(port)), 5*time.Second)
		if err != nil {
			t.Errorf("port %d on loopback: %v", port, err)
			continue
		}
		conn.Close()
		for _, ip := range outside {
			addr := net.JoinHostPort(ip.String(), fmt.Sprint(port))
			conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
			if err == nil {
				conn.Close()
				t.Errorf("the proxy answers on %s; it must listen on loopback only unless PROXY_BIND says otherwise", addr)
			} else if !errors.Is(err, syscall.ECONNREFUSED) {
				t.Errorf("dial %s: %v, want connection refused", addr, err)
			}
		}
	}
}

// signIn signs in through the proxy and fails the test unless the api
// hands out an access token.
func signIn(t *testing.T, s *Stack, email, password string) {
	t.Helper()
	body, err := json.Marshal(map[string]string{"email": email, "password": password})
	if err != nil {
		t.Fatal(err)
	}
	resp, answer := s.Do(t, http.MethodPost, s.URL("/api/v1/auth/login"), bytes.NewReader(body), "Content-Type", "application/json")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal([]byte(answer), &tok) != nil || tok.AccessToken == "" {
		t.Fatalf("sign in as %s = %d %s", email, resp.StatusCode, answer)
	}
}

// apiScript runs the README's native command, scripts/api.sh, with the
// password on standard input and neither DATABASE_URL nor JWT_SECRET.
func apiScript(s *Stack, password string, args ...string) (string, error) {
	cmd := exec.Command(filepath.Join(s.Root, "scripts", "api.sh"), args...)
	cmd.Dir = s.Root
	cmd.Env = append(nativestack.WithoutVars(os.Environ(), "DATABASE_URL", "JWT_SECRET"),
		"DATA_DIR="+s.DataDir, "BIN_DIR="+s.BinDir)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
