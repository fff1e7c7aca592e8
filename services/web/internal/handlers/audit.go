package handlers

import (
	"context"
	"net/http"
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

// auditRows writes entries in words. It looks up the names of the records
// they name (items, suppliers, customers one by one, categories and
// locations as one list each), all at once; refs may hold records the page
// knows already. A record the api no longer has is marked deleted; one it
// could not be asked about is named from the entry or by kind and number,
// so one failed look-up never costs the page.
func (s *server) auditRows(ctx context.Context, who SignedIn, p views.Page, es []apiclient.AuditEntry, refs views.AuditRefs) []views.AuditEntryRow {
	var mu sync.Mutex
	set := func(kind string, id int64, ref views.AuditRef, err error) {
		if err != nil {
			if status, _ := apiclient.Status(err); status != http.StatusNotFound {
				return
			}
			ref = views.AuditRef{Gone: true}
		}
		mu.Lock()
		defer mu.Unlock()
		refs.Set(kind, id, ref)
	}
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
		switch kind {
		case "item":
			for _, id := range missing {
				calls = append(calls, func() error {
					it, _, err := s.api.Item(ctx, who.Bearer, id)
					ref := views.AuditRef{Name: it.Sku + " " + it.Name, Currency: string(it.Currency), BaseUnit: it.BaseUnit}
					if it.PackageUnit != nil {
						ref.PackageUnit = *it.PackageUnit
					}
					set(kind, id, ref, err)
					return nil
				})
			}
		case "supplier":
			for _, id := range missing {
				calls = append(calls, func() error {
					sup, _, err := s.api.Supplier(ctx, who.Bearer, id)
					set(kind, id, views.AuditRef{Name: sup.Name}, err)
					return nil
				})
			}
		case "customer":
			for _, id := range missing {
				calls = append(calls, func() error {
					cu, _, err := s.api.Customer(ctx, who.Bearer, id)
					set(kind, id, views.AuditRef{Name: cu.Name, Currency: string(cu.Currency)}, err)
					return nil
				})
			}
		case "category":
			calls = append(calls, func() error {
				cats, err := s.api.LookupCategories(ctx, who.Bearer)
				for _, c := range cats {
					set(kind, c.ID, views.AuditRef{Name: c.Name}, err)
				}
				return nil
			})
		case "location":
			calls = append(calls, func() error {
				locs, err := s.api.LookupLocations(ctx, who.Bearer)
				for _, l := range locs {
					set(kind, l.ID, views.AuditRef{Name: l.Code + " " + l.Name}, err)
				}
				return nil
			})
		}
	}
	_ = parallel(calls...) // the calls report nothing: see above
	return views.NewAuditRows(p, es, refs)
}
