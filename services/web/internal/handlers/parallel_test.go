package handlers

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// parallel runs callLimit calls at once, never more, and skips nil calls.
func TestParallelRunsUpToTheLimitAtOnce(t *testing.T) {
	var running, most atomic.Int32
	full, release := make(chan struct{}), make(chan struct{})
	var fullOnce sync.Once
	call := func() error {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if n == callLimit {
			fullOnce.Do(func() { close(full) })
		}
		<-release
		return nil
	}
	calls := make([]func() error, 3*callLimit)
	for i := range calls {
		calls[i] = call
	}
	calls[3] = nil
	done := make(chan error, 1)
	go func() { done <- parallel(calls...) }()
	<-full // callLimit calls are running at once
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if m := most.Load(); m != callLimit {
		t.Errorf("at most %d calls ran at once, want %d", m, callLimit)
	}
}

// The error returned is the first in the order given, not the first to
// happen: the page a person sees does not depend on which call was faster.
func TestParallelReturnsTheFirstErrorInOrder(t *testing.T) {
	first, second := errors.New("first"), errors.New("second")
	secondFailed := make(chan struct{})
	err := parallel(
		func() error { <-secondFailed; return first },
		func() error { defer close(secondFailed); return second },
		nil,
	)
	if err != first {
		t.Errorf("error = %v, want the first call's", err)
	}
	if err := parallel(nil, func() error { return nil }); err != nil {
		t.Errorf("no call failed, got %v", err)
	}
}
