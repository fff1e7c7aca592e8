// Package catalogue holds the rules about what the depot sells and where it
// keeps it: categories, suppliers, customers, storage locations, items and
// the suppliers of each item.
//
// The Service validates input and applies the rules that span records (no new
// reference to an archived record, no cycle in the location tree). A Store
// keeps the records: it runs each write in one transaction, appends the audit
// record in that transaction and checks the version the caller expects. Rules
// that need to read other records run as callbacks inside the store's
// transaction, through Refs, so a check and the write it guards cannot be
// separated by someone else's change. The package knows neither HTTP nor SQL.
package catalogue

import (
	"context"
	"encoding/json"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// Service is the catalogue's entry point for the api's handlers.
type Service struct {
	store Store
}

// NewService returns a service keeping its records in store.
func NewService(store Store) *Service { return &Service{store: store} }

// Store keeps catalogue records. Every write runs in one transaction that
// also appends the audit record. Writes to an existing record take the
// version the caller last saw: when it is not 0 and differs from the stored
// one, they fail with apperr.CodePrecondition. An update whose change leaves
// every field as it was writes nothing and returns the record unchanged.
// Deleting a record that others refer to fails with apperr.CodeConflict.
type Store interface {
	CSVStore
	CreateCategory(ctx context.Context, actor audit.Actor, in CategoryFields) (Category, error)
	GetCategory(ctx context.Context, id int64) (Category, error)
	UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*Category) error) (Category, error)
	SetCategoryArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Category, error)
	DeleteCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	ListCategories(ctx context.Context, l List) (page.Page[Category], error)

	CreateSupplier(ctx context.Context, actor audit.Actor, in SupplierFields) (Supplier, error)
	GetSupplier(ctx context.Context, id int64) (Supplier, error)
	UpdateSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*Supplier) error) (Supplier, error)
	SetSupplierArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Supplier, error)
	DeleteSupplier(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	ListSuppliers(ctx context.Context, l List) (page.Page[Supplier], error)

	// CreateCustomer assigns the next customer number.
	CreateCustomer(ctx context.Context, actor audit.Actor, in CustomerFields) (Customer, error)
	GetCustomer(ctx context.Context, id int64) (Customer, error)
	UpdateCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*Customer) error) (Customer, error)
	SetCustomerArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Customer, error)
	DeleteCustomer(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	ListCustomers(ctx context.Context, l List) (page.Page[Customer], error)

	// CreateLocation calls check inside the transaction before inserting.
	CreateLocation(ctx context.Context, actor audit.Actor, in LocationFields, check func(context.Context, Refs) error) (Location, error)
	GetLocation(ctx context.Context, id int64) (Location, error)
	// UpdateLocation serialises every change of the tree, so two moves
	// checked at the same time cannot together close a cycle.
	UpdateLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(context.Context, Refs, *Location) error) (Location, error)
	SetLocationArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Location, error)
	DeleteLocation(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	ListLocations(ctx context.Context, l List, f LocationFilter) (page.Page[Location], error)

	// CreateItem calls check inside the transaction before inserting.
	CreateItem(ctx context.Context, actor audit.Actor, in ItemFields, check func(context.Context, Refs) error) (Item, error)
	GetItem(ctx context.Context, id int64) (Item, error)
	UpdateItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(context.Context, Refs, *Item) error) (Item, error)
	SetItemArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (Item, error)
	// DeleteItem also removes the item's supplier links, auditing each.
	DeleteItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error
	ListItems(ctx context.Context, l List, f ItemFilter) (page.Page[Item], error)

	// ListItemSuppliers returns the item's suppliers by supplier name.
	ListItemSuppliers(ctx context.Context, itemID int64) ([]ItemSupplier, error)
	// CreateItemSupplier fails with apperr.CodeNotFound when the item does
	// not exist and apperr.CodeConflict when the link already does.
	CreateItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, in ItemSupplierFields, check func(context.Context, Refs) error) (ItemSupplier, error)
	GetItemSupplier(ctx context.Context, itemID, supplierID int64) (ItemSupplier, error)
	UpdateItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int, change func(*ItemSupplier) error) (ItemSupplier, error)
	DeleteItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int) error
}

// Refs reads, inside a store's transaction, the records a write is about to
// refer to. Each record read is locked against archiving and deletion until
// the transaction ends. A missing record is an apperr.CodeNotFound error.
type Refs interface {
	Category(ctx context.Context, id int64) (Category, error)
	Supplier(ctx context.Context, id int64) (Supplier, error)
	Location(ctx context.Context, id int64) (Location, error)
	// LocationHasChildren reports whether any location has id as its parent.
	LocationHasChildren(ctx context.Context, id int64) (bool, error)
	// LocationAncestors returns the ids from id's parent up to the root.
	LocationAncestors(ctx context.Context, id int64) ([]int64, error)
}

// Optional is a patch field that can be left alone, set to a value or set to
// null: Set false leaves the stored value; Set with a nil Value clears it.
type Optional[T any] struct {
	Set   bool
	Value *T
}

// SetTo returns an Optional that sets v.
func SetTo[T any](v T) Optional[T] { return Optional[T]{Set: true, Value: &v} }

// SetNull returns an Optional that clears the field.
func SetNull[T any]() Optional[T] { return Optional[T]{Set: true} }

// UnmarshalJSON makes a present field Set, with a nil Value for null; an
// absent field never reaches here and stays unset.
func (o *Optional[T]) UnmarshalJSON(b []byte) error {
	o.Set, o.Value = true, nil
	if string(b) == "null" {
		return nil
	}
	var v T
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	o.Value = &v
	return nil
}

// apply stores the optional's value in *dst when it is set. The value is
// copied so the record never shares memory with the patch.
func (o Optional[T]) apply(dst **T) {
	if !o.Set {
		return
	}
	if o.Value == nil {
		*dst = nil
		return
	}
	v := *o.Value
	*dst = &v
}

// set stores *v in *dst when v is not nil.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}
