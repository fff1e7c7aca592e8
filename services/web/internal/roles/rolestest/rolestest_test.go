package rolestest

import (
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/roles"
)

// TestGrantsFromTheContract: the document's x-grants name every role of
// the contract with permissions the generated client knows, and say what
// the pages rely on (a viewer only reads, a clerk books but sets no credit
// limit, only an admin manages people).
func TestGrantsFromTheContract(t *testing.T) {
	for _, role := range []apiclient.Role{apiclient.RoleAdmin, apiclient.RoleManager, apiclient.RoleClerk, apiclient.RoleViewer} {
		names := Names(string(role))
		if len(names) == 0 {
			t.Errorf("%s has no permissions", role)
		}
		for _, n := range names {
			if !apiclient.Permission(n).Valid() {
				t.Errorf("%s: %q is not a permission of the contract", role, n)
			}
		}
	}
	for _, tc := range []struct {
		role string
		perm roles.Permission
		want bool
	}{
		{"viewer", roles.Read, true}, {"viewer", roles.Stock, false},
		{"clerk", roles.Stock, true}, {"clerk", roles.Customers, true}, {"clerk", roles.Prices, false},
		{"manager", roles.Prices, true}, {"manager", roles.Users, false},
		{"admin", roles.Users, true}, {"boss", roles.Read, false}, {"", roles.Self, false},
	} {
		if got := Of(tc.role).Can(tc.perm); got != tc.want {
			t.Errorf("%q can %s = %v, want %v", tc.role, tc.perm, got, tc.want)
		}
	}
}
