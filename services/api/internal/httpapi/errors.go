package httpapi

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/apperr"
)

// ErrorBody is the one error envelope of the api.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail describes what went wrong.
type ErrorDetail struct {
	Code    apperr.Code `json:"code"`
	Message string      `json:"message"`
	// Fields says what is wrong with each offending field: a code, the
	// English message and the code's parameters.
	Fields    apperr.Problems `json:"fields,omitempty"`
	RequestID string          `json:"request_id"`
}

var statusByCode = map[apperr.Code]int{
	apperr.CodeValidation:      http.StatusUnprocessableEntity,
	apperr.CodeBadRequest:      http.StatusBadRequest,
	apperr.CodeNotFound:        http.StatusNotFound,
	apperr.CodeConflict:        http.StatusConflict,
	apperr.CodeIdempotency:     http.StatusConflict,
	apperr.CodePrecondition:    http.StatusPreconditionFailed,
	apperr.CodeInsufficient:    http.StatusConflict,
	apperr.CodeUnauthorized:    http.StatusUnauthorized,
	apperr.CodeForbidden:       http.StatusForbidden,
	apperr.CodeRateLimited:     http.StatusTooManyRequests,
	apperr.CodePayloadTooLarge: http.StatusRequestEntityTooLarge,
	apperr.CodeMethodNotAllow:  http.StatusMethodNotAllowed,
	apperr.CodeUnavailable:     http.StatusServiceUnavailable,
	apperr.CodeInternal:        http.StatusInternalServerError,
}

// codeByStatus translates the errors Echo raises itself (unknown route,
// body too large, ...) into our codes.
var codeByStatus = map[int]apperr.Code{
	http.StatusBadRequest:            apperr.CodeBadRequest,
	http.StatusUnauthorized:          apperr.CodeUnauthorized,
	http.StatusForbidden:             apperr.CodeForbidden,
	http.StatusNotFound:              apperr.CodeNotFound,
	http.StatusMethodNotAllowed:      apperr.CodeMethodNotAllow,
	http.StatusRequestEntityTooLarge: apperr.CodePayloadTooLarge,
	http.StatusUnsupportedMediaType:  apperr.CodeBadRequest,
	http.StatusTooManyRequests:       apperr.CodeRateLimited,
	http.StatusPreconditionFailed:    apperr.CodePrecondition,
	http.StatusServiceUnavailable:    apperr.CodeUnavailable,
}

var messageByCode = map[apperr.Code]string{
	apperr.CodeBadRequest:      "The request is malformed.",
	apperr.CodeUnauthorized:    "Authentication is required.",
	apperr.CodeForbidden:       "You are not allowed to do this.",
	apperr.CodeNotFound:        "No such resource.",
	apperr.CodeMethodNotAllow:  "This method is not allowed on this resource.",
	apperr.CodePayloadTooLarge: "The request body is too large.",
	apperr.CodeRateLimited:     "Too many requests; slow down.",
	apperr.CodePrecondition:    "This record was changed by someone else; reload it and try again.",
	apperr.CodeUnavailable:     "The service is temporarily unavailable.",
	apperr.CodeInternal:        "Something went wrong on our side. Quote the request id when reporting it.",
}

// unavailableRetryAfter is the Retry-After of a 503 that names no wait of
// its own (the database is away): long enough not to hammer a restarting
// server, short enough that a client's retry lands soon after it is back.
const unavailableRetryAfter = 5 // seconds

// errorHandler is the single place where errors become HTTP responses.
// storeErrors (nil: none) turns the store's failures to reach the database
// into domain errors before anything else looks at err.
func errorHandler(log *zap.Logger, storeErrors func(error) error) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			return
		}
		if storeErrors != nil {
			err = storeErrors(err)
		}
		err = binderError(err)
		detail := ErrorDetail{Code: apperr.CodeInternal, RequestID: middleware.RequestIDOf(c)}
		status := http.StatusInternalServerError

		var httpErr *echo.HTTPError
		if appErr, ok := apperr.As(err); ok {
			detail.Code, detail.Message, detail.Fields = appErr.Code, appErr.Message, appErr.Fields
			if s, ok := statusByCode[appErr.Code]; ok {
				status = s
			}
		} else if errors.As(err, &httpErr) {
			if code, ok := codeByStatus[httpErr.Code]; ok {
				detail.Code, status = code, httpErr.Code
			}
			if msg, ok := httpErr.Message.(string); ok && httpErr.Code == http.StatusBadRequest {
				detail.Message = msg // Echo's binder says which field did not decode
			}
		}
		var wait interface{ RetryAfterSeconds() int }
		if errors.As(err, &wait) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(wait.RetryAfterSeconds()))
		} else if status == http.StatusServiceUnavailable {
			c.Response().Header().Set("Retry-After", strconv.Itoa(unavailableRetryAfter))
		}
		if detail.Message == "" {
			detail.Message = messageByCode[detail.Code]
		}
		if status >= http.StatusInternalServerError {
			log.Error("request failed", zap.Error(err), zap.String("request_id", detail.RequestID))
			if detail.Code == apperr.CodeInternal {
				detail.Message = messageByCode[apperr.CodeInternal] // never leak internals
			}
		}
		var werr error
		if c.Request().Method == http.MethodHead {
			werr = c.NoContent(status)
		} else {
			werr = c.JSON(status, ErrorBody{Error: detail})
		}
		if werr != nil {
			log.Warn("write error response", zap.Error(werr))
		}
	}
}
