package httpapi_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

const (
	notUTF8   = "must be valid UTF-8 text"
	noControl = "must not contain control characters"
)

// refused checks that r is a 422 naming exactly fields.
func (en *env) refused(what string, r response, want map[string]string) {
	en.t.Helper()
	if r.Status != 422 || r.errorCode() != "validation_failed" {
		en.t.Errorf("%s: %d %s, want 422 validation_failed", what, r.Status, r.Body)
		return
	}
	if d := cmp.Diff(want, en.fields(r)); d != "" {
		en.t.Errorf("%s: fields (-want +got):\n%s", what, d)
	}
	// Clients translate by code: each message comes with its own.
	codeOf := map[string]string{notUTF8: "invalid_utf8", noControl: "control_character"}
	for field, code := range en.codes(r) {
		if code != codeOf[want[field]] {
			en.t.Errorf("%s: %s has code %q, want %q", what, field, code, codeOf[want[field]])
		}
	}
}

func TestBadTextInTheQueryIsRefused(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	lists := []string{"items", "locations", "categories", "customers", "suppliers", "users", "audit",
		"items/export", "customers/export", "suppliers/export"}
	for _, list := range lists {
		for _, q := range []struct{ raw, want string }{{"a%00b", noControl}, {"%FF%FE", notUTF8}, {"a%C2%85", noControl}, {"a%0Ab", noControl}} {
			path := "/api/v1/" + list + "?q=" + q.raw
			en.refused(path, en.do(req{method: "GET", path: path, token: admin}), map[string]string{"q": q.want})
		}
	}
	// Every parameter is named, also one the operation does not know, and
	// a bad name is the query's.
	en.refused("two parameters", en.do(req{method: "GET", path: "/api/v1/items?q=ok&sort=%00&cursor=%FF", token: admin}),
		map[string]string{"sort": noControl, "cursor": notUTF8})
	en.refused("a bad name", en.do(req{method: "GET", path: "/api/v1/items?a%FF=1", token: admin}),
		map[string]string{"query": notUTF8})
	// Text that is text passes.
	for _, q := range []string{"M%C3%BCller", "%F0%9F%8D%BA", "a+b", "%EF%BF%BD"} {
		if r := en.do(req{method: "GET", path: "/api/v1/items?q=" + q, token: admin}); r.Status != 200 {
			t.Errorf("q=%s: %d %s", q, r.Status, r.Body)
		}
	}
}

func TestBadTextInPathAndHeadersIsRefused(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	en.refused("path parameter", en.do(req{method: "DELETE", path: "/api/v1/auth/sessions/a%00b", token: admin}),
		map[string]string{"id": noControl})
	en.refused("Idempotency-Key", en.do(req{method: "POST", path: "/api/v1/categories", token: admin,
		header: map[string]string{"Idempotency-Key": "key-\xff"}, body: map[string]any{"name": "Bier"}}),
		map[string]string{"Idempotency-Key": notUTF8})
	en.refused("Idempotency-Key of a movement", en.do(req{method: "POST", path: "/api/v1/movements", token: admin,
		header: map[string]string{"Idempotency-Key": "key\tx"}, body: map[string]any{"type": "receipt", "item_id": 1, "location_id": 1, "quantity": 1}}),
		map[string]string{"Idempotency-Key": noControl})
	// The User-Agent is stored with a session.
	en.refused("User-Agent at sign-in", en.do(req{method: "POST", path: "/api/v1/auth/login",
		header: map[string]string{"User-Agent": "Scanner \xff"}, body: map[string]string{"email": "admin@depot.example", "password": testPassword}}),
		map[string]string{"User-Agent": notUTF8})
	if n := en.count(`SELECT count(*) FROM categories`); n != 0 {
		t.Errorf("%d categories written by refused requests", n)
	}
	// A malformed request id is replaced, not refused.
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: admin, header: map[string]string{"X-Request-ID": "id\xff"}}); r.Status != 200 ||
		r.Header.Get("X-Request-ID") == "id\xff" {
		t.Errorf("malformed request id: %d, answered with %q", r.Status, r.Header.Get("X-Request-ID"))
	}
}

func TestBadTextInTheBodyIsRefused(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	post := func(path, body string) response {
		return en.do(req{method: "POST", path: path, token: mgr, body: body})
	}
	en.refused("invalid UTF-8", post("/api/v1/categories", "{\"name\":\"Bier\xff\"}"), map[string]string{"name": notUTF8})
	en.refused("lone surrogate", post("/api/v1/categories", `{"name":"Bier\ud800"}`), map[string]string{"name": notUTF8})
	en.refused("C1 control", post("/api/v1/categories", "{\"name\":\"Bier\u0085\"}"), map[string]string{"name": noControl})
	en.refused("NUL in a note", post("/api/v1/suppliers", `{"name":"Valser","notes":"a\u0000b"}`), map[string]string{"notes": noControl})
	en.refused("nested field", post("/api/v1/suppliers", "{\"name\":\"Valser\",\"address\":{\"town\":\"Z\xfcrich\"}}"),
		map[string]string{"address.town": notUTF8})
	if n := en.count(`SELECT count(*) FROM categories`) + en.count(`SELECT count(*) FROM suppliers`); n != 0 {
		t.Fatalf("%d records written by refused requests", n)
	}

	// A line of a delivery is named by its place.
	item, loc, sup := depot(t, en)
	line := func(cost string) map[string]any {
		return map[string]any{"item_id": item.ID, "location_id": loc.ID, "quantity": 1, "unit_cost": cost}
	}
	en.refused("delivery line", en.do(req{method: "POST", path: "/api/v1/movements/receipts", token: mgr,
		body: map[string]any{"supplier_id": sup.ID, "reference": "LS-1", "lines": []any{line("1.00"), line("1.00"), line("1.00"), line("2\x00")}}}),
		map[string]string{"lines[3].unit_cost": noControl})
	en.refused("movement note", en.do(req{method: "POST", path: "/api/v1/movements", token: mgr,
		body: map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID, "quantity": 1, "note": "\x1b[31m"}}),
		map[string]string{"note": noControl})

	// Notes keep their line breaks and tabs; German and emoji pass.
	note := "Rampe 2\r\nLieferung\tab 7 Uhr 🍺"
	r := post("/api/v1/suppliers", fmt.Sprintf(`{"name":"Brauerei Müller","notes":%q}`, note))
	var got struct {
		Name  string `json:"name"`
		Notes string `json:"notes"`
	}
	if r.Status != 201 {
		t.Fatalf("a note of several lines: %d %s", r.Status, r.Body)
	}
	r.decode(t, &got)
	if got.Name != "Brauerei Müller" || got.Notes != note {
		t.Errorf("stored %q / %q", got.Name, got.Notes)
	}
}

func TestTrailingDataAfterTheBodyIsRefused(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	for _, body := range []string{`{"name":"Bier"} x`, `{"name":"Bier"}{}`, `{"name":"Bier"}{"name":"Wein"}`, "{\"name\":\"Bier\"}\n\"\xff\""} {
		r := en.do(req{method: "POST", path: "/api/v1/categories", token: mgr, body: body})
		if r.Status != 400 || r.errorCode() != "bad_request" || !cmp.Equal(en.fields(r), map[string]string{"body": "must be one JSON value with nothing after it"}) {
			t.Errorf("%q: %d %s", body, r.Status, r.Body)
		}
	}
	if n := en.count(`SELECT count(*) FROM categories`); n != 0 {
		t.Fatalf("%d categories written", n)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/categories", token: mgr, body: "{\"name\":\"Bier\"}\r\n \t"}); r.Status != 201 {
		t.Errorf("white space after the body: %d %s", r.Status, r.Body)
	}
}

func TestBadTextInACSVUploadIsNamedByLineAndColumn(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	rep, r := en.upload(mgr, "/api/v1/items/import",
		"sku,name,base_unit,sales_price_unit\nA\x00-1,Bier,bottle,1\nA-2,M\xfcller,bottle,1\nA-3,Wein\u0085,bottle,1\n")
	want := []importProblem{
		{Line: 2, Column: "sku", Code: "control_character", Message: noControl},
		{Line: 3, Column: "name", Code: "invalid_utf8", Message: notUTF8 + "; save the file as UTF-8 (in Excel: CSV UTF-8)"},
		{Line: 4, Column: "name", Code: "control_character", Message: noControl},
	}
	if r.Status != 422 || !cmp.Equal(want, rep.Problems) {
		t.Errorf("%d %s", r.Status, r.Body)
	}
	if n := en.count(`SELECT count(*) FROM items`); n != 0 {
		t.Errorf("%d items written", n)
	}
	// Line breaks and tabs inside a quoted cell of a text of several lines
	// pass.
	if rep, r := en.upload(mgr, "/api/v1/suppliers/import", "name,notes\nValser,\"Rampe 2\r\nab 7 Uhr\tbitte\"\n"); r.Status != 200 || rep.Created != 1 {
		t.Errorf("notes of several lines: %d %s", r.Status, r.Body)
	}
}
