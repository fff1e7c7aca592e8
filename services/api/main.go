// Command api is Depotix's api server: it owns the database and every
// business rule. Run `api --help` for subcommands and configuration.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/envconfig"
	"github.com/depotix/depotix/platform/httpserver"
	"github.com/depotix/depotix/platform/logger"
	"github.com/depotix/depotix/platform/probe"
	"github.com/depotix/depotix/services/api/internal/config"
	"github.com/depotix/depotix/services/api/internal/health"
	"github.com/depotix/depotix/services/api/internal/httpapi"
	"github.com/depotix/depotix/services/api/internal/postgres"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `Usage: api [command]

Commands:
  serve              run the api server (the default)
  migrate up         apply every pending migration
  migrate down N     revert the newest N migrations
  migrate version    print the applied and the expected schema version
  healthcheck        probe this api's /healthz; exit 0 when healthy (for containers)
  version            print the version
  help               show this help

Configuration comes from environment variables:

`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, lookup)
	case "migrate":
		return migrateCommand(ctx, args, lookup, stdout)
	case "healthcheck":
		addr, ok := lookup("API_ADDR")
		if !ok || addr == "" {
			addr = ":8000"
		}
		return probe.Healthz(ctx, addr, "/healthz")
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		envconfig.PrintHelp(stdout, config.Help())
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

func serve(ctx context.Context, lookup func(string) (string, bool)) error {
	cfg, _, err := config.Load(lookup)
	if err != nil {
		return err
	}
	log, err := logger.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer log.Sync() //nolint:errcheck // nothing useful to do if flushing stderr fails
	log = log.With(zap.String("service", "api"), zap.String("version", version))

	expected, err := postgres.ExpectedVersion()
	if err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, cfg.DatabaseURL, cfg.DBMaxConns, cfg.DBConnectTimeout)
	if err != nil {
		return err
	}
	// Closed only after the server has drained, so in-flight requests keep
	// their connections until they finish.
	defer pool.Close()

	if cfg.MigrateOnStart {
		start := time.Now()
		if err := postgres.NewMigrator(cfg.DatabaseURL).Up(ctx); err != nil {
			return err
		}
		log.Info("schema up to date", zap.Uint("version", expected), zap.Duration("took", time.Since(start)))
	}

	handler := httpapi.New(httpapi.Deps{
		Log:       log,
		Readiness: health.NewChecker(postgres.NewHealthStore(pool), expected, 2*time.Second),
		Version:   version,
		BodyLimit: cfg.BodyLimit,
	})
	return httpserver.Run(ctx, cfg.HTTP, handler, log)
}

func migrateCommand(ctx context.Context, args []string, lookup func(string) (string, bool), stdout io.Writer) error {
	url, ok := lookup("DATABASE_URL")
	if !ok || url == "" {
		return errors.New("DATABASE_URL is required")
	}
	m := postgres.NewMigrator(url)
	if len(args) == 0 {
		return errors.New("migrate needs a command: up, down N or version")
	}
	switch args[0] {
	case "up":
		if err := m.Up(ctx); err != nil {
			return err
		}
	case "down":
		if len(args) != 2 {
			return errors.New("usage: api migrate down N (N = number of migrations to revert)")
		}
		n, err := strconv.Atoi(args[1])
		if err != nil || n < 1 {
			return fmt.Errorf("migrate down: %q is not a positive number", args[1])
		}
		if err := m.Down(ctx, n); err != nil {
			return err
		}
	case "version":
	default:
		return fmt.Errorf("unknown migrate command %q: want up, down N or version", args[0])
	}
	st, err := m.State(ctx)
	if err != nil {
		return err
	}
	expected, err := postgres.ExpectedVersion()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "schema version %d (expected %d)", st.Version, expected)
	if st.Dirty {
		fmt.Fprint(stdout, ", dirty: a migration failed half-way")
	}
	fmt.Fprintln(stdout)
	return nil
}
