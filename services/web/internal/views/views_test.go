package views

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	_ "time/tzdata"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"
	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/htmlcheck"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles/rolestest"
)

// testNow is the moment test pages are made at.
var testNow = time.Date(2025, 6, 2, 9, 30, 0, 0, time.UTC)

func testPage(lang i18n.Lang, active string) Page {
	m := i18n.For(lang)
	loc, err := time.LoadLocation(format.Zone)
	if err != nil {
		panic(err)
	}
	return Page{
		Lang:    lang,
		Msg:     m,
		Title:   "Title",
		Active:  active,
		Nav:     Navigation(m, nil),
		Version: "1.4.2",
		Asset:   func(name string) string { return "/static/hashed-" + name },
		Theme:   ThemeSystem,
		CSRF:    "csrf-token-1",
		Here:    "/here?x=1",
		Fmt:     format.New(lang, loc, testNow),
	}
}

// signedInPage is a page for a signed-in person with role, holding the
// permissions the api's contract grants it.
func signedInPage(lang i18n.Lang, active string, role string) Page {
	p := testPage(lang, active)
	perms := rolestest.Of(role)
	p.Person = &Person{Name: "Anna Muster", Email: "anna@example.ch", Role: role, Perms: perms}
	p.Nav = Navigation(p.Msg, perms)
	return p
}

// renderDoc renders c, checks it against the strict CSP and parses it.
func renderDoc(t *testing.T, c templ.Component) *goquery.Document {
	t.Helper()
	var b strings.Builder
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatalf("render: %v", err)
	}
	if v := htmlcheck.Violations(b.String()); len(v) > 0 {
		t.Errorf("page breaks the CSP: %v\n%s", v, b.String())
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func text(doc *goquery.Document, testID string) string {
	return strings.Join(strings.Fields(doc.Find(`[data-testid="`+testID+`"]`).Text()), " ")
}

func TestLayout(t *testing.T) {
	tests := []struct {
		lang     i18n.Lang
		wantNav  string
		wantSkip string
	}{
		{i18n.English, "Overview", "Skip to content"},
		{i18n.German, "Übersicht", "Zum Inhalt springen"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			doc := renderDoc(t, Home(testPage(tt.lang, NavHome), nil))
			if got, _ := doc.Find("html").Attr("lang"); got != string(tt.lang) {
				t.Errorf("html lang = %q, want %q", got, tt.lang)
			}
			// Signing in first, the system status below it.
			if doc.Find(`[data-testid="login"] ~ [data-testid="status-panel"]`).Length() != 1 ||
				doc.Find(`[data-testid="login-form"] input[name="_csrf"]`).Length() != 1 {
				t.Error("the home page should offer the sign-in form (with CSRF) before the system status")
			}
			if got := text(doc, "nav-home"); got != tt.wantNav {
				t.Errorf("nav-home = %q, want %q", got, tt.wantNav)
			}
			if got, _ := doc.Find(`[data-testid="nav-home"]`).Attr("aria-current"); got != "page" {
				t.Errorf("active nav item aria-current = %q, want page", got)
			}
			if got := doc.Find(".skip-link").Text(); got != tt.wantSkip {
				t.Errorf("skip link = %q, want %q", got, tt.wantSkip)
			}
			if got := text(doc, "footer-version"); got != "1.4.2" {
				t.Errorf("footer version = %q", got)
			}
			if got := doc.Find("title").Text(); got != "Title · Depotix" {
				t.Errorf("title = %q", got)
			}
			css, _ := doc.Find(`link[rel="stylesheet"]`).Attr("href")
			icon, _ := doc.Find(`link[rel="icon"]`).Attr("href")
			js, _ := doc.Find(`script[type="module"]`).Attr("src")
			if diff := cmp.Diff([]string{"/static/hashed-app.css", "/static/hashed-favicon.svg", "/static/hashed-app.js"}, []string{css, icon, js}); diff != "" {
				t.Errorf("asset links (-want +got):\n%s", diff)
			}
			for _, id := range []string{"site-header", "nav", "main", "site-footer"} {
				if doc.Find(`[data-testid="`+id+`"]`).Length() != 1 {
					t.Errorf("no single element with data-testid %q", id)
				}
			}
		})
	}
}

func TestNavigationFromList(t *testing.T) {
	p := testPage(i18n.English, "b")
	p.Nav = []NavItem{{ID: "a", Href: "/a", Label: "A"}, {ID: "b", Href: "/b", Label: "B"}}
	doc := renderDoc(t, Layout(p))
	var got []string
	doc.Find(`[data-testid="nav"] a`).Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		current, _ := s.Attr("aria-current")
		got = append(got, href+" "+s.Text()+" "+current)
	})
	want := []string{"/a A ", "/b B page"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("nav (-want +got):\n%s", diff)
	}
}

func TestStatusRows(t *testing.T) {
	en := i18n.For(i18n.English)
	tests := []struct {
		name string
		r    apiclient.Readiness
		err  error
		want []StatusRow
	}{
		{
			name: "ready",
			r:    apiclient.Readiness{Ok: true, Database: "ready", SchemaVersion: 4, ExpectedSchemaVersion: 4, Version: "1.0.0"},
			want: []StatusRow{
				{TestID: "status-api", Status: "ok", State: "reachable", Text: "api: reachable", Detail: "api version 1.0.0"},
				{TestID: "status-database", Status: "ok", State: "ready", Text: "database: ready"},
				{TestID: "status-schema", Status: "ok", State: "current", Text: "schema version: 4", Detail: "expected 4"},
			},
		},
		{
			name: "database unreachable",
			r: apiclient.Readiness{Database: "unreachable", ExpectedSchemaVersion: 4,
				Reason: ptr("dial tcp 10.0.0.5:5432: connect: connection refused")},
			want: []StatusRow{
				{TestID: "status-api", Status: "ok", State: "reachable", Text: "api: reachable"},
				{TestID: "status-database", Status: "bad", State: "unreachable", Text: "database: unreachable",
					Detail: "reason: dial tcp 10.0.0.5:5432: connect: connection refused"},
				{TestID: "status-schema", Status: "bad", State: "mismatch", Text: "schema version: 0", Detail: "expected 4"},
			},
		},
		{
			name: "schema outdated",
			r: apiclient.Readiness{Database: "schema_outdated", SchemaVersion: 3, ExpectedSchemaVersion: 4,
				Reason: ptr("run api migrate up"), Version: "1.0.0"},
			want: []StatusRow{
				{TestID: "status-api", Status: "ok", State: "reachable", Text: "api: reachable", Detail: "api version 1.0.0"},
				{TestID: "status-database", Status: "bad", State: "schema_outdated", Text: "database: schema_outdated",
					Detail: "reason: run api migrate up"},
				{TestID: "status-schema", Status: "bad", State: "mismatch", Text: "schema version: 3", Detail: "expected 4"},
			},
		},
		{
			name: "not ready for another reason",
			r:    apiclient.Readiness{Database: "ready", SchemaVersion: 4, ExpectedSchemaVersion: 4, Reason: ptr("warming up")},
			want: []StatusRow{
				{TestID: "status-api", Status: "ok", State: "reachable", Text: "api: reachable"},
				{TestID: "status-database", Status: "bad", State: "not_ready", Text: "database: not ready", Detail: "reason: warming up"},
				{TestID: "status-schema", Status: "ok", State: "current", Text: "schema version: 4", Detail: "expected 4"},
			},
		},
		{
			name: "api unreachable",
			err:  &apiclient.CallError{Kind: apiclient.KindRefused, Op: "GET /readyz", Err: errors.New("dial tcp: connection refused")},
			want: []StatusRow{
				{TestID: "status-api", Status: "bad", State: "refused", Text: "api: unreachable",
					Detail: "connection refused: nothing listens at the api address"},
				{TestID: "status-database", Status: "unknown", State: "unknown", Text: "database: unknown"},
				{TestID: "status-schema", Status: "unknown", State: "unknown", Text: "schema version: unknown"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, StatusRows(en, tt.r, tt.err)); diff != "" {
				t.Errorf("StatusRows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestStatusPanel(t *testing.T) {
	p := testPage(i18n.German, NavHome)
	rows := StatusRows(p.Msg, apiclient.Readiness{}, &apiclient.CallError{Kind: apiclient.KindTimeout, Err: errors.New("x")})
	doc := renderDoc(t, StatusPanel(p, rows))
	if got := doc.Find("h2").Text(); got != "Systemstatus" {
		t.Errorf("heading = %q", got)
	}
	row := doc.Find(`[data-testid="status-api"]`)
	if got, _ := row.Attr("data-state"); got != "timeout" {
		t.Errorf("api row data-state = %q, want timeout", got)
	}
	if got := text(doc, "status-api-text"); got != "API: nicht erreichbar" {
		t.Errorf("api row text = %q", got)
	}
	if got := text(doc, "status-api-detail"); !strings.HasPrefix(got, "Zeitüberschreitung") {
		t.Errorf("api row detail = %q", got)
	}
	if got := text(doc, "status-database-text"); got != "Datenbank: unbekannt" {
		t.Errorf("database row text = %q", got)
	}
	if n := doc.Find(`[data-testid="status-database-detail"]`).Length(); n != 0 {
		t.Errorf("database row has a detail without one to show")
	}
}

func TestErrorPage(t *testing.T) {
	tests := []struct {
		name      string
		lang      i18n.Lang
		status    int
		requestID string
		wantTitle string
	}{
		{"404", i18n.English, 404, "abc-1", "Page not found"},
		{"500 de", i18n.German, 500, "abc-2", "Etwas ist schiefgelaufen"},
		{"no id", i18n.English, 500, "", "Something went wrong"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testPage(tt.lang, "")
			doc := renderDoc(t, ErrorPage(p, tt.status, p.Msg.Error(tt.status), tt.requestID))
			got := []string{text(doc, "error-status"), text(doc, "error-title"), text(doc, "request-id")}
			want := []string{strconv.Itoa(tt.status), tt.wantTitle, tt.requestID}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("status, title, request id (-want +got):\n%s", diff)
			}
			if n := doc.Find(`[aria-current]`).Length(); n != 0 {
				t.Errorf("an error page marks %d navigation items as current", n)
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }
