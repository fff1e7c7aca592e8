package apiclient

import (
	"context"
	"net/http"
	"time"
)

// AuditFilter is the query of the audit trail; zero fields do not filter.
type AuditFilter struct {
	Entity    string
	EntityID  string
	Action    string
	RequestID string
	UserID    int64
	From, To  time.Time // From inclusive, To exclusive
	Cursor    string
	Limit     int
}

// Audit lists audit entries, newest first (admin, manager).
func (c *Client) Audit(ctx context.Context, auth RequestEditorFn, f AuditFilter) (AuditList, error) {
	const op = "GET /api/v1/audit"
	var params ListAuditParams
	str := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	params.Entity, params.EntityID, params.Action, params.Cursor = str(f.Entity), str(f.EntityID), str(f.Action), str(f.Cursor)
	params.RequestID = str(f.RequestID)
	if f.UserID > 0 {
		params.UserID = &f.UserID
	}
	if !f.From.IsZero() {
		from := f.From.UTC()
		params.From = &from
	}
	if !f.To.IsZero() {
		to := f.To.UTC()
		params.To = &to
	}
	if f.Limit > 0 {
		params.Limit = &f.Limit
	}
	res, err := c.api.ListAuditWithResponse(ctx, &params, auth)
	if err != nil {
		return AuditList{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return AuditList{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Items == nil {
		return AuditList{}, invalid(op, http.StatusOK, "answer is not a list of audit entries")
	}
	return *res.JSON200, nil
}
