package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
)

// Kind says how a call failed, in terms a page can show.
type Kind string

// Kinds of failure.
const (
	KindTimeout  Kind = "timeout"  // no answer in time
	KindRefused  Kind = "refused"  // nothing listens at the address
	KindDNS      Kind = "dns"      // the host name does not resolve
	KindNetwork  Kind = "network"  // any other transport failure
	KindCanceled Kind = "canceled" // the browser went away first
	KindStatus   Kind = "status"   // an HTTP status the call does not expect; see APIError
	KindInvalid  Kind = "invalid"  // an answer (or a request) that does not fit the contract
	KindUnknown  Kind = "unknown"  // an error that did not come from this package
)

// CallError is a failed api call. When the api answered with its error
// envelope, Err is an *APIError: use errors.As to reach its code and
// field messages.
type CallError struct {
	Kind   Kind
	Op     string // e.g. "GET /readyz"
	Status int    // HTTP status when one was received
	Err    error
}

func (e *CallError) Error() string {
	return fmt.Sprintf("api %s: %s: %v", e.Op, e.Kind, e.Err)
}

func (e *CallError) Unwrap() error { return e.Err }

// KindOf returns the kind of a call's error.
func KindOf(err error) Kind {
	var e *CallError
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindUnknown
}

// APIError is the api's error envelope,
// {"error":{"code","message","fields","request_id"}}, with the HTTP status
// it came with. Pages show Fields beside the form fields they name,
// translated by each field error's code and parameters (never by its
// English message).
type APIError struct {
	Status    int
	Code      ErrorErrorCode        // stable machine code, e.g. ErrorErrorCodeValidationFailed
	Message   string                // for people; in English
	Fields    map[string]FieldError // offending field → its code, message and parameters; nil when none
	RequestID string                // the api's id for the request, for support
	// RetryAfter is the api's Retry-After in seconds (rate_limited), 0
	// when it sent none.
	RetryAfter int
}

func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", e.Status, e.Code, e.Message)
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		b.WriteString(" (")
		for i, name := range names {
			if i > 0 {
				b.WriteString("; ")
			}
			fmt.Fprintf(&b, "%s: %s %s", name, e.Fields[name].Code, e.Fields[name].Message)
		}
		b.WriteString(")")
	}
	return b.String()
}

// answer is what every generated ...WithResponse result offers.
type answer interface {
	StatusCode() int
	GetBody() []byte
}

// statusError reports an answer whose status the call does not expect. The
// body is read as the api's error envelope whatever the status and whether
// or not the contract declares it there, so a page always gets the api's
// code and field messages when the api sent them.
func statusError(op string, res answer) error {
	status := res.StatusCode()
	var env Error
	if err := json.Unmarshal(res.GetBody(), &env); err == nil && env.Error.Code != "" {
		apiErr := &APIError{
			Status:    status,
			Code:      env.Error.Code,
			Message:   env.Error.Message,
			RequestID: env.Error.RequestID,
		}
		if env.Error.Fields != nil && len(*env.Error.Fields) > 0 {
			apiErr.Fields = *env.Error.Fields
		}
		if h := headerOf(res); h != nil {
			if n, err := strconv.Atoi(h.Get("Retry-After")); err == nil && n > 0 {
				apiErr.RetryAfter = n
			}
		}
		return &CallError{Kind: KindStatus, Op: op, Status: status, Err: apiErr}
	}
	return &CallError{Kind: KindStatus, Op: op, Status: status, Err: fmt.Errorf("unexpected status %d", status)}
}

// headerOf returns the HTTP header of a generated answer. Every generated
// ...Response type has the field HTTPResponse but no method to reach it, so
// one small reflection here saves a method per type.
func headerOf(res answer) http.Header {
	v := reflect.ValueOf(res)
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return nil
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil
	}
	f := v.FieldByName("HTTPResponse")
	if !f.IsValid() {
		return nil
	}
	if r, ok := f.Interface().(*http.Response); ok && r != nil {
		return r.Header
	}
	return nil
}

// Status returns the HTTP status of an api answer behind err (0 when the
// api did not answer), and the envelope when the api sent one.
func Status(err error) (int, *APIError) {
	var ce *CallError
	if !errors.As(err, &ce) {
		return 0, nil
	}
	var ae *APIError
	errors.As(err, &ae)
	return ce.Status, ae
}

// invalid reports an answer that arrived with status but is not the document
// the contract promises.
func invalid(op string, status int, format string, args ...any) error {
	return &CallError{Kind: KindInvalid, Op: op, Status: status, Err: fmt.Errorf(format, args...)}
}

// callError wraps what a generated call returned as an error: a transport
// failure, or an answer that could not be read or decoded.
func callError(op string, err error) error {
	return &CallError{Kind: classify(err), Op: op, Err: err}
}

func classify(err error) Kind {
	var transport *transportError
	var netErr net.Error
	var dnsErr *net.DNSError
	switch {
	case errors.Is(err, errTooLarge):
		return KindInvalid
	case !errors.As(err, &transport):
		// The generated code failed to build the request or to decode the
		// answer.
		return KindInvalid
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
