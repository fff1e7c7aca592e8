package httpapi

import (
	"context"
	"strconv"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
)

// listQuery builds the catalogue's list query from the common list parameters.
func listQuery[A, S ~string](limit *int, cursor, q *string, archived *A, sort *S, ids ...int64) catalogue.ListQuery {
	lq := catalogue.ListQuery{Limit: limit, Cursor: cursor, Q: deref(q), IDs: ids}
	if archived != nil {
		lq.Archived = catalogue.ArchivedFilter(*archived)
	}
	if sort != nil {
		lq.Sort = string(*sort)
	}
	return lq
}

func nextCursor[T any](p page.Page[T]) *string {
	if p.NextCursor == "" {
		return nil
	}
	return &p.NextCursor
}

func location(kind string, id int64) *string {
	s := "/api/v1/" + kind + "/" + strconv.FormatInt(id, 10)
	return &s
}

// --- categories

func toCategory(c catalogue.Category) oapi.Category {
	return oapi.Category{Id: c.ID, Name: c.Name, Description: c.Description, Archived: c.ArchivedAt != nil,
		ArchivedAt: utcPtr(c.ArchivedAt), CreatedAt: c.CreatedAt.UTC(), UpdatedAt: c.UpdatedAt.UTC()}
}

func (s *server) ListCategories(ctx context.Context, r oapi.ListCategoriesRequestObject) (oapi.ListCategoriesResponseObject, error) {
	p := r.Params
	pg, err := s.catalogue.ListCategories(ctx, listQuery(p.Limit, p.Cursor, p.Q, p.Archived, p.Sort, deref(p.Ids)...))
	if err != nil {
		return nil, err
	}
	out := oapi.ListCategories200JSONResponse{Items: make([]oapi.Category, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, c := range pg.Items {
		out.Items = append(out.Items, toCategory(c))
	}
	return out, nil
}

func (s *server) CreateCategory(ctx context.Context, r oapi.CreateCategoryRequestObject) (oapi.CreateCategoryResponseObject, error) {
	c, err := s.catalogue.CreateCategory(ctx, principal(ctx).Actor(), catalogue.CategoryFields{Name: r.Body.Name, Description: deref(r.Body.Description)})
	if err != nil {
		return nil, err
	}
	return oapi.CreateCategory201JSONResponse{Body: toCategory(c), Headers: oapi.CreateCategory201ResponseHeaders{ETag: etag(c.Version), Location: location("categories", c.ID)}}, nil
}

func (s *server) GetCategory(ctx context.Context, r oapi.GetCategoryRequestObject) (oapi.GetCategoryResponseObject, error) {
	c, err := s.catalogue.GetCategory(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetCategory200JSONResponse{Body: toCategory(c), Headers: oapi.GetCategory200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

func (s *server) UpdateCategory(ctx context.Context, r oapi.UpdateCategoryRequestObject) (oapi.UpdateCategoryResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	c, err := s.catalogue.UpdateCategory(ctx, principal(ctx).Actor(), r.Id, v, catalogue.CategoryPatch{Name: r.Body.Name, Description: r.Body.Description})
	if err != nil {
		return nil, err
	}
	return oapi.UpdateCategory200JSONResponse{Body: toCategory(c), Headers: oapi.UpdateCategory200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

func (s *server) DeleteCategory(ctx context.Context, r oapi.DeleteCategoryRequestObject) (oapi.DeleteCategoryResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.DeleteCategory(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteCategory204Response{}, nil
}

func (s *server) ArchiveCategory(ctx context.Context, r oapi.ArchiveCategoryRequestObject) (oapi.ArchiveCategoryResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	c, err := s.catalogue.ArchiveCategory(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveCategory200JSONResponse{Body: toCategory(c), Headers: oapi.ArchiveCategory200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

func (s *server) RestoreCategory(ctx context.Context, r oapi.RestoreCategoryRequestObject) (oapi.RestoreCategoryResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	c, err := s.catalogue.RestoreCategory(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreCategory200JSONResponse{Body: toCategory(c), Headers: oapi.RestoreCategory200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

// --- suppliers

func toAddress(a catalogue.Address) oapi.Address {
	country := a.Country
	return oapi.Address{Street: &a.Street, HouseNumber: &a.HouseNumber, PostalCode: &a.PostalCode, Town: &a.Town, Country: &country}
}

func fromAddress(a oapi.Address) catalogue.Address {
	return catalogue.Address{Street: deref(a.Street), HouseNumber: deref(a.HouseNumber), PostalCode: deref(a.PostalCode),
		Town: deref(a.Town), Country: deref(a.Country)}
}

func fromAddressPtr(a *oapi.Address) *catalogue.Address {
	if a == nil {
		return nil
	}
	c := fromAddress(*a)
	return &c
}

func toSupplier(x catalogue.Supplier) oapi.Supplier {
	return oapi.Supplier{Id: x.ID, Name: x.Name, ContactPerson: x.ContactPerson, Email: x.Email, Phone: x.Phone,
		Address: toAddress(x.Address), PaymentTermsDays: x.PaymentTermsDays, Notes: x.Notes,
		Archived: x.ArchivedAt != nil, ArchivedAt: utcPtr(x.ArchivedAt), CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
}

func (s *server) ListSuppliers(ctx context.Context, r oapi.ListSuppliersRequestObject) (oapi.ListSuppliersResponseObject, error) {
	p := r.Params
	pg, err := s.catalogue.ListSuppliers(ctx, listQuery(p.Limit, p.Cursor, p.Q, p.Archived, p.Sort, deref(p.Ids)...))
	if err != nil {
		return nil, err
	}
	out := oapi.ListSuppliers200JSONResponse{Items: make([]oapi.Supplier, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, x := range pg.Items {
		out.Items = append(out.Items, toSupplier(x))
	}
	return out, nil
}

func (s *server) CreateSupplier(ctx context.Context, r oapi.CreateSupplierRequestObject) (oapi.CreateSupplierResponseObject, error) {
	b := r.Body
	in := catalogue.DefaultSupplierFields()
	in.Name, in.ContactPerson, in.Email, in.Phone, in.Notes = b.Name, deref(b.ContactPerson), deref(b.Email), deref(b.Phone), deref(b.Notes)
	if b.Address != nil {
		in.Address = fromAddress(*b.Address)
	}
	if b.PaymentTermsDays != nil {
		in.PaymentTermsDays = *b.PaymentTermsDays
	}
	x, err := s.catalogue.CreateSupplier(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	return oapi.CreateSupplier201JSONResponse{Body: toSupplier(x), Headers: oapi.CreateSupplier201ResponseHeaders{ETag: etag(x.Version), Location: location("suppliers", x.ID)}}, nil
}

func (s *server) GetSupplier(ctx context.Context, r oapi.GetSupplierRequestObject) (oapi.GetSupplierResponseObject, error) {
	x, err := s.catalogue.GetSupplier(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetSupplier200JSONResponse{Body: toSupplier(x), Headers: oapi.GetSupplier200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) UpdateSupplier(ctx context.Context, r oapi.UpdateSupplierRequestObject) (oapi.UpdateSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	x, err := s.catalogue.UpdateSupplier(ctx, principal(ctx).Actor(), r.Id, v, catalogue.SupplierPatch{
		Name: b.Name, ContactPerson: b.ContactPerson, Email: b.Email, Phone: b.Phone, Address: fromAddressPtr(b.Address),
		PaymentTermsDays: b.PaymentTermsDays, Notes: b.Notes})
	if err != nil {
		return nil, err
	}
	return oapi.UpdateSupplier200JSONResponse{Body: toSupplier(x), Headers: oapi.UpdateSupplier200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) DeleteSupplier(ctx context.Context, r oapi.DeleteSupplierRequestObject) (oapi.DeleteSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.DeleteSupplier(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteSupplier204Response{}, nil
}

func (s *server) ArchiveSupplier(ctx context.Context, r oapi.ArchiveSupplierRequestObject) (oapi.ArchiveSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.ArchiveSupplier(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveSupplier200JSONResponse{Body: toSupplier(x), Headers: oapi.ArchiveSupplier200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) RestoreSupplier(ctx context.Context, r oapi.RestoreSupplierRequestObject) (oapi.RestoreSupplierResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.RestoreSupplier(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreSupplier200JSONResponse{Body: toSupplier(x), Headers: oapi.RestoreSupplier200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

// --- customers

func toCustomer(x catalogue.Customer) oapi.Customer {
	out := oapi.Customer{Id: x.ID, Number: x.Number, Name: x.Name, ContactPerson: x.ContactPerson, Email: x.Email, Phone: x.Phone,
		BillingAddress: toAddress(x.BillingAddress), PaymentTermsDays: x.PaymentTermsDays, CreditLimit: moneyPtrString(x.CreditLimit),
		Currency: oapi.Currency(x.Currency), Archived: x.ArchivedAt != nil, ArchivedAt: utcPtr(x.ArchivedAt),
		CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
	if x.DeliveryAddress != nil {
		a := toAddress(*x.DeliveryAddress)
		out.DeliveryAddress = &a
	}
	return out
}

// errNoPriceRights: a clerk may keep customers but not set their credit.
// The field names what was refused, so a form can say it beside the field.
var errNoPriceRights = &apperr.Error{Code: apperr.CodeForbidden, Message: "Your role may not set credit limits or prices.",
	Fields: apperr.Problems{"credit_limit": apperr.NotPermitted().Because("your role may not set credit limits")}}

func (s *server) ListCustomers(ctx context.Context, r oapi.ListCustomersRequestObject) (oapi.ListCustomersResponseObject, error) {
	p := r.Params
	pg, err := s.catalogue.ListCustomers(ctx, listQuery(p.Limit, p.Cursor, p.Q, p.Archived, p.Sort, deref(p.Ids)...))
	if err != nil {
		return nil, err
	}
	out := oapi.ListCustomers200JSONResponse{Items: make([]oapi.Customer, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, x := range pg.Items {
		out.Items = append(out.Items, toCustomer(x))
	}
	return out, nil
}

func (s *server) CreateCustomer(ctx context.Context, r oapi.CreateCustomerRequestObject) (oapi.CreateCustomerResponseObject, error) {
	b := r.Body
	if valueOf(b.CreditLimit) != nil && !principal(ctx).Allows(auth.PermPrices) {
		return nil, errNoPriceRights
	}
	f := fieldErrors{}
	in := catalogue.CustomerFields{Name: b.Name, ContactPerson: deref(b.ContactPerson), Email: deref(b.Email), Phone: deref(b.Phone),
		BillingAddress: fromAddress(b.BillingAddress), DeliveryAddress: fromAddressPtr(valueOf(b.DeliveryAddress)),
		CreditLimit: f.moneyPtr("credit_limit", valueOf(b.CreditLimit))}
	if b.PaymentTermsDays != nil {
		in.PaymentTermsDays = *b.PaymentTermsDays
	}
	if b.Currency != nil {
		in.Currency = string(*b.Currency)
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	x, err := s.catalogue.CreateCustomer(ctx, principal(ctx).Actor(), in)
	if err != nil {
		return nil, err
	}
	return oapi.CreateCustomer201JSONResponse{Body: toCustomer(x), Headers: oapi.CreateCustomer201ResponseHeaders{ETag: etag(x.Version), Location: location("customers", x.ID)}}, nil
}

func (s *server) GetCustomer(ctx context.Context, r oapi.GetCustomerRequestObject) (oapi.GetCustomerResponseObject, error) {
	x, err := s.catalogue.GetCustomer(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	out := toCustomer(x)
	if s.orders != nil {
		// The deposit account is the orders' (deliveries, later invoices and
		// credit notes); one customer's page shows it, lists do not.
		bs, err := s.orders.Balances(ctx, x.ID)
		if err != nil {
			return nil, err
		}
		out.DepositBalance = depositBalances(bs)
	}
	return oapi.GetCustomer200JSONResponse{Body: out, Headers: oapi.GetCustomer200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) UpdateCustomer(ctx context.Context, r oapi.UpdateCustomerRequestObject) (oapi.UpdateCustomerResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	if b.CreditLimit.IsSpecified() && !principal(ctx).Allows(auth.PermPrices) {
		return nil, errNoPriceRights
	}
	f := fieldErrors{}
	patch := catalogue.CustomerPatch{Name: b.Name, ContactPerson: b.ContactPerson, Email: b.Email, Phone: b.Phone,
		BillingAddress: fromAddressPtr(b.BillingAddress), PaymentTermsDays: b.PaymentTermsDays,
		DeliveryAddress: optionalAs(b.DeliveryAddress, fromAddress),
		CreditLimit:     optionalAs(b.CreditLimit, func(m oapi.Money) money.Amount { return f.money("credit_limit", m) })}
	if b.Currency != nil {
		c := string(*b.Currency)
		patch.Currency = &c
	}
	if err := f.err(); err != nil {
		return nil, err
	}
	x, err := s.catalogue.UpdateCustomer(ctx, principal(ctx).Actor(), r.Id, v, patch)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateCustomer200JSONResponse{Body: toCustomer(x), Headers: oapi.UpdateCustomer200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) DeleteCustomer(ctx context.Context, r oapi.DeleteCustomerRequestObject) (oapi.DeleteCustomerResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.DeleteCustomer(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteCustomer204Response{}, nil
}

func (s *server) ArchiveCustomer(ctx context.Context, r oapi.ArchiveCustomerRequestObject) (oapi.ArchiveCustomerResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.ArchiveCustomer(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveCustomer200JSONResponse{Body: toCustomer(x), Headers: oapi.ArchiveCustomer200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) RestoreCustomer(ctx context.Context, r oapi.RestoreCustomerRequestObject) (oapi.RestoreCustomerResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.RestoreCustomer(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreCustomer200JSONResponse{Body: toCustomer(x), Headers: oapi.RestoreCustomer200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

// --- locations

func toLocation(x catalogue.Location) oapi.Location {
	return oapi.Location{Id: x.ID, ParentId: x.ParentID, Code: x.Code, Name: x.Name, Kind: oapi.LocationKind(x.Kind),
		Archived: x.ArchivedAt != nil, ArchivedAt: utcPtr(x.ArchivedAt), CreatedAt: x.CreatedAt.UTC(), UpdatedAt: x.UpdatedAt.UTC()}
}

func (s *server) ListLocations(ctx context.Context, r oapi.ListLocationsRequestObject) (oapi.ListLocationsResponseObject, error) {
	p := r.Params
	var f catalogue.LocationFilter
	if p.ParentId != nil {
		if *p.ParentId == 0 {
			f.Parent = catalogue.SetNull[int64]()
		} else {
			f.Parent = catalogue.SetTo(*p.ParentId)
		}
	}
	pg, err := s.catalogue.ListLocations(ctx, listQuery(p.Limit, p.Cursor, p.Q, p.Archived, p.Sort, deref(p.Ids)...), f)
	if err != nil {
		return nil, err
	}
	out := oapi.ListLocations200JSONResponse{Items: make([]oapi.Location, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: &pg.Total}
	for _, x := range pg.Items {
		out.Items = append(out.Items, toLocation(x))
	}
	return out, nil
}

func (s *server) CreateLocation(ctx context.Context, r oapi.CreateLocationRequestObject) (oapi.CreateLocationResponseObject, error) {
	b := r.Body
	x, err := s.catalogue.CreateLocation(ctx, principal(ctx).Actor(), catalogue.LocationFields{
		ParentID: valueOf(b.ParentId), Code: b.Code, Name: b.Name, Kind: catalogue.LocationKind(b.Kind)})
	if err != nil {
		return nil, err
	}
	return oapi.CreateLocation201JSONResponse{Body: toLocation(x), Headers: oapi.CreateLocation201ResponseHeaders{ETag: etag(x.Version), Location: location("locations", x.ID)}}, nil
}

func (s *server) GetLocation(ctx context.Context, r oapi.GetLocationRequestObject) (oapi.GetLocationResponseObject, error) {
	x, err := s.catalogue.GetLocation(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetLocation200JSONResponse{Body: toLocation(x), Headers: oapi.GetLocation200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) UpdateLocation(ctx context.Context, r oapi.UpdateLocationRequestObject) (oapi.UpdateLocationResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	patch := catalogue.LocationPatch{ParentID: optional(b.ParentId), Code: b.Code, Name: b.Name}
	if b.Kind != nil {
		k := catalogue.LocationKind(*b.Kind)
		patch.Kind = &k
	}
	x, err := s.catalogue.UpdateLocation(ctx, principal(ctx).Actor(), r.Id, v, patch)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateLocation200JSONResponse{Body: toLocation(x), Headers: oapi.UpdateLocation200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) DeleteLocation(ctx context.Context, r oapi.DeleteLocationRequestObject) (oapi.DeleteLocationResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.catalogue.DeleteLocation(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteLocation204Response{}, nil
}

func (s *server) ArchiveLocation(ctx context.Context, r oapi.ArchiveLocationRequestObject) (oapi.ArchiveLocationResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.ArchiveLocation(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveLocation200JSONResponse{Body: toLocation(x), Headers: oapi.ArchiveLocation200ResponseHeaders{ETag: etag(x.Version)}}, nil
}

func (s *server) RestoreLocation(ctx context.Context, r oapi.RestoreLocationRequestObject) (oapi.RestoreLocationResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	x, err := s.catalogue.RestoreLocation(ctx, principal(ctx).Actor(), r.Id, v)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreLocation200JSONResponse{Body: toLocation(x), Headers: oapi.RestoreLocation200ResponseHeaders{ETag: etag(x.Version)}}, nil
}
