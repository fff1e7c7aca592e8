// Package apperr defines the errors domain packages return. Each carries a
// stable machine code; httpapi alone decides which HTTP status a code gets.
package apperr

import (
	"errors"
	"fmt"
	"sort"
)

// Code is a stable, documented machine-readable error code.
type Code string

// Codes shared across the api. Clients switch on these; never rename one.
const (
	CodeValidation      Code = "validation_failed"
	CodeNotFound        Code = "not_found"
	CodeConflict        Code = "conflict"
	CodeIdempotency     Code = "idempotency_mismatch"
	CodePrecondition    Code = "precondition_failed"
	CodeInsufficient    Code = "insufficient_stock"
	CodeUnauthorized    Code = "unauthorized"
	CodeForbidden       Code = "forbidden"
	CodeRateLimited     Code = "rate_limited"
	CodePayloadTooLarge Code = "payload_too_large"
	CodeBadRequest      Code = "bad_request"
	CodeMethodNotAllow  Code = "method_not_allowed"
	CodeUnavailable     Code = "service_unavailable"
	CodeInternal        Code = "internal_error"
)

// Error is a domain error with a code, a message for people and, for
// validation, what is wrong with each offending field.
type Error struct {
	Code    Code
	Message string
	Fields  Problems
	Err     error // the cause, for logs; never shown to clients
}

func (e *Error) Error() string {
	msg := fmt.Sprintf("%s: %s", e.Code, e.Message)
	if len(e.Fields) > 0 {
		names := make([]string, 0, len(e.Fields))
		for f := range e.Fields {
			names = append(names, f)
		}
		sort.Strings(names)
		for _, f := range names {
			msg += fmt.Sprintf(" [%s %s: %s]", f, e.Fields[f].Code, e.Fields[f].Message)
		}
	}
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with code and message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Validation returns a validation error with one problem per field.
func Validation(message string, fields Problems) *Error {
	return &Error{Code: CodeValidation, Message: message, Fields: fields}
}

// As finds the first *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
