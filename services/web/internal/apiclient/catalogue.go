package apiclient

import (
	"context"
	"net/http"
)

// The catalogue's master data: categories, suppliers, customers and
// locations (items are in items.go). Creates and changes take the
// generated request types (CategoryInput, CategoryUpdate...), so a field
// the api renames or drops fails to compile here and in the handlers. A
// change (PATCH) tells "leave alone" from "clear": a pointer field that is
// nil, or a nullable.Nullable that is not specified, is left out of the
// JSON; nullable.NewNullNullable sends null, which clears the field.

// one checks a generated answer that carries a record: the expected status
// and the body it promises. It returns the record and its ETag.
func one[T any](op string, want int, res answer, err error, body func() *T) (T, string, error) {
	var zero T
	if err != nil {
		return zero, "", callError(op, err)
	}
	if res.StatusCode() != want {
		return zero, "", statusError(op, res)
	}
	b := body()
	if b == nil {
		return zero, "", invalid(op, want, "answer is not the promised document")
	}
	etag := ""
	if h := headerOf(res); h != nil {
		etag = h.Get("ETag")
	}
	return *b, etag, nil
}

// none checks a generated answer without a body (204).
func none(op string, res answer, err error) error {
	if err != nil {
		return callError(op, err)
	}
	if res.StatusCode() != http.StatusNoContent {
		return statusError(op, res)
	}
	return nil
}

// optional is nil for "", so an empty If-Match or Idempotency-Key is not sent.
func optional(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// Categories lists a page of categories.
func (c *Client) Categories(ctx context.Context, auth RequestEditorFn, p ListCategoriesParams) (CategoryList, error) {
	res, err := c.api.ListCategoriesWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/categories", http.StatusOK, res, err, func() *CategoryList { return res.JSON200 })
	return l, err
}

// Category returns one category and its ETag.
func (c *Client) Category(ctx context.Context, auth RequestEditorFn, id int64) (Category, string, error) {
	res, err := c.api.GetCategoryWithResponse(ctx, id, auth)
	return one("GET /api/v1/categories/{id}", http.StatusOK, res, err, func() *Category { return res.JSON200 })
}

// CreateCategory creates a category; idempotencyKey makes a repeated
// submit create one.
func (c *Client) CreateCategory(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in CategoryInput) (Category, error) {
	const op = "POST /api/v1/categories"
	res, err := c.api.CreateCategoryWithResponse(ctx, &CreateCategoryParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	v, _, err := one(op, http.StatusCreated, res, err, func() *Category { return res.JSON201 })
	return v, err
}

// UpdateCategory changes the fields set in `in`; ifMatch is the ETag the change
// is based on (a stale one is status 412).
func (c *Client) UpdateCategory(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in CategoryUpdate) (Category, string, error) {
	const op = "PATCH /api/v1/categories/{id}"
	res, err := c.api.UpdateCategoryWithResponse(ctx, id, &UpdateCategoryParams{IfMatch: optional(ifMatch)}, in, auth)
	return one(op, http.StatusOK, res, err, func() *Category { return res.JSON200 })
}

// ArchiveCategory archives (archived) or restores a category.
func (c *Client) ArchiveCategory(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, archived bool) error {
	if archived {
		res, err := c.api.ArchiveCategoryWithResponse(ctx, id, &ArchiveCategoryParams{IfMatch: optional(ifMatch)}, auth)
		_, _, err = one("POST /api/v1/categories/{id}/archive", http.StatusOK, res, err, func() *Category { return res.JSON200 })
		return err
	}
	res, err := c.api.RestoreCategoryWithResponse(ctx, id, &RestoreCategoryParams{IfMatch: optional(ifMatch)}, auth)
	_, _, err = one("POST /api/v1/categories/{id}/restore", http.StatusOK, res, err, func() *Category { return res.JSON200 })
	return err
}

// DeleteCategory deletes a category nothing refers to (409 otherwise).
func (c *Client) DeleteCategory(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string) error {
	res, err := c.api.DeleteCategoryWithResponse(ctx, id, &DeleteCategoryParams{IfMatch: optional(ifMatch)}, auth)
	return none("DELETE /api/v1/categories/{id}", res, err)
}

// Suppliers lists a page of suppliers.
func (c *Client) Suppliers(ctx context.Context, auth RequestEditorFn, p ListSuppliersParams) (SupplierList, error) {
	res, err := c.api.ListSuppliersWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/suppliers", http.StatusOK, res, err, func() *SupplierList { return res.JSON200 })
	return l, err
}

// Supplier returns one supplier and its ETag.
func (c *Client) Supplier(ctx context.Context, auth RequestEditorFn, id int64) (Supplier, string, error) {
	res, err := c.api.GetSupplierWithResponse(ctx, id, auth)
	return one("GET /api/v1/suppliers/{id}", http.StatusOK, res, err, func() *Supplier { return res.JSON200 })
}

// CreateSupplier creates a supplier.
func (c *Client) CreateSupplier(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in SupplierInput) (Supplier, error) {
	const op = "POST /api/v1/suppliers"
	res, err := c.api.CreateSupplierWithResponse(ctx, &CreateSupplierParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	v, _, err := one(op, http.StatusCreated, res, err, func() *Supplier { return res.JSON201 })
	return v, err
}

// UpdateSupplier changes the fields set in `in` (If-Match: ifMatch).
func (c *Client) UpdateSupplier(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in SupplierUpdate) (Supplier, string, error) {
	const op = "PATCH /api/v1/suppliers/{id}"
	res, err := c.api.UpdateSupplierWithResponse(ctx, id, &UpdateSupplierParams{IfMatch: optional(ifMatch)}, in, auth)
	return one(op, http.StatusOK, res, err, func() *Supplier { return res.JSON200 })
}

// ArchiveSupplier archives (archived) or restores a supplier.
func (c *Client) ArchiveSupplier(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, archived bool) error {
	if archived {
		res, err := c.api.ArchiveSupplierWithResponse(ctx, id, &ArchiveSupplierParams{IfMatch: optional(ifMatch)}, auth)
		_, _, err = one("POST /api/v1/suppliers/{id}/archive", http.StatusOK, res, err, func() *Supplier { return res.JSON200 })
		return err
	}
	res, err := c.api.RestoreSupplierWithResponse(ctx, id, &RestoreSupplierParams{IfMatch: optional(ifMatch)}, auth)
	_, _, err = one("POST /api/v1/suppliers/{id}/restore", http.StatusOK, res, err, func() *Supplier { return res.JSON200 })
	return err
}

// DeleteSupplier deletes a supplier nothing refers to (409 otherwise).
func (c *Client) DeleteSupplier(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string) error {
	res, err := c.api.DeleteSupplierWithResponse(ctx, id, &DeleteSupplierParams{IfMatch: optional(ifMatch)}, auth)
	return none("DELETE /api/v1/suppliers/{id}", res, err)
}

// Customers lists a page of customers.
func (c *Client) Customers(ctx context.Context, auth RequestEditorFn, p ListCustomersParams) (CustomerList, error) {
	res, err := c.api.ListCustomersWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/customers", http.StatusOK, res, err, func() *CustomerList { return res.JSON200 })
	return l, err
}

// Customer returns one customer and its ETag.
func (c *Client) Customer(ctx context.Context, auth RequestEditorFn, id int64) (Customer, string, error) {
	res, err := c.api.GetCustomerWithResponse(ctx, id, auth)
	return one("GET /api/v1/customers/{id}", http.StatusOK, res, err, func() *Customer { return res.JSON200 })
}

// CreateCustomer creates a customer.
func (c *Client) CreateCustomer(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in CustomerInput) (Customer, error) {
	const op = "POST /api/v1/customers"
	res, err := c.api.CreateCustomerWithResponse(ctx, &CreateCustomerParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	v, _, err := one(op, http.StatusCreated, res, err, func() *Customer { return res.JSON201 })
	return v, err
}

// UpdateCustomer changes the fields set in `in` (If-Match: ifMatch).
func (c *Client) UpdateCustomer(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in CustomerUpdate) (Customer, string, error) {
	const op = "PATCH /api/v1/customers/{id}"
	res, err := c.api.UpdateCustomerWithResponse(ctx, id, &UpdateCustomerParams{IfMatch: optional(ifMatch)}, in, auth)
	return one(op, http.StatusOK, res, err, func() *Customer { return res.JSON200 })
}

// ArchiveCustomer archives (archived) or restores a customer.
func (c *Client) ArchiveCustomer(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, archived bool) error {
	if archived {
		res, err := c.api.ArchiveCustomerWithResponse(ctx, id, &ArchiveCustomerParams{IfMatch: optional(ifMatch)}, auth)
		_, _, err = one("POST /api/v1/customers/{id}/archive", http.StatusOK, res, err, func() *Customer { return res.JSON200 })
		return err
	}
	res, err := c.api.RestoreCustomerWithResponse(ctx, id, &RestoreCustomerParams{IfMatch: optional(ifMatch)}, auth)
	_, _, err = one("POST /api/v1/customers/{id}/restore", http.StatusOK, res, err, func() *Customer { return res.JSON200 })
	return err
}

// DeleteCustomer deletes a customer nothing refers to (409 otherwise).
func (c *Client) DeleteCustomer(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string) error {
	res, err := c.api.DeleteCustomerWithResponse(ctx, id, &DeleteCustomerParams{IfMatch: optional(ifMatch)}, auth)
	return none("DELETE /api/v1/customers/{id}", res, err)
}

// Locations lists a page of locations.
func (c *Client) Locations(ctx context.Context, auth RequestEditorFn, p ListLocationsParams) (LocationList, error) {
	res, err := c.api.ListLocationsWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/locations", http.StatusOK, res, err, func() *LocationList { return res.JSON200 })
	return l, err
}

// Location returns one location and its ETag.
func (c *Client) Location(ctx context.Context, auth RequestEditorFn, id int64) (Location, string, error) {
	res, err := c.api.GetLocationWithResponse(ctx, id, auth)
	return one("GET /api/v1/locations/{id}", http.StatusOK, res, err, func() *Location { return res.JSON200 })
}

// CreateLocation creates a location.
func (c *Client) CreateLocation(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in LocationInput) (Location, error) {
	const op = "POST /api/v1/locations"
	res, err := c.api.CreateLocationWithResponse(ctx, &CreateLocationParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	v, _, err := one(op, http.StatusCreated, res, err, func() *Location { return res.JSON201 })
	return v, err
}

// UpdateLocation changes the fields set in `in` (If-Match: ifMatch).
func (c *Client) UpdateLocation(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in LocationUpdate) (Location, string, error) {
	const op = "PATCH /api/v1/locations/{id}"
	res, err := c.api.UpdateLocationWithResponse(ctx, id, &UpdateLocationParams{IfMatch: optional(ifMatch)}, in, auth)
	return one(op, http.StatusOK, res, err, func() *Location { return res.JSON200 })
}

// ArchiveLocation archives (archived) or restores a location.
func (c *Client) ArchiveLocation(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, archived bool) error {
	if archived {
		res, err := c.api.ArchiveLocationWithResponse(ctx, id, &ArchiveLocationParams{IfMatch: optional(ifMatch)}, auth)
		_, _, err = one("POST /api/v1/locations/{id}/archive", http.StatusOK, res, err, func() *Location { return res.JSON200 })
		return err
	}
	res, err := c.api.RestoreLocationWithResponse(ctx, id, &RestoreLocationParams{IfMatch: optional(ifMatch)}, auth)
	_, _, err = one("POST /api/v1/locations/{id}/restore", http.StatusOK, res, err, func() *Location { return res.JSON200 })
	return err
}

// DeleteLocation deletes a location nothing refers to (409 otherwise).
func (c *Client) DeleteLocation(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string) error {
	res, err := c.api.DeleteLocationWithResponse(ctx, id, &DeleteLocationParams{IfMatch: optional(ifMatch)}, auth)
	return none("DELETE /api/v1/locations/{id}", res, err)
}
