package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/zap"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/changes"
)

func cacheStatus(r response) string { return r.Header.Get("Cache-Status") }

func TestRepeatedReadsComeFromTheCacheUntilAWrite(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	beer, _ := en.create(mgr, "/api/v1/categories", map[string]any{"name": "Bier"})

	// A record comes back from the cache with the headers its handler set.
	one := req{method: "GET", path: "/api/v1/categories/" + strconv.FormatInt(beer.ID, 10), token: mgr}
	fromDB, cached := en.do(one), en.do(one)
	if cacheStatus(cached) != "depotix-api; hit" || cached.Header.Get("ETag") == "" || cached.Header.Get("ETag") != fromDB.Header.Get("ETag") {
		t.Fatalf("a cached record: Cache-Status %q, ETag %q (from the database %q)", cacheStatus(cached), cached.Header.Get("ETag"), fromDB.Header.Get("ETag"))
	}

	list := req{method: "GET", path: "/api/v1/categories?limit=10", token: mgr}
	first := en.do(list)
	if first.Status != 200 || cacheStatus(first) != "depotix-api; fwd=miss" {
		t.Fatalf("first read: %d, Cache-Status %q", first.Status, cacheStatus(first))
	}
	second := en.do(list)
	if cacheStatus(second) != "depotix-api; hit" {
		t.Fatalf("the same read again: Cache-Status %q, want a hit", cacheStatus(second))
	}
	if !bytes.Equal(first.Body, second.Body) || second.Header.Get("Content-Type") != first.Header.Get("Content-Type") {
		t.Fatalf("the cached answer differs:\n%s\n%s", first.Body, second.Body)
	}

	// "no-cache" asks the database.
	fresh := en.do(req{method: "GET", path: list.path, token: mgr, header: map[string]string{"Cache-Control": "no-cache"}})
	if cacheStatus(fresh) != "depotix-api; fwd=miss" {
		t.Fatalf("Cache-Control: no-cache was answered from the cache: %q", cacheStatus(fresh))
	}

	en.create(mgr, "/api/v1/categories", map[string]any{"name": "Wein"})
	after := en.do(list)
	if cacheStatus(after) == "depotix-api; hit" || !strings.Contains(string(after.Body), "Wein") {
		t.Fatalf("after a write the list was served stale (%q): %s", cacheStatus(after), after.Body)
	}

	// A refused write changes nothing and keeps the cache.
	en.do(list)
	if r := en.do(req{method: "POST", path: "/api/v1/categories", token: mgr, body: map[string]any{"name": ""}}); r.Status != 422 {
		t.Fatalf("an empty name: %d %s", r.Status, r.Body)
	}
	if r := en.do(list); cacheStatus(r) != "depotix-api; hit" {
		t.Fatalf("a refused write emptied the cache: %q", cacheStatus(r))
	}
}

func TestCachedAnswersAreKeptPerRole(t *testing.T) {
	en := newEnv(t)
	mgr, viewer := en.tokens[auth.RoleManager], en.tokens[auth.RoleViewer]
	path := "/api/v1/users?limit=10" // admins only: a viewer must be refused even after an admin's read was cached
	if r := en.do(req{method: "GET", path: path, token: en.tokens[auth.RoleAdmin]}); r.Status != 200 {
		t.Fatalf("admin lists users: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: path, token: viewer}); r.Status != 403 {
		t.Fatalf("a viewer after the admin: %d, want 403", r.Status)
	}

	en.create(mgr, "/api/v1/categories", map[string]any{"name": "Saft"})
	cats := "/api/v1/categories?limit=10"
	en.do(req{method: "GET", path: cats, token: mgr})
	if r := en.do(req{method: "GET", path: cats, token: viewer}); cacheStatus(r) == "depotix-api; hit" {
		t.Fatal("a viewer got the manager's cached answer")
	}
	if r := en.do(req{method: "GET", path: cats, token: viewer}); cacheStatus(r) != "depotix-api; hit" {
		t.Fatalf("the viewer's own second read: %q, want a hit", cacheStatus(r))
	}
}

func TestAnotherProcessesWriteEndsTheCache(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	cat, _ := en.create(mgr, "/api/v1/categories", map[string]any{"name": "Bier"})
	list := req{method: "GET", path: "/api/v1/categories?limit=10", token: mgr}
	en.do(list)
	if r := en.do(list); cacheStatus(r) != "depotix-api; hit" {
		t.Fatalf("not cached: %q", cacheStatus(r))
	}

	// Another api process renames the category and announces it.
	other := listeningFeed(t, en.pool)
	if _, err := en.pool.Exec(context.Background(), `UPDATE categories SET name = 'Lagerbier' WHERE id = $1`, cat.ID); err != nil {
		t.Fatal(err)
	}
	other.Changed(changes.Data)
	deadline := time.Now().Add(5 * time.Second)
	for {
		r := en.do(list)
		if strings.Contains(string(r.Body), "Lagerbier") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the other process's write never reached this one's cache: %s", r.Body)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNoCacheWhileTheFeedIsDeaf(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	deaf := changes.New(zap.NewNop()) // never runs: it cannot hear other processes
	en.rebuild(deaf)
	list := req{method: "GET", path: "/api/v1/categories?limit=10", token: mgr}
	en.do(list)
	if r := en.do(list); r.Header.Get("Cache-Status") != "" {
		t.Fatalf("a feed that does not listen let the cache work: %q", cacheStatus(r))
	}
}

func TestCatalogueWritesKeepTheSessionMemoAccessWritesEndIt(t *testing.T) {
	en := newEnv(t)
	clerk := en.users[auth.RoleClerk]
	tp := en.login(clerk.Email, testPassword)
	me := req{method: "GET", path: "/api/v1/me", token: tp.AccessToken}
	if r := en.do(me); r.Status != 200 {
		t.Fatalf("me: %d", r.Status)
	}
	// Revoked behind the api's back: only the memo still says active, so
	// the answers below show whether the memo was kept.
	if _, err := en.pool.Exec(context.Background(), `UPDATE sessions SET revoked_at = now() WHERE id = $1`, tp.SessionID); err != nil {
		t.Fatal(err)
	}
	en.create(en.tokens[auth.RoleManager], "/api/v1/categories", map[string]any{"name": "Spirituosen"})
	if r := en.do(me); r.Status != 200 {
		t.Fatalf("a catalogue write ended the session memo (%d): every booking would cost a session lookup", r.Status)
	}
	viewer := en.users[auth.RoleViewer]
	if r := en.do(req{method: "PATCH", path: "/api/v1/users/" + strconv.FormatInt(viewer.ID, 10), token: en.tokens[auth.RoleAdmin],
		body: map[string]any{"name": "Vera Viewer"}}); r.Status != 200 {
		t.Fatalf("rename: %d %s", r.Status, r.Body)
	}
	if r := en.do(me); r.Status != 401 {
		t.Fatalf("after a write to people and access the memo still vouched for a revoked session: %d", r.Status)
	}
}

func TestCachedListsGoOutCompressedToWhoAcceptsIt(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	for i := range 30 { // a list long enough to be worth compressing
		en.create(mgr, "/api/v1/categories", map[string]any{"name": "Kategorie " + strconv.Itoa(i)})
	}
	path := "/api/v1/categories?limit=100"
	plain := en.do(req{method: "GET", path: path, token: mgr})
	for _, tc := range []struct {
		accept string
		gzip   bool
	}{
		{"gzip", true},
		{"br;q=1.0, gzip;q=0.8, *;q=0.1", true},
		{"gzip;q=0", false},
		{"identity", false},
		{"", false},
	} {
		r := en.do(req{method: "GET", path: path, token: mgr, header: map[string]string{"Accept-Encoding": tc.accept}})
		if cacheStatus(r) != "depotix-api; hit" {
			t.Fatalf("%q: not from the cache: %q", tc.accept, cacheStatus(r))
		}
		if got := r.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
			t.Fatalf("Accept-Encoding %q: compressed %v, want %v", tc.accept, got, tc.gzip)
		}
		body := r.Body
		if tc.gzip {
			zr, err := gzip.NewReader(bytes.NewReader(r.Body))
			if err != nil {
				t.Fatal(err)
			}
			if body, err = io.ReadAll(zr); err != nil {
				t.Fatal(err)
			}
			if len(r.Body)*3 > len(body) {
				t.Fatalf("%d bytes compressed to %d", len(body), len(r.Body))
			}
		}
		if !bytes.Equal(body, plain.Body) {
			t.Fatalf("Accept-Encoding %q: the answer differs from the plain one", tc.accept)
		}
		if !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("Accept-Encoding %q: no Vary: Accept-Encoding", tc.accept)
		}
	}
}
