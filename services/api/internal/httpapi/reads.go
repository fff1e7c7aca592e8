package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// limitReads lets at most n reads work on their answers at once; the
// others wait their turn in the order they came. A read's turn ends when
// its answer starts: by then it has what it needs from the database, and
// sending the answer to a slow client holds nobody up.
//
// Reads spend their time on the CPU (the database's and this process's),
// which two cores share among however many run at once: sixteen readers
// through eight connections took as long on average as through four, but
// one in a hundred waited half again as long (measured on the invoice
// search, 16 clients, 2 cores: p99 27 ms through 8 connections, 17 to 19
// ms through 4, at the same throughput). Writes are not limited here: they
// wait on their commits' WAL flushes, and more of them at once share
// those flushes.
func limitReads(n int) echo.MiddlewareFunc {
	turns := make(chan struct{}, n)
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead {
				return next(c)
			}
			ctx := c.Request().Context()
			select {
			case turns <- struct{}{}:
			case <-ctx.Done():
				return ctx.Err()
			}
			done := false
			end := func() {
				if !done {
					done = true
					<-turns
				}
			}
			c.Response().Before(end)
			defer end()
			return next(c)
		}
	}
}
