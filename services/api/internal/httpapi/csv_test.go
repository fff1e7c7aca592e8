package httpapi_test

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/auth"
)

type importProblem struct {
	Line    int    `json:"line"`
	Column  string `json:"column,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type importReport struct {
	DryRun    bool            `json:"dry_run"`
	Rows      int             `json:"rows"`
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Problems  []importProblem `json:"problems"`
}

// upload posts a CSV file and decodes the report (when the answer is one).
func (en *env) upload(token, path, file string) (importReport, response) {
	en.t.Helper()
	r := en.do(req{method: "POST", path: path, token: token, body: file, header: map[string]string{"Content-Type": "text/csv"}})
	var rep importReport
	if r.Status == 200 || r.Status == 422 {
		r.decode(en.t, &rep)
	}
	return rep, r
}

// download exports and checks the headers every export has.
func (en *env) download(token, kind, query string) string {
	en.t.Helper()
	r := en.do(req{method: "GET", path: "/api/v1/" + kind + "/export" + query, token: token})
	if r.Status != 200 {
		en.t.Fatalf("export %s: %d %s", kind, r.Status, r.Body)
	}
	disposition := regexp.MustCompile(`^attachment; filename="` + kind + `-\d{4}-\d{2}-\d{2}\.csv"$`)
	if ct := r.Header.Get("Content-Type"); ct != "text/csv" || !disposition.MatchString(r.Header.Get("Content-Disposition")) {
		en.t.Errorf("export %s headers: %q, %q", kind, ct, r.Header.Get("Content-Disposition"))
	}
	file, ok := strings.CutPrefix(string(r.Body), "\uFEFF")
	if !ok {
		en.t.Errorf("export %s does not start with the byte-order mark: %.40q", kind, r.Body)
	}
	return file
}

func (en *env) total(token, path string) int {
	en.t.Helper()
	var l struct {
		Total int `json:"total"`
	}
	en.do(req{method: "GET", path: path, token: token}).decode(en.t, &l)
	return l.Total
}

func counts(r importReport) [4]int { return [4]int{r.Rows, r.Created, r.Updated, r.Unchanged} }

// Exported files import without changing anything: every column the export
// writes, the import reads back to the same value, including quotes, commas,
// line breaks and umlauts.
func TestCSVRoundTrip(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	cat, _ := en.create(mgr, "/api/v1/categories", map[string]any{"name": "Süssgetränke"})
	sup, _ := en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "Müller, \"Getränke\" & Co.", "email": "info@mueller.example",
		"phone": "+41 44 000 00 00", "notes": "Anlieferung\nnur morgens", "payment_terms_days": 10,
		"address": map[string]any{"street": "Hauptstrasse", "house_number": "5", "postal_code": "3000", "town": "Bern", "country": "CH"}})
	en.create(mgr, "/api/v1/suppliers", map[string]any{"name": "=HYPERLINK(\"x\")"})
	en.create(mgr, "/api/v1/items", map[string]any{
		"sku": "RIV-50", "name": "Rivella Rot 0.5 l", "description": "Süss, mit \"Milchserum\"\nZweite Zeile", "base_unit": "Flasche",
		"category_id": cat.ID, "brand": "Rivella", "ean_unit": "7610097111072", "package_unit": "Harass", "package_size": 24,
		"pallet_size": 40, "sales_price_unit": "2.20", "sales_price_package": "48.00", "vat_rate": "2.6", "deposit_unit": "0.30",
		"deposit_package": "3.00", "returnable": true, "beverage_type": "Limonade", "container": "glass", "volume_ml": 500,
		"abv": "0.0", "country_of_origin": "CH", "min_stock": 48, "reorder_qty": 240, "preferred_supplier_id": sup.ID})
	en.create(mgr, "/api/v1/items", map[string]any{"sku": "BIER-1", "name": "Lager", "base_unit": "Dose", "sales_price_unit": "1",
		"abv": "4.8", "alcoholic": true, "currency": "EUR", "vat_rate": "8.1"})
	addr := map[string]any{"street": "Bahnhofstrasse", "house_number": "1", "postal_code": "8001", "town": "Zürich", "country": "CH"}
	en.create(mgr, "/api/v1/customers", map[string]any{"name": "Gasthof Löwen", "billing_address": addr, "credit_limit": "5000.00",
		"delivery_address": map[string]any{"street": "Hinterhof", "postal_code": "8002", "town": "Zürich"}})
	en.create(mgr, "/api/v1/customers", map[string]any{"name": "Bäckerei Brot, GmbH", "billing_address": addr, "email": "b@brot.example"})

	for _, kind := range []string{"items", "customers", "suppliers"} {
		file := en.download(mgr, kind, "")
		if n := strings.Count(file, "\r\n"); n < 3 {
			t.Fatalf("%s export has %d lines:\n%s", kind, n, file)
		}
		rep, r := en.upload(mgr, "/api/v1/"+kind+"/import", file)
		if r.Status != 200 || counts(rep) != [4]int{2, 0, 0, 2} {
			t.Errorf("%s re-import: %d %s\nfile:\n%s", kind, r.Status, r.Body, file)
		}
	}
	// Text a spreadsheet would run as a formula is exported with an apostrophe.
	if file := en.download(mgr, "suppliers", ""); !strings.Contains(file, `"'=HYPERLINK(""x"")"`) {
		t.Errorf("formula not escaped:\n%s", file)
	}
	if en.auditCount("item", "import")+en.auditCount("customer", "import")+en.auditCount("supplier", "import") != 0 {
		t.Error("an unchanged re-import left audit records")
	}
}

func TestCSVImportCreatesAndUpdates(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	const header = "sku,name,base_unit,sales_price_unit\n"
	rep, r := en.upload(mgr, "/api/v1/items/import", header+"A-1,Apfelsaft,Flasche,2.50\nB-1,Birnensaft,Flasche,2.60\n")
	if r.Status != 200 || counts(rep) != [4]int{2, 2, 0, 0} || rep.DryRun {
		t.Fatalf("first import: %d %s", r.Status, r.Body)
	}
	// Columns the file leaves out keep their values; rows are matched ignoring case.
	en.do(req{method: "PATCH", path: "/api/v1/items/" + fmt.Sprint(en.itemID("A-1")), token: mgr, body: map[string]any{"brand": "Ramseier"}})
	rep, r = en.upload(mgr, "/api/v1/items/import", header+"a-1,Apfelsaft trüb,Flasche,2.50\nB-1,Birnensaft,Flasche,2.60\nC-1,Cola,Dose,1.80\n")
	if r.Status != 200 || counts(rep) != [4]int{3, 1, 1, 1} {
		t.Fatalf("second import: %d %s", r.Status, r.Body)
	}
	var a struct{ SKU, Name, Brand string }
	en.do(req{method: "GET", path: "/api/v1/items/" + fmt.Sprint(en.itemID("A-1")), token: mgr}).decode(t, &a)
	if a.SKU != "a-1" || a.Name != "Apfelsaft trüb" || a.Brand != "Ramseier" {
		t.Errorf("A-1 after import: %+v", a)
	}
	if n := en.auditCount("item", "import"); n != 4 {
		t.Errorf("%d import audit records, want 4 (2 + 1 updated + 1 created)", n)
	}
}

func (en *env) itemID(sku string) int64 {
	en.t.Helper()
	var l struct {
		Items []record `json:"items"`
	}
	en.do(req{method: "GET", path: "/api/v1/items?q=" + url.QueryEscape(sku), token: en.tokens[auth.RoleManager]}).decode(en.t, &l)
	if len(l.Items) == 0 {
		en.t.Fatalf("no item %s", sku)
	}
	return l.Items[0].ID
}

func TestCSVImportDryRunWritesNothing(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	for _, kind := range []struct{ path, file string }{
		{"items", "sku,name,base_unit,sales_price_unit\nA-1,Apfelsaft,Flasche,2.50\n"},
		{"suppliers", "name\nValser AG\n"},
		{"customers", "name,billing_street,billing_house_number,billing_postal_code,billing_town,billing_country\nKrone,,,8001,Zürich,\n"},
	} {
		rep, r := en.upload(mgr, "/api/v1/"+kind.path+"/import?dry_run=true", kind.file)
		if r.Status != 200 || !rep.DryRun || counts(rep) != [4]int{1, 1, 0, 0} {
			t.Errorf("%s dry run: %d %s", kind.path, r.Status, r.Body)
		}
		if n := en.total(mgr, "/api/v1/"+kind.path+"?archived=all"); n != 0 {
			t.Errorf("dry run wrote %d %s", n, kind.path)
		}
	}
	// The customer the dry run counted did not use up a number.
	c, _ := en.create(mgr, "/api/v1/customers", map[string]any{"name": "Krone",
		"billing_address": map[string]any{"postal_code": "8001", "town": "Zürich"}})
	if c.Number != 1000 {
		t.Errorf("first customer after a dry run has number %d", c.Number)
	}
}

func TestCSVImportReportsEveryProblem(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	en.create(mgr, "/api/v1/categories", map[string]any{"name": "Bier"})
	const header = "sku,name,base_unit,sales_price_unit,vat_rate,category,ean_unit,abv,alcoholic,returnable,package_size\n"
	tests := []struct {
		name, file string
		want       []importProblem
	}{
		{"cells and rules on several lines", header +
			"OK-1,Gut,Flasche,1,8.1,Bier,,,,,\n" +
			"B-1,,Flasche,1.234,7.7,Wein,7610097111073,,,,\n" +
			"B-2,Bier,Flasche,1,8.1,bier,,4.8,nein,vielleicht,\n" +
			"B 3,Kiste,Flasche,,2.6,,,,,,1\n",
			[]importProblem{
				{3, "name", "required", "is required"},
				{3, "sales_price_unit", "invalid_amount", "must be a decimal amount with at most 2 decimals, such as 12.50"},
				{3, "vat_rate", "not_allowed", "must be 8.1, 2.6, 3.8 or 0"},
				{3, "category", "not_found", `no category is called "Wein"`},
				{3, "ean_unit", "invalid_gtin", "must be a GTIN-8, -12, -13 or -14 with a valid check digit"},
				{4, "alcoholic", "must_be_alcoholic", "must be true above 0.5 % alcohol by volume"},
				{4, "returnable", "wrong_type", "must be true or false (also 1/0, yes/no, ja/nein)"},
				{5, "sku", "contains_spaces", "must not contain spaces"},
				{5, "sales_price_unit", "required", "is required"},
				{5, "package_unit", "required_with", "is required with a package size"},
			}},
		{"duplicate keys", "sku,name,base_unit,sales_price_unit\nD-1,Eins,Flasche,1\nX-1,x,Flasche,1\nd-1,Zwei,Flasche,1\n",
			[]importProblem{{4, "sku", "duplicate", "repeats the SKU of line 2"}}},
		{"unknown column", "sku,name,base_unit,sales_price_unit,Farbe\n",
			[]importProblem{{1, "Farbe", "unknown_column", "is not a column of this file; the columns are: sku, name, description, category, brand, ean_unit, ean_package, ean_pallet, " +
				"base_unit, package_unit, package_size, pallet_size, sales_price_unit, sales_price_package, currency, vat_rate, deposit_unit, " +
				"deposit_package, returnable, beverage_type, container, volume_ml, abv, alcoholic, country_of_origin, min_stock, reorder_qty, preferred_supplier"}}},
		{"missing column", "sku,name\nA,B\n", []importProblem{
			{1, "base_unit", "missing_column", "is required: add this column"}, {1, "sales_price_unit", "missing_column", "is required: add this column"}}},
		{"wrong cell count", "sku,name,base_unit,sales_price_unit\nA,B,C\n", []importProblem{{2, "", "wrong_cell_count", "This line has 3 cells but the header has 4."}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, r := en.upload(mgr, "/api/v1/items/import", tt.file)
			if r.Status != 422 {
				t.Fatalf("status %d %s", r.Status, r.Body)
			}
			if d := cmp.Diff(tt.want, rep.Problems); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
			if rep.Created+rep.Updated+rep.Unchanged != 0 {
				t.Errorf("counts of an import that wrote nothing: %s", r.Body)
			}
		})
	}
	if n := en.total(mgr, "/api/v1/items?archived=all"); n != 0 || en.auditCount("item", "import") != 0 {
		t.Errorf("files with problems wrote %d items", n)
	}
}

// Files from spreadsheets: a byte-order mark, a charset parameter, CRLF,
// quoted commas and line breaks, umlauts.
func TestCSVImportSpreadsheetFile(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	file := "\uFEFFSKU,Name,Description,Base_Unit,Sales_Price_Unit,Returnable\r\n" +
		"SÜ-1,\"Süssmost, naturtrüb\",\"Gepresst im Thurgau.\r\nOhne Zusätze, \"\"bio\"\".\",Flasche,\"3.90\",ja\r\n" +
		",,,,,\r\n"
	r := en.do(req{method: "POST", path: "/api/v1/items/import", token: mgr, body: file,
		header: map[string]string{"Content-Type": "text/csv; charset=utf-8"}})
	var rep importReport
	r.decode(t, &rep)
	if r.Status != 200 || counts(rep) != [4]int{1, 1, 0, 0} {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var it struct {
		SKU         string `json:"sku"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Returnable  bool   `json:"returnable"`
	}
	en.do(req{method: "GET", path: "/api/v1/items/" + fmt.Sprint(en.itemID("SÜ-1")), token: mgr}).decode(t, &it)
	want := struct {
		SKU         string `json:"sku"`
		Name        string `json:"name"`
		Description string `json:"description"`
		Returnable  bool   `json:"returnable"`
	}{"SÜ-1", "Süssmost, naturtrüb", "Gepresst im Thurgau.\nOhne Zusätze, \"bio\".", true}
	if d := cmp.Diff(want, it); d != "" {
		t.Errorf("item (-want +got):\n%s", d)
	}
	// The same text in Windows-1252 is named, not stored as mojibake.
	_, r = en.upload(mgr, "/api/v1/items/import", "sku,name,base_unit,sales_price_unit\nX-1,S\xfcssmost,Flasche,1\n")
	if r.Status != 422 || !strings.Contains(string(r.Body), "save the file as UTF-8") {
		t.Errorf("Windows-1252 file: %d %s", r.Status, r.Body)
	}
}

func TestCSVImportPermissions(t *testing.T) {
	en := newEnv(t)
	clerk, mgr := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager]
	const header = "number,name,billing_street,billing_house_number,billing_postal_code,billing_town,billing_country,credit_limit\n"
	before := en.total(mgr, "/api/v1/customers?archived=all")

	_, r := en.upload(clerk, "/api/v1/customers/import", header+",Krone,,,8001,Zürich,CH,5000\n")
	var refused struct {
		Error struct {
			Code   string `json:"code"`
			Fields map[string]struct {
				Code   string         `json:"code"`
				Params map[string]int `json:"params"`
			} `json:"fields"`
		} `json:"error"`
	}
	r.decode(t, &refused)
	if r.Status != 403 || refused.Error.Code != "forbidden" ||
		refused.Error.Fields["credit_limit"].Code != "not_permitted" || refused.Error.Fields["credit_limit"].Params["line"] != 2 {
		t.Errorf("clerk sets a credit limit: %d %s", r.Status, r.Body)
	}
	rep, r := en.upload(clerk, "/api/v1/customers/import", header+",Krone,,,8001,Zürich,CH,\n")
	if r.Status != 200 || rep.Created != 1 {
		t.Errorf("clerk imports a customer without credit limit: %d %s", r.Status, r.Body)
	}
	rep, r = en.upload(mgr, "/api/v1/customers/import", header+",Adler,,,8001,Zürich,CH,5000\n")
	if r.Status != 200 || rep.Created != 1 {
		t.Errorf("manager sets a credit limit: %d %s", r.Status, r.Body)
	}
	// An export with credit limits goes back in unchanged, also for a clerk.
	rep, r = en.upload(clerk, "/api/v1/customers/import", en.download(clerk, "customers", ""))
	if r.Status != 200 || counts(rep) != [4]int{2, 0, 0, 2} {
		t.Errorf("clerk re-imports an export: %d %s", r.Status, r.Body)
	}
	if n := en.total(mgr, "/api/v1/customers?archived=all"); n != before+2 {
		t.Errorf("%d customers, want %d", n, before+2)
	}

	for role, path := range map[auth.Role]string{
		auth.RoleClerk:  "/api/v1/items/import",
		auth.RoleViewer: "/api/v1/customers/import",
	} {
		if _, r := en.upload(en.tokens[role], path, "name\n"); r.Status != 403 {
			t.Errorf("%s POST %s: %d", role, path, r.Status)
		}
	}
}

func TestCSVImportLimits(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	var b strings.Builder
	b.WriteString("sku,name,base_unit,sales_price_unit\n")
	for i := range 20_001 {
		fmt.Fprintf(&b, "%d,n,p,1\n", i)
	}
	rep, r := en.upload(mgr, "/api/v1/items/import", b.String())
	want := []importProblem{{20_002, "", "too_many_rows", "The file has more than 20000 rows; split it into files of at most 20000 rows."}}
	if d := cmp.Diff(want, rep.Problems); r.Status != 422 || d != "" {
		t.Errorf("20,001 rows: %d, problems (-want +got):\n%s", r.Status, d)
	}
	if n := en.total(mgr, "/api/v1/items?archived=all"); n != 0 {
		t.Errorf("a refused file wrote %d items", n)
	}
	_, r = en.upload(mgr, "/api/v1/items/import", "sku,name,base_unit,sales_price_unit\n"+strings.Repeat("x", 1<<20))
	if r.Status != 413 || r.errorCode() != "payload_too_large" {
		t.Errorf("a file over the body limit: %d %s", r.Status, r.Body)
	}
}

// 2,000 items go out in SKU order, with the filters of the list.
func TestCSVExportItems(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	var b strings.Builder
	b.WriteString("sku,name,base_unit,sales_price_unit\n")
	for i := 1999; i >= 0; i-- {
		fmt.Fprintf(&b, "W-%04d,Wasser %d,Flasche,1.%02d\n", i, i, i%100)
	}
	if rep, r := en.upload(mgr, "/api/v1/items/import", b.String()); r.Status != 200 || rep.Created != 2000 {
		t.Fatalf("import: %d %s", r.Status, r.Body[:min(len(r.Body), 500)])
	}
	en.do(req{method: "POST", path: "/api/v1/items/" + fmt.Sprint(en.itemID("W-0042")) + "/archive", token: mgr})

	lines := strings.Split(strings.TrimSuffix(en.download(en.tokens[auth.RoleViewer], "items", "?separator=comma"), "\r\n"), "\r\n")
	if len(lines) != 2000 {
		t.Fatalf("%d lines, want the header and 1,999 active items", len(lines))
	}
	for i, line := range lines[1:] {
		n := i
		if i >= 42 {
			n++
		}
		if want := fmt.Sprintf("W-%04d,Wasser %d,,,,,,,Flasche,,,,1.%02d,,CHF,8.1,0.00,0.00,false,,,,,false,,0,0,", n, n, n%100); line != want {
			t.Fatalf("line %d = %q, want %q", i+2, line, want)
		}
	}
	if got := en.download(mgr, "items", "?archived=true&separator=comma"); !strings.HasSuffix(got, "\r\nW-0042,Wasser 42,,,,,,,Flasche,,,,1.42,,CHF,8.1,0.00,0.00,false,,,,,false,,0,0,\r\n") ||
		strings.Count(got, "\r\n") != 2 {
		t.Errorf("archived export:\n%s", got)
	}
	if got := en.download(mgr, "items", "?archived=all&q=W-1234&separator=comma"); !strings.Contains(got, "\r\nW-1234,") {
		t.Errorf("search export:\n%s", got)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/items/export?archived=maybe", token: mgr}); r.Status != 422 {
		t.Errorf("bad filter: %d", r.Status)
	}
}

// The exports default to semicolons and the person's profile language;
// lang and separator choose otherwise, and anything else is refused.
func TestCSVExportDialects(t *testing.T) {
	en := newEnv(t)
	mgr := en.tokens[auth.RoleManager]
	if rep, r := en.upload(mgr, "/api/v1/items/import", "Artikelnummer;Name;Grundeinheit;Verkaufspreis pro Einheit\nB-1;Bier;Flasche;1,90\n"); r.Status != 200 || rep.Created != 1 {
		t.Fatalf("German semicolon import: %d %s", r.Status, r.Body)
	}
	profile := func(lang string) {
		t.Helper()
		me := en.do(req{method: "GET", path: "/api/v1/me", token: mgr})
		if r := en.do(req{method: "PATCH", path: "/api/v1/me", token: mgr, body: map[string]any{"language": lang},
			header: map[string]string{"If-Match": me.Header.Get("ETag")}}); r.Status != 200 {
			t.Fatalf("set language %s: %d %s", lang, r.Status, r.Body)
		}
	}
	for _, tc := range []struct {
		profile, query, header, row string
	}{
		{"de", "", "Artikelnummer;Name;", "B-1;Bier;"},
		{"en", "", "sku;name;", "B-1;Bier;"},
		{"en", "?lang=de", "Artikelnummer;Name;", "B-1;Bier;"},
		{"de", "?lang=en&separator=comma", "sku,name,", "B-1,Bier,"},
		{"de", "?separator=semicolon", "Artikelnummer;Name;", "B-1;Bier;"},
	} {
		profile(tc.profile)
		for _, kind := range []string{"items", "movements"} {
			file := en.download(mgr, kind, tc.query)
			if kind == "items" && (!strings.HasPrefix(file, tc.header) || !strings.Contains(file, "\r\n"+tc.row) || !strings.Contains(file, "1.90")) {
				t.Errorf("profile %s, %q: items file %q", tc.profile, tc.query, file)
			}
			sep := tc.header[strings.IndexAny(tc.header, ";,")]
			if kind == "movements" && !strings.HasPrefix(file, map[bool]string{true: "Nr.", false: "id"}[strings.HasPrefix(tc.header, "Artikel")]+string(sep)) {
				t.Errorf("profile %s, %q: journal header %q", tc.profile, tc.query, file)
			}
		}
		// What went out comes back unchanged.
		file := en.download(mgr, "items", tc.query)
		if rep, r := en.upload(mgr, "/api/v1/items/import", file); r.Status != 200 || rep.Unchanged != 1 {
			t.Errorf("%q: re-import %d %s", tc.query, r.Status, r.Body)
		}
	}
	for _, q := range []string{"?separator=tab", "?lang=fr"} {
		if r := en.do(req{method: "GET", path: "/api/v1/customers/export" + q, token: mgr}); r.Status != 400 && r.Status != 422 {
			t.Errorf("%s: %d, want a refusal", q, r.Status)
		}
	}
}
