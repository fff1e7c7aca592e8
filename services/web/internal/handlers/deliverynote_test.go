package handlers

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// noteAPI adds order 7's delivery note to fakeAPI; every other order is
// missing.
type noteAPI struct {
	*fakeAPI
}

const fakeNote = "%PDF-1.4 delivery note"

func (a noteAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/api/v1/orders/") {
		a.fakeAPI.ServeHTTP(w, r)
		return
	}
	a.fakeAPI.mu.Lock()
	ok := a.fakeAPI.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	a.fakeAPI.mu.Unlock()
	switch {
	case !ok:
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
	case r.URL.Path == "/api/v1/orders/7/delivery-note":
		h := w.Header()
		h.Set("ETag", `"n1"`)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "private, no-cache")
		if r.Header.Get("If-None-Match") == `"n1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "application/pdf")
		h.Set("Content-Disposition", `attachment; filename="LS-2026-0007.pdf"`)
		_, _ = w.Write([]byte(fakeNote))
	default:
		apiError(w, 404, "not_found", "Order not found.", nil)
	}
}

// The web streams the api's delivery note with its headers, passes
// If-None-Match on, and shows the api's 404; a visitor signs in first.
func TestDeliveryNoteDownload(t *testing.T) {
	api := noteAPI{newFakeAPI()}
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	if r := b.get("/orders/7/delivery-note.pdf"); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login") {
		t.Fatalf("signed out = %d %q", r.status, r.header.Get("Location"))
	}
	b.signIn()
	r := b.get("/orders/7/delivery-note.pdf")
	if r.status != 200 || r.body != fakeNote {
		t.Fatalf("note = %d %q", r.status, r.body)
	}
	for k, v := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
		"ETag": `"n1"`, "Content-Disposition": `attachment; filename="LS-2026-0007.pdf"`} {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if nm := b.do(http.MethodGet, "/orders/7/delivery-note.pdf", nil, map[string]string{"If-None-Match": `"n1"`}); nm.status != http.StatusNotModified || nm.body != "" {
		t.Errorf("If-None-Match = %d %q", nm.status, nm.body)
	}
	if nf := b.get("/orders/8/delivery-note.pdf"); nf.status != http.StatusNotFound {
		t.Errorf("missing order = %d", nf.status)
	}
	if bad := b.get("/orders/x/delivery-note.pdf"); bad.status != http.StatusNotFound {
		t.Errorf("not an id = %d", bad.status)
	}
}
