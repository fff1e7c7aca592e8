package handlers

import (
	"context"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/oapi-codegen/nullable"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The four master data kinds: their lists, forms and api calls.

const catListLimit = 50

// catSpec is the form field name of form, labelled and hinted from t.
func catSpec(form, name string, t *i18n.CatalogueText, spec views.FieldSpec) views.FieldSpec {
	label := t.Labels[name]
	if _, rest, ok := strings.Cut(name, "."); ok {
		label = t.Labels[rest]
	}
	spec.Form, spec.Name, spec.Label = form, name, label
	if spec.Hint == "" {
		spec.Hint = t.Hints[name]
	}
	return spec
}

// catAddressFields names an address's form fields (see formBody.address).
func catAddressFields(prefix string) []string {
	return []string{prefix + ".street", prefix + ".house_number", prefix + ".postal_code", prefix + ".town", prefix + ".country"}
}

func catAddressSpecs(form, prefix string, t *i18n.CatalogueText, required bool) []views.FieldSpec {
	return []views.FieldSpec{
		catSpec(form, prefix+".street", t, views.FieldSpec{MaxLength: apiclient.LimitAddressStreetMaxLength, Autocomplete: "address-line1"}),
		catSpec(form, prefix+".house_number", t, views.FieldSpec{MaxLength: apiclient.LimitAddressHouseNumberMaxLength}),
		catSpec(form, prefix+".postal_code", t, views.FieldSpec{MaxLength: apiclient.LimitAddressPostalCodeMaxLength, Required: required, Autocomplete: "postal-code"}),
		catSpec(form, prefix+".town", t, views.FieldSpec{MaxLength: apiclient.LimitAddressTownMaxLength, Required: required, Autocomplete: "address-level2"}),
		catSpec(form, prefix+".country", t, views.FieldSpec{MaxLength: views.CountryWidth, Hint: t.Hints["country"], Autocomplete: "country"}),
	}
}

func catAddressValues(prefix string, a apiclient.Address, out map[string]string) {
	get := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	out[prefix+".street"], out[prefix+".house_number"] = get(a.Street), get(a.HouseNumber)
	out[prefix+".postal_code"], out[prefix+".town"], out[prefix+".country"] = get(a.PostalCode), get(a.Town), get(a.Country)
}

func addrTown(a apiclient.Address) string {
	if a.Town == nil {
		return ""
	}
	if a.PostalCode != nil && *a.PostalCode != "" {
		return *a.PostalCode + " " + *a.Town
	}
	return *a.Town
}

func catRowHref(kind string, id int64) string { return "/" + kind + "/" + strconv.FormatInt(id, 10) }

// --- categories ---

func categoryKind() *catKind {
	k := &catKind{kind: "categories", single: "category", nav: views.NavCategories, perm: roles.Catalogue,
		defaults: map[string]string{}}
	k.fields = func(SignedIn) []string { return []string{"name", "description"} }
	k.sections = func(p views.Page, _ catOptions) []views.CatSection {
		t := i18n.Catalogue(p.Lang)
		return []views.CatSection{{Legend: t.Groups["basics"], Fields: []views.FieldSpec{
			catSpec("category", "name", t, views.FieldSpec{Required: true, MaxLength: apiclient.LimitCategoryInputNameMaxLength}),
			catSpec("category", "description", t, views.FieldSpec{Type: views.CatTextarea, MaxLength: apiclient.LimitCategoryInputDescriptionMaxLength}),
		}}}
	}
	sorts := []string{"name", "-name", "-created_at", "created_at"}
	k.list = func(s *server, c echo.Context, who SignedIn) (views.CatalogueListView, error) {
		t := i18n.Catalogue(s.lang(c))
		lq := catReadListQuery(c, sorts)
		limit := catListLimit
		params := apiclient.ListCategoriesParams{Limit: &limit, Q: catStr(lq.q), Cursor: catStr(lq.cursor)}
		if lq.archived != "" {
			a := apiclient.ListCategoriesParamsArchived(lq.archived)
			params.Archived = &a
		}
		if lq.sort != "" {
			so := apiclient.ListCategoriesParamsSort(lq.sort)
			params.Sort = &so
		}
		l, err := s.api.Categories(c.Request().Context(), who.Bearer, params)
		if err != nil {
			return views.CatalogueListView{}, err
		}
		v := catListView(k, c, who, t, lq, sorts, "name")
		v.Columns = []views.CatColumn{{Label: t.Labels["name"]}, {Label: t.Labels["description"]}}
		for _, r := range l.Items {
			v.Rows = append(v.Rows, views.CatalogueRow{TestID: "category-" + strconv.FormatInt(r.ID, 10), Archived: r.Archived,
				Cells: []views.CatCell{{Text: r.Name, Href: catRowHref(k.kind, r.ID)}, {Text: r.Description}}})
		}
		v.Pager = views.NewPager("/"+k.kind, c.QueryParams(), l.NextCursor, l.Total)
		return v, nil
	}
	rec := func(r apiclient.Category, etag string) catRecord {
		return catRecord{id: r.ID, name: r.Name, etag: etag, archived: r.Archived, created: r.CreatedAt, updated: r.UpdatedAt,
			archivedAt: r.ArchivedAt, values: map[string]string{"name": r.Name, "description": r.Description}}
	}
	k.load = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64) (catRecord, error) {
		r, etag, err := s.api.Category(ctx, auth, id)
		return rec(r, etag), err
	}
	k.create = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, key string, b *formBody) (catRecord, error) {
		r, err := s.api.CreateCategory(ctx, auth, key, apiclient.CategoryInput{Name: b.str("name"), Description: b.text("description")})
		return rec(r, ""), err
	}
	k.update = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, b *formBody) (catRecord, error) {
		r, etag, err := s.api.UpdateCategory(ctx, auth, id, ifMatch, apiclient.CategoryUpdate{Name: b.text("name"), Description: b.text("description")})
		return rec(r, etag), err
	}
	return k
}

// --- suppliers ---

func supplierKind() *catKind {
	k := &catKind{kind: "suppliers", single: "supplier", nav: views.NavSuppliers, perm: roles.Catalogue, csv: true,
		defaults: map[string]string{"payment_terms_days": "30", "address.country": "CH"}}
	fields := append([]string{"name", "contact_person", "email", "phone", "payment_terms_days", "notes"}, catAddressFields("address")...)
	k.fields = func(SignedIn) []string { return fields }
	k.sections = func(p views.Page, _ catOptions) []views.CatSection {
		t := i18n.Catalogue(p.Lang)
		f := func(name string, spec views.FieldSpec) views.FieldSpec { return catSpec("supplier", name, t, spec) }
		return []views.CatSection{
			{Legend: t.Groups["basics"], Fields: []views.FieldSpec{f("name", views.FieldSpec{Required: true, MaxLength: apiclient.LimitSupplierInputNameMaxLength})}},
			{Legend: t.Groups["contact"], Fields: []views.FieldSpec{
				f("contact_person", views.FieldSpec{MaxLength: apiclient.LimitSupplierInputContactPersonMaxLength}),
				f("email", views.FieldSpec{Type: "email", MaxLength: apiclient.LimitSupplierInputEmailMaxLength, Autocomplete: "email"}),
				f("phone", views.FieldSpec{Type: "tel", MaxLength: apiclient.LimitSupplierInputPhoneMaxLength, Autocomplete: "tel"}),
			}},
			{Legend: t.Labels["address"], Fields: catAddressSpecs("supplier", "address", t, false)},
			{Legend: t.Groups["terms"], Fields: []views.FieldSpec{
				f("payment_terms_days", views.FieldSpec{InputMode: "numeric", MaxLength: views.Digits(apiclient.LimitSupplierInputPaymentTermsDaysMaximum)}),
				f("notes", views.FieldSpec{Type: views.CatTextarea, MaxLength: apiclient.LimitSupplierInputNotesMaxLength}),
			}},
		}
	}
	sorts := []string{"name", "-name", "-created_at", "created_at"}
	k.list = func(s *server, c echo.Context, who SignedIn) (views.CatalogueListView, error) {
		t := i18n.Catalogue(s.lang(c))
		lq := catReadListQuery(c, sorts)
		limit := catListLimit
		params := apiclient.ListSuppliersParams{Limit: &limit, Q: catStr(lq.q), Cursor: catStr(lq.cursor)}
		if lq.archived != "" {
			a := apiclient.ListSuppliersParamsArchived(lq.archived)
			params.Archived = &a
		}
		if lq.sort != "" {
			so := apiclient.ListSuppliersParamsSort(lq.sort)
			params.Sort = &so
		}
		l, err := s.api.Suppliers(c.Request().Context(), who.Bearer, params)
		if err != nil {
			return views.CatalogueListView{}, err
		}
		v := catListView(k, c, who, t, lq, sorts, "name")
		v.Columns = []views.CatColumn{{Label: t.Labels["name"]}, {Label: t.Labels["contact_person"]},
			{Label: t.Labels["town"]}, {Label: t.Labels["phone"]}}
		for _, r := range l.Items {
			v.Rows = append(v.Rows, views.CatalogueRow{TestID: "supplier-" + strconv.FormatInt(r.ID, 10), Archived: r.Archived,
				Cells: []views.CatCell{{Text: r.Name, Href: catRowHref(k.kind, r.ID)}, {Text: r.ContactPerson},
					{Text: addrTown(r.Address)}, {Text: r.Phone}}})
		}
		v.Pager = views.NewPager("/"+k.kind, c.QueryParams(), l.NextCursor, l.Total)
		return v, nil
	}
	rec := func(r apiclient.Supplier, etag string) catRecord {
		values := map[string]string{"name": r.Name, "contact_person": r.ContactPerson, "email": r.Email, "phone": r.Phone,
			"payment_terms_days": strconv.Itoa(r.PaymentTermsDays), "notes": r.Notes}
		catAddressValues("address", r.Address, values)
		return catRecord{id: r.ID, name: r.Name, etag: etag, archived: r.Archived, created: r.CreatedAt, updated: r.UpdatedAt,
			archivedAt: r.ArchivedAt, values: values}
	}
	k.load = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64) (catRecord, error) {
		r, etag, err := s.api.Supplier(ctx, auth, id)
		return rec(r, etag), err
	}
	k.create = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, key string, b *formBody) (catRecord, error) {
		addr := b.address("address")
		in := apiclient.SupplierInput{Name: b.str("name"), ContactPerson: b.text("contact_person"), Email: b.text("email"),
			Phone: b.text("phone"), PaymentTermsDays: whole[int](b, "payment_terms_days"), Notes: b.text("notes"), Address: &addr}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, err := s.api.CreateSupplier(ctx, auth, key, in)
		return rec(r, ""), err
	}
	k.update = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, b *formBody) (catRecord, error) {
		addr := b.address("address")
		in := apiclient.SupplierUpdate{Name: b.text("name"), ContactPerson: b.text("contact_person"), Email: b.text("email"),
			Phone: b.text("phone"), PaymentTermsDays: whole[int](b, "payment_terms_days"), Notes: b.text("notes"), Address: &addr}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, etag, err := s.api.UpdateSupplier(ctx, auth, id, ifMatch, in)
		return rec(r, etag), err
	}
	return k
}

// --- customers ---

func customerKind() *catKind {
	k := &catKind{kind: "customers", single: "customer", nav: views.NavCustomers, perm: roles.Customers, csv: true,
		defaults: map[string]string{"payment_terms_days": "30", "currency": "CHF", "billing_address.country": "CH"}}
	base := append([]string{"name", "contact_person", "email", "phone", "payment_terms_days", "currency"},
		catAddressFields("billing_address")...)
	base = append(base, catAddressFields("delivery_address")...)
	withLimit := append(append([]string{}, base...), "credit_limit")
	// A credit limit needs the price permission: the form leaves it out
	// for clerks, so their changes never touch it (a field not in the
	// form is never sent).
	k.fields = func(who SignedIn) []string {
		if who.Perms.Can(roles.Prices) {
			return withLimit
		}
		return base
	}
	k.sections = func(p views.Page, _ catOptions) []views.CatSection {
		t := i18n.Catalogue(p.Lang)
		f := func(name string, spec views.FieldSpec) views.FieldSpec { return catSpec("customer", name, t, spec) }
		terms := []views.FieldSpec{
			f("payment_terms_days", views.FieldSpec{InputMode: "numeric", MaxLength: views.Digits(apiclient.LimitCustomerInputPaymentTermsDaysMaximum)}),
			f("currency", views.FieldSpec{Options: []views.Option{{Value: "CHF", Label: t.Currencies["CHF"]},
				{Value: "EUR", Label: t.Currencies["EUR"]}}}),
		}
		if p.Can(roles.Prices) {
			terms = append(terms, f("credit_limit", views.FieldSpec{InputMode: "decimal", MaxLength: views.DecimalWidth}))
		}
		return []views.CatSection{
			{Legend: t.Groups["basics"], Fields: []views.FieldSpec{f("name", views.FieldSpec{Required: true, MaxLength: apiclient.LimitCustomerInputNameMaxLength})}},
			{Legend: t.Groups["contact"], Fields: []views.FieldSpec{
				f("contact_person", views.FieldSpec{MaxLength: apiclient.LimitCustomerInputContactPersonMaxLength}),
				f("email", views.FieldSpec{Type: "email", MaxLength: apiclient.LimitCustomerInputEmailMaxLength, Autocomplete: "email"}),
				f("phone", views.FieldSpec{Type: "tel", MaxLength: apiclient.LimitCustomerInputPhoneMaxLength, Autocomplete: "tel"}),
			}},
			{Legend: t.Groups["terms"], Fields: terms},
			{Legend: t.Groups["billing_address"], Fields: catAddressSpecs("customer", "billing_address", t, true)},
			{Legend: t.Groups["delivery_address"], Hint: t.Hints["delivery_address"],
				Fields: catAddressSpecs("customer", "delivery_address", t, false)},
		}
	}
	sorts := []string{"name", "-name", "number", "-number", "-created_at", "created_at"}
	k.list = func(s *server, c echo.Context, who SignedIn) (views.CatalogueListView, error) {
		t := i18n.Catalogue(s.lang(c))
		lq := catReadListQuery(c, sorts)
		limit := catListLimit
		params := apiclient.ListCustomersParams{Limit: &limit, Q: catStr(lq.q), Cursor: catStr(lq.cursor)}
		if lq.archived != "" {
			a := apiclient.ListCustomersParamsArchived(lq.archived)
			params.Archived = &a
		}
		if lq.sort != "" {
			so := apiclient.ListCustomersParamsSort(lq.sort)
			params.Sort = &so
		}
		l, err := s.api.Customers(c.Request().Context(), who.Bearer, params)
		if err != nil {
			return views.CatalogueListView{}, err
		}
		v := catListView(k, c, who, t, lq, sorts, "name")
		// Name first: the list is ordered by name (unless sorted otherwise).
		v.Columns = []views.CatColumn{{Label: t.Labels["name"]}, {Label: t.Labels["number"], Number: true},
			{Label: t.Labels["town"]}, {Label: t.Labels["phone"]}}
		for _, r := range l.Items {
			v.Rows = append(v.Rows, views.CatalogueRow{TestID: "customer-" + strconv.FormatInt(r.ID, 10), Archived: r.Archived,
				Cells: []views.CatCell{{Text: r.Name, Href: catRowHref(k.kind, r.ID)},
					{Text: strconv.FormatInt(r.Number, 10), Href: catRowHref(k.kind, r.ID), Number: true},
					{Text: addrTown(r.BillingAddress)}, {Text: r.Phone}}})
		}
		v.Pager = views.NewPager("/"+k.kind, c.QueryParams(), l.NextCursor, l.Total)
		return v, nil
	}
	rec := func(r apiclient.Customer, etag string) catRecord {
		values := map[string]string{"name": r.Name, "contact_person": r.ContactPerson, "email": r.Email, "phone": r.Phone,
			"payment_terms_days": strconv.Itoa(r.PaymentTermsDays), "currency": string(r.Currency)}
		if r.CreditLimit != nil {
			values["credit_limit"] = *r.CreditLimit
		}
		catAddressValues("billing_address", r.BillingAddress, values)
		if r.DeliveryAddress != nil {
			catAddressValues("delivery_address", *r.DeliveryAddress, values)
		}
		return catRecord{id: r.ID, name: r.Name, etag: etag, archived: r.Archived, created: r.CreatedAt, updated: r.UpdatedAt,
			archivedAt: r.ArchivedAt, values: values, facts: []views.CatFact{{Label: "number", Value: strconv.FormatInt(r.Number, 10), TestID: "fact-number"}},
			customer: &r}
	}
	k.load = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64) (catRecord, error) {
		r, etag, err := s.api.Customer(ctx, auth, id)
		return rec(r, etag), err
	}
	k.create = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, key string, b *formBody) (catRecord, error) {
		in := apiclient.CustomerInput{Name: b.str("name"), ContactPerson: b.text("contact_person"), Email: b.text("email"),
			Phone: b.text("phone"), PaymentTermsDays: whole[int](b, "payment_terms_days"),
			Currency: typed[apiclient.Currency](b, "currency"), BillingAddress: b.address("billing_address"),
			DeliveryAddress: catDeliveryAddress(b), CreditLimit: optAmount(b, "credit_limit")}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, err := s.api.CreateCustomer(ctx, auth, key, in)
		return rec(r, ""), err
	}
	k.update = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, b *formBody) (catRecord, error) {
		billing := b.address("billing_address")
		in := apiclient.CustomerUpdate{Name: b.text("name"), ContactPerson: b.text("contact_person"), Email: b.text("email"),
			Phone: b.text("phone"), PaymentTermsDays: whole[int](b, "payment_terms_days"),
			Currency: typed[apiclient.Currency](b, "currency"), BillingAddress: &billing,
			DeliveryAddress: catDeliveryAddress(b), CreditLimit: optAmount(b, "credit_limit")}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, etag, err := s.api.UpdateCustomer(ctx, auth, id, ifMatch, in)
		return rec(r, etag), err
	}
	return k
}

// catDeliveryAddress is a customer's delivery address. One with nothing
// but a country (the form's default) is empty, which means "to the
// billing address": left out on create, null on change.
func catDeliveryAddress(b *formBody) nullable.Nullable[apiclient.Address] {
	if b.onlyCountry("delivery_address") {
		return clearOf[apiclient.Address](b, "delivery_address.street")
	}
	return nullable.NewNullableWithValue(b.address("delivery_address"))
}

// --- locations ---

// catLocationPaths names each location by its path in the tree, from the
// warehouse down ("WH1 › A › A-03").
func catLocationPaths(all []apiclient.Location) map[int64]string {
	byID := make(map[int64]apiclient.Location, len(all))
	for _, l := range all {
		byID[l.ID] = l
	}
	out := make(map[int64]string, len(all))
	for _, l := range all {
		parts := []string{l.Code}
		cur := l
		for depth := 0; cur.ParentID != nil && depth < 10; depth++ {
			parent, ok := byID[*cur.ParentID]
			if !ok {
				// A parent not listed (archived, or beyond the list):
				// the path says something is above, not its number.
				parts = append(parts, "…")
				break
			}
			parts = append(parts, parent.Code)
			cur = parent
		}
		for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
			parts[i], parts[j] = parts[j], parts[i]
		}
		out[l.ID] = strings.Join(parts, " › ")
	}
	return out
}

func locationKind() *catKind {
	k := &catKind{kind: "locations", single: "location", nav: views.NavLocations, perm: roles.Catalogue,
		defaults: map[string]string{"kind": "bin"}}
	k.fields = func(SignedIn) []string {
		return []string{"code", "name", "kind", "parent_id"}
	}
	k.sections = func(p views.Page, o catOptions) []views.CatSection {
		t := i18n.Catalogue(p.Lang)
		f := func(name string, spec views.FieldSpec) views.FieldSpec { return catSpec("location", name, t, spec) }
		kinds := []views.Option{}
		for _, kd := range []string{"warehouse", "zone", "bin"} {
			kinds = append(kinds, views.Option{Value: kd, Label: t.LocationKinds[kd]})
		}
		return []views.CatSection{
			{Legend: t.Groups["basics"], Fields: []views.FieldSpec{
				f("code", views.FieldSpec{Required: true, MaxLength: apiclient.LimitLocationInputCodeMaxLength, Autocomplete: "off"}),
				f("name", views.FieldSpec{Required: true, MaxLength: apiclient.LimitLocationInputNameMaxLength}),
				f("kind", views.FieldSpec{Options: kinds}),
			}},
			{Legend: t.Groups["place"], Fields: []views.FieldSpec{
				f("parent_id", views.FieldSpec{Options: append([]views.Option{{Value: "", Label: t.TopLevel}}, o.parents...)}),
			}},
		}
	}
	// Parents offered: every active location but bins (they hold nothing)
	// and the location itself, named by path.
	k.options = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, self int64) (catOptions, error) {
		all, err := s.allLocations(ctx, auth)
		if err != nil {
			return catOptions{}, err
		}
		paths := catLocationPaths(all)
		var o catOptions
		for _, l := range all {
			if l.Kind == apiclient.LocationKindBin || l.ID == self || l.Archived {
				continue
			}
			o.parents = append(o.parents, views.Option{Value: strconv.FormatInt(l.ID, 10), Label: paths[l.ID] + " – " + l.Name})
		}
		return o, nil
	}
	sorts := []string{"code", "-code", "name", "-name", "-created_at", "created_at"}
	k.list = func(s *server, c echo.Context, who SignedIn) (views.CatalogueListView, error) {
		lang := s.lang(c)
		t := i18n.Catalogue(lang)
		ctx := c.Request().Context()
		lq := catReadListQuery(c, sorts)
		limit := catListLimit
		params := apiclient.ListLocationsParams{Limit: &limit, Q: catStr(lq.q), Cursor: catStr(lq.cursor)}
		if lq.archived != "" {
			a := apiclient.ListLocationsParamsArchived(lq.archived)
			params.Archived = &a
		}
		if lq.sort != "" {
			so := apiclient.ListLocationsParamsSort(lq.sort)
			params.Sort = &so
		}
		parent := c.QueryParam("parent_id")
		if parent == "0" {
			var top int64
			params.ParentID = &top
		} else if id := catQueryID(c, "parent_id"); id != nil {
			params.ParentID = id
		} else {
			parent = ""
		}
		var page apiclient.LocationList
		var all []apiclient.Location
		err := parallel(
			func() (err error) { page, err = s.api.Locations(ctx, who.Bearer, params); return err },
			func() (err error) { all, err = s.allLocations(ctx, who.Bearer); return err },
		)
		if err != nil {
			return views.CatalogueListView{}, err
		}
		paths := catLocationPaths(all)
		v := catListView(k, c, who, t, lq, sorts, "code")
		parents := []views.Option{{Value: "", Label: t.AllParents}, {Value: "0", Label: t.TopLevel}}
		for _, l := range all {
			if l.Kind != apiclient.LocationKindBin {
				parents = append(parents, views.Option{Value: strconv.FormatInt(l.ID, 10), Label: paths[l.ID]})
			}
		}
		v.Filter.Selects = []views.CatSelectFilter{{Name: "parent_id", Label: t.ParentFilter, Value: parent, Options: parents}}
		if id := catQueryID(c, "parent_id"); id != nil {
			v.Crumbs = []views.CatCrumb{{Label: t.TopLevel, Href: "/locations?parent_id=0"}, {Label: catPathOr(paths, *id, t.UnknownLocation)}}
		}
		v.Columns = []views.CatColumn{{Label: t.Labels["code"]}, {Label: t.Labels["name"]}, {Label: t.Labels["kind"]},
			{Label: t.Labels["path"]}}
		for _, r := range page.Items {
			row := views.CatalogueRow{TestID: "location-" + strconv.FormatInt(r.ID, 10), Archived: r.Archived,
				Cells: []views.CatCell{{Text: r.Code, Href: catRowHref(k.kind, r.ID), Mono: true}, {Text: r.Name},
					{Text: t.LocationKinds[string(r.Kind)]}, {Text: catPathOr(paths, r.ID, t.UnknownLocation), Mono: true}}}
			// Its contents: what is stored there and below, not only the
			// locations below (those are on its page and in the filter).
			row.ExtraHref, row.ExtraLabel = locationContents(r.ID), t.ShowContents
			v.Rows = append(v.Rows, row)
		}
		v.Pager = views.NewPager("/"+k.kind, c.QueryParams(), page.NextCursor, page.Total)
		return v, nil
	}
	rec := func(r apiclient.Location, etag string) catRecord {
		values := map[string]string{"code": r.Code, "name": r.Name, "kind": string(r.Kind), "parent_id": ""}
		if r.ParentID != nil {
			values["parent_id"] = strconv.FormatInt(*r.ParentID, 10)
		}
		return catRecord{id: r.ID, name: r.Code + " – " + r.Name, etag: etag, archived: r.Archived, created: r.CreatedAt,
			updated: r.UpdatedAt, archivedAt: r.ArchivedAt, values: values}
	}
	k.load = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64) (catRecord, error) {
		r, etag, err := s.api.Location(ctx, auth, id)
		return rec(r, etag), err
	}
	k.create = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, key string, b *formBody) (catRecord, error) {
		in := apiclient.LocationInput{Code: b.str("code"), Name: b.str("name"), Kind: apiclient.LocationKind(b.str("kind")),
			ParentID: optWhole[int64](b, "parent_id")}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, err := s.api.CreateLocation(ctx, auth, key, in)
		return rec(r, ""), err
	}
	k.update = func(s *server, ctx context.Context, auth apiclient.RequestEditorFn, id int64, ifMatch string, b *formBody) (catRecord, error) {
		in := apiclient.LocationUpdate{Code: b.text("code"), Name: b.text("name"), Kind: typed[apiclient.LocationKind](b, "kind"),
			ParentID: optWhole[int64](b, "parent_id")}
		if b.failed() {
			return catRecord{}, errUnread
		}
		r, etag, err := s.api.UpdateLocation(ctx, auth, id, ifMatch, in)
		return rec(r, etag), err
	}
	k.links = func(p views.Page, who SignedIn, rec catRecord) []views.CatLink {
		ct := i18n.Counts(p.Lang)
		id := strconv.FormatInt(rec.id, 10)
		out := []views.CatLink{
			{Label: strings.ReplaceAll(ct.ContentsOf, "{location}", rec.values["code"]), Href: locationContents(rec.id), TestID: "location-contents"},
		}
		if rec.values["kind"] != string(apiclient.LocationKindBin) {
			out = append(out, views.CatLink{Label: ct.SubLocations, Href: "/locations?parent_id=" + id, TestID: "location-children"})
		}
		if who.Perms.Can(roles.Stock) {
			out = append(out, views.CatLink{Label: ct.CountSheet, Href: views.CountSheetPath + "?location=" + id, TestID: "location-count"})
		}
		return out
	}
	return k
}

func catPathOr(paths map[int64]string, id int64, unknown string) string {
	if p, ok := paths[id]; ok {
		return p
	}
	return unknown
}

// locationContents is the stock page listing what location id and every
// location below it hold.
func locationContents(id int64) string {
	return "/stock?location_id=" + strconv.FormatInt(id, 10) + "&below=1"
}
