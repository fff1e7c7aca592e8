package handlers

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// browser is a minimal browser for handler tests: it keeps cookies (the
// web's are Secure, which a cookie jar would not send to an http:// test
// server), does not follow redirects, and posts forms with the CSRF token
// of the last page it saw.
type browser struct {
	t       *testing.T
	web     *testWeb
	cookies map[string]*http.Cookie
	csrf    string
	lang    string
}

func newBrowser(t *testing.T, w *testWeb) *browser {
	return &browser{t: t, web: w, cookies: map[string]*http.Cookie{}}
}

type page struct {
	response
	doc *goquery.Document
}

func (b *browser) do(method, path string, form url.Values, header map[string]string) page {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.web.url+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if b.lang != "" {
		req.Header.Set("Accept-Language", b.lang)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		if c.MaxAge < 0 || c.Value == "" {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	p := page{response: response{status: resp.StatusCode, header: resp.Header, body: string(raw)}}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		p.doc = pageDoc(b.t, p.response)
		if tok, ok := p.doc.Find(`input[name="_csrf"]`).Attr("value"); ok {
			b.csrf = tok
		}
	}
	return p
}

func (b *browser) get(path string) page {
	b.t.Helper()
	return b.do(http.MethodGet, path, nil, nil)
}

// post sends form with the last page's CSRF token (unless form has one).
func (b *browser) post(path string, form url.Values) page {
	b.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	if _, ok := form["_csrf"]; !ok {
		form.Set("_csrf", b.csrf)
	}
	return b.do(http.MethodPost, path, form, nil)
}

// signIn signs in as Anna through the real form.
func (b *browser) signIn() {
	b.t.Helper()
	b.get("/login")
	r := b.post("/login", url.Values{"email": {annaEmail}, "password": {annaPassword}})
	if r.status != http.StatusSeeOther {
		b.t.Fatalf("sign-in = %d, want 303\n%s", r.status, r.body)
	}
}

func (p page) text(testID string) string {
	return textOf(p.doc, testID)
}

func (p page) has(testID string) bool {
	return p.doc != nil && p.doc.Find(`[data-testid="`+testID+`"]`).Length() > 0
}
