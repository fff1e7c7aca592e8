package handlers

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// partnerListCalls counts the calls that list suppliers, customers and
// people.
func partnerListCalls(api *ledgerAPI) map[string]int {
	return map[string]int{
		"suppliers": api.callCount("GET /api/v1/suppliers"),
		"customers": api.callCount("GET /api/v1/customers"),
		"users":     api.callCount("GET /api/v1/users"),
	}
}

// The journal, the movements page and a movement print the names the api
// gives with the movements, and list no suppliers, customers or people
// for them.
func TestLedgerPagesNameFromTheMovements(t *testing.T) {
	api, b := startLedger(t, "clerk")
	for _, path := range []string{"/journal", "/movements"} {
		p := b.get(path)
		if p.status != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, p.status, p.body)
		}
		cells := func(id string) []string {
			var out []string
			p.doc.Find(`[data-testid="movement-` + id + `"] td`).Each(func(_ int, td *goquery.Selection) {
				out = append(out, strings.TrimSpace(td.Text()))
			})
			return out
		}
		// Columns: when, type, item, location, quantity, partner, by, note.
		if got := cells("101"); len(got) != 8 || got[5] != "Brauerei Falken" || got[6] != "me" {
			t.Errorf("%s: receipt row %q, want the supplier's name and me", path, got)
		}
		if got := cells("102"); len(got) != 8 || got[5] != "Restaurant Sonne" || got[6] != "Ben Keller via Scanner Rampe" {
			t.Errorf("%s: issue row %q, want the customer's name and the booker with the token", path, got)
		}
	}
	d := b.get("/movements/101")
	if d.text("movement-partner") != "Brauerei Falken" || d.text("movement-by") != "me" {
		t.Errorf("movement: partner %q, by %q", d.text("movement-partner"), d.text("movement-by"))
	}
	if n := api.callCount("GET /api/v1/suppliers/5"); n != 0 {
		t.Errorf("the movement page fetched its supplier %d times", n)
	}
	for what, n := range partnerListCalls(api) {
		if n != 0 {
			t.Errorf("%d calls listing %s", n, what)
		}
	}
}

// An admin's journal keeps the people for its "booked by" choice, and still
// lists no partners.
func TestJournalAdminListsOnlyPeople(t *testing.T) {
	api, b := startLedger(t, "admin")
	p := b.get("/journal")
	if n := p.doc.Find(`#journal-user_id option`).Length(); n != 3 {
		t.Errorf("booked-by choices = %d, want anyone and the two people", n)
	}
	if got := partnerListCalls(api); got["suppliers"] != 0 || got["customers"] != 0 || got["users"] != 1 {
		t.Errorf("list calls = %v, want only the people once", got)
	}
}

// The partner filter resolves what was typed with one search of each kind;
// one match filters the journal, none or several say so beside the filter
// (several as links filtering by exactly one) and ask the journal nothing.
func TestJournalPartnerFilter(t *testing.T) {
	api, b := startLedger(t, "clerk")
	movementCalls := func() int { return len(api.queriesOf("/api/v1/movements")) }

	// hint is the field's hint: the partner filtered by. shown is what the
	// field shows: the partner's name (a customer's with its number),
	// never its key, which travels in the hidden partner_key.
	for _, tc := range []struct{ text, param, id, hint, shown, key string }{
		{"Falken", "supplier_id", "5", "Supplier: Brauerei Falken", "Brauerei Falken", "s5"},
		{"brauerei adler", "supplier_id", "6", "Supplier: Brauerei Adler", "Brauerei Adler", "s6"},
		{"1001", "customer_id", "10", "Customer: Sonnenhof · 1001", "Sonnenhof · 1001", "c10"},
		{"s6", "supplier_id", "6", "Supplier: Brauerei Adler", "Brauerei Adler", "s6"},
		{"c9", "customer_id", "9", "Customer: Restaurant Sonne · 1000", "Restaurant Sonne · 1000", "c9"},
	} {
		before, searches := movementCalls(), len(api.queriesOf("/api/v1/suppliers"))
		p := b.get("/journal?partner=" + strings.ReplaceAll(tc.text, " ", "+"))
		qs := api.queriesOf("/api/v1/movements")
		if p.status != http.StatusOK || len(qs) != before+1 {
			t.Fatalf("%q: status %d, %d journal calls", tc.text, p.status, len(qs)-before)
		}
		q := qs[len(qs)-1]
		if q.Get(tc.param) != tc.id || (q.Get("supplier_id") != "") == (q.Get("customer_id") != "") {
			t.Errorf("%q: journal asked with %v, want %s=%s", tc.text, q, tc.param, tc.id)
		}
		if p.has("journal-partner-notice") {
			t.Errorf("%q: notice %q", tc.text, p.text("journal-partner-notice"))
		}
		if v, _ := p.doc.Find(`#journal-partner`).Attr("value"); v != tc.shown {
			t.Errorf("%q: the field shows %q", tc.text, v)
		}
		if v := p.doc.Find(`input[type="hidden"][name="partner_key"]`).AttrOr("value", ""); v != tc.key {
			t.Errorf("%q: hidden key %q, want %q", tc.text, v, tc.key)
		}
		if got := strings.TrimSpace(p.doc.Find(`#journal-partner-hint`).Text()); got != tc.hint {
			t.Errorf("%q: hint %q, want %q", tc.text, got, tc.hint)
		}
		sq := api.queriesOf("/api/v1/suppliers")
		switch {
		case tc.text == "s6" && (len(sq) != searches+1 || sq[len(sq)-1].Get("ids") != "6" || sq[len(sq)-1].Get("q") != ""):
			t.Errorf("%q: an exact partner was not looked up by id: %v", tc.text, sq[searches:])
		case tc.text == "c9" && len(sq) != searches:
			t.Errorf("%q: a customer's key asked for suppliers", tc.text)
		case tc.text != "s6" && tc.text != "c9" && (len(sq) != searches+1 || sq[len(sq)-1].Get("q") != tc.text ||
			sq[len(sq)-1].Get("limit") != "10" || sq[len(sq)-1].Get("archived") != "all"):
			t.Errorf("%q: supplier searches %v", tc.text, sq[searches:])
		}
	}
	if n := api.callCount("GET /api/v1/customers"); n != 4 {
		t.Errorf("customer calls = %d, want one per searched text and one lookup", n)
	}

	// The field as sent again: the key counts while the name is unchanged;
	// a retyped name is searched afresh; an emptied field filters nothing.
	for _, tc := range []struct{ query, param, id string }{
		{"partner=Brauerei+Adler&partner_key=s6", "supplier_id", "6"},
		{"partner=Falken&partner_key=s6", "supplier_id", "5"},
		{"partner=&partner_key=s6", "", ""},
	} {
		p := b.get("/journal?" + tc.query)
		qs := api.queriesOf("/api/v1/movements")
		q := qs[len(qs)-1]
		if p.status != http.StatusOK || q.Get("supplier_id") != tc.id || q.Get("customer_id") != "" {
			t.Errorf("%s: %d, journal asked with %v, want %s=%s", tc.query, p.status, q, tc.param, tc.id)
		}
	}

	before := movementCalls()
	none := b.get("/journal?partner=Nirgendwo")
	if got := none.text("journal-partner-notice"); got != "No supplier or customer matches «Nirgendwo»." || none.has("journal-partner-candidates") {
		t.Errorf("no match: notice %q", got)
	}
	if got := strings.TrimSpace(none.doc.Find(`#journal-partner-hint`).Text()); got != "Name or customer number" {
		t.Errorf("no match: hint %q", got)
	}
	several := b.get("/journal?type=receipt&partner=sonne")
	if got := several.text("journal-partner-notice"); !strings.HasPrefix(got, "Several suppliers or customers match «sonne»") {
		t.Errorf("several: notice %q", got)
	}
	var links []string
	several.doc.Find(`[data-testid="journal-partner-candidates"] a`).Each(func(_ int, a *goquery.Selection) {
		links = append(links, a.Text()+" → "+a.AttrOr("href", ""))
	})
	want := []string{"Customer: Restaurant Sonne (1000) → /journal?partner=Restaurant+Sonne+%C2%B7+1000&partner_key=c9&type=receipt",
		"Customer: Sonnenhof (1001) → /journal?partner=Sonnenhof+%C2%B7+1001&partner_key=c10&type=receipt"}
	if strings.Join(links, "\n") != strings.Join(want, "\n") {
		t.Errorf("candidates:\n%s\nwant\n%s", strings.Join(links, "\n"), strings.Join(want, "\n"))
	}
	if n := movementCalls() - before; n != 0 {
		t.Errorf("the journal was asked %d times for a partner that is not one", n)
	}
}

// pick prefers the one exact name or customer number among several found.
func TestPartnerPick(t *testing.T) {
	m := partnerMatches{
		suppliers: []apiclient.Supplier{{ID: 5, Name: "Sonne"}, {ID: 6, Name: "Sonne AG"}},
		customers: []apiclient.Customer{{ID: 9, Name: "Restaurant Sonne", Number: 1000}},
	}
	for _, tc := range []struct {
		text string
		want string
	}{
		{"sonne", "s5"}, {"SONNE AG", "s6"}, {"1000", "c9"}, {"Son", ""},
	} {
		got, ok := m.pick(tc.text)
		if tc.want == "" && ok || tc.want != "" && (!ok || got.String() != tc.want) {
			t.Errorf("pick(%q) = %v %t, want %q", tc.text, got, ok, tc.want)
		}
	}
	if got, ok := (partnerMatches{customers: m.customers}).pick("Rest"); !ok || got.String() != "c9" {
		t.Errorf("the only match = %v %t", got, ok)
	}
	for _, text := range []string{"s", "s0", "x12", "s+5", "c 9", "s12a"} {
		if _, ok := partnerRef(text); ok {
			t.Errorf("partnerRef(%q) accepted", text)
		}
	}
	de := i18n.Movements(i18n.German)
	msg, _ := partnerMatches{}.notice(de, "xy", nil)
	if msg != "Kein Lieferant und kein Kunde passt zu «xy»." {
		t.Errorf("German notice = %q", msg)
	}
}
