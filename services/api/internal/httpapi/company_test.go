package httpapi_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"mime/multipart"
	"net/textproto"
	"strings"
	"sync"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// testFileMax is the env's file size limit: small, so a too-large upload
// costs nothing.
const testFileMax = 64 << 10

// A real 1×1 PNG.
var onePixelPNG, _ = hex.DecodeString("89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
	"1f15c4890000000d49444154789c6360f8cfc0f01f0005000201e2c3a7a50000000049454e44ae426082")

const svgLogo = `<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><rect width="9" height="9"/></svg>`

// upload builds a multipart body with one file part; declared is the
// part's Content-Type as a client would claim it.
func upload(t *testing.T, field, name, declared string, content []byte) (body, contentType string) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary("depotix-test-boundary"); err != nil {
		t.Fatal(err)
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="`+field+`"; filename="`+name+`"`)
	h.Set("Content-Type", declared)
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String(), w.FormDataContentType()
}

type profileAnswer struct {
	Name    string   `json:"name"`
	IBAN    string   `json:"iban"`
	VAT     string   `json:"vat_number"`
	Prefix  string   `json:"invoice_prefix"`
	Version int      `json:"version"`
	Missing []string `json:"missing_for_qr_bill"`
	Logo    *struct {
		ID     int64  `json:"id"`
		URL    string `json:"url"`
		Name   string `json:"name"`
		SHA256 string `json:"sha256"`
		Type   string `json:"content_type"`
	} `json:"logo"`
}

func validProfile() map[string]any {
	return map[string]any{"name": "Getränke Müller GmbH", "street": "Industriestrasse", "building_number": "7a",
		"postal_code": "8400", "town": "Winterthur", "country": "CH", "vat_number": "CHE-116.281.710 MWST",
		"iban": "CH44 3199 9123 0008 8901 2", "bank_name": "ZKB", "payment_terms_days": 30, "invoice_footer": "Danke!",
		"invoice_prefix": "RE", "credit_note_prefix": "GS", "currency": "CHF", "deposits_taxable": false}
}

func TestCompanyProfile(t *testing.T) {
	en := newEnv(t)
	admin, viewer := en.tokens[auth.RoleAdmin], en.tokens[auth.RoleViewer]

	r := en.do(req{method: "GET", path: "/api/v1/company", token: viewer})
	var p profileAnswer
	r.decode(t, &p)
	if r.Status != 200 || r.Header.Get("ETag") != `"1"` || p.Prefix != "RE" || len(p.Missing) != 4 || p.Logo != nil {
		t.Fatalf("GET: %d %s %s", r.Status, r.Header, r.Body)
	}

	bad := validProfile()
	bad["iban"] = "CH44 3199 9123 0008 8901 3"
	bad["name"] = "Müller ☃"
	r = en.do(req{method: "PUT", path: "/api/v1/company", token: admin, body: bad, header: map[string]string{"If-Match": `"1"`}})
	if r.Status != 422 || !strings.Contains(string(r.Body), `"iban":{"code":"invalid_iban"`) ||
		!strings.Contains(string(r.Body), `"name":{"code":"invalid_character"`) {
		t.Errorf("bad IBAN and name: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "PUT", path: "/api/v1/company", token: en.tokens[auth.RoleManager], body: validProfile()})
	if r.Status != 403 {
		t.Errorf("manager PUT: %d", r.Status)
	}
	r = en.do(req{method: "PUT", path: "/api/v1/company", token: admin, body: validProfile(), header: map[string]string{"If-Match": `"1"`}})
	r.decode(t, &p)
	if r.Status != 200 || r.Header.Get("ETag") != `"2"` || p.IBAN != "CH4431999123000889012" || len(p.Missing) != 0 {
		t.Fatalf("PUT: %d %s", r.Status, r.Body)
	}
	changed := validProfile()
	changed["name"] = "Other AG"
	r = en.do(req{method: "PUT", path: "/api/v1/company", token: admin, body: changed, header: map[string]string{"If-Match": `"1"`}})
	if r.Status != 412 {
		t.Errorf("stale If-Match: %d %s", r.Status, r.Body)
	}
	if en.auditCount("company_profile", "update") != 1 {
		t.Errorf("audit records: %d", en.auditCount("company_profile", "update"))
	}
}

func TestCompanyLogoAndFileDownload(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]

	body, ct := upload(t, "file", "Logo Müller.png", "image/png", onePixelPNG)
	r := en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: body,
		header: map[string]string{"Content-Type": ct, "Idempotency-Key": "logo-1"}})
	var p profileAnswer
	r.decode(t, &p)
	sum := sha256.Sum256(onePixelPNG)
	if r.Status != 200 || p.Logo == nil || p.Logo.Type != "image/png" || p.Logo.Name != "Logo Müller.png" ||
		p.Logo.SHA256 != hex.EncodeToString(sum[:]) || r.Header.Get("ETag") != `"2"` {
		t.Fatalf("upload: %d %s", r.Status, r.Body)
	}
	// The same key and body again: the first answer, no second file.
	again := en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: body,
		header: map[string]string{"Content-Type": ct, "Idempotency-Key": "logo-1"}})
	if again.Header.Get("Idempotent-Replayed") != "true" || !bytes.Equal(again.Body, r.Body) {
		t.Errorf("replay: %d %s %s", again.Status, again.Header, again.Body)
	}

	// Every role reads the logo, with the headers that keep it inert.
	for _, role := range auth.Roles {
		d := en.do(req{method: "GET", path: p.Logo.URL, token: en.tokens[role]})
		if d.Status != 200 || !bytes.Equal(d.Body, onePixelPNG) {
			t.Fatalf("%s download: %d", role, d.Status)
		}
		want := map[string]string{
			"Content-Type":            "image/png",
			"ETag":                    `"` + hex.EncodeToString(sum[:]) + `"`,
			"X-Content-Type-Options":  "nosniff",
			"Content-Security-Policy": "default-src 'none'; sandbox",
			"Content-Disposition":     `inline; filename="Logo M_ller.png"; filename*=UTF-8''Logo%20M%C3%BCller.png`,
			"Cache-Control":           "private, no-cache",
		}
		for k, v := range want {
			if got := d.Header.Get(k); got != v {
				t.Errorf("%s: %s = %q, want %q", role, k, got, v)
			}
		}
	}
	if r := en.do(req{method: "GET", path: p.Logo.URL}); r.Status != 401 {
		t.Errorf("anonymous download: %d", r.Status)
	}
	etagValue := `"` + hex.EncodeToString(sum[:]) + `"`
	for _, inm := range []string{etagValue, "W/" + etagValue, `"other", ` + etagValue, "*"} {
		nm := en.do(req{method: "GET", path: p.Logo.URL, token: admin, header: map[string]string{"If-None-Match": inm}})
		if nm.Status != 304 || len(nm.Body) != 0 || nm.Header.Get("ETag") != etagValue {
			t.Errorf("If-None-Match %s: %d %q", inm, nm.Status, nm.Body)
		}
	}
	if d := en.do(req{method: "GET", path: p.Logo.URL, token: admin, header: map[string]string{"If-None-Match": `"other"`}}); d.Status != 200 {
		t.Errorf("another ETag: %d", d.Status)
	}

	// An SVG named and declared as a PNG is refused, and nothing changes.
	svgBody, svgCT := upload(t, "file", "logo.png", "image/png", []byte(svgLogo))
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: svgBody, header: map[string]string{"Content-Type": svgCT}})
	if r.Status != 422 || r.errorField("file") != "unsupported_file_type" {
		t.Errorf("svg: %d %s", r.Status, r.Body)
	}
	// Too large: 413, too_large on the file.
	big := append(bytes.Clone(onePixelPNG), make([]byte, testFileMax)...)
	bigBody, bigCT := upload(t, "file", "big.png", "image/png", big)
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: bigBody, header: map[string]string{"Content-Type": bigCT}})
	if r.Status != 413 || r.errorCode() != "payload_too_large" || r.errorField("file") != "too_large" {
		t.Errorf("too large: %d %s", r.Status, r.Body)
	}
	// Far too large: the body limit ends it before it is read.
	huge := strings.Repeat("x", testFileMax+200<<10)
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: huge, header: map[string]string{"Content-Type": bigCT}})
	if r.Status != 413 {
		t.Errorf("huge: %d %s", r.Status, r.Body)
	}
	// A form without its file part: required on file, and any other part
	// is unknown.
	otherBody, otherCT := upload(t, "picture", "x.png", "image/png", onePixelPNG)
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: otherBody, header: map[string]string{"Content-Type": otherCT}})
	if r.Status != 422 || r.errorCode() != "validation_failed" || r.errorField("file") != "required" || r.errorField("picture") != "unknown_field" {
		t.Errorf("other part: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: "--b--\r\n",
		header: map[string]string{"Content-Type": "multipart/form-data; boundary=b"}})
	if r.Status != 422 || r.errorField("file") != "required" {
		t.Errorf("no parts: %d %s", r.Status, r.Body)
	}
	// A browser's form with no file chosen sends an empty, nameless part.
	emptyBody, emptyCT := upload(t, "file", "", "application/octet-stream", nil)
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: emptyBody, header: map[string]string{"Content-Type": emptyCT}})
	if r.Status != 422 || r.errorField("file") != "required" {
		t.Errorf("empty file part: %d %s", r.Status, r.Body)
	}
	// Not a multipart form at all: the media type is named.
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: map[string]any{"file": "x"}})
	if r.Status != 400 || r.errorField("Content-Type") != "not_allowed" {
		t.Errorf("JSON body: %d %s", r.Status, r.Body)
	}
	var check profileAnswer
	en.do(req{method: "GET", path: "/api/v1/company", token: admin}).decode(t, &check)
	if check.Version != 2 || check.Logo == nil || check.Logo.ID != p.Logo.ID {
		t.Errorf("refused uploads changed the profile: %+v", check)
	}

	// Replacing the logo removes the old file.
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01")
	jBody, jCT := upload(t, "file", "neu.png", "image/png", jpeg)
	r = en.do(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: jBody,
		header: map[string]string{"Content-Type": jCT, "If-Match": `"2"`}})
	var q profileAnswer
	r.decode(t, &q)
	if r.Status != 200 || q.Logo.Type != "image/jpeg" || q.Logo.Name != "neu.jpg" {
		t.Fatalf("replace: %d %s", r.Status, r.Body)
	}
	if d := en.do(req{method: "GET", path: p.Logo.URL, token: admin}); d.Status != 404 {
		t.Errorf("old logo: %d", d.Status)
	}

	// Removing it: a stale version is refused, the current one removes the
	// logo and its file, audited; again, nothing changes.
	audits := en.auditCount("company_profile", "update")
	if r := en.do(req{method: "DELETE", path: "/api/v1/company/logo", token: admin, header: map[string]string{"If-Match": `"2"`}}); r.Status != 412 {
		t.Errorf("stale remove: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "DELETE", path: "/api/v1/company/logo", token: en.tokens[auth.RoleManager]}); r.Status != 403 {
		t.Errorf("manager remove: %d %s", r.Status, r.Body)
	}
	r = en.do(req{method: "DELETE", path: "/api/v1/company/logo", token: admin, header: map[string]string{"If-Match": `"3"`}})
	var removed profileAnswer
	r.decode(t, &removed)
	if r.Status != 200 || removed.Logo != nil || removed.Version != 4 || r.Header.Get("ETag") != `"4"` {
		t.Fatalf("remove: %d %s", r.Status, r.Body)
	}
	if d := en.do(req{method: "GET", path: q.Logo.URL, token: admin}); d.Status != 404 {
		t.Errorf("removed logo's file: %d", d.Status)
	}
	if got := en.auditCount("company_profile", "update"); got != audits+1 {
		t.Errorf("audit records after the removal: %d, want %d", got, audits+1)
	}
	r = en.do(req{method: "DELETE", path: "/api/v1/company/logo", token: admin, header: map[string]string{"If-Match": `"4"`}})
	r.decode(t, &removed)
	if r.Status != 200 || removed.Logo != nil || removed.Version != 4 || en.auditCount("company_profile", "update") != audits+1 {
		t.Errorf("remove again: %d %s", r.Status, r.Body)
	}
}

// Uploads racing on one version: exactly one wins, the others get 412,
// and one file remains.
func TestCompanyLogoConcurrentReplace(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	const n = 6
	statuses := make(chan int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, ct := upload(t, "file", "logo.png", "image/png", append(bytes.Clone(onePixelPNG), byte(i)))
			r, _, _ := en.serve(req{method: "POST", path: "/api/v1/company/logo", token: admin, body: b,
				header: map[string]string{"Content-Type": ct, "If-Match": `"1"`}})
			statuses <- r.Status
		}()
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if count[200] != 1 || count[412] != n-1 {
		t.Errorf("statuses %v, want one 200 and %d 412", count, n-1)
	}
	var files int
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM files`).Scan(&files); err != nil {
		t.Fatal(err)
	}
	if files != 1 {
		t.Errorf("%d files stored, want 1", files)
	}
}

// errorField is the code of the named field's problem.
func (r response) errorField(field string) string {
	var e struct {
		Error struct {
			Fields map[string]struct{ Code string } `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal(r.Body, &e)
	return e.Error.Fields[field].Code
}
