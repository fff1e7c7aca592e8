package httpapi

import (
	"context"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/page"
)

// AuditReader reads the audit trail.
type AuditReader interface {
	List(ctx context.Context, f audit.Filter, p page.Request) (page.Page[audit.Entry], error)
}

func (s *server) ListAudit(ctx context.Context, req oapi.ListAuditRequestObject) (oapi.ListAuditResponseObject, error) {
	pr, err := page.NewRequest(req.Params.Limit, req.Params.Cursor, "id")
	if err != nil {
		return nil, err
	}
	q := req.Params
	f := audit.Filter{Entity: deref(q.Entity), EntityID: deref(q.EntityId), Action: deref(q.Action), RequestID: deref(q.RequestId)}
	if q.UserId != nil {
		f.UserID = *q.UserId
	}
	if q.From != nil {
		f.From = *q.From
	}
	if q.To != nil {
		f.To = *q.To
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return nil, apperr.FieldProblem("Check the time range.", "to", apperr.MustBeAfter("from"))
	}
	pg, err := s.audit.List(ctx, f, pr)
	if err != nil {
		return nil, err
	}
	out := oapi.ListAudit200JSONResponse{Items: make([]oapi.AuditEntry, 0, len(pg.Items))}
	for _, e := range pg.Items {
		item := oapi.AuditEntry{Id: e.ID, At: e.At.UTC(), RequestId: e.RequestID, Entity: e.Entity, EntityId: e.EntityID,
			Action: e.Action, Changes: make(map[string]oapi.AuditChange, len(e.Changes))}
		if e.UserID != 0 {
			item.UserId = &e.UserID
		}
		if e.TokenID != 0 {
			item.TokenId = &e.TokenID
		}
		if e.UserName != "" {
			item.UserName = &e.UserName
		}
		if e.TokenName != "" {
			item.TokenName = &e.TokenName
		}
		for k, c := range e.Changes {
			item.Changes[k] = oapi.AuditChange{From: c.From, To: c.To}
		}
		out.Items = append(out.Items, item)
	}
	if pg.NextCursor != "" {
		out.NextCursor = &pg.NextCursor
	}
	return out, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
