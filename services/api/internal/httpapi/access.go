package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
)

// access says who may call an operation: anyone (public), or a caller
// whose role grants perm.
type access struct {
	public bool
	perm   auth.Permission
}

// accessTable reads every operation's access from the document: an
// operation with empty security (security: []) is public; every other one
// names the permission it needs as x-permission. An operation with neither,
// or with a permission auth does not know, is an error, so the api does not
// start with an operation nobody decided on.
func accessTable(spec *openapi3.T) (map[string]access, error) {
	known := map[auth.Permission]bool{}
	for _, p := range auth.Permissions {
		known[p] = true
	}
	table := map[string]access{}
	var problems []string
	for path, item := range spec.Paths.Map() {
		for method, op := range item.Operations() {
			name := method + " " + path
			raw, named := op.Extensions["x-permission"]
			public := op.Security != nil && len(*op.Security) == 0
			switch perm, isText := raw.(string); {
			case public && named:
				problems = append(problems, name+" is public and names a permission")
			case public:
				table[op.OperationID] = access{public: true}
			case !named:
				problems = append(problems, name+" has no x-permission")
			case !isText || !known[auth.Permission(perm)]:
				problems = append(problems, fmt.Sprintf("%s names an unknown permission %v", name, raw))
			default:
				table[op.OperationID] = access{perm: auth.Permission(perm)}
			}
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return nil, fmt.Errorf("OpenAPI document: %s", strings.Join(problems, "; "))
	}
	return table, nil
}

type authErrorKey struct{}

// authenticate resolves the bearer token, when there is one, into a
// principal on the request context. Whether the operation needs one is for
// authorize to decide, so a stale token does not break the sign-in page.
func authenticate(svc *auth.Service) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			base := context.WithValue(c.Request().Context(), clientInfoKey{},
				auth.ClientInfo{UserAgent: c.Request().UserAgent(), IP: c.RealIP()})
			base = context.WithValue(base, requestIDKey{}, middleware.RequestIDOf(c))
			c.SetRequest(c.Request().WithContext(base))
			h := c.Request().Header.Get(echo.HeaderAuthorization)
			if h == "" {
				return next(c)
			}
			scheme, token, ok := strings.Cut(h, " ")
			var ctx context.Context
			if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
				ctx = context.WithValue(c.Request().Context(), authErrorKey{},
					apperr.New(apperr.CodeUnauthorized, "Use the Authorization header as: Bearer <token>."))
			} else if p, err := svc.Authenticate(c.Request().Context(), strings.TrimSpace(token), middleware.RequestIDOf(c)); err != nil {
				if _, domain := apperr.As(err); !domain {
					return err // the database failed; not the caller's fault
				}
				ctx = context.WithValue(c.Request().Context(), authErrorKey{}, err)
			} else {
				ctx = auth.WithPrincipal(c.Request().Context(), p)
			}
			c.SetRequest(c.Request().WithContext(ctx))
			return next(c)
		}
	}
}

var errSignInFirst = apperr.New(apperr.CodeUnauthorized, "Sign in first: this needs an access token or API token.")

// authorize lets the caller through to an operation with access a, or
// says why not.
func authorize(c echo.Context, a access) error {
	if a.public {
		return nil
	}
	p, ok := auth.PrincipalFrom(c.Request().Context())
	if !ok {
		if err, ok := c.Request().Context().Value(authErrorKey{}).(error); ok {
			return err
		}
		return errSignInFirst
	}
	if !p.Allows(a.perm) {
		return apperr.New(apperr.CodeForbidden, "Your role does not allow this.")
	}
	if p.ReadOnly() && c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
		return apperr.New(apperr.CodeForbidden, "This API token is read-only.")
	}
	return nil
}

// principal returns the caller; guard guarantees one on protected operations.
func principal(ctx context.Context) auth.Principal {
	p, _ := auth.PrincipalFrom(ctx)
	return p
}

type requestIDKey struct{}

// requestID returns the request's id inside handlers that only see a context.
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
