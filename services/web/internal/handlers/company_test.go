package handlers

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakePNG is what the fake api stores as the logo.
var fakePNG = []byte("\x89PNG\r\n\x1a\nfake")

// companyAPI adds the company profile, its logo and file 5 to fakeAPI.
type companyAPI struct {
	*fakeAPI

	cmu     sync.Mutex
	profile map[string]any
	version int
	puts    []map[string]any
	ifMatch []string
	logo    []byte
}

func newCompanyAPI(role string) *companyAPI {
	a := newFakeAPI()
	a.user.Role = role
	return &companyAPI{fakeAPI: a, version: 1, profile: map[string]any{
		"name": "", "street": "", "building_number": "", "postal_code": "", "town": "", "country": "CH",
		"vat_number": "", "iban": "", "bank_name": "", "payment_terms_days": 30, "invoice_footer": "",
		"invoice_prefix": "RE", "credit_note_prefix": "GS", "currency": "CHF", "deposits_taxable": false}}
}

func (a *companyAPI) answer(w http.ResponseWriter) {
	p := map[string]any{}
	for k, v := range a.profile {
		p[k] = v
	}
	p["version"], p["updated_at"] = a.version, "2026-12-01T10:00:00Z"
	missing := []string{}
	for _, f := range []string{"name", "postal_code", "town", "iban"} {
		if p[f] == "" {
			missing = append(missing, f)
		}
	}
	p["missing_for_qr_bill"] = missing
	if a.logo != nil {
		p["logo"] = map[string]any{"id": 5, "content_type": "image/png", "size": len(a.logo), "name": "logo.png",
			"sha256": "abc", "url": "/api/v1/files/5"}
	}
	w.Header().Set("ETag", `"`+itoa(a.version)+`"`)
	writeJSON(w, 200, p)
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func (a *companyAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/api/v1/company" && r.URL.Path != "/api/v1/company/logo" && !strings.HasPrefix(r.URL.Path, "/api/v1/files/") {
		a.fakeAPI.ServeHTTP(w, r)
		return
	}
	a.fakeAPI.mu.Lock()
	ok := a.fakeAPI.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	role := a.fakeAPI.user.Role
	a.fakeAPI.mu.Unlock()
	if !ok {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	a.cmu.Lock()
	defer a.cmu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/api/v1/company":
		a.answer(w)
	case r.Method == http.MethodPut && role != "admin", r.Method == http.MethodPost && role != "admin":
		apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
	case r.Method == http.MethodPut:
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		a.puts = append(a.puts, body)
		a.ifMatch = append(a.ifMatch, r.Header.Get("If-Match"))
		if strings.Contains(body["iban"].(string), "9999") {
			apiError(w, 422, "validation_failed", "Check the marked fields.", map[string]problem{
				"iban": prob("invalid_iban", "must be a Swiss IBAN", "reason", "checksum")})
			return
		}
		a.profile = body
		a.version++
		a.answer(w)
	case r.Method == http.MethodPost:
		mr, err := r.MultipartReader()
		if err != nil {
			apiError(w, 400, "bad_request", "Not multipart.", nil)
			return
		}
		part, err := mr.NextPart()
		if err != nil || part.FormName() != "file" {
			apiError(w, 422, "validation_failed", "Check the marked fields.", map[string]problem{"file": prob("required", "is required")})
			return
		}
		content, _ := io.ReadAll(part)
		if !bytes.HasPrefix(content, []byte("\x89PNG")) {
			apiError(w, 422, "validation_failed", "Check the marked fields.", map[string]problem{
				"file": prob("unsupported_file_type", "must be a PNG, JPEG or WebP picture", "allowed", "PNG, JPEG, WebP")})
			return
		}
		a.logo = content
		a.version++
		a.answer(w)
	case r.URL.Path == "/api/v1/files/5" && a.logo != nil:
		h := w.Header()
		h.Set("ETag", `"abc"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
		h.Set("Cache-Control", "private, no-cache")
		if r.Header.Get("If-None-Match") == `"abc"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "image/png")
		h.Set("Content-Disposition", `inline; filename="logo.png"; filename*=UTF-8''logo.png`)
		_, _ = w.Write(a.logo)
	default:
		apiError(w, 404, "not_found", "No such file.", nil)
	}
}

func profileForm(iban string) url.Values {
	return url.Values{"version": {`"1"`}, "name": {"Getränke Müller GmbH"}, "street": {"Industriestrasse"},
		"building_number": {"7a"}, "postal_code": {"8400"}, "town": {"Winterthur"}, "country": {"CH"},
		"vat_number": {""}, "iban": {iban}, "bank_name": {"ZKB"}, "payment_terms_days": {"30"},
		"invoice_footer": {"Danke!"}, "invoice_prefix": {"RE"}, "credit_note_prefix": {"GS"}, "currency": {"CHF"},
		"deposits_taxable": {"1"}}
}

func TestCompanyPage(t *testing.T) {
	api := newCompanyAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()

	p := b.get("/settings/company")
	if p.status != http.StatusOK || !p.has("company-form") || !p.has("nav-company") || !p.has("company-logo-none") {
		t.Fatalf("page = %d\n%s", p.status, p.body)
	}
	if got := p.text("company-missing"); !strings.Contains(got, "Company name") || !strings.Contains(got, "IBAN or QR-IBAN") {
		t.Errorf("missing list = %q", got)
	}
	if !p.has("required-company-country") || p.has("required-company-name") {
		t.Error("only what the api requires is marked required")
	}

	// A bad IBAN comes back beside its field, in German, the values kept.
	b.post("/prefs/language", url.Values{"lang": {"de"}, "next": {"/settings/company"}})
	b.get("/settings/company")
	r := b.post("/settings/company", profileForm("CH44 9999 9123 0008 8901 3"))
	if r.status != http.StatusUnprocessableEntity {
		t.Fatalf("bad IBAN = %d", r.status)
	}
	if got := r.text("error-company-iban"); !strings.Contains(got, "IBAN") || !strings.Contains(got, "Prüfziffer") {
		t.Errorf("IBAN message = %q", got)
	}
	if !r.has("summary-company-iban") || r.doc.Find("#company-town").AttrOr("value", "") != "Winterthur" {
		t.Error("the summary links the IBAN and the values are kept")
	}

	b.post("/prefs/language", url.Values{"lang": {"en"}, "next": {"/settings/company"}})
	b.get("/settings/company")
	r = b.post("/settings/company", profileForm("CH44 3199 9123 0008 8901 2"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings/company" {
		t.Fatalf("save = %d %s", r.status, r.body)
	}
	api.cmu.Lock()
	last, ifMatch := api.puts[len(api.puts)-1], api.ifMatch[len(api.ifMatch)-1]
	api.cmu.Unlock()
	if last["deposits_taxable"] != true || last["payment_terms_days"] != float64(30) || ifMatch != `"1"` {
		t.Errorf("sent %v with If-Match %s", last, ifMatch)
	}
	if p := b.get("/settings/company"); !p.has("company-complete") {
		t.Error("a complete profile says so")
	}
	// A number that is no number is caught before the api.
	bad := profileForm("CH44 3199 9123 0008 8901 2")
	bad.Set("payment_terms_days", "thirty")
	if r := b.post("/settings/company", bad); r.status != http.StatusUnprocessableEntity || !r.has("error-company-payment_terms_days") {
		t.Errorf("terms = %d", r.status)
	}
}

func TestCompanyLogoUploadAndFile(t *testing.T) {
	api := newCompanyAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/settings/company")

	r := b.postFile("/settings/company/logo", map[string]string{"version": `"1"`}, `<svg xmlns="http://www.w3.org/2000/svg"/>`)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text("error-logo-file"), "PNG, JPEG, WebP") {
		t.Fatalf("svg = %d %q", r.status, r.text("error-logo-file"))
	}
	if r := b.postFile("/settings/company/logo", nil, ""); r.status != http.StatusUnprocessableEntity || r.text("error-logo-file") != "Choose a picture file." {
		t.Errorf("no file = %d %q", r.status, r.text("error-logo-file"))
	}
	r = b.postFile("/settings/company/logo", map[string]string{"version": `"1"`}, string(fakePNG))
	if r.status != http.StatusSeeOther {
		t.Fatalf("png = %d %s", r.status, r.body)
	}
	p := b.get("/settings/company")
	if src := p.doc.Find(`[data-testid="company-logo"]`).AttrOr("src", ""); src != "/files/5" {
		t.Fatalf("logo src = %q", src)
	}

	f := b.get("/files/5")
	if f.status != 200 || !bytes.Equal([]byte(f.body), fakePNG) {
		t.Fatalf("file = %d %q", f.status, f.body)
	}
	for k, v := range map[string]string{"Content-Type": "image/png", "X-Content-Type-Options": "nosniff",
		"Content-Security-Policy": "default-src 'none'; sandbox", "ETag": `"abc"`,
		"Content-Disposition": `inline; filename="logo.png"; filename*=UTF-8''logo.png`} {
		if got := f.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if nm := b.do(http.MethodGet, "/files/5", nil, map[string]string{"If-None-Match": `"abc"`}); nm.status != http.StatusNotModified || nm.body != "" {
		t.Errorf("If-None-Match = %d", nm.status)
	}
	if nf := b.get("/files/6"); nf.status != http.StatusNotFound {
		t.Errorf("missing file = %d", nf.status)
	}
}

func TestCompanyPageIsForAdmins(t *testing.T) {
	api := newCompanyAPI("clerk")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	if p := b.get("/settings/company"); p.status != http.StatusForbidden {
		t.Errorf("clerk = %d", p.status)
	}
	if p := b.get("/"); p.has("nav-company") {
		t.Error("a clerk's navigation offers the company page")
	}
}
