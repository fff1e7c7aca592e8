package httpapi

import (
	"errors"
	"fmt"
	"maps"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// guard finds the operation of every request in the OpenAPI document, checks
// that the caller may call it (before looking at the body, so a stranger
// learns nothing from validation messages), then checks the request against
// the document: parameter types, required fields, enums, lengths and unknown
// body fields all fail here with one message per field.
func guard(spec *openapi3.T) (echo.MiddlewareFunc, error) {
	// CSV imports are validated as opaque text here; their rows are checked
	// line by line by the importer, which can say where a problem is.
	openapi3filter.RegisterBodyDecoder("text/csv", openapi3filter.FileBodyDecoder)
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		return nil, fmt.Errorf("route OpenAPI document: %w", err)
	}
	table, err := accessTable(spec)
	if err != nil {
		return nil, err
	}
	opts := &openapi3filter.Options{
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, // authorize does this per operation
		MultiError:         true,
	}
	// An upload's parts are read and judged by its handler (readUpload):
	// a missing, repeated or unknown part is then a field error on that
	// part, and the file is read once instead of buffered whole for the
	// document's check first.
	uploadOpts := *opts
	uploadOpts.ExcludeRequestBody = true
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			route, params, err := router.FindRoute(c.Request())
			if err != nil {
				return next(c) // unknown path or method: Echo answers 404/405
			}
			a := table[route.Operation.OperationID]
			c.Set(operationKey, route.Operation.OperationID)
			c.Set(permissionKey, a.perm)
			if err := authorize(c, a); err != nil {
				return err
			}
			in := &openapi3filter.RequestValidationInput{Request: c.Request(), PathParams: params, Route: route, Options: opts}
			if isMultipartOnly(route.Operation) {
				if err := checkMultipart(c.Request(), route.Operation); err != nil {
					return err
				}
				in.Options = &uploadOpts
			}
			if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
				return requestError(err, route.Operation)
			}
			return next(c)
		}
	}, nil
}

// operationKey names the Echo context value holding the request's operation id.
const operationKey = "operation_id"

// permissionKey names the Echo context value holding the permission the
// request's operation needs ("" for a public one).
const permissionKey = "permission"

// requestError turns kin-openapi's findings into our envelope: one field
// error per field with its code and parameters (see fieldProblem). A problem
// with a query, path or header parameter names the parameter. A body that is
// not JSON, or comes as another media type, is a bad request (400); all
// else is validation_failed (422).
func requestError(err error, op *openapi3.Operation) error {
	p := apperr.Problems{}
	malformed := false
	var collect func(error)
	collect = func(err error) {
		// The concrete type decides, not errors.As: a RequestError unwraps
		// to the MultiError of its parameter's schema errors, and a
		// MultiError answers As for any of its elements, so errors.As would
		// lose the parameter a problem belongs to.
		var parseErr *openapi3filter.ParseError
		switch e := err.(type) {
		case openapi3.MultiError:
			for _, e := range e {
				collect(e)
			}
		case *openapi3filter.RequestError:
			reqErr := e
			switch {
			case reqErr.Parameter != nil:
				p.Add(reqErr.Parameter.Name, parameterProblem(reqErr.Parameter, reqErr.Err))
			case errors.As(reqErr.Err, &parseErr):
				malformed = true
				p.Add("body", apperr.InvalidJSON("must be JSON of the expected shape"))
			case reqErr.Err == nil && strings.Contains(reqErr.Reason, "header Content-Type"):
				malformed = true
				p.Add(echo.HeaderContentType, apperr.NotAllowed(mediaTypes(op)...))
			case errors.Is(reqErr.Err, openapi3filter.ErrInvalidRequired):
				p.Add("body", apperr.Required())
			case reqErr.Err == nil:
				p.Add("body", apperr.InvalidFormat().Because(reqErr.Reason))
			default:
				collect(reqErr.Err)
			}
		case *openapi3.SchemaError:
			schemaProblems(p, e, collect)
		default:
			// Wrappers (the origin of an allOf is a wrapped MultiError).
			if inner := errors.Unwrap(err); inner != nil {
				collect(inner)
				return
			}
			p.Add("body", apperr.InvalidFormat().Because(err.Error()))
		}
	}
	collect(err)
	if malformed {
		return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The request body is not valid JSON of the expected shape.", Fields: p, Err: err}
	}
	return &apperr.Error{Code: apperr.CodeValidation, Message: "Check the marked fields.", Fields: p, Err: err}
}

// parameterProblem is what is wrong with a query, path or header
// parameter: a value that does not parse as the parameter's type, or the
// first schema rule it breaks.
func parameterProblem(param *openapi3.Parameter, err error) apperr.FieldError {
	if errors.Is(err, openapi3filter.ErrInvalidRequired) || errors.Is(err, openapi3filter.ErrInvalidEmptyValue) {
		return apperr.Required()
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		if _, e, ok := fieldProblem(schemaErr, param.Name); ok {
			return e
		}
	}
	if param.Schema != nil && param.Schema.Value != nil && param.Schema.Value.Type != nil && len(*param.Schema.Value.Type) == 1 {
		return apperr.WrongType((*param.Schema.Value.Type)[0])
	}
	return apperr.InvalidFormat()
}

// schemaProblems adds the problem of one schema error of a body to p. The
// combinators (allOf of a $ref with a description) carry the real errors in
// their origin, which collect walks.
func schemaProblems(p apperr.Problems, se *openapi3.SchemaError, collect func(error)) {
	switch se.SchemaField {
	case "allOf", "anyOf", "oneOf":
		if se.Origin != nil {
			collect(se.Origin)
			return
		}
	case "properties":
		// kin-openapi reports an unknown property at its object; the client
		// needs the property's own path.
		if obj, ok := se.Value.(map[string]any); ok && se.Schema != nil {
			at := fieldPath(se.JSONPointer())
			for _, name := range slices.Sorted(maps.Keys(obj)) {
				if _, known := se.Schema.Properties[name]; !known {
					p.Add(joinPath(at, name), apperr.UnknownField())
				}
			}
			return
		}
	}
	field, e, _ := fieldProblem(se, fieldPath(se.JSONPointer()))
	p.Add(field, e)
}

// fieldProblem maps the rule a value breaks (SchemaError.SchemaField) to a
// field error; found is false for a rule without a mapping, whose error is
// then an invalid format with kin-openapi's reason.
func fieldProblem(se *openapi3.SchemaError, field string) (string, apperr.FieldError, bool) {
	if field == "" {
		field = "body"
	}
	s := se.Schema
	if s == nil {
		return field, apperr.InvalidFormat().Because(se.Reason), false
	}
	switch se.SchemaField {
	case "required":
		return field, apperr.Required(), true
	case "maxLength":
		if s.MaxLength != nil {
			return field, apperr.TooLong(int(*s.MaxLength)), true
		}
	case "minLength":
		if v, ok := se.Value.(string); ok && v == "" && s.MinLength == 1 {
			return field, apperr.Required(), true
		}
		return field, apperr.TooShort(int(s.MinLength)), true
	case "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum":
		switch {
		case s.Min != nil && s.Max != nil:
			return field, apperr.OutOfRange(int64(*s.Min), int64(*s.Max)), true
		case s.Min != nil:
			return field, apperr.TooSmall(int64(*s.Min)), true
		case s.Max != nil:
			return field, apperr.TooLarge(int64(*s.Max)), true
		}
	case "minItems":
		return field, apperr.TooFew(int(s.MinItems)), true
	case "maxItems":
		if s.MaxItems != nil {
			return field, apperr.TooMany(int(*s.MaxItems)), true
		}
	case "enum":
		allowed := make([]string, len(s.Enum))
		for i, v := range s.Enum {
			allowed[i] = fmt.Sprint(v)
		}
		return field, apperr.NotAllowed(allowed...), true
	case "pattern", "format":
		return field, apperr.InvalidFormat(), true
	case "type", "nullable":
		if s.Type != nil && len(*s.Type) == 1 {
			return field, apperr.WrongType((*s.Type)[0]), true
		}
	}
	return field, apperr.InvalidFormat().Because(se.Reason), false
}

// mediaTypes lists the media types an operation's body may come as.
// isMultipartOnly reports an operation whose body is multipart/form-data
// and nothing else: an upload.
func isMultipartOnly(op *openapi3.Operation) bool {
	types := mediaTypes(op)
	return len(types) == 1 && types[0] == echo.MIMEMultipartForm
}

// checkMultipart refuses an upload's request that is no multipart form
// (the media type the document's check would otherwise have refused).
func checkMultipart(r *http.Request, op *openapi3.Operation) error {
	mt, params, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	if err == nil && mt == echo.MIMEMultipartForm && params["boundary"] != "" {
		return nil
	}
	return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The request body must be a multipart form.",
		Fields: apperr.Problems{echo.HeaderContentType: apperr.NotAllowed(mediaTypes(op)...)}}
}

func mediaTypes(op *openapi3.Operation) []string {
	if op == nil || op.RequestBody == nil || op.RequestBody.Value == nil {
		return nil
	}
	return slices.Sorted(maps.Keys(op.RequestBody.Value.Content))
}

func joinPath(at, name string) string {
	if at == "" {
		return name
	}
	return at + "." + name
}

// fieldPath names a place in a body as clients write it: lines[3].quantity.
// The document's request bodies have no maps with numeric keys, so a
// numeric step is an array index.
func fieldPath(pointer []string) string {
	var b strings.Builder
	for _, step := range pointer {
		if _, err := strconv.Atoi(step); err == nil && b.Len() > 0 {
			b.WriteString("[" + step + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(step)
	}
	return b.String()
}

// binderError names the parameter in the errors the generated wrappers
// raise when a parameter passed the document's checks but does not bind to
// its Go type ("Invalid format for parameter from: ..." for a date-time the
// pattern allows but the calendar does not, or a query parameter given
// twice; "Expected one value for If-Match, got 2"). The wrappers only give a
// text, so the parameter's name is read from it;
// TestParameterErrorsNameTheParameter pins each form.
func binderError(err error) error {
	var httpErr *echo.HTTPError
	if !errors.As(err, &httpErr) || httpErr.Code != http.StatusBadRequest {
		return err
	}
	msg, ok := httpErr.Message.(string)
	if !ok {
		return err
	}
	once := apperr.TooMany(1).Because("must be given once")
	if rest, ok := strings.CutPrefix(msg, "Invalid format for parameter "); ok {
		if name, why, ok := strings.Cut(rest, ": "); ok {
			problem := apperr.InvalidFormat()
			if strings.Contains(why, "multiple values") {
				problem = once
			}
			return &apperr.Error{Code: apperr.CodeValidation, Message: "Check the marked fields.",
				Fields: apperr.Problems{name: problem}, Err: err}
		}
	}
	if rest, ok := strings.CutPrefix(msg, "Expected one value for "); ok {
		if name, _, ok := strings.Cut(rest, ", got "); ok {
			return &apperr.Error{Code: apperr.CodeValidation, Message: "Check the marked fields.",
				Fields: apperr.Problems{name: once}, Err: err}
		}
	}
	return err
}
