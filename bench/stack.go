package main

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/depotix/depotix/bench/procstat"
	"github.com/depotix/depotix/platform/nativestack"
)

// benchStack is the native stack (the launcher the end-to-end tests use
// too) and the processes the benchmark measures in it.
type benchStack struct {
	*nativestack.Stack
	// The three services and the PostgreSQL server.
	APIPID, WebPID, ProxyPID, PostgresPID int
}

// startStack starts the native stack with the binaries in binDir, in a
// new data folder, and finds its processes.
func startStack(ctx context.Context, root, binDir string) (*benchStack, error) {
	ns, err := nativestack.Start(ctx, nativestack.Options{Root: root, BinDir: binDir,
		Env: []string{"LOG_FORMAT=json", "LOG_LEVEL=info"}})
	if err != nil {
		return nil, err
	}
	s := &benchStack{Stack: ns}
	if err := s.findProcesses(); err != nil {
		_ = s.Stop()
		return nil, err
	}
	return s, nil
}

func (s *benchStack) findProcesses() error {
	for _, p := range []struct {
		comm string
		pid  *int
	}{{"api", &s.APIPID}, {"web", &s.WebPID}, {"proxy", &s.ProxyPID}} {
		pids, err := procstat.Children(s.PID(), p.comm)
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
