//go:build !linux

package nativestack

import (
	"os/exec"
	"syscall"
)

// start starts the script in its own process group, so that signals reach
// the whole stack as they do from a terminal or a supervisor. Only Linux
// has a parent-death signal: elsewhere a test process that dies without
// stopping its stack leaves it running.
func start(cmd *exec.Cmd, _ <-chan struct{}) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	return cmd.Start()
}
