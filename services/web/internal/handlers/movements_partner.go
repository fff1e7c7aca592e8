package handlers

import (
	"context"
	"net/url"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
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
	err := ledgerCalls(
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
