package httpapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/idempotency"
)

const (
	headerIdempotencyKey = "Idempotency-Key"
	headerReplayed       = "Idempotent-Replayed"
	idempotencyWait      = 30 * time.Second
)

// selfKeyed operations pass the key to a store that makes them once-only in
// the same transaction as the write (the ledger's movements.request_key), so
// the table here would only add two writes to every booking.
var selfKeyed = map[string]bool{"CreateMovement": true, "ReverseMovement": true, "CreateReceipt": true,
	// Invoices, credit notes and payments keep the key on their own rows.
	"IssueInvoice": true, "CreateCreditNote": true, "CreatePayment": true,
}

// txKeyed operations keep the key in their write's own transaction
// (idempotency.Keyed, the orders' store): here the request is only hashed
// and handed on, and a repeat given its first answer. The key then commits
// with the write, so a retry that races the first, or comes after an api
// that died between the write and keeping its answer, never writes twice.
var txKeyed = map[string]bool{"CreateOrder": true, "UpdateOrder": true, "ConfirmOrder": true, "DeliverOrder": true, "CancelOrder": true}

// replayedHeaders are the response headers worth repeating on a replay.
var replayedHeaders = []string{echo.HeaderContentType, "ETag", echo.HeaderLocation}

// idempotent makes a POST with an Idempotency-Key take effect once: the first
// request runs and its answer is stored; a retry with the same body gets that
// answer (waiting while the first is still running, so two simultaneous
// retries still book once); the same key with another body is refused.
func idempotent(store idempotency.Store, log *zap.Logger) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			req := c.Request()
			key := req.Header.Get(headerIdempotencyKey)
			p, signedIn := auth.PrincipalFrom(req.Context())
			op, _ := c.Get(operationKey).(string)
			if key == "" || !signedIn || selfKeyed[op] {
				return next(c)
			}
			if txKeyed[op] {
				return keyedInTx(c, next, p.UserID, key)
			}
			if req.Method != http.MethodPost {
				return next(c)
			}
			hash, err := requestHash(req)
			if err != nil {
				return err
			}

			if done, err := awaitClaim(c, store, p.UserID, key, hash); done || err != nil {
				return err
			}
			rec := &recorder{ResponseWriter: c.Response().Writer, status: http.StatusOK}
			c.Response().Writer = rec
			if err := next(c); err != nil {
				c.Error(err) // render now, into the recorder
			}
			// Our own failures and refusals that may pass on a retry are not
			// remembered: the retry runs again.
			switch s := c.Response().Status; {
			case s >= 500, s == http.StatusUnauthorized, s == http.StatusForbidden, s == http.StatusTooManyRequests, s == http.StatusPreconditionFailed:
				if err := store.Release(context.WithoutCancel(req.Context()), p.UserID, key); err != nil {
					log.Error("release idempotency key", zap.Error(err))
				}
				return nil
			}
			headers := map[string]string{}
			for _, name := range replayedHeaders {
				if v := c.Response().Header().Get(name); v != "" {
					headers[name] = v
				}
			}
			stored := idempotency.Response{RequestHash: hash, Done: true, Status: c.Response().Status, Headers: headers, Body: rec.body.Bytes()}
			if err := store.Complete(context.WithoutCancel(req.Context()), p.UserID, key, stored); err != nil {
				log.Error("store idempotent response", zap.Error(err))
			}
			return nil
		}
	}
}

// requestHash reads the body (and puts it back for the handler) and
// hashes it with the method and path: the request a key stands for.
func requestHash(req *http.Request) ([]byte, error) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err // body limit exceeded and the like
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	h := sha256.New()
	h.Write([]byte(req.Method + " " + req.URL.Path + "\n"))
	h.Write(body)
	return h.Sum(nil), nil
}

// keyedInTx hands a txKeyed operation's key and request hash to its store
// (idempotency.WithKeyed) and gives a repeat the first answer the store
// kept.
func keyedInTx(c echo.Context, next echo.HandlerFunc, userID int64, key string) error {
	req := c.Request()
	hash, err := requestHash(req)
	if err != nil {
		return err
	}
	k := &idempotency.Keyed{UserID: userID, Key: key, Method: req.Method, Path: req.URL.Path, Hash: hash}
	c.SetRequest(req.WithContext(idempotency.WithKeyed(req.Context(), k)))
	err = next(c)
	var replay *idempotency.Replay
	if errors.As(err, &replay) {
		return writeReplay(c, replay.Response)
	}
	return err
}

// writeReplay gives the first answer under a key again, marked as such.
func writeReplay(c echo.Context, stored idempotency.Response) error {
	for k, v := range stored.Headers {
		c.Response().Header().Set(k, v)
	}
	c.Response().Header().Set(headerReplayed, "true")
	c.Response().WriteHeader(stored.Status)
	_, err := c.Response().Write(stored.Body)
	return err
}

// keptAnswer records an answer as a handler writes it (its generated
// Visit method), for a store to keep under an idempotency key.
func keptAnswer(visit func(http.ResponseWriter) error) (idempotency.Response, error) {
	rec := &answerRecorder{header: http.Header{}, status: http.StatusOK}
	if err := visit(rec); err != nil {
		return idempotency.Response{}, err
	}
	headers := map[string]string{}
	for _, name := range replayedHeaders {
		if v := rec.header.Get(name); v != "" {
			headers[name] = v
		}
	}
	return idempotency.Response{Status: rec.status, Headers: headers, Body: rec.body.Bytes()}, nil
}

// answerRecorder is an http.ResponseWriter that only records.
type answerRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *answerRecorder) Header() http.Header         { return r.header }
func (r *answerRecorder) WriteHeader(status int)      { r.status = status }
func (r *answerRecorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// awaitClaim claims the key for this request, or, when another request holds
// it, waits for that one's answer and replays it (done = true).
func awaitClaim(c echo.Context, store idempotency.Store, userID int64, key string, hash []byte) (done bool, err error) {
	req := c.Request()
	ctx := req.Context()
	deadline := time.Now().Add(idempotencyWait)
	for delay := 10 * time.Millisecond; ; delay = min(delay*2, 200*time.Millisecond) {
		claimed, err := store.Claim(ctx, userID, key, req.Method, req.URL.Path, hash)
		if err != nil || claimed {
			return false, err
		}
		stored, found, err := store.Lookup(ctx, userID, key)
		if err != nil {
			return false, err
		}
		if !found {
			continue // the holder failed and let go between our two calls: claim again
		}
		if !bytes.Equal(stored.RequestHash, hash) {
			return false, apperr.New(apperr.CodeIdempotency, "This Idempotency-Key was used for a different request; use a new key.")
		}
		if stored.Done {
			return true, writeReplay(c, stored)
		}
		if time.Now().After(deadline) {
			return false, apperr.New(apperr.CodeConflict, "A request with this Idempotency-Key is still being processed; try again shortly.")
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(delay):
		}
	}
}

// recorder passes the response through and keeps a copy of the body.
type recorder struct {
	http.ResponseWriter
	status int
	body   bytes.Buffer
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}
