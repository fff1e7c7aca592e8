package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func auditEntries() []map[string]any {
	return []map[string]any{
		{"id": 31, "at": "2025-06-01T10:00:00Z", "request_id": "req-2", "entity": "user", "entity_id": "9", "action": "update", "user_id": 7,
			"changes": map[string]any{"role": map[string]any{"from": "clerk", "to": "manager"}, "disabled": map[string]any{"from": false, "to": true}}},
		{"id": 30, "at": "2025-06-01T09:00:00Z", "request_id": "req-1", "entity": "item", "entity_id": "12", "action": "create", "user_id": 9, "token_id": 4,
			"changes": map[string]any{"name": map[string]any{"to": "Cola"}}},
	}
}

func TestAuditPage(t *testing.T) {
	api := newPeopleAPI("admin")
	api.audit = auditEntries()
	api.auditNext = "next-1"
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()

	p := b.get("/audit?entity=user&entity_id=9&user_id=7&action=update&from=2025-06-01&to=2025-06-01&request_id=req-2")
	if p.status != http.StatusOK {
		t.Fatalf("/audit = %d\n%s", p.status, p.body)
	}
	q, _ := url.ParseQuery(api.queriesOf("/api/v1/audit")[0])
	want := map[string]string{"entity": "user", "entity_id": "9", "user_id": "7", "action": "update", "request_id": "req-2",
		// Zurich days: 1 June 00:00 CEST to 2 June 00:00 CEST.
		"from": "2025-05-31T22:00:00Z", "to": "2025-06-01T22:00:00Z", "limit": "50"}
	for k, v := range want {
		if q.Get(k) != v {
			t.Errorf("api %s = %q, want %q", k, q.Get(k), v)
		}
	}
	// Admins see names: the people list was read with the entries.
	if got := p.text("audit-who-31"); got != "Anna Muster" {
		t.Errorf("who = %q", got)
	}
	if got := p.text("audit-who-30") + " " + p.text("audit-via-30"); got != "Beat Keller (via an API token)" {
		t.Errorf("who with token = %q", got)
	}
	if got := p.doc.Find(`[data-testid="audit-change-31-role"] [data-testid="from"]`).Text() + "→" +
		p.doc.Find(`[data-testid="audit-change-31-role"] [data-testid="to"]`).Text(); got != "Clerk→Manager" {
		t.Errorf("role change = %q", got)
	}
	// The person the entry is about, by name from the people list.
	if got := p.text("audit-what-31"); got != "Anna Muster changed person Beat Keller" {
		t.Errorf("what = %q", got)
	}
	// A created record: its values, no column of empty "before" values.
	if p.doc.Find(`[data-testid="audit-change-30-name"] [data-testid="from"]`).Length() != 0 ||
		p.doc.Find(`[data-testid="audit-change-30-name"] [data-testid="to"]`).Text() != "Cola" {
		t.Errorf("created field = %q", p.text("audit-change-30-name"))
	}
	if got := p.doc.Find("#audit-user_id option[selected]").AttrOr("value", ""); got != "7" {
		t.Errorf("person selected = %q", got)
	}
	next := p.doc.Find(`[data-testid="pager-next"]`).AttrOr("href", "")
	nq, _ := url.ParseQuery(next[len("/audit?"):])
	if nq.Get("cursor") != "next-1" || nq.Get("entity") != "user" || nq.Get("from") != "2025-06-01" {
		t.Errorf("next page = %q", next)
	}
	if p := b.get(next); p.has("pager-next") || !p.has("pager-first") {
		t.Errorf("second page: next %t, first %t", p.has("pager-next"), p.has("pager-first"))
	}
	if got := api.queriesOf("/api/v1/audit")[1]; !strings.Contains(got, "cursor=next-1") {
		t.Errorf("second page query = %q", got)
	}
}

func TestAuditFilterErrors(t *testing.T) {
	api := newPeopleAPI("manager")
	api.audit = auditEntries()
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()

	// Managers see the trail (they may not list people): a person the api
	// names nobody for is a word, never a number.
	p := b.get("/audit")
	if p.status != http.StatusOK || !p.has("nav-audit") {
		t.Fatalf("manager /audit = %d, nav %t", p.status, p.has("nav-audit"))
	}
	if got := p.text("audit-who-31"); got != "(former user)" {
		t.Errorf("who for a manager without a name from the api = %q", got)
	}
	if api.callCount("GET /api/v1/users") != 0 {
		t.Error("the people list was asked for a manager")
	}
	if p.doc.Find("input#audit-user_id").Length() != 1 {
		t.Error("the person filter is not a number field for a manager")
	}

	// What the page cannot read is said beside the field, without asking the api.
	calls := api.callCount("GET /api/v1/audit")
	p = b.get("/audit?from=yesterday&user_id=x")
	if p.status != http.StatusUnprocessableEntity || p.text("error-audit-from") != "Enter a date such as 31.12.2025." ||
		p.text("error-audit-user_id") != "Enter a person's number." {
		t.Errorf("bad filter = %d from %q user %q", p.status, p.text("error-audit-from"), p.text("error-audit-user_id"))
	}
	if api.callCount("GET /api/v1/audit") != calls {
		t.Error("the api was asked with a filter the page could not read")
	}
	// Swiss dates are read too.
	if p := b.get("/audit?from=1.6.2025"); p.status != http.StatusOK {
		t.Errorf("Swiss date = %d", p.status)
	}

	// A range the api refuses: its message beside "to", in German too.
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"}
	p = b.get("/audit?from=2025-06-05&to=2025-06-01")
	if p.status != http.StatusUnprocessableEntity || p.text("error-audit-to") != "Wählen Sie einen Tag am oder nach dem ersten Tag." {
		t.Errorf("reversed range = %d %q", p.status, p.text("error-audit-to"))
	}
	if p.has("audit-31") {
		t.Error("entries shown for a refused filter")
	}
}

func TestAuditNeedsManager(t *testing.T) {
	for _, role := range []string{"clerk", "viewer"} {
		api := newPeopleAPI(role)
		w := startWeb(t, api, 2*time.Second)
		b := newBrowser(t, w)
		b.signIn()
		if p := b.get("/"); p.has("nav-audit") {
			t.Errorf("%s: the navigation offers the audit trail", role)
		}
		if p := b.get("/audit"); p.status != http.StatusForbidden {
			t.Errorf("%s: /audit = %d, want 403", role, p.status)
		}
	}
}

// The entries' records are looked up by name, each once and all at once;
// one the api no longer has reads as deleted. German, for a manager, who
// reads the names of who did it from the api.
func TestAuditPageNamesRecords(t *testing.T) {
	api := newPeopleAPI("manager")
	api.audit = []map[string]any{
		{"id": 52, "at": "2025-06-01T10:00:00Z", "request_id": "req-3", "entity": "movement", "entity_id": "70", "action": "create",
			"user_id": 9, "user_name": "Beat Keller", "changes": map[string]any{
				"type": map[string]any{"to": "receipt"}, "item_id": map[string]any{"to": 12}, "entered_quantity": map[string]any{"to": 2},
				"entered_unit": map[string]any{"to": "package"}, "quantity_base": map[string]any{"to": 48},
				"supplier_id": map[string]any{"to": 5}, "unit_cost_micros": map[string]any{"to": 850000},
				"avg_cost_before": map[string]any{"to": 800000}, "avg_cost_after": map[string]any{"to": 850000}}},
		{"id": 51, "at": "2025-06-01T09:00:00Z", "request_id": "req-2", "entity": "item", "entity_id": "12", "action": "update",
			"user_id": 7, "user_name": "Anna Muster", "changes": map[string]any{
				"category_id": map[string]any{"from": 3, "to": 4}, "sales_price_unit": map[string]any{"from": 180, "to": 190}}},
		{"id": 50, "at": "2025-06-01T08:00:00Z", "request_id": "req-1", "entity": "item", "entity_id": "99", "action": "update",
			"user_id": 7, "user_name": "Anna Muster", "changes": map[string]any{"brand": map[string]any{"from": "", "to": "Falken"}}},
	}
	api.records = map[string][]map[string]any{
		"/api/v1/items": {{"id": 12, "sku": "LB-1", "name": "Lager Bier", "base_unit": "Flasche", "package_unit": "Harass",
			"package_size": 24, "currency": "CHF", "sales_price_unit": "1.90", "vat_rate": "8.1", "archived": false,
			"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"},
			// Not asked for: the page names no item 13.
			{"id": 13, "sku": "X", "name": "X", "base_unit": "Flasche", "currency": "CHF", "sales_price_unit": "1.00", "vat_rate": "8.1",
				"archived": false, "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}},
		"/api/v1/suppliers": {{"id": 5, "name": "Brauerei Falken", "archived": true,
			"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}},
		"/api/v1/categories": {{"id": 3, "name": "Bier", "archived": false,
			"created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"}},
	}
	w := startWeb(t, api, 2*time.Second)
	b := newBrowser(t, w)
	b.signIn()
	b.cookies[cookieLang] = &http.Cookie{Name: cookieLang, Value: "de"}

	p := b.get("/audit")
	if p.status != http.StatusOK {
		t.Fatalf("/audit = %d\n%s", p.status, p.body)
	}
	for id, want := range map[string]string{
		"audit-what-52": "Beat Keller hat die Bewegung Wareneingang 2 Harasse LB-1 Lager Bier gebucht",
		"audit-what-51": "Anna Muster hat den Artikel LB-1 Lager Bier geändert",
		"audit-what-50": "Anna Muster hat den Artikel Nr. 99 (gelöscht) geändert",
		"audit-at-51":   "01.06.2025 11:00",
	} {
		if got := p.text(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	change := func(entry, field string) string {
		row := p.doc.Find(`[data-testid="audit-change-` + entry + `-` + field + `"]`)
		return strings.Join(strings.Fields(row.Find(`[data-testid="label"]`).Text()+": "+row.Find(`[data-testid="from"]`).Text()+
			" → "+row.Find(`[data-testid="to"]`).Text()), " ")
	}
	for _, c := range []struct{ entry, field, want string }{
		{"51", "sales_price_unit", "Verkaufspreis pro Einheit: CHF 1.80 → CHF 1.90"},
		{"51", "category_id", "Kategorie: Bier → Nr. 4 (gelöscht)"},
		{"52", "avg_cost", "Durchschnittskosten pro Einheit: CHF 0.80 → CHF 0.85"},
		{"52", "supplier_id", "Lieferant: → Brauerei Falken"},
	} {
		if got := change(c.entry, c.field); got != c.want {
			t.Errorf("%s/%s = %q, want %q", c.entry, c.field, got, c.want)
		}
	}
	if got := p.doc.Find(`[data-testid="audit-record-51"]`).AttrOr("href", ""); got != "/items/12" {
		t.Errorf("item link = %q", got)
	}
	// One call per kind of record, asking for every id of that kind the
	// page names (archived ones too); none per id.
	for call, want := range map[string]int{"GET /api/v1/items": 1, "GET /api/v1/suppliers": 1,
		"GET /api/v1/categories": 1, "GET /api/v1/users": 0,
		"GET /api/v1/items/12": 0, "GET /api/v1/items/99": 0, "GET /api/v1/suppliers/5": 0} {
		if got := api.callCount(call); got != want {
			t.Errorf("%s asked %d times, want %d", call, got, want)
		}
	}
	for path, want := range map[string]string{"/api/v1/items": "12,99", "/api/v1/suppliers": "5", "/api/v1/categories": "3,4"} {
		qs := api.queriesOf(path)
		if len(qs) != 1 {
			t.Errorf("%s asked %d times", path, len(qs))
			continue
		}
		q, _ := url.ParseQuery(qs[0])
		if q.Get("ids") != want || q.Get("archived") != "all" {
			t.Errorf("%s?%s, want ids=%s&archived=all", path, qs[0], want)
		}
	}
}
