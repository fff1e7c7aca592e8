package apiclient

import (
	"context"
	"net/http"
	"strconv"
)

// Items: the list, one item with its stock, movements, suppliers and audit
// trail, and creating and changing items (see catalogue.go on leaving fields alone and clearing them).

// Items lists a page of items, each with its stock totals.
func (c *Client) Items(ctx context.Context, auth RequestEditorFn, p ListItemsParams) (ItemList, error) {
	res, err := c.api.ListItemsWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/items", http.StatusOK, res, err, func() *ItemList { return res.JSON200 })
	return l, err
}

// Item returns one item and its ETag.
func (c *Client) Item(ctx context.Context, auth RequestEditorFn, id int64) (Item, string, error) {
	res, err := c.api.GetItemWithResponse(ctx, id, auth)
	return one("GET /api/v1/items/{id}", http.StatusOK, res, err, func() *Item { return res.JSON200 })
}

// CreateItem creates an item; idempotencyKey makes a repeated submit
// create one.
func (c *Client) CreateItem(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in ItemInput) (Item, error) {
	const op = "POST /api/v1/items"
	res, err := c.api.CreateItemWithResponse(ctx, &CreateItemParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	v, _, err := one(op, http.StatusCreated, res, err, func() *Item { return res.JSON201 })
	return v, err
}

// UpdateItem changes the fields set in `in`; ifMatch is the ETag the change is
// based on (a stale one is status 412).
func (c *Client) UpdateItem(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in ItemUpdate) (Item, string, error) {
	const op = "PATCH /api/v1/items/{id}"
	res, err := c.api.UpdateItemWithResponse(ctx, id, &UpdateItemParams{IfMatch: optional(ifMatch)}, in, auth)
	return one(op, http.StatusOK, res, err, func() *Item { return res.JSON200 })
}

// ArchiveItem archives (archived) or restores an item.
func (c *Client) ArchiveItem(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, archived bool) error {
	if archived {
		res, err := c.api.ArchiveItemWithResponse(ctx, id, &ArchiveItemParams{IfMatch: optional(ifMatch)}, auth)
		_, _, err = one("POST /api/v1/items/{id}/archive", http.StatusOK, res, err, func() *Item { return res.JSON200 })
		return err
	}
	res, err := c.api.RestoreItemWithResponse(ctx, id, &RestoreItemParams{IfMatch: optional(ifMatch)}, auth)
	_, _, err = one("POST /api/v1/items/{id}/restore", http.StatusOK, res, err, func() *Item { return res.JSON200 })
	return err
}

// DeleteItem deletes an item nothing refers to (409 otherwise).
func (c *Client) DeleteItem(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string) error {
	res, err := c.api.DeleteItemWithResponse(ctx, id, &DeleteItemParams{IfMatch: optional(ifMatch)}, auth)
	return none("DELETE /api/v1/items/{id}", res, err)
}

// ItemStock returns an item's stock per location with its breakdown.
func (c *Client) ItemStock(ctx context.Context, auth RequestEditorFn, id int64) (ItemStock, error) {
	res, err := c.api.GetItemStockWithResponse(ctx, id, auth)
	v, _, err := one("GET /api/v1/items/{id}/stock", http.StatusOK, res, err, func() *ItemStock { return res.JSON200 })
	return v, err
}

// ItemMovements lists a page of an item's movements, newest first.
func (c *Client) ItemMovements(ctx context.Context, auth RequestEditorFn, id int64, p ListItemMovementsParams) (MovementList, error) {
	res, err := c.api.ListItemMovementsWithResponse(ctx, id, &p, auth)
	v, _, err := one("GET /api/v1/items/{id}/movements", http.StatusOK, res, err, func() *MovementList { return res.JSON200 })
	return v, err
}

// ItemSuppliers lists who supplies an item.
func (c *Client) ItemSuppliers(ctx context.Context, auth RequestEditorFn, id int64) ([]ItemSupplier, error) {
	res, err := c.api.ListItemSuppliersWithResponse(ctx, id, auth)
	v, _, err := one("GET /api/v1/items/{id}/suppliers", http.StatusOK, res, err, func() *ItemSupplierList { return res.JSON200 })
	return v.Items, err
}

// RecordAudit lists the newest audit entries of one record (entity "item",
// id 5), at most limit of them. Only admins and managers may read it.
func (c *Client) RecordAudit(ctx context.Context, auth RequestEditorFn, entity string, id int64, limit int) (AuditList, error) {
	entityID := strconv.FormatInt(id, 10)
	res, err := c.api.ListAuditWithResponse(ctx, &ListAuditParams{Entity: &entity, EntityID: &entityID, Limit: &limit}, auth)
	v, _, err := one("GET /api/v1/audit", http.StatusOK, res, err, func() *AuditList { return res.JSON200 })
	return v, err
}
