// Package config reads the web service's settings from environment variables.
package config

import (
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/depotix/depotix/platform/envconfig"
)

// Config is everything the web service needs to start.
type Config struct {
	Addr              string
	APIURL            string // without a trailing slash
	APITimeout        time.Duration
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	ShutdownTimeout   time.Duration
	BodyLimit         int64
	// FileMaxBytes is the largest uploaded file (the company logo): its
	// route alone takes a body that large, plus the form around it.
	FileMaxBytes int64
	LogLevel     string
	LogFormat    string
	DebugAddr    string
	// SessionSecret seals the session cookie and keys the CSRF tokens. It
	// is shared by every web replica, so any of them can read a cookie
	// another one wrote.
	SessionSecret []byte
}

// MinSessionSecretBytes is the shortest SESSION_SECRET accepted: the keys
// derived from it are 256 bits, and a shorter secret would be the weaker link.
const MinSessionSecretBytes = 32

// Load reads the configuration through lookup (os.LookupEnv in production).
// The error, if any, lists every problem at once.
func Load(lookup func(string) (string, bool)) (Config, error) {
	r := envconfig.NewReader(lookup)
	cfg := read(r)
	if err := r.Err(); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

// PrintHelp writes the table of every variable Load reads.
func PrintHelp(w io.Writer) {
	r := envconfig.NewReader(func(string) (string, bool) { return "", false })
	read(r)
	envconfig.PrintHelp(w, r.Vars())
}

func read(r *envconfig.Reader) Config {
	cfg := Config{
		Addr: r.Addr(envconfig.Var{Name: "WEB_ADDR", Default: ":3000",
			Help: "address the web server listens on"}),
		APIURL: r.URL(envconfig.Var{Name: "API_URL", Default: "http://api:8000",
			Help: "base URL of the api service (http or https)"}, "http", "https"),
		APITimeout: r.Duration(envconfig.Var{Name: "API_TIMEOUT", Default: "5s",
			Help: "longest wait for one api call, connecting included"}),
		ReadHeaderTimeout: r.Duration(envconfig.Var{Name: "WEB_READ_HEADER_TIMEOUT", Default: "5s",
			Help: "longest wait for a request's headers"}),
		ReadTimeout: r.Duration(envconfig.Var{Name: "WEB_READ_TIMEOUT", Default: "15s",
			Help: "longest wait for a whole request, body included"}),
		WriteTimeout: r.Duration(envconfig.Var{Name: "WEB_WRITE_TIMEOUT", Default: "30s",
			Help: "longest time to produce and write a response"}),
		IdleTimeout: r.Duration(envconfig.Var{Name: "WEB_IDLE_TIMEOUT", Default: "120s",
			Help: "how long an idle keep-alive connection stays open"}),
		ShutdownTimeout: r.Duration(envconfig.Var{Name: "WEB_SHUTDOWN_TIMEOUT", Default: "15s",
			Help: "grace period for in-flight requests on SIGTERM"}),
		BodyLimit: r.Bytes(envconfig.Var{Name: "WEB_BODY_LIMIT", Default: "1M",
			Help: "largest request body accepted (forms are small), e.g. 512K or 1M"}),
		FileMaxBytes: r.Bytes(envconfig.Var{Name: "FILE_MAX_BYTES", Default: "5M",
			Help: "largest uploaded file (company logo); set the same value as for the api, which judges the file"}),
		LogLevel: r.Enum(envconfig.Var{Name: "LOG_LEVEL", Default: "info",
			Help: "debug, info, warn or error"}, "debug", "info", "warn", "error"),
		LogFormat: r.Enum(envconfig.Var{Name: "LOG_FORMAT", Default: "json",
			Help: "json (production) or console (development)"}, "json", "console"),
		DebugAddr: r.Addr(envconfig.Var{Name: "DEBUG_ADDR",
			Help: "when set, serve Go's runtime profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6061; never on a public interface"}),
	}
	secret := r.String(envconfig.Var{Name: "SESSION_SECRET", Required: true, Secret: true,
		Help: "secret that seals session cookies and keys CSRF tokens, at least 32 bytes; the same for every web replica"})
	if secret != "" && len(secret) < MinSessionSecretBytes {
		r.Problem("SESSION_SECRET is %d bytes long; it must be at least %d (generate one with: openssl rand -hex 32)",
			len(secret), MinSessionSecretBytes)
	}
	cfg.SessionSecret = []byte(secret)
	cfg.APIURL = strings.TrimRight(cfg.APIURL, "/")
	if u, err := url.Parse(cfg.APIURL); err == nil && (u.RawQuery != "" || u.Fragment != "") {
		r.Problem("API_URL must be a base URL without query or fragment, got %s", cfg.APIURL)
	}
	// Only compare durations that parsed; a bad one already has its message.
	if cfg.APITimeout > 0 && cfg.WriteTimeout > 0 && cfg.APITimeout >= cfg.WriteTimeout {
		r.Problem("API_TIMEOUT (%s) must be shorter than WEB_WRITE_TIMEOUT (%s), or a slow api cuts pages off instead of showing its status",
			cfg.APITimeout, cfg.WriteTimeout)
	}
	if cfg.ReadHeaderTimeout > 0 && cfg.ReadTimeout > 0 && cfg.ReadHeaderTimeout > cfg.ReadTimeout {
		r.Problem("WEB_READ_HEADER_TIMEOUT (%s) must not be longer than WEB_READ_TIMEOUT (%s)",
			cfg.ReadHeaderTimeout, cfg.ReadTimeout)
	}
	return cfg
}
