package postgres

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// AuditStore reads the audit trail (writes happen inside each store's transactions).
type AuditStore struct{ pool *pgxpool.Pool }

// NewAuditStore returns the audit reader on pool.
func NewAuditStore(pool *pgxpool.Pool) *AuditStore { return &AuditStore{pool: pool} }

// List returns entries newest first, paged by id. Each filter has an index:
// entity (+entity_id) audit_log_entity, user audit_log_user, time audit_log_at.
func (s *AuditStore) List(ctx context.Context, f audit.Filter, p page.Request) (page.Page[audit.Entry], error) {
	where := []string{"true"}
	var args []any
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if f.Entity != "" {
		where = append(where, "entity = "+arg(f.Entity))
	}
	if f.EntityID != "" {
		where = append(where, "entity_id = "+arg(f.EntityID))
	}
	if f.Action != "" {
		where = append(where, "action = "+arg(f.Action))
	}
	if f.UserID != 0 {
		where = append(where, "user_id = "+arg(f.UserID))
	}
	if f.RequestID != "" {
		where = append(where, "request_id = "+arg(f.RequestID))
	}
	if !f.From.IsZero() {
		where = append(where, "at >= "+arg(f.From))
	}
	if !f.To.IsZero() {
		where = append(where, "at < "+arg(f.To))
	}
	if len(p.After) == 1 {
		id, err := strconv.ParseInt(p.After[0], 10, 64)
		if err != nil {
			return page.Page[audit.Entry]{}, page.InvalidCursor()
		}
		where = append(where, "id < "+arg(id))
	}
	rows, err := s.pool.Query(ctx, `
		SELECT a.id, a.at, coalesce(a.user_id, 0), coalesce(a.token_id, 0), a.request_id, a.entity, a.entity_id, a.action, a.changes,
		       coalesce(u.name, ''), coalesce(t.name, '')
		FROM (SELECT * FROM audit_log WHERE `+strings.Join(where, " AND ")+` ORDER BY id DESC LIMIT `+arg(p.Limit+1)+`) a
		LEFT JOIN users u ON u.id = a.user_id
		LEFT JOIN api_tokens t ON t.id = a.token_id
		ORDER BY a.id DESC`, args...)
	if err != nil {
		return page.Page[audit.Entry]{}, err
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (audit.Entry, error) {
		var e audit.Entry
		var changes []byte
		if err := r.Scan(&e.ID, &e.At, &e.UserID, &e.TokenID, &e.RequestID, &e.Entity, &e.EntityID, &e.Action, &changes,
			&e.UserName, &e.TokenName); err != nil {
			return e, err
		}
		return e, json.Unmarshal(changes, &e.Changes)
	})
	if err != nil {
		return page.Page[audit.Entry]{}, err
	}
	out := page.Page[audit.Entry]{Items: entries, Total: -1}
	if len(entries) > p.Limit {
		out.Items = entries[:p.Limit]
		out.NextCursor = page.Cursor("id", strconv.FormatInt(out.Items[p.Limit-1].ID, 10))
	}
	return out, nil
}
