package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/bench/load"
)

// fakeWeb imitates the web's sign-in: the form page sets the CSRF cookie
// and carries the token (HTML-escaped), the post checks both and sets the
// session cookie, and pages need that cookie (else 303 to /login).
func fakeWeb(t *testing.T) *httptest.Server {
	t.Helper()
	const token = "tok&1"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet && r.URL.Path == "/login":
			http.SetCookie(w, &http.Cookie{Name: "dpx_csrf", Value: "secret"})
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<form method="post"><input type="hidden" name="_csrf" value="tok&amp;1"/><input name="email"/></form>`))
		case r.Method == http.MethodPost && r.URL.Path == "/login":
			ck, err := r.Cookie("dpx_csrf")
			if err != nil || ck.Value != "secret" || r.FormValue("_csrf") != token {
				http.Error(w, "form expired", http.StatusForbidden)
				return
			}
			if r.FormValue("email") != "a@b.ch" || r.FormValue("password") != "pw" {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			http.SetCookie(w, &http.Cookie{Name: "dpx_csrf", MaxAge: -1})
			http.SetCookie(w, &http.Cookie{Name: "dpx_session", Value: "sealed"})
			http.Redirect(w, r, "/", http.StatusSeeOther)
		default:
			if ck, err := r.Cookie("dpx_session"); err != nil || ck.Value != "sealed" {
				http.Redirect(w, r, "/login?next="+r.URL.Path, http.StatusSeeOther)
				return
			}
			if r.URL.Path == "/gone" {
				http.NotFound(w, r)
				return
			}
			w.Write([]byte("<html>" + r.URL.RequestURI() + "</html>"))
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWebClient(t *testing.T) {
	srv := fakeWeb(t)
	ctx := context.Background()
	client, err := load.NewClient(2, nil) // the benchmark's own: it never follows redirects
	if err != nil {
		t.Fatal(err)
	}
	c := newWebClient(client, srv.URL)
	if err := c.signIn(ctx, "a@b.ch", "pw"); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.cookies["dpx_csrf"]; ok {
		t.Error("the deleted CSRF cookie is still sent")
	}
	op := c.page(fixed("/items?q=cola"))
	if out := op(ctx, 0, 0); out.Err != nil || out.Status != 200 {
		t.Errorf("page = %+v", out)
	}
	if out := c.page(fixed("/gone"))(ctx, 0, 0); out.Err == nil || out.Status != 404 {
		t.Errorf("missing page = %+v, want an error", out)
	}

	// Without a session a page is a redirect to sign in: an error.
	anon := newWebClient(client, srv.URL)
	out := anon.page(fixed("/items"))(ctx, 0, 0)
	if out.Err == nil || !strings.Contains(out.Err.Error(), "/login") {
		t.Errorf("anonymous page = %+v, want an error naming the sign-in redirect", out)
	}
	if err := newWebClient(client, srv.URL).signIn(ctx, "a@b.ch", "wrong"); err == nil {
		t.Error("a refused sign-in passed")
	}
}

func TestWebPages(t *testing.T) {
	pages := webPages([]string{"pinot noir", "7610"}, []int64{5, 9})
	names := map[string]bool{}
	for _, p := range pages {
		if names[p.name] {
			t.Errorf("two pages named %q", p.name)
		}
		names[p.name] = true
		if path := p.paths(0, 0); !strings.HasPrefix(path, "/") {
			t.Errorf("%s: path %q", p.name, path)
		}
	}
	var search, detail []string
	for _, p := range pages {
		switch {
		case strings.Contains(p.name, "search"):
			search = []string{p.paths(0, 0), p.paths(0, 1)}
		case strings.Contains(p.name, "detail"):
			detail = []string{p.paths(0, 0), p.paths(0, 1)}
		}
	}
	if diff := cmp.Diff([]string{"/items?q=pinot+noir", "/items?q=7610"}, search); diff != "" {
		t.Errorf("search paths (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"/items/5", "/items/9"}, detail); diff != "" {
		t.Errorf("detail paths (-want +got):\n%s", diff)
	}
	for _, want := range []string{"page: dashboard /", "page: items list /items", "page: stock /stock", "page: journal /journal"} {
		if !names[want] {
			t.Errorf("no page %q", want)
		}
	}
}

func TestSpreadItems(t *testing.T) {
	ids := []int64{1, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	if got := spreadItems(ids, 3); !cmp.Equal(got, []int64{1, 3, 6}) {
		t.Errorf("spreadItems = %v", got)
	}
	if got := spreadItems([]int64{4}, 64); !cmp.Equal(got, []int64{4}) {
		t.Errorf("one item = %v", got)
	}
}

func TestPagePass(t *testing.T) {
	row := pageRowNotMeasured("page: x", 4, context.DeadlineExceeded)
	if row.Verdict() != "FAIL" || !strings.HasPrefix(row.Note, "not measured") || row.Target != "p95 ≤ 50 ms" {
		t.Errorf("row = %+v", row)
	}
}
