// Package apidocs serves the api's documentation pages, Swagger UI at
// /api/docs and ReDoc at /api/redoc, with every asset embedded in the binary so
// that they work on a LAN without internet access.
//
// Swagger UI comes from the Go module github.com/swaggo/files/v2. ReDoc's
// bundle comes from the npm package pinned in services/api/docsui and is copied
// into assets/ by scripts/docs-assets.sh; it is not committed, so a build
// without it still compiles and /api/redoc answers 503 with that hint.
package apidocs

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	swaggerfiles "github.com/swaggo/files/v2"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// The paths the handler answers, and the document both pages show.
const (
	SwaggerURL = "/api/docs"
	ReDocURL   = "/api/redoc"
	SpecURL    = "/api/openapi.json"
)

// Each page's policy allows what it was seen to need in Chromium and nothing
// more; nothing comes from another origin. Both draw icons from data: images
// in their stylesheets. ReDoc also inserts <style> rules (styled-components)
// and builds its search index in a blob: worker, which the proxy's default
// policy forbids. ReDoc's sidebar footer tries to load its logo from
// cdn.redoc.ly: that stays blocked, and ReDoc hides the image when it fails.
const (
	SwaggerCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
	ReDocCSP = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
		"connect-src 'self'; worker-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)

// MissingReDocHint is the message /api/redoc answers with when the binary was
// built without ReDoc's bundle.
const MissingReDocHint = "ReDoc assets not built; run scripts/docs-assets.sh and rebuild the api"

// redocBundle is the file scripts/docs-assets.sh copies into assets/.
const redocBundle = "redoc.standalone.js"

// Our own files: the page templates, their initialisers and stylesheets. The
// directory is embedded as a whole so that the build does not depend on the
// ReDoc bundle being there.
//
//go:embed assets
var embedded embed.FS

// Handler serves both documentation pages and their assets under SwaggerURL
// and ReDocURL; the api mounts it for GET and HEAD on those paths and below.
// It panics if the embedded files are inconsistent, which the package's tests
// rule out for every build.
func Handler() http.Handler {
	own, err := fs.Sub(embedded, "assets")
	if err != nil {
		panic(fmt.Sprintf("apidocs: %v", err))
	}
	h, err := newHandler(own, swaggerfiles.FS)
	if err != nil {
		panic(fmt.Sprintf("apidocs: %v", err))
	}
	return h
}

// ReDocBuilt reports whether this binary carries ReDoc's bundle, so that the
// api can warn at start when /api/redoc will answer 503.
func ReDocBuilt() bool {
	_, err := fs.Stat(embedded, "assets/"+redocBundle)
	return err == nil
}

// newHandler builds the handler from our own files (own) and Swagger UI's
// distribution (swaggerUI).
func newHandler(own, swaggerUI fs.FS) (http.Handler, error) {
	swagger, err := newSite(SwaggerURL, SwaggerCSP, own, "swagger.html", []file{
		{fsys: swaggerUI, name: "swagger-ui.css"},
		{fsys: swaggerUI, name: "swagger-ui-bundle.js"},
		{fsys: swaggerUI, name: "favicon-32x32.png"},
		{fsys: swaggerUI, name: "favicon-16x16.png"},
		{fsys: own, name: "swagger.css"},
		{fsys: own, name: "swagger-init.js"},
	})
	if err != nil {
		return nil, fmt.Errorf("swagger page: %w", err)
	}

	var redoc http.Handler
	if _, err := fs.Stat(own, redocBundle); err == nil {
		redoc, err = newSite(ReDocURL, ReDocCSP, own, "redoc.html", []file{
			{fsys: own, name: redocBundle},
			// The bundle's first line points to this file for its licences.
			{fsys: own, name: redocBundle + ".LICENSE.txt", optional: true},
			{fsys: own, name: "redoc.css"},
			{fsys: own, name: "redoc-init.js"},
		})
		if err != nil {
			return nil, fmt.Errorf("redoc page: %w", err)
		}
	} else {
		page, err := template.New("missing").Parse(missingPage)
		if err != nil {
			return nil, fmt.Errorf("redoc page: %w", err)
		}
		redoc = missing{csp: ReDocCSP, page: page}
	}

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case under(r.URL.Path, SwaggerURL):
			swagger.ServeHTTP(w, r)
		case under(r.URL.Path, ReDocURL):
			redoc.ServeHTTP(w, r)
		default:
			writeError(w, r, http.StatusNotFound, apperr.CodeNotFound, "No documentation page at this address.")
		}
	}), nil
}

func under(p, prefix string) bool {
	return p == prefix || strings.HasPrefix(p, prefix+"/")
}

// file is one asset a page uses.
type file struct {
	fsys     fs.FS
	name     string
	optional bool // served when present, never referenced by the page
}

// site is one documentation page: its HTML at prefix and prefix/, and its
// assets under prefix/assets/HASH/, where HASH covers every asset's name and
// content. Asset URLs change whenever an asset does, so they can be cached
// for a year while the page itself is revalidated on every load.
type site struct {
	prefix   string
	csp      string
	page     []byte
	pageETag string
	assetDir string // prefix/assets/HASH/
	assets   map[string]file
}

func newSite(prefix, csp string, own fs.FS, pageTemplate string, files []file) (*site, error) {
	s := &site{prefix: prefix, csp: csp, assets: make(map[string]file, len(files))}
	sum := sha256.New()
	for _, f := range files {
		if contentType(f.name) == "" {
			return nil, fmt.Errorf("%s: no content type for its extension", f.name)
		}
		if f.optional {
			if _, err := fs.Stat(f.fsys, f.name); err != nil {
				continue
			}
		}
		if err := hashFile(sum, f); err != nil {
			return nil, err
		}
		s.assets[f.name] = f
	}
	s.assetDir = prefix + "/assets/" + hex.EncodeToString(sum.Sum(nil))[:16] + "/"

	page, err := s.render(own, pageTemplate)
	if err != nil {
		return nil, err
	}
	s.page = page
	h := sha256.Sum256(page)
	s.pageETag = `"` + hex.EncodeToString(h[:])[:16] + `"`
	return s, nil
}

// hashFile adds the file's name and content to sum; the name counts because
// two files may swap content.
func hashFile(sum io.Writer, f file) error {
	src, err := f.fsys.Open(f.name)
	if err != nil {
		return err
	}
	defer src.Close()
	if _, ok := src.(io.ReadSeeker); !ok {
		return fmt.Errorf("%s: cannot seek in it, so it cannot be served", f.name)
	}
	fmt.Fprintf(sum, "%s\x00", f.name)
	if _, err := io.Copy(sum, src); err != nil {
		return fmt.Errorf("%s: %w", f.name, err)
	}
	return nil
}

// render fills in the page template. An asset the template names but the site
// does not carry is an error, so a page never links to a 404.
func (s *site) render(own fs.FS, name string) ([]byte, error) {
	t, err := template.ParseFS(own, name)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, pageData{site: s, SpecURL: SpecURL, ReDocURL: ReDocURL}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

type pageData struct {
	site     *site
	SpecURL  string
	ReDocURL string
}

// Asset is the URL of one of the page's assets.
func (d pageData) Asset(name string) (string, error) {
	if _, ok := d.site.assets[name]; !ok {
		return "", fmt.Errorf("asset %q is not part of the page", name)
	}
	return d.site.assetDir + name, nil
}

// contentType covers every extension an asset may have, fixed here rather
// than taken from the system's MIME table, which varies between hosts.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".png":
		return "image/png"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return ""
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", s.csp)
	h.Set("X-Content-Type-Options", "nosniff")
	if !allowMethod(w, r) {
		return
	}
	p := r.URL.Path
	switch {
	case p == s.prefix || p == s.prefix+"/":
		h.Set("Content-Type", "text/html; charset=utf-8")
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", s.pageETag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(s.page))
	case strings.HasPrefix(p, s.assetDir):
		f, ok := s.assets[strings.TrimPrefix(p, s.assetDir)]
		if !ok {
			writeError(w, r, http.StatusNotFound, apperr.CodeNotFound, "No such documentation asset.")
			return
		}
		s.serveAsset(w, r, f)
	default:
		// Includes assets under an older hash: they are immutable by promise, so
		// serving today's content there would break that promise.
		writeError(w, r, http.StatusNotFound, apperr.CodeNotFound, "No such documentation asset.")
	}
}

func (s *site) serveAsset(w http.ResponseWriter, r *http.Request, f file) {
	// Embedded files open without error and seek (newSite checked both), so
	// the error answers below are for a broken build only.
	src, err := f.fsys.Open(f.name)
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, apperr.CodeInternal, "The documentation asset cannot be read.")
		return
	}
	defer src.Close()
	content, ok := src.(io.ReadSeeker)
	if !ok {
		writeError(w, r, http.StatusInternalServerError, apperr.CodeInternal, "The documentation asset cannot be read.")
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(f.name))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	http.ServeContent(w, r, "", time.Time{}, content)
}

// missing stands in for ReDoc in a binary built without its bundle.
type missing struct {
	csp  string
	page *template.Template
}

func (m missing) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Security-Policy", m.csp)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	if !allowMethod(w, r) {
		return
	}
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		writeError(w, r, http.StatusServiceUnavailable, apperr.CodeUnavailable, MissingReDocHint)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusServiceUnavailable)
	if r.Method == http.MethodHead {
		return
	}
	_ = m.page.Execute(w, struct{ Hint, SwaggerURL, SpecURL string }{MissingReDocHint, SwaggerURL, SpecURL})
}

const missingPage = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>ReDoc unavailable · Depotix API</title>
</head>
<body>
<h1>ReDoc is not available</h1>
<p>{{.Hint}}.</p>
<p>Swagger UI at <a href="{{.SwaggerURL}}">{{.SwaggerURL}}</a> and the OpenAPI document at <a href="{{.SpecURL}}">{{.SpecURL}}</a> work without it.</p>
</body>
</html>
`

// allowMethod answers 405 for anything but GET and HEAD.
func allowMethod(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	writeError(w, r, http.StatusMethodNotAllowed, apperr.CodeMethodNotAllow, "The documentation pages can only be read.")
	return false
}

// writeError answers with the api's error envelope. The request id is the one
// the api's RequestID middleware settled on before this handler ran.
func writeError(w http.ResponseWriter, r *http.Request, status int, code apperr.Code, message string) {
	type body struct {
		Code      apperr.Code `json:"code"`
		Message   string      `json:"message"`
		RequestID string      `json:"request_id"`
	}
	b, err := json.Marshal(struct {
		Error body `json:"error"`
	}{body{Code: code, Message: message, RequestID: r.Header.Get("X-Request-ID")}})
	if err != nil {
		http.Error(w, message, status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(append(b, '\n'))
	}
}
