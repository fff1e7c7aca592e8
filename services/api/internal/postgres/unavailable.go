package postgres

import (
	"context"
	"errors"
	"io"
	"net"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Unavailable returns err as the domain's service_unavailable error when it
// says that PostgreSQL cannot be reached or went away during the request,
// and err unchanged otherwise. It is the one place that knows what such a
// failure looks like; the api's error mapper applies it to every error a
// request ends with (httpapi.Deps.StoreErrors), so no store method, pooled
// connection or stream has to remember to.
//
// What counts: a failed connection attempt (refused, no socket, timeout,
// "the database system is shutting down" or "is starting up" while
// connecting), a connection that broke under a statement (a network
// error, EOF in the middle of the protocol, "conn closed" on a connection
// pgx has already given up), and the server's own reports of ending a
// session: SQLSTATE class 08 (connection exception), 57P01
// (admin_shutdown, also pg_terminate_backend), 57P02 (crash_shutdown),
// 57P03 (cannot_connect_now). Any other answer of the server — a syntax
// error, a constraint, a statement timeout — is the server working and
// stays what it was (a 500 unless a store mapped it), and so do domain
// errors and a request's own cancellation or deadline.
func Unavailable(err error) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok || !connectionLost(err) {
		return err
	}
	return &apperr.Error{Code: apperr.CodeUnavailable,
		Message: "The database cannot be reached at the moment; try again in a few seconds.", Err: err}
}

// connectionLost tells whether err is a failure to reach the database
// rather than an answer from it.
func connectionLost(err error) bool {
	var connectErr *pgconn.ConnectError
	if errors.As(err, &connectErr) {
		// However the attempt failed (refused, timed out, the server
		// starting or shutting down, a wrong password), the api is without
		// its database.
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		code := pgErr.Code
		return len(code) == 5 && code[:2] == "08" || code == "57P01" || code == "57P02" || code == "57P03"
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		// The request's own end (a client gone, a deadline), which pgx
		// reports through the connection it had to give up.
		return false
	}
	var netErr net.Error
	switch {
	case errors.As(err, &netErr), errors.Is(err, pgconn.ErrConnClosed):
		return true
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		// pgx returns the socket's EOF as it is when the server vanishes
		// between messages (seen after pg_ctl stop -m immediate).
		return true
	}
	return false
}
