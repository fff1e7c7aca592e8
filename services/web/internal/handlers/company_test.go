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

	"github.com/google/uuid"
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
	// keys are the Idempotency-Keys of the uploads, deletes the If-Match
	// of each removal.
	keys    []string
	deletes []string
}

// testFileLimit is the web's FILE_MAX_BYTES in these tests: far above
// their 1 KiB body limit.
const testFileLimit = 8 << 10

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
	case r.Method != http.MethodGet && role != "admin":
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
	case r.Method == http.MethodDelete && r.URL.Path == "/api/v1/company/logo":
		a.deletes = append(a.deletes, r.Header.Get("If-Match"))
		if m := r.Header.Get("If-Match"); m != "" && m != `"`+itoa(a.version)+`"` {
			apiError(w, 412, "precondition_failed", "Changed meanwhile.", nil)
			return
		}
		if a.logo != nil {
			a.logo = nil
			a.version++
		}
		a.answer(w)
	case r.Method == http.MethodPost:
		a.keys = append(a.keys, r.Header.Get("Idempotency-Key"))
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

	// The form carries an Idempotency-Key, which the upload sends on.
	key := p.doc.Find(`[data-testid="logo-form"] input[name="_idempotency_key"]`).AttrOr("value", "")
	api.cmu.Lock()
	sent := api.keys[len(api.keys)-1]
	api.cmu.Unlock()
	if _, err := uuid.Parse(key); err != nil || sent == "" {
		t.Errorf("the logo form's key %q, the upload's %q", key, sent)
	}
	r = b.postFile("/settings/company/logo", map[string]string{"version": `"2"`, "_idempotency_key": key}, string(fakePNG))
	api.cmu.Lock()
	sent = api.keys[len(api.keys)-1]
	api.cmu.Unlock()
	if r.status != http.StatusSeeOther || sent != key {
		t.Errorf("upload with the form's key = %d, sent %q, want %q", r.status, sent, key)
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

// A logo larger than the general body limit but within FILE_MAX_BYTES is
// taken; a larger one shows the logo form again, saying how large a logo
// may be, instead of "form expired"; only the logo's route takes more.
func TestCompanyLogoSizes(t *testing.T) {
	api := newCompanyAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/settings/company")

	large := string(fakePNG) + strings.Repeat("x", 4<<10) // 4 KiB: above the 1 KiB body limit
	if r := b.postFile("/settings/company/logo", map[string]string{"version": `"1"`}, large); r.status != http.StatusSeeOther {
		t.Fatalf("a logo above the body limit = %d %s", r.status, r.body)
	}
	api.cmu.Lock()
	stored := len(api.logo)
	api.cmu.Unlock()
	if stored != len(large) {
		t.Errorf("the api got %d bytes, want %d", stored, len(large))
	}

	// Too large for the route, by Content-Length or while read (chunked).
	huge := string(fakePNG) + strings.Repeat("x", testFileLimit+multipartOverhead)
	for _, chunked := range []bool{false, true} {
		r := b.postFileChunked("/settings/company/logo", map[string]string{"version": `"2"`}, huge, chunked)
		if r.status != http.StatusRequestEntityTooLarge || !r.has("logo-form") {
			t.Fatalf("chunked %v: too large = %d\n%s", chunked, r.status, r.body)
		}
		if got := r.text("error-logo-file"); got != "This file is too large: a logo may have at most 8 KB." {
			t.Errorf("chunked %v: message %q", chunked, got)
		}
	}
	api.cmu.Lock()
	uploads := len(api.keys)
	api.cmu.Unlock()
	if uploads != 1 {
		t.Errorf("%d uploads reached the api, want only the first", uploads)
	}

	// Another route keeps the general limit: its form is "too much data".
	if r := b.postFileChunked("/import/items", nil, large, true); r.status != http.StatusRequestEntityTooLarge || r.has("logo-form") {
		t.Errorf("a CSV of 4 KiB = %d", r.status)
	}
}

func TestCompanyLogoRemove(t *testing.T) {
	api := newCompanyAPI("admin")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	if p := b.get("/settings/company"); p.has("logo-remove") {
		t.Error("without a logo there is nothing to remove")
	}
	if r := b.postFile("/settings/company/logo", map[string]string{"version": `"1"`}, string(fakePNG)); r.status != http.StatusSeeOther {
		t.Fatalf("upload = %d", r.status)
	}
	p := b.get("/settings/company")
	if !p.has("logo-remove") || p.doc.Find(`[data-testid="logo-remove-form"] input[name="version"]`).AttrOr("value", "") != `"2"` {
		t.Fatalf("the remove button and its version:\n%s", p.body)
	}
	// A stale page: the logo stays, the page says it changed meanwhile.
	if r := b.post("/settings/company/logo/remove", url.Values{"version": {`"1"`}}); r.status != http.StatusConflict || !r.has("logo-error") {
		t.Errorf("stale remove = %d", r.status)
	}
	r := b.post("/settings/company/logo/remove", url.Values{"version": {`"2"`}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/settings/company" {
		t.Fatalf("remove = %d %s", r.status, r.body)
	}
	p = b.get("/settings/company")
	if !p.has("company-logo-none") || p.has("logo-remove") || !strings.Contains(p.body, "The logo was removed") {
		t.Errorf("after the removal:\n%s", p.body)
	}
	api.cmu.Lock()
	deletes := api.deletes
	api.cmu.Unlock()
	if len(deletes) != 2 || deletes[1] != `"2"` {
		t.Errorf("removals sent with If-Match %q", deletes)
	}
}

func TestCompanyLogoRemoveIsForAdmins(t *testing.T) {
	api := newCompanyAPI("manager")
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.get("/")
	if r := b.post("/settings/company/logo/remove", url.Values{"version": {`"1"`}}); r.status != http.StatusForbidden {
		t.Errorf("manager = %d", r.status)
	}
	api.cmu.Lock()
	defer api.cmu.Unlock()
	if len(api.deletes) != 0 {
		t.Error("a manager's removal reached the api")
	}
}
