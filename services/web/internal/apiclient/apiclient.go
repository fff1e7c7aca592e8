// Package apiclient is the web service's typed client for the Depotix api.
//
// Every call is bounded by a timeout and carries the X-Request-ID of the
// browser request it serves, so one id follows a click through web and api
// logs. Failures are classified (timeout, refused, ...) so pages can say what
// went wrong without showing internals.
package apiclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// maxBody bounds how much of an api answer is read: a broken or hostile
// upstream must not make web buffer without limit.
const maxBody = 1 << 20

// Client calls the api.
type Client struct {
	baseURL string
	http    *http.Client
}

// New returns a client for the api at baseURL (scheme, host and an optional
// path prefix). timeout bounds each call as a whole; connecting, the TLS
// handshake and waiting for response headers are bounded by it too, so a
// hung api is noticed at the stage where it hangs.
func New(baseURL string, timeout time.Duration) *Client {
	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		// The api is a neighbour on the internal network; an HTTP_PROXY meant
		// for the outside world must not capture these calls.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &Client{
		baseURL: strings.TrimRight(baseURL, "/"),
		http:    &http.Client{Transport: transport, Timeout: timeout},
	}
}

// CloseIdleConnections releases pooled connections (at shutdown).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

type requestIDKey struct{}

// WithRequestID returns a context whose api calls carry id as X-Request-ID.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the id stored by WithRequestID, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// Database states the api reports in Readiness.Database.
const (
	DatabaseReady          = "ready"
	DatabaseUnreachable    = "unreachable"
	DatabaseSchemaOutdated = "schema_outdated"
	DatabaseSchemaDirty    = "schema_dirty"
)

// Readiness is the api's answer on GET /readyz.
type Readiness struct {
	OK                    bool   `json:"ok"`
	Database              string `json:"database"`
	SchemaVersion         int    `json:"schema_version"`
	ExpectedSchemaVersion int    `json:"expected_schema_version"`
	Reason                string `json:"reason,omitempty"`
	Version               string `json:"version"`
}

// Readiness asks the api whether it can serve requests. A 503 carrying the
// readiness document is an answer, not an error: the api is reachable and
// says why it is not ready. Transport failures, other statuses and bodies
// that are not the document are errors of type *Error.
func (c *Client) Readiness(ctx context.Context) (Readiness, error) {
	const path = "/readyz"
	var r Readiness
	status, body, err := c.get(ctx, path)
	if err != nil {
		return Readiness{}, err
	}
	if status != http.StatusOK && status != http.StatusServiceUnavailable {
		return Readiness{}, &Error{Kind: KindStatus, Op: "GET " + path, Status: status,
			Err: fmt.Errorf("unexpected status %d", status)}
	}
	if err := decodeStrict(body, &r); err != nil {
		return Readiness{}, &Error{Kind: KindInvalid, Op: "GET " + path, Status: status, Err: err}
	}
	if r.Database == "" {
		return Readiness{}, &Error{Kind: KindInvalid, Op: "GET " + path, Status: status,
			Err: errors.New(`answer has no "database" field`)}
	}
	if r.OK != (status == http.StatusOK) {
		return Readiness{}, &Error{Kind: KindInvalid, Op: "GET " + path, Status: status,
			Err: fmt.Errorf("status %d contradicts ok=%t", status, r.OK)}
	}
	return r, nil
}

func (c *Client) get(ctx context.Context, path string) (int, []byte, error) {
	op := "GET " + path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.baseURL+path, nil)
	if err != nil {
		return 0, nil, &Error{Kind: KindNetwork, Op: op, Err: err}
	}
	req.Header.Set("Accept", "application/json")
	if id := RequestIDFrom(ctx); id != "" {
		req.Header.Set("X-Request-ID", id)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, nil, &Error{Kind: classify(err), Op: op, Err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return 0, nil, &Error{Kind: classify(err), Op: op, Status: resp.StatusCode, Err: fmt.Errorf("read body: %w", err)}
	}
	if len(body) > maxBody {
		return 0, nil, &Error{Kind: KindInvalid, Op: op, Status: resp.StatusCode,
			Err: fmt.Errorf("answer larger than %d bytes", maxBody)}
	}
	return resp.StatusCode, body, nil
}

// decodeStrict decodes exactly one JSON value; trailing bytes mean the body is
// not what the api sends.
func decodeStrict(body []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("decode answer: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("decode answer: unexpected data after the JSON document")
	}
	return nil
}

// Kind says how a call failed, in terms a page can show.
type Kind string

// Kinds of failure.
const (
	KindTimeout  Kind = "timeout"  // no answer in time
	KindRefused  Kind = "refused"  // nothing listens at the address
	KindDNS      Kind = "dns"      // the host name does not resolve
	KindNetwork  Kind = "network"  // any other transport failure
	KindCanceled Kind = "canceled" // the browser went away first
	KindStatus   Kind = "status"   // an HTTP status the call does not expect
	KindInvalid  Kind = "invalid"  // a body that is not the expected document
	KindUnknown  Kind = "unknown"  // an error that did not come from this package
)

// Error is a failed api call.
type Error struct {
	Kind   Kind
	Op     string // e.g. "GET /readyz"
	Status int    // HTTP status when one was received
	Err    error
}

func (e *Error) Error() string {
	return fmt.Sprintf("api %s: %s: %v", e.Op, e.Kind, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// KindOf returns the kind of a call's error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

func classify(err error) Kind {
	var netErr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return KindTimeout
	case errors.Is(err, context.Canceled):
		return KindCanceled
	case errors.Is(err, syscall.ECONNREFUSED):
		return KindRefused
	case errors.As(err, &dnsErr):
		return KindDNS
	case errors.As(err, &netErr) && netErr.Timeout():
		return KindTimeout
	default:
		return KindNetwork
	}
}
