package envconfig

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestParseBytes(t *testing.T) {
	tests := map[string]int64{"1": 1, "512K": 512 << 10, "10M": 10 << 20, "1g": 1 << 30, "2048": 2048}
	for in, want := range tests {
		got, err := ParseBytes(in)
		if err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"M", "-1K", "0", "ten", "1.5M", "1T"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) accepted", bad)
		}
	}
}

func TestReaderDefaultsAndOverrides(t *testing.T) {
	env := map[string]string{"B": " 2m ", "C": "off"}
	r := NewReader(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	a := r.Duration(Var{Name: "A", Default: "5s"})
	b := r.Duration(Var{Name: "B", Default: "5s"})
	c := r.Bool(Var{Name: "C", Default: "true"})
	if err := r.Err(); err != nil {
		t.Fatal(err)
	}
	if a != 5*time.Second || b != 2*time.Minute || c {
		t.Fatalf("got %v %v %v", a, b, c)
	}
}

func TestURL(t *testing.T) {
	tests := []struct {
		in string
		ok bool
	}{
		{"http://api:8000", true},
		{"https://example.com/x", true},
		{"http:///nohost", false},
		{"ftp://x", false},
		{"postgres://u@/db?host=/tmp/sock", true},
		{"not a url at all", false},
	}
	for _, tt := range tests {
		r := NewReader(func(string) (string, bool) { return tt.in, true })
		r.URL(Var{Name: "U"}, "http", "https", "postgres")
		if got := r.Err() == nil; got != tt.ok {
			t.Errorf("URL(%q) ok = %v, want %v (%v)", tt.in, got, tt.ok, r.Err())
		}
	}
}

func TestPrintHelp(t *testing.T) {
	r := NewReader(func(string) (string, bool) { return "", false })
	r.String(Var{Name: "NEEDED", Required: true, Help: "a must"})
	r.Int(Var{Name: "COUNT", Default: "3", Help: "how many"}, 1, 9)
	var out bytes.Buffer
	PrintHelp(&out, r.Vars())
	for _, want := range []string{"NEEDED", "(required)", "a must", "COUNT", "3", "how many"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, out.String())
		}
	}
	if err := r.Err(); err == nil || !strings.Contains(err.Error(), "NEEDED is required") {
		t.Errorf("missing required variable not reported: %v", err)
	}
}
