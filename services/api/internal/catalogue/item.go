package catalogue

import (
	"context"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
)

// Container is what a beverage comes in.
type Container string

// Containers.
const (
	Glass  Container = "glass"
	PET    Container = "pet"
	Can    Container = "can"
	Keg    Container = "keg"
	Carton Container = "carton"
	Other  Container = "other"
)

// Swiss VAT rates in basis points.
const (
	VATStandard      = 810 // 8.1 %
	VATReduced       = 260 // 2.6 %: food and drink other than alcohol, ...
	VATAccommodation = 380 // 3.8 %
	VATNone          = 0
)

// AlcoholicAbove is the ABV (per mille) above which a drink is alcoholic in
// Swiss law: 0.5 %.
const AlcoholicAbove = 5

// ItemFields are an item's writable fields. Money is in minor units of
// Currency.
type ItemFields struct {
	SKU         string `json:"sku"` // unique ignoring case
	Name        string `json:"name"`
	Description string `json:"description"`
	CategoryID  *int64 `json:"category_id"`
	Brand       string `json:"brand"`
	// EANs are GTIN-8/12/13/14 with a valid check digit, unique when present.
	EANUnit    *string `json:"ean_unit"`
	EANPackage *string `json:"ean_package"` // needs a package
	EANPallet  *string `json:"ean_pallet"`  // needs a pallet size
	// Stock is counted in BaseUnit ("bottle"). A package ("crate") holds
	// PackageSize base units; a pallet holds PalletSize packages.
	BaseUnit    string  `json:"base_unit"`
	PackageUnit *string `json:"package_unit"` // set together with PackageSize
	PackageSize *int64  `json:"package_size"` // 2 or more
	PalletSize  *int64  `json:"pallet_size"`  // needs a package
	// SalesPricePackage may differ from PackageSize × SalesPriceUnit; nil
	// when the item has no package price.
	SalesPriceUnit    money.Amount  `json:"sales_price_unit"`
	SalesPricePackage *money.Amount `json:"sales_price_package"`
	Currency          string        `json:"currency"`    // CHF or EUR; empty input becomes CHF
	VATRateBP         int           `json:"vat_rate_bp"` // one of the VAT constants
	DepositUnit       money.Amount  `json:"deposit_unit"`
	DepositPackage    money.Amount  `json:"deposit_package"` // needs a package when not 0
	Returnable        bool          `json:"returnable"`
	// Beverage attributes, all optional.
	BeverageType    string     `json:"beverage_type"`
	Container       *Container `json:"container"`
	VolumeML        *int       `json:"volume_ml"`
	ABV             *int       `json:"abv"`       // per mille of volume: 48 is 4.8 %
	Alcoholic       bool       `json:"alcoholic"` // must be true above AlcoholicAbove
	CountryOfOrigin *string    `json:"country_of_origin"`
	// Reordering, in base units.
	MinStock            int64  `json:"min_stock"`
	ReorderQty          int64  `json:"reorder_qty"`
	PreferredSupplierID *int64 `json:"preferred_supplier_id"`
}

// DefaultItemFields are a new item's fields before input: the defaults the
// schema has for fields a client leaves out.
func DefaultItemFields() ItemFields {
	return ItemFields{Currency: money.CHF, VATRateBP: VATStandard}
}

// Item is something the depot stocks and sells.
type Item struct {
	ID int64 `json:"id"`
	ItemFields
	// AvgUnitCostMicros is the moving-average cost of one base unit in
	// millionths of Currency. Only the stock ledger changes it.
	AvgUnitCostMicros int64      `json:"avg_unit_cost_micros"`
	ArchivedAt        *time.Time `json:"archived_at"`
	Version           int        `json:"version"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// ItemPatch changes the fields that are set.
type ItemPatch struct {
	SKU                 *string                `json:"sku"`
	Name                *string                `json:"name"`
	Description         *string                `json:"description"`
	CategoryID          Optional[int64]        `json:"category_id"`
	Brand               *string                `json:"brand"`
	EANUnit             Optional[string]       `json:"ean_unit"`
	EANPackage          Optional[string]       `json:"ean_package"`
	EANPallet           Optional[string]       `json:"ean_pallet"`
	BaseUnit            *string                `json:"base_unit"`
	PackageUnit         Optional[string]       `json:"package_unit"`
	PackageSize         Optional[int64]        `json:"package_size"`
	PalletSize          Optional[int64]        `json:"pallet_size"`
	SalesPriceUnit      *money.Amount          `json:"sales_price_unit"`
	SalesPricePackage   Optional[money.Amount] `json:"sales_price_package"`
	Currency            *string                `json:"currency"`
	VATRateBP           *int                   `json:"vat_rate_bp"`
	DepositUnit         *money.Amount          `json:"deposit_unit"`
	DepositPackage      *money.Amount          `json:"deposit_package"`
	Returnable          *bool                  `json:"returnable"`
	BeverageType        *string                `json:"beverage_type"`
	Container           Optional[Container]    `json:"container"`
	VolumeML            Optional[int]          `json:"volume_ml"`
	ABV                 Optional[int]          `json:"abv"`
	Alcoholic           *bool                  `json:"alcoholic"`
	CountryOfOrigin     Optional[string]       `json:"country_of_origin"`
	MinStock            *int64                 `json:"min_stock"`
	ReorderQty          *int64                 `json:"reorder_qty"`
	PreferredSupplierID Optional[int64]        `json:"preferred_supplier_id"`
}

func (p ItemPatch) apply(f *ItemFields) {
	set(&f.SKU, p.SKU)
	set(&f.Name, p.Name)
	set(&f.Description, p.Description)
	p.CategoryID.apply(&f.CategoryID)
	set(&f.Brand, p.Brand)
	p.EANUnit.apply(&f.EANUnit)
	p.EANPackage.apply(&f.EANPackage)
	p.EANPallet.apply(&f.EANPallet)
	set(&f.BaseUnit, p.BaseUnit)
	p.PackageUnit.apply(&f.PackageUnit)
	p.PackageSize.apply(&f.PackageSize)
	p.PalletSize.apply(&f.PalletSize)
	set(&f.SalesPriceUnit, p.SalesPriceUnit)
	p.SalesPricePackage.apply(&f.SalesPricePackage)
	set(&f.Currency, p.Currency)
	set(&f.VATRateBP, p.VATRateBP)
	set(&f.DepositUnit, p.DepositUnit)
	set(&f.DepositPackage, p.DepositPackage)
	set(&f.Returnable, p.Returnable)
	set(&f.BeverageType, p.BeverageType)
	p.Container.apply(&f.Container)
	p.VolumeML.apply(&f.VolumeML)
	p.ABV.apply(&f.ABV)
	set(&f.Alcoholic, p.Alcoholic)
	p.CountryOfOrigin.apply(&f.CountryOfOrigin)
	set(&f.MinStock, p.MinStock)
	set(&f.ReorderQty, p.ReorderQty)
	p.PreferredSupplierID.apply(&f.PreferredSupplierID)
}

func (f *ItemFields) normalize() {
	trim(&f.SKU, &f.Name, &f.Description, &f.Brand, &f.BaseUnit, &f.BeverageType)
	trimOrNil(&f.EANUnit, &f.EANPackage, &f.EANPallet, &f.PackageUnit, &f.CountryOfOrigin)
	if f.CountryOfOrigin != nil {
		c := strings.ToUpper(*f.CountryOfOrigin)
		f.CountryOfOrigin = &c
	}
	if f.Container != nil {
		c := Container(strings.ToLower(strings.TrimSpace(string(*f.Container))))
		f.Container = &c
	}
	upperOr(&f.Currency, money.CHF)
}

func (f ItemFields) validate() error {
	p := apperr.Problems{}
	checkCode(p, "sku", f.SKU, MaxSKU)
	p.Line("name", f.Name, 1, MaxItemName)
	p.Text("description", f.Description, 0, MaxItemDescription)
	p.ID("category_id", f.CategoryID)
	p.Line("brand", f.Brand, 0, MaxBrand)
	hasPackage := f.PackageSize != nil
	for _, e := range []struct {
		field string
		v     *string
	}{{"ean_unit", f.EANUnit}, {"ean_package", f.EANPackage}, {"ean_pallet", f.EANPallet}} {
		if e.v != nil && !ValidGTIN(*e.v) {
			p.Add(e.field, apperr.FieldError{Code: apperr.FieldGTIN, Message: "must be a GTIN-8, -12, -13 or -14 with a valid check digit"})
		}
	}
	if f.EANPackage != nil && !hasPackage {
		p.Add("ean_package", apperr.NeedsPackage())
	}
	if f.EANUnit != nil && f.EANPackage != nil && *f.EANUnit == *f.EANPackage {
		p.Add("ean_package", apperr.MustDiffer("ean_unit").Because("must differ from the unit's EAN"))
	}
	// A pallet's code names pallets: it needs a pallet size, and a code
	// the item uses for another unit would leave a scan without its unit.
	if f.EANPallet != nil {
		switch {
		case f.PalletSize == nil:
			p.Add("ean_pallet", apperr.FieldError{Code: apperr.FieldNoPallet, Message: "needs a pallet size: the code names a pallet"})
		case f.EANUnit != nil && *f.EANUnit == *f.EANPallet:
			p.Add("ean_pallet", apperr.MustDiffer("ean_unit").Because("must differ from the unit's EAN"))
		case f.EANPackage != nil && *f.EANPackage == *f.EANPallet:
			p.Add("ean_pallet", apperr.MustDiffer("ean_package").Because("must differ from the package's EAN"))
		}
	}
	p.Line("base_unit", f.BaseUnit, 1, MaxUnitName)
	switch {
	case f.PackageUnit != nil && f.PackageSize == nil:
		p.Add("package_size", requiredWith("package_unit", "is required with a package unit"))
	case f.PackageUnit == nil && f.PackageSize != nil:
		p.Add("package_unit", requiredWith("package_size", "is required with a package size"))
	case hasPackage:
		p.Line("package_unit", *f.PackageUnit, 1, MaxUnitName)
		p.Range("package_size", *f.PackageSize, MinPackageSize, MaxPackageSize)
	}
	if f.PalletSize != nil {
		if hasPackage {
			p.Range("pallet_size", *f.PalletSize, MinPalletSize, MaxPalletSize)
		} else {
			p.Add("pallet_size", apperr.NeedsPackage().Because("needs a package size: a pallet counts packages"))
		}
	}
	checkAmount(p, "sales_price_unit", &f.SalesPriceUnit)
	checkAmount(p, "sales_price_package", f.SalesPricePackage)
	if f.SalesPricePackage != nil && !hasPackage {
		p.Add("sales_price_package", apperr.NeedsPackage())
	}
	checkCurrency(p, "currency", f.Currency)
	switch f.VATRateBP {
	case VATStandard, VATReduced, VATAccommodation, VATNone:
	default:
		p.Add("vat_rate_bp", apperr.NotAllowed("810", "260", "380", "0").
			Because("must be 810, 260, 380 or 0 (8.1 %, 2.6 %, 3.8 %, none)"))
	}
	checkAmount(p, "deposit_unit", &f.DepositUnit)
	checkAmount(p, "deposit_package", &f.DepositPackage)
	if f.DepositPackage != 0 && !hasPackage {
		p.Add("deposit_package", apperr.NeedsPackage())
	}
	p.Line("beverage_type", f.BeverageType, 0, MaxBeverageType)
	if f.Container != nil {
		switch *f.Container {
		case Glass, PET, Can, Keg, Carton, Other:
		default:
			p.Add("container", apperr.NotAllowed(Glass, PET, Can, Keg, Carton, Other))
		}
	}
	if f.VolumeML != nil {
		p.Range("volume_ml", int64(*f.VolumeML), MinVolumeML, MaxVolumeML)
	}
	if f.ABV != nil {
		p.Range("abv", int64(*f.ABV), 0, MaxABV)
		if *f.ABV > AlcoholicAbove && !f.Alcoholic {
			p.Add("alcoholic", apperr.FieldError{Code: apperr.FieldMustBeAlcohol, Message: "must be true above 0.5 % alcohol by volume"})
		}
	}
	if f.CountryOfOrigin != nil {
		checkCountry(p, "country_of_origin", *f.CountryOfOrigin)
	}
	if f.MinStock < 0 {
		p.Add("min_stock", apperr.TooSmall(0))
	}
	if f.ReorderQty < 0 {
		p.Add("reorder_qty", apperr.TooSmall(0))
	}
	p.ID("preferred_supplier_id", f.PreferredSupplierID)
	return p.Check()
}

// checkItemRefs refuses new references to missing or archived categories and
// suppliers. References kept from before stay valid after an archive.
func checkItemRefs(ctx context.Context, refs Refs, before *ItemFields, after ItemFields) error {
	p := apperr.Problems{}
	if after.CategoryID != nil && (before == nil || !equalPtr(before.CategoryID, after.CategoryID)) {
		c, err := refs.Category(ctx, *after.CategoryID)
		if err := refProblem(p, "category_id", c.ArchivedAt, err); err != nil {
			return err
		}
	}
	if after.PreferredSupplierID != nil && (before == nil || !equalPtr(before.PreferredSupplierID, after.PreferredSupplierID)) {
		s, err := refs.Supplier(ctx, *after.PreferredSupplierID)
		if err := refProblem(p, "preferred_supplier_id", s.ArchivedAt, err); err != nil {
			return err
		}
	}
	return p.Check()
}

// refProblem records why a referenced record cannot be used; other errors
// are returned.
func refProblem(p apperr.Problems, field string, archivedAt *time.Time, err error) error {
	switch {
	case notFound(err):
		p.Add(field, apperr.NotFound())
	case err != nil:
		return err
	case archivedAt != nil:
		p.Add(field, apperr.Archived())
	}
	return nil
}

func requiredWith(other, message string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldRequiredWith, Message: message}.With("other", other)
}

// CreateItem validates and stores a new item.
func (s *Service) CreateItem(ctx context.Context, actor audit.Actor, in ItemFields) (Item, error) {
	in.normalize()
	if err := in.validate(); err != nil {
		return Item{}, err
	}
	return s.store.CreateItem(ctx, actor, in, func(ctx context.Context, refs Refs) error {
		return checkItemRefs(ctx, refs, nil, in)
	})
}

// GetItem returns an item, archived or not.
func (s *Service) GetItem(ctx context.Context, id int64) (Item, error) {
	return s.store.GetItem(ctx, id)
}

// UpdateItem applies p when the item is still at expectedVersion (0:
// whatever its version).
func (s *Service) UpdateItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, p ItemPatch) (Item, error) {
	return s.store.UpdateItem(ctx, actor, id, expectedVersion, func(ctx context.Context, refs Refs, it *Item) error {
		before := it.ItemFields
		p.apply(&it.ItemFields)
		it.normalize()
		if err := it.validate(); err != nil {
			return err
		}
		return checkItemRefs(ctx, refs, &before, it.ItemFields)
	})
}

// ArchiveItem keeps an item (and its history) readable but out of use.
func (s *Service) ArchiveItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Item, error) {
	return s.store.SetItemArchived(ctx, actor, id, expectedVersion, true)
}

// RestoreItem undoes ArchiveItem.
func (s *Service) RestoreItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) (Item, error) {
	return s.store.SetItemArchived(ctx, actor, id, expectedVersion, false)
}

// DeleteItem removes an item nothing refers to, with its supplier links.
func (s *Service) DeleteItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.store.DeleteItem(ctx, actor, id, expectedVersion)
}

// ListItems lists items. With q, the default order is relevance: an exact
// SKU or EAN first, then by similarity; without, by name.
func (s *Service) ListItems(ctx context.Context, q ListQuery, f ItemFilter) (page.Page[Item], error) {
	def := SortName
	if strings.TrimSpace(q.Q) != "" {
		def = SortRelevance
	}
	l, err := q.list(def, SortName, SortSKU, SortCreatedAt, SortRelevance)
	if err != nil {
		return page.Page[Item]{}, err
	}
	p := apperr.Problems{}
	if l.Sort.Field == SortRelevance && (l.Q == "" || l.Sort.Desc) {
		p.Add("sort", apperr.FieldError{Code: apperr.FieldRelevanceNeedQ, Message: "relevance needs a search text q and has no reverse order"})
	}
	p.ID("category_id", f.CategoryID)
	p.ID("location_id", f.LocationID)
	if err := p.Check(); err != nil {
		return page.Page[Item]{}, err
	}
	return s.store.ListItems(ctx, l, f)
}

// ItemSupplierFields are the writable fields of an item's supplier link.
type ItemSupplierFields struct {
	SupplierSKU string `json:"supplier_sku"`
	// Price is the purchase price in minor units of the item's currency: per
	// package when the item has a package, otherwise per base unit. Nil when
	// not known.
	Price        *money.Amount `json:"price"`
	LeadTimeDays *int          `json:"lead_time_days"` // 0–365
}

// ItemSupplier says that a supplier sells an item, under which number, at
// what price and how fast.
type ItemSupplier struct {
	ItemID       int64  `json:"item_id"`
	SupplierID   int64  `json:"supplier_id"`
	SupplierName string `json:"supplier_name"` // read only, for display
	ItemSupplierFields
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// ItemSupplierPatch changes the fields that are set.
type ItemSupplierPatch struct {
	SupplierSKU  *string                `json:"supplier_sku"`
	Price        Optional[money.Amount] `json:"price"`
	LeadTimeDays Optional[int]          `json:"lead_time_days"`
}

func (p ItemSupplierPatch) apply(f *ItemSupplierFields) {
	set(&f.SupplierSKU, p.SupplierSKU)
	p.Price.apply(&f.Price)
	p.LeadTimeDays.apply(&f.LeadTimeDays)
}

func (f *ItemSupplierFields) normalize() { trim(&f.SupplierSKU) }

func (f ItemSupplierFields) validate() error {
	p := apperr.Problems{}
	p.Line("supplier_sku", f.SupplierSKU, 0, MaxSupplierSKU)
	checkAmount(p, "price", f.Price)
	if f.LeadTimeDays != nil {
		p.Range("lead_time_days", int64(*f.LeadTimeDays), 0, MaxLeadTimeDays)
	}
	return p.Check()
}

// ListItemSuppliers returns who sells the item, by supplier name.
func (s *Service) ListItemSuppliers(ctx context.Context, itemID int64) ([]ItemSupplier, error) {
	return s.store.ListItemSuppliers(ctx, itemID)
}

// GetItemSupplier returns one link.
func (s *Service) GetItemSupplier(ctx context.Context, itemID, supplierID int64) (ItemSupplier, error) {
	return s.store.GetItemSupplier(ctx, itemID, supplierID)
}

// AddItemSupplier links a supplier (not archived) to an item.
func (s *Service) AddItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, in ItemSupplierFields) (ItemSupplier, error) {
	in.normalize()
	p := apperr.Problems{}
	p.ID("supplier_id", &supplierID)
	if err := p.Check(); err != nil {
		return ItemSupplier{}, err
	}
	if err := in.validate(); err != nil {
		return ItemSupplier{}, err
	}
	return s.store.CreateItemSupplier(ctx, actor, itemID, supplierID, in, func(ctx context.Context, refs Refs) error {
		sup, err := refs.Supplier(ctx, supplierID)
		if err := refProblem(p, "supplier_id", sup.ArchivedAt, err); err != nil {
			return err
		}
		return p.Check()
	})
}

// UpdateItemSupplier applies p when the link is still at expectedVersion
// (0: whatever its version).
func (s *Service) UpdateItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int, p ItemSupplierPatch) (ItemSupplier, error) {
	return s.store.UpdateItemSupplier(ctx, actor, itemID, supplierID, expectedVersion, func(l *ItemSupplier) error {
		p.apply(&l.ItemSupplierFields)
		l.normalize()
		return l.validate()
	})
}

// RemoveItemSupplier deletes the link.
func (s *Service) RemoveItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int) error {
	return s.store.DeleteItemSupplier(ctx, actor, itemID, supplierID, expectedVersion)
}
