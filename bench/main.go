// Command bench is `make bench`: it starts the native stack in a fresh
// data folder, seeds 100,000 items and 1,000,000 movements straight into
// PostgreSQL with COPY, drives the stack through the proxy with an
// in-process load generator, measures the ceilings the figures are
// compared with in the same run (the proxy in front of a trivial handler,
// the stock transaction straight against PostgreSQL), loads the web's main
// pages signed in through its /login form, checks the list
// queries' plans at that size, and prints a table, which -doc also writes
// as docs/performance.md.
//
//	go run ./bench -bin bin -doc docs/performance.md
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/depotix/depotix/bench/ceiling"
)

// upstreamCommand makes this program the trivial upstream of the proxy
// ceiling: `bench trivial-upstream 127.0.0.1:PORT`.
const upstreamCommand = "trivial-upstream"

func main() {
	if len(os.Args) == 3 && os.Args[1] == upstreamCommand {
		if err := serveTrivial(os.Args[2]); err != nil {
			fmt.Fprintln(os.Stderr, "trivial upstream:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func serveTrivial(addr string) error {
	srv := &http.Server{Addr: addr, Handler: ceiling.TrivialHandler(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: 2 * time.Minute}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// options are the command's flags.
type options struct {
	binDir, doc      string
	items, movements int
	warmup, duration time.Duration
	readConcurrency  int
	writeConcurrency int
	webConcurrency   int
	webDuration      time.Duration
	webPages         bool
	reads            bool
	writes           bool
	sales            bool
	invoices         int
	invoiceOrders    int
	issueConcurrency int
	maxRequests      int
	seed             uint64
	keep, planTest   bool
	set              []*flag.Flag // the flags given, for the report
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.binDir, "bin", "bin", "folder with the api, web and proxy binaries (make build)")
	fs.StringVar(&o.doc, "doc", "", "write the results as Markdown to this file (docs/performance.md)")
	fs.IntVar(&o.items, "items", 100_000, "items to seed")
	fs.IntVar(&o.movements, "movements", 1_000_000, "movements to seed")
	fs.DurationVar(&o.warmup, "warmup", 2*time.Second, "unrecorded warm-up of each scenario")
	fs.DurationVar(&o.duration, "duration", 10*time.Second, "measured time of each scenario")
	fs.IntVar(&o.readConcurrency, "read-concurrency", 16, "workers for the list scenarios and the proxy ceiling")
	fs.IntVar(&o.writeConcurrency, "write-concurrency", 32, "workers for the movement scenarios and the transaction ceiling")
	fs.IntVar(&o.webConcurrency, "web-concurrency", 4, "workers for the web page scenarios")
	fs.DurationVar(&o.webDuration, "web-duration", 5*time.Second, "measured time of each web page scenario")
	fs.BoolVar(&o.reads, "reads", true, "measure the proxy ceiling and the api's lists (false: only what the other flags leave, for work on the writes)")
	fs.BoolVar(&o.writes, "movement-writes", true, "measure the transaction ceilings and the movement writes")
	fs.BoolVar(&o.sales, "sales", true, "measure the sales figures: gapless invoice numbers, issuing, the invoice list, the PDF download")
	fs.IntVar(&o.invoices, "invoices", 50_000, "invoices to seed for the invoice list")
	fs.IntVar(&o.invoiceOrders, "invoice-orders", 800, "delivered 20-line orders to prepare for the issue scenario (it ends when they are used up)")
	fs.IntVar(&o.issueConcurrency, "issue-concurrency", 8, "concurrent issuers in the issue scenario")
	fs.BoolVar(&o.webPages, "web-pages", true, "measure the web's main pages (signed in through /login)")
	fs.IntVar(&o.maxRequests, "max-requests", 2_000_000, "upper bound of requests per scenario")
	fs.Uint64Var(&o.seed, "seed", 1, "seed of the generated data")
	fs.BoolVar(&o.keep, "keep", false, "keep the data folder (database and logs) after the run")
	fs.BoolVar(&o.planTest, "plan-test", true, "run the query plan test (TestListQueryPlansAtSize) against the seeded database")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	fs.Visit(func(f *flag.Flag) { o.set = append(o.set, f) })
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	switch {
	case o.items < 1000, o.movements < 1000:
		return o, errors.New("seed at least 1,000 items and movements")
	case o.duration < time.Second, o.webDuration < time.Second, o.warmup < 0:
		return o, errors.New("the measured time must be at least a second")
	case o.invoices < 1000, o.invoiceOrders < 10, o.issueConcurrency < 1, o.issueConcurrency > 90:
		return o, errors.New("seed at least 1,000 invoices and 10 orders, with 1 to 90 issuers")
	case o.readConcurrency < 1, o.writeConcurrency < 1, o.webConcurrency < 1, o.writeConcurrency > 90, o.maxRequests < 1:
		return o, errors.New("concurrency must be 1 to 90 (PostgreSQL allows 100 connections) and the request bound positive")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	opts, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	wd, err := os.Getwd()
	if err != nil {
		return err
	}
	r, err := newRunner(wd, opts, stdout, stderr)
	if err != nil {
		return err
	}
	r.command = commandLine(r.root, opts.set)
	return r.run(ctx)
}

// commandLine writes the command as run, with paths inside the repository
// relative to it, so the report names no one's folders.
func commandLine(root string, set []*flag.Flag) string {
	parts := []string{"go run ./bench"}
	for _, f := range set {
		v := f.Value.String()
		if f.Name == "bin" || f.Name == "doc" {
			if rel, err := filepath.Rel(root, absFrom(root, v)); err == nil && !strings.HasPrefix(rel, "..") {
				v = rel
			}
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			parts = append(parts, "-"+f.Name+"="+v)
			continue
		}
		parts = append(parts, "-"+f.Name+" "+v)
	}
	return strings.Join(parts, " ")
}

// absFrom makes p absolute against dir.
func absFrom(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}
