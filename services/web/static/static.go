// Package static embeds the web service's stylesheet and images and serves
// them under content-hashed names such as /static/app.3f2a9c1b.css.
//
// The hash changes whenever the content does, so browsers may keep a file for
// a year without asking again, and a new release is still picked up at once:
// its pages name new URLs. Hashes are computed at start from the embedded
// bytes, so there is no build step that could fall out of date.
package static

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"sort"
	"strings"
	"time"
)

// URLPrefix is where the assets are served.
const URLPrefix = "/static/"

// CacheControl marks a hashed asset as never changing.
const CacheControl = "public, max-age=31536000, immutable"

// hashLen is the number of hex digits of the SHA-256 kept in a name: 32 bits
// tell a handful of files and their versions apart.
const hashLen = 8

//go:embed *.css *.svg *.js
var embedded embed.FS

// contentTypes is explicit so the answer does not depend on the mime tables
// installed on the host (a distroless image has none).
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".woff2": "font/woff2",
	".txt":   "text/plain; charset=utf-8",
}

// Asset is one file with its hashed name.
type Asset struct {
	Name        string // logical name, e.g. "app.css"
	HashedName  string // e.g. "app.3f2a9c1b.css"
	ContentType string
	ETag        string
	body        []byte
}

// Assets holds every embedded file, addressable by logical and hashed name.
type Assets struct {
	byName   map[string]*Asset
	byHashed map[string]*Asset
}

// New loads the assets embedded in this package.
func New() (*Assets, error) {
	return Load(embedded)
}

// Load reads every file of fsys and computes its hashed name.
func Load(fsys fs.FS) (*Assets, error) {
	a := &Assets{byName: map[string]*Asset{}, byHashed: map[string]*Asset{}}
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		body, err := fs.ReadFile(fsys, name)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		sum := sha256.Sum256(body)
		hash := hex.EncodeToString(sum[:])[:hashLen]
		ext := path.Ext(name)
		asset := &Asset{
			Name:        name,
			HashedName:  strings.TrimSuffix(name, ext) + "." + hash + ext,
			ContentType: contentType(ext),
			ETag:        `"` + hash + `"`,
			body:        body,
		}
		a.byName[asset.Name] = asset
		a.byHashed[asset.HashedName] = asset
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load static assets: %w", err)
	}
	return a, nil
}

func contentType(ext string) string {
	if ct, ok := contentTypes[ext]; ok {
		return ct
	}
	if ct := mime.TypeByExtension(ext); ct != "" {
		return ct
	}
	return "application/octet-stream"
}

// Path returns the URL path of the asset with the given logical name, e.g.
// "/static/app.3f2a9c1b.css" for "app.css". An unknown name gives the
// unhashed path, which is never served, so a typo shows up as a 404 in tests
// and logs rather than as a page that fails to render.
func (a *Assets) Path(name string) string {
	if asset, ok := a.byName[name]; ok {
		return URLPrefix + asset.HashedName
	}
	return URLPrefix + name
}

// Names lists the logical names of all assets, sorted.
func (a *Assets) Names() []string {
	names := make([]string, 0, len(a.byName))
	for name := range a.byName {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Lookup finds an asset by its hashed name (the part after URLPrefix).
func (a *Assets) Lookup(hashedName string) (*Asset, bool) {
	asset, ok := a.byHashed[hashedName]
	return asset, ok
}

// Serve writes the asset for GET and HEAD, answering conditional and range
// requests. It reports false, writing nothing, when no asset has that hashed
// name (an unknown file or a hash from another release), so the caller can
// answer with its own 404 page.
func (a *Assets) Serve(w http.ResponseWriter, r *http.Request, hashedName string) bool {
	asset, ok := a.Lookup(hashedName)
	if !ok {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", asset.ContentType)
	h.Set("Cache-Control", CacheControl)
	h.Set("ETag", asset.ETag)
	h.Set("X-Content-Type-Options", "nosniff")
	// A zero modification time leaves out Last-Modified; the ETag is exact.
	http.ServeContent(w, r, asset.HashedName, time.Time{}, bytes.NewReader(asset.body))
	return true
}
