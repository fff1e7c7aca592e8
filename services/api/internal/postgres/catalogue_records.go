package postgres

import (
	"context"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/page"
)

// Categories.

func categoryColumns(c *catalogue.Category) []column {
	return []column{
		{"id", &c.ID}, {"name", &c.Name}, {"description", &c.Description},
		{"archived_at", &c.ArchivedAt}, {"version", &c.Version}, {"created_at", &c.CreatedAt}, {"updated_at", &c.UpdatedAt},
	}
}

func categoryValues(f *catalogue.CategoryFields) []value {
	return []value{{"name", f.Name}, {"description", f.Description}}
}

func (s *CatalogueStore) CreateCategory(ctx context.Context, actor audit.Actor, in catalogue.CategoryFields) (catalogue.Category, error) {
	return s.categories.create(ctx, s.pool, actor, nil, categoryValues(&in))
}

func (s *CatalogueStore) GetCategory(ctx context.Context, id int64) (catalogue.Category, error) {
	return s.categories.get(ctx, s.pool, id, "")
}

func (s *CatalogueStore) UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*catalogue.Category) error) (catalogue.Category, error) {
	return s.categories.update(ctx, s.pool, actor, id, expectedVersion,
		func(_ context.Context, _ pgx.Tx, c *catalogue.Category) error { return change(c) },
		func(c *catalogue.Category) []value { return categoryValues(&c.CategoryFields) })
}

func (s *CatalogueStore) SetCategoryArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (catalogue.Category, error) {
	return s.categories.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *CatalogueStore) DeleteCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.categories.delete(ctx, s.pool, actor, id, expectedVersion, nil)
}

func (s *CatalogueStore) ListCategories(ctx context.Context, l catalogue.List) (page.Page[catalogue.Category], error) {
	var q listQuery
	q.archived(l.Archived)
	if l.Q != "" {
		q.search("lower(name)", l.Q)
	}
	return list(ctx, s, s.categories, q, textKey("lower(name)", true, l.Sort.Desc), l)
}

// Suppliers.

func supplierColumns(s *catalogue.Supplier) []column {
	a := &s.Address
	return []column{
		{"id", &s.ID}, {"name", &s.Name}, {"contact_person", &s.ContactPerson}, {"email", &s.Email}, {"phone", &s.Phone},
		{"street", &a.Street}, {"house_number", &a.HouseNumber}, {"postal_code", &a.PostalCode}, {"town", &a.Town}, {"country", &a.Country},
		{"payment_terms_days", &s.PaymentTermsDays}, {"notes", &s.Notes},
		{"archived_at", &s.ArchivedAt}, {"version", &s.Version}, {"created_at", &s.CreatedAt}, {"updated_at", &s.UpdatedAt},
	}
}

func supplierValues(f *catalogue.SupplierFields) []value {
	a := f.Address
	return []value{
		{"name", f.Name}, {"contact_person", f.ContactPerson}, {"email", f.Email}, {"phone", f.Phone},
		{"street", a.Street}, {"house_number", a.HouseNumber}, {"postal_code", a.PostalCode}, {"town", a.Town}, {"country", a.Country},
		{"payment_terms_days", f.PaymentTermsDays}, {"notes", f.Notes},
	}
}

// supplierSearch is the expression of the suppliers_search_trgm index.
const supplierSearch = `lower(name || ' ' || contact_person || ' ' || email || ' ' || town)`

func (s *CatalogueStore) CreateSupplier(ctx context.Context, actor audit.Actor, in catalogue.SupplierFields) (catalogue.Supplier, error) {
	return s.suppliers.create(ctx, s.pool, actor, nil, supplierValues(&in))
}

func (s *CatalogueStore) GetSupplier(ctx context.Context, id int64) (catalogue.Supplier, error) {
	return s.suppliers.get(ctx, s.pool, id, "")
}

func (s *CatalogueStore) UpdateSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*catalogue.Supplier) error) (catalogue.Supplier, error) {
	return s.suppliers.update(ctx, s.pool, actor, id, expectedVersion,
		func(_ context.Context, _ pgx.Tx, v *catalogue.Supplier) error { return change(v) },
		func(v *catalogue.Supplier) []value { return supplierValues(&v.SupplierFields) })
}

func (s *CatalogueStore) SetSupplierArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (catalogue.Supplier, error) {
	return s.suppliers.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *CatalogueStore) DeleteSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.suppliers.delete(ctx, s.pool, actor, id, expectedVersion, nil)
}

func (s *CatalogueStore) ListSuppliers(ctx context.Context, l catalogue.List) (page.Page[catalogue.Supplier], error) {
	var q listQuery
	q.archived(l.Archived)
	if l.Q != "" {
		q.search(supplierSearch, l.Q)
	}
	return list(ctx, s, s.suppliers, q, textKey("lower(name)", false, l.Sort.Desc), l)
}

// Customers.

// deliveryAddress reads the optional delivery address as one JSON value:
// NULL when there is none, so it scans into a nil *Address.
const deliveryAddress = `CASE WHEN delivery_town IS NOT NULL THEN jsonb_build_object(
	'street', delivery_street, 'house_number', delivery_house_number, 'postal_code', delivery_postal_code,
	'town', delivery_town, 'country', delivery_country) END`

func customerColumns(c *catalogue.Customer) []column {
	b := &c.BillingAddress
	return []column{
		{"id", &c.ID}, {"number", &c.Number}, {"name", &c.Name}, {"contact_person", &c.ContactPerson}, {"email", &c.Email}, {"phone", &c.Phone},
		{"billing_street", &b.Street}, {"billing_house_number", &b.HouseNumber}, {"billing_postal_code", &b.PostalCode},
		{"billing_town", &b.Town}, {"billing_country", &b.Country},
		{deliveryAddress, &c.DeliveryAddress},
		{"payment_terms_days", &c.PaymentTermsDays}, {"credit_limit", &c.CreditLimit}, {"currency", &c.Currency},
		{"archived_at", &c.ArchivedAt}, {"version", &c.Version}, {"created_at", &c.CreatedAt}, {"updated_at", &c.UpdatedAt},
	}
}

func customerValues(f *catalogue.CustomerFields) []value {
	b := f.BillingAddress
	vals := []value{
		{"name", f.Name}, {"contact_person", f.ContactPerson}, {"email", f.Email}, {"phone", f.Phone},
		{"billing_street", b.Street}, {"billing_house_number", b.HouseNumber}, {"billing_postal_code", b.PostalCode},
		{"billing_town", b.Town}, {"billing_country", b.Country},
		{"payment_terms_days", f.PaymentTermsDays}, {"credit_limit", f.CreditLimit}, {"currency", f.Currency},
	}
	var d [5]*string
	if a := f.DeliveryAddress; a != nil {
		d = [5]*string{&a.Street, &a.HouseNumber, &a.PostalCode, &a.Town, &a.Country}
	}
	return append(vals,
		value{"delivery_street", d[0]}, value{"delivery_house_number", d[1]}, value{"delivery_postal_code", d[2]},
		value{"delivery_town", d[3]}, value{"delivery_country", d[4]})
}

// customerSearch is the expression of the customers_search_trgm index.
const customerSearch = `lower(name || ' ' || contact_person || ' ' || email || ' ' || billing_town)`

func (s *CatalogueStore) CreateCustomer(ctx context.Context, actor audit.Actor, in catalogue.CustomerFields) (catalogue.Customer, error) {
	return s.customers.create(ctx, s.pool, actor, nil, customerValues(&in))
}

func (s *CatalogueStore) GetCustomer(ctx context.Context, id int64) (catalogue.Customer, error) {
	return s.customers.get(ctx, s.pool, id, "")
}

func (s *CatalogueStore) UpdateCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*catalogue.Customer) error) (catalogue.Customer, error) {
	return s.customers.update(ctx, s.pool, actor, id, expectedVersion,
		func(_ context.Context, _ pgx.Tx, c *catalogue.Customer) error { return change(c) },
		func(c *catalogue.Customer) []value { return customerValues(&c.CustomerFields) })
}

func (s *CatalogueStore) SetCustomerArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (catalogue.Customer, error) {
	return s.customers.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *CatalogueStore) DeleteCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.customers.delete(ctx, s.pool, actor, id, expectedVersion, nil)
}

func (s *CatalogueStore) ListCustomers(ctx context.Context, l catalogue.List) (page.Page[catalogue.Customer], error) {
	q := customerQuery(l)
	key := textKey("lower(name)", false, l.Sort.Desc)
	if l.Sort.Field == catalogue.SortNumber {
		key = intKey("number", true, l.Sort.Desc)
	}
	return list(ctx, s, s.customers, q, key, l)
}

// customerQuery filters customers by the list's archive state and search;
// a customer number finds its customer exactly.
func customerQuery(l catalogue.List) listQuery {
	var q listQuery
	q.archived(l.Archived)
	if l.Q != "" {
		var number []func(string) string
		if n, err := strconv.ParseInt(l.Q, 10, 64); err == nil && n > 0 {
			number = append(number, func(string) string { return "number = " + q.arg(n) })
		}
		q.search(customerSearch, l.Q, number...)
	}
	return q
}

// Locations.

// locationTreeLock is the advisory lock that serialises changes to the
// location tree, so two moves checked at once cannot close a cycle
// ("location" in ASCII).
const locationTreeLock int64 = 0x6c6f636174696f6e

func locationColumns(l *catalogue.Location) []column {
	return []column{
		{"id", &l.ID}, {"parent_id", &l.ParentID}, {"code", &l.Code}, {"name", &l.Name}, {"kind", &l.Kind},
		{"archived_at", &l.ArchivedAt}, {"version", &l.Version}, {"created_at", &l.CreatedAt}, {"updated_at", &l.UpdatedAt},
	}
}

func locationValues(f *catalogue.LocationFields) []value {
	return []value{{"parent_id", f.ParentID}, {"code", f.Code}, {"name", f.Name}, {"kind", string(f.Kind)}}
}

func (s *CatalogueStore) CreateLocation(ctx context.Context, actor audit.Actor, in catalogue.LocationFields, check func(context.Context, catalogue.Refs) error) (catalogue.Location, error) {
	return s.locations.create(ctx, s.pool, actor, func(ctx context.Context, tx pgx.Tx) error {
		return check(ctx, refs{s, tx})
	}, locationValues(&in))
}

func (s *CatalogueStore) GetLocation(ctx context.Context, id int64) (catalogue.Location, error) {
	return s.locations.get(ctx, s.pool, id, "")
}

func (s *CatalogueStore) UpdateLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(context.Context, catalogue.Refs, *catalogue.Location) error) (catalogue.Location, error) {
	var out catalogue.Location
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Before any row lock: taken later, it could deadlock with a move
		// that holds the lock and waits for one of our rows.
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", locationTreeLock); err != nil {
			return err
		}
		var err error
		out, err = s.locations.updateIn(ctx, tx, actor, id, expectedVersion,
			func(ctx context.Context, tx pgx.Tx, l *catalogue.Location) error { return change(ctx, refs{s, tx}, l) },
			func(l *catalogue.Location) []value { return locationValues(&l.LocationFields) })
		return err
	})
	return out, mapError(err, s.locations.notFound())
}

func (s *CatalogueStore) SetLocationArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (catalogue.Location, error) {
	return s.locations.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *CatalogueStore) DeleteLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.locations.delete(ctx, s.pool, actor, id, expectedVersion, nil)
}

func (s *CatalogueStore) ListLocations(ctx context.Context, l catalogue.List, f catalogue.LocationFilter) (page.Page[catalogue.Location], error) {
	var q listQuery
	q.archived(l.Archived)
	if f.Parent.Set {
		if f.Parent.Value == nil {
			q.filter("parent_id IS NULL")
		} else {
			q.filter("parent_id = " + q.arg(*f.Parent.Value))
		}
	}
	if l.Q != "" {
		q.search("lower(code || ' ' || name)", l.Q)
	}
	return list(ctx, s, s.locations, q, textKey("lower(code)", true, l.Sort.Desc), l)
}
