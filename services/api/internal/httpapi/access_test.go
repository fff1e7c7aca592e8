package httpapi

import (
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
)

// TestEveryOperationNamesItsPermission: the document decides who may call
// each operation — public (security: []) or the permission its
// x-permission names — and the access table reads that for every one.
func TestEveryOperationNamesItsPermission(t *testing.T) {
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	table, err := accessTable(spec)
	if err != nil {
		t.Fatal(err)
	}
	var public []string
	n := 0
	for _, item := range spec.Paths.Map() {
		for _, op := range item.Operations() {
			n++
			a, ok := table[op.OperationID]
			switch {
			case !ok:
				t.Errorf("%s is not in the access table", op.OperationID)
			case a.public:
				public = append(public, op.OperationID)
			case !slices.Contains(auth.Permissions, a.perm):
				t.Errorf("%s needs %q, which auth does not know", op.OperationID, a.perm)
			}
		}
	}
	if len(table) != n {
		t.Errorf("access table has %d operations, the document %d", len(table), n)
	}
	slices.Sort(public)
	want := []string{"GetHealth", "GetLiveness", "GetOpenAPI", "GetReadiness", "Login", "RefreshToken"}
	if diff := cmp.Diff(want, public); diff != "" {
		t.Errorf("public operations (-want +got):\n%s", diff)
	}
}

// TestAccessTableRefusesUndecidedOperations: an operation without
// x-permission, with an unknown one, or public with one, stops the api
// from starting.
func TestAccessTableRefusesUndecidedOperations(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(op *openapi3.Operation)
		want   string
	}{
		{"missing", func(op *openapi3.Operation) { delete(op.Extensions, "x-permission") }, "has no x-permission"},
		{"unknown", func(op *openapi3.Operation) { op.Extensions["x-permission"] = "stock.steal" }, "names an unknown permission stock.steal"},
		{"not text", func(op *openapi3.Operation) { op.Extensions["x-permission"] = 7 }, "names an unknown permission 7"},
		{"public too", func(op *openapi3.Operation) { op.Security = &openapi3.SecurityRequirements{} }, "is public and names a permission"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			spec, err := oapi.GetSpec()
			if err != nil {
				t.Fatal(err)
			}
			op := spec.Paths.Find("/api/v1/items").Post
			tc.change(op)
			_, err = accessTable(spec)
			if err == nil || !strings.Contains(err.Error(), "POST /api/v1/items "+tc.want) {
				t.Errorf("err = %v, want it to say %q", err, tc.want)
			}
			if _, err := guard(spec); err == nil {
				t.Errorf("guard accepts the document")
			}
		})
	}
}

// TestGrantsDocumented: the document's Permission schema lists the
// permissions auth knows, and its x-grants the permissions each role
// holds, exactly as auth grants them (roles.go is the source; readers of
// the contract and the web's tests read the document).
func TestGrantsDocumented(t *testing.T) {
	spec, err := oapi.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	schema := spec.Components.Schemas["Permission"].Value
	var enum []auth.Permission
	for _, v := range schema.Enum {
		enum = append(enum, auth.Permission(v.(string)))
	}
	if diff := cmp.Diff(auth.Permissions, enum); diff != "" {
		t.Errorf("Permission enum (-auth +document):\n%s", diff)
	}
	var roles []auth.Role
	for _, v := range spec.Components.Schemas["Role"].Value.Enum {
		roles = append(roles, auth.Role(v.(string)))
	}
	if diff := cmp.Diff(auth.Roles, roles); diff != "" {
		t.Errorf("Role enum (-auth +document):\n%s", diff)
	}
	grants, ok := schema.Extensions["x-grants"].(map[string]any)
	if !ok {
		t.Fatalf("x-grants = %#v", schema.Extensions["x-grants"])
	}
	if len(grants) != len(auth.Roles) {
		t.Errorf("x-grants names %d roles, auth has %d", len(grants), len(auth.Roles))
	}
	for _, role := range auth.Roles {
		var documented []auth.Permission
		list, _ := grants[string(role)].([]any)
		for _, v := range list {
			s, _ := v.(string)
			documented = append(documented, auth.Permission(s))
		}
		if diff := cmp.Diff(role.Permissions(), documented); diff != "" {
			t.Errorf("%s (-auth +document):\n%s", role, diff)
		}
	}
}
