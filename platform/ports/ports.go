// Package ports claims loopback TCP ports across processes, for tests and
// benchmarks that start servers: the native stack (nativestack), the
// proxy module's tests and the benchmark's second proxy all claim through
// it, so no two of them, in any process, draw the same number. It uses
// only the standard library, so any module of the repository can import it.
package ports

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// Ports are loopback TCP ports claimed for one user (a stack, a benchmark's
// second proxy) across processes. A port that was free a moment ago is not
// enough: Caddy listens with SO_REUSEPORT, so two test processes that drew
// the same number both bind it and the kernel splits the connections
// between two stacks (seen as a certificate of the other stack's CA). Each
// number is held by an flock on a file named after it in a folder every
// process shares; the kernel drops the lock when its process ends, however
// it ends.
type Ports struct {
	Numbers []int
	locks   []*os.File
}

func portLockDir() string { return filepath.Join(os.TempDir(), "depotix-ports") }

// Claim returns n different loopback ports, free a moment ago and claimed
// by no other user of Claim, in this process or another, until Release.
func Claim(n int) (*Ports, error) {
	if err := os.MkdirAll(portLockDir(), 0o777); err != nil {
		return nil, err
	}
	p := &Ports{}
	var lns []net.Listener // held until all are drawn: n different numbers
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for tries := 0; len(p.Numbers) < n; tries++ {
		if tries > 100*n {
			p.Release()
			return nil, errors.New("ports: no free port could be claimed")
		}
		ln, err := net.Listen("tcp4", "127.0.0.1:0")
		if err != nil {
			p.Release()
			return nil, err
		}
		lns = append(lns, ln)
		port := ln.Addr().(*net.TCPAddr).Port
		lock, err := lockPort(port)
		if err != nil {
			continue // another process holds it
		}
		p.Numbers = append(p.Numbers, port)
		p.locks = append(p.locks, lock)
	}
	return p, nil
}

// Reclaim claims the same numbers again after Release, for a restart on
// the same ports.
func (p *Ports) Reclaim() error {
	if len(p.locks) > 0 {
		return nil
	}
	for _, port := range p.Numbers {
		lock, err := lockPort(port)
		if err != nil {
			p.Release()
			return fmt.Errorf("ports: port %d was claimed meanwhile: %w", port, err)
		}
		p.locks = append(p.locks, lock)
	}
	return nil
}

// Release gives the ports up.
func (p *Ports) Release() {
	for _, l := range p.locks {
		l.Close()
	}
	p.locks = nil
}

func lockPort(port int) (*os.File, error) {
	f, err := os.OpenFile(filepath.Join(portLockDir(), strconv.Itoa(port)), os.O_CREATE|os.O_RDWR, 0o666)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
