package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
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
	caddycmd.RegisterCommand(caddycmd.Command{
		Name:  "healthcheck",
		Usage: "[--address <host:port>]",
		Short: "Exits 0 if the running proxy's admin endpoint answers, 1 otherwise",
		Long: `
Asks the admin endpoint of the running proxy for its configuration
(GET /config/) and exits 0 on 200 OK, 1 on any other answer, on a
connection error, or after 3 seconds. Meant for container health checks
in images that have no curl.
`,
		Flags: fs,
		Func: func(fl caddycmd.Flags) (int, error) {
			ctx, cancel := context.WithTimeout(context.Background(), healthcheckTimeout)
			defer cancel()
			if err := checkAdmin(ctx, newHealthcheckClient(), fl.String("address")); err != nil {
				return caddy.ExitCodeFailedStartup, err
			}
			return caddy.ExitCodeSuccess, nil
		},
	})
}

// newHealthcheckClient ignores HTTP(S)_PROXY: the probe must reach this
// container's loopback, never a proxy configured for outbound traffic.
func newHealthcheckClient() *http.Client {
	return &http.Client{
		Transport: &http.Transport{Proxy: nil, DisableKeepAlives: true},
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
	url := strings.TrimSuffix(base, "/") + "/config/"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	// Drain a little so the answer is read in full; the config itself is not needed.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s answered %s", url, resp.Status)
	}
	return nil
}
