package apiclient

import (
	"context"
	"net/http"
)

// BookCount books a stock-take of several items at one location: every line
// whose count differs from the ledger an adjustment, all in one transaction
// or none. A refusal names each problem by its line ("lines[2].quantity").
// key makes a repeated form book once.
func (c *Client) BookCount(ctx context.Context, auth RequestEditorFn, key string, in CountInput) (Count, error) {
	const op = "POST /api/v1/movements/counts"
	params := CreateCountParams{}
	if key != "" {
		params.IdempotencyKey = &key
	}
	res, err := c.api.CreateCountWithResponse(ctx, &params, in, auth)
	if err != nil {
		return Count{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusCreated {
		return Count{}, statusError(op, res)
	}
	if res.JSON201 == nil || len(res.JSON201.Differences) > len(in.Lines) {
		return Count{}, invalid(op, http.StatusCreated, "answer is not a count's differences")
	}
	return *res.JSON201, nil
}
