package httpapi

import (
	"errors"
	"fmt"
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
			if err := openapi3filter.ValidateRequest(c.Request().Context(), in); err != nil {
				return requestError(err)
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

// requestError turns kin-openapi's findings into our envelope.
func requestError(err error) error {
	fields := map[string]string{}
	malformed := false
	var collect func(error)
	collect = func(err error) {
		var multi openapi3.MultiError
		var reqErr *openapi3filter.RequestError
		var schemaErr *openapi3.SchemaError
		var parseErr *openapi3filter.ParseError
		switch {
		case errors.As(err, &multi):
			for _, e := range multi {
				collect(e)
			}
		case errors.As(err, &reqErr):
			if reqErr.Parameter != nil {
				fields[reqErr.Parameter.Name] = reason(reqErr.Err, reqErr.Reason)
				return
			}
			if errors.As(reqErr.Err, &parseErr) || reqErr.Err == nil && strings.Contains(reqErr.Reason, "header Content-Type") {
				malformed = true
				fields["body"] = reason(reqErr.Err, reqErr.Reason)
				return
			}
			if reqErr.Err == nil {
				fields["body"] = reqErr.Reason
				return
			}
			collect(reqErr.Err)
		case errors.As(err, &schemaErr):
			field := fieldPath(schemaErr.JSONPointer())
			if field == "" {
				field = "body"
			}
			reason := schemaErr.Reason
			if name, problem, ok := propertyProblem(schemaErr.Reason); ok {
				// kin-openapi reports a property's absence or unknownness at
				// the object; the client needs the property's own path.
				path := field
				if p := schemaErr.JSONPointer(); len(p) == 0 || p[len(p)-1] != name {
					path = strings.TrimPrefix(field+"."+name, "body.")
				}
				switch problem {
				case "is unsupported":
					field, reason = path, "is not a known field"
				case "is missing":
					field, reason = path, "is required"
				}
			}
			fields[field] = reason
		default:
			fields["body"] = err.Error()
		}
	}
	collect(err)
	if malformed {
		return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The request body is not valid JSON of the expected shape.", Fields: fields, Err: err}
	}
	return &apperr.Error{Code: apperr.CodeValidation, Message: "Check the marked fields.", Fields: fields, Err: err}
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

func reason(err error, fallback string) string {
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		return schemaErr.Reason
	}
	if err != nil {
		return err.Error()
	}
	return fallback
}

// propertyProblem splits kin-openapi's `property "x" is unsupported` (or
// `is missing`) into the name and the problem.
func propertyProblem(reason string) (name, problem string, ok bool) {
	_, rest, ok := strings.Cut(reason, `property "`)
	if !ok {
		return "", "", false
	}
	name, problem, ok = strings.Cut(rest, `" `)
	return name, problem, ok
}
