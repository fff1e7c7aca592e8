package handlers

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The JSON the web sends the api for each create and change form: on
// create an empty optional field is left out; on change every field of the
// form is sent and an emptied optional one is null (cleared); a field the
// form does not have (a clerk's credit limit) is never sent.

// bodyCase is one form post and the body the api must get for it.
type bodyCase struct {
	name string
	path string     // the web's form action
	form url.Values // what the browser posts (besides the CSRF token)
	// versionOf is the page whose ETag the form carries as version (a
	// change), read just before the post; "" for none.
	versionOf string
	call      string // the api call it makes
	want      string // the JSON body it sends
}

func runBodyCases(t *testing.T, api *catalogueAPI, b *browser, cases []bodyCase) {
	t.Helper()
	for _, tc := range cases {
		if tc.versionOf != "" {
			tc.form.Set("version", attrOf(b.get(tc.versionOf).doc, "version", "value"))
		}
		r := b.post(tc.path, tc.form)
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s: %s = %d\n%s", tc.name, tc.path, r.status, r.body)
		}
		var want map[string]any
		if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
			t.Fatalf("%s: want: %v", tc.name, err)
		}
		if diff := cmp.Diff(want, api.lastSent(t, tc.call)); diff != "" {
			t.Errorf("%s: %s sent (-want +got):\n%s", tc.name, tc.call, diff)
		}
	}
}

// form makes url.Values of name, value pairs.
func form(pairs ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(pairs); i += 2 {
		v.Set(pairs[i], pairs[i+1])
	}
	return v
}

func TestBodiesOfMasterData(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	wh := api.add("locations", map[string]any{"code": "WH1", "name": "House", "kind": "warehouse"})
	whID := strconv.FormatInt(wh, 10)

	runBodyCases(t, api, b, []bodyCase{
		{name: "category create", path: "/categories", form: form("name", "Water", "description", ""),
			call: "POST /api/v1/categories", want: `{"name":"Water","description":""}`},
		{name: "supplier create", path: "/suppliers",
			form: form("name", "Quelle AG", "contact_person", "", "email", "", "phone", "", "payment_terms_days", "",
				"notes", "", "address.street", "", "address.house_number", "", "address.postal_code", "",
				"address.town", "Zug", "address.country", ""),
			call: "POST /api/v1/suppliers",
			want: `{"name":"Quelle AG","contact_person":"","email":"","phone":"","notes":"",
				"address":{"street":"","house_number":"","postal_code":"","town":"Zug"}}`},
		{name: "customer create", path: "/customers",
			form: form("name", "Bar Mond", "contact_person", "", "email", "", "phone", "", "payment_terms_days", "10",
				"currency", "CHF", "credit_limit", "", "billing_address.street", "Gasse", "billing_address.house_number", "3",
				"billing_address.postal_code", "8001", "billing_address.town", "Zürich", "billing_address.country", "CH",
				"delivery_address.street", "", "delivery_address.house_number", "", "delivery_address.postal_code", "",
				"delivery_address.town", "", "delivery_address.country", "CH"),
			call: "POST /api/v1/customers",
			want: `{"name":"Bar Mond","contact_person":"","email":"","phone":"","payment_terms_days":10,"currency":"CHF",
				"billing_address":{"street":"Gasse","house_number":"3","postal_code":"8001","town":"Zürich","country":"CH"}}`},
		{name: "location create", path: "/locations", form: form("code", "A", "name", "Aisle", "kind", "zone", "parent_id", ""),
			call: "POST /api/v1/locations", want: `{"code":"A","name":"Aisle","kind":"zone"}`},
	})

	category := api.add("categories", map[string]any{"name": "Beer", "description": "All"})
	supplier := api.add("suppliers", map[string]any{"name": "Huber"})
	customer := api.add("customers", map[string]any{"name": "Bar Sonne", "credit_limit": "100.00",
		"delivery_address": map[string]any{"town": "Bern"}})
	location := api.add("locations", map[string]any{"code": "B", "name": "Bin", "kind": "bin", "parent_id": wh})
	cat, sup, cus, loc := idPath("/categories/", category), idPath("/suppliers/", supplier),
		idPath("/customers/", customer), idPath("/locations/", location)
	call := func(method, path string) string { return method + " /api/v1" + path }
	customerForm := func(limit, deliveryTown string) url.Values {
		return form("name", "Bar Sonne", "contact_person", "Eva", "email", "eva@example.ch", "phone", "031 000 00 00",
			"payment_terms_days", "1’0", "currency", "EUR", "credit_limit", limit,
			"billing_address.street", "Platz", "billing_address.house_number", "1", "billing_address.postal_code", "3000",
			"billing_address.town", "Bern", "billing_address.country", "CH",
			"delivery_address.street", "", "delivery_address.house_number", "", "delivery_address.postal_code", "",
			"delivery_address.town", deliveryTown, "delivery_address.country", "CH")
	}
	runBodyCases(t, api, b, []bodyCase{
		{name: "category change", path: cat, form: form("name", "Bier", "description", ""), versionOf: cat,
			call: call("PATCH", cat), want: `{"name":"Bier","description":""}`},
		{name: "supplier change", path: sup,
			form: form("name", "Huber AG", "contact_person", "Urs", "email", "", "phone", "",
				"payment_terms_days", "45", "notes", "n", "address.street", "", "address.house_number", "",
				"address.postal_code", "6300", "address.town", "Zug", "address.country", "CH"), versionOf: sup,
			call: call("PATCH", sup),
			want: `{"name":"Huber AG","contact_person":"Urs","email":"","phone":"","payment_terms_days":45,"notes":"n",
				"address":{"street":"","house_number":"","postal_code":"6300","town":"Zug","country":"CH"}}`},
		{name: "customer change", path: cus, form: customerForm("5’000,5", "Thun"), versionOf: cus,
			call: call("PATCH", cus),
			want: `{"name":"Bar Sonne","contact_person":"Eva","email":"eva@example.ch","phone":"031 000 00 00",
				"payment_terms_days":10,"currency":"EUR","credit_limit":"5000.5",
				"billing_address":{"street":"Platz","house_number":"1","postal_code":"3000","town":"Bern","country":"CH"},
				"delivery_address":{"street":"","house_number":"","postal_code":"","town":"Thun","country":"CH"}}`},
		{name: "customer clear", path: cus, form: customerForm("", ""), versionOf: cus,
			call: call("PATCH", cus),
			want: `{"name":"Bar Sonne","contact_person":"Eva","email":"eva@example.ch","phone":"031 000 00 00",
				"payment_terms_days":10,"currency":"EUR","credit_limit":null,"delivery_address":null,
				"billing_address":{"street":"Platz","house_number":"1","postal_code":"3000","town":"Bern","country":"CH"}}`},
		{name: "location change", path: loc, form: form("code", "B1", "name", "Bin 1", "kind", "bin", "parent_id", whID), versionOf: loc,
			call: call("PATCH", loc), want: `{"code":"B1","name":"Bin 1","kind":"bin","parent_id":` + whID + `}`},
		{name: "location clear", path: loc, form: form("code", "B1", "name", "Bin 1", "kind", "bin", "parent_id", ""), versionOf: loc,
			call: call("PATCH", loc), want: `{"code":"B1","name":"Bin 1","kind":"bin","parent_id":null}`},
	})
	if got := api.record("customers", customer); got["credit_limit"] != nil || got["delivery_address"] != nil {
		t.Errorf("after clearing, the customer still has %v / %v", got["credit_limit"], got["delivery_address"])
	}
}

// TestBodiesLeaveOutWhatTheFormHasNot: a clerk's customer form has no
// credit limit, so neither a change nor a create sends one, whatever is
// posted — the api would refuse the whole request for it.
func TestBodiesLeaveOutWhatTheFormHasNot(t *testing.T) {
	api, b := startCatalogue(t, "clerk")
	customer := api.add("customers", map[string]any{"name": "Bar Sonne", "credit_limit": "100.00"})
	path := idPath("/customers/", customer)
	if r := b.get(path); r.doc.Find(`[name="credit_limit"]`).Length() != 0 {
		t.Fatalf("a clerk's form offers the credit limit")
	}
	change := form("name", "Bar Sonne", "contact_person", "", "email", "", "phone", "", "payment_terms_days", "30",
		"currency", "CHF", "credit_limit", "", "billing_address.street", "", "billing_address.house_number", "",
		"billing_address.postal_code", "3000", "billing_address.town", "Bern", "billing_address.country", "",
		"delivery_address.street", "", "delivery_address.house_number", "", "delivery_address.postal_code", "",
		"delivery_address.town", "", "delivery_address.country", "")
	runBodyCases(t, api, b, []bodyCase{
		{name: "clerk change", path: path, form: change, versionOf: path, call: "PATCH /api/v1/customers/" + strconv.FormatInt(customer, 10),
			want: `{"name":"Bar Sonne","contact_person":"","email":"","phone":"","payment_terms_days":30,"currency":"CHF",
				"billing_address":{"street":"","house_number":"","postal_code":"3000","town":"Bern"},"delivery_address":null}`},
	})
	create := form("name", "Kiosk", "credit_limit", "999", "currency", "CHF", "billing_address.postal_code", "3000",
		"billing_address.town", "Bern")
	runBodyCases(t, api, b, []bodyCase{
		{name: "clerk create", path: "/customers", form: create, call: "POST /api/v1/customers",
			want: `{"name":"Kiosk","contact_person":"","email":"","phone":"","currency":"CHF",
				"billing_address":{"street":"","house_number":"","postal_code":"3000","town":"Bern"}}`},
	})
	if got := api.record("customers", customer)["credit_limit"]; got != "100.00" {
		t.Errorf("credit limit = %v, want it untouched", got)
	}
}

func TestBodiesOfItems(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	beer := api.add("categories", map[string]any{"name": "Beer"})
	huber := api.add("suppliers", map[string]any{"name": "Huber"})
	beerID, huberID := strconv.FormatInt(beer, 10), strconv.FormatInt(huber, 10)
	full := func(v url.Values) url.Values {
		for k, x := range map[string]string{"sku": "LAG-33", "name": "Lager", "category_id": beerID,
			"preferred_supplier": "Huber", "preferred_supplier_id": huberID, "brand": "Falken", "description": "Hell",
			"ean_unit": "7610000000017", "ean_package": "7610000000024", "ean_pallet": "7610000000035", "base_unit": "bottle", "package_unit": "crate",
			"package_size": "24", "pallet_size": "40", "min_stock": "1’200", "reorder_qty": "48",
			"sales_price_unit": "1,50", "sales_price_package": "36", "vat_rate": "8.1", "currency": "CHF",
			"deposit_unit": "0.30", "deposit_package": "3", "beverage_type": "beer", "container": "glass",
			"volume_ml": "330", "abv": "4,8", "alcoholic": "1", "returnable": "1", "country_of_origin": "CH"} {
			if _, set := v[k]; !set {
				v.Set(k, x)
			}
		}
		return v
	}
	runBodyCases(t, api, b, []bodyCase{
		{name: "item create", path: "/items",
			form: form("sku", "IPA-50", "name", "IPA", "category_id", "", "preferred_supplier", "", "brand", "",
				"description", "", "ean_unit", "", "ean_package", "", "base_unit", "bottle", "package_unit", "",
				"package_size", "", "pallet_size", "", "min_stock", "0", "reorder_qty", "", "sales_price_unit", "2.10",
				"sales_price_package", "", "vat_rate", "8.1", "currency", "CHF", "deposit_unit", "", "deposit_package", "",
				"beverage_type", "", "container", "", "volume_ml", "", "abv", "", "country_of_origin", ""),
			call: "POST /api/v1/items",
			want: `{"sku":"IPA-50","name":"IPA","brand":"","description":"","base_unit":"bottle","min_stock":0,
				"sales_price_unit":"2.10","vat_rate":"8.1","currency":"CHF","beverage_type":"",
				"alcoholic":false,"returnable":false}`},
	})
	item := api.add("items", map[string]any{"sku": "LAG-33", "name": "Lager"})
	path := idPath("/items/", item)
	patch := "PATCH /api/v1/items/" + strconv.FormatInt(item, 10)
	runBodyCases(t, api, b, []bodyCase{
		{name: "item change", path: path, form: full(url.Values{}), versionOf: path + "/edit", call: patch,
			want: `{"sku":"LAG-33","name":"Lager","category_id":` + beerID + `,"preferred_supplier_id":` + huberID + `,
				"brand":"Falken","description":"Hell","ean_unit":"7610000000017","ean_package":"7610000000024","ean_pallet":"7610000000035",
				"base_unit":"bottle","package_unit":"crate","package_size":24,"pallet_size":40,"min_stock":1200,
				"reorder_qty":48,"sales_price_unit":"1.50","sales_price_package":"36","vat_rate":"8.1","currency":"CHF",
				"deposit_unit":"0.30","deposit_package":"3","beverage_type":"beer","container":"glass","volume_ml":330,
				"abv":"4.8","alcoholic":true,"returnable":true,"country_of_origin":"CH"}`},
		{name: "item clear", path: path,
			form: full(form("category_id", "", "preferred_supplier", "", "ean_unit", "",
				"ean_package", "", "ean_pallet", "", "package_unit", "", "package_size", "", "pallet_size", "", "sales_price_package", "",
				"container", "", "volume_ml", "", "abv", "", "country_of_origin", "", "brand", "", "min_stock", "",
				"deposit_unit", "", "alcoholic", "")), versionOf: path + "/edit",
			call: patch,
			want: `{"sku":"LAG-33","name":"Lager","category_id":null,"preferred_supplier_id":null,
				"brand":"","description":"Hell","ean_unit":null,"ean_package":null,"ean_pallet":null,
				"base_unit":"bottle","package_unit":null,"package_size":null,"pallet_size":null,
				"reorder_qty":48,"sales_price_unit":"1.50","sales_price_package":null,"vat_rate":"8.1","currency":"CHF",
				"deposit_package":"3","beverage_type":"beer","container":null,"volume_ml":null,
				"abv":null,"alcoholic":false,"returnable":true,"country_of_origin":null}`},
	})

	// An item supplier link is a PUT of the whole link: emptied price and
	// lead time are null.
	links := path + "/suppliers/" + huberID
	put := "PUT /api/v1/items/" + strconv.FormatInt(item, 10) + "/suppliers/" + huberID
	runBodyCases(t, api, b, []bodyCase{
		{name: "link add", path: path + "/suppliers", form: form("supplier", "Huber", "supplier_sku", "H-1", "price", "0,8",
			"lead_time_days", "2"), call: put, want: `{"supplier_sku":"H-1","price":"0.8","lead_time_days":2}`},
		{name: "link clear", path: links, form: form("supplier_sku", "", "price", "", "lead_time_days", ""), call: put,
			want: `{"supplier_sku":"","price":null,"lead_time_days":null}`},
	})
}

// TestBodiesUnreadableNumbers: a number that is not one is said beside its
// field and nothing is sent.
func TestBodiesUnreadableNumbers(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	r := b.post("/suppliers", form("name", "Quelle", "payment_terms_days", "thirty"))
	if r.status != http.StatusUnprocessableEntity || r.text("error-supplier-payment_terms_days") != "Enter a whole number." {
		t.Errorf("= %d %q", r.status, r.text("error-supplier-payment_terms_days"))
	}
	r = b.post("/items", form("sku", "X", "name", "X", "base_unit", "bottle", "sales_price_unit", ""))
	if r.status != http.StatusUnprocessableEntity || r.text("error-item-sales_price_unit") != "This field is required." {
		t.Errorf("empty price = %d %q", r.status, r.text("error-item-sales_price_unit"))
	}
	for call := range api.sent {
		if strings.HasPrefix(call, "POST") {
			t.Errorf("%s was sent", call)
		}
	}
}
