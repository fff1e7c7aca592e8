package handlers

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// formValues reads the named fields of a posted form into the values a
// re-rendered form shows. Surrounding spaces are trimmed; use it for text
// fields, never for passwords (which are not shown again anyway).
func formValues(c echo.Context, names ...string) map[string]string {
	out := make(map[string]string, len(names))
	for _, name := range names {
		out[name] = strings.TrimSpace(c.FormValue(name))
	}
	return out
}

// newIdempotencyKey makes the key of a create form as it is rendered.
func newIdempotencyKey() string { return uuid.NewString() }

// postedIdempotencyKey returns the key the form carried, or a new one when
// it carried none (or not a UUID): the api then still gets a key, only a
// repeated submit of that broken form is not recognised.
func postedIdempotencyKey(c echo.Context) string {
	if k, err := uuid.Parse(c.FormValue(views.IdempotencyFieldName)); err == nil {
		return k.String()
	}
	return newIdempotencyKey()
}

// formFailure explains an api refusal of a form's values in f: each field
// problem beside its field (translated by its code and parameters; rename
// maps an api field name to the form's where they differ), and a message
// for the whole form. A 403 is explained the same way — the role may not do
// part of what the form asks (a credit limit), or no longer all of it — so
// the person stays on the form with the api's explanation and their values,
// never on a dead end (a 403 of a GET, a page's read, stays the "not
// permitted" page). It returns the status to re-render the form with, and
// false when err is not about the values (the api is down, the session
// ended): the handler then returns err and handleError shows the right page.
//
// The api keeps its answer to a refused create under the idempotency key,
// so the re-rendered form gets a new key: the corrected values are a new
// request.
func (s *server) formFailure(c echo.Context, err error, f *views.Form, rename map[string]string, tables ...map[string]string) (int, bool) {
	status, apiErr := apiclient.Status(err)
	if apiErr == nil {
		return 0, false
	}
	if status == http.StatusForbidden && isSafe(c.Request().Method) {
		// A page's read refused (a filter form's GET): the "not permitted"
		// page, not a filter error.
		return 0, false
	}
	lang := s.lang(c)
	msg := i18n.For(lang)
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusConflict, http.StatusForbidden:
		if apiErr.Code == apiclient.ErrorErrorCodeIdempotencyMismatch {
			// The same key with other values: only a broken form does that.
			f.Error = msg.Conflict.Text
			break
		}
		f.Errors = map[string]string{}
		for field, fe := range apiErr.Fields {
			text := msg.FieldProblem(lang, problemOf(field, fe), tables...)
			if to, ok := rename[field]; ok {
				field = to
			}
			f.Errors[field] = text
		}
		f.Error = msg.FormHasErrors
		if status == http.StatusConflict && len(apiErr.Fields) == 0 {
			f.Error = msg.Conflict.Text
		}
		if status == http.StatusForbidden {
			f.Error = msg.Forbidden.Text
			if len(apiErr.Fields) > 0 {
				f.Error = msg.FormNotPermitted
			}
		}
	case http.StatusPreconditionFailed:
		f.Error = msg.Conflict.Text
		status = http.StatusConflict
	case http.StatusTooManyRequests:
		wait := max(apiErr.RetryAfter, 1)
		f.Error = strings.ReplaceAll(i18n.Auth(lang).Throttled, "{n}", strconv.Itoa(wait))
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
	default:
		return 0, false
	}
	f.IdempotencyKey = newIdempotencyKey()
	if status == http.StatusBadRequest {
		status = http.StatusUnprocessableEntity
	}
	return status, true
}

// forbiddenText explains a 403 for a whole form or file, by the api's
// codes like every refusal: the first field the api names, translated from
// tables (a file's refusal says which line and what to do), or, when the
// api names no field, the general "your role does not allow this".
func forbiddenText(lang i18n.Lang, msg *i18n.Messages, apiErr *apiclient.APIError, tables ...map[string]string) string {
	names := slices.Sorted(maps.Keys(apiErr.Fields))
	if len(names) == 0 {
		return msg.Forbidden.Text
	}
	return msg.FieldProblem(lang, problemOf(names[0], apiErr.Fields[names[0]]), tables...)
}

// pathInt reads a numeric id from the path; anything else is a 404.
func pathInt(c echo.Context, name string) (int64, error) {
	n, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || n < 1 {
		return 0, echo.ErrNotFound
	}
	return n, nil
}

// recordFor starts a write on the record named by the path's id: the
// person, who must hold perm (checked before the api is asked; 403), and
// the id (404 when it is not one).
func (s *server) recordFor(c echo.Context, perm roles.Permission) (SignedIn, int64, error) {
	who := s.signedIn(c)
	if !who.Perms.Can(perm) {
		return who, 0, echo.ErrForbidden
	}
	id, err := pathInt(c, "id")
	return who, id, err
}

// pathUUID reads a UUID from the path; anything else is a 404.
func pathUUID(c echo.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.UUID{}, echo.ErrNotFound
	}
	return id, nil
}

// isStatus reports whether err is an api answer with that status.
func isStatus(err error, status int) bool {
	var ce *apiclient.CallError
	return errors.As(err, &ce) && ce.Status == status
}

// problemOf is a field error of the api as i18n translates it, its
// parameters written for people: integers with the Swiss grouping
// (1’000), texts as they are. JSON brings the integers as float64.
func problemOf(field string, fe apiclient.FieldError) i18n.Problem {
	return problemFrom(field, string(fe.Code), fe.Message, fe.Params)
}

func problemFrom(field, code, message string, params *apiclient.FieldParams) i18n.Problem {
	p := i18n.Problem{Field: field, Code: code, Message: message}
	if params == nil || len(*params) == 0 {
		return p
	}
	p.Params = make(map[string]string, len(*params))
	for name, v := range *params {
		switch v := v.(type) {
		case string:
			p.Params[name] = v
		case float64:
			if v == math.Trunc(v) && math.Abs(v) < 1<<53 {
				p.Params[name] = format.Int(int64(v))
			} else {
				p.Params[name] = strconv.FormatFloat(v, 'f', -1, 64)
			}
		default:
			p.Params[name] = fmt.Sprint(v)
		}
	}
	return p
}
