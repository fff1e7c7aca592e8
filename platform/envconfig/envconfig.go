// Package envconfig reads a service's configuration from environment variables.
//
// A service declares its variables once (name, default, help); the same
// declarations drive parsing, the error report and the --help listing, so the
// listing can never drift from what is read. Every problem is collected, so an
// operator fixing a broken .env sees all of them in one start instead of one per
// restart.
package envconfig

import (
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Var documents one environment variable.
type Var struct {
	Name     string
	Default  string // shown in --help; empty means no default
	Help     string
	Required bool
	Secret   bool // never echoed back in errors or help
}

// Reader parses variables and collects every problem it meets.
type Reader struct {
	lookup   func(string) (string, bool)
	declared []Var
	problems []string
}

// NewReader reads from lookup (os.LookupEnv in production, a map in tests).
func NewReader(lookup func(string) (string, bool)) *Reader {
	return &Reader{lookup: lookup}
}

// Vars returns every variable declared so far, in declaration order.
func (r *Reader) Vars() []Var { return r.declared }

// Err returns one error listing every problem, or nil.
func (r *Reader) Err() error {
	if len(r.problems) == 0 {
		return nil
	}
	return &Error{Problems: r.problems}
}

// Error lists every configuration problem, one per line.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	return "invalid configuration:\n  - " + strings.Join(e.Problems, "\n  - ")
}

// Problem records a problem found by a check the caller makes across variables.
func (r *Reader) Problem(format string, args ...any) {
	r.problems = append(r.problems, fmt.Sprintf(format, args...))
}

func (r *Reader) raw(v Var) (string, bool) {
	r.declared = append(r.declared, v)
	s, ok := r.lookup(v.Name)
	s = strings.TrimSpace(s)
	if !ok || s == "" {
		if v.Required {
			r.Problem("%s is required but not set: %s", v.Name, v.Help)
			return "", false
		}
		return v.Default, v.Default != ""
	}
	return s, true
}

// String reads a text variable.
func (r *Reader) String(v Var) string {
	s, _ := r.raw(v)
	return s
}

// Enum reads a variable that must be one of allowed.
func (r *Reader) Enum(v Var, allowed ...string) string {
	s, ok := r.raw(v)
	if !ok {
		return s
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	r.Problem("%s must be one of %s, got %q", v.Name, strings.Join(allowed, ", "), s)
	return v.Default
}

// Duration reads a Go duration such as "15s" or "2m"; it must be positive.
func (r *Reader) Duration(v Var) time.Duration {
	s, ok := r.raw(v)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		r.Problem("%s must be a positive duration such as 30s or 2m, got %q", v.Name, s)
		return 0
	}
	return d
}

// Int reads an integer within [min, max].
func (r *Reader) Int(v Var, min, max int) int {
	s, ok := r.raw(v)
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < min || n > max {
		r.Problem("%s must be a whole number from %d to %d, got %q", v.Name, min, max, s)
		return 0
	}
	return n
}

// Bool reads true/false (also 1/0, yes/no).
func (r *Reader) Bool(v Var) bool {
	s, ok := r.raw(v)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	case "0", "false", "no", "off":
		return false
	}
	r.Problem("%s must be true or false, got %q", v.Name, s)
	return false
}

// Bytes reads a size such as "1048576", "512K", "10M" or "1G" (powers of 1024).
func (r *Reader) Bytes(v Var) int64 {
	s, ok := r.raw(v)
	if !ok {
		return 0
	}
	return r.size(v, s, "")
}

// BytesOrOff reads a size as Bytes does, or "0" for a feature turned off.
func (r *Reader) BytesOrOff(v Var) int64 {
	s, ok := r.raw(v)
	if !ok || s == "0" {
		return 0
	}
	return r.size(v, s, " (or 0 for off)")
}

func (r *Reader) size(v Var, s, orOff string) int64 {
	n, err := ParseBytes(s)
	if err != nil {
		r.Problem("%s must be a size such as 512K, 10M or 1G%s, got %q", v.Name, orOff, s)
		return 0
	}
	return n
}

// ParseBytes parses a positive size with an optional K, M or G suffix (KiB multiples).
func ParseBytes(s string) (int64, error) {
	if s == "" {
		return 0, errors.New("empty size")
	}
	mult := int64(1)
	switch strings.ToUpper(s[len(s)-1:]) {
	case "K":
		mult = 1 << 10
	case "M":
		mult = 1 << 20
	case "G":
		mult = 1 << 30
	}
	if mult != 1 {
		s = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("not a positive size")
	}
	return n * mult, nil
}

// Addr reads a listen address in host:port form (host may be empty).
func (r *Reader) Addr(v Var) string {
	s, ok := r.raw(v)
	if !ok {
		return s
	}
	if _, port, err := net.SplitHostPort(s); err != nil || port == "" {
		r.Problem("%s must be a listen address such as :8000 or 127.0.0.1:8000, got %q", v.Name, s)
	}
	return s
}

// URL reads an absolute URL with one of the given schemes. HTTP URLs need a
// host; database URLs may leave it out (libpq then uses a unix socket, or
// names it in the query as host=/path).
func (r *Reader) URL(v Var, schemes ...string) string {
	s, ok := r.raw(v)
	if !ok {
		return s
	}
	u, err := url.Parse(s)
	valid := err == nil && (u.Host != "" || !strings.HasPrefix(u.Scheme, "http"))
	if valid {
		valid = false
		for _, sc := range schemes {
			valid = valid || u.Scheme == sc
		}
	}
	if !valid {
		shown := s
		if v.Secret {
			shown = "(hidden)"
		}
		r.Problem("%s must be a URL starting with %s://, got %s", v.Name, strings.Join(schemes, ":// or "), shown)
	}
	return s
}

// PrintHelp writes a table of every declared variable.
func PrintHelp(w io.Writer, vars []Var) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "VARIABLE\tDEFAULT\tDESCRIPTION")
	for _, v := range vars {
		def := v.Default
		switch {
		case v.Required:
			def = "(required)"
		case def == "":
			def = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", v.Name, def, v.Help)
	}
	tw.Flush()
}
