// Command api is Depotix's api server: it owns the database and every
// business rule. Run `api --help` for subcommands and configuration.
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the organisation's time zone, also on images without zone files

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/depotix/depotix/platform/debugserver"
	"github.com/depotix/depotix/platform/envconfig"
	"github.com/depotix/depotix/platform/httpserver"
	"github.com/depotix/depotix/platform/logger"
	"github.com/depotix/depotix/platform/probe"
	"github.com/depotix/depotix/services/api/internal/apidocs"
	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/changes"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/config"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/health"
	"github.com/depotix/depotix/services/api/internal/httpapi"
	"github.com/depotix/depotix/services/api/internal/idempotency"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/password"
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
  users create       add a person: --email E --name N [--role R | --admin]
                     [--language de|en]; the password is read from standard
                     input (one line). Without --language the person's first
                     sign-in sets it from their browser
  healthcheck        probe this api's /healthz; exit 0 when healthy (for containers)
  version            print the version
  help               show this help

Configuration comes from environment variables:

`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, lookup func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, lookup)
	case "migrate":
		return migrateCommand(ctx, args, lookup, stdout)
	case "users":
		return usersCommand(ctx, args, lookup, stdin, stdout)
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
	// Rendering a PDF allocates ~19 MB, mostly garbage at once; at Go's
	// default of 100 collecting it cost a third of an invoice's CPU.
	// docs/operations.md ("Memory"); GOGC in the environment still rules.
	if _, set := lookup("GOGC"); !set {
		debug.SetGCPercent(200)
	}
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

	authService, err := newAuthService(postgres.NewAuthStore(pool), cfg)
	if err != nil {
		return err
	}
	// Every write ends what the caches hold, in this process and, through
	// the database, in the others. Until the feed runs (below) the caches
	// stay off.
	feed := changes.New(log)
	authService.RememberSessions(feed.Generations(changes.Access), 10_000)
	if cfg.AdminEmail != "" {
		created, err := authService.EnsureAdmin(ctx, cfg.AdminEmail, "Administrator", cfg.AdminPassword, auth.Language(cfg.AdminLanguage))
		if err != nil {
			return fmt.Errorf("first admin from ADMIN_EMAIL: %w", err)
		}
		if created {
			log.Info("created the first admin", zap.String("email", cfg.AdminEmail))
		}
	}
	if !apidocs.ReDocBuilt() {
		log.Warn("ReDoc bundle not embedded: /api/redoc answers 503 (run scripts/docs-assets.sh before building)")
	}
	idem := postgres.NewIdempotencyStore(pool)
	zone, err := time.LoadLocation(ledger.DefaultZone)
	if err != nil {
		return fmt.Errorf("time zone %s: %w", ledger.DefaultZone, err)
	}

	companyStore := postgres.NewCompanyStore(pool)
	handler, err := httpapi.New(httpapi.Deps{
		Log:             log,
		Readiness:       health.NewChecker(postgres.NewHealthStore(pool), expected, 2*time.Second),
		Auth:            authService,
		Idempotency:     idem,
		Audit:           postgres.NewAuditStore(pool),
		Catalogue:       catalogue.NewService(postgres.NewCatalogueStore(pool)),
		Ledger:          ledger.NewService(postgres.NewLedgerStore(pool), ledger.Config{Zone: zone}),
		Company:         company.NewService(companyStore, cfg.FileMaxBytes),
		Files:           companyStore,
		Orders:          orders.NewService(postgres.NewOrderStore(pool), nil, zone),
		Invoices:        invoices.NewService(postgres.NewInvoiceStore(pool), documentRenderers(), nil, zone),
		Expenses:        expenses.NewService(postgres.NewExpenseStore(pool), nil, zone, cfg.FileMaxBytes),
		Version:         version,
		BodyLimit:       cfg.BodyLimit,
		Docs:            apidocs.Handler(),
		Changes:         feed,
		CacheBytes:      cfg.CacheBytes,
		ReadConcurrency: cfg.ReadConcurrency,
		StoreErrors:     postgres.Unavailable,
	})
	if err != nil {
		return err
	}
	// Starting took memory the api will not need again until it is busy:
	// the migrations, the first admin's password hash (~20 MB), parsing
	// the contract. Hand it back instead of idling on it.
	debug.FreeOSMemory()

	// The server and the background work run together and stop together:
	// serve returns only after every one of them has ended, so none outlives
	// the pool (closed by the defer above) or the logger. The background
	// tasks log their own failures and carry on (the api works without
	// them: with the feed down the caches are off, without the expiry the
	// keys wait for the next hour); when the server fails, the others are
	// stopped and its error is what serve returns.
	tasks, ctx := errgroup.WithContext(ctx)
	if cfg.DebugAddr != "" {
		tasks.Go(func() error { debugserver.Run(ctx, cfg.DebugAddr, log); return nil })
	}
	tasks.Go(func() error { feed.Run(ctx, postgres.NewChangeBus(pool)); return nil })
	tasks.Go(func() error { expireIdempotencyKeys(ctx, idem, log); return nil })
	tasks.Go(func() error { return httpserver.Run(ctx, cfg.HTTP, handler, log) })
	return tasks.Wait()
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

// newAuthService wires the rules of people and access to their store.
func newAuthService(store auth.Store, cfg config.Config) (*auth.Service, error) {
	// Two derivations at once (19 MiB each) use both cores without letting a
	// burst of sign-ins exhaust memory.
	hasher, err := password.NewHasher(password.DefaultParams(), 2)
	if err != nil {
		return nil, err
	}
	return auth.NewService(store, hasher, password.Check,
		auth.NewSigner(cfg.JWTSecret, cfg.AccessTokenTTL, time.Now),
		auth.Config{AccessTTL: cfg.AccessTokenTTL, SessionTTL: cfg.SessionTTL, RefreshGrace: 30 * time.Second,
			Throttle: auth.DefaultThrottle(), MaxTokenDays: auth.MaxTokenDays},
		time.Now), nil
}

// expireIdempotencyKeys deletes old idempotency keys once an hour.
func expireIdempotencyKeys(ctx context.Context, store *postgres.IdempotencyStore, log *zap.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := store.Expire(ctx, idempotency.MaxAge); err != nil && ctx.Err() == nil {
			log.Warn("expire idempotency keys", zap.Error(err))
		} else if n > 0 {
			log.Info("expired idempotency keys", zap.Int64("count", n))
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// usersCommand creates a person from the command line (the first admin of a
// fresh installation, or a rescue when every admin is locked out).
func usersCommand(ctx context.Context, args []string, lookup func(string) (string, bool), stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: api users create --email E --name N [--role R | --admin] [--language de|en] < password")
	}
	fs := flag.NewFlagSet("users create", flag.ContinueOnError)
	email := fs.String("email", "", "email address (the sign-in name)")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "viewer", "admin, manager, clerk or viewer")
	admin := fs.Bool("admin", false, "same as --role admin")
	language := fs.String("language", "", "de or en; empty: the browser's at the person's first sign-in")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *admin {
		*role = string(auth.RoleAdmin)
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("read password from standard input: %w", err)
	}
	plain := strings.TrimRight(line, "\r\n")
	// Only the database: creating a person signs no token, so neither
	// JWT_SECRET nor the server's settings are asked for.
	db, err := config.LoadDatabase(lookup)
	if err != nil {
		return err
	}
	pool, err := postgres.Open(ctx, db.URL, 2, db.ConnectTimeout)
	if err != nil {
		return err
	}
	defer pool.Close()
	if err := postgres.NewMigrator(db.URL).Up(ctx); err != nil {
		return err
	}
	hasher, err := password.NewHasher(password.DefaultParams(), 1)
	if err != nil {
		return err
	}
	svc := auth.NewService(postgres.NewAuthStore(pool), hasher, password.Check, nil, auth.Config{}, time.Now)
	u, err := svc.CreateUser(ctx, audit.System("cli"), auth.CreateUserInput{Email: *email, Name: *name, Role: auth.Role(*role),
		Language: auth.Language(*language), Password: plain})
	if err != nil {
		if e, ok := apperr.As(err); ok && len(e.Fields) > 0 {
			var lines []string
			for f, msg := range e.Fields {
				lines = append(lines, f+" "+msg.Message)
			}
			sort.Strings(lines)
			return fmt.Errorf("%s\n  %s", e.Message, strings.Join(lines, "\n  "))
		}
		return err
	}
	fmt.Fprintf(stdout, "created %s %s (id %d)\n", u.Role, u.Email, u.ID)
	return nil
}

// documentRenderers are the PDF renderers of issued invoices and credit
// notes: package salespdf's.
func documentRenderers() invoices.Renderers {
	return invoices.PDFRenderers()
}
