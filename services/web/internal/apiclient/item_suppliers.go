package apiclient

import (
	"context"
	"net/http"
)

// PutItemSupplier records how a supplier supplies an item, or changes it:
// in carries supplier_sku, price and lead_time_days (null clears a price or
// a lead time). PUT is idempotent, so a repeated submit records one link.
func (c *Client) PutItemSupplier(ctx context.Context, auth RequestEditorFn, itemID, supplierID int64, in ItemSupplierInput) (ItemSupplier, error) {
	const op = "PUT /api/v1/items/{id}/suppliers/{supplier_id}"
	res, err := c.api.PutItemSupplierWithResponse(ctx, itemID, supplierID, &PutItemSupplierParams{}, in, auth)
	v, _, err := one(op, http.StatusOK, res, err, func() *ItemSupplier { return res.JSON200 })
	return v, err
}

// DeleteItemSupplier removes a supplier from an item.
func (c *Client) DeleteItemSupplier(ctx context.Context, auth RequestEditorFn, itemID, supplierID int64) error {
	res, err := c.api.DeleteItemSupplierWithResponse(ctx, itemID, supplierID, &DeleteItemSupplierParams{}, auth)
	return none("DELETE /api/v1/items/{id}/suppliers/{supplier_id}", res, err)
}
