package handlers

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The audit trail (admin, manager): every change, filterable by record,
// person, action, day range and request, paged newest first.
func (s *server) auditRoutes(e *echo.Echo) {
	getHead(e, "/audit", s.auditList, s.requireSignIn)
}

const (
	// auditPageSize is the number of entries on one page.
	auditPageSize = 50
	// auditPeopleLimit is how many people the person filter offers by
	// name (the api's largest page); with more, it is a number field.
	auditPeopleLimit = 500
)

// auditFilterFields are the query parameters of the filter, as typed.
var auditFilterFields = []string{"entity", "entity_id", "user_id", "action", "from", "to", "request_id"}

func (s *server) auditList(c echo.Context) error {
	who := s.signedIn(c)
	ctx := c.Request().Context()
	p := s.page(c, views.NavAudit)
	t := i18n.Audit(p.Lang)
	p.Title = t.Title

	v := views.AuditView{Filter: views.Form{Values: map[string]string{}}}
	for _, name := range auditFilterFields {
		v.Filter.Values[name] = strings.TrimSpace(c.QueryParam(name))
	}
	f, ok := s.auditFilter(p, t, &v.Filter)
	if ok {
		f.Cursor, f.Limit = c.QueryParam("cursor"), auditPageSize
	}

	// Admins see people by name: their list is read beside the entries,
	// not after them. Others (managers may not list people) see numbers.
	var people chan peopleAnswer
	if who.Perms.Can(roles.Users) {
		people = make(chan peopleAnswer, 1)
		go func() {
			list, err := s.api.Users(ctx, who.Bearer, apiclient.UserFilter{Limit: auditPeopleLimit})
			people <- peopleAnswer{list, err}
		}()
	}

	status := http.StatusOK
	var list apiclient.AuditList
	if ok {
		var err error
		list, err = s.api.Audit(ctx, who.Bearer, f)
		if err != nil {
			// A range the api refuses (to before from) goes beside the
			// field; anything else is the api's page.
			st, handled := s.formFailure(c, err, &v.Filter, nil, t.APIFields)
			if !handled {
				return err
			}
			status = st
		}
	} else {
		status = http.StatusUnprocessableEntity
	}

	refs := views.AuditRefs{}
	if people != nil {
		ans := <-people
		if ans.err != nil {
			return ans.err
		}
		// With more people than one page holds, a list of names would be
		// incomplete: the filter stays a number field then.
		if ans.list.NextCursor == nil {
			v.People = []views.Option{}
		}
		for _, u := range ans.list.Items {
			refs.Set("user", u.ID, views.AuditRef{Name: u.Name})
			if v.People != nil {
				v.People = append(v.People, views.Option{Value: strconv.FormatInt(u.ID, 10), Label: u.Name + " (" + u.Email + ")"})
			}
		}
	}
	v.Rows = s.auditRows(ctx, who, p, list.Items, refs)
	if status == http.StatusOK {
		v.Pager = views.NewPager("/audit", c.QueryParams(), list.NextCursor, nil)
	}
	return render(c, status, views.AuditTrail(p, v))
}

type peopleAnswer struct {
	list apiclient.UserList
	err  error
}

// auditFilter reads the filter's values into the api's query. The day
// range is in the organisation's zone and includes the "to" day. Values
// it cannot read get a message beside their field, and ok is false.
func (s *server) auditFilter(p views.Page, t *i18n.AuditText, form *views.Form) (apiclient.AuditFilter, bool) {
	v := form.Values
	f := apiclient.AuditFilter{Entity: v["entity"], EntityID: v["entity_id"], Action: v["action"], RequestID: v["request_id"]}
	errs := map[string]string{}
	if v["user_id"] != "" {
		id, err := strconv.ParseInt(v["user_id"], 10, 64)
		if err != nil || id < 1 {
			errs["user_id"] = t.BadPerson
		}
		f.UserID = id
	}
	if v["from"] != "" {
		from, err := p.Fmt.ParseDateValue(v["from"])
		if err != nil {
			errs["from"] = t.BadDate
		}
		f.From = from
	}
	if v["to"] != "" {
		to, err := p.Fmt.ParseDateValue(v["to"])
		if err != nil {
			errs["to"] = t.BadDate
		}
		// The end of the day: the start of the next one in the same zone.
		f.To = to.AddDate(0, 0, 1)
	}
	if len(errs) > 0 {
		form.Errors = errs
		form.Error = p.Msg.FormHasErrors
		return f, false
	}
	return f, true
}

// auditRows turns audit entries into rows, looking up the records they
// name all at once, one api call per kind of record (the lists' `ids`
// filter, archived records included); refs
// may hold records the page knows already. A record the api no longer has
// is marked deleted; one it could not be asked about is named from the
// entry or by kind and number, so one failed look-up never costs the page.
func (s *server) auditRows(ctx context.Context, who SignedIn, p views.Page, es []apiclient.AuditEntry, refs views.AuditRefs) []views.AuditEntryRow {
	var mu sync.Mutex
	var calls []func() error
	for kind, ids := range views.AuditWanted(es) {
		var missing []int64
		for _, id := range ids {
			if _, ok := refs[kind][id]; !ok {
				missing = append(missing, id)
			}
		}
		if len(missing) == 0 {
			continue
		}
		lookUp := s.auditLookUp(kind, who)
		if lookUp == nil {
			continue
		}
		for chunk := range slices.Chunk(missing, apiclient.LimitParamIdsMaxItems) {
			calls = append(calls, func() error {
				found, err := lookUp(ctx, chunk)
				if err != nil {
					return nil // named from the entries instead: see above
				}
				mu.Lock()
				defer mu.Unlock()
				for _, id := range chunk {
					ref, ok := found[id]
					if !ok {
						ref = views.AuditRef{Gone: true}
					}
					refs.Set(kind, id, ref)
				}
				return nil
			})
		}
	}
	_ = parallel(calls...) // the calls report nothing: see above
	return views.NewAuditRows(p, es, refs)
}

// auditLookUp returns how to look up records of kind by id in one call,
// or nil for a kind the person may not list. Archived records are asked
// for too: the trail names them as well.
func (s *server) auditLookUp(kind string, who SignedIn) func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
	limit := apiclient.LimitParamIdsMaxItems
	switch kind {
	case "item":
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			all := apiclient.ListItemsParamsArchivedAll
			list, err := s.api.Items(ctx, who.Bearer, apiclient.ListItemsParams{Ids: &ids, Archived: &all, Limit: &limit})
			return refsOf(list.Items, err, func(it apiclient.Item) (int64, views.AuditRef) {
				ref := views.AuditRef{Name: it.Sku + " " + it.Name, Currency: string(it.Currency), BaseUnit: it.BaseUnit}
				if it.PackageUnit != nil {
					ref.PackageUnit = *it.PackageUnit
				}
				return it.ID, ref
			})
		}
	case "supplier":
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			all := apiclient.ListSuppliersParamsArchivedAll
			list, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Ids: &ids, Archived: &all, Limit: &limit})
			return refsOf(list.Items, err, func(r apiclient.Supplier) (int64, views.AuditRef) { return r.ID, views.AuditRef{Name: r.Name} })
		}
	case "customer":
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			all := apiclient.ListCustomersParamsArchivedAll
			list, err := s.api.Customers(ctx, who.Bearer, apiclient.ListCustomersParams{Ids: &ids, Archived: &all, Limit: &limit})
			return refsOf(list.Items, err, func(r apiclient.Customer) (int64, views.AuditRef) {
				return r.ID, views.AuditRef{Name: r.Name, Currency: string(r.Currency)}
			})
		}
	case "location":
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			all := apiclient.ListLocationsParamsArchivedAll
			list, err := s.api.Locations(ctx, who.Bearer, apiclient.ListLocationsParams{Ids: &ids, Archived: &all, Limit: &limit})
			return refsOf(list.Items, err, func(r apiclient.Location) (int64, views.AuditRef) {
				return r.ID, views.AuditRef{Name: r.Code + " " + r.Name}
			})
		}
	case "category":
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			all := apiclient.ListCategoriesParamsArchivedAll
			list, err := s.api.Categories(ctx, who.Bearer, apiclient.ListCategoriesParams{Ids: &ids, Archived: &all, Limit: &limit})
			return refsOf(list.Items, err, func(r apiclient.Category) (int64, views.AuditRef) { return r.ID, views.AuditRef{Name: r.Name} })
		}
	case "user":
		if !who.Perms.Can(roles.Users) {
			return nil // managers may not list people: they read numbers
		}
		return func(ctx context.Context, ids []int64) (map[int64]views.AuditRef, error) {
			list, err := s.api.Users(ctx, who.Bearer, apiclient.UserFilter{IDs: ids, Limit: limit})
			return refsOf(list.Items, err, func(u apiclient.User) (int64, views.AuditRef) { return u.ID, views.AuditRef{Name: u.Name} })
		}
	}
	return nil
}

// refsOf names the records of a look-up by id.
func refsOf[T any](items []T, err error, ref func(T) (int64, views.AuditRef)) (map[int64]views.AuditRef, error) {
	out := make(map[int64]views.AuditRef, len(items))
	for _, it := range items {
		id, r := ref(it)
		out[id] = r
	}
	return out, err
}
