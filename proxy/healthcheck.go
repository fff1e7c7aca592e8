package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/caddyserver/caddy/v2"
	caddycmd "github.com/caddyserver/caddy/v2/cmd"
)

const (
	defaultAdminAddress = "127.0.0.1:2019"
	healthcheckTimeout  = 3 * time.Second
)

func registerHealthcheck() {
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	fs.String("address", defaultAdminAddress, "admin endpoint to probe, host:port or http://host:port")
	fs.String("cacert", "", "with --url: PEM file of the only certificate authorities to trust")
	// Collected here because the standard flag package has no list flag;
	// the command runs once per process.
	var urls []string
	fs.Func("url", "probe this HTTPS URL instead of the admin endpoint (repeatable; each must answer 200)", func(s string) error {
		urls = append(urls, s)
		return nil
	})
	caddycmd.RegisterCommand(caddycmd.Command{
		Name:  "healthcheck",
		Usage: "[--address <host:port>] | --url <https URL> [--url ...] [--cacert <file>]",
		Short: "Exits 0 if the running proxy answers, 1 otherwise",
		Long: `
Without --url: asks the admin endpoint of the running proxy for its
configuration (GET /config/) and exits 0 on 200 OK. Meant for container
health checks in images that have no curl.

With --url: sends GET to each URL through the proxy's HTTPS listener and
exits 0 when every one answers 200 OK, over a TLS connection verified
against --cacert (or the system's roots). That is what "serving" means
for a person: the certificate exists and the upstreams answer. The native
stack uses it to say ready, e.g.
  proxy healthcheck --cacert root.crt --url https://localhost:8443/healthz

Any other answer, a connection or TLS error, or 3 seconds without an
answer exits 1.
`,
		Flags: fs,
		Func: func(fl caddycmd.Flags) (int, error) {
			ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
			defer cancel()
			var err error
			if len(urls) > 0 {
				err = checkURLs(ctx, urls, fl.String("cacert"))
			} else {
				err = checkAdmin(ctx, newHealthcheckClient(nil), fl.String("address"))
			}
			if err != nil {
				return caddy.ExitCodeFailedStartup, err
			}
			return caddy.ExitCodeSuccess, nil
		},
	})
}

// newHealthcheckClient ignores HTTP(S)_PROXY: the probe must reach this
// machine's own listener, never a proxy configured for outbound traffic.
// roots nil means the system's certificate authorities.
func newHealthcheckClient(roots *x509.CertPool) *http.Client {
	return &http.Client{
		Transport: &http.Transport{
			Proxy:             nil,
			DisableKeepAlives: true,
			TLSClientConfig:   &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		},
		// A redirect is an answer, but not the one asked for.
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// checkAdmin returns nil when the admin endpoint at address answers
// GET /config/ with 200 OK before ctx ends.
func checkAdmin(ctx context.Context, client *http.Client, address string) error {
	base := address
	if !strings.Contains(base, "://") {
		base = "http://" + base
	}
	return get200(ctx, client, strings.TrimSuffix(base, "/")+"/config/")
}

// checkURLs returns nil when every HTTPS URL answers 200 OK, trusting only
// the certificate authorities in caFile (the system's when it is empty).
func checkURLs(ctx context.Context, urls []string, caFile string) error {
	var roots *x509.CertPool
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return fmt.Errorf("healthcheck: %w", err)
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return fmt.Errorf("healthcheck: %s holds no PEM certificate", caFile)
		}
	}
	client := newHealthcheckClient(roots)
	for _, u := range urls {
		if !strings.HasPrefix(u, "https://") {
			return fmt.Errorf("healthcheck: --url %q is not an https URL", u)
		}
		if err := get200(ctx, client, u); err != nil {
			return err
		}
	}
	return nil
}

func get200(ctx context.Context, client *http.Client, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	// Drain a little so the answer is read in full; the body itself is not needed.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s answered %s", url, resp.Status)
	}
	return nil
}
