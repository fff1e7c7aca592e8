// Package logger builds the zap logger every Depotix service uses.
package logger

import (
	"fmt"
	"os"

	"github.com/mattn/go-isatty"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
)

// New returns a logger on standard error at the given level: JSON lines
// (format "json", for production) or readable lines (format "console", for
// development). Console levels are coloured only when standard error is a
// terminal, so log files and `docker compose logs` hold no escape codes.
func New(level, format string) (*zap.Logger, error) {
	return build(os.Stderr, level, format)
}

func build(out *os.File, level, format string) (*zap.Logger, error) {
	lvl, err := zapcore.ParseLevel(level)
	if err != nil {
		return nil, fmt.Errorf("log level: %w", err)
	}
	var cfg zap.Config
	switch format {
	case "json":
		cfg = zap.NewProductionConfig()
		cfg.EncoderConfig.TimeKey = "time"
		cfg.EncoderConfig.EncodeTime = zapcore.RFC3339NanoTimeEncoder
		// Sampling would silently drop access-log lines under load.
		cfg.Sampling = nil
	case "console":
		cfg = zap.NewDevelopmentConfig()
		if isatty.IsTerminal(out.Fd()) {
			cfg.EncoderConfig.EncodeLevel = zapcore.CapitalColorLevelEncoder
		} else {
			cfg.EncoderConfig.EncodeLevel = zapcore.CapitalLevelEncoder
		}
	default:
		return nil, fmt.Errorf("log format %q: want json or console", format)
	}
	cfg.Level = zap.NewAtomicLevelAt(lvl)
	cfg.DisableStacktrace = lvl > zapcore.DebugLevel
	// The config's own output paths name files; this writes to out instead,
	// with everything else (caller, stack traces, development mode) as built.
	sink := zapcore.Lock(out)
	return cfg.Build(
		zap.WrapCore(func(c zapcore.Core) zapcore.Core {
			return zapcore.NewCore(encoder(cfg), sink, cfg.Level)
		}),
		zap.ErrorOutput(sink),
	)
}

func encoder(cfg zap.Config) zapcore.Encoder {
	if cfg.Encoding == "console" {
		return zapcore.NewConsoleEncoder(cfg.EncoderConfig)
	}
	return zapcore.NewJSONEncoder(cfg.EncoderConfig)
}
