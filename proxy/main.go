// Command proxy is Depotix's front door: Caddy with its standard modules,
// run as `proxy run --config Caddyfile`, plus a healthcheck subcommand so
// the container image needs neither curl nor a shell.
package main

import (
	"github.com/caddyserver/caddy/v2"
	caddycmd "github.com/caddyserver/caddy/v2/cmd"

	_ "github.com/caddyserver/caddy/v2/modules/standard"
)

// version is stamped at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	// Caddy prepends CustomVersion to the full version, so `proxy version`
	// names our release and still shows the embedded Caddy version.
	caddy.CustomVersion = "depotix-proxy/" + version
	caddy.CustomBinaryName = "proxy"
	registerHealthcheck()
	caddycmd.Main()
}
