package httpapi

import (
	"bytes"
	"compress/gzip"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/changes"
)

// cachedOperations are the reads whose answer depends only on the data, the
// caller's role and token scope, and the URL. Personal answers (me,
// sessions, tokens), people and the audit trail are left out, and so are
// the streamed exports.
var cachedOperations = map[string]bool{
	"ListCategories": true, "GetCategory": true,
	"ListSuppliers": true, "GetSupplier": true,
	"ListCustomers": true, "GetCustomer": true,
	"ListLocations": true, "GetLocation": true,
	"ListItems": true, "GetItem": true, "ListItemSuppliers": true,
	"ListMovements": true, "GetMovement": true, "ListItemMovements": true,
	"GetItemStock": true, "ListStock": true, "GetDashboard": true,
}

// immutableOperations answer with what never changes once written: the
// stored PDFs of issued invoices and credit notes (both frozen, and so is
// the file each points at). Their answers stay cached across writes, as
// a file's bytes stay in the operating system's page cache, until others
// push them out or documentLifetime ends; "no-cache" still asks the
// database.
var immutableOperations = map[string]bool{"GetInvoicePdf": true, "GetCreditNotePdf": true}

// documentLifetime bounds how long an immutable answer is kept.
const documentLifetime = time.Hour

// largestCachedBody keeps one huge page from pushing out many small ones.
const largestCachedBody = 1 << 20

// cachedAnswerLifetime bounds how long an answer is served without a write.
const cachedAnswerLifetime = time.Minute

// cacheStatusHeader reports what the cache did (RFC 9211).
const cacheStatusHeader = "Cache-Status"

// responseCache answers repeated reads from memory until the next write
// (package changes decides when that is). A cached answer is the same bytes
// the handler wrote for the same role, token scope and URL.
type responseCache struct {
	feed    *changes.Feed
	entries *otter.Cache[string, cachedResponse]
	routes  map[string]bool // "GET /api/v1/items/:id": Echo's routes of the cached operations
	// immutable are the routes of immutableOperations.
	immutable map[string]bool
}

type cachedResponse struct {
	generation uint64
	immutable  bool // served whatever the generation
	// header holds what the handler set, as it set it (Content-Type, ETag,
	// whatever a handler adds later); the middleware before it set the rest.
	header http.Header
	body   []byte
	// gzipped is body compressed once when stored, for the clients that
	// accept it (nil when not worth it): a repeated list costs the proxy
	// and the network a sixth of its bytes and nobody a compression.
	gzipped []byte
}

// smallestGzipped is the least body worth compressing: below about a
// packet, compression saves nothing on the wire.
const smallestGzipped = 1400

// newResponseCache holds up to maxBytes of response bodies.
func newResponseCache(spec *openapi3.T, feed *changes.Feed, maxBytes int64) *responseCache {
	routes, immutable := map[string]bool{}, map[string]bool{}
	for path, item := range spec.Paths.Map() {
		if op := item.Get; op != nil && cachedOperations[op.OperationID] {
			routes[http.MethodGet+" "+echoPath(path)] = true
		}
		if op := item.Get; op != nil && immutableOperations[op.OperationID] {
			immutable[http.MethodGet+" "+echoPath(path)] = true
		}
	}
	return &responseCache{
		feed:      feed,
		routes:    routes,
		immutable: immutable,
		entries: otter.Must(&otter.Options[string, cachedResponse]{
			MaximumWeight: uint64(maxBytes),
			Weigher: func(key string, r cachedResponse) uint32 {
				return uint32(len(key) + len(r.body) + len(r.gzipped) + 64*len(r.header))
			},
			// Some answers depend on the clock too (the dashboard's "today"):
			// none is served more than this late. An immutable one is
			// never late; it is kept an hour.
			ExpiryCalculator: otter.ExpiryWritingFunc(func(e otter.Entry[string, cachedResponse]) time.Duration {
				if e.Value.immutable {
					return documentLifetime
				}
				return cachedAnswerLifetime
			}),
		}),
	}
}

// echoPath turns the document's /items/{id} into Echo's /items/:id.
func echoPath(path string) string {
	return strings.NewReplacer("{", ":", "}", "").Replace(path)
}

// announceWrites tells the feed about every finished request that may have
// written, which ends what the response cache and the session memo hold.
func announceWrites(feed *changes.Feed) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions:
				return next(c)
			}
			err := next(c)
			if wrote(c, err) {
				feed.Changed(writeScope(c))
			}
			return err
		}
	}
}

// middleware serves cached reads. It runs after authentication and before
// the guard: a cached answer exists only if the same role and scope were
// allowed the same URL before, and the permission table does not change
// while the process runs.
func (rc *responseCache) middleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		p, signedIn := auth.PrincipalFrom(req.Context())
		route := req.Method + " " + c.Path()
		immutable := rc.immutable[route]
		if !signedIn || req.Method != http.MethodGet || !rc.routes[route] && !immutable {
			return next(c)
		}
		generation, live := rc.feed.Generation(changes.Data)
		if !live && !immutable {
			return next(c)
		}
		key := string(p.Role) + " " + string(p.TokenScope) + " " + req.URL.RequestURI()
		// A conditional request is the handler's to answer; "no-cache" asks
		// for an answer from the database (RFC 9111 5.2.1.4).
		if req.Header.Get("If-None-Match") == "" && !strings.Contains(req.Header.Get(echo.HeaderCacheControl), "no-cache") {
			if r, ok := rc.entries.GetIfPresent(key); ok && (r.generation == generation || r.immutable) {
				return r.serve(c)
			}
		}
		res := c.Response()
		res.Header().Set(cacheStatusHeader, "depotix-api; fwd=miss")
		before := res.Header().Clone()
		rec := &recorder{ResponseWriter: res.Writer, status: http.StatusOK}
		res.Writer = rec
		err := next(c)
		res.Writer = rec.ResponseWriter
		if err == nil && rec.status == http.StatusOK && rec.body.Len() <= largestCachedBody {
			r := cachedResponse{generation: generation, immutable: immutable, header: http.Header{}, body: rec.body.Bytes()}
			for name, values := range res.Header() {
				if !slices.Equal(before[name], values) {
					r.header[name] = slices.Clone(values)
				}
			}
			// A strong ETag names one representation (RFC 9110 8.8.3), so
			// only answers without one are also kept compressed.
			if r.header.Get("ETag") == "" && len(r.body) >= smallestGzipped {
				r.gzipped = gzipped(r.body)
			}
			rc.entries.Set(key, r)
		}
		return err
	}
}

func (r cachedResponse) serve(c echo.Context) error {
	h := c.Response().Header()
	for name, values := range r.header {
		h[name] = slices.Clone(values) // later middleware may append to them
	}
	h.Set(cacheStatusHeader, "depotix-api; hit")
	contentType := r.header.Get(echo.HeaderContentType)
	if r.gzipped != nil {
		h.Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if acceptsGzip(c.Request().Header.Values(echo.HeaderAcceptEncoding)) {
			h.Set(echo.HeaderContentEncoding, "gzip")
			return c.Blob(http.StatusOK, contentType, r.gzipped)
		}
	}
	return c.Blob(http.StatusOK, contentType, r.body)
}

func gzipped(body []byte) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b) // the default level: compressed once, sent many times
	// Writing to memory cannot fail.
	_, _ = zw.Write(body)
	_ = zw.Close()
	return b.Bytes()
}

// acceptsGzip reads Accept-Encoding (RFC 9110 12.5.3): gzip or * listed
// without q=0.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			name, weight, _ := strings.Cut(strings.TrimSpace(params), "=")
			if q, err := strconv.ParseFloat(strings.TrimSpace(weight), 64); strings.EqualFold(strings.TrimSpace(name), "q") && err == nil && q == 0 {
				return false
			}
			return true
		}
	}
	return false
}

// writeScope says what a write may have changed: the catalogue's and the
// ledger's operations change data only; anything else (sign-in, sessions,
// people, tokens, and any operation not known here) may change access.
func writeScope(c echo.Context) changes.Scope {
	perm, _ := c.Get(permissionKey).(auth.Permission)
	switch perm {
	case auth.PermCatalogue, auth.PermCustomers, auth.PermStock:
		return changes.Data
	}
	return changes.Access
}

// wrote reports whether a finished request may have changed data: anything
// but a refusal (4xx), which the stores make before or instead of writing.
func wrote(c echo.Context, err error) bool {
	if err == nil {
		s := c.Response().Status
		return s < 400 || s >= 500
	}
	if e, ok := apperr.As(err); ok {
		s, known := statusByCode[e.Code]
		return !known || s >= 500
	}
	var httpErr *echo.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.Code >= 500
	}
	return true
}
