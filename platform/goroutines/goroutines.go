// Package goroutines finds the goroutines that are running given code. A
// service's tests use it to check that its run function, once returned, has
// left none of its background work running.
package goroutines

import (
	"runtime"
	"strings"
)

// Running returns the stacks of the goroutines, other than the caller's,
// that have a function on their stack whose name starts with one of funcs
// ("main.serve", "github.com/depotix/depotix/platform/debugserver."). A
// goroutine's "created by" line does not count: what created it may be long
// gone.
func Running(funcs ...string) []string {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	// Goroutines are separated by an empty line; the caller's comes first.
	stacks := strings.Split(string(buf), "\n\n")
	var found []string
	for _, stack := range stacks[1:] {
		if runs(stack, funcs) {
			found = append(found, stack)
		}
	}
	return found
}

// runs reports whether one of stack's frames is in one of funcs. A frame is
// a line naming a function, followed by a tab-indented line with its file.
func runs(stack string, funcs []string) bool {
	for _, line := range strings.Split(stack, "\n")[1:] { // the first is "goroutine N [state]:"
		if strings.HasPrefix(line, "\t") || strings.HasPrefix(line, "created by ") {
			continue
		}
		for _, f := range funcs {
			if strings.HasPrefix(line, f) {
				return true
			}
		}
	}
	return false
}
