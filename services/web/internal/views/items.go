package views

import (
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// ItemListView is the item list: its filter, one page of rows and what the
// role may do.
type ItemListView struct {
	Filter     CatFilter
	Rows       []ItemRow
	Pager      Pager
	CanCreate  bool // new item and CSV import
	ExportHref string
}

// ItemRow is one item of the list, formatted.
type ItemRow struct {
	ID       int64
	SKU      string
	Name     string
	Category string
	OnHand   string
	BelowMin bool
	Price    string
	Archived bool
}

// ItemRows formats a page of items; categories names category ids (an id
// not in it shows as "category not listed", never as its number).
func ItemRows(p Page, items []apiclient.Item, categories map[int64]string) []ItemRow {
	t := i18n.Items(p.Lang)
	out := make([]ItemRow, 0, len(items))
	for _, it := range items {
		r := ItemRow{ID: it.ID, SKU: it.Sku, Name: it.Name, Archived: it.Archived,
			Price: p.Fmt.Money(it.SalesPriceUnit, string(it.Currency)), Category: t.NoCategory}
		if it.CategoryID != nil {
			r.Category = catNameOr(categories, *it.CategoryID, t.UnknownCategory)
		}
		if it.Stock != nil {
			r.OnHand = p.Fmt.Quantity(it.Stock.OnHand, it.BaseUnit)
			r.BelowMin = it.Stock.BelowMinimum
		} else {
			r.OnHand = t.None
		}
		out = append(out, r)
	}
	return out
}

func catNameOr(names map[int64]string, id int64, unknown string) string {
	if n, ok := names[id]; ok {
		return n
	}
	return unknown
}

// ItemDetailView is an item's page.
type ItemDetailView struct {
	ID       int64
	Name     string
	SKU      string
	Archived bool
	// EditHref is the edit form; "" when the role may not change items.
	EditHref string
	Groups   []ItemFactGroup
	Stock    ItemStockView
	// Movements is one page of the item's history, newest first.
	Movements []ItemMovementRow
	MovePager Pager
	Suppliers []ItemSupplierRow
	// SupplierForm is the "add supplier" form; nil when the role may not
	// change the item's suppliers (then the rows have no controls either).
	SupplierForm *ItemSupplierFormView
	// ShowAudit: the role may read the audit trail.
	ShowAudit bool
	Audit     []AuditEntryRow
	AuditHref string
	Actions   CatActions
}

// ItemFactGroup is a headed group of facts.
type ItemFactGroup struct {
	Heading string
	Facts   []CatFact
}

// ItemStockView is an item's stock, formatted.
type ItemStockView struct {
	OnHand, Good, Defective, Available, Value string
	Breakdown                                 string
	LowStock                                  bool
	Locations                                 []ItemLocationStock
}

// ItemLocationStock is the stock at one location.
type ItemLocationStock struct {
	ID                         int64
	Location                   string
	Good, Defective, Breakdown string
	Archived                   bool
}

// ItemMovementRow is one movement of an item.
type ItemMovementRow struct {
	ID       int64
	When     string
	Type     string
	Location string
	Quantity string // signed, in the item's base unit: "−288 bottle"
	Entered  string // as entered when in packages or pallets ("12 crate"), else ""
	Note     string
	Reversed bool
}

// ItemSupplierRow is one supplier of an item.
type ItemSupplierRow struct {
	SupplierID int64
	Name       string
	SKU        string
	Price      string
	LeadTime   string
	// EditHref and RemoveAction are the row's controls; "" for roles that
	// may not change the item's suppliers.
	EditHref     string
	RemoveAction string
}

// breakdown says a quantity as pallets, packages and units.
//
// Pallets are left out for an item without a pallet size, packages for one
// without a package size; their units are the item's own, like every
// quantity ("1 pallet · 37 crate · 0 bottle").
func itemBreakdown(t *i18n.ItemsText, p Page, s apiclient.ItemStock, b apiclient.Breakdown) string {
	var parts []string
	if s.PackageSize != nil {
		if s.PalletSize != nil {
			parts = append(parts, p.Fmt.Quantity(b.Pallets, t.Pallet))
		}
		pkg := t.Package
		if s.PackageUnit != nil && *s.PackageUnit != "" {
			pkg = *s.PackageUnit
		}
		parts = append(parts, p.Fmt.Quantity(b.Packages, pkg))
	}
	parts = append(parts, p.Fmt.Quantity(b.Units, s.BaseUnit))
	return strings.Join(parts, " · ")
}

// NewItemStockView formats an item's stock.
func NewItemStockView(p Page, s apiclient.ItemStock) ItemStockView {
	t := i18n.Items(p.Lang)
	v := ItemStockView{
		OnHand:    p.Fmt.Quantity(s.OnHand, s.BaseUnit),
		Good:      p.Fmt.Quantity(s.Good, s.BaseUnit),
		Defective: p.Fmt.Quantity(s.Defective, s.BaseUnit),
		Available: p.Fmt.Quantity(s.Available, s.BaseUnit),
		Value:     p.Fmt.Money(s.Value, string(s.Currency)),
		Breakdown: itemBreakdown(t, p, s, s.AvailableBreakdown),
		LowStock:  s.LowStock,
	}
	for _, l := range s.Locations {
		v.Locations = append(v.Locations, ItemLocationStock{
			ID: l.LocationID, Location: l.LocationCode + " – " + l.LocationName,
			Good: p.Fmt.Quantity(l.Good, s.BaseUnit), Defective: p.Fmt.Quantity(l.Defective, s.BaseUnit),
			Breakdown: itemBreakdown(t, p, s, l.GoodBreakdown), Archived: l.LocationArchived,
		})
	}
	return v
}

// ItemMovementRows formats a page of an item's movements.
func ItemMovementRows(p Page, ms []apiclient.Movement, baseUnit string) []ItemMovementRow {
	t, tm := i18n.Items(p.Lang), i18n.Movements(p.Lang)
	out := make([]ItemMovementRow, 0, len(ms))
	for _, m := range ms {
		loc := m.LocationCode
		if m.ToLocationCode != nil {
			loc += " → " + *m.ToLocationCode
		}
		typ, ok := t.MovementTypes[string(m.Type)]
		if !ok {
			typ = string(m.Type)
		}
		if m.ItemBaseUnit == "" {
			m.ItemBaseUnit = baseUnit
		}
		out = append(out, ItemMovementRow{ID: m.ID, When: p.Fmt.When(m.EffectiveAt), Type: typ, Location: loc,
			Quantity: MovementQuantity(tm, p.Fmt, m), Entered: MovementEnteredOther(tm, p.Fmt, m),
			Note: m.Note, Reversed: m.ReversedByID != nil})
	}
	return out
}

// ItemSupplierRows formats an item's suppliers.
func ItemSupplierRows(p Page, ss []apiclient.ItemSupplier, currency string) []ItemSupplierRow {
	t := i18n.Items(p.Lang)
	c := i18n.Catalogue(p.Lang)
	out := make([]ItemSupplierRow, 0, len(ss))
	for _, s := range ss {
		r := ItemSupplierRow{SupplierID: s.SupplierID, Name: s.SupplierName, SKU: s.SupplierSku, Price: t.None, LeadTime: t.None}
		if s.Price != nil {
			r.Price = p.Fmt.Money(*s.Price, currency)
		}
		if s.LeadTimeDays != nil {
			r.LeadTime = fill(c.DaysValue, "n", strconv.Itoa(*s.LeadTimeDays))
		}
		out = append(out, r)
	}
	return out
}

// ItemSupplierFormView adds a supplier to an item or changes how one
// supplies it. Values and errors are by the form's field names: supplier
// (the typed name or #number; adding only), supplier_id, supplier_sku,
// price, lead_time_days.
type ItemSupplierFormView struct {
	ItemName string
	// Supplier names the supplier being changed; "" when adding one.
	Supplier string
	Action   string
	// LookupHref answers the supplier field's suggestions (items.js).
	LookupHref string
	BackHref   string
	Form       Form
	// Candidates are the suppliers the typed text matched when it did not
	// name one; the person chooses one of them.
	Candidates []Option
}

// Adding reports whether the form adds a supplier (else it changes one).
func (v ItemSupplierFormView) Adding() bool { return v.Supplier == "" }

// ItemSupplierFieldSpecs are the link's own fields (not the supplier).
func ItemSupplierFieldSpecs(p Page) []FieldSpec {
	t := i18n.Items(p.Lang)
	f := func(name string, spec FieldSpec) FieldSpec {
		spec.Form, spec.Name, spec.Label, spec.Hint = "itemsupplier", name, t.SupplierLabels[name], t.SupplierHints[name]
		return spec
	}
	return []FieldSpec{
		f("supplier_sku", FieldSpec{MaxLength: apiclient.LimitItemSupplierInputSupplierSkuMaxLength, Autocomplete: "off"}),
		f("price", FieldSpec{InputMode: "decimal", MaxLength: DecimalWidth}),
		f("lead_time_days", FieldSpec{InputMode: "numeric", MaxLength: Digits(apiclient.LimitItemSupplierInputLeadTimeDaysMaximum)}),
	}
}

// itemSupplierFields are the fields of the supplier link form, in order,
// for its error summary.
func itemSupplierFields(p Page, v ItemSupplierFormView) []FieldSpec {
	fields := ItemSupplierFieldSpecs(p)
	if v.Adding() {
		fields = append([]FieldSpec{ItemSupplierField(p)}, fields...)
	}
	return fields
}

// ItemSupplierLookup is the lookup of the add form's supplier field.
func ItemSupplierLookup(v ItemSupplierFormView) SupplierLookup {
	return SupplierLookup{Href: v.LookupHref, ListID: "itemsupplier-suggestions", IDName: "supplier_id",
		Candidates: v.Candidates}
}

// ItemSupplierField is the supplier text field of the add form.
func ItemSupplierField(p Page) FieldSpec {
	t := i18n.Items(p.Lang)
	return FieldSpec{Form: "itemsupplier", Name: "supplier", Label: t.SupplierLabels["supplier"],
		Hint: t.SupplierHints["supplier"], Required: true, MaxLength: apiclient.LimitParamQueryMaxLength, Autocomplete: "off"}
}

// ItemFactGroups lays out an item's data in the form's groups.
// preferred is the preferred supplier's name ("" for none).
func ItemFactGroups(p Page, it apiclient.Item, category, preferred string) []ItemFactGroup {
	t := i18n.Items(p.Lang)
	c := i18n.Catalogue(p.Lang)
	cur := string(it.Currency)
	str := func(s *string) string {
		if s == nil || *s == "" {
			return t.None
		}
		return *s
	}
	num := func(n *int64) string {
		if n == nil {
			return t.None
		}
		return p.Fmt.Int(*n)
	}
	yes := func(b bool) string {
		if b {
			return t.Yes
		}
		return t.No
	}
	orNone := func(s string) string {
		if s == "" {
			return t.None
		}
		return s
	}
	f := func(name, value string) CatFact {
		return CatFact{Label: t.Labels[name], Value: value, TestID: "fact-" + name}
	}
	vat, ok := t.VATRates[string(it.VatRate)]
	if !ok {
		vat = p.Fmt.Percent(string(it.VatRate))
	}
	container := t.None
	if it.Container != nil {
		container = t.Containers[string(*it.Container)]
	}
	volume := t.None
	if it.VolumeMl != nil {
		volume = p.Fmt.Int(int64(*it.VolumeMl))
	}
	abv := t.None
	if it.Abv != nil {
		abv = p.Fmt.Percent(*it.Abv)
	}
	pkgPrice := t.None
	if it.SalesPricePackage != nil {
		pkgPrice = p.Fmt.Money(*it.SalesPricePackage, cur)
	}
	return []ItemFactGroup{
		{Heading: t.Groups["basics"], Facts: []CatFact{
			f("sku", it.Sku), f("name", it.Name), f("category_id", category),
			f("preferred_supplier_id", orNone(preferred)), f("brand", orNone(it.Brand)),
			f("description", orNone(it.Description)), f("ean_unit", str(it.EanUnit)), f("ean_package", str(it.EanPackage)),
			f("ean_pallet", str(it.EanPallet)),
		}},
		{Heading: t.Groups["units"], Facts: []CatFact{
			f("base_unit", it.BaseUnit), f("package_unit", str(it.PackageUnit)), f("package_size", num(it.PackageSize)),
			f("pallet_size", num(it.PalletSize)), f("min_stock", MinimumText(p, it.MinStock, it.BaseUnit, t.NoMinimum)),
			f("reorder_qty", MinimumText(p, it.ReorderQty, it.BaseUnit, t.NoReorder)),
		}},
		{Heading: t.Groups["prices"], Facts: []CatFact{
			f("sales_price_unit", p.Fmt.Money(it.SalesPriceUnit, cur)), f("sales_price_package", pkgPrice),
			f("vat_rate", vat), f("deposit_unit", p.Fmt.Money(it.DepositUnit, cur)),
			f("deposit_package", p.Fmt.Money(it.DepositPackage, cur)), f("avg_unit_cost", p.Fmt.Money(it.AvgUnitCost, cur)),
		}},
		{Heading: t.Groups["beverage"], Facts: []CatFact{
			f("beverage_type", orNone(it.BeverageType)), f("container", container), f("volume_ml", volume),
			f("abv", abv), f("alcoholic", yes(it.Alcoholic)), f("returnable", yes(it.Returnable)),
			f("country_of_origin", str(it.CountryOfOrigin)),
		}},
		{Heading: c.RecordHeading, Facts: []CatFact{
			{Label: c.CreatedAt, Value: p.Fmt.DateTime(it.CreatedAt)},
			{Label: c.UpdatedAt, Value: p.Fmt.DateTime(it.UpdatedAt)},
		}},
	}
}

// ItemFormView is the create or edit form of an item.
type ItemFormView struct {
	Create   bool
	Title    string
	Action   string
	BackHref string
	Form     Form
	Version  string
	// Categories are the choices of the category select.
	Categories []Option
	// Supplier is the preferred supplier's lookup: a typed name or #number
	// (empty: none), with the candidates when the text named several.
	Supplier SupplierLookup
}

// SupplierLookupType marks a FieldSpec as a typed supplier (a text field
// with server-side suggestions) rather than a plain input.
const SupplierLookupType = "supplier-lookup"

// SupplierLookup is what a typed supplier field needs besides its spec.
type SupplierLookup struct {
	// Href answers the suggestions while one types (items.js).
	Href string
	// ListID is the id of the field's datalist.
	ListID string
	// IDName is the form field carrying the supplier's id: filled by
	// items.js when the text is exactly one suggestion, or a chosen
	// candidate.
	IDName string
	// Candidates are the suppliers the typed text matched when it did not
	// name one; the person chooses one of them.
	Candidates []Option
}

// ItemFormSections lays out the item form in its six groups: identity and
// codes, units and packaging, prices and VAT, deposit, beverage data,
// reordering.
func ItemFormSections(p Page, v ItemFormView) []CatSection {
	t := i18n.Items(p.Lang)
	c := i18n.Catalogue(p.Lang)
	f := func(name string, spec FieldSpec) FieldSpec {
		spec.Form, spec.Name, spec.Label, spec.Hint = "item", name, t.Labels[name], t.Hints[name]
		return spec
	}
	categories := append([]Option{{Value: "", Label: t.NoCategory}}, v.Categories...)
	vat := []Option{}
	for _, r := range []string{"8.1", "2.6", "3.8", "0"} {
		vat = append(vat, Option{Value: r, Label: t.VATRates[r]})
	}
	containers := []Option{}
	for _, k := range []string{"", "glass", "pet", "can", "keg", "carton", "other"} {
		containers = append(containers, Option{Value: k, Label: t.Containers[k]})
	}
	currencies := []Option{{Value: "CHF", Label: c.Currencies["CHF"]}, {Value: "EUR", Label: c.Currencies["EUR"]}}
	money := FieldSpec{InputMode: "decimal", MaxLength: DecimalWidth}
	whole := func(max int) FieldSpec { return FieldSpec{InputMode: "numeric", MaxLength: Digits(max)} }
	return []CatSection{
		{Legend: t.Groups["basics"], Fields: []FieldSpec{
			f("sku", FieldSpec{Required: true, MaxLength: apiclient.LimitItemInputSkuMaxLength, Autocomplete: "off"}),
			f("name", FieldSpec{Required: true, MaxLength: apiclient.LimitItemInputNameMaxLength}),
			f("category_id", FieldSpec{Options: categories}),
			f("preferred_supplier", FieldSpec{Type: SupplierLookupType, MaxLength: apiclient.LimitParamQueryMaxLength, Autocomplete: "off"}),
			f("brand", FieldSpec{MaxLength: apiclient.LimitItemInputBrandMaxLength}),
			f("description", FieldSpec{Type: CatTextarea, MaxLength: apiclient.LimitItemInputDescriptionMaxLength}),
			f("ean_unit", FieldSpec{InputMode: "numeric", MaxLength: GTINWidth, Autocomplete: "off"}),
			f("ean_package", FieldSpec{InputMode: "numeric", MaxLength: GTINWidth, Autocomplete: "off"}),
			f("ean_pallet", FieldSpec{InputMode: "numeric", MaxLength: GTINWidth, Autocomplete: "off"}),
		}},
		{Legend: t.Groups["units"], Fields: []FieldSpec{
			f("base_unit", FieldSpec{Required: true, MaxLength: apiclient.LimitItemInputBaseUnitMaxLength}),
			f("package_unit", FieldSpec{MaxLength: apiclient.LimitItemInputPackageUnitMaxLength}),
			f("package_size", whole(apiclient.LimitItemInputPackageSizeMaximum)),
			f("pallet_size", whole(apiclient.LimitItemInputPalletSizeMaximum)),
		}},
		{Legend: t.Groups["prices_vat"], Fields: []FieldSpec{
			f("sales_price_unit", FieldSpec{InputMode: "decimal", MaxLength: DecimalWidth, Required: true}),
			f("sales_price_package", money),
			f("vat_rate", FieldSpec{Options: vat}),
			f("currency", FieldSpec{Options: currencies}),
		}},
		{Legend: t.Groups["deposit"], Fields: []FieldSpec{
			f("deposit_unit", money),
			f("deposit_package", money),
		}},
		{Legend: t.Groups["beverage"], Fields: []FieldSpec{
			f("beverage_type", FieldSpec{MaxLength: apiclient.LimitItemInputBeverageTypeMaxLength}),
			f("container", FieldSpec{Options: containers}),
			f("volume_ml", whole(apiclient.LimitItemInputVolumeMlMaximum)),
			f("abv", FieldSpec{InputMode: "decimal", MaxLength: PercentWidth}),
			f("alcoholic", FieldSpec{Type: CatCheckbox}),
			f("returnable", FieldSpec{Type: CatCheckbox}),
			f("country_of_origin", FieldSpec{MaxLength: CountryWidth, Autocomplete: "off"}),
		}},
		{Legend: t.Groups["reordering"], Fields: []FieldSpec{
			f("min_stock", whole(WholeMaximum)),
			f("reorder_qty", whole(WholeMaximum)),
		}},
	}
}

// ItemFormValues are the form values of an existing item.
func ItemFormValues(it apiclient.Item) map[string]string {
	s := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	n := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	b := func(v bool) string {
		if v {
			return "1"
		}
		return ""
	}
	v := map[string]string{
		"sku": it.Sku, "name": it.Name, "category_id": n(it.CategoryID), "preferred_supplier_id": n(it.PreferredSupplierID), "brand": it.Brand,
		"description": it.Description, "ean_unit": s(it.EanUnit), "ean_package": s(it.EanPackage), "ean_pallet": s(it.EanPallet),
		"base_unit": it.BaseUnit, "package_unit": s(it.PackageUnit), "package_size": n(it.PackageSize),
		"pallet_size": n(it.PalletSize), "min_stock": strconv.FormatInt(it.MinStock, 10),
		"reorder_qty": strconv.FormatInt(it.ReorderQty, 10), "sales_price_unit": it.SalesPriceUnit,
		"sales_price_package": s(it.SalesPricePackage), "vat_rate": string(it.VatRate), "currency": string(it.Currency),
		"deposit_unit": it.DepositUnit, "deposit_package": it.DepositPackage, "beverage_type": it.BeverageType,
		"abv": s(it.Abv), "alcoholic": b(it.Alcoholic), "returnable": b(it.Returnable),
		"country_of_origin": s(it.CountryOfOrigin),
	}
	if it.Container != nil {
		v["container"] = string(*it.Container)
	}
	if it.VolumeMl != nil {
		v["volume_ml"] = strconv.Itoa(*it.VolumeMl)
	}
	return v
}

// MinimumText writes an item's minimum (or reorder quantity) in its unit,
// or the words for "none" when it is 0: an item without a minimum is never
// low, and "Minimum: 0 bottles" would say it can be.
func MinimumText(p Page, n int64, unit, none string) string {
	if n <= 0 {
		return none
	}
	return p.Fmt.Quantity(n, unit)
}
