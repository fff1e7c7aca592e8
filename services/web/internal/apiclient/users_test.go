package apiclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// queryAPI answers every request with status and body and records the
// request's method, path, query and headers.
type queryCall struct {
	Method, Path, IfMatch, IdempotencyKey string
	Query                                 url.Values
	Body                                  map[string]any
}

func queryAPI(t *testing.T, status int, header map[string]string, body string) (*Client, *[]queryCall) {
	t.Helper()
	var got []queryCall
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		call := queryCall{Method: r.Method, Path: r.URL.Path, IfMatch: r.Header.Get("If-Match"),
			IdempotencyKey: r.Header.Get("Idempotency-Key"), Query: r.URL.Query()}
		if b, _ := io.ReadAll(r.Body); len(b) > 0 {
			_ = json.Unmarshal(b, &call.Body)
		}
		got = append(got, call)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(api.Close)
	return newClient(t, api.URL, time.Second), &got
}

func TestUsersList(t *testing.T) {
	c, calls := queryAPI(t, 200, nil, `{"items":[`+userJSON+`],"next_cursor":"abc","total":1}`)
	off := false
	list, err := c.Users(context.Background(), BearerToken("t"), UserFilter{Query: "ann", Role: "clerk", Disabled: &off, Cursor: "c1", Limit: 25})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Items) != 1 || list.Items[0].Email != "anna@example.ch" || *list.NextCursor != "abc" || *list.Total != 1 {
		t.Errorf("list = %+v", list)
	}
	want := url.Values{"q": {"ann"}, "role": {"clerk"}, "disabled": {"false"}, "cursor": {"c1"}, "limit": {"25"}}
	if diff := cmp.Diff(want, (*calls)[0].Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}

	// No filter: no parameters at all.
	c, calls = queryAPI(t, 200, nil, `{"items":[]}`)
	if _, err := c.Users(context.Background(), BearerToken("t"), UserFilter{}); err != nil {
		t.Fatal(err)
	}
	if q := (*calls)[0].Query; len(q) != 0 {
		t.Errorf("query = %v, want none", q)
	}

	// A body without items breaks the contract.
	c, _ = queryAPI(t, 200, nil, `{}`)
	if _, err := c.Users(context.Background(), BearerToken("t"), UserFilter{}); KindOf(err) != KindInvalid {
		t.Errorf("err = %v, want invalid", err)
	}
	// 403 is a status error with the envelope.
	c, _ = queryAPI(t, 403, nil, `{"error":{"code":"forbidden","message":"no","request_id":"r"}}`)
	_, err = c.Users(context.Background(), BearerToken("t"), UserFilter{})
	if status, apiErr := Status(err); status != 403 || apiErr == nil || apiErr.Code != ErrorErrorCodeForbidden {
		t.Errorf("err = %v", err)
	}
}

func TestUserWrites(t *testing.T) {
	c, calls := queryAPI(t, 201, map[string]string{"ETag": `"1"`}, userJSON)
	u, err := c.CreateUser(context.Background(), BearerToken("t"), "key-1", UserCreate{Email: "a@b.ch", Name: "A", Role: "viewer", Password: "pw"})
	if err != nil || u.ID != 7 {
		t.Fatalf("create = %+v, %v", u, err)
	}
	want := queryCall{Method: "POST", Path: "/api/v1/users", IdempotencyKey: "key-1", Query: url.Values{},
		Body: map[string]any{"email": "a@b.ch", "name": "A", "role": "viewer", "password": "pw"}}
	if diff := cmp.Diff(want, (*calls)[0]); diff != "" {
		t.Errorf("create request (-want +got):\n%s", diff)
	}

	c, calls = queryAPI(t, 200, map[string]string{"ETag": `"4"`}, userJSON)
	role, disabled := Role("manager"), true
	_, etag, err := c.UpdateUser(context.Background(), BearerToken("t"), 7, `"3"`, UserUpdate{Role: &role, Disabled: &disabled})
	if err != nil || etag != `"4"` {
		t.Fatalf("update = %q, %v", etag, err)
	}
	want = queryCall{Method: "PATCH", Path: "/api/v1/users/7", IfMatch: `"3"`, Query: url.Values{},
		Body: map[string]any{"role": "manager", "disabled": true}}
	if diff := cmp.Diff(want, (*calls)[0]); diff != "" {
		t.Errorf("update request (-want +got):\n%s", diff)
	}

	c, _ = queryAPI(t, 200, map[string]string{"ETag": `"9"`}, userJSON)
	if u, etag, err := c.User(context.Background(), BearerToken("t"), 7); err != nil || u.Name != "Anna" || etag != `"9"` {
		t.Errorf("user = %+v %q %v", u, etag, err)
	}
	c, _ = queryAPI(t, 412, nil, `{"error":{"code":"precondition_failed","message":"changed","request_id":"r"}}`)
	if _, _, err := c.UpdateUser(context.Background(), BearerToken("t"), 7, `"1"`, UserUpdate{}); !isStatusErr(err, 412) {
		t.Errorf("stale update err = %v", err)
	}
}

func isStatusErr(err error, status int) bool {
	s, _ := Status(err)
	return s == status
}

func TestAuditList(t *testing.T) {
	c, calls := queryAPI(t, 200, nil, `{"items":[{"id":5,"at":"2026-01-02T03:04:05Z","request_id":"r1","entity":"item","entity_id":"12",
		"action":"update","user_id":3,"changes":{"name":{"from":"Cola","to":"Cola Zero"}}}],"next_cursor":"n"}`)
	zurich := time.FixedZone("CET", 3600)
	list, err := c.Audit(context.Background(), BearerToken("t"), AuditFilter{Entity: "item", EntityID: "12", Action: "update", UserID: 3, RequestID: "req-9",
		From: time.Date(2026, 1, 1, 0, 0, 0, 0, zurich), To: time.Date(2026, 1, 3, 0, 0, 0, 0, zurich), Cursor: "c", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	e := list.Items[0]
	if e.ID != 5 || *e.UserID != 3 || e.Changes["name"].From != "Cola" || e.Changes["name"].To != "Cola Zero" {
		t.Errorf("entry = %+v", e)
	}
	want := url.Values{"entity": {"item"}, "entity_id": {"12"}, "action": {"update"}, "user_id": {"3"}, "request_id": {"req-9"},
		"from": {"2025-12-31T23:00:00Z"}, "to": {"2026-01-02T23:00:00Z"}, "cursor": {"c"}, "limit": {"50"}}
	if diff := cmp.Diff(want, (*calls)[0].Query); diff != "" {
		t.Errorf("query (-want +got):\n%s", diff)
	}
}
