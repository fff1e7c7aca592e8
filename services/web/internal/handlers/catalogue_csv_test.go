package handlers

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
)

// An export whose api stream breaks midway must not reach the browser as a
// complete file: the status is sent by then, so the connection is cut, and
// the log says so under the request id.
func TestExportAbortsOnBrokenStream(t *testing.T) {
	api, b := startCatalogue(t, "viewer")
	api.mu.Lock()
	api.breakExport = true
	api.mu.Unlock()

	req, err := http.NewRequest(http.MethodGet, b.web.url+"/items/export", nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range b.cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d", resp.StatusCode)
	}
	got, err := io.ReadAll(resp.Body)
	if err == nil {
		t.Fatalf("the cut stream reached the browser as a whole file: %q", got)
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("read error = %v, want unexpected EOF", err)
	}
	if !strings.HasPrefix("sku,name\n", string(got)) {
		t.Errorf("received %q", got)
	}

	cut := b.web.logs.FilterMessage("csv export cut off").All()
	if len(cut) != 1 {
		t.Fatalf("logged %d cut exports, want 1", len(cut))
	}
	f := cut[0].ContextMap()
	if f["broken"] != "api" || f["kind"] != "items" || f["request_id"] == "" || f["request_id"] == nil {
		t.Errorf("log fields = %v", f)
	}
	if n := len(b.web.logs.FilterMessage("panic").All()); n != 0 {
		t.Errorf("the abort was logged as %d panics", n)
	}

	// A whole stream still ends normally.
	api.mu.Lock()
	api.breakExport = false
	api.mu.Unlock()
	if r := b.get("/items/export"); r.status != http.StatusOK || r.body != "sku,name\nA-1,Lager 33cl\n" {
		t.Errorf("whole export = %d %q", r.status, r.body)
	}
}
