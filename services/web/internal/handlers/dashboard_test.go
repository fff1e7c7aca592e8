package handlers

import (
	"net/http"
	"testing"
	"time"
)

func TestDashboard(t *testing.T) {
	api, b := startLedger(t, "clerk")
	p := b.get("/")
	if p.status != http.StatusOK {
		t.Fatalf("GET / signed in = %d\n%s", p.status, p.body)
	}
	want := map[string]string{
		"dashboard-stock-value":      "CHF 12’345.60",
		"dashboard-other-currencies": "plus EUR 99.50 in other currencies",
		"dashboard-low-count":        "12",
		"dashboard-today":            "3",
		"dashboard-week":             "1’234",
	}
	for id, w := range want {
		if got := p.text(id); got != w {
			t.Errorf("%s = %q, want %q", id, got, w)
		}
	}
	if href, _ := p.doc.Find(`[data-testid="dashboard-receive-2"]`).Attr("href"); href != "/movements/new/receipt?item_id=2" {
		t.Errorf("receive link = %q", href)
	}
	if !p.has("dashboard-all-low") {
		t.Error("12 low items but only one listed: link to all of them")
	}
	// Charts: three category bars (two named and the rest), 30 days.
	if n := p.doc.Find(`[data-testid="chart-value"] rect`).Length(); n != 3 {
		t.Errorf("value bars = %d", n)
	}
	if n := p.doc.Find(`[data-testid="chart-days"] rect`).Length(); n != 30 {
		t.Errorf("day columns = %d", n)
	}
	if got := p.doc.Find(`[data-testid="dashboard-value-table"] tbody tr`).Eq(1).Text(); got != "No categoryCHF 345.60" {
		t.Errorf("second category row = %q", got)
	}
	if !p.has("dashboard-movement-102") {
		t.Error("recent movements missing")
	}
	// Each movement names its partner as the api gives it, without a
	// list of suppliers or customers.
	if s, c := p.text("dashboard-movement-partner-101"), p.text("dashboard-movement-partner-102"); s != "Brauerei Falken" || c != "Restaurant Sonne" {
		t.Errorf("recent partners = %q, %q", s, c)
	}
	if n := api.callCount("GET /api/v1/suppliers") + api.callCount("GET /api/v1/customers"); n != 0 {
		t.Errorf("the dashboard listed partners %d times", n)
	}
	if p.doc.Find(`[data-testid="nav-home"][aria-current="page"]`).Length() != 1 {
		t.Error("the overview is not marked as the current page")
	}

	// German, and a viewer gets no receive button.
	_, v := startLedger(t, "viewer")
	v.lang = "de"
	v.cookies[cookieLang].Value = "de"
	d := v.get("/")
	if got := d.text("dashboard-stock-value"); got != "CHF 12’345.60" || d.has("dashboard-receive-2") {
		t.Errorf("viewer's dashboard: value %q, receive button %t", got, d.has("dashboard-receive-2"))
	}
	if got := d.text("dashboard-other-currencies"); got != "dazu EUR 99.50 in anderen Währungen" {
		t.Errorf("German other currencies = %q", got)
	}
}

func TestStatusPageIsPublic(t *testing.T) {
	w := startWeb(t, newLedgerAPI(), 2*time.Second)
	b := newBrowser(t, w)
	// Nobody signed in: "/" and "/status" show the system status.
	for _, path := range []string{"/", "/status"} {
		p := b.get(path)
		if p.status != http.StatusOK || p.text("status-database-text") != "database: ready" {
			t.Errorf("GET %s anonymous = %d %q", path, p.status, p.text("status-database-text"))
		}
	}
	b.signIn()
	if p := b.get("/status"); p.status != http.StatusOK || !p.has("status-panel") {
		t.Errorf("GET /status signed in = %d", p.status)
	}
	if p := b.get("/"); p.has("status-panel") || !p.has("dashboard-figures") {
		t.Error("signed in, / is the dashboard")
	}
}
