//go:build linux

package nativestack

import (
	"os/exec"
	"runtime"
	"syscall"
)

// start starts the script in its own process group, so that signals reach
// the whole stack as they do from a terminal or a supervisor, with SIGTERM
// as its parent-death signal: a test process that dies without stopping
// its stack (killed, a panic in another goroutine, a timeout) makes the
// script stop the services and PostgreSQL all the same, instead of leaving
// them to hold ports and CPU.
//
// The kernel sends that signal when the thread that started the child
// ends, not the process; the Go runtime ends a thread when a goroutine
// locked to it returns. So the start runs on a thread that stays locked,
// and thus alive and nobody else's, until the script has exited.
func start(cmd *exec.Cmd, exited <-chan struct{}) error {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	started := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		err := cmd.Start()
		started <- err
		if err == nil {
			<-exited
		}
		runtime.UnlockOSThread()
	}()
	return <-started
}
