package goroutines

import (
	"strings"
	"testing"
)

// parkedHere blocks until release is closed: a function with a name the
// test can look for.
func parkedHere(started chan<- struct{}, release <-chan struct{}) {
	close(started)
	<-release
}

func TestRunningFindsAGoroutineOnlyWhileItRuns(t *testing.T) {
	const name = "github.com/depotix/depotix/platform/goroutines.parkedHere"
	started, release, ended := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		parkedHere(started, release)
		close(ended) // after parkedHere has returned: its frame is gone
		<-release
	}()
	<-started
	found := Running(name)
	if len(found) != 1 || !strings.Contains(found[0], name) {
		t.Fatalf("Running(%q) = %q, want the one parked goroutine", name, found)
	}
	if got := Running("github.com/depotix/depotix/platform/goroutines.nothingOfThisName"); len(got) != 0 {
		t.Fatalf("found goroutines running a function that does not exist: %q", got)
	}
	close(release)
	<-ended
	if got := Running(name); len(got) != 0 {
		t.Fatalf("still found after it returned: %q", got)
	}
}

// The caller itself is never reported, though it runs the test's function.
func TestRunningLeavesOutTheCaller(t *testing.T) {
	if got := Running("github.com/depotix/depotix/platform/goroutines.TestRunningLeavesOutTheCaller"); len(got) != 0 {
		t.Fatalf("reported the caller: %q", got)
	}
}
