package views

import (
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

const firefoxOnWindows = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"

func change(from, to any) apiclient.AuditChange { return apiclient.AuditChange{From: from, To: to} }

// sampleAudit is a page of entries as the api sends them (numbers as JSON
// decodes them) and the names a handler looked up for them.
func sampleAudit() ([]apiclient.AuditEntry, AuditRefs) {
	at := testNow.Add(-2 * 24 * 3600e9) // 31.05.2025 09:30 UTC = 11:30 in Zurich
	es := []apiclient.AuditEntry{
		{ID: 41, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "item", EntityID: "12", Action: "update",
			RequestID: "0f8e2c1a-77b1-4c39-9a55-1d1f0e6b2a10", Changes: map[string]apiclient.AuditChange{
				"sales_price_unit": change(float64(180), float64(190)), // Rappen, as the api stores them
				"category_id":      change(float64(3), float64(4)),
				"vat_rate_bp":      change(float64(810), float64(260)),
				"returnable":       change(true, false),
				"container":        change("glass", "can"),
				"abv":              change(float64(48), float64(50)),
				"min_stock":        change(float64(10), float64(1500000)),
				"brand":            change("", "Falken"),
				"archived_at":      change(nil, "2025-05-31T09:30:00Z"),
			}},
		{ID: 40, At: at, UserID: ptr(int64(8)), UserName: ptr("Beat Keller"), TokenID: ptr(int64(2)), TokenName: ptr("Kasse"),
			Entity: "movement", EntityID: "77", Action: "create", RequestID: "req-x", Changes: map[string]apiclient.AuditChange{
				"id": change(nil, float64(77)), "type": change(nil, "receipt"), "item_id": change(nil, float64(12)),
				"item_sku": change(nil, "LB-1"), "location_id": change(nil, float64(5)), "location_code": change(nil, "WH1"),
				"entered_quantity": change(nil, float64(2)), "entered_unit": change(nil, "package"), "unit_factor": change(nil, float64(24)),
				"quantity_base": change(nil, float64(48)), "unit_cost_micros": change(nil, float64(800000)),
				"avg_cost_before": change(nil, float64(800000)), "avg_cost_after": change(nil, float64(850000)),
				"supplier_id": change(nil, float64(6)), "effective_at": change(nil, "2025-05-31T09:30:00Z"),
			}},
		{ID: 39, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "session",
			EntityID: "5b7f0c8e-1111-4c39-9a55-1d1f0e6b2a10", Action: "login", RequestID: "req-0",
			Changes: map[string]apiclient.AuditChange{"ip": change(nil, "192.0.2.7"), "user_agent": change(nil, firefoxOnWindows)}},
		{ID: 38, At: at, UserID: ptr(int64(7)), Entity: "user", EntityID: "9", Action: "update", RequestID: "req-y",
			Changes: map[string]apiclient.AuditChange{"role": change("clerk", "manager"), "disabled": change(false, true)}},
		{ID: 37, At: at, Entity: "customer", EntityID: "21", Action: "delete", RequestID: "req-z",
			Changes: map[string]apiclient.AuditChange{"name": change("Beiz zum Hirschen", nil), "credit_limit": change(float64(500000), nil),
				"currency":        change("CHF", nil),
				"billing_address": change(map[string]any{"street": "Gasse", "house_number": "4", "postal_code": "3000", "town": "Bern", "country": "CH"}, nil)}},
		{ID: 36, At: at, UserID: ptr(int64(3)), UserName: ptr("Anna Muster"), Entity: "api_token", EntityID: "4", Action: "create", RequestID: "req-t",
			Changes: map[string]apiclient.AuditChange{"name": change(nil, "Kasse"), "scope": change(nil, "write"),
				"prefix": change(nil, "dpx_abcd"), "expires_at": change(nil, "2026-05-31T09:30:00Z")}},
	}
	refs := AuditRefs{}
	refs.Set("item", 12, AuditRef{Name: "LB-1 Lager Bier", Currency: "CHF", BaseUnit: "Flasche", PackageUnit: "Harass"})
	refs.Set("category", 3, AuditRef{Name: "Bier"})
	refs.Set("category", 4, AuditRef{Gone: true})
	refs.Set("location", 5, AuditRef{Name: "WH1 Hauptlager"})
	refs.Set("supplier", 6, AuditRef{Name: "Brauerei Falken"})
	return es, refs
}

// changesOf reads an entry's changes as "label: before → after".
func changesOf(doc *goquery.Document, id string) []string {
	var out []string
	doc.Find(`[data-testid="audit-changes-` + id + `"] > li`).Each(func(_ int, s *goquery.Selection) {
		line := s.Find(`[data-testid="label"]`).Text() + ":"
		if from := s.Find(`[data-testid="from"]`); from.Length() > 0 {
			line += " " + strings.TrimSpace(from.Text())
			if s.Find(`[data-testid="to"]`).Length() > 0 {
				line += " →"
			}
		}
		if to := s.Find(`[data-testid="to"]`); to.Length() > 0 {
			line += " " + strings.TrimSpace(to.Text())
		}
		out = append(out, line)
	})
	return out
}

func TestAuditTrailInWords(t *testing.T) {
	es, refs := sampleAudit()
	tests := []struct {
		lang  i18n.Lang
		what  map[string]string
		items []string // entry 41's changes
		moves []string // entry 40's changes
		rest  map[string][]string
	}{
		{
			lang: i18n.German,
			what: map[string]string{
				"41": "Anna Muster hat den Artikel LB-1 Lager Bier geändert",
				"40": "Beat Keller hat die Bewegung Wareneingang 2 Harasse LB-1 Lager Bier gebucht (über das API-Token «Kasse»)",
				"39": "Anna Muster hat sich angemeldet",
				"38": "(ehemalige Person) hat die Person Nr. 9 geändert",
				"37": "Depotix hat den Kunden Beiz zum Hirschen gelöscht",
				"36": "Anna Muster hat das API-Token Kasse angelegt",
			},
			items: []string{
				"Alkohol (% vol.): 4.8 % → 5 %",
				"Archiviert: 31.05.2025 11:30",
				"Behälter: Glas → Dose",
				"Kategorie: Bier → Nr. 4 (gelöscht)",
				"MWST: 8.1 % → 2.6 %",
				"Marke: (leer) → Falken",
				"Mehrweg: ja → nein",
				"Mindestbestand: 10 Flaschen → 1’500’000 Flaschen",
				"Verkaufspreis pro Einheit: CHF 1.80 → CHF 1.90",
			},
			moves: []string{
				"Datum: 31.05.2025 11:30",
				"Durchschnittskosten pro Einheit: CHF 0.80 → CHF 0.85",
				"Art: Wareneingang",
				"Artikel: LB-1 Lager Bier",
				"In Basiseinheiten: 48 Flaschen",
				"Kosten pro Basiseinheit: CHF 0.80",
				"Lagerort: WH1 Hauptlager",
				"Lieferant: Brauerei Falken",
				"Menge: 2 Harasse",
			},
			rest: map[string][]string{
				"39": {"Adresse: 192.0.2.7", "Gerät: Firefox auf Windows"},
				"38": {"Gesperrt: nein → ja", "Rolle: Sachbearbeiter/in → Leiter/in"},
				"37": {"Kreditlimite: CHF 5’000.00", "Name: Beiz zum Hirschen", "Rechnungsadresse: Gasse 4, 3000 Bern, CH", "Währung: CHF"},
				"36": {"Läuft ab: 31.05.2026", "Name: Kasse", "Zugriff: Lesen und schreiben"},
			},
		},
		{
			lang: i18n.English,
			what: map[string]string{
				"41": "Anna Muster changed item LB-1 Lager Bier",
				"40": "Beat Keller booked movement Receipt 2 Harasse LB-1 Lager Bier (via API token «Kasse»)",
				"39": "Anna Muster signed in",
				"38": "(former user) changed person no. 9",
				"37": "Depotix deleted customer Beiz zum Hirschen",
			},
			items: []string{"Alcohol (% vol.): 4.8 % → 5 %"},
			rest: map[string][]string{
				"39": {"Address: 192.0.2.7", "Device: Firefox on Windows"},
				"38": {"Disabled: no → yes", "Role: Clerk → Manager"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			p := signedInPage(tt.lang, NavAudit, "manager")
			doc := renderDoc(t, AuditTrail(p, AuditView{Rows: NewAuditRows(p, es, refs)}))
			for id, want := range tt.what {
				if got := text(doc, "audit-what-"+id); got != want {
					t.Errorf("entry %s reads %q, want %q", id, got, want)
				}
			}
			if tt.lang == i18n.German {
				got := changesOf(doc, "41")
				if diff := cmp.Diff(sortedCopy(tt.items), sortedCopy(got)); diff != "" {
					t.Errorf("item changes (-want +got):\n%s", diff)
				}
				got = changesOf(doc, "40")
				if diff := cmp.Diff(sortedCopy(tt.moves), sortedCopy(got)); diff != "" {
					t.Errorf("movement changes (-want +got):\n%s", diff)
				}
			} else if got := changesOf(doc, "41"); !contains(got, tt.items[0]) {
				t.Errorf("item changes = %q, want %q among them", got, tt.items[0])
			}
			for id, want := range tt.rest {
				if diff := cmp.Diff(sortedCopy(want), sortedCopy(changesOf(doc, id))); diff != "" {
					t.Errorf("entry %s changes (-want +got):\n%s", id, diff)
				}
			}
			// The time in the person's zone, with the moment for machines.
			if got := text(doc, "audit-at-41"); got != "31.05.2025 11:30" {
				t.Errorf("at = %q", got)
			}
			// The browser's own description only as a tooltip.
			if got := doc.Find(`[data-testid="audit-change-39-user_agent"] [title]`).AttrOr("title", ""); got != firefoxOnWindows {
				t.Errorf("device tooltip = %q", got)
			}
			// Nothing technical on the screen: no field names, codes,
			// micro-units, ids with #, request ids, secrets.
			shown := doc.Find(`[data-testid="audit-entries"]`).Text()
			for _, bad := range []string{"_id", "micros", "sales_price", "receipt", "#", "0f8e2c1a", "5b7f0c8e", "dpx_abcd", "800000", "glass"} {
				if strings.Contains(shown, bad) {
					t.Errorf("the entries show %q:\n%s", bad, shown)
				}
			}
			if code := regexp.MustCompile(`\b(create|update|login|delete)\b`).FindString(shown); code != "" {
				t.Errorf("the entries show the action code %q:\n%s", code, shown)
			}
		})
	}
}

func TestAuditTrailLinks(t *testing.T) {
	es, refs := sampleAudit()
	p := signedInPage(i18n.German, NavAudit, "manager")
	doc := renderDoc(t, AuditTrail(p, AuditView{Rows: NewAuditRows(p, es, refs)}))
	href := func(sel string) string { return doc.Find(sel).AttrOr("href", "") }
	for sel, want := range map[string]string{
		`[data-testid="audit-who-41"] a`:                                     "/audit?user_id=3",
		`[data-testid="audit-record-41"]`:                                    "/items/12",
		`[data-testid="audit-trail-41"]`:                                     "/audit?entity=item&entity_id=12",
		`[data-testid="audit-request-41"]`:                                   "/audit?request_id=0f8e2c1a-77b1-4c39-9a55-1d1f0e6b2a10",
		`[data-testid="audit-open-41"]`:                                      "/items/12",
		`[data-testid="audit-record-40"]`:                                    "/movements/77",
		`[data-testid="audit-change-41-category_id"] [data-testid="from"] a`: "/categories/3",
		`[data-testid="audit-change-40-supplier_id"] [data-testid="to"] a`:   "/suppliers/6",
		`[data-testid="audit-change-40-location_id"] [data-testid="to"] a`:   "/locations/5",
	} {
		if got := href(sel); got != want {
			t.Errorf("%s links to %q, want %q", sel, got, want)
		}
	}
	// A deleted record is not linked; a session has no page; a manager
	// may not open a person's page, an admin may.
	if doc.Find(`[data-testid="audit-change-41-category_id"] [data-testid="to"] a`).Length() != 0 {
		t.Error("a deleted category is linked")
	}
	if doc.Find(`[data-testid="audit-open-39"]`).Length()+doc.Find(`[data-testid="audit-open-38"]`).Length() != 0 {
		t.Error("a session or (for a manager) a person can be opened")
	}
	admin := signedInPage(i18n.German, NavAudit, "admin")
	doc = renderDoc(t, AuditTrail(admin, AuditView{Rows: NewAuditRows(admin, es, refs)}))
	if got := doc.Find(`[data-testid="audit-open-38"]`).AttrOr("href", ""); got != "/users/9" {
		t.Errorf("open person for an admin = %q", got)
	}
	// The request id is the link's tooltip, not its text.
	if got := doc.Find(`[data-testid="audit-request-41"]`).AttrOr("title", ""); got != "Anfrage 0f8e2c1a-77b1-4c39-9a55-1d1f0e6b2a10" {
		t.Errorf("request title = %q", got)
	}
}

func TestAuditWanted(t *testing.T) {
	es, _ := sampleAudit()
	got := AuditWanted(es)
	want := map[string][]int64{"item": {12}, "category": {3, 4}, "location": {5}, "supplier": {6}, "customer": {21}, "user": {9}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("wanted (-want +got):\n%s", diff)
	}
}

func TestAuditFilterAndEmpty(t *testing.T) {
	v := AuditView{
		Filter: Form{Values: map[string]string{"entity": "item", "action": "update", "from": "2025-05-01"}},
		People: []Option{{Value: "3", Label: "Anna Muster (anna@example.ch)"}},
		Pager:  Pager{Next: "/audit?cursor=abc&entity=item"},
	}
	doc := renderDoc(t, AuditTrail(signedInPage(i18n.English, NavAudit, "admin"), v))
	if got, _ := doc.Find("#audit-entity option[selected]").Attr("value"); got != "item" {
		t.Errorf("entity selected = %q", got)
	}
	if got, _ := doc.Find("#audit-from").Attr("value"); got != "2025-05-01" {
		t.Errorf("from = %q", got)
	}
	if got := doc.Find("select#audit-user_id option").Length(); got != 2 {
		t.Errorf("person options = %d, want everyone + 1", got)
	}
	if got, _ := doc.Find(`[data-testid="pager-next"]`).Attr("href"); got != v.Pager.Next {
		t.Errorf("next = %q", got)
	}
	if got := text(doc, "audit-empty"); got != "No entries match." {
		t.Errorf("empty = %q", got)
	}
	v.People = nil
	doc = renderDoc(t, AuditTrail(signedInPage(i18n.German, NavAudit, "manager"), v))
	if doc.Find("input#audit-user_id").Length() != 1 {
		t.Error("without the people list the person filter is not a number field")
	}
}

func TestDeviceName(t *testing.T) {
	for ua, want := range map[string]string{
		firefoxOnWindows: "Firefox on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1": "Safari on iPhone",
		"Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36":                                   "Chrome on Linux",
		"": "unknown device",
	} {
		if got := DeviceName(i18n.English, ua); got != want {
			t.Errorf("DeviceName(%q) = %q, want %q", ua, got, want)
		}
	}
	if got := DeviceName(i18n.German, firefoxOnWindows); got != "Firefox auf Windows" {
		t.Errorf("German = %q", got)
	}
}

func TestScaledAndMicros(t *testing.T) {
	p := testPage(i18n.English, NavAudit)
	for _, c := range []struct {
		micros int64
		want   string
	}{{800000, "CHF 0.80"}, {833333, "CHF 0.833333"}, {1234500000, "CHF 1’234.50"}, {0, "CHF 0.00"}, {-50000, "CHF -0.05"}} {
		if got := microsMoney(p, c.micros, "CHF"); got != c.want {
			t.Errorf("microsMoney(%d) = %q, want %q", c.micros, got, c.want)
		}
	}
	if got := scaled(810, 2); got != "8.1" {
		t.Errorf("scaled(810, 2) = %q", got)
	}
	if got := scaled(5, 2); got != "0.05" {
		t.Errorf("scaled(5, 2) = %q", got)
	}
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// Every field the trail may show has a label in both languages: the form's
// where there is one, else the audit texts' own; never the field's name.
func TestAuditFieldsHaveLabels(t *testing.T) {
	for _, lang := range []i18n.Lang{i18n.English, i18n.German} {
		at := i18n.Audit(lang)
		for entity, fields := range auditFields {
			if at.Record(entity) == at.Records["other"] {
				t.Errorf("%s: no word for the record kind %s", lang, entity)
			}
			for field, f := range fields {
				if f.kind == auditHidden {
					continue
				}
				_, own := at.Labels[entity+"/"+field]
				_, shared := at.Labels[field]
				if (f.label == nil || f.label(lang) == "") && !own && !shared {
					t.Errorf("%s: %s.%s has no label", lang, entity, field)
				}
				if f.kind == auditEnum && len(f.names(lang, i18n.For(lang))) == 0 {
					t.Errorf("%s: %s.%s has no names for its codes", lang, entity, field)
				}
			}
		}
	}
}
