package logger

import (
	"testing"

	"go.uber.org/zap/zapcore"
)

func TestNew(t *testing.T) {
	for _, tt := range []struct {
		level, format string
		ok            bool
		lowest        zapcore.Level // lowest level that is written
	}{
		{"info", "json", true, zapcore.InfoLevel},
		{"debug", "console", true, zapcore.DebugLevel},
		{"warn", "json", true, zapcore.WarnLevel},
		{"loud", "json", false, 0},
		{"info", "xml", false, 0},
	} {
		log, err := New(tt.level, tt.format)
		if (err == nil) != tt.ok {
			t.Errorf("New(%q, %q) error = %v, want ok=%v", tt.level, tt.format, err, tt.ok)
			continue
		}
		if err != nil {
			continue
		}
		if !log.Core().Enabled(tt.lowest) || log.Core().Enabled(tt.lowest-1) {
			t.Errorf("New(%q, %q): lowest written level is not %s", tt.level, tt.format, tt.lowest)
		}
	}
}
