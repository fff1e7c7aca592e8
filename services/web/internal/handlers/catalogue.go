package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The master data pages: categories, suppliers, customers and locations.
// Each kind is described by a catKind (its columns, fields, api calls);
// the list, the create form, the record page with its edit form, and
// archive/restore/delete are the same handlers for all four.

// catKind describes one master data kind.
type catKind struct {
	kind   string // path and i18n key: categories
	single string // test id prefix of a row: category
	nav    string
	perm   roles.Permission // to create, change, archive and delete
	csv    bool             // has CSV import and export
	// fields names the form's fields for who, as the api names them (a
	// clerk's customer form has no credit limit).
	fields func(who SignedIn) []string
	// sections lays the form out.
	sections func(p views.Page, o catOptions) []views.CatSection
	// defaults are a new record's form values.
	defaults map[string]string
	// list loads one page of the list.
	list func(s *server, c echo.Context, who SignedIn) (views.CatalogueListView, error)
	// options loads the choices of the form's selects (nil: none).
	options func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, self int64) (catOptions, error)
	load    func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64) (catRecord, error)
	// create and update build the api's request type of the form's values
	// in b and send it; when a value cannot be read (b.failed()) they send
	// nothing and return errUnread.
	create func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, key string, b *formBody) (catRecord, error)
	update func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, b *formBody) (catRecord, error)
	// links lead from a record's page to what belongs to it (nil: none).
	links func(p views.Page, who SignedIn, rec catRecord) []views.CatLink
}

// errUnread: a form value that must be a number is not one; nothing was
// sent to the api, and the form's body (formBody.local) says which.
var errUnread = errors.New("form values not readable")

// catRecord is a loaded record as the pages need it.
type catRecord struct {
	id       int64
	name     string
	etag     string
	archived bool
	values   map[string]string
	// facts are shown beyond the form's fields (a customer's number); their
	// Label is a key of the catalogue's Labels, named in the page's language.
	facts   []views.CatFact
	created time.Time
	updated time.Time
	// archivedAt is when it was archived; nil when it is not.
	archivedAt *time.Time
	// customer is the customer record itself (customers only), for its
	// deposit account and orders.
	customer *apiclient.Customer
}

// catOptions are the choices of a form's selects.
type catOptions struct {
	parents []views.Option // locations
}

func (s *server) catalogueRoutes(e *echo.Echo) {
	actions := map[string]catRecordAction{
		"categories": {archive: s.api.ArchiveCategory, remove: s.api.DeleteCategory},
		"suppliers":  {archive: s.api.ArchiveSupplier, remove: s.api.DeleteSupplier},
		"customers":  {archive: s.api.ArchiveCustomer, remove: s.api.DeleteCustomer},
		"locations":  {archive: s.api.ArchiveLocation, remove: s.api.DeleteLocation},
	}
	for _, k := range []*catKind{categoryKind(), supplierKind(), customerKind(), locationKind()} {
		getHead(e, "/"+k.kind, func(c echo.Context) error { return s.catList(c, k) }, s.requireSignIn)
		if k.csv {
			getHead(e, "/"+k.kind+"/export", s.exportCSV(apiclient.CSVKind(k.kind)), s.requireSignIn)
		}
		getHead(e, "/"+k.kind+"/new", func(c echo.Context) error { return s.catNew(c, k) }, s.requireSignIn)
		e.POST("/"+k.kind, func(c echo.Context) error { return s.catCreate(c, k) }, s.requireSignIn)
		getHead(e, "/"+k.kind+"/:id", func(c echo.Context) error { return s.catShow(c, k) }, s.requireSignIn)
		e.POST("/"+k.kind+"/:id", func(c echo.Context) error { return s.catUpdate(c, k) }, s.requireSignIn)
		a := actions[k.kind]
		a.list = "/" + k.kind
		s.catActionRoutes(e, a)
	}
	s.csvRoutes(e)
}

// catListView fills what every master data list shares.
func catListView(k *catKind, c echo.Context, who SignedIn, t *i18n.CatalogueText, lq catListQuery, sorts []string, defaultSort string) views.CatalogueListView {
	v := views.CatalogueListView{
		Kind: k.kind, Title: t.Titles[k.kind], Lead: t.Leads[k.kind], NewLabel: t.NewButtons[k.kind],
		Filter: views.CatFilter{Action: "/" + k.kind, Q: lq.q, Archived: lq.archived, Sort: lq.sort,
			Sorts: catSortOptions(t, sorts...)},
	}
	if v.Filter.Sort == "" {
		v.Filter.Sort = defaultSort
	}
	if who.Perms.Can(k.perm) {
		v.NewHref = "/" + k.kind + "/new"
		if k.csv {
			v.ImportHref = "/import/" + k.kind
		}
	}
	if k.csv {
		q := url.Values{}
		if lq.q != "" {
			q.Set("q", lq.q)
		}
		if lq.archived != "" {
			q.Set("archived", lq.archived)
		}
		v.ExportHref = withQueryString("/"+k.kind+"/export", q)
	}
	return v
}

func (s *server) catList(c echo.Context, k *catKind) error {
	who := s.signedIn(c)
	v, err := k.list(s, c, who)
	if err != nil {
		return err
	}
	p := s.page(c, k.nav)
	p.Title = v.Title
	return render(c, http.StatusOK, views.CatalogueList(p, v))
}

// renderCatForm shows a kind's create form (rec nil) or a record's page.
func (s *server) renderCatForm(c echo.Context, status int, k *catKind, rec *catRecord, f views.Form, version string) error {
	who := s.signedIn(c)
	ctx := c.Request().Context()
	t := i18n.Catalogue(s.lang(c))
	var self int64
	if rec != nil {
		self = rec.id
	}
	var opts catOptions
	if k.options != nil {
		var err error
		if opts, err = k.options(s, ctx, who.Bearer, self); err != nil {
			return err
		}
	}
	p := s.page(c, k.nav)
	v := views.CatalogueFormView{Kind: k.kind, Form: f, Version: version, BackHref: "/" + k.kind,
		Sections: k.sections(p, opts)}
	canWrite := who.Perms.Can(k.perm)
	if rec == nil {
		v.Create, v.Title, v.Action, v.Submit = true, t.NewTitles[k.kind], "/"+k.kind, t.Create
	} else {
		v.Title, v.Submit = rec.name, t.Save
		v.Action = "/" + k.kind + "/" + strconv.FormatInt(rec.id, 10)
		for _, fact := range rec.facts {
			fact.Label = t.Labels[fact.Label]
			v.Facts = append(v.Facts, fact)
		}
		v.Facts = append(v.Facts,
			views.CatFact{Label: t.CreatedAt, Value: p.Fmt.DateTime(rec.created), TestID: "fact-created"},
			views.CatFact{Label: t.UpdatedAt, Value: p.Fmt.DateTime(rec.updated), TestID: "fact-updated"})
		if rec.archivedAt != nil {
			v.Facts = append(v.Facts, views.CatFact{Label: t.ArchivedAt, Value: p.Fmt.DateTime(*rec.archivedAt), TestID: "fact-archived"})
		}
		v.ReadOnly = !canWrite
		if v.ReadOnly {
			v.Facts = append(catFactsOf(v.Sections, rec.values), v.Facts...)
		}
		v.Record = &views.CatActions{Base: v.Action, Name: rec.name, Version: rec.etag, Archived: rec.archived,
			CanWrite: canWrite, CanDelete: canWrite}
		if k.links != nil {
			v.Links = k.links(p, who, *rec)
		}
		if rec.customer != nil {
			sales, err := s.customerSales(ctx, who, p, *rec.customer)
			if err != nil {
				return err
			}
			v.Sales = &sales
		}
	}
	p.Title = v.Title
	return render(c, status, views.CatalogueForm(p, v))
}

// catFactsOf shows a record's form values as facts (for roles that may
// read but not change it); a select shows its option's label.
func catFactsOf(sections []views.CatSection, values map[string]string) []views.CatFact {
	var out []views.CatFact
	for _, sec := range sections {
		for _, f := range sec.Fields {
			val := values[f.Name]
			for _, o := range f.Options {
				if o.Value == val {
					val = o.Label
				}
			}
			if val == "" {
				val = "–"
			}
			out = append(out, views.CatFact{Label: f.Label, Value: val, TestID: "fact-" + f.Name})
		}
	}
	return out
}

func (s *server) catNew(c echo.Context, k *catKind) error {
	if !s.signedIn(c).Perms.Can(k.perm) {
		return echo.ErrForbidden
	}
	values := map[string]string{}
	for name, v := range k.defaults {
		values[name] = v
	}
	return s.renderCatForm(c, http.StatusOK, k, nil, views.Form{Values: values, IdempotencyKey: newIdempotencyKey()}, "")
}

func (s *server) catCreate(c echo.Context, k *catKind) error {
	who := s.signedIn(c)
	if !who.Perms.Can(k.perm) {
		return echo.ErrForbidden
	}
	lang := s.lang(c)
	t := i18n.Catalogue(lang)
	f := views.Form{Values: formValues(c, k.fields(who)...), IdempotencyKey: postedIdempotencyKey(c)}
	b := newFormBody(f.Values, true, t)
	rec, err := k.create(s, c.Request().Context(), who.Bearer, f.IdempotencyKey, b)
	if errors.Is(err, errUnread) {
		catWithLocal(&f, b.local, i18n.For(lang))
		return s.renderCatForm(c, http.StatusUnprocessableEntity, k, nil, f, "")
	}
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderCatForm(c, status, k, nil, f, "")
		}
		return err
	}
	return s.redirectWithFlash(c, "/"+k.kind+"/"+strconv.FormatInt(rec.id, 10),
		views.Flash{Kind: views.FlashSuccess, Text: catFillName(t.Created, rec.name)})
}

func (s *server) catShow(c echo.Context, k *catKind) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	rec, err := k.load(s, c.Request().Context(), who.Bearer, id)
	if err != nil {
		return err
	}
	return s.renderCatForm(c, http.StatusOK, k, &rec, views.Form{Values: rec.values}, rec.etag)
}

func (s *server) catUpdate(c echo.Context, k *catKind) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	if !who.Perms.Can(k.perm) {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	lang := s.lang(c)
	t := i18n.Catalogue(lang)
	version := c.FormValue("version")
	f := views.Form{Values: formValues(c, k.fields(who)...)}
	b := newFormBody(f.Values, false, t)
	saved, err := k.update(s, ctx, who.Bearer, id, version, b)
	if err != nil {
		status := http.StatusUnprocessableEntity
		if !errors.Is(err, errUnread) {
			var ok bool
			if status, ok = s.formFailure(c, err, &f, nil, t.APIFields); !ok {
				return err
			}
		}
		catWithLocal(&f, b.local, i18n.For(lang))
		// The page around the form shows the record as it is now.
		rec, lerr := k.load(s, ctx, who.Bearer, id)
		if lerr != nil {
			return lerr
		}
		return s.renderCatForm(c, status, k, &rec, f, version)
	}
	return s.redirectWithFlash(c, "/"+k.kind+"/"+strconv.FormatInt(id, 10),
		views.Flash{Kind: views.FlashSuccess, Text: catFillName(t.Saved, saved.name)})
}
