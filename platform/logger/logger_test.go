package logger

import "testing"

func TestNew(t *testing.T) {
	for _, tt := range []struct {
		level, format string
		ok            bool
	}{
		{"info", "json", true},
		{"debug", "console", true},
		{"warn", "json", true},
		{"loud", "json", false},
		{"info", "xml", false},
	} {
		log, err := New(tt.level, tt.format)
		if (err == nil) != tt.ok {
			t.Errorf("New(%q, %q) error = %v, want ok=%v", tt.level, tt.format, err, tt.ok)
			continue
		}
		if err == nil && log.Core().Enabled(-2) {
			t.Errorf("New(%q, %q) logs below debug", tt.level, tt.format)
		}
	}
}
