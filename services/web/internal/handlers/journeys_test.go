package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestSignIn(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)

	login := b.get("/login")
	if login.status != 200 || !login.has("login-form") {
		t.Fatalf("GET /login = %d", login.status)
	}
	if _, ok := b.cookies[cookieCSRF]; !ok {
		t.Fatal("the sign-in page set no pre-session CSRF cookie")
	}
	r := b.post("/login", url.Values{"email": {" " + annaEmail + " "}, "password": {annaPassword}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/" {
		t.Fatalf("POST /login = %d → %q, want 303 → /", r.status, r.header.Get("Location"))
	}
	var sessionCookie *http.Cookie
	for _, c := range (&http.Response{Header: r.header}).Cookies() {
		if c.Name == cookieSession {
			sessionCookie = c
		}
	}
	if sessionCookie == nil {
		t.Fatal("no session cookie")
	}
	if !sessionCookie.HttpOnly || !sessionCookie.Secure || sessionCookie.SameSite != http.SameSiteLaxMode || sessionCookie.Path != "/" {
		t.Errorf("session cookie flags: HttpOnly %t Secure %t SameSite %v Path %q",
			sessionCookie.HttpOnly, sessionCookie.Secure, sessionCookie.SameSite, sessionCookie.Path)
	}
	for _, leak := range []string{"access-", "dpr_", "anna"} {
		if strings.Contains(sessionCookie.Value, leak) {
			t.Errorf("session cookie shows %q in clear", leak)
		}
	}
	if got := b.cookies[cookieLang].Value; got != "en" {
		t.Errorf("dpx_lang after sign-in = %q, want the person's language", got)
	}

	// A page the shared fake api serves (the dashboard at / has its own).
	home := b.get("/profile")
	if home.status != http.StatusOK {
		t.Fatalf("GET /profile signed in = %d", home.status)
	}
	if got := home.text("account-name"); got != "Account: Anna Muster" {
		t.Errorf("account menu = %q", got)
	}
	// The clerk's navigation, built from the role.
	if !home.has("nav-items") || home.has("nav-users") || home.has("nav-audit") {
		t.Error("navigation does not follow the clerk's role")
	}
	// A signed-in person on /login goes on.
	if r := b.get("/login?next=/profile"); r.status != http.StatusSeeOther || r.header.Get("Location") != "/profile" {
		t.Errorf("GET /login signed in = %d → %q", r.status, r.header.Get("Location"))
	}
	// The api saw the browser's address, not web's.
	if got := api.bodiesOf("POST /api/v1/auth/login")[0]["email"]; got != annaEmail {
		t.Errorf("api got email %q, want it trimmed", got)
	}
}

func TestSignInFailures(t *testing.T) {
	tests := []struct {
		name       string
		email      string
		password   string
		throttle   int
		lang       string
		wantStatus int
		wantError  string
		wantFields map[string]string
		wantRetry  string
	}{
		{name: "wrong password", email: annaEmail, password: "nope", wantStatus: 401,
			wantError: "Email or password is wrong."},
		{name: "wrong password, German", email: annaEmail, password: "nope", lang: "de-CH", wantStatus: 401,
			wantError: "E-Mail oder Passwort ist falsch."},
		{name: "throttled", email: annaEmail, password: annaPassword, throttle: 17, wantStatus: 429,
			wantError: "Too many failed attempts. Try again in 17 s.", wantRetry: "17"},
		{name: "throttled, German", email: annaEmail, password: "x", throttle: 4, lang: "de", wantStatus: 429,
			wantError: "Zu viele Fehlversuche. Versuchen Sie es in 4 s erneut.", wantRetry: "4"},
		{name: "missing password", email: annaEmail, password: "", wantStatus: 422,
			wantError:  "Please check the marked fields.",
			wantFields: map[string]string{"error-login-password": "Enter this to sign in."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			api.throttle = tt.throttle
			w := startWeb(t, api, 2*time.Second)
			b := newBrowser(t, w)
			b.lang = tt.lang
			b.get("/login")
			r := b.post("/login", url.Values{"email": {tt.email}, "password": {tt.password}})
			if r.status != tt.wantStatus {
				t.Fatalf("status = %d, want %d\n%s", r.status, tt.wantStatus, r.body)
			}
			if got := r.text("login-error"); got != tt.wantError {
				t.Errorf("error = %q, want %q", got, tt.wantError)
			}
			for id, want := range tt.wantFields {
				if got := r.text(id); got != want {
					t.Errorf("%s = %q, want %q", id, got, want)
				}
			}
			if got := r.header.Get("Retry-After"); got != tt.wantRetry {
				t.Errorf("Retry-After = %q, want %q", got, tt.wantRetry)
			}
			if v, _ := r.doc.Find("#login-email").Attr("value"); v != tt.email {
				t.Errorf("email not kept: %q", v)
			}
			if strings.Contains(r.body, tt.password) && tt.password != "" && tt.password != "x" {
				t.Error("the password came back in the page")
			}
			if _, ok := b.cookies[cookieSession]; ok {
				t.Error("a failed sign-in set a session cookie")
			}
		})
	}
}

func TestSignInAPIDown(t *testing.T) {
	w := startWeb(t, nil, time.Second)
	b := newBrowser(t, w)
	b.lang = "de"
	b.get("/login")
	r := b.post("/login", url.Values{"email": {annaEmail}, "password": {annaPassword}})
	if r.status != http.StatusServiceUnavailable {
		t.Fatalf("status = %d, want 503", r.status)
	}
	if got := r.text("error-title"); got != "Depotix ist gerade nicht erreichbar" {
		t.Errorf("title = %q", got)
	}
}

func TestRedirectToLoginAndBack(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)

	r := b.get("/profile?tab=tokens")
	want := "/login?next=%2Fprofile%3Ftab%3Dtokens"
	if r.status != http.StatusSeeOther || r.header.Get("Location") != want {
		t.Fatalf("GET /profile signed out = %d → %q, want 303 → %q", r.status, r.header.Get("Location"), want)
	}
	login := b.get(want)
	next, _ := login.doc.Find(`[data-testid="login-form"] input[name="next"]`).Attr("value")
	if next != "/profile?tab=tokens" {
		t.Fatalf("login form next = %q", next)
	}
	if got := login.text("login-notice"); got != "Please sign in to continue." {
		t.Errorf("notice = %q", got)
	}
	r = b.post("/login", url.Values{"email": {annaEmail}, "password": {annaPassword}, "next": {next}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/profile?tab=tokens" {
		t.Fatalf("after sign-in → %q, want the page asked for", r.header.Get("Location"))
	}
	if p := b.get("/profile?tab=tokens"); p.status != 200 || p.text("profile-email") != annaEmail {
		t.Errorf("profile after sign-in = %d", p.status)
	}
}

// TestNoOpenRedirect: next is honoured only for local paths.
func TestNoOpenRedirect(t *testing.T) {
	for _, next := range []string{"https://evil.example/", "//evil.example/x", "/\\evil.example", "/%0d%0aSet-Cookie:x",
		"javascript:alert(1)", "evil.example", "/login?next=/x", "/prefs/theme"} {
		api := newFakeAPI()
		w := startWeb(t, api, 2*time.Second)
		b := newBrowser(t, w)
		b.get("/login")
		r := b.post("/login", url.Values{"email": {annaEmail}, "password": {annaPassword}, "next": {next}})
		if loc := r.header.Get("Location"); loc != "/" && !(next == "/%0d%0aSet-Cookie:x" && loc == next) {
			t.Errorf("next %q → Location %q, want /", next, loc)
		}
	}
	tests := map[string]string{
		"/items?q=a b":          "/items?q=a b",
		"/items#frag":           "/items",
		"":                      "/",
		"/ok/\x00":              "/",
		"https://x.example/":    "/",
		"/logout":               "/",
		"/login?next=%2Fitems":  "/login?next=%2Fitems",
		"/%2F%2Fevil.example/x": "/%2F%2Fevil.example/x",
	}
	for in, want := range tests {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTransparentRefresh(t *testing.T) {
	api := newFakeAPI()
	api.accessTTL = 30 // inside the 60 s margin: the next request refreshes
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	before := b.cookies[cookieSession].Value

	r := b.get("/profile")
	if r.status != 200 {
		t.Fatalf("GET /profile = %d\n%s", r.status, r.body)
	}
	if n := api.callCount("POST /api/v1/auth/refresh"); n != 1 {
		t.Fatalf("refreshes = %d, want 1", n)
	}
	after := b.cookies[cookieSession].Value
	if after == before {
		t.Error("the session cookie was not rewritten with the new tokens")
	}
	// The page's own calls used the new access token, not the old one.
	api.mu.Lock()
	last := api.bearers[len(api.bearers)-1]
	api.mu.Unlock()
	if last != "Bearer access-2" {
		t.Errorf("api calls after refresh use %q, want the new token", last)
	}
	// The refresh keeps the CSRF secret: a form rendered before still posts.
	if p := b.post("/profile/sessions/revoke-others", nil); p.status != http.StatusSeeOther {
		t.Errorf("form after refresh = %d, want 303", p.status)
	}
}

func TestExpiredRefreshGoesToLogin(t *testing.T) {
	api := newFakeAPI()
	api.accessTTL = 30
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	api.revokeAll() // signed out elsewhere: the refresh token is dead

	r := b.get("/profile")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fprofile" {
		t.Fatalf("GET /profile = %d → %q, want 303 → /login?next=%%2Fprofile", r.status, r.header.Get("Location"))
	}
	if _, ok := b.cookies[cookieSession]; ok {
		t.Error("the dead session's cookie was kept")
	}
	login := b.get("/login?next=%2Fprofile")
	if got := login.text("flash"); got != "Your session has ended. Please sign in again." {
		t.Errorf("flash = %q", got)
	}
	// The flash is shown once.
	if b.get("/login").has("flash") {
		t.Error("the flash is shown twice")
	}
}

// TestMidPage401 covers an access token the api stops accepting while the
// cookie still looks fresh: the page's own call answers 401.
func TestMidPage401(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	api.expireAccess()

	r := b.get("/profile")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fprofile" {
		t.Fatalf("GET /profile = %d → %q", r.status, r.header.Get("Location"))
	}
	if _, ok := b.cookies[cookieSession]; ok {
		t.Error("session cookie kept after the api refused its token")
	}
}

func TestCSRF(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/profile")
	valid := b.csrf

	tests := []struct {
		name   string
		form   url.Values
		header map[string]string
	}{
		{"no token", url.Values{"name": {"x"}, "scope": {"read"}, "expires_in_days": {"30"}}, nil},
		{"wrong token", url.Values{"_csrf": {"AAAA"}, "name": {"x"}, "scope": {"read"}, "expires_in_days": {"30"}}, nil},
		{"other site (Sec-Fetch-Site)", url.Values{"_csrf": {valid}, "name": {"x"}, "scope": {"read"}, "expires_in_days": {"30"}},
			map[string]string{"Sec-Fetch-Site": "cross-site"}},
		{"other origin", url.Values{"_csrf": {valid}, "name": {"x"}, "scope": {"read"}, "expires_in_days": {"30"}},
			map[string]string{"Origin": "https://evil.example"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := b.do(http.MethodPost, "/profile/tokens", tt.form, tt.header)
			if r.status != http.StatusForbidden {
				t.Fatalf("status = %d, want 403", r.status)
			}
			if got := r.text("error-title"); got != "Form expired" {
				t.Errorf("title = %q", got)
			}
		})
	}
	if n := api.callCount("POST /api/v1/tokens"); n != 0 {
		t.Errorf("the api created %d tokens from refused forms", n)
	}
	// The same form with its token and from this site goes through.
	r := b.do(http.MethodPost, "/profile/tokens", url.Values{"_csrf": {valid}, "name": {"x"}, "scope": {"read"}, "expires_in_days": {"30"}},
		map[string]string{"Sec-Fetch-Site": "same-origin"})
	if r.status != http.StatusSeeOther {
		t.Errorf("valid form = %d, want 303", r.status)
	}
	// A token of another visitor's secret is refused.
	other := newBrowser(t, w)
	other.get("/login")
	if r := other.post("/login", url.Values{"_csrf": {valid}, "email": {annaEmail}, "password": {annaPassword}}); r.status != http.StatusForbidden {
		t.Errorf("another browser's token = %d, want 403", r.status)
	}
	// The sign-in form itself needs its token.
	if r := other.do(http.MethodPost, "/login", url.Values{"email": {annaEmail}, "password": {annaPassword}}, nil); r.status != http.StatusForbidden {
		t.Errorf("sign-in without token = %d, want 403", r.status)
	}
}

func TestLanguageSwitch(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)

	// Signed out: the cookie decides, over Accept-Language.
	b := newBrowser(t, w)
	b.lang = "en-US"
	b.get("/login")
	r := b.post("/prefs/language", url.Values{"lang": {"de"}, "next": {"/login?next=%2Fitems"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login?next=%2Fitems" {
		t.Fatalf("switch = %d → %q", r.status, r.header.Get("Location"))
	}
	if got := b.cookies[cookieLang]; got == nil || got.Value != "de" || !got.HttpOnly || got.MaxAge < 300*24*3600 {
		t.Fatalf("dpx_lang cookie = %+v", got)
	}
	p := b.get("/login")
	if lang, _ := p.doc.Find("html").Attr("lang"); lang != "de" || p.text("login-submit") != "Anmelden" {
		t.Errorf("page after switch: lang %q, submit %q", lang, p.text("login-submit"))
	}
	if n := api.callCount("PATCH /api/v1/me"); n != 0 {
		t.Errorf("signed out, the profile was patched %d times", n)
	}
	if r := b.post("/prefs/language", url.Values{"lang": {"fr"}}); r.status != http.StatusBadRequest {
		t.Errorf("unknown language = %d, want 400", r.status)
	}

	// Signed in: also stored in the profile.
	b2 := newBrowser(t, w)
	b2.signIn()
	b2.get("/profile")
	r = b2.post("/prefs/language", url.Values{"lang": {"de"}, "next": {"/profile"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("switch signed in = %d", r.status)
	}
	if diff := cmp.Diff([]map[string]any{{"language": "de"}}, api.bodiesOf("PATCH /api/v1/me")); diff != "" {
		t.Errorf("profile update (-want +got):\n%s", diff)
	}
	if got := b2.get("/profile").text("details-submit"); got != "Angaben speichern" {
		t.Errorf("profile after switch = %q", got)
	}
}

func TestThemeCookie(t *testing.T) {
	w := startWeb(t, newFakeAPI(), 2*time.Second)
	b := newBrowser(t, w)
	if th, _ := b.get("/").doc.Find("html").Attr("data-theme"); th != "system" {
		t.Errorf("default theme = %q", th)
	}
	r := b.post("/prefs/theme", url.Values{"theme": {"dark"}, "next": {"/"}})
	if r.status != http.StatusSeeOther || b.cookies[cookieTheme] == nil || b.cookies[cookieTheme].Value != "dark" {
		t.Fatalf("theme switch = %d, cookie %+v", r.status, b.cookies[cookieTheme])
	}
	p := b.get("/")
	if th, _ := p.doc.Find("html").Attr("data-theme"); th != "dark" {
		t.Errorf("data-theme = %q, want dark", th)
	}
	if v, _ := p.doc.Find(`[data-testid="theme-dark"]`).Attr("aria-pressed"); v != "true" {
		t.Errorf("dark button aria-pressed = %q", v)
	}
	if r := b.post("/prefs/theme", url.Values{"theme": {"purple"}}); r.status != http.StatusBadRequest {
		t.Errorf("unknown theme = %d, want 400", r.status)
	}
	// A forged cookie value falls back to system.
	b.cookies[cookieTheme].Value = `dark><script>`
	if th, _ := b.get("/").doc.Find("html").Attr("data-theme"); th != "system" {
		t.Errorf("forged theme cookie gives %q", th)
	}
}

func TestProfilePasswordErrors(t *testing.T) {
	tests := []struct {
		name      string
		lang      string
		form      url.Values
		wantField string
		wantText  string
		wantCalls int
	}{
		{"wrong current password", "", url.Values{"current_password": {"wrong"}, "new_password": {"a new long password"}, "repeat_password": {"a new long password"}},
			"error-password-current_password", "The current password is wrong.", 1},
		{"wrong current password, German", "de", url.Values{"current_password": {"wrong"}, "new_password": {"a new long password"}, "repeat_password": {"a new long password"}},
			"error-password-current_password", "Das aktuelle Passwort ist falsch.", 1},
		{"policy, beside the new password", "", url.Values{"current_password": {annaPassword}, "new_password": {"short"}, "repeat_password": {"short"}},
			"error-password-new_password", "Use at least 10 characters.", 1},
		{"repeat differs, checked here", "", url.Values{"current_password": {annaPassword}, "new_password": {"a new long password"}, "repeat_password": {"another"}},
			"error-password-repeat_password", "The two new passwords differ.", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			w := startWeb(t, api, 2*time.Second)
			b := newBrowser(t, w)
			b.lang = tt.lang
			b.signIn()
			if tt.lang == "de" {
				b.cookies[cookieLang].Value = "de"
			}
			b.get("/profile")
			r := b.post("/profile/password", tt.form)
			if r.status != http.StatusUnprocessableEntity {
				t.Fatalf("status = %d, want 422\n%s", r.status, r.body)
			}
			if got := r.text(tt.wantField); got != tt.wantText {
				t.Errorf("%s = %q, want %q", tt.wantField, got, tt.wantText)
			}
			input := r.doc.Find("#" + strings.TrimPrefix(tt.wantField, "error-"))
			if v, _ := input.Attr("aria-invalid"); v != "true" {
				t.Error("the field is not marked invalid")
			}
			if v, _ := input.Attr("value"); v != "" {
				t.Error("a password came back into the page")
			}
			if n := api.callCount("POST /api/v1/me/password"); n != tt.wantCalls {
				t.Errorf("api password calls = %d, want %d", n, tt.wantCalls)
			}
			// The rest of the page is still there.
			if !r.has("profile-sessions") || !r.has("profile-tokens") {
				t.Error("the re-rendered profile lacks its other sections")
			}
		})
	}

	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/profile")
	r := b.post("/profile/password", url.Values{"current_password": {annaPassword}, "new_password": {"a new long password"}, "repeat_password": {"a new long password"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/profile" {
		t.Fatalf("password change = %d → %q", r.status, r.header.Get("Location"))
	}
	if got := b.get("/profile").text("flash"); got != "Your password is changed. Your other sessions are signed out." {
		t.Errorf("flash = %q", got)
	}
}

func TestTokenShownOnce(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	p := b.get("/profile")
	key, _ := p.doc.Find(`[data-testid="token-form"] input[name="_idempotency_key"]`).Attr("value")
	if len(key) != 36 {
		t.Fatalf("idempotency key = %q, want a UUID", key)
	}
	form := url.Values{"name": {"scanner"}, "scope": {"write"}, "expires_in_days": {"90"}, "_idempotency_key": {key}}
	r := b.post("/profile/tokens", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/profile#tokens" {
		t.Fatalf("create = %d → %q", r.status, r.header.Get("Location"))
	}
	if strings.Contains(r.header.Get("Set-Cookie"), "dpx_secret") {
		t.Error("the secret is readable in the flash cookie")
	}
	shown := b.get("/profile")
	if got, _ := shown.doc.Find(`[data-testid="new-token-value"]`).Attr("value"); got != "dpx_secret_2" {
		t.Fatalf("new token = %q, want dpx_secret_2", got)
	}
	if !strings.Contains(shown.text("new-token"), "«scanner»") {
		t.Errorf("reveal does not name the token: %q", shown.text("new-token"))
	}
	if again := b.get("/profile"); again.has("new-token") || strings.Contains(again.body, "dpx_secret_2") {
		t.Error("the token is shown a second time")
	}
	if !b.get("/profile").has("token-2") {
		t.Error("the new token is not listed")
	}

	// A double submit (same key) creates one token.
	b.post("/profile/tokens", form)
	if n := len(api.tokens); n != 1 {
		t.Errorf("tokens after a double submit = %d, want 1", n)
	}

	// The same key with other values is refused by the api: said so, nothing created.
	r = b.post("/profile/tokens", url.Values{"name": {"other"}, "scope": {"read"}, "expires_in_days": {"30"}, "_idempotency_key": {key}})
	if r.status != http.StatusConflict || !strings.HasPrefix(r.text("token-error"), "Someone else changed") {
		t.Errorf("reused key = %d %q, want 409 with the conflict message", r.status, r.text("token-error"))
	}

	// Refused values: errors beside the fields, values kept, a new key.
	fresh, _ := r.doc.Find(`[data-testid="token-form"] input[name="_idempotency_key"]`).Attr("value")
	r = b.post("/profile/tokens", url.Values{"name": {""}, "scope": {"read"}, "expires_in_days": {"9999"}, "_idempotency_key": {fresh}})
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad token form = %d", r.status)
	}
	if got := r.text("error-token-expires_in_days"); got != "Enter a value from 1 to 730." {
		t.Errorf("validity error = %q", got)
	}
	if got := r.text("error-token-name"); got != "This field is required." {
		t.Errorf("name error = %q", got)
	}
	if v, _ := r.doc.Find("#token-expires_in_days option[selected]").Attr("value"); v != "" {
		t.Errorf("an offered validity is selected for the refused 9999: %q", v)
	}
	if newKey, _ := r.doc.Find(`[data-testid="token-form"] input[name="_idempotency_key"]`).Attr("value"); newKey == fresh || newKey == "" {
		t.Errorf("re-rendered form keeps the key %q", newKey)
	}

	// Revoke.
	r = b.post("/profile/tokens/2/revoke", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("revoke = %d", r.status)
	}
	if p := b.get("/profile"); p.has("token-2") || p.text("flash") != "The token is revoked." {
		t.Errorf("after revoke: listed %t, flash %q", p.has("token-2"), p.text("flash"))
	}
	if r := b.post("/profile/tokens/abc/revoke", nil); r.status != http.StatusNotFound {
		t.Errorf("revoke of a non-id = %d, want 404", r.status)
	}
}

func TestSessionsOnProfile(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	other := newBrowser(t, w)
	other.signIn()
	b := newBrowser(t, w)
	b.signIn()

	p := b.get("/profile")
	if n := p.doc.Find(`[data-testid^="session-"][data-current="true"]`).Length(); n != 1 {
		t.Fatalf("%d sessions marked current", n)
	}
	r := b.post("/profile/sessions/revoke-others", nil)
	if r.status != http.StatusSeeOther {
		t.Fatalf("revoke others = %d", r.status)
	}
	p = b.get("/profile")
	if got := p.text("flash"); got != "1 other sessions are signed out." {
		t.Errorf("flash = %q", got)
	}
	if !p.has("no-other-sessions") {
		t.Error("other sessions still offered")
	}
	if r := b.post("/profile/sessions/not-a-uuid/revoke", nil); r.status != http.StatusNotFound {
		t.Errorf("revoke of a non-uuid = %d, want 404", r.status)
	}
}

func TestProfileDetails(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	p := b.get("/profile")
	version, _ := p.doc.Find(`[data-testid="details-form"] input[name="version"]`).Attr("value")

	r := b.post("/profile", url.Values{"name": {"Anna B."}, "language": {"de"}, "version": {version}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", r.status, r.body)
	}
	p = b.get("/profile")
	if got := p.text("flash"); got != "Ihre Angaben sind gespeichert." {
		t.Errorf("flash = %q, want it in the new language", got)
	}
	if got := p.text("account-name"); got != "Konto: Anna B." {
		t.Errorf("account menu after rename = %q", got)
	}

	// A stale version is reported, the typed values kept.
	r = b.post("/profile", url.Values{"name": {"Someone Else"}, "language": {"de"}, "version": {version}})
	if r.status != http.StatusConflict {
		t.Fatalf("stale save = %d, want 409", r.status)
	}
	if got := r.text("details-error"); !strings.HasPrefix(got, "Jemand anderes hat diesen Datensatz") {
		t.Errorf("stale error = %q", got)
	}
	if v, _ := r.doc.Find("#details-name").Attr("value"); v != "Someone Else" {
		t.Errorf("typed name not kept: %q", v)
	}
	// An empty name: the api's message beside the field.
	r = b.post("/profile", url.Values{"name": {""}, "language": {"de"}})
	if got := r.text("error-details-name"); got != "Dieses Feld ist erforderlich." {
		t.Errorf("name error = %q", got)
	}
}

func TestLogout(t *testing.T) {
	api := newFakeAPI()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/profile")
	r := b.post("/logout", nil)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/login" {
		t.Fatalf("logout = %d → %q", r.status, r.header.Get("Location"))
	}
	if n := api.callCount("POST /api/v1/auth/logout"); n != 1 {
		t.Errorf("api logouts = %d", n)
	}
	if _, ok := b.cookies[cookieSession]; ok {
		t.Error("session cookie kept")
	}
	if got := b.get("/login").text("flash"); got != "You are signed out." {
		t.Errorf("flash = %q", got)
	}
	if r := b.get("/profile"); r.status != http.StatusSeeOther {
		t.Errorf("profile after logout = %d", r.status)
	}
}

func TestAPIUnavailable(t *testing.T) {
	tests := []struct {
		name     string
		breakAPI func(w *testWeb, api *fakeAPI)
	}{
		{"down", func(w *testWeb, _ *fakeAPI) { w.api.Close() }},
		{"too slow", func(_ *testWeb, api *fakeAPI) { api.set(func(a *fakeAPI) { a.delay = 2 * time.Second }) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := newFakeAPI()
			w := startWeb(t, api, 300*time.Millisecond)
			b := newBrowser(t, w)
			b.signIn()
			b.cookies[cookieLang].Value = "de"
			tt.breakAPI(w, api)
			r := b.get("/profile")
			if r.status != http.StatusServiceUnavailable {
				t.Fatalf("status = %d, want 503\n%s", r.status, r.body)
			}
			if got := r.text("error-title"); got != "Depotix ist gerade nicht erreichbar" {
				t.Errorf("title = %q", got)
			}
			if href, _ := r.doc.Find(`[data-testid="error-retry"]`).Attr("href"); href != "/profile" {
				t.Errorf("retry = %q", href)
			}
			for _, leak := range []string{"127.0.0.1", "dial tcp", "deadline", "goroutine", "GET /api"} {
				if strings.Contains(r.body, leak) {
					t.Errorf("page shows internals: %q", leak)
				}
			}
			if r.text("request-id") == "" {
				t.Error("no request id to quote")
			}
			// Still signed in: the session is not thrown away for an outage.
			if _, ok := b.cookies[cookieSession]; !ok {
				t.Error("the outage signed the person out")
			}
		})
	}
}

func TestForbiddenFromAPI(t *testing.T) {
	api := newFakeAPI()
	api.forbid["GET /api/v1/tokens"] = true
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	r := b.get("/profile")
	if r.status != http.StatusForbidden {
		t.Fatalf("status = %d, want 403", r.status)
	}
	if got := r.text("error-title"); got != "Not permitted" {
		t.Errorf("title = %q", got)
	}
}

func TestMethodNotAllowed(t *testing.T) {
	w := startWeb(t, newFakeAPI(), 2*time.Second)
	b := newBrowser(t, w)
	b.get("/login")
	r := b.post("/", nil)
	if r.status != http.StatusMethodNotAllowed || r.text("error-title") != "Not allowed here" {
		t.Errorf("POST / = %d %q, want 405", r.status, r.text("error-title"))
	}
}
