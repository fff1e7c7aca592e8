// Package stack starts and stops the native Depotix stack the way `make
// run` does (scripts/run-native.sh: PostgreSQL, api, web and the Caddy
// proxy with its local CA), in a fresh data folder on free ports, and
// knows its processes.
package stack

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/depotix/depotix/bench/procstat"
)

// The first admin the benchmark's stack creates on its empty database.
const (
	AdminEmail    = "bench@depot.example"
	AdminPassword = "Getraenkelager-Messlauf-2026"
)

// Stack is one running native stack.
type Stack struct {
	Root, DataDir, BinDir                            string
	HTTPSPort, HTTPPort, APIPort, WebPort, AdminPort int
	RootPEM                                          []byte // the proxy's local CA

	// Process ids: the three services and the PostgreSQL server.
	APIPID, WebPID, ProxyPID, PostgresPID int

	cmd    *exec.Cmd
	output *lockedBuffer
	exited chan struct{}
}

// Root finds the repository root (the folder with go.work) at or above dir.
func Root(dir string) (string, error) {
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.work at or above the working directory; run from the repository")
		}
		dir = parent
	}
}

// FreePorts returns n loopback TCP ports that were free a moment ago.
func FreePorts(n int) ([]int, error) {
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// Start runs scripts/run-native.sh with the binaries in binDir and a new
// data folder under the system's temporary folder, and waits until the
// stack says it is ready.
func Start(ctx context.Context, root, binDir string) (*Stack, error) {
	// World-traversable: as root the database runs as the postgres user.
	dataDir, err := os.MkdirTemp("", "dpx-bench")
	if err != nil {
		return nil, err
	}
	if err := os.Chmod(dataDir, 0o755); err != nil {
		return nil, err
	}
	p, err := FreePorts(5)
	if err != nil {
		return nil, err
	}
	s := &Stack{Root: root, DataDir: dataDir, BinDir: binDir, HTTPSPort: p[0], HTTPPort: p[1], APIPort: p[2], WebPort: p[3], AdminPort: p[4],
		output: &lockedBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command("bash", filepath.Join(root, "scripts", "run-native.sh"))
	s.cmd.Dir = root
	s.cmd.Env = append(withoutVar(os.Environ(), "DATABASE_URL"),
		"DATA_DIR="+dataDir, "BIN_DIR="+binDir,
		fmt.Sprintf("HTTPS_PORT=%d", s.HTTPSPort), fmt.Sprintf("HTTP_PORT=%d", s.HTTPPort),
		fmt.Sprintf("API_PORT=%d", s.APIPort), fmt.Sprintf("WEB_PORT=%d", s.WebPort),
		fmt.Sprintf("ADMIN_PORT=%d", s.AdminPort), "LOG_FORMAT=json", "LOG_LEVEL=info",
		"ADMIN_EMAIL="+AdminEmail, "ADMIN_PASSWORD="+AdminPassword,
	)
	// Its own process group, so that a stack that ignores Ctrl-C can
	// still be ended as a whole.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := s.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	s.cmd.Stderr = s.output
	if err := s.cmd.Start(); err != nil {
		return nil, fmt.Errorf("start run-native.sh: %w", err)
	}
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
		s.cmd.Wait()
		close(s.exited)
	}()
	select {
	case <-ready:
	case <-s.exited:
		return nil, fmt.Errorf("run-native.sh exited before the stack was ready:\n%s", s.output)
	case <-time.After(3 * time.Minute):
		s.Stop()
		return nil, fmt.Errorf("stack not ready after 3 minutes:\n%s", s.output)
	case <-ctx.Done():
		s.Stop()
		return nil, ctx.Err()
	}
	if err := s.findProcesses(); err != nil {
		s.Stop()
		return nil, err
	}
	if s.RootPEM, err = os.ReadFile(filepath.Join(dataDir, "caddy", "data", "caddy", "pki", "authorities", "local", "root.crt")); err != nil {
		s.Stop()
		return nil, fmt.Errorf("the proxy's local CA: %w", err)
	}
	return s, nil
}

func (s *Stack) findProcesses() error {
	for _, p := range []struct {
		comm string
		pid  *int
	}{{"api", &s.APIPID}, {"web", &s.WebPID}, {"proxy", &s.ProxyPID}} {
		pids, err := procstat.Children(s.cmd.Process.Pid, p.comm)
		if err != nil {
			return err
		}
		if len(pids) != 1 {
			return fmt.Errorf("expected one %s process under run-native.sh, found %v", p.comm, pids)
		}
		*p.pid = pids[0]
	}
	pid, err := procstat.PostmasterPID(filepath.Join(s.DataDir, "pg"))
	if err != nil {
		return fmt.Errorf("the stack's PostgreSQL: %w", err)
	}
	s.PostgresPID = pid
	return nil
}

// URL is an https URL on the stack's public port.
func (s *Stack) URL(path string) string {
	return fmt.Sprintf("https://localhost:%d%s", s.HTTPSPort, path)
}

// APIURL is a URL on the api's own port, behind no proxy.
func (s *Stack) APIURL(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", s.APIPort, path)
}

// DatabaseURL is the URL the api uses (scripts/pg.sh url).
func (s *Stack) DatabaseURL() (string, error) {
	return s.pg("url")
}

func (s *Stack) pg(action string) (string, error) {
	cmd := exec.Command("bash", filepath.Join(s.Root, "scripts", "pg.sh"), action)
	cmd.Env = append(withoutVar(os.Environ(), "DATABASE_URL"), "DATA_DIR="+s.DataDir)
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("pg.sh %s: %w", action, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Stop sends Ctrl-C to the script, as a person would, and waits for it;
// then it makes sure the database is down.
func (s *Stack) Stop() error {
	var err error
	select {
	case <-s.exited:
	default:
		_ = s.cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(60 * time.Second):
			_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
			<-s.exited
			err = fmt.Errorf("the stack did not stop within 60 s of Ctrl-C:\n%s", s.output)
		}
	}
	if _, perr := s.pg("stop"); perr != nil && err == nil {
		err = perr
	}
	return err
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

func withoutVar(env []string, name string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, name+"=") {
			out = append(out, kv)
		}
	}
	return out
}
