package logger

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"go.uber.org/zap/zapcore"
	"golang.org/x/sys/unix"
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

// logTo writes one warning through a logger on out and returns what out got.
func logTo(t *testing.T, out *os.File, read func() []byte, format string) []byte {
	t.Helper()
	log, err := build(out, "info", format)
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("not written at info")
	log.Warn("stock low")
	if err := log.Sync(); err != nil && format == "json" {
		t.Logf("sync: %v", err) // a terminal cannot fsync; the bytes are written anyway
	}
	return read()
}

func TestColoursOnlyOnATerminal(t *testing.T) {
	file, err := os.Create(filepath.Join(t.TempDir(), "api.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	readFile := func() []byte {
		b, err := os.ReadFile(file.Name())
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, format := range []string{"console", "json"} {
		if err := file.Truncate(0); err != nil {
			t.Fatal(err)
		}
		if _, err := file.Seek(0, 0); err != nil {
			t.Fatal(err)
		}
		got := logTo(t, file, readFile, format)
		if !bytes.Contains(got, []byte("stock low")) || bytes.Contains(got, []byte("not written")) {
			t.Errorf("%s log file = %q, want the warning only", format, got)
		}
		if bytes.IndexByte(got, 0x1b) >= 0 {
			t.Errorf("%s log file holds an escape code: %q", format, got)
		}
	}

	// The same console logger on a terminal colours its levels.
	primary, terminal := openPTY(t)
	got := logTo(t, terminal, func() []byte {
		buf := make([]byte, 4096)
		n, err := primary.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		return buf[:n]
	}, "console")
	if !bytes.Contains(got, []byte("\x1b[33mWARN\x1b[0m")) {
		t.Errorf("console log on a terminal = %q, want a coloured WARN", got)
	}
}

// openPTY opens a pseudo-terminal pair: what is written to terminal can be
// read from primary.
func openPTY(t *testing.T) (primary, terminal *os.File) {
	t.Helper()
	primary, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open /dev/ptmx: %v", err)
	}
	t.Cleanup(func() { primary.Close() })
	fd := int(primary.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlock pty: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("pty number: %v", err)
	}
	terminal, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the pty's terminal: %v", err)
	}
	t.Cleanup(func() { terminal.Close() })
	return primary, terminal
}
