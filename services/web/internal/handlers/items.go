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

// itemRoutes: the item list, an item's page, create and edit forms,
// archive/restore/delete and the CSV export.
func (s *server) itemRoutes(e *echo.Echo) {
	getHead(e, "/items", s.itemList, s.requireSignIn)
	getHead(e, "/items/export", s.exportCSV(apiclient.CSVItems), s.requireSignIn)
	getHead(e, "/items/new", s.itemNew, s.requireSignIn)
	e.POST("/items", s.itemCreate, s.requireSignIn)
	getHead(e, "/items/:id", s.itemDetail, s.requireSignIn)
	getHead(e, "/items/:id/edit", s.itemEdit, s.requireSignIn)
	e.POST("/items/:id", s.itemUpdate, s.requireSignIn)
	s.catActionRoutes(e, catRecordAction{list: "/items", archive: s.api.ArchiveItem, remove: s.api.DeleteItem})
	s.itemSupplierRoutes(e)
}

// itemSorts are the api's sort keys the item list offers. "" leaves the
// order to the api: best match when searching, else by name — so typing a
// search (live, without touching the sort) ranks by relevance.
var itemSorts = []string{"", "name", "-name", "sku", "-sku", "-created_at", "created_at", "relevance"}

// itemFields are the item form's fields as the api names them.
var itemFields = []string{
	"sku", "name", "category_id", "preferred_supplier_id", "brand", "description", "ean_unit", "ean_package", "ean_pallet",
	"base_unit", "package_unit", "package_size", "pallet_size", "min_stock", "reorder_qty",
	"sales_price_unit", "sales_price_package", "vat_rate", "currency", "deposit_unit", "deposit_package",
	"beverage_type", "container", "volume_ml", "abv", "alcoholic", "returnable", "country_of_origin",
}

// itemInput is a new item of the form's values.
func itemInput(b *formBody) apiclient.ItemInput {
	in := apiclient.ItemInput{Sku: b.str("sku"), Name: b.str("name"),
		CategoryID: optWhole[int64](b, "category_id"), PreferredSupplierID: optWhole[int64](b, "preferred_supplier_id"),
		Brand: b.text("brand"), Description: b.text("description"),
		EanUnit: optText[string](b, "ean_unit"), EanPackage: optText[string](b, "ean_package"), EanPallet: optText[string](b, "ean_pallet"),
		BaseUnit: b.str("base_unit"), PackageUnit: optText[string](b, "package_unit"),
		PackageSize: optWhole[int64](b, "package_size"), PalletSize: optWhole[int64](b, "pallet_size"),
		MinStock: whole[int64](b, "min_stock"), ReorderQty: whole[int64](b, "reorder_qty"),
		SalesPricePackage: optAmount(b, "sales_price_package"),
		VatRate:           typed[apiclient.VATRate](b, "vat_rate"), Currency: typed[apiclient.Currency](b, "currency"),
		DepositUnit: b.amount("deposit_unit"), DepositPackage: b.amount("deposit_package"),
		BeverageType: b.text("beverage_type"), Container: optText[apiclient.Container](b, "container"),
		VolumeMl: optWhole[int](b, "volume_ml"), Abv: optAmount(b, "abv"),
		Alcoholic: b.check("alcoholic"), Returnable: b.check("returnable"),
		CountryOfOrigin: optText[apiclient.CountryCode](b, "country_of_origin")}
	// The api requires a sales price; the body cannot leave it out, so an
	// empty one is said here, as the api would say it.
	if price := b.amount("sales_price_unit"); price != nil {
		in.SalesPriceUnit = *price
	} else if _, unreadable := b.local["sales_price_unit"]; !unreadable {
		b.local["sales_price_unit"] = b.t.LocalRequired
	}
	return in
}

// itemUpdate is the change of an item the form's values make: every field
// of the form is sent, an emptied optional one as null.
func itemUpdate(b *formBody) apiclient.ItemUpdate {
	return apiclient.ItemUpdate{Sku: b.text("sku"), Name: b.text("name"),
		CategoryID: optWhole[int64](b, "category_id"), PreferredSupplierID: optWhole[int64](b, "preferred_supplier_id"),
		Brand: b.text("brand"), Description: b.text("description"),
		EanUnit: optText[string](b, "ean_unit"), EanPackage: optText[string](b, "ean_package"), EanPallet: optText[string](b, "ean_pallet"),
		BaseUnit: b.text("base_unit"), PackageUnit: optText[string](b, "package_unit"),
		PackageSize: optWhole[int64](b, "package_size"), PalletSize: optWhole[int64](b, "pallet_size"),
		MinStock: whole[int64](b, "min_stock"), ReorderQty: whole[int64](b, "reorder_qty"),
		SalesPriceUnit: b.amount("sales_price_unit"), SalesPricePackage: optAmount(b, "sales_price_package"),
		VatRate: typed[apiclient.VATRate](b, "vat_rate"), Currency: typed[apiclient.Currency](b, "currency"),
		DepositUnit: b.amount("deposit_unit"), DepositPackage: b.amount("deposit_package"),
		BeverageType: b.text("beverage_type"), Container: optText[apiclient.Container](b, "container"),
		VolumeMl: optWhole[int](b, "volume_ml"), Abv: optAmount(b, "abv"),
		Alcoholic: b.check("alcoholic"), Returnable: b.check("returnable"),
		CountryOfOrigin: optText[apiclient.CountryCode](b, "country_of_origin")}
}

// itemRename maps the api's field names in errors to the form's: the
// preferred supplier's message stands beside the typed field.
var itemRename = map[string]string{"vat_rate_bp": "vat_rate", "preferred_supplier_id": "preferred_supplier"}

// pickLimit is the page size of the lists that fill a filter or form
// select (categories, locations): the api's largest page. A depot has far
// fewer; beyond it a name shows as #id. Suppliers are typed instead (see
// items_suppliers.go): a depot may have thousands.
const pickLimit = 500

// categoryPicks loads the categories for a filter or select: options and
// names by id. Archived ones are included (an item may still be in one).
func (s *server) categoryPicks(ctx context.Context, auth apiclient.RequestEditorFn) ([]views.Option, map[int64]string, error) {
	limit, all := pickLimit, apiclient.ListCategoriesParamsArchived("all")
	sort := apiclient.ListCategoriesParamsSort("name")
	l, err := s.api.Categories(ctx, auth, apiclient.ListCategoriesParams{Limit: &limit, Archived: &all, Sort: &sort})
	if err != nil {
		return nil, nil, err
	}
	opts := make([]views.Option, 0, len(l.Items))
	names := make(map[int64]string, len(l.Items))
	for _, c := range l.Items {
		opts = append(opts, views.Option{Value: strconv.FormatInt(c.ID, 10), Label: c.Name})
		names[c.ID] = c.Name
	}
	return opts, names, nil
}

// allLocations loads up to pickLimit locations (archived too), sorted by
// code, for filters, selects and paths.
func (s *server) allLocations(ctx context.Context, auth apiclient.RequestEditorFn) ([]apiclient.Location, error) {
	limit, all := pickLimit, apiclient.ListLocationsParamsArchived("all")
	sort := apiclient.ListLocationsParamsSort("code")
	l, err := s.api.Locations(ctx, auth, apiclient.ListLocationsParams{Limit: &limit, Archived: &all, Sort: &sort})
	return l.Items, err
}

func (s *server) itemList(c echo.Context) error {
	who := s.signedIn(c)
	ctx := c.Request().Context()
	lang := s.lang(c)
	t, ct := i18n.Items(lang), i18n.Catalogue(lang)
	lq := catReadListQuery(c, itemSorts)
	if lq.sort == "relevance" && lq.q == "" {
		lq.sort = "" // the api refuses relevance without a search text
	}
	params := apiclient.ListItemsParams{Q: catStr(lq.q), Cursor: catStr(lq.cursor),
		CategoryID: catQueryID(c, "category_id"), LocationID: catQueryID(c, "location_id")}
	if lq.archived != "" {
		a := apiclient.ListItemsParamsArchived(lq.archived)
		params.Archived = &a
	}
	if lq.sort != "" {
		so := apiclient.ListItemsParamsSort(lq.sort)
		params.Sort = &so
	}
	lowStock := c.QueryParam("low_stock") == "1"
	if lowStock {
		params.LowStock = &lowStock
	}

	var items apiclient.ItemList
	var catOpts []views.Option
	var catNames map[int64]string
	var locations []apiclient.Location
	err := parallel(
		func() (err error) { items, err = s.api.Items(ctx, who.Bearer, params); return err },
		func() (err error) { catOpts, catNames, err = s.categoryPicks(ctx, who.Bearer); return err },
		func() (err error) { locations, err = s.allLocations(ctx, who.Bearer); return err },
	)
	if err != nil {
		return err
	}

	p := s.page(c, views.NavItems)
	p.Title = t.Title
	locOpts := []views.Option{{Value: "", Label: t.AllLocations}}
	for _, l := range locations {
		locOpts = append(locOpts, views.Option{Value: strconv.FormatInt(l.ID, 10), Label: l.Code + " – " + l.Name})
	}
	idValue := func(name string) string {
		if id := catQueryID(c, name); id != nil {
			return strconv.FormatInt(*id, 10)
		}
		return ""
	}
	export := url.Values{}
	if lq.q != "" {
		export.Set("q", lq.q)
	}
	if lq.archived != "" {
		export.Set("archived", lq.archived)
	}
	v := views.ItemListView{
		Filter: views.CatFilter{
			Action: "/items", Q: lq.q, Archived: lq.archived, Sort: lq.sort,
			Sorts: catSortOptions(ct, itemSorts...),
			Selects: []views.CatSelectFilter{
				{Name: "category_id", Label: t.Category, Value: idValue("category_id"),
					Options: append([]views.Option{{Value: "", Label: t.AllCategories}}, catOpts...)},
				{Name: "location_id", Label: t.Location, Value: idValue("location_id"), Options: locOpts},
			},
			Checks: []views.CatCheckFilter{{Name: "low_stock", Label: t.LowStockOnly, Checked: lowStock}},
		},
		Rows:       views.ItemRows(p, items.Items, catNames),
		Pager:      views.NewPager("/items", c.QueryParams(), items.NextCursor, items.Total),
		CanCreate:  who.Perms.Can(roles.Catalogue),
		ExportHref: withQueryString("/items/export", export),
	}
	return render(c, http.StatusOK, views.ItemList(p, v))
}

// preferredName names an item's preferred supplier from its suppliers
// (unknown when it is not among them, "" when it has none).
func preferredName(it apiclient.Item, suppliers []apiclient.ItemSupplier, unknown string) string {
	if it.PreferredSupplierID == nil {
		return ""
	}
	for _, sp := range suppliers {
		if sp.SupplierID == *it.PreferredSupplierID {
			return sp.SupplierName
		}
	}
	return unknown
}

func withQueryString(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// itemAuditEntries is how many audit entries an item's page shows; the
// audit page has the rest.
const itemAuditEntries = 20

// itemMovementsPage is the page size of an item's movement history.
const itemMovementsPage = 20

func (s *server) itemDetail(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	ctx := c.Request().Context()
	lang := s.lang(c)
	t := i18n.Items(lang)

	var item apiclient.Item
	var etag, category string
	var stock apiclient.ItemStock
	var moves apiclient.MovementList
	var suppliers []apiclient.ItemSupplier
	var audit apiclient.AuditList
	showAudit := who.Perms.Can(roles.Audit)
	limit := itemMovementsPage
	mp := apiclient.ListItemMovementsParams{Limit: &limit, Cursor: catStr(c.QueryParam("cursor"))}
	err = parallel(
		func() error {
			var err error
			if item, etag, err = s.api.Item(ctx, who.Bearer, id); err != nil {
				return err
			}
			category = t.NoCategory
			if item.CategoryID != nil {
				// Needs the item first; the other calls run meanwhile.
				cat, _, err := s.api.Category(ctx, who.Bearer, *item.CategoryID)
				if err != nil {
					return err
				}
				category = cat.Name
			}
			return nil
		},
		func() (err error) { stock, err = s.api.ItemStock(ctx, who.Bearer, id); return err },
		func() (err error) { moves, err = s.api.ItemMovements(ctx, who.Bearer, id, mp); return err },
		func() (err error) { suppliers, err = s.api.ItemSuppliers(ctx, who.Bearer, id); return err },
		func() (err error) {
			if !showAudit {
				return nil
			}
			audit, err = s.api.RecordAudit(ctx, who.Bearer, "item", id, itemAuditEntries)
			return err
		},
	)
	if err != nil {
		return err
	}

	p := s.page(c, views.NavItems)
	p.Title = item.Name
	base := "/items/" + strconv.FormatInt(id, 10)
	canWrite := who.Perms.Can(roles.Catalogue)
	v := views.ItemDetailView{
		ID: id, Name: item.Name, SKU: item.Sku, Archived: item.Archived,
		Groups:    views.ItemFactGroups(p, item, category, preferredName(item, suppliers, i18n.Items(p.Lang).UnknownSupplier)),
		Stock:     views.NewItemStockView(p, stock),
		Movements: views.ItemMovementRows(p, moves.Items, item.BaseUnit),
		MovePager: views.NewPager(base, c.QueryParams(), moves.NextCursor, nil),
		Suppliers: views.ItemSupplierRows(p, suppliers, string(item.Currency)),
		ShowAudit: showAudit,
		AuditHref: "/audit?entity=item&entity_id=" + strconv.FormatInt(id, 10),
		Actions: views.CatActions{Base: base, Name: item.Name, Version: etag, Archived: item.Archived,
			CanWrite: canWrite, CanDelete: canWrite},
	}
	if showAudit {
		// The item is known already: only the records its changes name are looked up.
		known := views.AuditRefs{}
		ref := views.AuditRef{Name: item.Sku + " " + item.Name, Currency: string(item.Currency), BaseUnit: item.BaseUnit}
		if item.PackageUnit != nil {
			ref.PackageUnit = *item.PackageUnit
		}
		known.Set("item", id, ref)
		v.Audit = s.auditRows(ctx, who, p, audit.Items, known)
	}
	if canWrite {
		v.EditHref = base + "/edit"
		v.SupplierForm = itemSupplierAddForm(id)
		itemSupplierControls(id, v.Suppliers)
	}
	return render(c, http.StatusOK, views.ItemDetail(p, v))
}

// renderItemForm shows the item form with f; it loads the category
// choices. candidates are the suppliers a typed preferred supplier matched
// when it named none.
func (s *server) renderItemForm(c echo.Context, status int, id int64, f views.Form, version string, candidates []views.Option) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Catalogue) {
		return echo.ErrForbidden
	}
	opts, _, err := s.categoryPicks(c.Request().Context(), who.Bearer)
	if err != nil {
		return err
	}
	ct := i18n.Catalogue(s.lang(c))
	p := s.page(c, views.NavItems)
	v := views.ItemFormView{Create: id == 0, Form: f, Version: version, Categories: opts,
		Supplier: views.SupplierLookup{Href: supplierLookupPath, ListID: "item-preferred_supplier-suggestions",
			IDName: "preferred_supplier_id", Candidates: candidates},
		Title: ct.NewTitles["items"], Action: "/items", BackHref: "/items"}
	if id != 0 {
		v.Action = "/items/" + strconv.FormatInt(id, 10)
		v.BackHref = v.Action
		v.Title = catFillName(ct.EditTitle, f.Value("name"))
	}
	p.Title = v.Title
	return render(c, status, views.ItemForm(p, v))
}

func (s *server) itemNew(c echo.Context) error {
	f := views.Form{IdempotencyKey: newIdempotencyKey(),
		Values: map[string]string{"vat_rate": "8.1", "currency": "CHF", "min_stock": "0", "reorder_qty": "0"}}
	return s.renderItemForm(c, http.StatusOK, 0, f, "", nil)
}

// itemForm reads the posted item form into f, the typed preferred
// supplier resolved to its id (empty: none), for itemInput or itemUpdate
// to make the api's body of. Its local messages (formBody.local) are shown
// beside fields instead of asking the api; candidates are the suppliers
// the typed text matched when it named none.
func (s *server) itemForm(c echo.Context, f *views.Form, create bool) (*formBody, []views.Option, error) {
	lang := s.lang(c)
	f.Values = formValues(c, append(append([]string{}, itemFields...), "preferred_supplier")...)
	supplierErr, candidates, err := s.resolvePreferredSupplier(c.Request().Context(), s.signedIn(c), f.Values, i18n.Items(lang))
	if err != nil {
		return nil, nil, err
	}
	b := newFormBody(f.Values, create, i18n.Catalogue(lang))
	if supplierErr != "" {
		b.local["preferred_supplier"] = supplierErr
	}
	return b, candidates, nil
}

// resolvePreferredSupplier turns the typed preferred supplier in values
// into preferred_supplier_id, and its text into the supplier's exact name.
// An empty text means no preferred supplier, whatever id came along (the
// hidden id of an emptied field without script). When the text names no
// one supplier it returns the message for beside the field and the
// candidates.
func (s *server) resolvePreferredSupplier(ctx context.Context, who SignedIn, values map[string]string, t *i18n.ItemsText) (string, []views.Option, error) {
	text := values["preferred_supplier"]
	if text == "" {
		values["preferred_supplier_id"] = ""
		return "", nil, nil
	}
	sp, found, err := s.resolveSupplier(ctx, who, values["preferred_supplier_id"], text)
	if err != nil {
		return "", nil, err
	}
	if sp.ID == 0 {
		values["preferred_supplier_id"] = ""
		if len(found) == 0 {
			return strings.ReplaceAll(t.SupplierUnknown, "{q}", text), nil, nil
		}
		candidates := make([]views.Option, 0, len(found))
		for _, x := range found {
			candidates = append(candidates, supplierOption(x))
		}
		return strings.ReplaceAll(t.SupplierCandidates, "{q}", text), candidates, nil
	}
	values["preferred_supplier"] = sp.Name
	values["preferred_supplier_id"] = strconv.FormatInt(sp.ID, 10)
	return "", nil, nil
}

func (s *server) itemCreate(c echo.Context) error {
	who := s.signedIn(c)
	lang := s.lang(c)
	ct := i18n.Catalogue(lang)
	f := views.Form{IdempotencyKey: postedIdempotencyKey(c)}
	b, candidates, err := s.itemForm(c, &f, true)
	if err != nil {
		return err
	}
	in := itemInput(b)
	if b.failed() {
		catWithLocal(&f, b.local, i18n.For(lang))
		return s.renderItemForm(c, http.StatusUnprocessableEntity, 0, f, "", candidates)
	}
	created, err := s.api.CreateItem(c.Request().Context(), who.Bearer, f.IdempotencyKey, in)
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, itemRename, i18n.Items(lang).APIFields, ct.APIFields); ok {
			return s.renderItemForm(c, status, 0, f, "", nil)
		}
		return err
	}
	return s.redirectWithFlash(c, "/items/"+strconv.FormatInt(created.ID, 10),
		views.Flash{Kind: views.FlashSuccess, Text: catFillName(ct.Created, created.Name)})
}

func (s *server) itemEdit(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Catalogue) {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	item, etag, err := s.api.Item(ctx, who.Bearer, id)
	if err != nil {
		return err
	}
	values := views.ItemFormValues(item)
	if item.PreferredSupplierID != nil {
		// The field shows the supplier's name; the id goes along, so an
		// unchanged form keeps it even when another has the same name.
		// A supplier gone meanwhile leaves the field empty (its number
		// means nothing to a person), so saving clears the reference.
		sp, _, err := s.api.Supplier(ctx, who.Bearer, *item.PreferredSupplierID)
		switch {
		case err == nil:
			values["preferred_supplier"] = sp.Name
		case isStatus(err, http.StatusNotFound):
			values["preferred_supplier"], values["preferred_supplier_id"] = "", ""
		default:
			return err
		}
	}
	return s.renderItemForm(c, http.StatusOK, id, views.Form{Values: values}, etag, nil)
}

func (s *server) itemUpdate(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	lang := s.lang(c)
	ct := i18n.Catalogue(lang)
	version := c.FormValue("version")
	var f views.Form
	b, candidates, err := s.itemForm(c, &f, false)
	if err != nil {
		return err
	}
	in := itemUpdate(b)
	if b.failed() {
		catWithLocal(&f, b.local, i18n.For(lang))
		return s.renderItemForm(c, http.StatusUnprocessableEntity, id, f, version, candidates)
	}
	saved, _, err := s.api.UpdateItem(c.Request().Context(), who.Bearer, id, version, in)
	if err != nil {
		if status, ok := s.formFailure(c, err, &f, itemRename, i18n.Items(lang).APIFields, ct.APIFields); ok {
			return s.renderItemForm(c, status, id, f, version, nil)
		}
		return err
	}
	return s.redirectWithFlash(c, "/items/"+strconv.FormatInt(id, 10),
		views.Flash{Kind: views.FlashSuccess, Text: catFillName(ct.Saved, saved.Name)})
}
