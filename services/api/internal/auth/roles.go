package auth

// Role is what a person may do. This file is the one place that says which
// permissions a role grants; openapi.yaml repeats it for readers (x-grants
// of the Permission schema, checked by a test) and the web asks the api for
// each person's permissions.
type Role string

// Roles, from most to least powerful.
const (
	RoleAdmin   Role = "admin"
	RoleManager Role = "manager"
	RoleClerk   Role = "clerk"
	RoleViewer  Role = "viewer"
)

// Roles lists every role.
var Roles = []Role{RoleAdmin, RoleManager, RoleClerk, RoleViewer}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleManager, RoleClerk, RoleViewer:
		return true
	}
	return false
}

// Permission names a kind of action. Every API operation that needs a
// signed-in caller names exactly one as x-permission in openapi.yaml.
type Permission string

// Permissions. Read and Self are allowed to everyone signed in; the rest
// follow DOMAIN.md: admin everything; manager all business data and reports;
// clerk movements, customers, orders, deliveries but no prices and no
// settings; viewer reads only.
const (
	// PermSelf: one's own profile, password, sessions and API tokens.
	PermSelf Permission = "self"
	// PermRead: reading business data.
	PermRead Permission = "read"
	// PermAudit: reading the audit trail.
	PermAudit Permission = "audit"
	// PermCatalogue: categories, items (without prices), suppliers, locations.
	PermCatalogue Permission = "catalogue.write"
	// PermPrices: sales and purchase prices, VAT, deposits.
	PermPrices Permission = "prices.write"
	// PermCustomers: customers.
	PermCustomers Permission = "customers.write"
	// PermStock: stock movements.
	PermStock Permission = "stock.write"
	// PermUsers: people, roles, settings (the expense categories).
	PermUsers Permission = "users.manage"
	// PermFinance: reading expenses, their receipts and the financial
	// reports.
	PermFinance Permission = "finance.read"
	// PermExpenses: recording and changing expenses and their receipts.
	PermExpenses Permission = "expenses.write"
)

// Permissions lists every permission.
var Permissions = []Permission{PermSelf, PermRead, PermAudit, PermCatalogue, PermPrices, PermCustomers, PermStock, PermUsers,
	PermFinance, PermExpenses}

var grants = map[Role]map[Permission]bool{
	RoleAdmin: {PermSelf: true, PermRead: true, PermAudit: true, PermCatalogue: true, PermPrices: true,
		PermCustomers: true, PermStock: true, PermUsers: true, PermFinance: true, PermExpenses: true},
	RoleManager: {PermSelf: true, PermRead: true, PermAudit: true, PermCatalogue: true, PermPrices: true,
		PermCustomers: true, PermStock: true, PermFinance: true, PermExpenses: true},
	RoleClerk:  {PermSelf: true, PermRead: true, PermCustomers: true, PermStock: true},
	RoleViewer: {PermSelf: true, PermRead: true},
}

// Permissions lists what role r grants, in the order of Permissions; an
// unknown role grants nothing. GET /api/v1/me and the token pair of sign-in
// and refresh carry it, so clients (the web UI) offer only what the api
// allows instead of keeping a copy of this table.
func (r Role) Permissions() []Permission {
	out := []Permission{}
	for _, perm := range Permissions {
		if grants[r][perm] {
			out = append(out, perm)
		}
	}
	return out
}

// Allows reports whether the principal's role grants permission perm. A
// read-only API token is further limited to safe methods (see ReadOnly).
func (p Principal) Allows(perm Permission) bool {
	return grants[p.Role][perm]
}

// ReadOnly reports whether the principal may only read (GET), whatever its role.
func (p Principal) ReadOnly() bool {
	return p.TokenID != 0 && p.TokenScope == ScopeRead
}
