package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestUsersListAndFilter(t *testing.T) {
	api := newPeopleAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()

	p := b.get("/users")
	if p.status != http.StatusOK {
		t.Fatalf("/users = %d\n%s", p.status, p.body)
	}
	if !p.has("user-7") || !p.has("user-9") || p.text("user-role-9") != "Clerk" {
		t.Errorf("list: anna %t, beat %t, role %q", p.has("user-7"), p.has("user-9"), p.text("user-role-9"))
	}
	if got := p.doc.Find(`[data-testid="nav-users"]`).AttrOr("aria-current", ""); got != "page" {
		t.Errorf("navigation entry not current: %q", got)
	}

	p = b.get("/users?q=beat&role=clerk&state=active")
	if p.has("user-7") || !p.has("user-9") {
		t.Errorf("filtered list: anna %t, beat %t", p.has("user-7"), p.has("user-9"))
	}
	q, _ := url.ParseQuery(api.queriesOf("/api/v1/users")[1])
	if q.Get("q") != "beat" || q.Get("role") != "clerk" || q.Get("disabled") != "false" || q.Get("limit") != "50" {
		t.Errorf("api query = %v", q)
	}
	// A role the api does not know is not sent at all.
	b.get("/users?role=emperor&state=whatever")
	q, _ = url.ParseQuery(api.queriesOf("/api/v1/users")[2])
	if q.Has("role") || q.Has("disabled") {
		t.Errorf("api query for nonsense filters = %v", q)
	}
	if p := b.get("/users?q=nobody"); p.text("users-empty") != "Nobody matches." {
		t.Errorf("empty list = %q", p.text("users-empty"))
	}
}

func TestUsersNeedAdmin(t *testing.T) {
	for _, role := range []string{"manager", "clerk", "viewer"} {
		api := newPeopleAPI(role)
		w := startWeb(t, api, 2*time.Second)
		b := newBrowser(t, w)
		b.signIn()
		if p := b.get("/"); p.has("nav-users") {
			t.Errorf("%s: the navigation offers users", role)
		}
		for _, path := range []string{"/users", "/users/9"} {
			if p := b.get(path); p.status != http.StatusForbidden {
				t.Errorf("%s: %s = %d, want 403", role, path, p.status)
			}
		}
	}
}

func TestCreateUser(t *testing.T) {
	api := newPeopleAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	p := b.get("/users/new")
	key := p.doc.Find(`[data-testid="user-form"] input[name="_idempotency_key"]`).AttrOr("value", "")
	if len(key) != 36 {
		t.Fatalf("idempotency key = %q", key)
	}
	if got := p.doc.Find("#user-role option[selected]").AttrOr("value", ""); got != "clerk" {
		t.Errorf("default role = %q, want clerk", got)
	}

	// The api's messages beside the fields; typed values kept, no password.
	r := b.post("/users", url.Values{"name": {"Carla Roth"}, "email": {"carla"}, "role": {"viewer"}, "language": {"en"},
		"password": {"short"}, "repeat_password": {"short"}, "_idempotency_key": {key}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("refused create = %d\n%s", r.status, r.body)
	}
	if got := r.text("error-user-email"); got != "Enter an email address, such as name@example.ch." {
		t.Errorf("email error = %q", got)
	}
	if got := r.text("error-user-password"); got != "Use at least 10 characters." {
		t.Errorf("password error = %q", got)
	}
	if got := r.doc.Find("#user-name").AttrOr("value", ""); got != "Carla Roth" {
		t.Errorf("name kept = %q", got)
	}
	if got := r.doc.Find("#user-password").AttrOr("value", ""); got != "" || strings.Contains(r.body, "short\"") {
		t.Error("the password came back into the page")
	}
	if got := r.doc.Find("#user-role option[selected]").AttrOr("value", ""); got != "viewer" {
		t.Errorf("role kept = %q", got)
	}
	fresh := r.doc.Find(`[data-testid="user-form"] input[name="_idempotency_key"]`).AttrOr("value", "")
	if fresh == key || fresh == "" {
		t.Errorf("the refused form keeps its key %q", fresh)
	}

	// Passwords that differ are caught here, without asking the api.
	calls := api.callCount("POST /api/v1/users")
	r = b.post("/users", url.Values{"name": {"Carla"}, "email": {"carla@example.ch"}, "role": {"viewer"},
		"password": {"a long password 1"}, "repeat_password": {"a long password 2"}, "_idempotency_key": {fresh}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-user-repeat_password") != "The two passwords differ." {
		t.Errorf("differing passwords = %d %q", r.status, r.text("error-user-repeat_password"))
	}
	if api.callCount("POST /api/v1/users") != calls {
		t.Error("the api was asked with differing passwords")
	}

	// German: the duplicate email in German beside the field.
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"}
	r = b.post("/users", url.Values{"name": {"Beat"}, "email": {"beat@example.ch"}, "role": {"clerk"},
		"password": {"a long password"}, "repeat_password": {"a long password"}, "_idempotency_key": {fresh}})
	if r.status != http.StatusConflict || r.text("error-user-email") != "Jemand hat diese E-Mail-Adresse schon." {
		t.Errorf("duplicate = %d %q", r.status, r.text("error-user-email"))
	}
	delete(b.cookies, cookieLang)

	form := url.Values{"name": {"Carla Roth"}, "email": {"carla@example.ch"}, "role": {"viewer"}, "language": {"en"},
		"password": {"a long password"}, "repeat_password": {"a long password"}, "_idempotency_key": {fresh}}
	r = b.post("/users", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/users/21" {
		t.Fatalf("create = %d → %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	p = b.get("/users/21")
	if p.text("flash") != "Carla Roth is added and can sign in now." || p.text("user-email") != "carla@example.ch" || p.text("user-role") != "Viewer" {
		t.Errorf("new person's page: flash %q, email %q, role %q", p.text("flash"), p.text("user-email"), p.text("user-role"))
	}
	api.pmu.Lock()
	last := api.people[len(api.people)-1]
	api.pmu.Unlock()
	if last.Language != "en" || last.Role != "viewer" || last.Name != "Carla Roth" {
		t.Errorf("created %+v", last.fakeUser)
	}
	// A double submit creates one person.
	b.post("/users", form)
	api.pmu.Lock()
	n := len(api.people)
	api.pmu.Unlock()
	if n != 2 {
		t.Errorf("people after a double submit = %d, want 2", n)
	}
}

func TestEditUser(t *testing.T) {
	api := newPeopleAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	p := b.get("/users/9")
	if p.status != http.StatusOK || p.text("user-name") != "Beat Keller" {
		t.Fatalf("/users/9 = %d %q", p.status, p.text("user-name"))
	}
	version := p.doc.Find(`[data-testid="user-details-form"] input[name="version"]`).AttrOr("value", "")
	if version != `"1"` {
		t.Errorf("version = %q", version)
	}

	r := b.post("/users/9", url.Values{"name": {"Beat Keller"}, "role": {"manager"}, "language": {"de"}, "version": {version}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/users/9" {
		t.Fatalf("save = %d → %q", r.status, r.header.Get("Location"))
	}
	if p := b.get("/users/9"); p.text("user-role") != "Manager" || p.text("flash") != "The changes are saved. A new role applies at once." {
		t.Errorf("after save: role %q, flash %q", p.text("user-role"), p.text("flash"))
	}

	// The old version again: changed meanwhile, typed values kept.
	r = b.post("/users/9", url.Values{"name": {"Beat K."}, "role": {"viewer"}, "language": {"de"}, "version": {version}})
	if r.status != http.StatusConflict || !strings.HasPrefix(r.text("user-details-error"), "Someone else changed") {
		t.Errorf("stale save = %d %q", r.status, r.text("user-details-error"))
	}
	if got := r.doc.Find("#user-edit-name").AttrOr("value", ""); got != "Beat K." {
		t.Errorf("typed name kept = %q", got)
	}

	// Disable, then enable.
	p = b.get("/users/9")
	version = p.doc.Find(`[data-testid="user-details-form"] input[name="version"]`).AttrOr("value", "")
	r = b.post("/users/9/disable", url.Values{"version": {version}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("disable = %d\n%s", r.status, r.body)
	}
	p = b.get("/users/9")
	if p.text("user-state") != "Disabled" || !p.has("user-enable") || p.text("flash") != "Beat Keller is disabled and signed out everywhere." {
		t.Errorf("after disable: state %q, enable %t, flash %q", p.text("user-state"), p.has("user-enable"), p.text("flash"))
	}
	version = p.doc.Find(`[data-testid="user-details-form"] input[name="version"]`).AttrOr("value", "")
	if r := b.post("/users/9/enable", url.Values{"version": {version}}); r.status != http.StatusSeeOther {
		t.Fatalf("enable = %d", r.status)
	}
	if p := b.get("/users/9"); p.text("user-state") != "Active" {
		t.Errorf("after enable: %q", p.text("user-state"))
	}

	// A new password: the policy's message beside the field.
	r = b.post("/users/9/password", url.Values{"password": {"short"}, "repeat_password": {"short"}})
	if r.status != http.StatusUnprocessableEntity || r.text("error-user-password-password") != "Use at least 10 characters." {
		t.Errorf("short password = %d %q", r.status, r.text("error-user-password-password"))
	}
	r = b.post("/users/9/password", url.Values{"password": {"a long password"}, "repeat_password": {"a long password"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("set password = %d", r.status)
	}
	if p := b.get("/users/9"); p.text("flash") != "The new password is set; Beat Keller is signed out everywhere." {
		t.Errorf("password flash = %q", p.text("flash"))
	}

	if p := b.get("/users/999"); p.status != http.StatusNotFound {
		t.Errorf("unknown person = %d", p.status)
	}
	if p := b.get("/users/abc"); p.status != http.StatusNotFound {
		t.Errorf("non-id = %d", p.status)
	}
}

func TestOwnUserPage(t *testing.T) {
	api := newPeopleAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	p := b.get("/users/7")
	if p.doc.Find("#user-edit-role").Length() != 0 || p.has("user-disable") || !p.has("user-own-state") {
		t.Error("the own page offers a role change or disabling")
	}
	// Saving the own details sends no role; the new name and language
	// apply to the header and the pages at once.
	r := b.post("/users/7", url.Values{"name": {"Anna M."}, "role": {"viewer"}, "language": {"de"}})
	if r.status != http.StatusSeeOther {
		t.Errorf("own save = %d\n%s", r.status, r.body)
	}
	if _, sent := api.lastPatch()["role"]; sent {
		t.Error("a role was sent for the admin's own record")
	}
	p = b.get("/users/7")
	if p.text("account-name") != "Konto: Anna M." || p.text("flash") != "Die Änderungen sind gespeichert. Eine neue Rolle gilt sofort." {
		t.Errorf("after the own save: header %q, flash %q", p.text("account-name"), p.text("flash"))
	}
	// A forged disable of oneself: the api's refusal as the section's message (German now).
	r = b.post("/users/7/disable", nil)
	if r.status != http.StatusUnprocessableEntity || r.text("user-state-error") != "Sich selbst können Sie nicht sperren." {
		t.Errorf("self disable = %d %q", r.status, r.text("user-state-error"))
	}
}
