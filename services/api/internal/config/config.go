// Package config reads the api's configuration from the environment.
package config

import (
	"runtime"
	"strconv"
	"time"

	"github.com/depotix/depotix/platform/envconfig"
	"github.com/depotix/depotix/platform/httpserver"
)

// MinJWTSecretBytes is the shortest signing secret accepted: HS256 keys
// shorter than the hash output weaken the signature.
const MinJWTSecretBytes = 32

// Config is everything the api needs to start.
type Config struct {
	DatabaseURL      string
	DBMaxConns       int
	DBConnectTimeout time.Duration
	MigrateOnStart   bool
	JWTSecret        []byte
	AccessTokenTTL   time.Duration
	SessionTTL       time.Duration
	AdminEmail       string
	AdminPassword    string
	// AdminLanguage is the first admin's language; "" leaves it to their
	// browser at their first sign-in.
	AdminLanguage string
	HTTP          httpserver.Config
	BodyLimit     int64
	// FileMaxBytes bounds one uploaded file (the logo); its upload route
	// takes a body that much larger than BodyLimit would allow.
	FileMaxBytes int64
	CacheBytes   int64
	// ReadConcurrency is how many uncached reads work on their answers
	// at once (0: no limit).
	ReadConcurrency int
	LogLevel        string
	LogFormat       string
	DebugAddr       string
}

// DefaultDBMaxConns is four connections per CPU core the api may use. A
// database that shares the machine's cores runs only so many statements at
// once; further connections only queue inside PostgreSQL, where waiting
// costs CPU (lock and buffer contention), rather than in the pool, where it
// costs none. make bench, 32 concurrent bookings on 2 cores: about 0.52 of
// the transaction ceiling through 8 connections, 0.41 to 0.48 through 20,
// 0.45 to 0.48 through 4.
func DefaultDBMaxConns() int { return 4 * runtime.GOMAXPROCS(0) }

// DefaultReadConcurrency is two uncached reads per CPU core at once.
// Reads keep the CPU busy rather than wait, so more at once only share
// the cores more finely and make the unlucky ones slower (httpapi.limitReads).
func DefaultReadConcurrency() int { return 2 * runtime.GOMAXPROCS(0) }

// Database is what a command that only works on the database needs
// (`api users create`): neither the signing secret nor the server's
// settings.
type Database struct {
	URL            string
	ConnectTimeout time.Duration
}

// LoadDatabase reads only the database's variables.
func LoadDatabase(lookup func(string) (string, bool)) (Database, error) {
	r := envconfig.NewReader(lookup)
	d := readDatabase(r)
	return d, r.Err()
}

func readDatabase(r *envconfig.Reader) Database {
	var d Database
	d.URL = r.URL(envconfig.Var{Name: "DATABASE_URL", Required: true, Secret: true,
		Help: "PostgreSQL connection URL, e.g. postgres://depotix:secret@localhost:5432/depotix"}, "postgres", "postgresql")
	d.ConnectTimeout = r.Duration(envconfig.Var{Name: "DB_CONNECT_TIMEOUT", Default: "30s",
		Help: "how long to wait for the database at start before giving up"})
	return d
}

// Load reads the configuration and reports every problem at once.
// It also returns the declared variables for --help.
func Load(lookup func(string) (string, bool)) (Config, []envconfig.Var, error) {
	r := envconfig.NewReader(lookup)
	var c Config
	db := readDatabase(r)
	c.DatabaseURL, c.DBConnectTimeout = db.URL, db.ConnectTimeout
	c.DBMaxConns = r.Int(envconfig.Var{Name: "DB_MAX_CONNS", Default: strconv.Itoa(DefaultDBMaxConns()),
		Help: "largest number of open database connections (default: four per CPU core)"}, 2, 1000)
	c.MigrateOnStart = r.Bool(envconfig.Var{Name: "MIGRATE_ON_START", Default: "true",
		Help: "apply pending migrations at start (under an advisory lock)"})
	secret := r.String(envconfig.Var{Name: "JWT_SECRET", Required: true, Secret: true,
		Help: "secret for signing access tokens, at least 32 bytes"})
	if secret != "" && len(secret) < MinJWTSecretBytes {
		r.Problem("JWT_SECRET is %d bytes long; it must be at least %d (generate one with: openssl rand -base64 48)", len(secret), MinJWTSecretBytes)
	}
	c.JWTSecret = []byte(secret)
	c.AccessTokenTTL = r.Duration(envconfig.Var{Name: "ACCESS_TOKEN_TTL", Default: "15m",
		Help: "lifetime of access tokens; sessions renew them with refresh tokens"})
	c.SessionTTL = r.Duration(envconfig.Var{Name: "SESSION_TTL", Default: "720h",
		Help: "a session ends this long after it was last refreshed"})
	c.AdminEmail = r.String(envconfig.Var{Name: "ADMIN_EMAIL",
		Help: "with ADMIN_PASSWORD: creates this admin at start when nobody exists yet"})
	c.AdminPassword = r.String(envconfig.Var{Name: "ADMIN_PASSWORD", Secret: true,
		Help: "password of the first admin (only used while nobody exists)"})
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		r.Problem("ADMIN_EMAIL and ADMIN_PASSWORD must be set together")
	}
	c.AdminLanguage = r.String(envconfig.Var{Name: "ADMIN_LANGUAGE",
		Help: "de or en: the first admin's language; empty: their browser's at their first sign-in"})
	if c.AdminLanguage != "" && c.AdminLanguage != "de" && c.AdminLanguage != "en" {
		r.Problem("ADMIN_LANGUAGE must be de, en or empty")
	}
	c.HTTP.Addr = r.Addr(envconfig.Var{Name: "API_ADDR", Default: ":8000", Help: "listen address"})
	c.HTTP.ReadHeaderTimeout = r.Duration(envconfig.Var{Name: "API_READ_HEADER_TIMEOUT", Default: "5s",
		Help: "time allowed to read request headers"})
	c.HTTP.ReadTimeout = r.Duration(envconfig.Var{Name: "API_READ_TIMEOUT", Default: "30s",
		Help: "time allowed to read a whole request"})
	c.HTTP.WriteTimeout = r.Duration(envconfig.Var{Name: "API_WRITE_TIMEOUT", Default: "60s",
		Help: "time allowed to write a response"})
	c.HTTP.IdleTimeout = r.Duration(envconfig.Var{Name: "API_IDLE_TIMEOUT", Default: "120s",
		Help: "how long an idle keep-alive connection stays open"})
	c.HTTP.ShutdownTimeout = r.Duration(envconfig.Var{Name: "API_SHUTDOWN_TIMEOUT", Default: "20s",
		Help: "grace period for in-flight requests on SIGTERM"})
	c.BodyLimit = r.Bytes(envconfig.Var{Name: "API_BODY_LIMIT", Default: "1M",
		Help: "largest request body accepted (K, M, G suffixes)"})
	c.FileMaxBytes = r.Bytes(envconfig.Var{Name: "FILE_MAX_BYTES", Default: "5M",
		Help: "largest uploaded file (company logo) accepted (K, M, G suffixes); files are kept in the database"})
	c.CacheBytes = r.BytesOrOff(envconfig.Var{Name: "API_CACHE_SIZE", Default: "32M",
		Help: "memory for answers to repeated reads, kept until the next write (0 turns the cache off)"})
	c.ReadConcurrency = r.Int(envconfig.Var{Name: "API_READ_CONCURRENCY", Default: strconv.Itoa(DefaultReadConcurrency()),
		Help: "uncached reads worked on at once; more wait their turn (default: two per CPU core; 0: no limit)"}, 0, 1000)
	c.LogLevel = r.Enum(envconfig.Var{Name: "LOG_LEVEL", Default: "info",
		Help: "debug, info, warn or error"}, "debug", "info", "warn", "error")
	c.LogFormat = r.Enum(envconfig.Var{Name: "LOG_FORMAT", Default: "json",
		Help: "json (production) or console (development)"}, "json", "console")
	c.DebugAddr = r.Addr(envconfig.Var{Name: "DEBUG_ADDR",
		Help: "when set, serve Go's runtime profiles (/debug/pprof/) on this address, e.g. 127.0.0.1:6060; never on a public interface"})
	return c, r.Vars(), r.Err()
}

// Help lists every variable Load reads, with defaults, for --help.
func Help() []envconfig.Var {
	_, vars, _ := Load(func(string) (string, bool) { return "", false })
	return vars
}
