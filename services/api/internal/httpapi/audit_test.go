package httpapi_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
)

func TestAuditTrail(t *testing.T) {
	en := newEnv(t)
	admin := en.tokens[auth.RoleAdmin]
	viewer := en.users[auth.RoleViewer]
	path := fmt.Sprintf("/api/v1/users/%d", viewer.ID)
	r := en.do(req{method: "PATCH", path: path, token: admin, body: map[string]string{"name": "Vera Viewer"},
		header: map[string]string{"X-Request-ID": "audit-trail-1"}})
	if r.Status != 200 {
		t.Fatalf("update: %d %s", r.Status, r.Body)
	}

	list := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/audit?entity=user&entity_id=%d&action=update", viewer.ID), token: en.tokens[auth.RoleManager]})
	var got struct {
		Items []struct {
			UserID    int64  `json:"user_id"`
			UserName  string `json:"user_name"`
			RequestID string `json:"request_id"`
			Changes   map[string]struct {
				From any `json:"from"`
				To   any `json:"to"`
			} `json:"changes"`
		} `json:"items"`
	}
	list.decode(t, &got)
	if len(got.Items) != 1 {
		t.Fatalf("entries: %s", list.Body)
	}
	e := got.Items[0]
	// The manager, who may not list people, reads the name with the entry.
	if e.UserID != en.users[auth.RoleAdmin].ID || e.UserName != en.users[auth.RoleAdmin].Name || e.RequestID != "audit-trail-1" ||
		e.Changes["name"].From != "Test viewer" || e.Changes["name"].To != "Vera Viewer" || len(e.Changes) != 1 {
		t.Errorf("entry %+v", e)
	}

	// Paging walks the whole trail newest first without repeats.
	seen := map[string]bool{}
	cursor := ""
	for pages := 0; ; pages++ {
		url := "/api/v1/audit?limit=2"
		if cursor != "" {
			url += "&cursor=" + cursor
		}
		r := en.do(req{method: "GET", path: url, token: admin})
		var pg struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			NextCursor string `json:"next_cursor"`
		}
		r.decode(t, &pg)
		for _, it := range pg.Items {
			key := fmt.Sprint(it.ID)
			if seen[key] {
				t.Fatalf("entry %s seen twice", key)
			}
			seen[key] = true
		}
		if pg.NextCursor == "" {
			break
		}
		cursor = pg.NextCursor
	}
	var total int
	if err := en.pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_log`).Scan(&total); err != nil || total != len(seen) {
		t.Errorf("walked %d of %d entries (%v)", len(seen), total, err)
	}

	// The trail is append-only.
	for _, sql := range []string{`UPDATE audit_log SET action = 'forged'`, `DELETE FROM audit_log`} {
		if _, err := en.pool.Exec(context.Background(), sql); err == nil {
			t.Errorf("%s succeeded", sql)
		}
	}
	if r := en.do(req{method: "GET", path: "/api/v1/audit", token: en.tokens[auth.RoleClerk]}); r.Status != 403 {
		t.Errorf("clerk read the audit trail: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", token: admin}); r.Status != 422 {
		t.Errorf("inverted range: %d", r.Status)
	}
}
