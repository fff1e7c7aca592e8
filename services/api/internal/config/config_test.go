package config

import (
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func valid() map[string]string {
	return map[string]string{
		"DATABASE_URL": "postgres://u:p@localhost:5432/depotix",
		"JWT_SECRET":   strings.Repeat("s", 32),
	}
}

func TestLoadDefaults(t *testing.T) {
	c, _, err := Load(env(valid()))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if c.HTTP.Addr != ":8000" || c.BodyLimit != 1<<20 || c.HTTP.ReadHeaderTimeout != 5*time.Second ||
		!c.MigrateOnStart || c.LogFormat != "json" || c.DBMaxConns != DefaultDBMaxConns() || c.CacheBytes != 32<<20 ||
		c.ReadConcurrency != DefaultReadConcurrency() {
		t.Errorf("unexpected defaults: %+v", c)
	}
}

func TestResponseCacheSize(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  int64
		fails bool
	}{{"0", 0, false}, {"8M", 8 << 20, false}, {"-1", 0, true}, {"lots", 0, true}} {
		set := valid()
		set["API_CACHE_SIZE"] = tc.value
		c, _, err := Load(env(set))
		if tc.fails {
			if err == nil || !strings.Contains(err.Error(), "API_CACHE_SIZE must be a size such as 512K, 10M or 1G (or 0 for off)") {
				t.Errorf("API_CACHE_SIZE=%s: error %v", tc.value, err)
			}
			continue
		}
		if err != nil || c.CacheBytes != tc.want {
			t.Errorf("API_CACHE_SIZE=%s: %d, %v; want %d", tc.value, c.CacheBytes, err, tc.want)
		}
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	tests := []struct {
		name string
		set  map[string]string
		want []string
	}{
		{"missing database url", map[string]string{"DATABASE_URL": ""}, []string{"DATABASE_URL is required"}},
		{"wrong scheme", map[string]string{"DATABASE_URL": "mysql://x/y"}, []string{"DATABASE_URL must be a URL starting with postgres://"}},
		{"short secret", map[string]string{"JWT_SECRET": "short"}, []string{"JWT_SECRET is 5 bytes long; it must be at least 32"}},
		{"missing secret", map[string]string{"JWT_SECRET": ""}, []string{"JWT_SECRET is required"}},
		{"bad duration", map[string]string{"API_READ_TIMEOUT": "soon"}, []string{`API_READ_TIMEOUT must be a positive duration such as 30s or 2m, got "soon"`}},
		{"negative duration", map[string]string{"API_IDLE_TIMEOUT": "-1s"}, []string{"API_IDLE_TIMEOUT must be a positive duration"}},
		{"bad addr", map[string]string{"API_ADDR": "8000"}, []string{"API_ADDR must be a listen address"}},
		{"bad size", map[string]string{"API_BODY_LIMIT": "lots"}, []string{"API_BODY_LIMIT must be a size"}},
		{"bad level", map[string]string{"LOG_LEVEL": "loud"}, []string{"LOG_LEVEL must be one of debug, info, warn, error"}},
		{"bad bool", map[string]string{"MIGRATE_ON_START": "maybe"}, []string{"MIGRATE_ON_START must be true or false"}},
		{"bad admin language", map[string]string{"ADMIN_LANGUAGE": "fr"}, []string{"ADMIN_LANGUAGE must be de, en or empty"}},
		{"several at once", map[string]string{"DATABASE_URL": "", "JWT_SECRET": "x", "API_WRITE_TIMEOUT": "0s"},
			[]string{"DATABASE_URL is required", "JWT_SECRET is 1 bytes long", "API_WRITE_TIMEOUT must be a positive duration"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := valid()
			for k, v := range tt.set {
				m[k] = v
			}
			_, _, err := Load(env(m))
			if err == nil {
				t.Fatal("Load accepted a bad configuration")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not mention %q", err, w)
				}
			}
			if got := strings.Count(err.Error(), "\n  - "); got != len(tt.want) {
				t.Errorf("error lists %d problems, want %d:\n%s", got, len(tt.want), err)
			}
		})
	}
}

func TestSecretsNeverEchoed(t *testing.T) {
	m := valid()
	m["DATABASE_URL"] = "mysql://user:hunter2@db/x"
	_, _, err := Load(env(m))
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("error leaks the secret or is missing: %v", err)
	}
}

func TestHelpListsEveryVariable(t *testing.T) {
	names := map[string]bool{}
	for _, v := range Help() {
		names[v.Name] = true
	}
	for _, want := range []string{"DATABASE_URL", "JWT_SECRET", "API_ADDR", "API_READ_HEADER_TIMEOUT",
		"API_READ_TIMEOUT", "API_WRITE_TIMEOUT", "API_IDLE_TIMEOUT", "API_SHUTDOWN_TIMEOUT", "API_BODY_LIMIT",
		"DB_MAX_CONNS", "DB_CONNECT_TIMEOUT", "MIGRATE_ON_START", "LOG_LEVEL", "LOG_FORMAT", "API_READ_CONCURRENCY"} {
		if !names[want] {
			t.Errorf("help does not list %s", want)
		}
	}
}

// `api users create` needs the database only: no signing secret, and none
// of the server's settings are checked.
func TestLoadDatabaseNeedsOnlyTheDatabase(t *testing.T) {
	d, err := LoadDatabase(env(map[string]string{
		"DATABASE_URL":     "postgres://depotix@/depotix?host=/tmp/run",
		"API_READ_TIMEOUT": "soon", // a server setting, not read here
	}))
	if err != nil {
		t.Fatalf("LoadDatabase: %v", err)
	}
	if d.URL != "postgres://depotix@/depotix?host=/tmp/run" || d.ConnectTimeout != 30*time.Second {
		t.Errorf("LoadDatabase = %+v", d)
	}
	for _, tc := range []struct {
		set  map[string]string
		want string
	}{
		{map[string]string{}, "DATABASE_URL is required"},
		{map[string]string{"DATABASE_URL": "mysql://x/y"}, "DATABASE_URL must be a URL starting with postgres://"},
		{map[string]string{"DATABASE_URL": "postgres://x/y", "DB_CONNECT_TIMEOUT": "never"}, "DB_CONNECT_TIMEOUT must be a positive duration"},
	} {
		_, err := LoadDatabase(env(tc.set))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("LoadDatabase(%v) = %v, want an error with %q", tc.set, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "JWT_SECRET") {
			t.Errorf("LoadDatabase(%v) asks for JWT_SECRET: %v", tc.set, err)
		}
	}
}
