package handlers

import (
	"net/http"
	"testing"
	"time"

	"github.com/depotix/depotix/services/web/internal/session"
)

// The web offers what the api's list of the person's permissions allows,
// never what it would guess from the role's name: the api is the one
// source of the role matrix.

func TestPagesFollowTheAPIsPermissions(t *testing.T) {
	// The api says "clerk" but lists the catalogue permission: the web
	// follows the list.
	api := newCatalogueAPI()
	api.set(func(f *fakeAPI) { f.perms = []string{"self", "read", "catalogue.write"} })
	b := newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	r := b.get("/categories")
	if r.status != http.StatusOK || !r.has("new-record") {
		t.Errorf("a person the api lets keep the catalogue gets no create link (%d)", r.status)
	}
	if r.has("nav-audit") || !r.has("nav-items") {
		t.Errorf("navigation does not follow the permissions")
	}

	// A manager whose list the api narrows to reading sees no write
	// controls, and a create form is refused without asking the api.
	api = newCatalogueAPI()
	api.set(func(f *fakeAPI) { f.user.Role = "manager"; f.perms = []string{"self", "read"} })
	b = newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	if r := b.get("/categories"); r.has("new-record") || r.has("nav-audit") {
		t.Errorf("read-only permissions still offer writes or the audit trail")
	}
	if r := b.get("/categories/new"); r.status != http.StatusForbidden {
		t.Errorf("create form = %d, want 403", r.status)
	}
	if n := api.callCount("POST /api/v1/categories"); n != 0 {
		t.Errorf("the api was asked %d times", n)
	}
}

// TestPermissionsChangeAtRefresh: a new role takes effect at the next
// refresh of the access token, which brings the new list.
func TestPermissionsChangeAtRefresh(t *testing.T) {
	api := newCatalogueAPI()
	api.set(func(f *fakeAPI) { f.user.Role = "viewer"; f.accessTTL = 30 })
	b := newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	if r := b.get("/categories"); r.has("new-record") {
		t.Fatalf("a viewer may create categories")
	}
	api.set(func(f *fakeAPI) { f.user.Role = "manager" })
	if r := b.get("/categories"); !r.has("new-record") {
		t.Errorf("after the refresh the manager's permissions are not used")
	}
	if n := api.callCount("POST /api/v1/auth/refresh"); n < 1 {
		t.Errorf("no refresh happened")
	}
}

// TestOldSessionCookieGetsPermissions: a session sealed before the web
// kept permissions is refreshed at once, rather than showing a page that
// offers nothing until the access token runs out.
func TestOldSessionCookieGetsPermissions(t *testing.T) {
	api := newCatalogueAPI()
	api.set(func(f *fakeAPI) { f.user.Role = "manager" })
	b := newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	codec, err := session.NewCodec(testSecret, time.Now)
	if err != nil {
		t.Fatal(err)
	}
	var sess session.Session
	if err := codec.Open(cookieSession, b.cookies[cookieSession].Value, &sess); err != nil {
		t.Fatal(err)
	}
	if len(sess.Person.Permissions) == 0 {
		t.Fatalf("the session keeps no permissions: %+v", sess.Person)
	}
	sess.Person.Permissions = nil
	old, err := codec.Seal(cookieSession, sess, sess.RefreshExpiry)
	if err != nil {
		t.Fatal(err)
	}
	b.cookies[cookieSession] = &http.Cookie{Name: cookieSession, Value: old}
	if r := b.get("/categories"); !r.has("new-record") {
		t.Errorf("an old cookie's manager gets no create link")
	}
	if n := api.callCount("POST /api/v1/auth/refresh"); n != 1 {
		t.Errorf("refreshes = %d, want 1", n)
	}
}
