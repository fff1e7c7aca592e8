package apiclient

import (
	"context"
	"net/http"
)

// The stock ledger as the movement, journal and stock pages use it: booking
// and reversing movements, the journal, the stock list, and the short lists
// their forms choose from (locations, partners, categories, items found by
// a code). The lookups are named Lookup… so they do not collide with the
// catalogue pages' own list methods.

// lookupLimit bounds the choices a form's select offers: a depot has a few
// dozen locations and some hundred partners; more than this is a search,
// not a select.
const lookupLimit = 500

// Movements returns a page of the journal, newest first.
func (c *Client) Movements(ctx context.Context, auth RequestEditorFn, params ListMovementsParams) (MovementList, error) {
	const op = "GET /api/v1/movements"
	res, err := c.api.ListMovementsWithResponse(ctx, &params, auth)
	if err != nil {
		return MovementList{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return MovementList{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return MovementList{}, invalid(op, http.StatusOK, "answer is not a movement list")
	}
	return *res.JSON200, nil
}

// Movement returns one movement.
func (c *Client) Movement(ctx context.Context, auth RequestEditorFn, id int64) (Movement, error) {
	const op = "GET /api/v1/movements/{id}"
	res, err := c.api.GetMovementWithResponse(ctx, id, auth)
	if err != nil {
		return Movement{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return Movement{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.ID == 0 {
		return Movement{}, invalid(op, http.StatusOK, "answer is not a movement")
	}
	return *res.JSON200, nil
}

// BookMovement books one movement. key is the form's idempotency key: the
// same key and body book once, however often the form is sent.
func (c *Client) BookMovement(ctx context.Context, auth RequestEditorFn, key string, in MovementInput) (Movement, error) {
	const op = "POST /api/v1/movements"
	params := CreateMovementParams{}
	if key != "" {
		params.IdempotencyKey = &key
	}
	res, err := c.api.CreateMovementWithResponse(ctx, &params, in, auth)
	if err != nil {
		return Movement{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return Movement{}, statusError(op, res)
	}
	if res.JSON201 == nil || res.JSON201.ID == 0 {
		return Movement{}, invalid(op, http.StatusCreated, "answer is not a movement")
	}
	return *res.JSON201, nil
}

// ReverseMovement books the reversal of movement id.
func (c *Client) ReverseMovement(ctx context.Context, auth RequestEditorFn, key string, id int64, in ReversalInput) (Movement, error) {
	const op = "POST /api/v1/movements/{id}/reverse"
	params := ReverseMovementParams{}
	if key != "" {
		params.IdempotencyKey = &key
	}
	res, err := c.api.ReverseMovementWithResponse(ctx, id, &params, in, auth)
	if err != nil {
		return Movement{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return Movement{}, statusError(op, res)
	}
	if res.JSON201 == nil || res.JSON201.ID == 0 {
		return Movement{}, invalid(op, http.StatusCreated, "answer is not a movement")
	}
	return *res.JSON201, nil
}

// Stock returns a page of the stock list.
func (c *Client) Stock(ctx context.Context, auth RequestEditorFn, params ListStockParams) (StockList, error) {
	const op = "GET /api/v1/stock"
	res, err := c.api.ListStockWithResponse(ctx, &params, auth)
	if err != nil {
		return StockList{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return StockList{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return StockList{}, invalid(op, http.StatusOK, "answer is not a stock list")
	}
	return *res.JSON200, nil
}

// LookupItems finds active items by a code or words; with a scanned EAN or
// a SKU the exact match comes first (the api's relevance order).
func (c *Client) LookupItems(ctx context.Context, auth RequestEditorFn, q string, limit int) ([]Item, error) {
	const op = "GET /api/v1/items"
	sort := ListItemsParamsSortRelevance
	params := ListItemsParams{Q: &q, Limit: &limit, Sort: &sort}
	res, err := c.api.ListItemsWithResponse(ctx, &params, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return nil, invalid(op, http.StatusOK, "answer is not an item list")
	}
	return res.JSON200.Items, nil
}

// LookupItem returns one item (its units and factors for a movement form).
func (c *Client) LookupItem(ctx context.Context, auth RequestEditorFn, id int64) (Item, error) {
	const op = "GET /api/v1/items/{id}"
	res, err := c.api.GetItemWithResponse(ctx, id, auth)
	if err != nil {
		return Item{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return Item{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.ID == 0 {
		return Item{}, invalid(op, http.StatusOK, "answer is not an item")
	}
	return *res.JSON200, nil
}

// LookupLocations returns the active locations by code.
func (c *Client) LookupLocations(ctx context.Context, auth RequestEditorFn) ([]Location, error) {
	const op = "GET /api/v1/locations"
	limit, sort := lookupLimit, ListLocationsParamsSortCode
	res, err := c.api.ListLocationsWithResponse(ctx, &ListLocationsParams{Limit: &limit, Sort: &sort}, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return nil, invalid(op, http.StatusOK, "answer is not a location list")
	}
	return res.JSON200.Items, nil
}

// LookupCategories returns the active categories by name.
func (c *Client) LookupCategories(ctx context.Context, auth RequestEditorFn) ([]Category, error) {
	const op = "GET /api/v1/categories"
	limit, sort := lookupLimit, ListCategoriesParamsSortName
	res, err := c.api.ListCategoriesWithResponse(ctx, &ListCategoriesParams{Limit: &limit, Sort: &sort}, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return nil, invalid(op, http.StatusOK, "answer is not a category list")
	}
	return res.JSON200.Items, nil
}

// LookupUsers returns the people (admins only may list them), for the
// journal's "booked by" filter and column.
func (c *Client) LookupUsers(ctx context.Context, auth RequestEditorFn) ([]User, error) {
	const op = "GET /api/v1/users"
	limit := lookupLimit
	res, err := c.api.ListUsersWithResponse(ctx, &ListUsersParams{Limit: &limit}, auth)
	if err != nil {
		return nil, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return nil, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return nil, invalid(op, http.StatusOK, "answer is not a user list")
	}
	return res.JSON200.Items, nil
}

// BookReceipt books a delivery: every line a receipt from one supplier,
// all in one transaction or none. A refusal names each problem by its
// line ("lines[2].quantity"). key makes a repeated form book once.
func (c *Client) BookReceipt(ctx context.Context, auth RequestEditorFn, key string, in ReceiptInput) (Receipt, error) {
	const op = "POST /api/v1/movements/receipts"
	params := CreateReceiptParams{}
	if key != "" {
		params.IdempotencyKey = &key
	}
	res, err := c.api.CreateReceiptWithResponse(ctx, &params, in, auth)
	if err != nil {
		return Receipt{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return Receipt{}, statusError(op, res)
	}
	if res.JSON201 == nil || len(res.JSON201.Movements) != len(in.Lines) {
		return Receipt{}, invalid(op, http.StatusCreated, "answer is not one movement per line")
	}
	return *res.JSON201, nil
}

// Dashboard returns the start page's figures, read together by the api.
func (c *Client) Dashboard(ctx context.Context, auth RequestEditorFn) (Dashboard, error) {
	const op = "GET /api/v1/dashboard"
	res, err := c.api.GetDashboardWithResponse(ctx, auth)
	if err != nil {
		return Dashboard{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return Dashboard{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Currency == "" {
		return Dashboard{}, invalid(op, http.StatusOK, "answer is not the dashboard")
	}
	return *res.JSON200, nil
}

// ExportJournal asks the api for the journal as CSV, filtered as the
// journal page is. On success the caller streams the answer's body to the
// browser and closes it. Like the catalogue's Export it bypasses the size
// bound and whole-call time limit of other calls: a journal of a million
// movements is far larger than any page.
func (c *Client) ExportJournal(ctx context.Context, auth RequestEditorFn, params ExportMovementsParams, d CSVDialect) (*http.Response, error) {
	params.Lang, params.Separator = d.lang(), separator[ExportMovementsParamsSeparator](d)
	return c.streamCSV(ctx, auth, "GET /api/v1/movements/export", func(server string) (*http.Request, error) {
		return NewExportMovementsRequest(server, &params)
	})
}
