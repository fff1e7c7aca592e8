package views

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles/rolestest"
)

func attr(doc *goquery.Document, selector, name string) string {
	v, _ := doc.Find(selector).Attr(name)
	return v
}

func byTestID(id string) string { return `[data-testid="` + id + `"]` }

// TestNavigationByRole: the navigation offers only what the role may read,
// as the api decides it.
func TestNavigationByRole(t *testing.T) {
	m := i18n.For(i18n.English)
	business := []string{"home", "items", "movements", "stock", "journal", "orders", "invoices", "categories", "suppliers", "customers", "locations"}
	tests := []struct {
		role string
		want []string
	}{
		{"", []string{"home"}},
		{"viewer", business},
		{"clerk", business},
		{"manager", append(append([]string{}, business...), "audit")},
		{"admin", append(append([]string{}, business...), "users", "company", "audit")},
	}
	for _, tt := range tests {
		var got []string
		for _, item := range Navigation(m, rolestest.Of(tt.role)) {
			got = append(got, item.ID)
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("role %q (-want +got):\n%s", tt.role, diff)
		}
	}
	for _, item := range Navigation(i18n.For(i18n.German), rolestest.Of("admin")) {
		if item.Label == "" || !strings.HasPrefix(item.Href, "/") {
			t.Errorf("entry %+v has no label or no local href", item)
		}
	}
}

func TestLayoutSignedInAndOut(t *testing.T) {
	out := renderDoc(t, Layout(testPage(i18n.English, "")))
	if out.Find(byTestID("account-menu")).Length() != 0 {
		t.Error("signed-out page shows an account menu")
	}
	if got := attr(out, byTestID("sign-in-link"), "href"); got != "/login" {
		t.Errorf("sign-in link = %q", got)
	}

	in := renderDoc(t, Layout(signedInPage(i18n.German, NavProfile, "clerk")))
	if in.Find(byTestID("sign-in-link")).Length() != 0 {
		t.Error("signed-in page offers to sign in")
	}
	got := []string{text(in, "account-name"), text(in, "account-email"), text(in, "account-role")}
	want := []string{"Konto: Anna Muster", "anna@example.ch", "Sachbearbeiter/in"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("account menu (-want +got):\n%s", diff)
	}
	if got := attr(in, byTestID("nav-profile"), "aria-current"); got != "page" {
		t.Errorf("profile link aria-current = %q on the profile page", got)
	}
	signOut := in.Find(byTestID("sign-out")).Closest("form")
	if a, _ := signOut.Attr("action"); a != "/logout" {
		t.Errorf("sign out posts to %q", a)
	}
	if in.Find(byTestID("nav-users")).Length() != 0 {
		t.Error("a clerk sees the users page in the navigation")
	}
}

func TestSwitches(t *testing.T) {
	for _, theme := range []string{ThemeLight, ThemeDark, ThemeSystem, "bogus"} {
		p := testPage(i18n.German, "")
		p.Theme = theme
		doc := renderDoc(t, Layout(p))
		want := theme
		if theme == "bogus" {
			want = ThemeSystem
		}
		if got := attr(doc, "html", "data-theme"); got != want {
			t.Errorf("theme %q: html data-theme = %q, want %q", theme, got, want)
		}
		for _, th := range []string{ThemeLight, ThemeDark, ThemeSystem} {
			pressed := attr(doc, byTestID("theme-"+th), "aria-pressed")
			if (pressed == "true") != (th == want) {
				t.Errorf("theme %q: button %s aria-pressed = %q", theme, th, pressed)
			}
		}
	}

	doc := renderDoc(t, Layout(testPage(i18n.German, "")))
	if attr(doc, byTestID("language-de"), "aria-pressed") != "true" || attr(doc, byTestID("language-en"), "aria-pressed") != "false" {
		t.Error("the German button is not the pressed one on a German page")
	}
	if got := attr(doc, byTestID("language-en"), "lang"); got != "en" {
		t.Errorf("English button lang = %q: a button names its language in that language", got)
	}
	// Its accessible name starts with what it shows (WCAG 2.5.3): no
	// aria-label replaces the visible "EN".
	en := doc.Find(byTestID("language-en"))
	if _, labelled := en.Attr("aria-label"); labelled || strings.Join(strings.Fields(en.Text()), " ") != "EN English" ||
		en.Find(".visually-hidden").Text() != " English" {
		t.Errorf("English button: text %q, aria-label set %v; want EN shown and named \"EN English\"", en.Text(), labelled)
	}
	for _, id := range []string{"language-switch", "theme-switch"} {
		form := doc.Find(byTestID(id))
		if next, _ := form.Find(`input[name="next"]`).Attr("value"); next != "/here?x=1" {
			t.Errorf("%s comes back to %q, want the page itself", id, next)
		}
	}
}

// TestEveryPostFormHasCSRF renders every page of this package and checks
// each POST form carries the page's CSRF token.
func TestEveryPostFormHasCSRF(t *testing.T) {
	p := signedInPage(i18n.English, NavProfile, "admin")
	pages := map[string]*goquery.Document{
		"layout":  renderDoc(t, Layout(p)),
		"login":   renderDoc(t, Login(testPage(i18n.English, ""), LoginView{Next: "/items"})),
		"profile": renderDoc(t, Profile(p, sampleProfile())),
		"error":   renderDoc(t, ErrorPage(p, 503, p.Msg.Unavailable, "r1")),
	}
	for name, doc := range pages {
		forms := doc.Find(`form`)
		if forms.Length() == 0 {
			t.Errorf("%s: no forms", name)
		}
		forms.Each(func(_ int, f *goquery.Selection) {
			action, _ := f.Attr("action")
			if method, _ := f.Attr("method"); method != "post" {
				t.Errorf("%s: form %s has method %q; every form here posts", name, action, method)
			}
			if got, _ := f.Find(`input[type="hidden"][name="_csrf"]`).Attr("value"); got != p.CSRF {
				t.Errorf("%s: form %s has CSRF %q, want %q", name, action, got, p.CSRF)
			}
		})
	}
}

func TestFlashMessage(t *testing.T) {
	tests := []struct {
		flash    *Flash
		wantRole string
	}{
		{&Flash{Kind: FlashSuccess, Text: "Saved."}, "status"},
		{&Flash{Kind: FlashInfo, Text: "Signed out."}, "status"},
		{&Flash{Kind: FlashError, Text: "Failed."}, "alert"},
	}
	for _, tt := range tests {
		p := testPage(i18n.English, "")
		p.Flash = tt.flash
		doc := renderDoc(t, Layout(p))
		if got := text(doc, "flash"); got != tt.flash.Text {
			t.Errorf("flash text = %q, want %q", got, tt.flash.Text)
		}
		if got := attr(doc, byTestID("flash"), "role"); got != tt.wantRole {
			t.Errorf("%s flash role = %q, want %q", tt.flash.Kind, got, tt.wantRole)
		}
	}
	p := testPage(i18n.English, "")
	p.Flash = &Flash{Kind: FlashSuccess, Reveal: &Reveal{Name: "x", Secret: "dpx_secret"}}
	doc := renderDoc(t, Layout(p))
	if doc.Find(byTestID("flash")).Length() != 0 || strings.Contains(doc.Text(), "dpx_secret") {
		t.Error("the layout shows a flash without text, or a revealed secret")
	}
}

func TestField(t *testing.T) {
	f := Form{
		Values: map[string]string{"email": "anna@example.ch", "password": "hunter2"},
		Errors: map[string]string{"email": "Enter an email."},
	}
	d := renderDoc(t, Field(f, FieldSpec{Form: "login", Name: "email", Label: "Email", Type: "email", Required: true,
		Hint: "Your work address.", Autocomplete: "username"}))
	input := d.Find("input#login-email")
	checks := map[string]string{"name": "email", "type": "email", "value": "anna@example.ch",
		"aria-invalid": "true", "aria-describedby": "login-email-hint login-email-error", "autocomplete": "username"}
	for name, want := range checks {
		if got, _ := input.Attr(name); got != want {
			t.Errorf("input %s = %q, want %q", name, got, want)
		}
	}
	if _, ok := input.Attr("required"); !ok {
		t.Error("required field without required attribute")
	}
	if got := attr(d, "label", "for"); got != "login-email" {
		t.Errorf("label for = %q: the label is not tied to its input", got)
	}
	if got := text(d, "error-login-email"); got != "Enter an email." {
		t.Errorf("error beside field = %q", got)
	}
	if got := attr(d, "#login-email-error", "data-testid"); got != "error-login-email" {
		t.Errorf("error element id/testid mismatch: %q", got)
	}

	pw := renderDoc(t, Field(f, FieldSpec{Form: "login", Name: "password", Label: "Password", Type: "password"}))
	if v, ok := pw.Find("input").Attr("value"); ok && v != "" {
		t.Errorf("password field renders its value %q", v)
	}
	if _, ok := pw.Find("input").Attr("aria-invalid"); ok {
		t.Error("field without error is marked invalid")
	}
	if _, ok := pw.Find("input").Attr("aria-describedby"); ok {
		t.Error("field without hint or error has aria-describedby")
	}

	sel := renderDoc(t, SelectField(Form{Values: map[string]string{"scope": "write"}}, FieldSpec{Form: "token", Name: "scope", Label: "Access",
		Options: []Option{{"read", "Read only"}, {"write", "Read and write"}}}))
	if got := sel.Find("option[selected]").AttrOr("value", ""); got != "write" {
		t.Errorf("selected option = %q, want write", got)
	}
}

func TestPager(t *testing.T) {
	next := "c2"
	total := 1234
	more := 10001
	q := url.Values{"q": {"cola light"}, "category_id": {"3"}, "cursor": {"c1"}}
	tests := []struct {
		name  string
		query url.Values
		next  *string
		total *int
		want  Pager
	}{
		{"middle page", q, &next, &total, Pager{
			First: "/items?category_id=3&q=cola+light", Next: "/items?category_id=3&cursor=c2&q=cola+light",
			Total: 1234, Counted: true}},
		{"first page, no more", url.Values{"q": {"x"}}, nil, &total, Pager{Total: 1234, Counted: true}},
		{"more than counted", url.Values{}, &next, &more, Pager{Next: "/items?cursor=c2", Total: 10000, More: true, Counted: true}},
		{"no total", url.Values{}, nil, nil, Pager{}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, NewPager("/items", tt.query, tt.next, tt.total)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.name, diff)
		}
	}

	doc := renderDoc(t, Pagination(testPage(i18n.German, ""), NewPager("/items", q, &next, &more)))
	if got := text(doc, "pager-count"); got != "mehr als 10’000 Treffer" {
		t.Errorf("count = %q", got)
	}
	if got := attr(doc, byTestID("pager-next"), "href"); got != "/items?category_id=3&cursor=c2&q=cola+light" {
		t.Errorf("next href = %q", got)
	}
	if got := attr(doc, byTestID("pager-first"), "href"); got != "/items?category_id=3&q=cola+light" {
		t.Errorf("first href = %q", got)
	}
	// One result is counted in the singular.
	one := 1
	for lang, want := range map[i18n.Lang]string{i18n.English: "1 result", i18n.German: "1 Treffer"} {
		doc := renderDoc(t, Pagination(testPage(lang, ""), NewPager("/items", url.Values{}, nil, &one)))
		if got := text(doc, "pager-count"); got != want {
			t.Errorf("%s: count of one = %q, want %q", lang, got, want)
		}
	}
}

func TestLoginPage(t *testing.T) {
	f := Form{Values: map[string]string{"email": "anna@example.ch"}, Error: "E-Mail oder Passwort ist falsch."}
	doc := renderDoc(t, Login(testPage(i18n.German, ""), LoginView{Form: f, Next: "/items?q=x", Notice: "Bitte melden Sie sich an, um fortzufahren."}))
	if got := text(doc, "login-error"); got != f.Error {
		t.Errorf("error = %q", got)
	}
	if got := attr(doc, byTestID("login-error-summary"), "role"); got != "alert" {
		t.Errorf("error summary role = %q", got)
	}
	if got := text(doc, "login-notice"); got == "" {
		t.Error("no notice")
	}
	if got := attr(doc, "#login-email", "value"); got != "anna@example.ch" {
		t.Errorf("email kept = %q", got)
	}
	if got := attr(doc, `[data-testid="login-form"] input[name="next"]`, "value"); got != "/items?q=x" {
		t.Errorf("next = %q", got)
	}
	if got := attr(doc, "#login-password", "autocomplete"); got != "current-password" {
		t.Errorf("password autocomplete = %q", got)
	}
	if got := text(doc, "login-submit"); got != "Anmelden" {
		t.Errorf("submit = %q", got)
	}
}

func sampleProfile() ProfileView {
	last := time.Date(2025, 6, 1, 18, 0, 0, 0, time.UTC)
	return ProfileView{
		Name: "Anna Muster", Email: "anna@example.ch", Role: "clerk", Language: "de", Version: `"3"`,
		Details:  Form{Values: map[string]string{"name": "Anna Muster", "language": "de"}},
		NewToken: Form{Values: map[string]string{"scope": "read", "expires_in_days": "90"}, IdempotencyKey: "key-1"},
		Sessions: []SessionRow{
			{ID: "s-this", Device: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1", Address: "192.0.2.1", Created: testNow.Add(-time.Hour),
				LastUsed: testNow, Expires: testNow.Add(720 * time.Hour), Current: true},
			{ID: "s-other", Created: last, LastUsed: last, Expires: testNow.Add(24 * time.Hour)},
		},
		Tokens: []TokenRow{
			{ID: 4, Name: "scanner", Scope: "read", Prefix: "dpx_abcdefgh", Created: last, Expires: testNow.Add(90 * 24 * time.Hour)},
			{ID: 5, Name: "erp", Scope: "write", Prefix: "dpx_12345678", Created: last, Expires: testNow.Add(24 * time.Hour), LastUsed: &last},
		},
	}
}

func TestProfilePage(t *testing.T) {
	p := signedInPage(i18n.German, NavProfile, "clerk")
	v := sampleProfile()
	v.Reveal = &Reveal{Name: "erp", Secret: "dpx_supersecret"}
	v.Password = Form{Errors: map[string]string{"current_password": "Das aktuelle Passwort ist falsch."}, Error: "Bitte prüfen Sie die markierten Felder."}
	doc := renderDoc(t, Profile(p, v))

	if got := attr(doc, byTestID("session-s-this"), "data-current"); got != "true" {
		t.Errorf("this session data-current = %q", got)
	}
	// The device by browser and system; the browser's own words only as a tooltip.
	if got := text(doc, "session-device-s-this"); got != "Safari auf iPhone" {
		t.Errorf("session device = %q", got)
	}
	if got := attr(doc, byTestID("session-device-s-this"), "title"); !strings.HasPrefix(got, "Der Browser beschreibt sich als: Mozilla/5.0 (iPhone;") {
		t.Errorf("session device tooltip = %q", got)
	}
	if got := text(doc, "this-session"); got != "diese Sitzung" {
		t.Errorf("this-session tag = %q", got)
	}
	if doc.Find(byTestID("revoke-session-s-this")).Length() != 0 {
		t.Error("the current session offers to sign itself out")
	}
	if doc.Find(byTestID("revoke-session-s-other")).Length() != 1 || doc.Find(byTestID("revoke-others")).Length() != 1 {
		t.Error("another session cannot be signed out")
	}
	// Times in Zurich, "yesterday" by the Zurich calendar: 18:00 UTC is 20:00.
	if !strings.Contains(text(doc, "session-s-other"), "gestern 20:00") {
		t.Errorf("other session = %q, want its last use as gestern 20:00", text(doc, "session-s-other"))
	}

	if got := attr(doc, byTestID("new-token-value"), "value"); got != "dpx_supersecret" {
		t.Errorf("new token value = %q", got)
	}
	copyButton := doc.Find(byTestID("copy-token"))
	if _, hidden := copyButton.Attr("hidden"); !hidden {
		t.Error("copy button is visible without script")
	}
	if got, _ := copyButton.Attr("data-copy"); got != "new-token-value" {
		t.Errorf("copy button copies %q", got)
	}
	if got := text(doc, "revoke-token-5"); got != "Widerrufen…" {
		t.Errorf("revoke summary = %q", got)
	}
	confirm := doc.Find(byTestID("revoke-token-confirm-5")).Closest("form")
	if a, _ := confirm.Attr("action"); a != "/profile/tokens/5/revoke" {
		t.Errorf("revoke posts to %q", a)
	}
	if !strings.Contains(confirm.Parent().Text(), "«erp» widerrufen?") {
		t.Errorf("confirmation does not name the token: %q", confirm.Parent().Text())
	}
	if got := attr(doc, `[data-testid="token-form"] input[name="_idempotency_key"]`, "value"); got != "key-1" {
		t.Errorf("token form idempotency key = %q", got)
	}
	if got := text(doc, "error-password-current_password"); got != "Das aktuelle Passwort ist falsch." {
		t.Errorf("password error beside field = %q", got)
	}
	if got := attr(doc, `[data-testid="details-form"] input[name="version"]`, "value"); got != `"3"` {
		t.Errorf("details version = %q", got)
	}
	if got := text(doc, "profile-role"); got != "Sachbearbeiter/in" {
		t.Errorf("role = %q", got)
	}

	// Only this session: nothing to sign out elsewhere.
	v.Sessions = v.Sessions[:1]
	v.Tokens = nil
	v.Reveal = nil
	doc = renderDoc(t, Profile(p, v))
	if doc.Find(byTestID("revoke-others")).Length() != 0 || text(doc, "no-other-sessions") == "" {
		t.Error("sign out elsewhere offered with no other session")
	}
	if text(doc, "no-tokens") == "" || doc.Find(byTestID("new-token")).Length() != 0 {
		t.Error("empty token list not said, or a token revealed without one")
	}
}

func TestUnavailablePage(t *testing.T) {
	p := testPage(i18n.German, "")
	doc := renderDoc(t, ErrorPage(p, 503, p.Msg.Error(503), "req-9"))
	if got := text(doc, "error-title"); got != "Depotix ist gerade nicht erreichbar" {
		t.Errorf("title = %q", got)
	}
	if got := attr(doc, byTestID("error-retry"), "href"); got != "/here?x=1" {
		t.Errorf("retry link = %q, want the page itself", got)
	}
	p404 := renderDoc(t, ErrorPage(p, 404, p.Msg.Error(404), ""))
	if p404.Find(byTestID("error-retry")).Length() != 0 {
		t.Error("a 404 offers to try again")
	}
}
