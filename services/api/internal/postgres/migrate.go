package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/golang-migrate/migrate/v4"
	_ "github.com/golang-migrate/migrate/v4/database/pgx/v5" // registers the pgx5:// scheme
	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/migrations"
)

// migrationLockKey is the advisory lock every api process takes before it
// touches the schema, so replicas starting together apply each migration once.
// The value is arbitrary but fixed forever ("depotix" in ASCII).
const migrationLockKey int64 = 0x6465706f746978

// SchemaState is the applied migration version as recorded in the database.
type SchemaState struct {
	Version uint
	Dirty   bool // a migration failed half-way and needs an operator
}

// ExpectedVersion is the newest migration embedded in this binary.
func ExpectedVersion() (uint, error) {
	src, err := iofs.New(migrations.FS(), ".")
	if err != nil {
		return 0, fmt.Errorf("read embedded migrations: %w", err)
	}
	defer src.Close()
	v, err := src.First()
	if err != nil {
		return 0, fmt.Errorf("first migration: %w", err)
	}
	for {
		next, err := src.Next(v)
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, os.ErrNotExist) {
			return v, nil
		}
		if err != nil {
			return 0, fmt.Errorf("next migration after %d: %w", v, err)
		}
		v = next
	}
}

// Migrator applies the embedded migrations to one database.
type Migrator struct {
	url string
}

// NewMigrator prepares migrations for the database at databaseURL.
func NewMigrator(databaseURL string) *Migrator { return &Migrator{url: databaseURL} }

// Up applies every pending migration.
func (m *Migrator) Up(ctx context.Context) error {
	return m.locked(ctx, func(mg *migrate.Migrate) error { return mg.Up() })
}

// Down reverts the newest n migrations.
func (m *Migrator) Down(ctx context.Context, n int) error {
	if n < 1 {
		return fmt.Errorf("down needs a positive number of steps, got %d", n)
	}
	return m.locked(ctx, func(mg *migrate.Migrate) error { return mg.Steps(-n) })
}

// State reports the version recorded in the database (0 when none yet).
func (m *Migrator) State(ctx context.Context) (SchemaState, error) {
	var st SchemaState
	err := m.locked(ctx, func(mg *migrate.Migrate) error {
		v, dirty, err := mg.Version()
		if errors.Is(err, migrate.ErrNilVersion) {
			return nil
		}
		st = SchemaState{Version: v, Dirty: dirty}
		return err
	})
	return st, err
}

// locked runs fn while holding the migration advisory lock on a dedicated
// connection; the lock is released when that connection closes, even if the
// process dies half-way.
func (m *Migrator) locked(ctx context.Context, fn func(*migrate.Migrate) error) error {
	conn, err := pgx.Connect(ctx, m.url)
	if err != nil {
		return fmt.Errorf("connect for migrations: %w", err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrationLockKey); err != nil {
		return fmt.Errorf("take migration lock: %w", err)
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", migrationLockKey) //nolint:errcheck // closing the connection releases it anyway

	src, err := iofs.New(migrations.FS(), ".")
	if err != nil {
		return fmt.Errorf("read embedded migrations: %w", err)
	}
	driverURL, err := pgx5URL(m.url)
	if err != nil {
		return err
	}
	mg, err := migrate.NewWithSourceInstance("iofs", src, driverURL)
	if err != nil {
		return fmt.Errorf("open migrator: %w", err)
	}
	defer mg.Close()
	if err := fn(mg); err != nil && !errors.Is(err, migrate.ErrNoChange) {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// pgx5URL rewrites a postgres:// URL to the pgx5:// scheme golang-migrate's
// pgx/v5 driver registers.
func pgx5URL(databaseURL string) (string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return "", errors.New("DATABASE_URL is not a valid URL")
	}
	if !strings.HasPrefix(u.Scheme, "postgres") {
		return "", fmt.Errorf("DATABASE_URL scheme %q: want postgres", u.Scheme)
	}
	u.Scheme = "pgx5"
	return u.String(), nil
}

// ReadSchemaState reads the applied version through the pool, without the lock:
// readiness probes call it often and must not queue behind a migration.
func ReadSchemaState(ctx context.Context, pool *pgxpool.Pool) (SchemaState, error) {
	var st SchemaState
	var version int64
	err := pool.QueryRow(ctx, "SELECT version, dirty FROM schema_migrations LIMIT 1").Scan(&version, &st.Dirty)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return SchemaState{}, nil
	case isUndefinedTable(err):
		return SchemaState{}, nil // nothing migrated yet
	case err != nil:
		return SchemaState{}, fmt.Errorf("read schema version: %w", err)
	}
	st.Version = uint(version)
	return st, nil
}

func isUndefinedTable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "42P01"
}
