package httpapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/password"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

// The first admin without ADMIN_LANGUAGE has no language: their first
// sign-in names it (the web sends the browser's), later ones do not change
// it, and the trail records it. With ADMIN_LANGUAGE set it is that one.
func TestFirstSignInSetsALanguageOnlyOnce(t *testing.T) {
	en := newEnv(t)
	ctx := context.Background()
	// EnsureAdmin does nothing once people exist; the test's people exist,
	// so the two admins are made as it makes them.
	for _, c := range []struct {
		email string
		lang  auth.Language
	}{{"first@depot.example", ""}, {"chosen@depot.example", auth.LangEN}} {
		if _, err := en.svc.CreateUser(ctx, audit.System("bootstrap"), auth.CreateUserInput{Email: c.email, Name: "Admin",
			Role: auth.RoleAdmin, Language: c.lang, Password: testPassword}); err != nil {
			t.Fatalf("create %s: %v", c.email, err)
		}
	}
	var stored *string
	if err := en.pool.QueryRow(ctx, `SELECT language FROM users WHERE email = 'first@depot.example'`).Scan(&stored); err != nil || stored != nil {
		t.Fatalf("language before the first sign-in = %v (%v), want none", stored, err)
	}
	// Before: the person's record has no language.
	admin := en.tokens[auth.RoleAdmin]
	r := en.do(req{method: "GET", path: "/api/v1/users?q=first", token: admin})
	var list struct {
		Items []struct {
			Language *string `json:"language"`
		} `json:"items"`
	}
	r.decode(t, &list)
	if len(list.Items) != 1 || list.Items[0].Language != nil {
		t.Fatalf("listed before the first sign-in: %s", r.Body)
	}

	login := func(email, lang string) string {
		t.Helper()
		body := map[string]string{"email": email, "password": testPassword}
		if lang != "" {
			body["language"] = lang
		}
		r := en.do(req{method: "POST", path: "/api/v1/auth/login", body: body})
		var tp struct {
			User struct {
				Language *string `json:"language"`
			} `json:"user"`
		}
		r.decode(t, &tp)
		if r.Status != 200 || tp.User.Language == nil {
			t.Fatalf("login %s (%s): %d %s", email, lang, r.Status, r.Body)
		}
		return *tp.User.Language
	}
	if got := login("first@depot.example", "en"); got != "en" {
		t.Errorf("first sign-in in English gave %q", got)
	}
	if got := login("first@depot.example", "de"); got != "en" {
		t.Errorf("a later sign-in in German changed the language to %q", got)
	}
	if got := login("chosen@depot.example", "de"); got != "en" {
		t.Errorf("ADMIN_LANGUAGE=en was overridden by the browser: %q", got)
	}
	var entries int
	if err := en.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a JOIN users u ON a.entity_id = u.id::text
		WHERE a.entity = 'user' AND a.action = 'update' AND u.email = 'first@depot.example'
		  AND a.changes = '{"language": {"from": null, "to": "en"}}'::jsonb`).Scan(&entries); err != nil || entries != 1 {
		t.Errorf("audit entries of the language set at sign-in = %d (%v), want 1", entries, err)
	}
	// A language the screens do not have is refused by the contract.
	if r := en.do(req{method: "POST", path: "/api/v1/auth/login",
		body: map[string]string{"email": "first@depot.example", "password": testPassword, "language": "fr"}}); r.Status != 422 && r.Status != 400 {
		t.Errorf("language fr: %d %s", r.Status, r.Body)
	}
}

// EnsureAdmin makes the first admin with ADMIN_LANGUAGE's language, or
// none when it is empty.
func TestEnsureAdminLanguage(t *testing.T) {
	hasher, err := password.NewHasher(password.Params{Memory: 64, Time: 1, Threads: 1, SaltLength: 16, KeyLength: 32}, 8)
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []auth.Language{auth.LangEN, ""} {
		pool := pgtest.Pool(t) // a fresh database: nobody exists yet
		svc := auth.NewService(postgres.NewAuthStore(pool), hasher, password.Check, nil, auth.Config{}, time.Now)
		ctx := context.Background()
		created, err := svc.EnsureAdmin(ctx, "boss@depot.example", "Administrator", testPassword, lang)
		if err != nil || !created {
			t.Fatalf("EnsureAdmin(%q): %v %t", lang, err, created)
		}
		var stored *string
		if err := pool.QueryRow(ctx, `SELECT language FROM users WHERE email = 'boss@depot.example'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if (lang == "" && stored != nil) || (lang != "" && (stored == nil || *stored != string(lang))) {
			t.Errorf("EnsureAdmin(%q) stored %v", lang, stored)
		}
	}
}

// Sign-ins of one person at once all succeed, and the first one's language
// is set once: the session's foreign key already holds a lock on the
// person, and taking a stronger one to read the old language made two
// sign-ins deadlock (a 500).
func TestConcurrentFirstSignIns(t *testing.T) {
	en := newEnv(t)
	ctx := context.Background()
	if _, err := en.svc.CreateUser(ctx, audit.System("bootstrap"), auth.CreateUserInput{Email: "busy@depot.example", Name: "Busy",
		Role: auth.RoleClerk, Password: testPassword}); err != nil {
		t.Fatal(err)
	}
	const signIns = 12
	statuses := make([]int, signIns)
	var wg sync.WaitGroup
	for i := range signIns {
		wg.Go(func() {
			lang := []string{"de", "en"}[i%2]
			r := en.do(req{method: "POST", path: "/api/v1/auth/login",
				body: map[string]string{"email": "busy@depot.example", "password": testPassword, "language": lang}})
			statuses[i] = r.Status
		})
	}
	wg.Wait()
	for i, s := range statuses {
		if s != 200 {
			t.Errorf("sign-in %d: %d", i, s)
		}
	}
	var entries int
	if err := en.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a JOIN users u ON a.entity_id = u.id::text
		WHERE a.entity = 'user' AND a.action = 'update' AND u.email = 'busy@depot.example' AND a.changes ? 'language'`).Scan(&entries); err != nil || entries != 1 {
		t.Errorf("language set %d times (%v), want once", entries, err)
	}
}
