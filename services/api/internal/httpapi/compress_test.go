package httpapi_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"strconv"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

func TestUncachedAnswersAreCompressedOnceForWhoAcceptsGzip(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	var last int64
	for i := range 30 { // a list long enough to be worth compressing
		c, _ := en.create(mgr, "/api/v1/categories", map[string]any{"name": "Kategorie " + strconv.Itoa(i)})
		last = c.ID
	}
	path := "/api/v1/categories?limit=100"
	noCache := map[string]string{"Cache-Control": "no-cache"}
	plain := en.do(req{method: "GET", path: path, token: mgr, header: noCache})
	if plain.Status != 200 || plain.Header.Get("Content-Encoding") != "" {
		t.Fatalf("without Accept-Encoding: %d, Content-Encoding %q", plain.Status, plain.Header.Get("Content-Encoding"))
	}

	gz := map[string]string{"Cache-Control": "no-cache", "Accept-Encoding": "gzip, deflate, br, zstd"}
	r := en.do(req{method: "GET", path: path, token: mgr, header: gz})
	if r.Status != 200 || cacheStatus(r) != "depotix-api; fwd=miss" || r.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("an uncached list to a browser: %d, Cache-Status %q, Content-Encoding %q", r.Status, cacheStatus(r), r.Header.Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(r.Body))
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(body, plain.Body) || len(r.Body)*3 > len(body) || r.Header.Get("Content-Length") != "" {
		t.Fatalf("compressed %d bytes to %d (Content-Length %q); equal to the plain answer: %v",
			len(body), len(r.Body), r.Header.Get("Content-Length"), bytes.Equal(body, plain.Body))
	}

	// An answer with a strong ETag names one representation; an error is
	// small; neither is compressed.
	record := en.do(req{method: "GET", path: "/api/v1/categories/" + strconv.FormatInt(last, 10), token: mgr, header: gz})
	missing := en.do(req{method: "GET", path: "/api/v1/categories/999999", token: mgr, header: gz})
	if record.Status != 200 || record.Header.Get("ETag") == "" || record.Header.Get("Content-Encoding") != "" {
		t.Fatalf("a record: %d, ETag %q, Content-Encoding %q", record.Status, record.Header.Get("ETag"), record.Header.Get("Content-Encoding"))
	}
	if missing.Status != 404 || missing.Header.Get("Content-Encoding") != "" {
		t.Fatalf("a 404: %d, Content-Encoding %q", missing.Status, missing.Header.Get("Content-Encoding"))
	}
}
