package roles

import "testing"

func TestSetCan(t *testing.T) {
	s := Of([]string{"self", "read", "stock.write"})
	for _, tc := range []struct {
		set  Set
		perm Permission
		want bool
	}{
		{s, Stock, true},
		{s, Read, true},
		{s, Prices, false},
		{s, Catalogue, false},
		{nil, Read, false},
		{Set{}, Self, false},
	} {
		if got := tc.set.Can(tc.perm); got != tc.want {
			t.Errorf("%v.Can(%s) = %v, want %v", tc.set, tc.perm, got, tc.want)
		}
	}
}
