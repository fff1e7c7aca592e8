package handlers

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// An item's suppliers: who supplies it, under which SKU, at what price and
// lead time. Roles that keep the catalogue add, change and remove them;
// the api's PUT records or changes one link, so a repeated submit never
// makes two.
//
// The supplier is typed, not picked from a list (a depot may have
// thousands): a name or #number the server resolves with one small search.
// items.js suggests names while typing and, when the text is exactly one
// suggestion, sends its id along.

// supplierCandidates is how many suppliers a lookup offers at most.
const supplierCandidates = 10

// supplierLookupPath answers the suggestions of every typed supplier field
// of the item pages (an item's "add supplier" form, the item form's
// preferred supplier); it needs no item, so the create form can use it.
const supplierLookupPath = "/items/suppliers/lookup"

// itemSupplierFields is the link's form as the api names its fields.
var itemSupplierFields = []string{"supplier_sku", "price", "lead_time_days"}

// itemSupplierRename maps the api's field names in errors to the form's.
var itemSupplierRename = map[string]string{"supplier_id": "supplier"}

func (s *server) itemSupplierRoutes(e *echo.Echo) {
	getHead(e, supplierLookupPath, s.supplierLookup, s.requireSignIn)
	e.POST("/items/:id/suppliers", s.itemSupplierAdd, s.requireSignIn)
	getHead(e, "/items/:id/suppliers/:supplier/edit", s.itemSupplierEdit, s.requireSignIn)
	e.POST("/items/:id/suppliers/:supplier", s.itemSupplierSave, s.requireSignIn)
	e.POST("/items/:id/suppliers/:supplier/remove", s.itemSupplierRemove, s.requireSignIn)
}

func itemPath(id int64) string { return "/items/" + strconv.FormatInt(id, 10) }

// itemSupplierAddForm is the empty "add supplier" form of an item's page.
func itemSupplierAddForm(itemID int64) *views.ItemSupplierFormView {
	base := itemPath(itemID)
	return &views.ItemSupplierFormView{Action: base + "/suppliers", LookupHref: supplierLookupPath,
		Form: views.Form{Values: map[string]string{}}}
}

// itemSupplierControls gives each row its edit and remove controls.
func itemSupplierControls(itemID int64, rows []views.ItemSupplierRow) {
	base := itemPath(itemID) + "/suppliers/"
	for i := range rows {
		sid := strconv.FormatInt(rows[i].SupplierID, 10)
		rows[i].EditHref = base + sid + "/edit"
		rows[i].RemoveAction = base + sid + "/remove"
	}
}

// mayKeepCatalogue refuses roles that may not change the catalogue, before
// anything is asked of the api: the "not permitted" page.
func (s *server) mayKeepCatalogue(c echo.Context) error {
	if !s.signedIn(c).Perms.Can(roles.Catalogue) {
		return echo.ErrForbidden
	}
	return nil
}

// findSuppliers searches the active suppliers for text.
func (s *server) findSuppliers(ctx context.Context, who SignedIn, text string) ([]apiclient.Supplier, error) {
	limit := supplierCandidates
	l, err := s.api.Suppliers(ctx, who.Bearer, apiclient.ListSuppliersParams{Q: &text, Limit: &limit})
	return l.Items, err
}

// supplierNumber reads "#12" or "12" as a supplier's number (its id).
func supplierNumber(text string) (int64, bool) {
	digits := strings.TrimPrefix(text, "#")
	if digits == "" || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	return id, err == nil && id > 0
}

// resolveSupplier finds the supplier a typed supplier field means: the id
// items.js or a chosen candidate sent, else the number typed, else the only
// active supplier whose name is the text (ignoring case), else the only one
// the search found. Otherwise it returns the candidates (none: unknown).
//
// A sent id counts only while the text still stands for it: its name (or
// #number), or a text whose search finds it (a chosen candidate). Without
// script the hidden id stays as rendered, so a text typed over it later
// must win.
func (s *server) resolveSupplier(ctx context.Context, who SignedIn, id, text string) (apiclient.Supplier, []apiclient.Supplier, error) {
	var sent apiclient.Supplier
	if n, err := strconv.ParseInt(id, 10, 64); err == nil && n > 0 {
		sp, _, err := s.api.Supplier(ctx, who.Bearer, n)
		switch {
		case err != nil && !isStatus(err, http.StatusNotFound):
			return apiclient.Supplier{}, nil, err
		case err == nil && (text == "" || sameSupplierText(sp, text)):
			return sp, nil, nil
		case err == nil:
			sent = sp // checked against the search below
		}
		// Otherwise gone meanwhile: resolve the text instead.
	}
	if text == "" {
		return apiclient.Supplier{}, nil, nil // the sent id is gone and nothing was typed
	}
	if n, ok := supplierNumber(text); ok {
		sp, _, err := s.api.Supplier(ctx, who.Bearer, n)
		if err == nil || !isStatus(err, http.StatusNotFound) {
			return sp, nil, err
		}
	}
	found, err := s.findSuppliers(ctx, who, text)
	if err != nil {
		return apiclient.Supplier{}, nil, err
	}
	for _, sp := range found {
		if sent.ID != 0 && sp.ID == sent.ID {
			return sent, nil, nil
		}
	}
	var exact []apiclient.Supplier
	for _, sp := range found {
		if strings.EqualFold(strings.TrimSpace(sp.Name), text) {
			exact = append(exact, sp)
		}
	}
	switch {
	case len(exact) == 1:
		return exact[0], nil, nil
	case len(exact) == 0 && len(found) == 1:
		return found[0], nil, nil
	case len(exact) > 1:
		return apiclient.Supplier{}, exact, nil
	}
	return apiclient.Supplier{}, found, nil
}

// sameSupplierText reports whether text names sp: its name (ignoring case)
// or its number.
func sameSupplierText(sp apiclient.Supplier, text string) bool {
	if n, ok := supplierNumber(text); ok {
		return n == sp.ID
	}
	return strings.EqualFold(strings.TrimSpace(sp.Name), text)
}

// supplierOption labels a candidate with its number, so two of one name
// can be told apart.
func supplierOption(sp apiclient.Supplier) views.Option {
	label := sp.Name + " (#" + strconv.FormatInt(sp.ID, 10) + ")"
	if town := sp.Address.Town; town != nil && *town != "" {
		label = sp.Name + ", " + *town + " (#" + strconv.FormatInt(sp.ID, 10) + ")"
	}
	return views.Option{Value: strconv.FormatInt(sp.ID, 10), Label: label}
}

// supplierLookup answers items.js with the suggestions for the typed
// text: a datalist whose options are the suppliers' names.
func (s *server) supplierLookup(c echo.Context) error {
	if err := s.mayKeepCatalogue(c); err != nil {
		return err
	}
	q := strings.TrimSpace(c.QueryParam("q"))
	var opts []views.Option
	if q != "" {
		found, err := s.findSuppliers(c.Request().Context(), s.signedIn(c), q)
		if err != nil {
			return err
		}
		for _, sp := range found {
			opts = append(opts, views.Option{Value: strconv.FormatInt(sp.ID, 10), Label: sp.Name})
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.ItemSupplierSuggestions(opts))
}

// renderItemSupplierPage shows the supplier form on its own page with f.
func (s *server) renderItemSupplierPage(c echo.Context, status int, itemID int64, v views.ItemSupplierFormView) error {
	it, _, err := s.api.Item(c.Request().Context(), s.signedIn(c).Bearer, itemID)
	if err != nil {
		return err
	}
	t := i18n.Items(s.lang(c))
	p := s.page(c, views.NavItems)
	v.ItemName = it.Name
	v.BackHref = itemPath(itemID)
	if v.Adding() {
		p.Title = strings.ReplaceAll(t.SupplierAddTitle, "{item}", it.Name)
	} else {
		p.Title = strings.NewReplacer("{name}", v.Supplier, "{item}", it.Name).Replace(t.SupplierEditTitle)
	}
	return render(c, status, views.ItemSupplierPage(p, v))
}

func (s *server) itemSupplierAdd(c echo.Context) error {
	itemID, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	if err := s.mayKeepCatalogue(c); err != nil {
		return err
	}
	who, lang := s.signedIn(c), s.lang(c)
	t := i18n.Items(lang)
	v := *itemSupplierAddForm(itemID)
	v.Form.Values = formValues(c, append([]string{"supplier", "supplier_id"}, itemSupplierFields...)...)
	text := v.Form.Values["supplier"]
	if text == "" && v.Form.Values["supplier_id"] == "" {
		v.Form.Errors = map[string]string{"supplier": t.SupplierRequired}
		v.Form.Error = i18n.For(lang).FormHasErrors
		return s.renderItemSupplierPage(c, http.StatusUnprocessableEntity, itemID, v)
	}
	sp, candidates, err := s.resolveSupplier(c.Request().Context(), who, v.Form.Values["supplier_id"], text)
	if err != nil {
		return err
	}
	if sp.ID == 0 {
		msg := t.SupplierUnknown
		switch {
		case text == "":
			msg = t.SupplierRequired
		case len(candidates) > 0:
			msg = t.SupplierCandidates
			for _, x := range candidates {
				v.Candidates = append(v.Candidates, supplierOption(x))
			}
		}
		v.Form.Values["supplier_id"] = ""
		v.Form.Errors = map[string]string{"supplier": strings.ReplaceAll(msg, "{q}", text)}
		v.Form.Error = i18n.For(lang).FormHasErrors
		return s.renderItemSupplierPage(c, http.StatusUnprocessableEntity, itemID, v)
	}
	// From here on the supplier is known: a re-rendered form names it
	// exactly, whatever was typed.
	v.Form.Values["supplier"] = sp.Name
	v.Form.Values["supplier_id"] = strconv.FormatInt(sp.ID, 10)
	return s.putItemSupplier(c, itemID, sp.ID, sp.Name, v)
}

// putItemSupplier sends the link's values in v to the api and goes back to
// the item, or shows v again with the api's messages beside the fields.
func (s *server) putItemSupplier(c echo.Context, itemID, supplierID int64, name string, v views.ItemSupplierFormView) error {
	lang := s.lang(c)
	t, ct := i18n.Items(lang), i18n.Catalogue(lang)
	// PUT sets the whole link: an emptied price or lead time is null.
	b := newFormBody(v.Form.Values, false, ct)
	in := apiclient.ItemSupplierInput{SupplierSku: b.text("supplier_sku"), Price: optAmount(b, "price"),
		LeadTimeDays: optWhole[int](b, "lead_time_days")}
	if b.failed() {
		catWithLocal(&v.Form, b.local, i18n.For(lang))
		return s.renderItemSupplierPage(c, http.StatusUnprocessableEntity, itemID, v)
	}
	_, err := s.api.PutItemSupplier(c.Request().Context(), s.signedIn(c).Bearer, itemID, supplierID, in)
	if err != nil {
		if status, ok := s.formFailure(c, err, &v.Form, itemSupplierRename, t.APIFields, ct.APIFields); ok {
			return s.renderItemSupplierPage(c, status, itemID, v)
		}
		return err
	}
	return s.redirectWithFlash(c, itemPath(itemID)+"#suppliers-heading",
		views.Flash{Kind: views.FlashSuccess, Text: catFillName(t.SupplierSaved, name)})
}

// itemSupplierLink reads the item and supplier of the path and finds their
// link among the item's suppliers (found false when there is none).
func (s *server) itemSupplierLink(c echo.Context) (int64, apiclient.ItemSupplier, bool, error) {
	itemID, err := pathInt(c, "id")
	if err != nil {
		return 0, apiclient.ItemSupplier{}, false, err
	}
	supplierID, err := pathInt(c, "supplier")
	if err != nil {
		return 0, apiclient.ItemSupplier{}, false, err
	}
	links, err := s.api.ItemSuppliers(c.Request().Context(), s.signedIn(c).Bearer, itemID)
	if err != nil {
		return 0, apiclient.ItemSupplier{}, false, err
	}
	for _, l := range links {
		if l.SupplierID == supplierID {
			return itemID, l, true, nil
		}
	}
	return itemID, apiclient.ItemSupplier{SupplierID: supplierID}, false, nil
}

// itemSupplierGone goes back to the item saying the link is gone (removed
// by someone else meanwhile).
func (s *server) itemSupplierGone(c echo.Context, itemID int64) error {
	return s.redirectWithFlash(c, itemPath(itemID),
		views.Flash{Kind: views.FlashError, Text: i18n.Items(s.lang(c)).SupplierGone})
}

func (s *server) itemSupplierEdit(c echo.Context) error {
	if err := s.mayKeepCatalogue(c); err != nil {
		return err
	}
	itemID, link, found, err := s.itemSupplierLink(c)
	if err != nil {
		return err
	}
	if !found {
		return s.itemSupplierGone(c, itemID)
	}
	values := map[string]string{"supplier_sku": link.SupplierSku, "price": "", "lead_time_days": ""}
	if link.Price != nil {
		values["price"] = *link.Price
	}
	if link.LeadTimeDays != nil {
		values["lead_time_days"] = strconv.Itoa(*link.LeadTimeDays)
	}
	return s.renderItemSupplierPage(c, http.StatusOK, itemID, itemSupplierEditForm(itemID, link, values))
}

func itemSupplierEditForm(itemID int64, link apiclient.ItemSupplier, values map[string]string) views.ItemSupplierFormView {
	return views.ItemSupplierFormView{Supplier: link.SupplierName,
		Action: itemPath(itemID) + "/suppliers/" + strconv.FormatInt(link.SupplierID, 10),
		Form:   views.Form{Values: values}}
}

func (s *server) itemSupplierSave(c echo.Context) error {
	if err := s.mayKeepCatalogue(c); err != nil {
		return err
	}
	itemID, link, found, err := s.itemSupplierLink(c)
	if err != nil {
		return err
	}
	if !found {
		// Saving would add it again: the person changed a link that is gone.
		return s.itemSupplierGone(c, itemID)
	}
	v := itemSupplierEditForm(itemID, link, formValues(c, itemSupplierFields...))
	return s.putItemSupplier(c, itemID, link.SupplierID, link.SupplierName, v)
}

func (s *server) itemSupplierRemove(c echo.Context) error {
	itemID, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	supplierID, err := pathInt(c, "supplier")
	if err != nil {
		return err
	}
	if err := s.mayKeepCatalogue(c); err != nil {
		return err
	}
	name := strings.TrimSpace(c.FormValue("name"))
	if name == "" || len(name) > 200 {
		name = i18n.Items(s.lang(c)).UnknownSupplier // the form sends the name; never show a number
	}
	err = s.api.DeleteItemSupplier(c.Request().Context(), s.signedIn(c).Bearer, itemID, supplierID)
	switch {
	case err == nil || isStatus(err, http.StatusNotFound):
		// Already gone (a second click, or someone else): the outcome asked
		// for holds either way.
		return s.redirectWithFlash(c, itemPath(itemID)+"#suppliers-heading",
			views.Flash{Kind: views.FlashSuccess, Text: catFillName(i18n.Items(s.lang(c)).SupplierRemoved, name)})
	}
	return err
}
