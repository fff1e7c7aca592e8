// Command web is Depotix's server-rendered user interface. It holds no data
// of its own: every page is made from calls to the api.
//
// Usage:
//
//	web [serve]       run the server (the default)
//	web healthcheck   probe the running server's /healthz; exit 0 or 1
//	web version       print the version
//	web help          print this help and every environment variable
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"
	_ "time/tzdata" // the organisation's time zone, also on images without zone files

	"go.uber.org/zap"
	"golang.org/x/sync/errgroup"

	"github.com/depotix/depotix/platform/debugserver"
	"github.com/depotix/depotix/platform/httpserver"
	"github.com/depotix/depotix/platform/logger"
	"github.com/depotix/depotix/platform/probe"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/config"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/handlers"
	"github.com/depotix/depotix/services/web/internal/session"
	"github.com/depotix/depotix/services/web/static"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `Depotix web: the server-rendered user interface.

Usage:
  web [serve]       run the server (the default)
  web healthcheck   probe the running server's /healthz; exit status 0 or 1
  web version       print the version
  web help          print this help

Environment:
`

// errUsage marks a command line that could not be understood (exit status 2).
var errUsage = errors.New("usage")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.LookupEnv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "web:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, lookup func(string) (string, bool), stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd = args[0]
	}
	if len(args) > 1 {
		return fmt.Errorf("%w: %s takes no arguments, got %q (run web help)", errUsage, cmd, args[1:])
	}
	switch cmd {
	case "serve":
		return serve(ctx, lookup)
	case "healthcheck":
		// Only the address matters here: a container's probe must not fail
		// over a setting the server itself already accepted.
		addr, ok := lookup("WEB_ADDR")
		if !ok || addr == "" {
			addr = ":3000"
		}
		return probe.Healthz(ctx, addr, "/healthz")
	case "version":
		_, err := fmt.Fprintln(stdout, version)
		return err
	case "help", "-h", "--help", "-help":
		fmt.Fprint(stdout, usage)
		config.PrintHelp(stdout)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		config.PrintHelp(stderr)
		return fmt.Errorf("%w: unknown command %q", errUsage, cmd)
	}
}

func serve(ctx context.Context, lookup func(string) (string, bool)) error {
	cfg, err := config.Load(lookup)
	if err != nil {
		return err
	}
	log, err := logger.New(cfg.LogLevel, cfg.LogFormat)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()

	assets, err := static.New()
	if err != nil {
		return err
	}
	sessions, err := session.NewCodec(cfg.SessionSecret, time.Now)
	if err != nil {
		return err
	}
	loc, err := time.LoadLocation(format.Zone)
	if err != nil {
		return fmt.Errorf("time zone %s: %w", format.Zone, err)
	}
	api, err := apiclient.New(cfg.APIURL, cfg.APITimeout)
	if err != nil {
		return err
	}
	defer api.CloseIdleConnections()

	log.Info("starting web",
		zap.String("version", version),
		zap.String("addr", cfg.Addr),
		zap.String("api_url", redact(cfg.APIURL)),
		zap.Duration("api_timeout", cfg.APITimeout))

	h := handlers.New(handlers.Options{
		API:       api,
		Assets:    assets,
		Log:       log,
		Version:   version,
		BodyLimit: cfg.BodyLimit,
		FileLimit: cfg.FileMaxBytes,
		Sessions:  sessions,
		Location:  loc,
	})
	srv := httpserver.Config{
		Addr:              cfg.Addr,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		ShutdownTimeout:   cfg.ShutdownTimeout,
	}
	// The server and the profiling listener stop together, and serve
	// returns only after both have: when the server fails, the listener is
	// stopped and the server's error is returned; the listener logs its own
	// failure and the server goes on without it.
	tasks, ctx := errgroup.WithContext(ctx)
	if cfg.DebugAddr != "" {
		tasks.Go(func() error { debugserver.Run(ctx, cfg.DebugAddr, log); return nil })
	}
	tasks.Go(func() error { return httpserver.Run(ctx, srv, h, log) })
	return tasks.Wait()
}

// redact hides a password in a URL before it is logged.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable)"
	}
	return u.Redacted()
}
