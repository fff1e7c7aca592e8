package handlers

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// journalPageSize is how many movements one journal page lists.
const journalPageSize = 50

// journal is the movement journal: filters in the query string (so a
// filtered journal can be bookmarked), a page of movements, and the CSV
// link for the same filter. The movements come with their partners' and
// bookers' names, so the page asks for no list of partners or people
// (admins get the people for the "booked by" choice: they are few).
func (s *server) journal(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Movements(lang)
	q := c.QueryParams()
	v := views.JournalView{Filter: views.Form{Values: map[string]string{}}}
	for _, name := range views.JournalFilterNames {
		v.Filter.Values[name] = strings.TrimSpace(q.Get(name))
	}
	params, problems := s.journalParams(c, q)

	// First what the filter names: the item by its SKU or EAN and the
	// partner by its name or number, as the journal filters by id; with
	// them the choices of the form.
	var found []apiclient.Item
	var partners partnerMatches
	var locations []apiclient.Location
	var people []views.Option
	itemCode, partnerText := v.Filter.Values["item"], v.Filter.Values["partner"]
	// A partner named by key (partner_key beside the name, or an older
	// bookmark's "s12") is looked up once by id for its name; other text
	// is searched.
	keyed, hasKey := journalPartnerKey(q)
	var itemCall, partnerCall func() error
	if itemCode != "" {
		itemCall = func() (err error) {
			found, err = s.api.LookupItems(ctx, who.Bearer, itemCode, itemCandidates)
			return err
		}
	}
	switch {
	case hasKey:
		partnerCall = func() (err error) { partners, err = s.partnerByID(ctx, who, keyed); return err }
	case partnerText != "":
		partnerCall = func() (err error) { partners, err = s.findPartners(ctx, who, partnerText); return err }
	}
	err := parallel(
		itemCall,
		partnerCall,
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
		s.peopleCall(ctx, who, &people),
	)
	if err != nil {
		return err
	}
	if itemCode != "" {
		if item, _ := pickItem(itemCode, found); item == nil {
			v.ItemNotFound = strings.ReplaceAll(t.ItemFilterNo, "{q}", itemCode)
		} else {
			params.ItemID = &item.ID
		}
	}
	// The key counts while the field shows its partner's name (or the key
	// itself: an older bookmark); an emptied field drops the filter, a
	// retyped name is searched afresh.
	params.SupplierID, params.CustomerID = nil, nil
	v.Filter.Values["partner_key"] = ""
	if hasKey {
		name, known := partners.textOf(keyed)
		_, exact := partnerRef(partnerText)
		switch {
		case exact || (known && partnerText == name):
			setPartner(&params, keyed)
			v.Filter.Values["partner"], v.Filter.Values["partner_key"] = name, keyed.String()
			v.PartnerNamed = partners.tagged(t, keyed)
		case partnerText == "":
			hasKey = false
		default:
			hasKey = false
			if partners, err = s.findPartners(ctx, who, partnerText); err != nil {
				return err
			}
		}
	}
	if !hasKey && partnerText != "" {
		if ref, ok := partners.pick(partnerText); ok {
			setPartner(&params, ref)
			name, _ := partners.textOf(ref)
			v.Filter.Values["partner"], v.Filter.Values["partner_key"] = name, ref.String()
			v.PartnerNamed = partners.tagged(t, ref)
		} else {
			v.PartnerNotice, v.PartnerCandidates = partners.notice(t, partnerText, q)
		}
	}
	// The pages and the CSV follow the partner as resolved.
	q = views.JournalResolved(q, v.Filter.Values["partner"], v.Filter.Values["partner_key"])

	var list apiclient.MovementList
	// Nothing can match a filter that could not be read or resolved.
	if len(problems) == 0 && v.ItemNotFound == "" && v.PartnerNotice == "" {
		list, err = s.api.Movements(ctx, who.Bearer, params)
		if err != nil {
			status, ok := s.formFailure(c, err, &v.Filter, nil, t.APIFields)
			if !ok || status == http.StatusTooManyRequests {
				return err
			}
			// The filter is refused: say so beside it.
		}
	}
	if len(problems) > 0 {
		v.Filter.Errors = problems
		v.Filter.Error = i18n.For(lang).FormHasErrors
	}
	v.Types = journalTypeOptions(t)
	v.Locations = locationOptions(locations)
	v.Users = people
	v.Rows = views.NewJournalRows(t, list.Items, who.Person.ID)
	v.Pager = views.NewPager("/journal", q, list.NextCursor, nil)
	v.ExportURL = views.JournalExportURL(q)

	p := s.page(c, views.NavJournal)
	p.Title = t.JournalTitle
	return render(c, http.StatusOK, views.Journal(p, v))
}

// journalParams turns the journal's query into the api's filter. Values
// that cannot be read are reported beside their fields.
func (s *server) journalParams(c echo.Context, q url.Values) (apiclient.ListMovementsParams, map[string]string) {
	lang := s.lang(c)
	msg := i18n.For(lang)
	who := s.signedIn(c)
	problems := map[string]string{}
	limit := journalPageSize
	p := apiclient.ListMovementsParams{Limit: &limit}
	if cur := q.Get("cursor"); cur != "" {
		p.Cursor = &cur
	}
	if typ := q.Get("type"); typ != "" {
		if typ == "reversal" || views.IsMovementType(typ) {
			mt := apiclient.MovementType(typ)
			p.Type = &mt
		} else {
			problems["type"] = msg.FieldRejected
		}
	}
	if id, ok := queryID(q, "location_id", problems, msg); ok {
		p.LocationID = &id
	}
	// A partner named by key (partner_key: the field's hidden input and
	// the candidates' links; "s12" in older bookmarks) filters at once; the
	// journal checks it against the field's text and resolves other text.
	if ref, ok := journalPartnerKey(q); ok {
		setPartner(&p, ref)
	}
	if id, ok := queryID(q, "user_id", problems, msg); ok {
		p.UserID = &id
	}
	if q.Get("mine") != "" && p.UserID == nil {
		me := who.Person.ID
		p.UserID = &me
	}
	f := s.ledgerFormatter(c)
	if from := q.Get("from"); from != "" {
		day, err := f.ParseDateValue(from)
		if err != nil {
			problems["from"] = msg.FieldRejected
		} else {
			utc := day.UTC()
			p.From = &utc
		}
	}
	if to := q.Get("to"); to != "" {
		day, err := f.ParseDateValue(to)
		if err != nil {
			problems["to"] = msg.FieldRejected
		} else {
			// "to" names the last day shown: the api's bound is the
			// start of the day after, in the organisation's zone.
			end := time.Date(day.Year(), day.Month(), day.Day()+1, 0, 0, 0, 0, day.Location()).UTC()
			p.To = &end
		}
	}
	return p, problems
}

// queryID reads a positive id from the query; a malformed one is reported.
func queryID(q url.Values, name string, problems map[string]string, msg *i18n.Messages) (int64, bool) {
	raw := q.Get(name)
	if raw == "" {
		return 0, false
	}
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		problems[name] = msg.FieldRejected
		return 0, false
	}
	return id, true
}

func journalTypeOptions(t *i18n.MovementsText) []views.Option {
	out := []views.Option{{Value: "", Label: t.AllTypes}}
	for _, typ := range append(append([]string(nil), views.MovementTypes...), "reversal") {
		out = append(out, views.Option{Value: typ, Label: t.TypeNames[typ]})
	}
	return out
}

// peopleOptions offers the people as the "booked by" choice, by name.
func peopleOptions(users []apiclient.User) []views.Option {
	out := make([]views.Option, 0, len(users))
	for _, u := range users {
		out = append(out, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name})
	}
	slices.SortFunc(out, func(a, b views.Option) int {
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
	return out
}
