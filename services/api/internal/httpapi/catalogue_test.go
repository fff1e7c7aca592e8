package httpapi_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type record struct {
	ID       int64  `json:"id"`
	Number   int64  `json:"number"`
	Archived bool   `json:"archived"`
	Name     string `json:"name"`
}

func (en *env) create(token, path string, body any) (record, response) {
	en.t.Helper()
	r := en.do(req{method: "POST", path: path, token: token, body: body})
	if r.Status != 201 {
		en.t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	var rec record
	r.decode(en.t, &rec)
	return rec, r
}

func TestCatalogueOverHTTP(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]

	cat, _ := en.create(mgr, "/api/v1/categories", map[string]any{"name": "Mineralwasser"})
	sup, _ := en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "Valser AG",
		"address": map[string]any{"street": "Quellweg", "house_number": "1", "postal_code": "7132", "town": "Vals", "country": "CH"}})
	wh, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH1", "name": "Hauptlager", "kind": "warehouse"})
	bin, _ := en.create(mgr, "/api/v1/locations", map[string]any{"code": "WH1-A-01", "name": "Regal A1", "kind": "bin", "parent_id": wh.ID})

	item, created := en.create(mgr, "/api/v1/items", map[string]any{
		"sku": "VAL-150", "name": "Valser Classic 1.5 l", "base_unit": "bottle", "category_id": cat.ID,
		"package_unit": "crate", "package_size": 6, "pallet_size": 80, "ean_unit": "7610235000145",
		"sales_price_unit": "1.20", "sales_price_package": "6.90", "vat_rate": "2.6",
		"deposit_unit": "0.30", "container": "pet", "volume_ml": 1500, "preferred_supplier_id": sup.ID,
	})
	if created.Header.Get("Location") != fmt.Sprintf("/api/v1/items/%d", item.ID) || created.Header.Get("ETag") == "" {
		t.Errorf("create headers %v", created.Header)
	}
	var got struct {
		SalesPriceUnit string  `json:"sales_price_unit"`
		VatRate        string  `json:"vat_rate"`
		PackageSize    *int    `json:"package_size"`
		Abv            *string `json:"abv"`
		AvgUnitCost    string  `json:"avg_unit_cost"`
		Currency       string  `json:"currency"`
	}
	g := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d", item.ID), token: en.tokens[auth.RoleViewer]})
	g.decode(t, &got)
	if got.SalesPriceUnit != "1.20" || got.VatRate != "2.6" || got.PackageSize == nil || *got.PackageSize != 6 ||
		got.AvgUnitCost != "0.00" || got.Currency != "CHF" || got.Abv != nil {
		t.Errorf("item %s", g.Body)
	}

	// PATCH: absent fields stay, null clears, a stale ETag is refused.
	path := fmt.Sprintf("/api/v1/items/%d", item.ID)
	etag := g.Header.Get("ETag")
	p := en.do(req{method: "PATCH", path: path, token: mgr, header: map[string]string{"If-Match": etag},
		body: map[string]any{"sales_price_package": nil, "abv": "0.0", "name": "Valser Classic 150 cl"}})
	if p.Status != 200 {
		t.Fatalf("patch: %d %s", p.Status, p.Body)
	}
	var patched map[string]any
	p.decode(t, &patched)
	if _, still := patched["sales_price_package"]; still || patched["abv"] != "0.0" || patched["sku"] != "VAL-150" || patched["name"] != "Valser Classic 150 cl" {
		t.Errorf("patched %s", p.Body)
	}
	if r := en.do(req{method: "PATCH", path: path, token: mgr, header: map[string]string{"If-Match": etag}, body: map[string]any{"name": "x"}}); r.Status != 412 {
		t.Errorf("stale If-Match: %d", r.Status)
	}

	// Bad values are named per field.
	bad := en.do(req{method: "POST", path: "/api/v1/items", token: mgr, body: map[string]any{
		"sku": "X-1", "name": "X", "base_unit": "piece", "sales_price_unit": "1.234", "ean_unit": "7610235000148", "vat_rate": "7.7"}})
	if codes := en.codes(bad); bad.Status != 422 || codes["sales_price_unit"] != "invalid_format" || codes["vat_rate"] != "not_allowed" {
		t.Errorf("bad item: %d %s", bad.Status, bad.Body)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/items", token: mgr, body: map[string]any{
		"sku": "val-150", "name": "Dup", "base_unit": "piece", "sales_price_unit": "1"}}); r.Status != 409 {
		t.Errorf("duplicate SKU ignoring case: %d %s", r.Status, r.Body)
	}

	// Search is typo-tolerant and finds by EAN.
	for _, q := range []string{"valsr", "7610235000145", "VAL-150"} {
		r := en.do(req{method: "GET", path: "/api/v1/items?q=" + q, token: mgr})
		var l struct {
			Items []record `json:"items"`
		}
		r.decode(t, &l)
		if len(l.Items) == 0 || l.Items[0].ID != item.ID {
			t.Errorf("search %q: %s", q, r.Body)
		}
	}

	// Item suppliers: PUT records, PUT again changes, DELETE removes.
	sp := fmt.Sprintf("/api/v1/items/%d/suppliers/%d", item.ID, sup.ID)
	if r := en.do(req{method: "PUT", path: sp, token: mgr, body: map[string]any{"supplier_sku": "V150", "price": "5.10", "lead_time_days": 3}}); r.Status != 200 {
		t.Fatalf("put item supplier: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "PUT", path: sp, token: mgr, body: map[string]any{"price": "5.20"}}); r.Status != 200 {
		t.Fatalf("change item supplier: %d %s", r.Status, r.Body)
	}
	ls := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/items/%d/suppliers", item.ID), token: en.tokens[auth.RoleClerk]})
	var sl struct {
		Items []struct {
			SupplierSKU  string `json:"supplier_sku"`
			Price        string `json:"price"`
			SupplierName string `json:"supplier_name"`
		} `json:"items"`
	}
	ls.decode(t, &sl)
	if len(sl.Items) != 1 || sl.Items[0].Price != "5.20" || sl.Items[0].SupplierSKU != "V150" || sl.Items[0].SupplierName != "Valser AG" {
		t.Errorf("item suppliers %s", ls.Body)
	}

	// Referenced records are archived, not deleted.
	if r := en.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/categories/%d", cat.ID), token: mgr}); r.Status != 409 {
		t.Errorf("delete referenced category: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/locations/%d", wh.ID), token: mgr}); r.Status != 409 {
		t.Errorf("delete a location with children: %d %s", r.Status, r.Body)
	}
	ar := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/categories/%d/archive", cat.ID), token: mgr})
	var archived record
	ar.decode(t, &archived)
	if ar.Status != 200 || !archived.Archived {
		t.Errorf("archive: %d %s", ar.Status, ar.Body)
	}
	if r := en.do(req{method: "DELETE", path: fmt.Sprintf("/api/v1/locations/%d", bin.ID), token: mgr}); r.Status != 204 {
		t.Errorf("delete an unreferenced bin: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/locations/%d", bin.ID), token: mgr}); r.Status != 404 {
		t.Errorf("deleted location still there: %d", r.Status)
	}
}

func TestCustomersForClerks(t *testing.T) {
	en := newEnv(t)
	clerk := en.tokens[auth.RoleClerk]
	addr := map[string]any{"street": "Bahnhofstrasse", "house_number": "12", "postal_code": "8001", "town": "Zürich", "country": "CH"}
	first, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone", "billing_address": addr})
	second, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Hotel Adler", "billing_address": addr})
	if first.Number != 1000 || second.Number != 1001 {
		t.Errorf("customer numbers %d, %d", first.Number, second.Number)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/customers", token: clerk,
		body: map[string]any{"name": "Bar", "billing_address": addr, "credit_limit": "5000.00"}}); r.Status != 403 ||
		!strings.Contains(string(r.Body), `"fields":{"credit_limit":{"code":"not_permitted","message":"your role may not set credit limits"}}`) {
		t.Errorf("clerk set a credit limit: %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/api/v1/customers/%d", first.ID)
	if r := en.do(req{method: "PATCH", path: path, token: clerk, body: map[string]any{"credit_limit": nil}}); r.Status != 403 {
		t.Errorf("clerk cleared a credit limit: %d", r.Status)
	}
	r := en.do(req{method: "PATCH", path: path, token: en.tokens[auth.RoleManager], body: map[string]any{"credit_limit": "5000"}})
	var c struct {
		CreditLimit string `json:"credit_limit"`
	}
	r.decode(t, &c)
	if r.Status != 200 || c.CreditLimit != "5000.00" {
		t.Errorf("manager set a credit limit: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "PATCH", path: path, token: clerk, body: map[string]any{"phone": "+41 44 000 00 00", "delivery_address": addr}}); r.Status != 200 {
		t.Errorf("clerk edits a customer: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "POST", path: "/api/v1/categories", token: clerk, body: map[string]any{"name": "Bier"}}); r.Status != 403 {
		t.Errorf("clerk created a category: %d", r.Status)
	}
}

// Body errors name the field a client must fix: a missing required field,
// an unknown one (a typo), and a value of the wrong type.
func TestBodyErrorsNameTheField(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	for _, tc := range []struct {
		body map[string]any
		want map[string]string
	}{
		{map[string]any{"sku": "A-1", "name": "Apfelsaft", "base_unit": "bottle"},
			map[string]string{"sales_price_unit": "required"}},
		{map[string]any{"sku": "A-1", "name": "Apfelsaft", "base_unit": "bottle", "sales_price_unit": "1.00", "colour": "red"},
			map[string]string{"colour": "unknown_field"}},
	} {
		r := en.do(req{method: "POST", path: "/api/v1/items", token: mgr, body: tc.body})
		var env struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		r.decode(t, &env)
		if r.Status != 422 || env.Error.Code != "validation_failed" || !cmp.Equal(en.codes(r), tc.want) {
			t.Errorf("body %v: %d %s, want fields %v", tc.body, r.Status, r.Body, tc.want)
		}
	}
}
