package apidocs

import (
	"bytes"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	swaggerfiles "github.com/swaggo/files/v2"
)

// fakeBundle stands in for ReDoc's bundle, so that the tests below do not
// depend on whether scripts/docs-assets.sh ran; TestEmbeddedReDocBundle
// covers the real one.
const fakeBundle = "window.Redoc = { init: function () {} };\n"

// ownFiles copies our embedded files without ReDoc's bundle; with bundle
// set, it adds that as the bundle.
func ownFiles(t *testing.T, bundle string) fstest.MapFS {
	t.Helper()
	own := fstest.MapFS{}
	err := fs.WalkDir(embedded, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasPrefix(path.Base(p), redocBundle) {
			return err
		}
		data, err := fs.ReadFile(embedded, p)
		own[strings.TrimPrefix(p, "assets/")] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if bundle != "" {
		own[redocBundle] = &fstest.MapFile{Data: []byte(bundle)}
	}
	return own
}

func newTestHandler(t *testing.T, own fs.FS) http.Handler {
	t.Helper()
	h, err := newHandler(own, swaggerfiles.FS)
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	return h
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func do(t *testing.T, h http.Handler, method, target string, header map[string]string) response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: body}
}

var (
	refPattern = regexp.MustCompile(`\b(src|href)="([^"]*)"`)
	// Inline styles and event handler attributes, and javascript: URLs.
	inlineCode = regexp.MustCompile(`(?i)<style|\sstyle=|\son[a-z]+=|javascript:`)
)

// references lists the URLs a page loads or links to, in order.
func references(page []byte) []string {
	var refs []string
	for _, m := range refPattern.FindAllSubmatch(page, -1) {
		refs = append(refs, string(m[2]))
	}
	return refs
}

// assetRef finds the page's reference to the named asset.
func assetRef(t *testing.T, page []byte, name string) string {
	t.Helper()
	for _, ref := range references(page) {
		if path.Base(ref) == name && strings.Contains(ref, "/assets/") {
			return ref
		}
	}
	t.Fatalf("the page does not reference %s:\n%s", name, page)
	return ""
}

func TestPagesLoadOnlyServedSameOriginAssets(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, fakeBundle))
	tests := []struct {
		url        string
		csp        string
		wantAssets []string // loaded by the page, in this order
	}{
		{SwaggerURL, SwaggerCSP, []string{"swagger-ui.css", "swagger.css", "favicon-32x32.png", "favicon-16x16.png", "swagger-ui-bundle.js", "swagger-init.js"}},
		{SwaggerURL + "/", SwaggerCSP, []string{"swagger-ui.css", "swagger.css", "favicon-32x32.png", "favicon-16x16.png", "swagger-ui-bundle.js", "swagger-init.js"}},
		{ReDocURL, ReDocCSP, []string{"redoc.css", redocBundle, "redoc-init.js"}},
		{ReDocURL + "/", ReDocCSP, []string{"redoc.css", redocBundle, "redoc-init.js"}},
	}
	wantTypes := map[string]string{
		".css": "text/css; charset=utf-8",
		".js":  "text/javascript; charset=utf-8",
		".png": "image/png",
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			page := do(t, h, http.MethodGet, tt.url, nil)
			if page.status != http.StatusOK {
				t.Fatalf("status %d, want 200: %s", page.status, page.body)
			}
			wantHeader := map[string]string{
				"Content-Type":            "text/html; charset=utf-8",
				"Cache-Control":           "no-cache",
				"Content-Security-Policy": tt.csp,
				"X-Content-Type-Options":  "nosniff",
			}
			if diff := cmp.Diff(wantHeader, pick(page.header, wantHeader)); diff != "" {
				t.Errorf("page headers (-want +got):\n%s", diff)
			}
			if bad := inlineCode.Find(page.body); bad != nil {
				t.Errorf("page contains %q, which its policy forbids", bad)
			}
			if n, m := bytes.Count(page.body, []byte("<script")), bytes.Count(page.body, []byte(`"></script>`)); n != m {
				t.Errorf("%d <script> elements but only %d empty ones with a src: inline script", n, m)
			}

			var loaded []string
			for _, ref := range references(page.body) {
				u, err := url.Parse(ref)
				if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(u.Path, "/") {
					t.Errorf("reference %q is not a same-origin path", ref)
					continue
				}
				if !strings.Contains(ref, "/assets/") {
					continue // a link for people, such as the one to the document
				}
				loaded = append(loaded, path.Base(ref))
				asset := do(t, h, http.MethodGet, ref, nil)
				if asset.status != http.StatusOK {
					t.Errorf("%s: status %d, want 200", ref, asset.status)
					continue
				}
				wantHeader := map[string]string{
					"Content-Type":  wantTypes[path.Ext(ref)],
					"Cache-Control": "public, max-age=31536000, immutable",
				}
				if diff := cmp.Diff(wantHeader, pick(asset.header, wantHeader)); diff != "" {
					t.Errorf("%s headers (-want +got):\n%s", ref, diff)
				}
				if len(asset.body) == 0 {
					t.Errorf("%s: empty body", ref)
				}
			}
			if diff := cmp.Diff(tt.wantAssets, loaded); diff != "" {
				t.Errorf("assets the page loads (-want +got):\n%s", diff)
			}
		})
	}
}

// pick returns the values of the headers named in want.
func pick(h http.Header, want map[string]string) map[string]string {
	got := map[string]string{}
	for k := range want {
		got[k] = h.Get(k)
	}
	return got
}

func TestSwaggerAssetsAreTheModulesFiles(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, ""))
	page := do(t, h, http.MethodGet, SwaggerURL, nil).body
	for _, name := range []string{"swagger-ui-bundle.js", "swagger-ui.css", "favicon-32x32.png"} {
		want, err := fs.ReadFile(swaggerfiles.FS, name)
		if err != nil {
			t.Fatal(err)
		}
		got := do(t, h, http.MethodGet, assetRef(t, page, name), nil).body
		if !bytes.Equal(got, want) {
			t.Errorf("%s: served %d bytes that differ from the module's %d", name, len(got), len(want))
		}
	}
}

// foreignSources lists the sources in a policy that are neither a keyword
// nor a same-origin scheme, that is anything that could name another origin,
// plus 'unsafe-inline' or 'unsafe-eval' for scripts.
func foreignSources(csp string) []string {
	allowed := []string{"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
	var bad []string
	for _, directive := range strings.Split(csp, ";") {
		fields := strings.Fields(directive)
		if len(fields) == 0 {
			continue
		}
		for _, src := range fields[1:] {
			script := fields[0] == "script-src" || fields[0] == "default-src"
			if !slices.Contains(allowed, src) || script && src == "'unsafe-inline'" {
				bad = append(bad, fields[0]+" "+src)
			}
		}
	}
	return bad
}

func TestForeignSources(t *testing.T) {
	tests := []struct {
		csp  string
		want []string
	}{
		{"default-src 'none'; img-src 'self' data:; worker-src blob:", nil},
		{"default-src 'self'; script-src 'self' https://cdn.example.com", []string{"script-src https://cdn.example.com"}},
		{"script-src 'unsafe-inline'; style-src 'unsafe-inline' *", []string{"script-src 'unsafe-inline'", "style-src *"}},
		{"connect-src https: wss:", []string{"connect-src https:", "connect-src wss:"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, foreignSources(tt.csp)); diff != "" {
			t.Errorf("foreignSources(%q) (-want +got):\n%s", tt.csp, diff)
		}
	}
}

func TestPoliciesAllowNothingFromOtherOrigins(t *testing.T) {
	for name, csp := range map[string]string{"Swagger UI": SwaggerCSP, "ReDoc": ReDocCSP} {
		if bad := foreignSources(csp); len(bad) > 0 {
			t.Errorf("%s policy allows %v", name, bad)
		}
		for _, d := range []string{"default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"} {
			if !strings.Contains(csp, d) {
				t.Errorf("%s policy lacks %q", name, d)
			}
		}
	}
}

func TestEveryAnswerCarriesThePagePolicy(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, fakeBundle))
	missing := newTestHandler(t, ownFiles(t, ""))
	swaggerPage := do(t, h, http.MethodGet, SwaggerURL, nil).body
	tests := []struct {
		name    string
		h       http.Handler
		method  string
		target  string
		status  int
		wantCSP string
	}{
		{"swagger page", h, http.MethodGet, SwaggerURL, http.StatusOK, SwaggerCSP},
		{"swagger asset", h, http.MethodGet, assetRef(t, swaggerPage, "swagger-init.js"), http.StatusOK, SwaggerCSP},
		{"swagger unknown", h, http.MethodGet, SwaggerURL + "/nope", http.StatusNotFound, SwaggerCSP},
		{"swagger post", h, http.MethodPost, SwaggerURL, http.StatusMethodNotAllowed, SwaggerCSP},
		{"redoc page", h, http.MethodGet, ReDocURL, http.StatusOK, ReDocCSP},
		{"redoc head", h, http.MethodHead, ReDocURL, http.StatusOK, ReDocCSP},
		{"redoc missing", missing, http.MethodGet, ReDocURL, http.StatusServiceUnavailable, ReDocCSP},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, tt.h, tt.method, tt.target, nil)
			if res.status != tt.status {
				t.Errorf("status %d, want %d", res.status, tt.status)
			}
			if got := res.header.Get("Content-Security-Policy"); got != tt.wantCSP {
				t.Errorf("Content-Security-Policy %q, want %q", got, tt.wantCSP)
			}
		})
	}
}

func TestInitializersShowTheApisDocument(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, fakeBundle))
	tests := []struct {
		page, init string
		want       *regexp.Regexp
	}{
		{SwaggerURL, "swagger-init.js", regexp.MustCompile(`SwaggerUIBundle\(\{\s*url: "` + regexp.QuoteMeta(SpecURL) + `",`)},
		{ReDocURL, "redoc-init.js", regexp.MustCompile(`Redoc\.init\(\s*"` + regexp.QuoteMeta(SpecURL) + `",`)},
	}
	for _, tt := range tests {
		page := do(t, h, http.MethodGet, tt.page, nil).body
		init := do(t, h, http.MethodGet, assetRef(t, page, tt.init), nil)
		if init.status != http.StatusOK || !tt.want.Match(init.body) {
			t.Errorf("%s (status %d) does not start the page on %s:\n%s", tt.init, init.status, SpecURL, init.body)
		}
	}
	if SpecURL != "/api/openapi.json" {
		t.Errorf("SpecURL = %q, the api serves its document at /api/openapi.json", SpecURL)
	}
}

func TestReDocBundleServedWhenPresent(t *testing.T) {
	const license = "Licences of the bundled packages.\n"
	tests := []struct {
		name        string
		license     bool
		wantLicense int
	}{
		{"bundle alone", false, http.StatusNotFound},
		{"bundle and licence file", true, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			own := ownFiles(t, fakeBundle)
			if tt.license {
				own[redocBundle+".LICENSE.txt"] = &fstest.MapFile{Data: []byte(license)}
			}
			h := newTestHandler(t, own)
			page := do(t, h, http.MethodGet, ReDocURL, nil)
			ref := assetRef(t, page.body, redocBundle)
			bundle := do(t, h, http.MethodGet, ref, nil)
			if bundle.status != http.StatusOK || string(bundle.body) != fakeBundle {
				t.Errorf("bundle: status %d, body %q; want 200 and the bundle", bundle.status, bundle.body)
			}
			// The bundle's first line names the licence file relative to itself.
			lic := do(t, h, http.MethodGet, ref+".LICENSE.txt", nil)
			if lic.status != tt.wantLicense {
				t.Errorf("licence file: status %d, want %d", lic.status, tt.wantLicense)
			}
			if tt.license && (string(lic.body) != license || lic.header.Get("Content-Type") != "text/plain; charset=utf-8") {
				t.Errorf("licence file: %s %q", lic.header.Get("Content-Type"), lic.body)
			}
		})
	}
}

type envelope struct {
	Error struct {
		Code      string `json:"code"`
		Message   string `json:"message"`
		RequestID string `json:"request_id"`
	} `json:"error"`
}

func decodeEnvelope(t *testing.T, body []byte) envelope {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("not the error envelope: %v: %s", err, body)
	}
	return e
}

func TestMissingReDocBundle(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, ""))
	const requestID = "req-123"
	tests := []struct {
		name        string
		method      string
		target      string
		accept      string
		wantType    string
		wantInBody  string
		wantNoBody  bool
		wantEnvelop bool
	}{
		{"browser", http.MethodGet, ReDocURL, "text/html,application/xhtml+xml,*/*;q=0.8", "text/html; charset=utf-8", MissingReDocHint, false, false},
		{"browser slash", http.MethodGet, ReDocURL + "/", "text/html", "text/html; charset=utf-8", "scripts/docs-assets.sh", false, false},
		{"program", http.MethodGet, ReDocURL, "application/json", "application/json", MissingReDocHint, false, true},
		{"asset", http.MethodGet, ReDocURL + "/assets/0123456789abcdef/" + redocBundle, "*/*", "application/json", MissingReDocHint, false, true},
		{"head", http.MethodHead, ReDocURL, "text/html", "text/html; charset=utf-8", "", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, tt.method, tt.target, map[string]string{"Accept": tt.accept, "X-Request-ID": requestID})
			if res.status != http.StatusServiceUnavailable {
				t.Errorf("status %d, want 503", res.status)
			}
			if got := res.header.Get("Content-Type"); got != tt.wantType {
				t.Errorf("Content-Type %q, want %q", got, tt.wantType)
			}
			if got := res.header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
			if tt.wantNoBody && len(res.body) > 0 {
				t.Errorf("HEAD answered with a body: %q", res.body)
			}
			if !bytes.Contains(res.body, []byte(tt.wantInBody)) {
				t.Errorf("body lacks %q:\n%s", tt.wantInBody, res.body)
			}
			if tt.wantEnvelop {
				got := decodeEnvelope(t, res.body)
				var want envelope
				want.Error.Code, want.Error.Message, want.Error.RequestID = "service_unavailable", MissingReDocHint, requestID
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("envelope (-want +got):\n%s", diff)
				}
			}
		})
	}
	if res := do(t, h, http.MethodGet, SwaggerURL, nil); res.status != http.StatusOK {
		t.Errorf("Swagger UI without ReDoc's bundle: status %d, want 200", res.status)
	}
}

func TestUnknownAddressesAndMethods(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, fakeBundle))
	swaggerPage := do(t, h, http.MethodGet, SwaggerURL, nil).body
	init := assetRef(t, swaggerPage, "swagger-init.js")
	assetDir := path.Dir(init)
	tests := []struct {
		name   string
		method string
		target string
		status int
		code   string
	}{
		{"asset under an old hash", http.MethodGet, SwaggerURL + "/assets/0123456789abcdef/swagger-init.js", http.StatusNotFound, "not_found"},
		{"module file the page does not use", http.MethodGet, assetDir + "/index.html", http.StatusNotFound, "not_found"},
		{"upstream initializer", http.MethodGet, assetDir + "/swagger-initializer.js", http.StatusNotFound, "not_found"},
		{"page template", http.MethodGet, assetDir + "/swagger.html", http.StatusNotFound, "not_found"},
		{"other page's asset", http.MethodGet, ReDocURL + "/assets/" + path.Base(assetDir) + "/swagger-init.js", http.StatusNotFound, "not_found"},
		{"below the page", http.MethodGet, SwaggerURL + "/index.html", http.StatusNotFound, "not_found"},
		{"look-alike prefix", http.MethodGet, SwaggerURL + "x", http.StatusNotFound, "not_found"},
		{"elsewhere", http.MethodGet, "/api/v1/items", http.StatusNotFound, "not_found"},
		{"post page", http.MethodPost, SwaggerURL, http.StatusMethodNotAllowed, "method_not_allowed"},
		{"delete asset", http.MethodDelete, init, http.StatusMethodNotAllowed, "method_not_allowed"},
		{"put redoc", http.MethodPut, ReDocURL, http.StatusMethodNotAllowed, "method_not_allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := do(t, h, tt.method, tt.target, map[string]string{"X-Request-ID": "req-9"})
			if res.status != tt.status {
				t.Fatalf("status %d, want %d: %s", res.status, tt.status, res.body)
			}
			if got := decodeEnvelope(t, res.body); got.Error.Code != tt.code || got.Error.RequestID != "req-9" || got.Error.Message == "" {
				t.Errorf("envelope %+v, want code %q and request id req-9", got, tt.code)
			}
			if tt.status == http.StatusMethodNotAllowed && res.header.Get("Allow") != "GET, HEAD" {
				t.Errorf("Allow %q, want GET, HEAD", res.header.Get("Allow"))
			}
		})
	}
}

func TestRevalidationAndHead(t *testing.T) {
	h := newTestHandler(t, ownFiles(t, fakeBundle))
	page := do(t, h, http.MethodGet, ReDocURL, nil)
	etag := page.header.Get("ETag")
	if etag == "" {
		t.Fatal("page without ETag")
	}
	if res := do(t, h, http.MethodGet, ReDocURL, map[string]string{"If-None-Match": etag}); res.status != http.StatusNotModified {
		t.Errorf("revalidation: status %d, want 304", res.status)
	}
	if res := do(t, h, http.MethodGet, ReDocURL, map[string]string{"If-None-Match": `"other"`}); res.status != http.StatusOK {
		t.Errorf("stale ETag: status %d, want 200", res.status)
	}
	ref := assetRef(t, page.body, redocBundle)
	res := do(t, h, http.MethodHead, ref, nil)
	wantLength := strconv.Itoa(len(fakeBundle))
	if res.status != http.StatusOK || len(res.body) != 0 || res.header.Get("Content-Length") != wantLength {
		t.Errorf("HEAD %s: status %d, Content-Length %q, %d body bytes; want 200, %s, none",
			ref, res.status, res.header.Get("Content-Length"), len(res.body), wantLength)
	}
}

func TestAssetURLsFollowContent(t *testing.T) {
	dirOf := func(own fs.FS) string {
		h := newTestHandler(t, own)
		return path.Dir(assetRef(t, do(t, h, http.MethodGet, SwaggerURL, nil).body, "swagger-init.js"))
	}
	changed := ownFiles(t, "")
	changed["swagger-init.js"] = &fstest.MapFile{Data: append(changed["swagger-init.js"].Data, "// changed\n"...)}

	first, again, other := dirOf(ownFiles(t, "")), dirOf(ownFiles(t, "")), dirOf(changed)
	if first != again {
		t.Errorf("same files, different asset URLs: %s and %s", first, again)
	}
	if first == other {
		t.Errorf("a changed file kept its asset URL %s, so browsers would keep the old one for a year", first)
	}
}

func TestPageNamingAnUnknownAssetIsRejected(t *testing.T) {
	own := ownFiles(t, "")
	own["swagger.html"] = &fstest.MapFile{Data: []byte(`<script src="{{.Asset "nope.js"}}"></script>`)}
	if _, err := newHandler(own, swaggerfiles.FS); err == nil || !strings.Contains(err.Error(), "nope.js") {
		t.Errorf("newHandler = %v, want an error naming nope.js", err)
	}
}

// TestEmbeddedReDocBundle checks the binary's own files. make test sets
// DEPOTIX_REQUIRE_DOCS_ASSETS=1 after running scripts/docs-assets.sh, so CI
// proves that the real ReDoc page works; elsewhere a missing bundle skips.
func TestEmbeddedReDocBundle(t *testing.T) {
	h := Handler()
	if !ReDocBuilt() {
		if os.Getenv("DEPOTIX_REQUIRE_DOCS_ASSETS") == "1" {
			t.Fatalf("%s is not embedded: %s", redocBundle, MissingReDocHint)
		}
		t.Skipf("%s is not embedded (%s); set DEPOTIX_REQUIRE_DOCS_ASSETS=1 to fail instead", redocBundle, MissingReDocHint)
	}
	want, err := fs.ReadFile(embedded, "assets/"+redocBundle)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) < 100_000 || !bytes.Contains(want, []byte("Redoc")) {
		t.Errorf("%s has %d bytes and does not look like ReDoc's standalone bundle", redocBundle, len(want))
	}
	page := do(t, h, http.MethodGet, ReDocURL, map[string]string{"Accept": "text/html"})
	if page.status != http.StatusOK {
		t.Fatalf("status %d, want 200: %s", page.status, page.body)
	}
	got := do(t, h, http.MethodGet, assetRef(t, page.body, redocBundle), nil)
	if got.status != http.StatusOK || !bytes.Equal(got.body, want) {
		t.Errorf("bundle: status %d, %d bytes; want 200 and the embedded %d bytes", got.status, len(got.body), len(want))
	}
}
