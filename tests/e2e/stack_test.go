// Package e2e starts the native stack exactly as `make run` does (real
// PostgreSQL, api, web, and the Caddy proxy with its local CA) and drives it
// over HTTPS, trusting nothing but that CA.
package e2e

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The first admin the stack creates on its empty database.
const (
	AdminEmail    = "admin@depot.example"
	AdminPassword = "Lagerhaus-Getraenke-2026"
)

// Stack is one running native stack.
type Stack struct {
	Root      string // repository root
	DataDir   string
	HTTPSPort int
	HTTPPort  int
	APIPort   int
	WebPort   int
	AdminPort int
	Client    *http.Client // trusts only the stack's local CA; never follows redirects
	cmd       *exec.Cmd
	output    *lockedBuffer
	exited    chan struct{}
}

// URL returns an https URL on the stack's public port.
func (s *Stack) URL(path string) string {
	return fmt.Sprintf("https://localhost:%d%s", s.HTTPSPort, path)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func repoRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the test directory")
		}
		dir = parent
	}
}

func freePorts(t testing.TB, n int) []int {
	t.Helper()
	ports := make([]int, 0, n)
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// buildBinaries builds api, web and proxy once per test process.
func buildBinaries(t testing.TB, root string) string {
	t.Helper()
	binDir := filepath.Join(os.TempDir(), "depotix-e2e-bin")
	cmd := exec.Command("make", "--no-print-directory", "build", "BIN_DIR="+binDir, "VERSION=e2e")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make build: %v\n%s", err, out)
	}
	return binDir
}

// StartStack runs scripts/run-native.sh in a fresh data folder on free ports.
func StartStack(t testing.TB) *Stack {
	t.Helper()
	root := repoRoot(t)
	binDir := buildBinaries(t, root)
	// Under /tmp and world-traversable: as root the database runs as the
	// postgres user, which cannot enter t.TempDir()'s private parents.
	dataDir, err := os.MkdirTemp("", "dpx-e2e")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dataDir, 0o755); err != nil {
		t.Fatal(err)
	}
	p := freePorts(t, 5)
	s := &Stack{Root: root, DataDir: dataDir, HTTPSPort: p[0], HTTPPort: p[1], APIPort: p[2], WebPort: p[3], AdminPort: p[4]}
	t.Cleanup(func() {
		s.Stop(t)
		if !t.Failed() {
			os.RemoveAll(dataDir)
		} else {
			t.Logf("stack data and logs kept in %s", dataDir)
		}
	})
	s.start(t, binDir)
	return s
}

func (s *Stack) start(t testing.TB, binDir string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(s.Root, "scripts", "run-native.sh"))
	cmd.Dir = s.Root
	cmd.Env = append(os.Environ(),
		"DATA_DIR="+s.DataDir, "BIN_DIR="+binDir,
		fmt.Sprintf("HTTPS_PORT=%d", s.HTTPSPort), fmt.Sprintf("HTTP_PORT=%d", s.HTTPPort),
		fmt.Sprintf("API_PORT=%d", s.APIPort), fmt.Sprintf("WEB_PORT=%d", s.WebPort),
		fmt.Sprintf("ADMIN_PORT=%d", s.AdminPort), "LOG_FORMAT=json",
		"HSTS_MAX_AGE=31536000", // the production value, not the native default of 0
		"ADMIN_EMAIL="+AdminEmail, "ADMIN_PASSWORD="+AdminPassword,
	)
	cmd.Env = withoutVar(cmd.Env, "DATABASE_URL") // the stack brings its own
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	s.output = &lockedBuffer{}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = s.output
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.cmd = cmd
	s.exited = make(chan struct{})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			fmt.Fprintln(s.output, sc.Text())
			if !signalled && strings.HasPrefix(sc.Text(), "Press Ctrl-C to stop.") {
				close(ready)
				signalled = true
			}
		}
		cmd.Wait()
		close(s.exited)
	}()
	select {
	case <-ready:
	case <-s.exited:
		t.Fatalf("run-native.sh exited before the stack was ready:\n%s", s.output)
	case <-time.After(3 * time.Minute):
		t.Fatalf("stack not ready after 3 minutes:\n%s", s.output)
	}
	s.Client = s.newClient(t)
}

// Stop sends Ctrl-C to the script, as a person would, and waits for it.
func (s *Stack) Stop(t testing.TB) {
	t.Helper()
	if s.cmd == nil {
		return
	}
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(60 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.exited
			t.Errorf("stack did not stop within 60 s of Ctrl-C:\n%s", s.output)
		}
	}
	s.cmd = nil
	// Belt and braces: never leave a database running behind a failed test.
	s.PG(t, "stop")
}

// PG runs scripts/pg.sh with the stack's data folder.
func (s *Stack) PG(t testing.TB, action string) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(s.Root, "scripts", "pg.sh"), action)
	cmd.Env = append(withoutVar(os.Environ(), "DATABASE_URL"), "DATA_DIR="+s.DataDir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("pg.sh %s: %v\n%s", action, err, out)
	}
}

// RootCertPath is where Caddy keeps its local CA's root certificate.
func (s *Stack) RootCertPath() string {
	return filepath.Join(s.DataDir, "caddy", "data", "caddy", "pki", "authorities", "local", "root.crt")
}

func (s *Stack) newClient(t testing.TB) *http.Client {
	t.Helper()
	pem, err := os.ReadFile(s.RootCertPath())
	if err != nil {
		t.Fatalf("local CA root: %v", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		t.Fatal("local CA root is not a PEM certificate")
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Client{
		Timeout: 15 * time.Second,
		Transport: &http.Transport{
			TLSClientConfig:    &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12},
			DisableCompression: true, // so tests see Content-Encoding as sent
			// *.localhost names (www.localhost) go to loopback, as browsers do.
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				_, port, err := net.SplitHostPort(addr)
				if err != nil {
					return nil, err
				}
				return dialer.DialContext(ctx, network, net.JoinHostPort("127.0.0.1", port))
			},
		},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func withoutVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}

// Get fetches url with optional header pairs and returns the response and body.
func (s *Stack) Get(t testing.TB, url string, header ...string) (*http.Response, string) {
	t.Helper()
	return s.Do(t, http.MethodGet, url, nil, header...)
}

// Do sends a request with optional header pairs and returns the response and body.
func (s *Stack) Do(t testing.TB, method, url string, body io.Reader, header ...string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", method, url, err)
	}
	return resp, string(b)
}
