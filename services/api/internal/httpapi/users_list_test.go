package httpapi_test

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/auth"
)

type listedUser struct {
	ID    int64  `json:"id"`
	Email string `json:"email"`
	Name  string `json:"name"`
}

// walkUsers pages through GET /api/v1/users?query, limit at a time.
func (en *env) walkUsers(query string, limit int) []listedUser {
	en.t.Helper()
	var out []listedUser
	cursor := ""
	for pages := 0; ; pages++ {
		if pages > 50 {
			en.t.Fatal("the list of people does not end")
		}
		q, err := url.ParseQuery(query)
		if err != nil {
			en.t.Fatal(err)
		}
		q.Set("limit", strconv.Itoa(limit))
		if cursor != "" {
			q.Set("cursor", cursor)
		}
		r := en.do(req{method: "GET", path: "/api/v1/users?" + q.Encode(), token: en.tokens[auth.RoleAdmin]})
		if r.Status != 200 {
			en.t.Fatalf("users page %d: %d %s", pages, r.Status, r.Body)
		}
		var p struct {
			Items      []listedUser `json:"items"`
			NextCursor string       `json:"next_cursor"`
		}
		r.decode(en.t, &p)
		out = append(out, p.Items...)
		if p.NextCursor == "" {
			return out
		}
		cursor = p.NextCursor
	}
}

// The list of people shows the name first and is ordered by it,
// case-insensitively, then by email: paging two at a time through names
// that differ only in case loses and repeats none.
func TestUsersListedByName(t *testing.T) {
	en := newEnv(t)
	for _, p := range [][2]string{
		{"zora@depot.example", "anna Muster"}, {"bert@depot.example", "Anna Muster"},
		{"anna@depot.example", "Zora Keller"}, {"carl@depot.example", "beat Frei"},
	} {
		if _, err := en.svc.CreateUser(context.Background(), audit.System("test"), auth.CreateUserInput{
			Email: p[0], Name: p[1], Role: auth.RoleViewer, Password: testPassword}); err != nil {
			t.Fatal(err)
		}
	}
	got := en.walkUsers("", 2)
	if len(got) != 8 {
		t.Fatalf("%d people listed, want 8: %+v", len(got), got)
	}
	want := slices.Clone(got)
	slices.SortFunc(want, func(a, b listedUser) int {
		if c := strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)); c != 0 {
			return c
		}
		return strings.Compare(a.Email, b.Email)
	})
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-by name, email +listed):\n%s", diff)
	}
	// Spot checks that do not depend on the sort above: the two "Anna
	// Muster" by email, both before "beat Frei", "Zora Keller" after the
	// "Test ..." people although her email comes first.
	var names []string
	for _, u := range got {
		names = append(names, u.Email)
	}
	if diff := cmp.Diff([]string{"bert@depot.example", "zora@depot.example", "carl@depot.example"}, names[:3]); diff != "" {
		t.Errorf("first three (-want +got):\n%s", diff)
	}
	if names[len(names)-1] != "anna@depot.example" {
		t.Errorf("Zora Keller listed at %d of %v", slices.Index(names, "anna@depot.example"), names)
	}

	// A cursor of the old order (by email) is refused.
	r := en.do(req{method: "GET", path: "/api/v1/users?cursor=eyJzIjoiZW1haWwiLCJrIjpbImEiLCIxIl19", token: en.tokens[auth.RoleAdmin]})
	if r.Status != 422 || r.errorCode() != "validation_failed" {
		t.Errorf("an email-order cursor: %d %s", r.Status, r.Body)
	}
}
