package handlers

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestLedgerCalls(t *testing.T) {
	var running, most atomic.Int32
	call := func() error {
		n := running.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(5 * time.Millisecond)
		running.Add(-1)
		return nil
	}
	calls := make([]func() error, 20)
	for i := range calls {
		calls[i] = call
	}
	calls[3] = nil // skipped
	if err := ledgerCalls(calls...); err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m < 2 || m > ledgerConcurrency {
		t.Errorf("at most %d calls ran at once, want 2..%d", m, ledgerConcurrency)
	}
	first, second := errors.New("first"), errors.New("second")
	err := ledgerCalls(func() error { time.Sleep(10 * time.Millisecond); return first }, func() error { return second })
	if err != first {
		t.Errorf("error = %v, want the first call's", err)
	}
}
