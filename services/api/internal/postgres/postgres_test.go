package postgres_test

import (
	"context"
	"io/fs"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/migrations"
	"github.com/depotix/depotix/services/api/internal/health"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func expected(t *testing.T) uint {
	t.Helper()
	v, err := postgres.ExpectedVersion()
	if err != nil || v == 0 {
		t.Fatalf("ExpectedVersion = %d, %v", v, err)
	}
	return v
}

// schemaDump lists every table, column, function and extension of the public
// schema, so a round trip can be compared with the original.
func schemaDump(t *testing.T, url string) []string {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `
		SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || coalesce(column_default, '')
		  FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
		UNION ALL
		SELECT 'function ' || p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		 WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
		UNION ALL
		SELECT 'extension ' || extname FROM pg_extension WHERE extname <> 'plpgsql'
		UNION ALL
		SELECT 'constraint ' || conrelid::regclass || ' ' || pg_get_constraintdef(oid) FROM pg_constraint
		 WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
		ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMigrationsRoundTrip(t *testing.T) {
	ctx := context.Background()
	url := pgtest.EmptyURL(t)
	m := postgres.NewMigrator(url)
	want := expected(t)

	if err := m.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	migrated := schemaDump(t, url)
	if len(migrated) == 0 {
		t.Fatal("schema is empty after up")
	}
	// Down by the number of migrations, not the newest number: numbers may
	// have gaps while parallel branches each hold theirs.
	ups, err := fs.Glob(migrations.FS(), "*.up.sql")
	if err != nil || len(ups) == 0 {
		t.Fatalf("migration files: %v %v", ups, err)
	}
	if err := m.Down(ctx, len(ups)); err != nil {
		t.Fatalf("down %d (to before %d): %v", len(ups), want, err)
	}
	if got := schemaDump(t, url); len(got) != 0 {
		t.Fatalf("down left objects behind: %v", got)
	}
	if st, err := m.State(ctx); err != nil || st.Version != 0 {
		t.Fatalf("state after down = %+v, %v; want version 0", st, err)
	}
	if err := m.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	again := schemaDump(t, url)
	if len(again) != len(migrated) {
		t.Fatalf("second up differs:\nfirst  %v\nsecond %v", migrated, again)
	}
	for i := range again {
		if again[i] != migrated[i] {
			t.Fatalf("second up differs at %d: %q vs %q", i, migrated[i], again[i])
		}
	}
	if err := m.Up(ctx); err != nil {
		t.Fatalf("up with nothing to do must succeed: %v", err)
	}
	st, err := m.State(ctx)
	if err != nil || st != (postgres.SchemaState{Version: want}) {
		t.Fatalf("state = %+v, %v; want version %d clean", st, err, want)
	}
}

func TestDownRejectsNonPositiveSteps(t *testing.T) {
	if err := postgres.NewMigrator(pgtest.EmptyURL(t)).Down(context.Background(), 0); err == nil {
		t.Fatal("Down(0) accepted")
	}
}

// Several api processes starting together must apply each migration once and
// all come up; the advisory lock serialises them.
func TestConcurrentMigrationsDoNotCollide(t *testing.T) {
	ctx := context.Background()
	for round := range 3 {
		url := pgtest.EmptyURL(t)
		const starters = 6
		var wg sync.WaitGroup
		errs := make([]error, starters)
		for i := range starters {
			wg.Go(func() { errs[i] = postgres.NewMigrator(url).Up(ctx) })
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Fatalf("round %d starter %d: %v", round, i, err)
			}
		}
		st, err := postgres.NewMigrator(url).State(ctx)
		if err != nil || st != (postgres.SchemaState{Version: expected(t)}) {
			t.Fatalf("round %d: state %+v, %v", round, st, err)
		}
	}
}

func TestHealthStore(t *testing.T) {
	ctx := context.Background()

	t.Run("migrated", func(t *testing.T) {
		pool := pgtest.Pool(t)
		s := postgres.NewHealthStore(pool)
		if err := s.Ping(ctx); err != nil {
			t.Fatal(err)
		}
		got, err := s.Schema(ctx)
		if err != nil || got != (health.Schema{Version: expected(t)}) {
			t.Fatalf("Schema = %+v, %v", got, err)
		}
		r := health.NewChecker(s, expected(t), time.Second).Check(ctx)
		if !r.OK || r.Database != health.DatabaseReady {
			t.Fatalf("report %+v", r)
		}
	})

	t.Run("empty database reads as version 0", func(t *testing.T) {
		pool, err := pgxpool.New(ctx, pgtest.EmptyURL(t))
		if err != nil {
			t.Fatal(err)
		}
		defer pool.Close()
		got, err := postgres.NewHealthStore(pool).Schema(ctx)
		if err != nil || got != (health.Schema{}) {
			t.Fatalf("Schema = %+v, %v", got, err)
		}
	})

	t.Run("dirty", func(t *testing.T) {
		pool := pgtest.Pool(t)
		if _, err := pool.Exec(ctx, "UPDATE schema_migrations SET dirty = true"); err != nil {
			t.Fatal(err)
		}
		r := health.NewChecker(postgres.NewHealthStore(pool), expected(t), time.Second).Check(ctx)
		if r.OK || r.Database != health.DatabaseSchemaDirty {
			t.Fatalf("report %+v", r)
		}
	})
}

func TestOpenGivesUpWhenDatabaseIsAbsent(t *testing.T) {
	start := time.Now()
	_, err := postgres.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?connect_timeout=1", 2, 500*time.Millisecond)
	if err == nil {
		t.Fatal("Open succeeded without a database")
	}
	if time.Since(start) > 10*time.Second {
		t.Fatalf("Open ignored its timeout: %s", time.Since(start))
	}
}

func TestOrganisationIsSingleRow(t *testing.T) {
	ctx := context.Background()
	pool := pgtest.Pool(t)
	var tz, currency string
	if err := pool.QueryRow(ctx, "SELECT time_zone, currency FROM organisation").Scan(&tz, &currency); err != nil {
		t.Fatal(err)
	}
	if tz != "Europe/Zurich" || currency != "CHF" {
		t.Fatalf("defaults %s %s", tz, currency)
	}
	if _, err := pool.Exec(ctx, "INSERT INTO organisation (id) VALUES (false)"); err == nil {
		t.Fatal("a second organisation row was accepted")
	}
}
