// Package debugserver serves Go's runtime profiles (net/http/pprof) on a
// listener of their own, so an operator can profile a service under real
// load without exposing the profiles through the proxy.
package debugserver

import (
	"context"
	"net/http"
	"net/http/pprof"
	"time"

	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/httpserver"
)

// Handler serves the profiles under /debug/pprof/.
func Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}

// Run serves Handler on addr until ctx ends, and returns once the listener
// has stopped. A failure is logged, not returned, because the service itself
// is fine without its profiles.
func Run(ctx context.Context, addr string, log *zap.Logger) {
	log = log.Named("debug")
	cfg := httpserver.Config{
		Addr:              addr,
		ReadHeaderTimeout: 5 * time.Second,
		// A CPU profile or trace streams for as long as it was asked to.
		WriteTimeout:    10 * time.Minute,
		IdleTimeout:     time.Minute,
		ShutdownTimeout: time.Second,
	}
	if err := httpserver.Run(ctx, cfg, Handler(), log); err != nil {
		log.Error("profiling listener stopped", zap.Error(err))
	}
}
