package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// isUnavailable tells whether Unavailable made err the domain's
// service_unavailable error, and that it kept the cause for the log.
func isUnavailable(t *testing.T, err error) bool {
	t.Helper()
	mapped := postgres.Unavailable(err)
	e, ok := apperr.As(mapped)
	if !ok || e.Code != apperr.CodeUnavailable {
		return false
	}
	if !errors.Is(mapped, err) {
		t.Errorf("the cause %v is lost", err)
	}
	return true
}

// TestUnavailableKnowsAnOutage collects the errors pgx really returns when
// the server goes away in each way it can, and the errors of a server that
// answers, and checks which ones Unavailable maps.
func TestUnavailableKnowsAnOutage(t *testing.T) {
	ctx := context.Background()
	c := pgtest.NewCluster(t)
	url := c.Database("classify")
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	exec := func(p *pgxpool.Pool, sql string) error { _, err := p.Exec(ctx, sql); return err }

	// The server answers: these stay what they are.
	answered := map[string]error{
		"syntax error":     exec(pool, "SELEC 1"),
		"no rows":          pool.QueryRow(ctx, "SELECT 1 WHERE false").Scan(new(int)),
		"division by zero": exec(pool, "SELECT 1/0"),
		"statement timeout": pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 1"); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "SELECT pg_sleep(1)")
			return err
		}),
		"domain error": apperr.New(apperr.CodeNotFound, "No such item."),
		"request cancelled": func() error {
			c, cancel := context.WithCancel(ctx)
			cancel()
			_, err := pool.Exec(c, "SELECT 1")
			return err
		}(),
		"request deadline under a statement": func() error {
			c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			_, err := pool.Exec(c, "SELECT pg_sleep(60)")
			return err
		}(),
		"not the database's": fmt.Errorf("encode: %w", errors.New("something else")),
	}
	for name, err := range answered {
		if err == nil {
			t.Fatalf("%s: no error to classify", name)
		}
		if isUnavailable(t, err) {
			t.Errorf("%s (%v) became service_unavailable", name, err)
		}
	}
	if postgres.Unavailable(nil) != nil {
		t.Error("nil must stay nil")
	}

	lost := map[string]error{}
	// Connections taken out of the pool before each fault, so the
	// statement after it surely runs on a connection from before (the pool
	// itself would ping one that was idle a while, and open a new one).
	hold := func() *pgxpool.Conn {
		conn, err := pool.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return conn
	}
	execOn := func(conn *pgxpool.Conn) error { _, err := conn.Exec(ctx, "SELECT 1"); return err }

	// A statement running when its session is terminated: SQLSTATE 57P01.
	held := hold()
	running := make(chan error)
	go func() { running <- exec(pool, "SELECT pg_sleep(60)") }()
	for n := 0; n == 0; {
		if err := execOn(held); err != nil {
			t.Fatal(err)
		}
		if err := held.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(60)' AND state = 'active'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
	}
	c.TerminateBackends("classify")
	lost["statement of a terminated session"] = <-running
	// An idle connection whose session was terminated: the write fails
	// (broken pipe) or the read finds the end; then it is closed.
	lost["connection of a terminated session"] = execOn(held)
	lost["connection of a terminated session, closed"] = execOn(held)
	held.Release()

	// A crash under a connection held and one waiting for notifications.
	held = hold()
	listener, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := listener.Exec(ctx, "LISTEN classify"); err != nil {
		t.Fatal(err)
	}
	waiting := make(chan error)
	go func() { _, err := listener.WaitForNotification(ctx); waiting <- err }()
	c.StopImmediate()
	lost["waiting for a notification during a crash"] = <-waiting
	lost["connection held over a crash"] = execOn(held)
	held.Release()
	lost["connect to a crashed server"] = exec(pool, "SELECT 1")

	c.Start()
	held = hold()
	c.StopFast()
	lost["connection held over an admin shutdown"] = execOn(held)
	held.Release()
	lost["connect after an admin shutdown"] = exec(pool, "SELECT 1")

	for name, err := range lost {
		if err == nil {
			t.Errorf("%s: no error", name)
			continue
		}
		if !isUnavailable(t, err) {
			t.Errorf("%s: %v (%T) did not become service_unavailable", name, err, err)
		}
	}
}
