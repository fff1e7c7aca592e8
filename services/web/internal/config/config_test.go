package config

import (
	"bytes"
	"errors"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/platform/envconfig"
)

const testSecret = "0123456789abcdef0123456789abcdef"

// env looks up m, with SESSION_SECRET set unless m says otherwise (an empty
// value in m counts as unset).
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		if !ok && k == "SESSION_SECRET" {
			return testSecret, true
		}
		return v, ok
	}
}

func TestLoadDefaults(t *testing.T) {
	got, err := Load(env(nil))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{
		Addr:              ":3000",
		APIURL:            "http://api:8000",
		APITimeout:        5 * time.Second,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		ShutdownTimeout:   15 * time.Second,
		BodyLimit:         1 << 20,
		FileMaxBytes:      5 << 20,
		LogLevel:          "info",
		LogFormat:         "json",
		SessionSecret:     []byte(testSecret),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("defaults (-want +got):\n%s", diff)
	}
}

func TestLoadValues(t *testing.T) {
	got, err := Load(env(map[string]string{
		"WEB_ADDR":                "127.0.0.1:3001",
		"API_URL":                 "https://api.internal:8443/",
		"API_TIMEOUT":             "2s",
		"WEB_READ_HEADER_TIMEOUT": "1s",
		"WEB_READ_TIMEOUT":        "10s",
		"WEB_WRITE_TIMEOUT":       "20s",
		"WEB_IDLE_TIMEOUT":        "1m",
		"WEB_SHUTDOWN_TIMEOUT":    "3s",
		"WEB_BODY_LIMIT":          "512K",
		"FILE_MAX_BYTES":          "10M",
		"LOG_LEVEL":               "debug",
		"LOG_FORMAT":              "console",
	}))
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	want := Config{
		Addr:              "127.0.0.1:3001",
		APIURL:            "https://api.internal:8443", // trailing slash dropped
		APITimeout:        2 * time.Second,
		ReadHeaderTimeout: time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      20 * time.Second,
		IdleTimeout:       time.Minute,
		ShutdownTimeout:   3 * time.Second,
		BodyLimit:         512 << 10,
		FileMaxBytes:      10 << 20,
		LogLevel:          "debug",
		LogFormat:         "console",
		SessionSecret:     []byte(testSecret),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("config (-want +got):\n%s", diff)
	}
}

func TestLoadProblems(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string // one problem each, in this order
	}{
		{"bad addr", map[string]string{"WEB_ADDR": "3000"},
			[]string{`WEB_ADDR must be a listen address such as :8000 or 127.0.0.1:8000, got "3000"`}},
		{"api url scheme", map[string]string{"API_URL": "ftp://api:8000"},
			[]string{"API_URL must be a URL starting with http:// or https://, got ftp://api:8000"}},
		{"api url without host", map[string]string{"API_URL": "api:8000"},
			[]string{"API_URL must be a URL starting with http:// or https://, got api:8000"}},
		{"api url with query", map[string]string{"API_URL": "http://api:8000/?x=1"},
			[]string{"API_URL must be a base URL without query or fragment, got http://api:8000/?x=1"}},
		{"api timeout", map[string]string{"API_TIMEOUT": "soon"},
			[]string{`API_TIMEOUT must be a positive duration such as 30s or 2m, got "soon"`}},
		{"negative read header timeout", map[string]string{"WEB_READ_HEADER_TIMEOUT": "-1s"},
			[]string{`WEB_READ_HEADER_TIMEOUT must be a positive duration such as 30s or 2m, got "-1s"`}},
		{"read timeout", map[string]string{"WEB_READ_TIMEOUT": "0"},
			[]string{`WEB_READ_TIMEOUT must be a positive duration such as 30s or 2m, got "0"`}},
		{"write timeout", map[string]string{"WEB_WRITE_TIMEOUT": "10"},
			[]string{`WEB_WRITE_TIMEOUT must be a positive duration such as 30s or 2m, got "10"`}},
		{"idle timeout", map[string]string{"WEB_IDLE_TIMEOUT": "x"},
			[]string{`WEB_IDLE_TIMEOUT must be a positive duration such as 30s or 2m, got "x"`}},
		{"shutdown timeout", map[string]string{"WEB_SHUTDOWN_TIMEOUT": "1d"},
			[]string{`WEB_SHUTDOWN_TIMEOUT must be a positive duration such as 30s or 2m, got "1d"`}},
		{"body limit", map[string]string{"WEB_BODY_LIMIT": "lots"},
			[]string{`WEB_BODY_LIMIT must be a size such as 512K, 10M or 1G, got "lots"`}},
		{"log level", map[string]string{"LOG_LEVEL": "verbose"},
			[]string{`LOG_LEVEL must be one of debug, info, warn, error, got "verbose"`}},
		{"log format", map[string]string{"LOG_FORMAT": "xml"},
			[]string{`LOG_FORMAT must be one of json, console, got "xml"`}},
		{"api timeout not below write timeout", map[string]string{"API_TIMEOUT": "30s"},
			[]string{"API_TIMEOUT (30s) must be shorter than WEB_WRITE_TIMEOUT (30s), or a slow api cuts pages off instead of showing its status"}},
		{"read header timeout above read timeout", map[string]string{"WEB_READ_HEADER_TIMEOUT": "20s"},
			[]string{"WEB_READ_HEADER_TIMEOUT (20s) must not be longer than WEB_READ_TIMEOUT (15s)"}},
		{"session secret missing", map[string]string{"SESSION_SECRET": ""},
			[]string{"SESSION_SECRET is required but not set: secret that seals session cookies and keys CSRF tokens, at least 32 bytes; the same for every web replica"}},
		{"session secret short", map[string]string{"SESSION_SECRET": "too-short-31-bytes-xxxxxxxxxxxx"},
			[]string{"SESSION_SECRET is 31 bytes long; it must be at least 32 (generate one with: openssl rand -hex 32)"}},
		{"every problem at once", map[string]string{"WEB_ADDR": "nope", "LOG_LEVEL": "loud", "API_TIMEOUT": "never"},
			[]string{
				`WEB_ADDR must be a listen address such as :8000 or 127.0.0.1:8000, got "nope"`,
				`API_TIMEOUT must be a positive duration such as 30s or 2m, got "never"`,
				`LOG_LEVEL must be one of debug, info, warn, error, got "loud"`,
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(env(tt.env))
			var cfgErr *envconfig.Error
			if !errors.As(err, &cfgErr) {
				t.Fatalf("Load error = %v, want *envconfig.Error", err)
			}
			if diff := cmp.Diff(tt.want, cfgErr.Problems); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestHelpListsEveryVariable records every name Load looks up and checks the
// help table has a line for it, so a new variable cannot be left undocumented.
func TestHelpListsEveryVariable(t *testing.T) {
	var looked []string
	_, _ = Load(func(k string) (string, bool) {
		looked = append(looked, k)
		return "", false
	})
	sort.Strings(looked)
	want := []string{
		"API_TIMEOUT", "API_URL", "DEBUG_ADDR", "FILE_MAX_BYTES", "LOG_FORMAT", "LOG_LEVEL", "SESSION_SECRET", "WEB_ADDR", "WEB_BODY_LIMIT",
		"WEB_IDLE_TIMEOUT", "WEB_READ_HEADER_TIMEOUT", "WEB_READ_TIMEOUT",
		"WEB_SHUTDOWN_TIMEOUT", "WEB_WRITE_TIMEOUT",
	}
	if diff := cmp.Diff(want, looked); diff != "" {
		t.Errorf("variables read (-want +got):\n%s", diff)
	}

	var buf bytes.Buffer
	PrintHelp(&buf)
	var listed []string
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n")[1:] {
		listed = append(listed, strings.Fields(line)[0])
	}
	sort.Strings(listed)
	if diff := cmp.Diff(looked, listed); diff != "" {
		t.Errorf("help table (-read +listed):\n%s", diff)
	}
	if !strings.Contains(buf.String(), "http://api:8000") {
		t.Errorf("help does not show API_URL's default:\n%s", buf.String())
	}
}
