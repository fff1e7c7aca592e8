// Package nativestack starts and stops the native Depotix stack the way a
// person does with `make run` (scripts/run-native.sh: PostgreSQL, api, web
// and the Caddy proxy with its local CA), in its own data folder on free
// ports. The end-to-end tests (tests/...) and the benchmark (bench) share
// it; it is not part of any service.
//
// The stack counts as started when run-native.sh says "Press Ctrl-C to
// stop.", which it prints only after an HTTPS request through the proxy,
// trusting the local CA, reached both the api and the web.
package nativestack

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// readyLine is the last line run-native.sh prints once the stack serves.
const readyLine = "Press Ctrl-C to stop."

// Options say how to start a stack. Root and BinDir are required.
type Options struct {
	Root   string // repository root (see Root)
	BinDir string // folder with api, web and proxy (see Build)
	// DataDir is the stack's data folder; empty means a new one under the
	// system's temporary folder (world-traversable: as root, PostgreSQL
	// runs as the postgres user, who must be able to enter it).
	DataDir string
	// Env is added to the script's environment, e.g. LOG_FORMAT=json.
	// DATABASE_URL is never inherited: the stack brings its own database.
	Env []string
	// Command replaces `bash scripts/run-native.sh`, e.g. with `make run`;
	// it runs in Root with the same environment.
	Command []string
	// Stdin is the command's standard input (none when nil), e.g. the keys
	// typed into a terminal that script(1) gives the command.
	Stdin io.Reader
	// ReadyTimeout bounds the start (default 3 minutes). It only limits how
	// long a broken start takes to fail; nothing waits for it to pass.
	ReadyTimeout time.Duration
}

// Stack is one native stack, running or stopped.
type Stack struct {
	Root, DataDir, BinDir                            string
	HTTPSPort, HTTPPort, APIPort, WebPort, AdminPort int
	// The first admin, as run-native.sh printed it when the api created
	// it (or as given in Options.Env).
	AdminEmail, AdminPassword string
	RootPEM                   []byte // the proxy's local CA root certificate

	opts    Options
	ports   *Ports // claimed while the stack runs
	cmd     *exec.Cmd
	output  *lockedBuffer
	ready   chan struct{} // closed when the script printed readyLine
	printed admin         // written before ready is closed
	exited  chan struct{} // closed when the script exited; state is set then
	state   *os.ProcessState
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

// Start starts a stack and waits until it serves.
func Start(ctx context.Context, opts Options) (*Stack, error) {
	s, err := Launch(opts)
	if err != nil {
		return nil, err
	}
	if err := s.WaitReady(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Launch starts a stack without waiting for it; WaitReady waits.
func Launch(opts Options) (*Stack, error) {
	if opts.Root == "" || opts.BinDir == "" {
		return nil, errors.New("nativestack: Options.Root and Options.BinDir are required")
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 3 * time.Minute
	}
	dataDir := opts.DataDir
	if dataDir == "" {
		var err error
		if dataDir, err = os.MkdirTemp("", "dpx-stack"); err != nil {
			return nil, err
		}
		if err := os.Chmod(dataDir, 0o755); err != nil {
			return nil, err
		}
	}
	claim, err := ClaimPorts(5)
	if err != nil {
		return nil, err
	}
	p := claim.Numbers
	s := &Stack{Root: opts.Root, DataDir: dataDir, BinDir: opts.BinDir,
		HTTPSPort: p[0], HTTPPort: p[1], APIPort: p[2], WebPort: p[3], AdminPort: p[4], opts: opts, ports: claim}
	s.AdminEmail, _ = lookupEnv(opts.Env, "ADMIN_EMAIL")
	s.AdminPassword, _ = lookupEnv(opts.Env, "ADMIN_PASSWORD")
	if err := s.launch(); err != nil {
		claim.Release()
		return nil, err
	}
	return s, nil
}

// Restart starts a stopped stack again, on the same data and ports, and
// waits until it serves.
func (s *Stack) Restart(ctx context.Context) error {
	if s.Running() {
		return errors.New("nativestack: Restart of a running stack")
	}
	if err := s.ports.Reclaim(); err != nil {
		return err
	}
	if err := s.launch(); err != nil {
		return err
	}
	return s.WaitReady(ctx)
}

func (s *Stack) launch() error {
	command := s.opts.Command
	if len(command) == 0 {
		command = []string{"bash", filepath.Join(s.Root, "scripts", "run-native.sh")}
	}
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = s.Root
	cmd.Env = append(WithoutVars(os.Environ(), "DATABASE_URL"),
		"DATA_DIR="+s.DataDir, "BIN_DIR="+s.BinDir,
		fmt.Sprintf("HTTPS_PORT=%d", s.HTTPSPort), fmt.Sprintf("HTTP_PORT=%d", s.HTTPPort),
		fmt.Sprintf("API_PORT=%d", s.APIPort), fmt.Sprintf("WEB_PORT=%d", s.WebPort),
		fmt.Sprintf("ADMIN_PORT=%d", s.AdminPort))
	cmd.Env = append(cmd.Env, s.opts.Env...)
	cmd.Stdin = s.opts.Stdin
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	s.output = &lockedBuffer{}
	cmd.Stderr = s.output
	exited := make(chan struct{})
	// Its own process group, and on Linux a parent-death signal (start_linux.go).
	if err := start(cmd, exited); err != nil {
		return fmt.Errorf("start %s: %w", strings.Join(command, " "), err)
	}
	s.cmd, s.state, s.printed = cmd, nil, admin{}
	s.exited = exited
	s.ready = make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		signalled := false
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(s.output, line)
			if !signalled {
				s.printed.read(line)
				if strings.HasPrefix(line, readyLine) {
					close(s.ready)
					signalled = true
				}
			}
		}
		_, _ = io.Copy(io.Discard, stdout)
		_ = cmd.Wait()
		s.state = cmd.ProcessState
		close(s.exited)
	}()
	return nil
}

// WaitReady waits until the launched stack serves. When it fails, the
// stack is stopped.
func (s *Stack) WaitReady(ctx context.Context) error {
	timer := time.NewTimer(s.opts.ReadyTimeout)
	defer timer.Stop()
	select {
	case <-s.ready:
	case <-s.exited:
		return fmt.Errorf("the stack exited before it was ready (%s):\n%s", s.state, s.output)
	case <-timer.C:
		_ = s.Stop()
		return fmt.Errorf("the stack was not ready after %s:\n%s", s.opts.ReadyTimeout, s.output)
	case <-ctx.Done():
		_ = s.Stop()
		return ctx.Err()
	}
	if s.printed.email != "" {
		s.AdminEmail, s.AdminPassword = s.printed.email, s.printed.password
	}
	var err error
	if s.RootPEM, err = os.ReadFile(s.RootCertPath()); err != nil {
		_ = s.Stop()
		return fmt.Errorf("the proxy's local CA: %w", err)
	}
	return nil
}

// admin collects the first admin's credentials from the ready message.
type admin struct{ email, password string }

func (a *admin) read(line string) {
	if v, ok := strings.CutPrefix(line, "    e-mail:"); ok {
		a.email = strings.TrimSpace(v)
	}
	if v, ok := strings.CutPrefix(line, "    password:"); ok {
		a.password = strings.TrimSpace(v)
	}
}

// Output is everything the script printed so far (stdout and stderr).
func (s *Stack) Output() string { return s.output.String() }

// PID is the process id of the script (the leader of its process group).
func (s *Stack) PID() int { return s.cmd.Process.Pid }

// Running reports whether the script has not exited yet.
func (s *Stack) Running() bool {
	if s.cmd == nil {
		return false
	}
	select {
	case <-s.exited:
		return false
	default:
		return true
	}
}

// Signal sends sig to the stack's whole process group, as a terminal does
// for Ctrl-C and a supervisor for a stop.
func (s *Stack) Signal(sig syscall.Signal) error {
	return syscall.Kill(-s.cmd.Process.Pid, sig)
}

// Wait waits for the script to exit and returns its state; after timeout
// it kills the whole group and says so.
func (s *Stack) Wait(timeout time.Duration) (*os.ProcessState, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-s.exited:
		return s.state, nil
	case <-timer.C:
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-s.exited
		return s.state, fmt.Errorf("the stack did not stop within %s; killed it:\n%s", timeout, s.Output())
	}
}

// Stop sends Ctrl-C to the stack as a terminal does and waits for it. It
// reports a stop that was not clean: an exit status other than 0, or a
// PostgreSQL left running (which it then stops, so none outlives a test).
func (s *Stack) Stop() error {
	if s.cmd == nil {
		return nil
	}
	if s.Running() {
		_ = s.Signal(syscall.SIGINT)
	}
	state, err := s.Wait(2 * time.Minute)
	if err == nil && !state.Success() && !(len(s.opts.Command) > 0 && KilledBy(state, syscall.SIGINT)) {
		err = fmt.Errorf("the stack exited with %s after Ctrl-C:\n%s", state, s.Output())
	}
	if perr := s.PostgresGone(time.Minute); perr != nil {
		_, _ = s.PG("stop")
		if err == nil {
			err = fmt.Errorf("the stack left its PostgreSQL running (%v):\n%s", perr, s.Output())
		}
	}
	s.ports.Release()
	return err
}

// PostgresGone waits until the stack's PostgreSQL server has gone, and
// reports one still there after timeout. A stop waits for the server's pid
// file to go, which the server removes just before its process ends, so a
// server that was just stopped may show for a moment; one left running
// stays.
func (s *Stack) PostgresGone(timeout time.Duration) error {
	for deadline := time.Now().Add(timeout); ; time.Sleep(10 * time.Millisecond) {
		running, err := s.PostgresRunning()
		if err == nil && !running {
			return nil
		}
		if time.Now().After(deadline) {
			if err == nil {
				err = fmt.Errorf("PostgreSQL of %s still running after %s", s.DataDir, timeout)
			}
			return err
		}
	}
}

// KilledBy reports a process that was ended by sig. GNU make, hit by a
// Ctrl-C, ends its recipe and then re-raises the signal on itself: a
// stack run through `make run` ends that way however cleanly it stopped.
func KilledBy(state *os.ProcessState, sig syscall.Signal) bool {
	ws, ok := state.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == sig
}

// PostgresRunning reports whether the stack's PostgreSQL server is alive:
// a process named postgres started with -D on the stack's cluster (which
// also finds a server still starting, before it has written its pid
// file), or the process its pid file names. It tells how things are at
// this instant; after a stop, see PostgresGone.
func (s *Stack) PostgresRunning() (bool, error) {
	pgdata := filepath.Join(s.DataDir, "pg")
	procs, err := os.ReadDir("/proc")
	if err != nil {
		return false, err
	}
	for _, p := range procs {
		pid, err := strconv.Atoi(p.Name())
		if err != nil {
			continue
		}
		cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
		if err != nil {
			continue // exited meanwhile
		}
		args := strings.Split(strings.TrimSuffix(string(cmdline), "\x00"), "\x00")
		if filepath.Base(args[0]) != "postgres" {
			continue
		}
		for i := 1; i < len(args); i++ {
			if args[i-1] == "-D" && args[i] == pgdata && alive(pid) {
				return true, nil
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(pgdata, "postmaster.pid"))
	if errors.Is(err, os.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	pid, err := strconv.Atoi(strings.TrimSpace(first))
	if err != nil {
		return false, fmt.Errorf("postmaster.pid: %w", err)
	}
	// The pid file of a server that crashed names a process that is gone.
	return alive(pid), nil
}

// alive reports a process that exists and is not a zombie.
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}

// PG runs scripts/pg.sh with the stack's data folder and returns its
// output.
func (s *Stack) PG(action string) (string, error) {
	cmd := exec.Command("bash", filepath.Join(s.Root, "scripts", "pg.sh"), action)
	cmd.Env = append(WithoutVars(os.Environ(), "DATABASE_URL"), "DATA_DIR="+s.DataDir)
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return "", fmt.Errorf("pg.sh %s: %w\n%s", action, err, stderr)
	}
	return strings.TrimSpace(string(out)), nil
}

// DatabaseURL is the URL the api uses (scripts/pg.sh url).
func (s *Stack) DatabaseURL() (string, error) { return s.PG("url") }

// URL is an https URL on the stack's public port.
func (s *Stack) URL(path string) string {
	return fmt.Sprintf("https://localhost:%d%s", s.HTTPSPort, path)
}

// APIURL is a URL on the api's own port, behind no proxy.
func (s *Stack) APIURL(path string) string {
	return fmt.Sprintf("http://127.0.0.1:%d%s", s.APIPort, path)
}

// RootCertPath is where Caddy keeps its local CA's root certificate.
func (s *Stack) RootCertPath() string {
	return filepath.Join(s.DataDir, "caddy", "data", "caddy", "pki", "authorities", "local", "root.crt")
}

// LogDir holds api.log, web.log and proxy.log.
func (s *Stack) LogDir() string { return filepath.Join(s.DataDir, "logs") }

// Build builds api, web and proxy with `make build` into the checkout's
// own .test-output/bin (git-ignored), so that two checkouts testing at
// once never share binaries. A lock file serialises the test processes of
// one checkout; go build leaves binaries that are up to date untouched, so
// a build never replaces a binary another test is running.
func Build(root string) (string, error) {
	out := filepath.Join(root, ".test-output")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return "", err
	}
	lock, err := os.OpenFile(filepath.Join(out, "build.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock %s: %w", lock.Name(), err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing the file releases it too
	binDir := filepath.Join(out, "bin")
	// A fixed version: a stamp that changed with every commit would make
	// every build rewrite the binaries.
	cmd := exec.Command("make", "--no-print-directory", "build", "BIN_DIR="+binDir, "VERSION=e2e")
	cmd.Dir = root
	if b, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("make build: %w\n%s", err, b)
	}
	return binDir, nil
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

// WithoutVars returns env (NAME=value pairs) without the named variables.
func WithoutVars(env []string, names ...string) []string {
	out := env[:0:0]
	for _, kv := range env {
		name, _, _ := strings.Cut(kv, "=")
		if !slices.Contains(names, name) {
			out = append(out, kv)
		}
	}
	return out
}

func lookupEnv(env []string, name string) (string, bool) {
	for i := len(env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(env[i], name+"="); ok {
			return v, true
		}
	}
	return "", false
}
