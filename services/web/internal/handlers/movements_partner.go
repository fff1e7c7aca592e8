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
// name or a customer number, resolved with one small search of each kind,
// or a partner named exactly ("s12", "c7") by the candidates' links and by
// older bookmarks.

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
			URL: views.JournalPartnerURL(query, partnerKey{supplier: true, id: x.ID}.String())})
	}
	for _, x := range m.customers {
		out = append(out, views.PartnerCandidate{Label: t.CustomerTag + ": " + x.Name + " (" + strconv.FormatInt(x.Number, 10) + ")",
			URL: views.JournalPartnerURL(query, partnerKey{id: x.ID}.String())})
	}
	return strings.ReplaceAll(t.PartnerMany, "{q}", text), out
}

// The booking forms name their partner the same way: the supplier of a
// receipt or delivery, the customer of an issue or return is a text field
// (a name, a customer number, or an exact "s12"/"c7"), resolved with one
// small search of that kind before booking, so a depot with thousands of
// partners needs no list of them on the form.

// exactPartner reads the exact forms of a booking's partner of one kind:
// "s12", or any text ending in " (s12)" (what a suggestion or a chosen
// candidate fills in, the name before it for people to read).
func exactPartner(text string, supplier bool) (partnerKey, bool) {
	k, ok := partnerRef(text)
	if !ok && strings.HasSuffix(text, ")") {
		if open := strings.LastIndex(text, "("); open >= 0 {
			k, ok = partnerRef(text[open+1 : len(text)-1])
		}
	}
	return k, ok && k.supplier == supplier
}

// supplierText is a supplier as a booking form names it exactly.
func supplierText(x apiclient.Supplier) string {
	return x.Name + " (" + partnerKey{supplier: true, id: x.ID}.String() + ")"
}

// customerText is a customer as a booking form names it exactly: with its
// number, which people know, and its key, which the server reads.
func customerText(x apiclient.Customer) string {
	return x.Name + " · " + strconv.FormatInt(x.Number, 10) + " (" + partnerKey{id: x.ID}.String() + ")"
}

// partnerField is a booking form's partner field being resolved.
type partnerField struct {
	supplier bool
	// text is what the field holds: as typed, and once resolved by a
	// search the partner's exact text.
	text string
	// key is the partner; id 0 until resolved.
	key      partnerKey
	found    partnerMatches
	searched bool
}

// newPartnerField reads the field: pick (a chosen candidate) wins over the
// typed text; an exact form needs no search.
func newPartnerField(supplier bool, text, pick string) *partnerField {
	if pick = strings.TrimSpace(pick); pick != "" {
		text = pick
	}
	f := &partnerField{supplier: supplier, text: text}
	if k, ok := exactPartner(text, supplier); ok {
		f.key = k
	}
	return f
}

// call is the search the text needs: nil when it needs none (empty, or
// exact). Archived partners are not searched: the api books none.
func (f *partnerField) call(s *server, ctx context.Context, who SignedIn) func() error {
	if f.text == "" || f.key.id != 0 {
		return nil
	}
	return func() error {
		limit := partnerCandidates
		q := f.text
		f.searched = true
		if f.supplier {
			l, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Q: &q, Limit: &limit})
			f.found.suppliers = l.Items
			return err
		}
		l, err := s.api.Customers(ctx, who.Bearer, apiclient.ListCustomersParams{Q: &q, Limit: &limit})
		f.found.customers = l.Items
		return err
	}
}

// settle chooses after the search as the journal does (the one exact name
// or customer number, else the only one found). When it cannot, it says
// why for the field and offers what was found as choices, each valued by
// its exact text.
func (f *partnerField) settle(t *i18n.MovementsText) (string, []views.Option) {
	if !f.searched {
		return "", nil
	}
	if k, ok := f.found.pick(f.text); ok {
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

// options are the partners the search found, each valued by its exact
// text and labelled by what people know: the name, and a customer's
// number (never the key the server reads).
func (f *partnerField) options() []views.Option {
	var out []views.Option
	for _, x := range f.found.suppliers {
		out = append(out, views.Option{Value: supplierText(x), Label: x.Name})
	}
	for _, x := range f.found.customers {
		out = append(out, views.Option{Value: customerText(x), Label: x.Name + " · " + strconv.FormatInt(x.Number, 10)})
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
	var opts []views.Option
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
