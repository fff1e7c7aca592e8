package page

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestRoundTrip(t *testing.T) {
	c := Cursor("name", "Öl & Essig", "42")
	r, err := NewRequest(ptr(10), &c, "name")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Request{Limit: 10, After: []string{"Öl & Essig", "42"}}, r); diff != "" {
		t.Error(diff)
	}
}

func TestDefaultsAndErrors(t *testing.T) {
	r, err := NewRequest(nil, nil, "name")
	if err != nil || r.Limit != DefaultLimit || r.After != nil {
		t.Fatalf("defaults: %+v %v", r, err)
	}
	other := Cursor("sku", "A-1", "1")
	for name, tc := range map[string]struct {
		limit  *int
		cursor *string
	}{
		"zero limit":     {ptr(0), nil},
		"huge limit":     {ptr(501), nil},
		"garbage cursor": {nil, ptr("!!!")},
		"json garbage":   {nil, ptr("bm90IGpzb24")},
		"other sort":     {nil, &other},
	} {
		if _, err := NewRequest(tc.limit, tc.cursor, "name"); err == nil {
			t.Errorf("%s accepted", name)
		}
	}
}
