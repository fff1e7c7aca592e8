package nativestack

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// The test binary also plays the parts TestOrphanedStackStops needs: a
// test process that starts a stack (launchEnv) and the api, web and proxy
// of that stack (fakeServiceEnv). The fakes listen on their ports and
// answer run-native.sh's health checks; what the test is about, the
// script, its PostgreSQL and the signals, is all real.
const (
	launchEnv        = "NATIVESTACK_TEST_LAUNCH"         // the bin folder
	launchCommandEnv = "NATIVESTACK_TEST_LAUNCH_COMMAND" // Options.Command, as bash -c's script
	fakeServiceEnv   = "NATIVESTACK_TEST_FAKE_SERVICE"   // api, web or proxy
)

// launched is what the launching process reports once its stack serves.
type launched struct {
	PID     int    `json:"pid"`
	DataDir string `json:"data_dir"`
	Ports   []int  `json:"ports"`
}

// launchStack starts a stack as an end-to-end test does, reports it on
// standard output and then waits to be killed, never stopping the stack.
func launchStack(binDir string) error {
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	root, err := Root(wd)
	if err != nil {
		return err
	}
	opts := Options{Root: root, BinDir: binDir, ReadyTimeout: 2 * time.Minute}
	if c := os.Getenv(launchCommandEnv); c != "" {
		opts.Command = []string{"bash", "-c", c}
	}
	s, err := Start(context.Background(), opts)
	if err != nil {
		return err
	}
	report := launched{PID: s.PID(), DataDir: s.DataDir, Ports: []int{s.HTTPSPort, s.HTTPPort, s.APIPort, s.WebPort}}
	if err := json.NewEncoder(os.Stdout).Encode(report); err != nil {
		return err
	}
	// Until the parent closes our input; it kills us first.
	_, _ = io.Copy(io.Discard, os.Stdin)
	return errors.New("the test ended without killing the launching process")
}

// fakeService is a stand-in for the api, web or proxy binary: `healthcheck`
// succeeds when the service's port accepts a connection; anything else
// serves its ports until a signal ends the process.
func fakeService(name string, args []string) error {
	var addrs []string
	switch name {
	case "api":
		addrs = []string{os.Getenv("API_ADDR")}
	case "web":
		addrs = []string{os.Getenv("WEB_ADDR")}
	case "proxy":
		addrs = []string{"127.0.0.1:" + os.Getenv("HTTPS_PORT"), "127.0.0.1:" + os.Getenv("HTTP_PORT")}
	default:
		return fmt.Errorf("no fake service %q", name)
	}
	if len(args) > 0 && args[0] == "healthcheck" {
		if name == "proxy" { // healthcheck --cacert FILE --url URL...
			addrs = nil
			for i := 1; i < len(args); i++ {
				if args[i-1] == "--url" {
					u, err := url.Parse(args[i])
					if err != nil {
						return err
					}
					addrs = append(addrs, u.Host)
				}
			}
		}
		for _, a := range addrs {
			conn, err := net.DialTimeout("tcp", a, 5*time.Second)
			if err != nil {
				return err
			}
			conn.Close()
		}
		return nil
	}
	if name == "proxy" { // the local CA's root, which Start reads
		cert := filepath.Join(os.Getenv("XDG_DATA_HOME"), "caddy", "pki", "authorities", "local", "root.crt")
		if err := os.MkdirAll(filepath.Dir(cert), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(cert, []byte("fake root\n"), 0o644); err != nil {
			return err
		}
	}
	accepted := make(chan error)
	for _, a := range addrs {
		ln, err := net.Listen("tcp", a)
		if err != nil {
			return err
		}
		go func() {
			for {
				conn, err := ln.Accept()
				if err != nil {
					accepted <- err
					return
				}
				conn.Close()
			}
		}()
	}
	return <-accepted
}

// TestOrphanedStackStops kills a test process that started a stack, with
// SIGKILL, so that none of its cleanup runs: the stack must stop all the
// same, leaving no process of its group, no PostgreSQL and no port held.
func TestOrphanedStackStops(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	binDir := t.TempDir()
	for _, name := range []string{"api", "web", "proxy"} {
		wrapper := fmt.Sprintf("#!/bin/sh\n%s=%s exec %q \"$@\"\n", fakeServiceEnv, name, exe)
		if err := os.WriteFile(filepath.Join(binDir, name), []byte(wrapper), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		// command starts the script instead of nativestack's own way.
		command string
		// term sends TERM to the stack's group once the killed process is
		// gone, and with it the read end of the script's output.
		term bool
	}{
		// The script's parent-death signal stops it.
		{name: "by its parent-death signal"},
		// The script started by a shell that forks it has no parent-death
		// signal; TERM to the group (CI ending a job's processes) arrives
		// when nobody reads the script's output any more: its shutdown
		// messages must not end it before it has stopped PostgreSQL.
		{name: "by a group TERM after its output closed", command: "bash scripts/run-native.sh; exit $?", term: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			child := exec.Command(exe)
			child.Env = append(WithoutVars(os.Environ(), fakeServiceEnv, launchCommandEnv), launchEnv+"="+binDir)
			if tc.command != "" {
				child.Env = append(child.Env, launchCommandEnv+"="+tc.command)
			}
			st := launchAndKill(t, child)
			if tc.term {
				if err := syscall.Kill(-st.PID, syscall.SIGTERM); err != nil {
					t.Fatal(err)
				}
			}
			checkStackGone(t, st)
		})
	}
}

// launchAndKill starts child (this test binary, launching a stack), waits
// for its report and kills it with SIGKILL.
func launchAndKill(t *testing.T, child *exec.Cmd) launched {
	t.Helper()
	stdin, err := child.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	stdout, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	child.Stderr = &stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	// The report, or nothing when the launch failed and the process ended.
	line, readErr := bufio.NewReader(stdout).ReadString('\n')
	var st launched
	if err := json.Unmarshal([]byte(line), &st); err != nil || st.PID == 0 {
		_ = child.Process.Kill()
		_ = child.Wait()
		t.Fatalf("the launching process reported %q (%v, %v):\n%s", line, readErr, err, stderr.String())
	}
	s := &Stack{DataDir: st.DataDir}
	t.Cleanup(func() {
		if t.Failed() { // leave nothing running for the next test
			_ = syscall.Kill(-st.PID, syscall.SIGKILL)
			if running, _ := s.PostgresRunning(); running {
				wd, _ := os.Getwd()
				s.Root, _ = Root(wd)
				_, _ = s.PG("stop")
			}
			return
		}
		os.RemoveAll(st.DataDir)
	})
	if running, err := s.PostgresRunning(); err != nil || !running {
		t.Fatalf("the stack serves, but its PostgreSQL does not run: %v", err)
	}
	if procs := groupProcesses(st.PID); len(procs) < 4 {
		t.Fatalf("the stack's process group holds %v; want the script, api, web and proxy", procs)
	}
	if err := child.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	return st
}

// checkStackGone waits until no live process is left in the stack's
// group, its PostgreSQL has shut down and every port is free.
func checkStackGone(t *testing.T, st launched) {
	t.Helper()
	s := &Stack{DataDir: st.DataDir}
	// The deadline only bounds how long a failure takes.
	var left []string
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		left = left[:0]
		for _, pid := range groupProcesses(st.PID) {
			cmdline, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			left = append(left, fmt.Sprintf("process %d (%s)", pid, strings.ReplaceAll(string(cmdline), "\x00", " ")))
		}
		if running, err := s.PostgresRunning(); err != nil || running {
			left = append(left, fmt.Sprintf("PostgreSQL (%v)", err))
		}
		for _, port := range st.Ports {
			ln, err := net.Listen("tcp4", "127.0.0.1:"+strconv.Itoa(port))
			if err != nil {
				left = append(left, fmt.Sprintf("port %d (%v)", port, err))
				continue
			}
			ln.Close()
		}
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("2 minutes after its test process was killed, the stack still holds:\n  %s", strings.Join(left, "\n  "))
		}
	}
	// PostgreSQL was shut down, not left to die.
	logs, err := os.ReadFile(filepath.Join(st.DataDir, "pg", "server.log"))
	if err != nil || !strings.Contains(string(logs), "database system is shut down") {
		t.Errorf("PostgreSQL did not shut down cleanly (%v):\n%s", err, logs)
	}
}

// groupProcesses lists the live processes (not zombies) of process group
// pgid.
func groupProcesses(pgid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var pids []int
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil {
			continue // exited meanwhile
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces.
		_, rest, _ := strings.Cut(string(stat), ") ")
		fields := strings.Fields(rest)
		if len(fields) < 3 || fields[0] == "Z" {
			continue
		}
		if g, err := strconv.Atoi(fields[2]); err == nil && g == pgid {
			pids = append(pids, pid)
		}
	}
	return pids
}
