// Package middleware holds the Echo middleware shared by api and web: request
// ids, one access-log line per request, and panic recovery.
package middleware

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"

	"github.com/labstack/echo/v4"
	echomw "github.com/labstack/echo/v4/middleware"
	"go.uber.org/zap"
)

// HeaderRequestID is the header that carries a request's id end to end.
const HeaderRequestID = echo.HeaderXRequestID

// RequestID takes a well-formed X-Request-ID from the caller (the proxy or an
// integration) or makes a new one, stores it in the context and echoes it in
// the response. Ids from outside are limited in length and alphabet so they
// cannot forge log lines.
func RequestID() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			id := c.Request().Header.Get(HeaderRequestID)
			if !validID(id) {
				id = newID()
				c.Request().Header.Set(HeaderRequestID, id)
			}
			c.Response().Header().Set(HeaderRequestID, id)
			return next(c)
		}
	}
}

// RequestIDOf returns the request id that RequestID settled on.
func RequestIDOf(c echo.Context) string {
	return c.Request().Header.Get(HeaderRequestID)
}

// MaxRequestIDLength bounds a request id taken from a client; the api's
// contract says the same of its request_id filter (a test there compares).
const MaxRequestIDLength = 128

func validID(id string) bool {
	if id == "" || len(id) > MaxRequestIDLength {
		return false
	}
	for _, r := range id {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.'
		if !ok {
			return false
		}
	}
	return true
}

func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b[:])
}

// AccessLog writes one line per request once the response is complete.
func AccessLog(log *zap.Logger) echo.MiddlewareFunc {
	return echomw.RequestLoggerWithConfig(echomw.RequestLoggerConfig{
		LogMethod:       true,
		LogURI:          true,
		LogStatus:       true,
		LogLatency:      true,
		LogRemoteIP:     true,
		LogUserAgent:    true,
		LogResponseSize: true,
		LogRequestID:    true,
		LogError:        true,
		HandleError:     true, // let the error handler write the status before we read it
		LogValuesFunc: func(c echo.Context, v echomw.RequestLoggerValues) error {
			fields := []zap.Field{
				zap.String("method", v.Method),
				zap.String("uri", v.URI),
				zap.Int("status", v.Status),
				zap.Int64("bytes", v.ResponseSize),
				zap.Duration("latency", v.Latency),
				zap.String("remote_ip", v.RemoteIP),
				zap.String("user_agent", v.UserAgent),
				zap.String("request_id", v.RequestID),
			}
			switch {
			case v.Status >= http.StatusInternalServerError:
				if v.Error != nil {
					fields = append(fields, zap.Error(v.Error))
				}
				log.Error("request", fields...)
			default:
				log.Info("request", fields...)
			}
			return nil
		},
	})
}

// Recover turns a panic into an error for the service's error handler (which
// answers 500 in its own format) and logs the stack once.
func Recover(log *zap.Logger) echo.MiddlewareFunc {
	return echomw.RecoverWithConfig(echomw.RecoverConfig{
		DisableErrorHandler: true,
		LogErrorFunc: func(c echo.Context, err error, stack []byte) error {
			log.Error("panic",
				zap.Error(err),
				zap.String("request_id", RequestIDOf(c)),
				zap.ByteString("stack", stack))
			return fmt.Errorf("panic: %w", err)
		},
	})
}
