package httpapi

import (
	"context"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
)

func toItem(x catalogue.Item) oapi.Item {
	out := oapi.Item{
		Id: x.ID, Sku: x.SKU, Name: x.Name, Description: x.Description, CategoryId: x.CategoryID, Brand: x.Brand,
		EanUnit: x.EANUnit, EanPackage: x.EANPackage, EanPallet: x.EANPallet, BaseUnit: x.BaseUnit, PackageUnit: x.PackageUnit,
		PackageSize: x.PackageSize, PalletSize: x.PalletSize,
		SalesPriceUnit: x.SalesPriceUnit.String(), SalesPricePackage: moneyPtrString(x.SalesPricePackage),
		Currency: oapi.Currency(x.Currency), VatRate: oapi.VATRate(catalogue.VATPercent(x.VATRateBP)),
		DepositUnit: x.DepositUnit.String(), DepositPackage: x.DepositPackage.String(), Returnable: x.Returnable,
		BeverageType: x.BeverageType, VolumeMl: x.VolumeML, Alcoholic: x.Alcoholic,
		MinStock: x.MinStock, ReorderQty: x.ReorderQty, PreferredSupplierId: x.PreferredSupplierID,
		AvgUnitCost: ledger.FormatMicros(x.AvgUnitCostMicros),
		Archived:    x.ArchivedAt != nil, ArchivedAt: utcPtr(x.ArchivedAt), CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC(),
	}
	if x.Container != nil {
		c := oapi.Container(*x.Container)
		out.Container = &c
	}
	if x.ABV != nil {
		a := catalogue.ABVPercent(*x.ABV)
		out.Abv = &a
	}
	if x.CountryOfOrigin != nil {
		c := oapi.CountryCode(*x.CountryOfOrigin)
		out.CountryOfOrigin = &c
	}
	return out
}

func (s *server) ListItems(ctx context.Context, r oapi.ListItemsRequestObject) (oapi.ListItemsResponseObject, error) {
	p := r.Params
	pg, err := s.catalogue.ListItems(ctx, listQuery(p.Limit, p.Cursor, p.Q, p.Archived, p.Sort, deref(p.Ids)...),
		catalogue.ItemFilter{CategoryID: p.CategoryId, LocationID: p.LocationId, LowStock: deref(p.LowStock)})
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(pg.Items))
	for i, x := range pg.Items {
		ids[i] = x.ID
	}
	totals, err := s.ledger.ItemTotals(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := oapi.ListItems200JSONResponse{Items: make([]oapi.Item, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, x := range pg.Items {
		it := toItem(x)
		// An item deleted between the two reads has no totals; it is
		// listed without them rather than with made-up zeros.
		if t, ok := totals[x.ID]; ok {
			it.Stock = &oapi.ItemStockTotals{Good: t.Good, Defective: t.Defective, Reserved: t.Reserved,
				Available: t.Available(), OnHand: t.OnHand(), BelowMinimum: t.BelowMinimum()}
		}
		out.Items = append(out.Items, it)
	}
	return out, nil
}

func (s *server) CreateItem(ctx context.Context, r oapi.CreateItemRequestObject) (oapi.CreateItemResponseObject, error) {
	b := r.Body
	f := fieldErrors{}
	in := catalogue.DefaultItemFields()
	in.SKU, in.Name, in.Description, in.Brand, in.BaseUnit = b.Sku, b.Name, deref(b.Description), deref(b.Brand), b.BaseUnit
	in.CategoryID, in.EANUnit, in.EANPackage = valueOf(b.CategoryId), valueOf(b.EanUnit), valueOf(b.EanPackage)
	in.EANPallet = valueOf(b.EanPallet)
	in.PackageUnit, in.PackageSize, in.PalletSize = valueOf(b.PackageUnit), valueOf(b.PackageSize), valueOf(b.PalletSize)
	in.SalesPriceUnit = f.money("sales_price_unit", b.SalesPriceUnit)
	in.SalesPricePackage = f.moneyPtr("sales_price_package", valueOf(b.SalesPricePackage))
	if b.Currency != nil {
		in.Currency = string(*b.Currency)
	}
	if b.VatRate != nil {
		in.VATRateBP = f.vatBP("vat_rate", string(*b.VatRate))
	}
	if b.DepositUnit != nil {
		in.DepositUnit = f.money("deposit_unit", *b.DepositUnit)
	}
	if b.DepositPackage != nil {
		in.DepositPackage = f.money("deposit_package", *b.DepositPackage)
	}
	in.Returnable, in.Alcoholic = deref(b.Returnable), deref(b.Alcoholic)
	in.BeverageType, in.VolumeML = deref(b.BeverageType), valueOf(b.VolumeMl)
	if c := valueOf(b.Container); c != nil {
		cc := catalogue.Container(*c)
		in.Container = &cc
	}
	if a := valueOf(b.Abv); a != nil {
		v := f.abvPerMille("abv", *a)
		in.ABV = &v
	}
	if c := valueOf(b.CountryOfOrigin); c != nil {
		cc := string(*c)
		in.CountryOfOrigin = &cc
	}
	in.MinStock, in.ReorderQty, in.PreferredSupplierID = deref(b.MinStock), deref(b.ReorderQty), valueOf(b.PreferredSupplierId)
	if err := f.err(); err != nil {
		return nil, err
	}
	x, err := s.catalogue.CreateItem(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	return oapi.CreateItem201JSONResponse{Body: toItem(x), Headers: oapi.CreateItem201ResponseHeaders{ETag: etag(x.Version), Location: location("items", x.ID)}}, nil
}

func (s *server) GetItem(ctx context.Context, r oapi.GetItemRequestObject) (oapi.GetItemResponseObject, error) {
	x, err := s.catalogue.GetItem(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetItem200JSONResponse{Body: toItem(x), Headers: oapi.GetItem200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) UpdateItem(ctx context.Context, r oapi.UpdateItemRequestObject) (oapi.UpdateItemResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	f := fieldErrors{}
	patch := catalogue.ItemPatch{
		SKU: b.Sku, Name: b.Name, Description: b.Description, Brand: b.Brand, BaseUnit: b.BaseUnit,
		CategoryID: optional(b.CategoryId), EANUnit: optional(b.EanUnit), EANPackage: optional(b.EanPackage), EANPallet: optional(b.EanPallet),
		PackageUnit: optional(b.PackageUnit), PackageSize: optional(b.PackageSize), PalletSize: optional(b.PalletSize),
		SalesPriceUnit:    f.moneyPtr("sales_price_unit", b.SalesPriceUnit),
		SalesPricePackage: optionalAs(b.SalesPricePackage, func(m oapi.Money) money.Amount { return f.money("sales_price_package", m) }),
		DepositUnit:       f.moneyPtr("deposit_unit", b.DepositUnit),
		DepositPackage:    f.moneyPtr("deposit_package", b.DepositPackage),
		Returnable:        b.Returnable, BeverageType: b.BeverageType, Alcoholic: b.Alcoholic,
		Container:       optionalAs(b.Container, func(c oapi.Container) catalogue.Container { return catalogue.Container(c) }),
		VolumeML:        optional(b.VolumeMl),
		ABV:             optionalAs(b.Abv, func(a string) int { return f.abvPerMille("abv", a) }),
		CountryOfOrigin: optionalAs(b.CountryOfOrigin, func(c oapi.CountryCode) string { return string(c) }),
		MinStock:        b.MinStock, ReorderQty: b.ReorderQty, PreferredSupplierID: optional(b.PreferredSupplierId),
	}
	if b.Currency != nil {
		c := string(*b.Currency)
		patch.Currency = &c
	}
	if b.VatRate != nil {
		bp := f.vatBP("vat_rate", string(*b.VatRate))
		patch.VATRateBP = &bp
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	x, err := s.catalogue.UpdateItem(ctx, principal(ctx).Actor(), r.Id, v, patch)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateItem200JSONResponse{Body: toItem(x), Headers: oapi.UpdateItem200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) DeleteItem(ctx context.Context, r oapi.DeleteItemRequestObject) (oapi.DeleteItemResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.DeleteItem(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteItem204Response{}, nil
}

func (s *server) ArchiveItem(ctx context.Context, r oapi.ArchiveItemRequestObject) (oapi.ArchiveItemResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.ArchiveItem(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveItem200JSONResponse{Body: toItem(x), Headers: oapi.ArchiveItem200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) RestoreItem(ctx context.Context, r oapi.RestoreItemRequestObject) (oapi.RestoreItemResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.RestoreItem(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreItem200JSONResponse{Body: toItem(x), Headers: oapi.RestoreItem200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

// --- item suppliers

func toItemSupplier(x catalogue.ItemSupplier) oapi.ItemSupplier {
	return oapi.ItemSupplier{ItemId: x.ItemID, SupplierId: x.SupplierID, SupplierName: x.SupplierName, SupplierSku: x.SupplierSKU,
		Price: moneyPtrString(x.Price), LeadTimeDays: x.LeadTimeDays, CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
}

func (s *server) ListItemSuppliers(ctx context.Context, r oapi.ListItemSuppliersRequestObject) (oapi.ListItemSuppliersResponseObject, error) {
	if _, err := s.catalogue.GetItem(ctx, r.Id); err != nil {
		return nil, err
	}
	list, err := s.catalogue.ListItemSuppliers(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	out := oapi.ListItemSuppliers200JSONResponse{Items: make([]oapi.ItemSupplier, 0, len(list))}
	for _, x := range list {
		out.Items = append(out.Items, toItemSupplier(x))
	}
	return out, nil
}

// PutItemSupplier records a supplier for an item, or changes the fields sent.
func (s *server) PutItemSupplier(ctx context.Context, r oapi.PutItemSupplierRequestObject) (oapi.PutItemSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	f := fieldErrors{}
	price := optionalAs(b.Price, func(m oapi.Money) money.Amount { return f.money("price", m) })
	if err := f.err(); err != nil {
		return nil, err
	}
	actor := principal(ctx).Actor()
	_, err = s.catalogue.GetItemSupplier(ctx, r.Id, r.SupplierId)
	var x catalogue.ItemSupplier
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
		x, err = s.catalogue.AddItemSupplier(ctx, actor, r.Id, r.SupplierId, catalogue.ItemSupplierFields{
			SupplierSKU: deref(b.SupplierSku), Price: price.Value, LeadTimeDays: valueOf(b.LeadTimeDays)})
	} else if err == nil {
		x, err = s.catalogue.UpdateItemSupplier(ctx, actor, r.Id, r.SupplierId, v, catalogue.ItemSupplierPatch{
			SupplierSKU: b.SupplierSku, Price: price, LeadTimeDays: optional(b.LeadTimeDays)})
	}
	if err != nil {
		return nil, err
	}
	return oapi.PutItemSupplier200JSONResponse{Body: toItemSupplier(x), Headers: oapi.PutItemSupplier200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) DeleteItemSupplier(ctx context.Context, r oapi.DeleteItemSupplierRequestObject) (oapi.DeleteItemSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.RemoveItemSupplier(ctx, principal(ctx).Actor(), r.Id, r.SupplierId, v); err != nil {
		return nil, err
	}
	return oapi.DeleteItemSupplier204Response{}, nil
}
