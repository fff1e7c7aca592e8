package roles

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMatrix writes the whole matrix out by hand, as the api's
// TestEveryRouteForEveryRole does, so a changed grant is a visible decision.
func TestMatrix(t *testing.T) {
	all := []Permission{Self, Read, Audit, Catalogue, Prices, Customers, Stock, Users}
	want := map[Role][]Permission{
		Admin:   {Self, Read, Audit, Catalogue, Prices, Customers, Stock, Users},
		Manager: {Self, Read, Audit, Catalogue, Prices, Customers, Stock},
		Clerk:   {Self, Read, Customers, Stock},
		Viewer:  {Self, Read},
		"":      nil,
		"boss":  nil,
	}
	for role, perms := range want {
		var got []Permission
		for _, p := range all {
			if role.Can(p) {
				got = append(got, p)
			}
		}
		if diff := cmp.Diff(perms, got); diff != "" {
			t.Errorf("%q (-want +got):\n%s", role, diff)
		}
	}
}
