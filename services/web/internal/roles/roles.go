// Package roles says what the signed-in person may do, so pages offer only
// what the api would allow: a viewer sees no write buttons, a clerk no
// credit limit.
//
// The web keeps no role matrix of its own. The api is the one source: it
// grants permissions to roles (services/api/internal/auth/roles.go), names
// the permission each operation needs in its contract (x-permission in
// openapi.yaml), and tells each person their own permissions at sign-in and
// every refresh (the token pair's user, as GET /api/v1/me). The session
// keeps that list; a Set is it, read back. The api still checks every call.
package roles

import "github.com/depotix/depotix/services/web/internal/apiclient"

// Permission is a kind of action, as the contract names it (the generated
// apiclient.Permission): a permission the api renames or drops fails to
// compile here.
type Permission = apiclient.Permission

// The permissions, under the names the pages use.
const (
	// Self: one's own profile, password, sessions and API tokens.
	Self = apiclient.PermissionSelf
	// Read: reading business data (items, stock, movements, partners...).
	Read = apiclient.PermissionRead
	// Audit: reading the audit trail.
	Audit = apiclient.PermissionAudit
	// Catalogue: categories, items, suppliers, locations.
	Catalogue = apiclient.PermissionCatalogueWrite
	// Prices: credit limits (in forms and imports).
	Prices = apiclient.PermissionPricesWrite
	// Customers: creating and changing customers.
	Customers = apiclient.PermissionCustomersWrite
	// Stock: booking and reversing stock movements.
	Stock = apiclient.PermissionStockWrite
	// Users: people and roles.
	Users = apiclient.PermissionUsersManage
)

// Set is what one person may do, as the api listed it. The zero Set
// (nobody signed in) allows nothing.
type Set []Permission

// Of makes the Set of the permissions the api listed.
func Of[T ~string](perms []T) Set {
	out := make(Set, len(perms))
	for i, p := range perms {
		out[i] = Permission(p)
	}
	return out
}

// Can reports whether the set holds p.
func (s Set) Can(p Permission) bool {
	for _, x := range s {
		if x == p {
			return true
		}
	}
	return false
}
