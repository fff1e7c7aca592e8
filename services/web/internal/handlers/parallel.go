package handlers

import "golang.org/x/sync/errgroup"

// callLimit bounds the api calls one request makes at once: a delivery of
// fifty lines looks up its codes eight at a time, not fifty.
const callLimit = 8

// parallel runs independent api calls at once (up to callLimit) and
// returns the first error in the order given (nil calls are skipped), so a
// page waits for its slowest call instead of the sum of them, and shows
// the same error whichever call happened to fail first.
func parallel(calls ...func() error) error {
	errs := make([]error, len(calls))
	var g errgroup.Group
	g.SetLimit(callLimit)
	for i, call := range calls {
		if call != nil {
			g.Go(func() error { errs[i] = call(); return nil })
		}
	}
	_ = g.Wait() // every call's error is in errs
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
