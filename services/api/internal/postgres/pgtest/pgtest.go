// Package pgtest gives store tests a real PostgreSQL.
//
// With DATABASE_URL set, that server is used (the role must be allowed to
// create databases). Otherwise one throwaway cluster is started per test
// process from the server binaries on the machine. Either way each test gets
// a fresh database cloned from a template that was migrated once, which takes
// tens of milliseconds instead of a full migration per test.
//
// A package using it calls pgtest.Main from TestMain.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/postgres"
)

// server is the PostgreSQL every test of this process uses. It is package
// state on purpose: TestMain owns its lifetime and tests only borrow it.
var server struct {
	mu        sync.Mutex
	adminURL  string // connects to the maintenance database
	template  string // migrated template database name
	prefix    string // names of databases this process created
	seq       int
	stop      func()
	startErr  error
	templated bool
	// templateErr is kept so that every later test reports the migration
	// failure instead of tripping over the half-made template.
	templateErr error
}

// Main starts (or connects to) PostgreSQL, runs the tests and tears the
// cluster down. Use it as: func TestMain(m *testing.M) { pgtest.Main(m) }
func Main(m *testing.M) {
	code := run(m)
	os.Exit(code)
}

func run(m *testing.M) int {
	server.prefix = "t_" + randomHex(4)
	if u := os.Getenv("DATABASE_URL"); u != "" {
		server.adminURL = u
		server.stop = func() { dropOwnDatabases(u) }
	} else {
		c, err := startCluster()
		if err != nil {
			// Reported by every test that asks for a database, so a package
			// without store tests still runs.
			server.startErr = err
		} else {
			server.adminURL = c.url
			server.stop = c.stop
		}
	}
	code := m.Run()
	if server.stop != nil {
		server.stop()
	}
	return code
}

// URL returns the connection URL of a fresh, migrated database that is
// dropped when the test ends.
func URL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// EmptyURL returns the URL of a fresh database with no schema at all, for
// tests of the migrations themselves.
func EmptyURL(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

// Pool returns a pool on a fresh, migrated database, closed at test end.
func Pool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("pgtest: open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// AdminURL returns the URL of the maintenance database, for tests that
// need to act on the server itself.
func AdminURL(t testing.TB) string {
	t.Helper()
	if server.startErr != nil {
		t.Fatalf("pgtest: no PostgreSQL: %v", server.startErr)
	}
	return server.adminURL
}

func newDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	admin := AdminURL(t)
	ctx := context.Background()
	server.mu.Lock()
	if migrated && !server.templated {
		server.templateErr = prepareTemplate(ctx, admin)
		server.templated = true
	}
	if migrated && server.templateErr != nil {
		server.mu.Unlock()
		t.Fatalf("pgtest: prepare template: %v", server.templateErr)
	}
	server.seq++
	name := fmt.Sprintf("%s_%d", server.prefix, server.seq)
	server.mu.Unlock()

	sql := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if migrated {
		sql += " TEMPLATE " + pgx.Identifier{server.template}.Sanitize() + " STRATEGY FILE_COPY"
	}
	if err := adminExec(ctx, admin, sql); err != nil {
		t.Fatalf("pgtest: create database: %v", err)
	}
	t.Cleanup(func() {
		// FORCE ends connections a test forgot to close (PostgreSQL 13+).
		_ = adminExec(context.Background(), admin, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
	})
	return withDatabase(admin, name)
}

func prepareTemplate(ctx context.Context, admin string) error {
	server.template = server.prefix + "_template"
	if err := adminExec(ctx, admin, "CREATE DATABASE "+pgx.Identifier{server.template}.Sanitize()); err != nil {
		return err
	}
	return postgres.NewMigrator(withDatabase(admin, server.template)).Up(ctx)
}

func adminExec(ctx context.Context, admin, sql string) error {
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

// withDatabase returns admin with its database name replaced.
func withDatabase(admin, name string) string {
	u, err := url.Parse(admin)
	if err != nil {
		panic(fmt.Sprintf("pgtest: DATABASE_URL is not a URL: %v", err))
	}
	u.Path = "/" + name
	return u.String()
}

func dropOwnDatabases(admin string) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, "SELECT datname FROM pg_database WHERE datname LIKE $1", server.prefix+"%")
	if err != nil {
		return
	}
	names, _ := pgx.CollectRows(rows, pgx.RowTo[string])
	for _, n := range names {
		_, _ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{n}.Sanitize()+" WITH (FORCE)")
	}
}

type cluster struct {
	url  string
	stop func()
}

// startCluster runs initdb and starts a server listening only on a unix
// socket in a fresh folder, so parallel test processes never collide on ports.
func startCluster() (*cluster, error) {
	s, err := initServer("-c synchronous_commit=off")
	if err != nil {
		return nil, err
	}
	if err := s.pgctl("-o", s.opts, "-l", s.log, "-t", "60", "start"); err != nil {
		s.remove()
		return nil, err
	}
	stop := func() {
		_ = s.pgctl("-m", "immediate", "stop")
		s.remove()
	}
	return &cluster{url: s.url, stop: stop}, nil
}

// localServer is a cluster in a folder of its own under /tmp.
type localServer struct {
	bin, dir, data, log string
	opts                string // the server's command-line options
	url                 string // the maintenance database
	runAs               func(name string, args ...string) ([]byte, error)
}

// initServer creates a cluster (initdb) without starting it. Extra are
// server options beside the test settings every cluster has.
func initServer(extra ...string) (*localServer, error) {
	bin, err := ServerBinDir()
	if err != nil {
		return nil, err
	}
	// Under /tmp, not t.TempDir: the postgres user must be able to enter it,
	// and socket paths must stay short.
	dir, err := os.MkdirTemp("", "pgt")
	if err != nil {
		return nil, err
	}
	runAs, err := serverUser(dir)
	if err != nil {
		_ = os.RemoveAll(dir)
		return nil, err
	}
	s := &localServer{bin: bin, dir: dir, data: filepath.Join(dir, "data"), log: filepath.Join(dir, "log"), runAs: runAs}
	out, err := runAs(filepath.Join(bin, "initdb"), "-D", s.data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C", "--no-sync")
	if err != nil {
		s.remove()
		return nil, fmt.Errorf("initdb: %w\n%s", err, out)
	}
	const port = "5432" // only a socket file name here; nothing listens on TCP
	s.opts = strings.Join(append([]string{
		"-k " + dir, "-p " + port, "-c listen_addresses=''",
		"-c fsync=off", "-c full_page_writes=off",
		"-c max_connections=200", "-c shared_buffers=64MB",
	}, extra...), " ")
	s.url = fmt.Sprintf("postgres://postgres@/postgres?host=%s&port=%s&sslmode=disable", url.QueryEscape(dir), port)
	return s, nil
}

// pgctl runs pg_ctl on the cluster and waits for it to finish what it was
// asked (-w): a start returns once the server accepts connections, a stop
// once the server has exited.
func (s *localServer) pgctl(args ...string) error {
	out, err := s.runAs(filepath.Join(s.bin, "pg_ctl"), append([]string{"-D", s.data, "-w"}, args...)...)
	if err != nil {
		log, _ := os.ReadFile(s.log)
		return fmt.Errorf("pg_ctl %s: %w\n%s\n%s", strings.Join(args, " "), err, out, log)
	}
	return nil
}

func (s *localServer) remove() { _ = os.RemoveAll(s.dir) }

// serverUser returns a function running a server binary: directly, or as the
// postgres user when we are root (initdb and postgres refuse to run as root).
func serverUser(dir string) (func(name string, args ...string) ([]byte, error), error) {
	if os.Geteuid() != 0 {
		return func(name string, args ...string) ([]byte, error) {
			return exec.Command(name, args...).CombinedOutput()
		}, nil
	}
	pgUser, err := user.Lookup("postgres")
	if err != nil {
		return nil, errors.New("running as root but there is no postgres user to run the server as")
	}
	uid, _ := strconv.Atoi(pgUser.Uid)
	gid, _ := strconv.Atoi(pgUser.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("chown %s: %w", dir, err)
	}
	return func(name string, args ...string) ([]byte, error) {
		return exec.Command("runuser", append([]string{"-u", "postgres", "--", name}, args...)...).CombinedOutput()
	}, nil
}

// ServerBinDir finds PostgreSQL's server binaries: PG_BIN, then the newest
// Debian-style /usr/lib/postgresql/N/bin, then pg_config, then PATH.
func ServerBinDir() (string, error) {
	if d := os.Getenv("PG_BIN"); d != "" {
		return d, nil
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(dirs, func(i, j int) bool { return versionOf(dirs[i]) > versionOf(dirs[j]) })
	for _, d := range dirs {
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if out, err := exec.Command("pg_config", "--bindir").Output(); err == nil {
		d := strings.TrimSpace(string(out))
		if _, err := os.Stat(filepath.Join(d, "initdb")); err == nil {
			return d, nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		return filepath.Dir(p), nil
	}
	return "", errors.New("no PostgreSQL server binaries found (install postgresql, set PG_BIN, or set DATABASE_URL)")
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
