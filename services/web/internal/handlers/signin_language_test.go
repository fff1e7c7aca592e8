package handlers

import (
	"net/http"
	"testing"
	"time"
)

// Signing in names the language the sign-in page was shown in, so that a
// person without a language of their own (the first admin without
// ADMIN_LANGUAGE) keeps the browser's: Accept-Language, or the language
// switch's choice, which wins.
func TestSignInNamesTheBrowsersLanguage(t *testing.T) {
	for _, c := range []struct {
		accept, cookie, want string
	}{
		{accept: "de-CH,de;q=0.9,en;q=0.5", want: "de"},
		{accept: "en-GB,en;q=0.9", want: "en"},
		{accept: "de-CH", cookie: "en", want: "en"},
	} {
		api := newFakeAPI()
		w := startWeb(t, api, 2*time.Second)
		b := newBrowser(t, w)
		b.lang = c.accept
		if c.cookie != "" {
			b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: c.cookie}
		}
		b.signIn()
		bodies := api.bodiesOf("POST /api/v1/auth/login")
		if len(bodies) != 1 || bodies[0]["language"] != c.want {
			t.Errorf("Accept-Language %q, cookie %q: sign-in sent %v, want language %q", c.accept, c.cookie, bodies, c.want)
		}
	}
}
