// Package roles mirrors the api's role matrix so pages offer only what the
// api would allow: a viewer sees no write buttons, a clerk no price fields.
//
// The api stays the authority — it checks every call — and this table must
// say the same as services/api/internal/auth/roles.go (grants) and
// internal/httpapi/access.go (which permission each operation needs). When
// one of those changes, change this file with it.
package roles

// Role is a person's role as the api names it.
type Role string

// Roles, from most to least powerful.
const (
	Admin   Role = "admin"
	Manager Role = "manager"
	Clerk   Role = "clerk"
	Viewer  Role = "viewer"
)

// Permission names a kind of action, as in the api.
type Permission string

// Permissions, with what they cover in the api.
const (
	// Self: one's own profile, password, sessions and API tokens.
	Self Permission = "self"
	// Read: reading business data (items, stock, movements, partners...).
	Read Permission = "read"
	// Audit: reading the audit trail.
	Audit Permission = "audit"
	// Catalogue: categories, items (without prices), suppliers, locations.
	Catalogue Permission = "catalogue.write"
	// Prices: sales and purchase prices, VAT, deposits, credit limits.
	Prices Permission = "prices.write"
	// Customers: creating and changing customers.
	Customers Permission = "customers.write"
	// Stock: booking and reversing stock movements.
	Stock Permission = "stock.write"
	// Users: people, roles, settings.
	Users Permission = "users.manage"
)

var grants = map[Role]map[Permission]bool{
	Admin: {Self: true, Read: true, Audit: true, Catalogue: true, Prices: true,
		Customers: true, Stock: true, Users: true},
	Manager: {Self: true, Read: true, Audit: true, Catalogue: true, Prices: true,
		Customers: true, Stock: true},
	Clerk:  {Self: true, Read: true, Customers: true, Stock: true},
	Viewer: {Self: true, Read: true},
}

// Can reports whether role r grants p. An unknown role (or "", nobody
// signed in) grants nothing.
func (r Role) Can(p Permission) bool {
	return grants[r][p]
}
