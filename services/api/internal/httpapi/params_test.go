package httpapi_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// A problem with a query, path or header parameter names the parameter, in
// every way a parameter can be wrong: a value that is not of its type
// (kin-openapi's parse errors, and the generated binders' for values the
// document's pattern lets through), a broken rule of its schema, a header
// given twice. All of them are 422 validation_failed; only a body that is
// not JSON, or comes as another media type, is 400 bad_request (the status
// table of docs/api.md says the same).
func TestParameterErrorsNameTheParameter(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	item, loc, _ := depot(t, en)
	for _, tc := range []struct {
		name   string
		r      req
		status int
		field  string
		want   fieldError
	}{
		{"query of the wrong type", req{method: "GET", path: "/api/v1/items?limit=abc"},
			422, "limit", fieldError{Code: "wrong_type", Params: map[string]any{"type": "integer"}}},
		{"query out of range", req{method: "GET", path: "/api/v1/items?limit=0"},
			422, "limit", fieldError{Code: "out_of_range", Params: map[string]any{"min": 1.0, "max": 500.0}}},
		{"query not in its enum", req{method: "GET", path: "/api/v1/items?archived=maybe"},
			422, "archived", fieldError{Code: "not_allowed", Params: map[string]any{"allowed": "false, true, all"}}},
		{"query too long", req{method: "GET", path: "/api/v1/items?q=" + repeat("a", 101)},
			422, "q", fieldError{Code: "too_long", Params: map[string]any{"max": 100.0}}},
		{"query of the wrong type, a list", req{method: "GET", path: "/api/v1/movements?item_id=x"},
			422, "item_id", fieldError{Code: "wrong_type", Params: map[string]any{"type": "integer"}}},
		{"query boolean", req{method: "GET", path: "/api/v1/stock?low_stock=perhaps"},
			422, "low_stock", fieldError{Code: "wrong_type", Params: map[string]any{"type": "boolean"}}},
		{"query date-time", req{method: "GET", path: "/api/v1/movements?from=yesterday"},
			422, "from", fieldError{Code: "invalid_format"}},
		{"query date-time the pattern allows", req{method: "GET", path: "/api/v1/movements?from=2025-02-30T10:00:00Z"},
			422, "from", fieldError{Code: "invalid_format"}},
		{"path of the wrong type", req{method: "GET", path: "/api/v1/items/abc"},
			422, "id", fieldError{Code: "wrong_type", Params: map[string]any{"type": "integer"}}},
		{"path below its minimum", req{method: "GET", path: "/api/v1/items/0"},
			422, "id", fieldError{Code: "too_small", Params: map[string]any{"min": 1.0}}},
		{"header too long", req{method: "POST", path: "/api/v1/categories", header: map[string]string{"Idempotency-Key": repeat("k", 201)},
			body: map[string]any{"name": "Bier"}},
			422, "Idempotency-Key", fieldError{Code: "too_long", Params: map[string]any{"max": 200.0}}},
		{"a delivery's shorter header limit", req{method: "POST", path: "/api/v1/movements/receipts", header: map[string]string{"Idempotency-Key": repeat("k", 199)},
			body: map[string]any{"supplier_id": 1, "lines": []any{map[string]any{"item_id": item.ID, "location_id": loc.ID, "quantity": 1}}}},
			422, "Idempotency-Key", fieldError{Code: "too_long", Params: map[string]any{"max": 196.0}}},
		{"query given twice", req{method: "GET", path: "/api/v1/items?limit=1&limit=2"},
			422, "limit", fieldError{Code: "too_many", Params: map[string]any{"max": 1.0}}},
		{"no body", req{method: "POST", path: "/api/v1/categories", header: map[string]string{"Content-Type": "application/json"}},
			422, "body", fieldError{Code: "required"}},
		{"body that is not JSON", req{method: "POST", path: "/api/v1/categories", body: `{"name":`},
			400, "body", fieldError{Code: "invalid_json"}},
		{"body of another media type", req{method: "POST", path: "/api/v1/categories", body: `name=Bier`,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
			400, "Content-Type", fieldError{Code: "not_allowed", Params: map[string]any{"allowed": "application/json"}}},
		{"body number beyond int64", req{method: "POST", path: "/api/v1/movements",
			body: `{"type":"receipt","item_id":1e30,"location_id":1,"quantity":1,"note":"x"}`},
			422, "item_id", fieldError{Code: "invalid_format"}},
		{"header given twice", req{method: "DELETE", path: "/api/v1/categories/1", header: map[string]string{"If-Match": `"1"`}, twice: "If-Match"},
			422, "If-Match", fieldError{Code: "too_many", Params: map[string]any{"max": 1.0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.r
			r.token = mgr
			got := en.do(r)
			if got.Status != tc.status {
				t.Fatalf("status %d, want %d: %s", got.Status, tc.status, got.Body)
			}
			p, ok := en.problems(got)[tc.field]
			if !ok {
				t.Fatalf("no problem for %q: %s", tc.field, got.Body)
			}
			p.Message = ""
			if diff := cmp.Diff(tc.want, p); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.field, diff)
			}
		})
	}
}

func repeat(s string, n int) string {
	out := make([]byte, 0, len(s)*n)
	for range n {
		out = append(out, s...)
	}
	return string(out)
}
