package views

import (
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

func TestAuditTrail(t *testing.T) {
	at := testNow.Add(-2 * 24 * 3600e9) // 31.05.2025 09:30 UTC = 11:30 in Zurich
	v := AuditView{
		Filter: Form{Values: map[string]string{"entity": "item", "action": "update", "from": "2025-05-01"}},
		People: []Option{{Value: "3", Label: "Anna Muster (anna@example.ch)"}},
		Rows: []AuditEntryRow{
			{ID: 41, At: at, UserID: 3, UserName: "Anna Muster", Entity: "item", EntityID: "12", Action: "update", RequestID: "req-1",
				Changes: SortedAuditChanges(map[string][2]any{
					"name":       {"Cola", "Cola Zero"},
					"min_stock":  {float64(10), float64(1500000)},
					"active":     {true, false},
					"brand":      {nil, "Zweifel"},
					"categories": {[]any{"a"}, map[string]any{"x": 1.5}},
				}, func(c [2]any) any { return c[0] }, func(c [2]any) any { return c[1] })},
			{ID: 40, At: at, Entity: "session", EntityID: "5b7f", Action: "login", RequestID: "req-0", TokenID: 0},
			{ID: 39, At: at, UserID: 8, TokenID: 2, Entity: "movement", EntityID: "77", Action: "create", RequestID: "req-x",
				Changes: []AuditFieldChange{{Field: "sku", To: "FS-1"}}},
		},
		Pager: Pager{Next: "/audit?cursor=abc&entity=item"},
	}
	doc := renderDoc(t, AuditTrail(signedInPage(i18n.English, NavAudit, "manager"), v))
	if got := text(doc, "audit-what-41"); got != "Item 12 changed" {
		t.Errorf("what = %q", got)
	}
	if got := text(doc, "audit-at-41"); got != "31.05.2025 11:30" {
		t.Errorf("at = %q", got)
	}
	if got := text(doc, "audit-who-41"); got != "Anna Muster" {
		t.Errorf("who = %q", got)
	}
	if got := text(doc, "audit-who-40"); got != "System" {
		t.Errorf("system = %q", got)
	}
	if got := text(doc, "audit-who-39"); got != "person 8 (via API token 2)" {
		t.Errorf("who by number with token = %q", got)
	}
	// Fields in order, before → after, values written for people.
	var fields []string
	doc.Find(`[data-testid="audit-changes-41"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		fields = append(fields, s.Find("th").Text()+": "+s.Find(`[data-testid="from"]`).Text()+" → "+s.Find(`[data-testid="to"]`).Text())
	})
	want := []string{
		"active: yes → no",
		"brand: (empty) → Zweifel",
		`categories: ["a"] → {"x":1.5}`,
		"min_stock: 10 → 1500000",
		"name: Cola → Cola Zero",
	}
	if diff := cmp.Diff(want, fields); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	// A created record's entry has no "before" column.
	if got := doc.Find(`[data-testid="audit-changes-39"] thead th`).Length(); got != 2 {
		t.Errorf("columns of a create = %d, want field and after", got)
	}
	if got := doc.Find(`[data-testid="audit-change-39-sku"] [data-testid="to"]`).Text(); got != "FS-1" {
		t.Errorf("created field = %q", got)
	}
	if got := text(doc, "audit-nochanges-40"); got != "No field changed." {
		t.Errorf("no changes = %q", got)
	}
	// Links narrow the trail to the record, the person and the request.
	links := map[string]bool{}
	doc.Find(`[data-testid="audit-41"] a`).Each(func(_ int, s *goquery.Selection) { h, _ := s.Attr("href"); links[h] = true })
	for _, l := range []string{"/audit?entity=item&entity_id=12", "/audit?user_id=3", "/audit?request_id=req-1"} {
		if !links[l] {
			t.Errorf("no link %s in %v", l, links)
		}
	}
	// The record's own page, where it has one the viewer may read.
	if got, _ := doc.Find(`[data-testid="audit-open-41"]`).Attr("href"); got != "/items/12" {
		t.Errorf("open item = %q", got)
	}
	if doc.Find(`[data-testid="audit-open-40"]`).Length() != 0 {
		t.Error("a session has no page to open")
	}
	// The filter keeps its values; the people are offered by name.
	if got, _ := doc.Find("#audit-entity option[selected]").Attr("value"); got != "item" {
		t.Errorf("entity selected = %q", got)
	}
	if got, _ := doc.Find("#audit-from").Attr("value"); got != "2025-05-01" {
		t.Errorf("from = %q", got)
	}
	if typ, _ := doc.Find("#audit-to").Attr("type"); typ != "date" {
		t.Errorf("to type = %q", typ)
	}
	if got := doc.Find("select#audit-user_id option").Length(); got != 2 {
		t.Errorf("person options = %d, want everyone + 1", got)
	}
	if got, _ := doc.Find(`[data-testid="pager-next"]`).Attr("href"); got != v.Pager.Next {
		t.Errorf("next = %q", got)
	}

	// German, without the people list: a number field, German names.
	v.People = nil
	doc = renderDoc(t, AuditTrail(signedInPage(i18n.German, NavAudit, "manager"), v))
	if got := text(doc, "audit-what-41"); got != "Artikel 12 geändert" {
		t.Errorf("what (de) = %q", got)
	}
	if got := text(doc, "audit-who-39"); got != "Person 8 (über API-Token 2)" {
		t.Errorf("who (de) = %q", got)
	}
	if doc.Find("input#audit-user_id").Length() != 1 {
		t.Error("without the people list the person filter is not a number field")
	}
	// A person's page is for admins only.
	v.Rows = []AuditEntryRow{{ID: 50, At: at, Entity: "user", EntityID: "9", Action: "update"}}
	if doc := renderDoc(t, AuditTrail(signedInPage(i18n.English, NavAudit, "manager"), v)); doc.Find(`[data-testid="audit-open-50"]`).Length() != 0 {
		t.Error("a manager is offered a person's page")
	}
	doc = renderDoc(t, AuditTrail(signedInPage(i18n.English, NavAudit, "admin"), v))
	if got, _ := doc.Find(`[data-testid="audit-open-50"]`).Attr("href"); got != "/users/9" {
		t.Errorf("open person for an admin = %q", got)
	}

	doc = renderDoc(t, AuditTrail(signedInPage(i18n.English, NavAudit, "admin"), AuditView{}))
	if got := text(doc, "audit-empty"); got != "No entries match." {
		t.Errorf("empty = %q", got)
	}
}
