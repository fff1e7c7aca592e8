package httpapi_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

// The lists a client names records from (the audit trail's items,
// categories, suppliers, customers, locations and people) take `ids`: one call answers
// every record of a kind a page names, archived ones too with
// archived=all, and an id that does not exist is simply not listed. More
// than 100 ids, or one that is not a positive number, is the error
// envelope naming `ids`.
func TestListsFilterByIDs(t *testing.T) {
	en := newEnv(t)
	mgr, admin := en.tokens[auth.RoleManager], en.tokens[auth.RoleAdmin]
	addr := map[string]any{"street": "Bahnhofstrasse", "house_number": "12", "postal_code": "8001", "town": "Zürich", "country": "CH"}
	made := map[string][]int64{}
	for i := range 3 {
		n := strconv.Itoa(i)
		for path, body := range map[string]map[string]any{
			"items":      {"sku": "SKU-" + n, "name": "Artikel " + n, "base_unit": "bottle", "sales_price_unit": "1.40", "vat_rate": "8.1"},
			"suppliers":  {"name": "Lieferant " + n},
			"categories": {"name": "Kategorie " + n},
			"customers":  {"name": "Kunde " + n, "billing_address": addr},
			"locations":  {"code": "L" + n, "name": "Lager " + n, "kind": "warehouse"},
		} {
			rec, _ := en.create(mgr, "/api/v1/"+path, body)
			made[path] = append(made[path], rec.ID)
		}
	}
	for _, role := range []auth.Role{auth.RoleManager, auth.RoleClerk, auth.RoleViewer} {
		made["users"] = append(made["users"], en.users[role].ID)
	}
	for path, ids := range made {
		// The first is archived (not people), the second asked
		// for, the third not; 999999 does not exist.
		action := "/archive"
		if path == "users" {
			action = ""
		}
		if action != "" {
			if r := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/%s/%d%s", path, ids[0], action), token: mgr}); r.Status != 200 {
				t.Fatalf("archive %s %d: %d %s", path, ids[0], r.Status, r.Body)
			}
		}
		token := mgr
		if path == "users" {
			token = admin
		}
		query := fmt.Sprintf("/api/v1/%s?archived=all&ids=%d,%d,999999", path, ids[0], ids[1])
		if path == "users" {
			query = fmt.Sprintf("/api/v1/users?ids=%d,%d,999999", ids[0], ids[1])
		}
		r := en.do(req{method: "GET", path: query, token: token})
		var page struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		r.decode(t, &page)
		var got []int64
		for _, it := range page.Items {
			got = append(got, it.ID)
		}
		slices.Sort(got)
		if diff := cmp.Diff(ids[:2], got); r.Status != 200 || diff != "" || page.Total != 2 {
			t.Errorf("%s: %d, total %d, ids (-want +got):\n%s%s", query, r.Status, page.Total, diff, r.Body)
		}

		// Without archived=all, the archived one is left out as usual.
		if path != "users" {
			q := fmt.Sprintf("/api/v1/%s?ids=%d,%d", path, ids[0], ids[1])
			r := en.do(req{method: "GET", path: q, token: token})
			r.decode(t, &page)
			if len(page.Items) != 1 || page.Items[0].ID != ids[1] || page.Total != 1 {
				t.Errorf("%s: %s", q, r.Body)
			}
		}

		for _, bad := range []struct {
			ids  string
			code string
		}{
			{strings.Repeat("1,", 100) + "1", "too_many"},
			{"0", "too_small"},
			{"x", "wrong_type"},
		} {
			r := en.do(req{method: "GET", path: "/api/v1/" + path + "?ids=" + bad.ids, token: token})
			if r.Status != 422 || r.errorCode() != "validation_failed" || en.codes(r)["ids"] != bad.code {
				t.Errorf("%s ids=%.20s: %d %s, want ids %s", path, bad.ids, r.Status, r.Body, bad.code)
			}
		}
	}
}
