package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The journal's partner filter is a text field: a supplier's or customer's
// name or a customer number, resolved with one small search of each kind.
// Once resolved the field shows the partner's name and its key ("s12",
// "c7") travels beside it in partner_key (a hidden input, and the
// candidates' links), never in the field; older bookmarks' partner=s12
// still filter and show the name.

// partnerCandidates is how many suppliers and how many customers a partner
// search offers at most.
const partnerCandidates = 10

// partnerKey is one supplier or customer.
type partnerKey struct {
	supplier bool
	id       int64
}

// String is the filter's exact form: "s12" or "c7".
func (k partnerKey) String() string {
	prefix := "c"
	if k.supplier {
		prefix = "s"
	}
	return prefix + strconv.FormatInt(k.id, 10)
}

// partnerRef reads the exact form of the partner filter.
func partnerRef(text string) (partnerKey, bool) {
	if len(text) < 2 || (text[0] != 's' && text[0] != 'c') || !allDigits(text[1:]) {
		return partnerKey{}, false
	}
	id, err := strconv.ParseInt(text[1:], 10, 64)
	if err != nil || id < 1 {
		return partnerKey{}, false
	}
	return partnerKey{supplier: text[0] == 's', id: id}, true
}

// setPartner filters p by the partner k.
func setPartner(p *apiclient.ListMovementsParams, k partnerKey) {
	id := k.id
	if k.supplier {
		p.SupplierID, p.CustomerID = &id, nil
	} else {
		p.SupplierID, p.CustomerID = nil, &id
	}
}

// journalPartnerKey is the partner the journal's query names by key:
// partner_key, else an older bookmark's exact partner=s12.
func journalPartnerKey(q url.Values) (partnerKey, bool) {
	if k, ok := partnerRef(strings.TrimSpace(q.Get("partner_key"))); ok {
		return k, true
	}
	return partnerRef(strings.TrimSpace(q.Get("partner")))
}

// partnerByID looks up the one partner k names (archived ones too: their
// movements stay in the journal).
func (s *server) partnerByID(ctx context.Context, who SignedIn, k partnerKey) (partnerMatches, error) {
	var m partnerMatches
	ids := apiclient.Ids{k.id}
	if k.supplier {
		all := apiclient.ListSuppliersParamsArchivedAll
		l, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Ids: &ids, Archived: &all})
		m.suppliers = l.Items
		return m, err
	}
	all := apiclient.ListCustomersParamsArchivedAll
	l, err := s.api.Customers(ctx, who.Bearer, apiclient.ListCustomersParams{Ids: &ids, Archived: &all})
	m.customers = l.Items
	return m, err
}

// textOf is the text the partner k is shown by (supplierText,
// customerText); false when the matches hold no such partner.
func (m partnerMatches) textOf(k partnerKey) (string, bool) {
	for _, x := range m.suppliers {
		if k.supplier && x.ID == k.id {
			return supplierText(x), true
		}
	}
	for _, x := range m.customers {
		if !k.supplier && x.ID == k.id {
			return customerText(x), true
		}
	}
	return "", false
}

// tagged names the partner k with its kind: "Supplier: Brauerei Falken";
// "" when the matches hold no such partner.
func (m partnerMatches) tagged(t *i18n.MovementsText, k partnerKey) string {
	name, ok := m.textOf(k)
	switch {
	case !ok:
		return ""
	case k.supplier:
		return t.SupplierTag + ": " + name
	}
	return t.CustomerTag + ": " + name
}

// partnerMatches are the suppliers and customers a partner search found.
type partnerMatches struct {
	suppliers []apiclient.Supplier
	customers []apiclient.Customer
}

// findPartners searches suppliers and customers (archived ones too: their
// movements stay in the journal) for text, both at once.
func (s *server) findPartners(ctx context.Context, who SignedIn, text string) (partnerMatches, error) {
	var m partnerMatches
	limit := partnerCandidates
	err := parallel(
		func() error {
			all := apiclient.ListSuppliersParamsArchivedAll
			l, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Q: &text, Limit: &limit, Archived: &all})
			m.suppliers = l.Items
			return err
		},
		func() error {
			all := apiclient.ListCustomersParamsArchivedAll
			l, err := s.api.Customers(ctx, who.Bearer, apiclient.ListCustomersParams{Q: &text, Limit: &limit, Archived: &all})
			m.customers = l.Items
			return err
		},
	)
	return m, err
}

// pick chooses the partner text means: the only one whose name is text
// (ignoring case) or, for a customer, whose number it is; else the only
// one found. Several or none: false.
func (m partnerMatches) pick(text string) (partnerKey, bool) {
	var exact []partnerKey
	for _, x := range m.suppliers {
		if strings.EqualFold(x.Name, text) {
			exact = append(exact, partnerKey{supplier: true, id: x.ID})
		}
	}
	for _, x := range m.customers {
		if strings.EqualFold(x.Name, text) || strconv.FormatInt(x.Number, 10) == text {
			exact = append(exact, partnerKey{id: x.ID})
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], true
	case len(exact) == 0 && len(m.suppliers)+len(m.customers) == 1:
		if len(m.suppliers) == 1 {
			return partnerKey{supplier: true, id: m.suppliers[0].ID}, true
		}
		return partnerKey{id: m.customers[0].ID}, true
	}
	return partnerKey{}, false
}

// notice says what the search found when pick could not choose: nothing,
// or the candidates, each a link to the journal (filtered by query)
// filtered by exactly that partner.
func (m partnerMatches) notice(t *i18n.MovementsText, text string, query url.Values) (string, []views.PartnerCandidate) {
	if len(m.suppliers)+len(m.customers) == 0 {
		return strings.ReplaceAll(t.PartnerNo, "{q}", text), nil
	}
	out := make([]views.PartnerCandidate, 0, len(m.suppliers)+len(m.customers))
	for _, x := range m.suppliers {
		out = append(out, views.PartnerCandidate{Label: t.SupplierTag + ": " + x.Name,
			URL: views.JournalPartnerURL(query, supplierText(x), partnerKey{supplier: true, id: x.ID}.String())})
	}
	for _, x := range m.customers {
		out = append(out, views.PartnerCandidate{Label: t.CustomerTag + ": " + x.Name + " (" + strconv.FormatInt(x.Number, 10) + ")",
			URL: views.JournalPartnerURL(query, customerText(x), partnerKey{id: x.ID}.String())})
	}
	return strings.ReplaceAll(t.PartnerMany, "{q}", text), out
}

// The booking forms name their partner the same way: the supplier of a
// receipt or delivery, the customer of an issue or return is a text field
// showing only what people know (the supplier's name; the customer's name
// and number), resolved with one small search of that kind before
// booking, so a depot with thousands of partners needs no list of them on
// the form. The resolved partner's key travels in hidden inputs beside
// the field (<name>_key, and <name>_key_for: the text it was resolved
// to), set by the server and by movements.js when a suggestion is chosen;
// the key counts only while the field still shows that text, so a person
// who retypes the name gets a fresh search. The exact forms "s12" and
// "Name (s12)" of older bookmarks and scripts are still read, never shown.

// exactPartner reads the exact forms of a booking's partner of one kind:
// "s12", or any text ending in " (s12)".
func exactPartner(text string, supplier bool) (partnerKey, bool) {
	k, ok := partnerRef(text)
	if !ok && strings.HasSuffix(text, ")") {
		if open := strings.LastIndex(text, "("); open >= 0 {
			k, ok = partnerRef(text[open+1 : len(text)-1])
		}
	}
	return k, ok && k.supplier == supplier
}

// supplierText is a supplier as a booking form shows it: its name.
func supplierText(x apiclient.Supplier) string {
	return x.Name
}

// customerText is a customer as a booking form shows it: its name and
// number, both of which people know.
func customerText(x apiclient.Customer) string {
	return x.Name + customerNumberSep + strconv.FormatInt(x.Number, 10)
}

// customerNumberSep joins a customer's name and number in customerText.
const customerNumberSep = " · "

// customerNumberIn is the number of a customer's text "Name · 1001": what
// the field holds when a resolved or suggested customer comes back without
// its key (no JavaScript, a key dropped by a proxy). "" for other text.
func customerNumberIn(text string) string {
	i := strings.LastIndex(text, customerNumberSep)
	if i < 0 {
		return ""
	}
	n := strings.TrimSpace(text[i+len(customerNumberSep):])
	if n == "" || !allDigits(n) {
		return ""
	}
	return n
}

// partnerField is a booking form's partner field being resolved.
type partnerField struct {
	supplier bool
	// text is what the field holds: as typed, and once resolved the
	// partner's text (name; customer name · number).
	text string
	// key is the partner; id 0 until resolved.
	key partnerKey
	// byID: key came from a pick or an exact form and is looked up once by
	// id, for its text and to see that it is an active partner.
	byID     bool
	found    partnerMatches
	searched bool
}

// newPartnerField reads the field: pick (a chosen candidate's key) wins;
// then the hidden key while the text is still what it was resolved to
// (keyFor); then an exact form; else the text is searched.
func newPartnerField(supplier bool, text, key, keyFor, pick string) *partnerField {
	text = strings.TrimSpace(text)
	f := &partnerField{supplier: supplier, text: text}
	if k, ok := partnerRef(strings.TrimSpace(pick)); ok && k.supplier == supplier {
		f.key, f.byID = k, true
		return f
	}
	if k, ok := partnerRef(strings.TrimSpace(key)); ok && k.supplier == supplier && text != "" && text == strings.TrimSpace(keyFor) {
		f.key = k
		return f
	}
	if k, ok := exactPartner(text, supplier); ok {
		f.key, f.byID = k, true
	}
	return f
}

// query is what the search asks for: a customer's "Name · 1001" by its
// number, else the text.
func (f *partnerField) query() string {
	if !f.supplier {
		if n := customerNumberIn(f.text); n != "" {
			return n
		}
	}
	return f.text
}

// call is the one api call the field needs: nil when it needs none
// (empty, or a trusted key); a lookup by id for a pick or an exact form;
// else a small search. Archived partners are not asked for: the api books
// none.
func (f *partnerField) call(s *server, ctx context.Context, who SignedIn) func() error {
	if (f.key.id != 0 && !f.byID) || (f.key.id == 0 && f.text == "") {
		return nil
	}
	return func() error {
		limit := partnerCandidates
		p := struct {
			q   *string
			ids *apiclient.Ids
		}{}
		if f.byID {
			ids := apiclient.Ids{f.key.id}
			p.ids = &ids
		} else {
			q := f.query()
			p.q = &q
		}
		f.searched = true
		if f.supplier {
			l, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Q: p.q, Ids: p.ids, Limit: &limit})
			f.found.suppliers = l.Items
			return err
		}
		l, err := s.api.Customers(ctx, who.Bearer, apiclient.ListCustomersParams{Q: p.q, Ids: p.ids, Limit: &limit})
		f.found.customers = l.Items
		return err
	}
}

// settle chooses after the search as the journal does (the one exact name
// or customer number, else the only one found); a key looked up by id
// takes its partner's text. When it cannot choose, it says why for the
// field and offers what was found as choices.
func (f *partnerField) settle(t *i18n.MovementsText) (string, []views.PartnerOption) {
	if !f.searched {
		return "", nil
	}
	k, ok := f.found.pick(f.query())
	if f.byID {
		k, ok = f.key, len(f.found.suppliers)+len(f.found.customers) == 1
	}
	if ok {
		f.key = k
		for _, x := range f.found.suppliers {
			if x.ID == k.id {
				f.text = supplierText(x)
			}
		}
		for _, x := range f.found.customers {
			if x.ID == k.id {
				f.text = customerText(x)
			}
		}
		return "", nil
	}
	f.key = partnerKey{}
	none, many := t.CustomerNo, t.CustomerMany
	if f.supplier {
		none, many = t.SupplierNo, t.SupplierMany
	}
	out := f.options()
	if len(out) == 0 {
		return strings.ReplaceAll(none, "{q}", f.text), nil
	}
	return strings.ReplaceAll(many, "{q}", f.text), out
}

// keep writes the field back into the form's values: the text people
// read, and the key with the text it stands for in the hidden inputs
// (empty until resolved).
func (f *partnerField) keep(values map[string]string, name string) {
	values[name], values[name+"_key"], values[name+"_key_for"] = f.text, "", ""
	if f.key.id != 0 {
		values[name+"_key"], values[name+"_key_for"] = f.key.String(), f.text
	}
}

// options are the partners the search found, each with the text people
// know (the name, and a customer's number) and the key the form sends
// back, which the page never shows.
func (f *partnerField) options() []views.PartnerOption {
	var out []views.PartnerOption
	for _, x := range f.found.suppliers {
		out = append(out, views.PartnerOption{Key: partnerKey{supplier: true, id: x.ID}.String(), Text: supplierText(x)})
	}
	for _, x := range f.found.customers {
		out = append(out, views.PartnerOption{Key: partnerKey{id: x.ID}.String(), Text: customerText(x)})
	}
	return out
}

// partnerSuggestions answers movements.js while a partner is typed: the
// matching suppliers or customers (kind) as the options of a datalist,
// each the exact text the form books.
func (s *server) partnerSuggestions(c echo.Context) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	kind := c.QueryParam("kind")
	if kind != "supplier" && kind != "customer" {
		return echo.ErrNotFound
	}
	var opts []views.PartnerOption
	if q := strings.TrimSpace(c.QueryParam("q")); q != "" {
		f := &partnerField{supplier: kind == "supplier", text: q}
		if err := f.call(s, c.Request().Context(), who)(); err != nil {
			return err
		}
		opts = f.options()
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.PartnerSuggestions(kind, opts))
}
