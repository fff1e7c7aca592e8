package httpapi_test

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// TestMePermissions: sign-in, refresh and GET /me tell each person what
// their role allows (the matrix written out by hand, as DOMAIN.md says
// it), so clients need no copy of it.
func TestMePermissions(t *testing.T) {
	en := newEnv(t)
	want := map[auth.Role][]string{
		auth.RoleAdmin: {"self", "read", "audit", "catalogue.write", "prices.write", "customers.write", "stock.write", "users.manage",
			"finance.read", "expenses.write"},
		auth.RoleManager: {"self", "read", "audit", "catalogue.write", "prices.write", "customers.write", "stock.write",
			"finance.read", "expenses.write"},
		auth.RoleClerk:  {"self", "read", "customers.write", "stock.write"},
		auth.RoleViewer: {"self", "read"},
	}
	for _, role := range auth.Roles {
		tp := en.login(string(role)+"@depot.example", testPassword)
		if diff := cmp.Diff(want[role], tp.User.Permissions); diff != "" {
			t.Errorf("%s at sign-in (-want +got):\n%s", role, diff)
		}
		r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tp.RefreshToken}})
		var next tokenPair
		r.decode(t, &next)
		if diff := cmp.Diff(want[role], next.User.Permissions); diff != "" {
			t.Errorf("%s at refresh (-want +got):\n%s", role, diff)
		}
		var me struct {
			Role        string   `json:"role"`
			Permissions []string `json:"permissions"`
		}
		en.do(req{method: "GET", path: "/api/v1/me", token: next.AccessToken}).decode(t, &me)
		if me.Role != string(role) || !cmp.Equal(want[role], me.Permissions) {
			t.Errorf("%s: GET /me = %+v", role, me)
		}
	}
}

func TestLoginRefreshLogout(t *testing.T) {
	en := newEnv(t)
	tp := en.login("clerk@depot.example", testPassword)
	if tp.ExpiresIn != 900 || tp.User.Role != "clerk" || tp.RefreshToken == "" {
		t.Fatalf("token pair %+v", tp)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: tp.AccessToken}); r.Status != 200 || r.Header.Get("ETag") == "" {
		t.Fatalf("me: %d %s", r.Status, r.Body)
	}

	// Rotation: the new refresh token works, the old one is retired.
	r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tp.RefreshToken}})
	if r.Status != 200 {
		t.Fatalf("refresh: %d %s", r.Status, r.Body)
	}
	var next tokenPair
	r.decode(t, &next)
	if next.RefreshToken == tp.RefreshToken || next.SessionID != tp.SessionID {
		t.Fatalf("refresh did not rotate within the session: %+v", next)
	}

	// Within the grace period the old token still works once more (two tabs).
	en.clock.advance(10 * time.Second)
	if r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tp.RefreshToken}}); r.Status != 200 {
		t.Fatalf("refresh within grace: %d %s", r.Status, r.Body)
	}

	// After it, reuse of the retired token ends the whole family.
	en.clock.advance(time.Minute)
	if r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": tp.RefreshToken}}); r.Status != 401 {
		t.Fatalf("reuse after grace: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": next.RefreshToken}}); r.Status != 401 {
		t.Fatalf("the successor must die with the family: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: next.AccessToken}); r.Status != 401 {
		t.Fatalf("access token of a revoked session still works: %d", r.Status)
	}

	// Logout ends the session at once.
	fresh := en.login("clerk@depot.example", testPassword)
	if r := en.do(req{method: "POST", path: "/api/v1/auth/logout", token: fresh.AccessToken}); r.Status != 204 {
		t.Fatalf("logout: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: fresh.AccessToken}); r.Status != 401 {
		t.Fatalf("access token after logout: %d", r.Status)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/auth/refresh", body: map[string]string{"refresh_token": fresh.RefreshToken}}); r.Status != 401 {
		t.Fatalf("refresh after logout: %d", r.Status)
	}

	// An expired access token is refused even though its session lives.
	late := en.login("clerk@depot.example", testPassword)
	en.clock.advance(16 * time.Minute)
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: late.AccessToken}); r.Status != 401 {
		t.Fatalf("expired access token: %d", r.Status)
	}
	if en.auditCount("session", "login") < 5 || en.auditCount("session", "logout") != 1 {
		t.Errorf("sign-ins and sign-outs are not audited")
	}
}

func TestWrongCredentialsAndThrottling(t *testing.T) {
	en := newEnv(t)
	bad := func(email string) response {
		return en.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": email, "password": "Falsches-Passwort-1"},
			header: map[string]string{"X-Forwarded-For": "198.51.100.7"}})
	}
	unknown := bad("nobody@depot.example")
	known := bad("viewer@depot.example")
	if unknown.Status != 401 || known.Status != 401 || string(unknown.Body[:40]) != string(known.Body[:40]) {
		t.Fatalf("unknown and known accounts must fail alike: %s / %s", unknown.Body, known.Body)
	}
	// Three free tries per account, then waiting.
	bad("viewer@depot.example")
	bad("viewer@depot.example")
	r := bad("viewer@depot.example")
	if r.Status != 429 || r.errorCode() != "rate_limited" || r.Header.Get("Retry-After") == "" {
		t.Fatalf("4th failure: %d %s (Retry-After %q)", r.Status, r.Body, r.Header.Get("Retry-After"))
	}
	// Even the right password waits while throttled.
	ok := en.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "viewer@depot.example", "password": testPassword}})
	if ok.Status != 429 {
		t.Fatalf("right password while throttled: %d", ok.Status)
	}
	// After the wait, the right password works and clears the account's count.
	en.clock.advance(3 * time.Second)
	en.login("viewer@depot.example", testPassword)

	// Ten failures lock the account for 15 minutes.
	for i := range 40 {
		en.clock.advance(2 * time.Minute) // outwait every back-off, stay inside the window
		if r := bad("manager@depot.example"); r.Status == 429 && i >= 9 {
			break
		}
	}
	en.clock.advance(time.Minute)
	r = en.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "manager@depot.example", "password": testPassword}})
	if retry, _ := strconv.Atoi(r.Header.Get("Retry-After")); r.Status != 429 || retry < 60 {
		t.Fatalf("locked account: %d, Retry-After %q", r.Status, r.Header.Get("Retry-After"))
	}
	en.clock.advance(15 * time.Minute)
	en.login("manager@depot.example", testPassword)
}

func TestDisablingAUserEndsEverythingAtOnce(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	clerk := en.users[auth.RoleClerk]
	clerkSession := en.login("clerk@depot.example", testPassword)
	tok := en.do(req{method: "POST", path: "/api/v1/tokens", token: clerkSession.AccessToken,
		body: map[string]any{"name": "scanner", "scope": "write", "expires_in_days": 30}})
	var created struct{ Token string }
	tok.decode(t, &created)
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: created.Token}); r.Status != 200 {
		t.Fatalf("api token: %d", r.Status)
	}

	path := fmt.Sprintf("/api/v1/users/%d", clerk.ID)
	etag := en.do(req{method: "GET", path: path, token: admin}).Header.Get("ETag")
	r := en.do(req{method: "PATCH", path: path, token: admin, body: map[string]bool{"disabled": true}, header: map[string]string{"If-Match": etag}})
	if r.Status != 200 {
		t.Fatalf("disable: %d %s", r.Status, r.Body)
	}
	for name, bearer := range map[string]string{"access token": clerkSession.AccessToken, "api token": created.Token} {
		if r := en.do(req{method: "GET", path: "/api/v1/me", token: bearer}); r.Status != 401 {
			t.Errorf("%s of a disabled user: %d", name, r.Status)
		}
	}
	if r := en.do(req{method: "POST", path: "/api/v1/auth/login", body: map[string]string{"email": "clerk@depot.example", "password": testPassword}}); r.Status != 401 {
		t.Errorf("disabled user signed in: %d", r.Status)
	}
	// The stale ETag is refused now.
	r = en.do(req{method: "PATCH", path: path, token: admin, body: map[string]string{"name": "Someone"}, header: map[string]string{"If-Match": etag}})
	if r.Status != 412 || r.errorCode() != "precondition_failed" {
		t.Errorf("stale If-Match: %d %s", r.Status, r.Body)
	}
	// An admin cannot lock themselves out.
	self := fmt.Sprintf("/api/v1/users/%d", en.users[auth.RoleAdmin].ID)
	if r := en.do(req{method: "PATCH", path: self, token: admin, body: map[string]bool{"disabled": true}}); r.Status != 422 {
		t.Errorf("admin disabled themselves: %d", r.Status)
	}
}

func TestRoleChangeTakesEffectAtOnce(t *testing.T) {
	en := newEnv(t)
	path := fmt.Sprintf("/api/v1/users/%d", en.users[auth.RoleManager].ID)
	manager := en.login("manager@depot.example", testPassword)
	if r := en.do(req{method: "PATCH", path: path, token: en.tokens[auth.RoleAdmin], body: map[string]string{"role": "admin"}}); r.Status != 200 {
		t.Fatalf("promote: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: manager.AccessToken}); r.Status != 401 {
		t.Errorf("old session survived a role change: %d", r.Status)
	}
	promoted := en.login("manager@depot.example", testPassword)
	if r := en.do(req{method: "GET", path: "/api/v1/users", token: promoted.AccessToken}); r.Status != 200 {
		t.Errorf("new role not effective: %d", r.Status)
	}
}

func TestPasswordChange(t *testing.T) {
	en := newEnv(t)
	here := en.login("viewer@depot.example", testPassword)
	elsewhere := en.login("viewer@depot.example", testPassword)
	wrong := en.do(req{method: "POST", path: "/api/v1/me/password", token: here.AccessToken,
		body: map[string]string{"current_password": "nope-nope-nope", "new_password": "Neues-Passwort-Heute-9"}})
	if wrong.Status != 422 || wrong.errorCode() != "validation_failed" {
		t.Fatalf("wrong current password: %d %s", wrong.Status, wrong.Body)
	}
	weak := en.do(req{method: "POST", path: "/api/v1/me/password", token: here.AccessToken,
		body: map[string]string{"current_password": testPassword, "new_password": "password123"}})
	if weak.Status != 422 {
		t.Fatalf("weak new password accepted: %d %s", weak.Status, weak.Body)
	}
	ok := en.do(req{method: "POST", path: "/api/v1/me/password", token: here.AccessToken,
		body: map[string]string{"current_password": testPassword, "new_password": "Neues-Passwort-Heute-9"}})
	if ok.Status != 204 {
		t.Fatalf("change: %d %s", ok.Status, ok.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: here.AccessToken}); r.Status != 200 {
		t.Errorf("the session that changed the password must survive: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: elsewhere.AccessToken}); r.Status != 401 {
		t.Errorf("other sessions must end: %d", r.Status)
	}
	en.login("viewer@depot.example", "Neues-Passwort-Heute-9")
}

func TestSessions(t *testing.T) {
	en := newEnv(t)
	a := en.login("clerk@depot.example", testPassword)
	b := en.login("clerk@depot.example", testPassword)
	r := en.do(req{method: "GET", path: "/api/v1/auth/sessions", token: a.AccessToken})
	var list struct {
		Items []struct {
			ID      string `json:"id"`
			Current bool   `json:"current"`
		} `json:"items"`
	}
	r.decode(t, &list)
	current := 0
	for _, s := range list.Items {
		if s.Current {
			current++
			if s.ID != a.SessionID {
				t.Errorf("current session %s, want %s", s.ID, a.SessionID)
			}
		}
	}
	if len(list.Items) < 3 || current != 1 {
		t.Fatalf("sessions %+v", list.Items)
	}
	// Another person's session cannot be revoked.
	if r := en.do(req{method: "DELETE", path: "/api/v1/auth/sessions/" + a.SessionID, token: en.tokens[auth.RoleViewer]}); r.Status != 404 {
		t.Errorf("revoked someone else's session: %d", r.Status)
	}
	if r := en.do(req{method: "DELETE", path: "/api/v1/auth/sessions/" + b.SessionID, token: a.AccessToken}); r.Status != 204 {
		t.Fatalf("revoke: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: b.AccessToken}); r.Status != 401 {
		t.Errorf("revoked session still works: %d", r.Status)
	}
	r = en.do(req{method: "DELETE", path: "/api/v1/auth/sessions", token: a.AccessToken})
	var n struct{ Revoked int }
	r.decode(t, &n)
	if n.Revoked < 1 {
		t.Errorf("sign out elsewhere revoked %d", n.Revoked)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: a.AccessToken}); r.Status != 200 {
		t.Errorf("the current session must survive: %d", r.Status)
	}
}

func TestAPITokens(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	r := en.do(req{method: "POST", path: "/api/v1/tokens", token: mgr, body: map[string]any{"name": "erp", "scope": "read", "expires_in_days": 30}})
	if r.Status != 201 {
		t.Fatalf("create: %d %s", r.Status, r.Body)
	}
	var tok struct {
		ID     int64  `json:"id"`
		Token  string `json:"token"`
		Prefix string `json:"prefix"`
	}
	r.decode(t, &tok)
	if len(tok.Token) < 40 || tok.Token[:len(tok.Prefix)] != tok.Prefix {
		t.Fatalf("token %+v", tok)
	}
	var stored []byte
	if err := en.pool.QueryRow(context.Background(), `SELECT token_hash FROM api_tokens WHERE id = $1`, tok.ID).Scan(&stored); err != nil || string(stored) == tok.Token {
		t.Fatalf("token not stored hashed: %v", err)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: tok.Token}); r.Status != 200 {
		t.Fatalf("read with read token: %d", r.Status)
	}
	if r := en.do(req{method: "PATCH", path: "/api/v1/me", token: tok.Token, body: map[string]string{"name": "x"}}); r.Status != 403 {
		t.Errorf("write with read token: %d", r.Status)
	}
	list := en.do(req{method: "GET", path: "/api/v1/tokens", token: mgr})
	var l struct {
		Items []struct {
			LastUsedAt *time.Time `json:"last_used_at"`
			Token      *string    `json:"token"`
		} `json:"items"`
	}
	list.decode(t, &l)
	if len(l.Items) != 1 || l.Items[0].LastUsedAt == nil || l.Items[0].Token != nil {
		t.Fatalf("list: %s", list.Body)
	}
	if r := en.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", tok.ID), token: en.tokens[auth.RoleClerk]}); r.Status != 404 {
		t.Errorf("revoked someone else's token: %d", r.Status)
	}
	if r := en.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/tokens/%d", tok.ID), token: mgr}); r.Status != 204 {
		t.Fatalf("revoke: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/me", token: tok.Token}); r.Status != 401 {
		t.Errorf("revoked token works: %d", r.Status)
	}
	en.clock.advance(31 * 24 * time.Hour)
	if r := en.do(req{method: "POST", path: "/api/v1/tokens", token: en.login("manager@depot.example", testPassword).AccessToken,
		body: map[string]any{"name": "long", "scope": "write", "expires_in_days": 731}}); r.Status != 422 {
		t.Errorf("token beyond the maximum lifetime: %d", r.Status)
	}
}

func TestIdempotentCreate(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	body := map[string]string{"email": "new@depot.example", "name": "Neu", "role": "clerk", "password": testPassword}
	key := map[string]string{"Idempotency-Key": "create-new-1"}
	first := en.do(req{method: "POST", path: "/api/v1/users", token: admin, body: body, header: key})
	again := en.do(req{method: "POST", path: "/api/v1/users", token: admin, body: body, header: key})
	if first.Status != 201 || again.Status != 201 || string(first.Body) != string(again.Body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("retry: %d %s / %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	if again.Header.Get("Location") != first.Header.Get("Location") || again.Header.Get("ETag") != first.Header.Get("ETag") {
		t.Errorf("replayed headers differ")
	}
	other := map[string]string{"email": "other@depot.example", "name": "Anders", "role": "clerk", "password": testPassword}
	if r := en.do(req{method: "POST", path: "/api/v1/users", token: admin, body: other, header: key}); r.Status != 409 || r.errorCode() != "idempotency_mismatch" {
		t.Errorf("same key, other body: %d %s", r.Status, r.Body)
	}

	// Sixteen simultaneous retries with one key create one person.
	body["email"] = "burst@depot.example"
	var wg sync.WaitGroup
	statuses := make([]int, 16)
	for i := range statuses {
		wg.Go(func() {
			statuses[i] = en.do(req{method: "POST", path: "/api/v1/users", token: admin, body: body,
				header: map[string]string{"Idempotency-Key": "burst"}}).Status
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 201 {
			t.Errorf("retry %d: status %d", i, s)
		}
	}
	var n int
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM users WHERE email = 'burst@depot.example'`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("%d people created by one key (%v)", n, err)
	}
	if got := en.auditCount("user", "create"); got != len(auth.Roles)+2 {
		t.Errorf("%d user creations audited, want %d", got, len(auth.Roles)+2)
	}
}

func TestValidationErrorsNameTheFields(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	tests := []struct {
		body   any
		status int
		fields []string
	}{
		{`{"email": 1}`, 422, []string{"email"}},
		{`not json`, 400, nil},
		{map[string]any{"email": "x@y.z", "name": "N", "role": "boss", "password": testPassword}, 422, []string{"role"}},
		{map[string]any{"email": "x@y.z", "name": "N", "role": "clerk", "password": testPassword, "extra": 1}, 422, []string{"extra"}},
		{map[string]any{"email": "not-an-address", "name": "N", "role": "clerk", "password": "aaaaaaaaaaaa"}, 422, []string{"email", "password"}},
		{map[string]any{"email": "x@y.z", "name": "", "role": "clerk", "password": "short"}, 422, []string{"name", "password"}},
		{map[string]any{"email": "admin@depot.example", "name": "N", "role": "clerk", "password": testPassword}, 409, []string{"email"}},
	}
	for _, tt := range tests {
		r := en.do(req{method: "POST", path: "/api/v1/users", token: admin, body: tt.body})
		if r.Status != tt.status {
			t.Errorf("%v: status %d %s", tt.body, r.Status, r.Body)
			continue
		}
		got := en.problems(r)
		for _, f := range tt.fields {
			if got[f].Code == "" || got[f].Message == "" {
				t.Errorf("%v: no message for %q in %s", tt.body, f, r.Body)
			}
		}
	}
}
