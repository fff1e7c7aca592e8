package apiclient

import "context"

// DeliveryNote opens an order's delivery note (a PDF the api renders in the
// person's language). The caller streams Body and closes it; ifNoneMatch is
// passed on for revalidation.
func (c *Client) DeliveryNote(ctx context.Context, auth RequestEditorFn, orderID int64, ifNoneMatch string) (Download, error) {
	const op = "GET /api/v1/orders/{id}/delivery-note"
	var params GetDeliveryNoteParams
	if ifNoneMatch != "" {
		params.IfNoneMatch = &ifNoneMatch
	}
	res, err := c.api.ClientInterface.GetDeliveryNote(ctx, orderID, &params, auth)
	return download(op, res, err)
}
