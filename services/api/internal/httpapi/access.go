package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
)

// public marks the operations anyone may call.
var public = map[string]bool{
	"GetLiveness": true, "GetReadiness": true, "GetHealth": true, "GetOpenAPI": true,
	"Login": true, "RefreshToken": true,
}

// permissions maps every other operation to the permission it needs. A test
// fails when an operation of the document is in neither table, so a new
// route cannot ship without a decision on who may call it.
var permissions = map[string]auth.Permission{
	"Logout": auth.PermSelf, "ListSessions": auth.PermSelf, "RevokeOtherSessions": auth.PermSelf, "RevokeSession": auth.PermSelf,
	"GetMe": auth.PermSelf, "UpdateMe": auth.PermSelf, "ChangeMyPassword": auth.PermSelf,
	"ListTokens": auth.PermSelf, "CreateToken": auth.PermSelf, "RevokeToken": auth.PermSelf,
	"ListAudit": auth.PermAudit,
	// The catalogue: everyone signed in reads; managers and admins keep it,
	// clerks keep customers (credit limits need PermPrices, checked in the handler).
	"ListCategories": auth.PermRead, "GetCategory": auth.PermRead,
	"CreateCategory": auth.PermCatalogue, "UpdateCategory": auth.PermCatalogue, "DeleteCategory": auth.PermCatalogue,
	"ArchiveCategory": auth.PermCatalogue, "RestoreCategory": auth.PermCatalogue,
	"ListSuppliers": auth.PermRead, "GetSupplier": auth.PermRead,
	"CreateSupplier": auth.PermCatalogue, "UpdateSupplier": auth.PermCatalogue, "DeleteSupplier": auth.PermCatalogue,
	"ArchiveSupplier": auth.PermCatalogue, "RestoreSupplier": auth.PermCatalogue,
	"ListLocations": auth.PermRead, "GetLocation": auth.PermRead,
	"CreateLocation": auth.PermCatalogue, "UpdateLocation": auth.PermCatalogue, "DeleteLocation": auth.PermCatalogue,
	"ArchiveLocation": auth.PermCatalogue, "RestoreLocation": auth.PermCatalogue,
	"ListItems": auth.PermRead, "GetItem": auth.PermRead, "ListItemSuppliers": auth.PermRead,
	"CreateItem": auth.PermCatalogue, "UpdateItem": auth.PermCatalogue, "DeleteItem": auth.PermCatalogue,
	"ArchiveItem": auth.PermCatalogue, "RestoreItem": auth.PermCatalogue,
	"PutItemSupplier": auth.PermCatalogue, "DeleteItemSupplier": auth.PermCatalogue,
	"ExportItems": auth.PermRead, "ExportCustomers": auth.PermRead, "ExportSuppliers": auth.PermRead,
	"ImportItems": auth.PermCatalogue, "ImportSuppliers": auth.PermCatalogue, "ImportCustomers": auth.PermCustomers,
	"ListCustomers": auth.PermRead, "GetCustomer": auth.PermRead,
	// The ledger: clerks book movements; everyone signed in reads stock.
	"CreateMovement": auth.PermStock, "ReverseMovement": auth.PermStock, "CreateReceipt": auth.PermStock,
	"ListMovements": auth.PermRead, "GetMovement": auth.PermRead, "ListItemMovements": auth.PermRead,
	"ExportMovements": auth.PermRead, "GetItemStock": auth.PermRead, "ListStock": auth.PermRead, "GetDashboard": auth.PermRead,
	"CreateCustomer": auth.PermCustomers, "UpdateCustomer": auth.PermCustomers, "DeleteCustomer": auth.PermCustomers,
	"ArchiveCustomer": auth.PermCustomers, "RestoreCustomer": auth.PermCustomers,
	"ListUsers": auth.PermUsers, "CreateUser": auth.PermUsers, "GetUser": auth.PermUsers, "UpdateUser": auth.PermUsers,
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

// authorize enforces the permission table for one operation.
func authorize(c echo.Context, operationID string) error {
	if public[operationID] {
		return nil
	}
	perm, known := permissions[operationID]
	if !known {
		return apperr.New(apperr.CodeForbidden, "This operation has no permission assigned.")
	}
	p, ok := auth.PrincipalFrom(c.Request().Context())
	if !ok {
		if err, ok := c.Request().Context().Value(authErrorKey{}).(error); ok {
			return err
		}
		return errSignInFirst
	}
	if !p.Allows(perm) {
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
