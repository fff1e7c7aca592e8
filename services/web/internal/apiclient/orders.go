package apiclient

import (
	"context"
	"net/http"
)

// Orders and deliveries as the order pages use them. Every answer that
// carries an order also carries its ETag, which the next action sends as
// If-Match, so an action on an order changed meanwhile is refused (412)
// instead of acting on what the person did not see.

// Orders lists a page of orders, newest first.
func (c *Client) Orders(ctx context.Context, auth RequestEditorFn, p ListOrdersParams) (OrderList, error) {
	res, err := c.api.ListOrdersWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/orders", http.StatusOK, res, err, func() *OrderList { return res.JSON200 })
	if err == nil && l.Items == nil {
		return OrderList{}, invalid("GET /api/v1/orders", http.StatusOK, "answer is not an order list")
	}
	return l, err
}

// Order returns one order with its lines and empties, and its ETag.
func (c *Client) Order(ctx context.Context, auth RequestEditorFn, id int64) (Order, string, error) {
	res, err := c.api.GetOrderWithResponse(ctx, id, auth)
	return one("GET /api/v1/orders/{id}", http.StatusOK, res, err, func() *Order { return res.JSON200 })
}

// CreateOrder creates a DRAFT; idempotencyKey makes a double submit create
// one.
func (c *Client) CreateOrder(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in OrderInput) (Order, error) {
	res, err := c.api.CreateOrderWithResponse(ctx, &CreateOrderParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	o, _, err := one("POST /api/v1/orders", http.StatusCreated, res, err, func() *Order { return res.JSON201 })
	return o, err
}

// UpdateOrder replaces a DRAFT's customer, location, date, notes and
// lines (If-Match: ifMatch).
func (c *Client) UpdateOrder(ctx context.Context, auth RequestEditorFn, id int64, ifMatch string, in OrderInput) (Order, error) {
	res, err := c.api.UpdateOrderWithResponse(ctx, id, &UpdateOrderParams{IfMatch: optional(ifMatch)}, in, auth)
	o, _, err := one("PUT /api/v1/orders/{id}", http.StatusOK, res, err, func() *Order { return res.JSON200 })
	return o, err
}

// ConfirmOrder confirms a DRAFT, reserving its goods.
func (c *Client) ConfirmOrder(ctx context.Context, auth RequestEditorFn, id int64, ifMatch, idempotencyKey string) (Order, error) {
	res, err := c.api.ConfirmOrderWithResponse(ctx, id, &ConfirmOrderParams{IfMatch: optional(ifMatch), IdempotencyKey: optional(idempotencyKey)}, auth)
	o, _, err := one("POST /api/v1/orders/{id}/confirm", http.StatusOK, res, err, func() *Order { return res.JSON200 })
	return o, err
}

// CancelOrder cancels a DRAFT or CONFIRMED order.
func (c *Client) CancelOrder(ctx context.Context, auth RequestEditorFn, id int64, ifMatch, idempotencyKey string) (Order, error) {
	res, err := c.api.CancelOrderWithResponse(ctx, id, &CancelOrderParams{IfMatch: optional(ifMatch), IdempotencyKey: optional(idempotencyKey)}, auth)
	o, _, err := one("POST /api/v1/orders/{id}/cancel", http.StatusOK, res, err, func() *Order { return res.JSON200 })
	return o, err
}

// DeliverOrder delivers a CONFIRMED order: what was delivered per line and
// the empties handed back, all or nothing.
func (c *Client) DeliverOrder(ctx context.Context, auth RequestEditorFn, id int64, ifMatch, idempotencyKey string, in DeliveryInput) (Order, error) {
	res, err := c.api.DeliverOrderWithResponse(ctx, id, &DeliverOrderParams{IfMatch: optional(ifMatch), IdempotencyKey: optional(idempotencyKey)}, in, auth)
	o, _, err := one("POST /api/v1/orders/{id}/deliver", http.StatusOK, res, err, func() *Order { return res.JSON200 })
	return o, err
}
