package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/postgres"
)

// Cluster is a PostgreSQL server of one test's own, for tests of what the
// api does while its database is away: the test stops it, starts it again
// and cuts its connections without disturbing any other test. It is always
// a local cluster (DATABASE_URL is not used), started from the server
// binaries on the machine; a machine without them fails the test.
//
// Unlike the shared cluster it commits synchronously: a test that crashes
// the server (StopImmediate) finds every committed write again after
// Start, as an api would after a real crash.
type Cluster struct {
	t      testing.TB
	server *localServer
}

// NewCluster initialises and starts a cluster that is removed when the test
// ends. Starting one costs about a second (initdb).
func NewCluster(t testing.TB) *Cluster {
	t.Helper()
	s, err := initServer()
	if err != nil {
		t.Fatalf("pgtest: own cluster: %v", err)
	}
	c := &Cluster{t: t, server: s}
	t.Cleanup(func() {
		_ = s.pgctl("-m", "immediate", "stop") // fails harmlessly when already stopped
		s.remove()
	})
	c.Start()
	return c
}

// Database creates a database on the cluster, applies the migrations and
// returns its URL.
func (c *Cluster) Database(name string) string {
	c.t.Helper()
	ctx := context.Background()
	if err := adminExec(ctx, c.server.url, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		c.t.Fatalf("pgtest: create database: %v", err)
	}
	u := c.URL(name)
	if err := postgres.NewMigrator(u).Up(ctx); err != nil {
		c.t.Fatalf("pgtest: migrate %s: %v", name, err)
	}
	return u
}

// URL returns the URL of database on the cluster.
func (c *Cluster) URL(database string) string { return withDatabase(c.server.url, database) }

// Start starts the server and returns once it accepts connections.
func (c *Cluster) Start() {
	c.t.Helper()
	if err := c.server.pgctl("-o", c.server.opts, "-l", c.server.log, "-t", "60", "start"); err != nil {
		c.t.Fatalf("pgtest: %v", err)
	}
}

// StopFast shuts the server down the way an administrator does (pg_ctl
// stop -m fast): every session is ended with SQLSTATE 57P01, then the
// server exits and refuses new connections. It returns once the server
// is gone.
func (c *Cluster) StopFast() { c.stop("fast") }

// StopImmediate stops the server the way a crash does (pg_ctl stop -m
// immediate): the processes quit at once without a checkpoint and the
// next start recovers from the write-ahead log. It returns once the
// server is gone.
func (c *Cluster) StopImmediate() { c.stop("immediate") }

func (c *Cluster) stop(mode string) {
	c.t.Helper()
	if err := c.server.pgctl("-m", mode, "stop"); err != nil {
		c.t.Fatalf("pgtest: %v", err)
	}
}

// TerminateBackends ends every session on database while the server
// stays up (pg_terminate_backend, SQLSTATE 57P01 for the victims), and
// returns how many it ended. It waits for each to be gone.
func (c *Cluster) TerminateBackends(database string) int {
	c.t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, c.server.url)
	if err != nil {
		c.t.Fatalf("pgtest: connect to terminate backends: %v", err)
	}
	defer conn.Close(ctx)
	var n int
	// The timeout argument makes each call wait until its backend has
	// exited (PostgreSQL 14+), so the connections are gone on return.
	err = conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 10000))
		FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, database).Scan(&n)
	if err != nil {
		c.t.Fatalf("pgtest: terminate backends: %v", err)
	}
	return n
}
