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
// link for the same filter.
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

	// An item filter names the item by its SKU or EAN; find it first, as
	// the journal filters by id.
	if code := v.Filter.Values["item"]; code != "" {
		found, err := s.api.LookupItems(ctx, who.Bearer, code, itemCandidates)
		if err != nil {
			return err
		}
		item, _ := pickItem(code, found)
		if item == nil {
			v.ItemNotFound = strings.ReplaceAll(t.ItemFilterNo, "{q}", code)
		} else {
			params.ItemID = &item.ID
		}
	}

	var list apiclient.MovementList
	var locations []apiclient.Location
	var partners views.MovementPartners
	var people map[int64]string
	listCall := func() error {
		var err error
		list, err = s.api.Movements(ctx, who.Bearer, params)
		if err != nil {
			if status, ok := s.formFailure(c, err, &v.Filter, nil, t.APIFields); ok && status != http.StatusTooManyRequests {
				return nil // the filter is refused: say so beside it
			}
		}
		return err
	}
	if len(problems) > 0 || v.ItemNotFound != "" {
		listCall = nil // nothing can match
	}
	err := ledgerCalls(
		listCall,
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
		func() (err error) { partners, err = s.movementPartners(ctx, who); return err },
		s.peopleCall(ctx, who, &people),
	)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		v.Filter.Errors = problems
		v.Filter.Error = i18n.For(lang).FormHasErrors
	}
	v.Types = journalTypeOptions(t)
	v.Locations = locationOptions(locations)
	v.Partners = partnerOptions(t, partners)
	if people != nil {
		v.Users = peopleOptions(people)
	}
	v.Rows = journalRows(t, list.Items, partners, who.Person.ID, people)
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
	if partner := q.Get("partner"); partner != "" {
		id, err := strconv.ParseInt(partner[1:], 10, 64)
		switch {
		case err != nil || id < 1:
			problems["partner"] = msg.FieldRejected
		case partner[0] == 's':
			p.SupplierID = &id
		case partner[0] == 'c':
			p.CustomerID = &id
		default:
			problems["partner"] = msg.FieldRejected
		}
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

// partnerOptions offers suppliers ("s12") and customers ("c7") in one
// select, each marked with what it is.
func partnerOptions(t *i18n.MovementsText, mp views.MovementPartners) []views.Option {
	out := []views.Option{{Value: "", Label: t.AnyPartner}}
	out = append(out, sortedOptions("s", t.SupplierTag, mp.Suppliers)...)
	out = append(out, sortedOptions("c", t.CustomerTag, mp.Customers)...)
	return out
}

func peopleOptions(people map[int64]string) []views.Option {
	return sortedOptions("", "", people)
}

// sortedOptions makes options from names by id, sorted by name.
func sortedOptions(prefix, tag string, names map[int64]string) []views.Option {
	out := make([]views.Option, 0, len(names))
	for id, name := range names {
		label := name
		if tag != "" {
			label = tag + ": " + name
		}
		out = append(out, views.Option{Value: prefix + strconv.FormatInt(id, 10), Label: label})
	}
	sortOptions(out)
	return out
}

func sortOptions(opts []views.Option) {
	slices.SortFunc(opts, func(a, b views.Option) int {
		return strings.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label))
	})
}
