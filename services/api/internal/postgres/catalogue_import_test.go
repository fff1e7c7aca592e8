package postgres_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

var importer = audit.Actor{RequestID: "req-import"}

// counts is the part of a report most tests check.
type counts struct{ Rows, Created, Updated, Unchanged int }

func countsOf(r catalogue.ImportReport) counts {
	return counts{r.Rows, r.Created, r.Updated, r.Unchanged}
}

// noProblems checks an import succeeded: noProblems(t, try(svc.ImportItems(...))).
func noProblems(t *testing.T, res result[catalogue.ImportReport]) catalogue.ImportReport {
	t.Helper()
	r := res.must(t)
	if len(r.Problems) > 0 {
		t.Fatalf("problems: %+v", r.Problems)
	}
	return r
}

func importCount(t *testing.T, env catalogueEnv) int {
	t.Helper()
	var n int
	noErr(t, env.pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_log WHERE action = 'import'").Scan(&n))
	return n
}

// export runs an export and returns its file without the byte-order mark
// every export starts with.
func export(t *testing.T, res result[catalogue.CSVExport]) string {
	t.Helper()
	e := res.must(t)
	var buf bytes.Buffer
	noErr(t, e(context.Background(), &buf))
	file, ok := strings.CutPrefix(buf.String(), "\uFEFF")
	if !ok {
		t.Errorf("the export does not start with the byte-order mark: %.40q", buf.String())
	}
	return file
}

// comma is the dialect of the tests that read an export as RFC 4180 CSV
// with English column names.
var comma = catalogue.CSVDialect{Separator: catalogue.SeparatorComma}

func TestImportItemsCountsAndAudits(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	beer := try(env.svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Bier"})).must(t)
	brewery := try(env.svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Brauerei Müller", Address: catalogue.Address{Country: "CH"}})).must(t)
	f := itemFields("FEL-33", "Feldschlösschen")
	f.CategoryID, f.PreferredSupplierID, f.SalesPriceUnit = &beer.ID, &brewery.ID, 150
	fel := try(env.svc.CreateItem(ctx, clerk, f)).must(t)
	keep := try(env.svc.CreateItem(ctx, clerk, itemFields("KEEP-1", "Unverändert"))).must(t)

	file := "sku,name,category,preferred_supplier,sales_price_unit,base_unit\n" +
		"FEL-33,Feldschlösschen,BIER,brauerei Müller,1.60,bottle\n" + // the price changes
		"KEEP-1,Unverändert,,,0,bottle\n" +
		"NEW-1,Neu,Bier,Brauerei Müller,2,Dose\n"
	rep := noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(file), catalogue.ImportOptions{})))
	if d := cmp.Diff(counts{3, 1, 1, 1}, countsOf(rep)); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}

	got := try(env.svc.GetItem(ctx, fel.ID)).must(t)
	if got.SalesPriceUnit != 160 || got.Version != fel.Version+1 {
		t.Errorf("FEL-33 after import: price %d version %d", got.SalesPriceUnit, got.Version)
	}
	tr := trail(t, env.pool, "item", strconv.FormatInt(fel.ID, 10))
	if len(tr) != 2 || tr[1].Action != "import" {
		t.Fatalf("FEL-33 trail %+v", tr)
	}
	if d := cmp.Diff(map[string]audit.Change{"sales_price_unit": {From: 150.0, To: 160.0}}, tr[1].Changes); d != "" {
		t.Errorf("FEL-33 import changes (-want +got):\n%s", d)
	}
	if tr := trail(t, env.pool, "item", strconv.FormatInt(keep.ID, 10)); len(tr) != 1 {
		t.Errorf("an unchanged row left an audit record: %+v", tr)
	}
	page := try(env.svc.ListItems(ctx, catalogue.ListQuery{Q: "NEW-1"}, catalogue.ItemFilter{})).must(t)
	if len(page.Items) != 1 {
		t.Fatalf("NEW-1 not found: %+v", page.Items)
	}
	n := page.Items[0]
	if n.CategoryID == nil || *n.CategoryID != beer.ID || n.PreferredSupplierID == nil || *n.PreferredSupplierID != brewery.ID ||
		n.VATRateBP != catalogue.VATStandard || n.Currency != "CHF" || n.SalesPriceUnit != 200 {
		t.Errorf("NEW-1 = %+v", n.ItemFields)
	}
	if tr := trail(t, env.pool, "item", strconv.FormatInt(n.ID, 10)); len(tr) != 1 || tr[0].Action != "import" || tr[0].Changes["sku"].To != "NEW-1" {
		t.Errorf("NEW-1 trail %+v", tr)
	}

	// The same file again changes nothing and writes no audit record.
	before := auditCount(t, env.pool)
	rep = noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(file), catalogue.ImportOptions{})))
	if d := cmp.Diff(counts{3, 0, 0, 3}, countsOf(rep)); d != "" || auditCount(t, env.pool) != before {
		t.Errorf("second import: counts (-want +got):\n%s", d)
	}
}

func TestImportItemsDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	it := try(env.svc.CreateItem(ctx, clerk, itemFields("A-1", "Alt"))).must(t)
	before := auditCount(t, env.pool)
	rep := noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(
		"sku,name,base_unit,sales_price_unit\nA-1,Neu,bottle,1\nB-1,Neu,bottle,2\n"), catalogue.ImportOptions{DryRun: true})))
	if d := cmp.Diff(catalogue.ImportReport{DryRun: true, Rows: 2, Created: 1, Updated: 1, Problems: []catalogue.ImportProblem{}}, rep); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
	if got := try(env.svc.GetItem(ctx, it.ID)).must(t); got.Name != "Alt" || got.Version != it.Version {
		t.Errorf("dry run changed A-1: %+v", got)
	}
	total := try(env.svc.ListItems(ctx, catalogue.ListQuery{Archived: catalogue.AnyArchived}, catalogue.ItemFilter{})).must(t).Total
	if total != 1 || auditCount(t, env.pool) != before {
		t.Errorf("dry run wrote: %d items, %d audit records (was %d)", total, auditCount(t, env.pool), before)
	}
}

func TestImportItemsEANs(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	const eanA, eanB, eanC = "7610000000011", "7610000000028", "7610000000035"
	a := itemFields("A-1", "A")
	a.EANUnit = ptr(eanA)
	b := itemFields("B-1", "B")
	b.EANUnit = ptr(eanB)
	try(env.svc.CreateItem(ctx, clerk, a)).must(t)
	try(env.svc.CreateItem(ctx, clerk, b)).must(t)
	const header = "sku,name,base_unit,sales_price_unit,ean_unit\n"

	// Taken by an item outside the file, or twice within it.
	rep, err := env.svc.ImportItems(ctx, importer, strings.NewReader(header+
		"C-1,C,bottle,1,"+eanA+"\n"+
		"D-1,D,bottle,1,"+eanC+"\n"+
		"E-1,E,bottle,1,"+eanC+"\n"), catalogue.ImportOptions{})
	noErr(t, err)
	want := []catalogue.ImportProblem{
		{Line: 2, Column: "ean_unit", Code: apperr.FieldTaken, Message: "is already the ean_unit of item A-1", Params: apperr.Params{"sku": "A-1"}},
		{Line: 4, Column: "ean_unit", Code: apperr.FieldDuplicate, Message: "is also an EAN of line 3", Params: apperr.Params{"line": int64(3)}},
	}
	if d := cmp.Diff(want, rep.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}

	// A code names one item and one unit: a package's code may not be
	// another item's unit code, nor repeat another column of the file.
	rep, err = env.svc.ImportItems(ctx, importer, strings.NewReader(
		"sku,name,base_unit,sales_price_unit,package_unit,package_size,pallet_size,ean_package,ean_pallet\n"+
			"F-1,F,bottle,1,crate,6,10,"+eanB+",\n"+
			"G-1,G,bottle,1,crate,6,10,,"+eanC+"\n"+
			"H-1,H,bottle,1,crate,6,10,"+eanC+",\n"), catalogue.ImportOptions{})
	noErr(t, err)
	want = []catalogue.ImportProblem{
		{Line: 2, Column: "ean_package", Code: apperr.FieldTaken, Message: "is already the ean_unit of item B-1", Params: apperr.Params{"sku": "B-1"}},
		{Line: 4, Column: "ean_package", Code: apperr.FieldDuplicate, Message: "is also an EAN of line 3", Params: apperr.Params{"line": int64(3)}},
	}
	if d := cmp.Diff(want, rep.Problems); d != "" {
		t.Errorf("problems across columns (-want +got):\n%s", d)
	}

	// Two items swap their EANs, and a new item takes one an item gives up.
	before := auditCount(t, env.pool)
	rep = noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(header+
		"N-1,N,bottle,1,"+eanA+"\n"+
		"A-1,A,bottle,0,"+eanB+"\n"+
		"B-1,B,bottle,0,"+eanC+"\n"), catalogue.ImportOptions{})))
	if d := cmp.Diff(counts{3, 1, 2, 0}, countsOf(rep)); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	eans := map[string]string{}
	for _, it := range try(env.svc.ListItems(ctx, catalogue.ListQuery{}, catalogue.ItemFilter{})).must(t).Items {
		eans[it.SKU] = *it.EANUnit
		if it.SKU != "N-1" && it.Version != 2 {
			t.Errorf("%s version %d, want 2: clearing the EAN first is not a version", it.SKU, it.Version)
		}
	}
	if d := cmp.Diff(map[string]string{"N-1": eanA, "A-1": eanB, "B-1": eanC}, eans); d != "" {
		t.Errorf("EANs (-want +got):\n%s", d)
	}
	if got := auditCount(t, env.pool) - before; got != 3 {
		t.Errorf("%d audit records, want 3", got)
	}
}

func TestImportItemsResolvesNames(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	addr := catalogue.Address{Country: "CH"}
	old := try(env.svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Alt"})).must(t)
	try(env.svc.ArchiveCategory(ctx, clerk, old.ID, 0)).must(t)
	twin1 := try(env.svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Zwilling", Address: addr})).must(t)
	try(env.svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "zwilling", Address: addr})).must(t)
	f := itemFields("T-1", "Twin")
	f.PreferredSupplierID = &twin1.ID
	try(env.svc.CreateItem(ctx, clerk, f)).must(t)

	rep, err := env.svc.ImportItems(ctx, importer, strings.NewReader("sku,name,base_unit,sales_price_unit,category,preferred_supplier\n"+
		"T-1,Twin,bottle,0,,ZWILLING\n"+ // the current supplier is one of the twins: kept
		"T-2,New,bottle,0,Alt,Zwilling\n"+ // archived category, ambiguous supplier
		"T-3,New,bottle,0,Gibt es nicht,Niemand\n"), catalogue.ImportOptions{})
	noErr(t, err)
	want := []catalogue.ImportProblem{
		{Line: 3, Column: "category", Code: apperr.FieldArchived, Message: "is archived"},
		{Line: 3, Column: "preferred_supplier", Code: apperr.FieldAmbiguous,
			Message: `2 suppliers are called "Zwilling"; rename one so that the name says which`, Params: apperr.Params{"count": int64(2), "name": "Zwilling"}},
		{Line: 4, Column: "category", Code: apperr.FieldNotFound, Message: `no category is called "Gibt es nicht"`, Params: apperr.Params{"name": "Gibt es nicht"}},
		{Line: 4, Column: "preferred_supplier", Code: apperr.FieldNotFound, Message: `no supplier is called "Niemand"`, Params: apperr.Params{"name": "Niemand"}},
	}
	if d := cmp.Diff(want, rep.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}
}

func TestImportSuppliersMatching(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	mk := func(name string) catalogue.Supplier {
		return try(env.svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: name, Address: catalogue.Address{Country: "CH"}, PaymentTermsDays: 30})).must(t)
	}
	valser, twin1, _ := mk("Valser AG"), mk("Getränke Huber"), mk("Getränke Huber")
	const header = "id,name,email\n"

	rep, err := env.svc.ImportSuppliers(ctx, importer, strings.NewReader(header+
		",Getränke Huber,\n"+ // two suppliers have the name
		"999999,Wer,\n"+ // no such id
		",Neu AG,\n"+
		",NEU AG,\n"+ // the same name twice without ids
		fmt.Sprintf("%d,Valser,\n", valser.ID)+
		",valser ag,\n"), // by name, the supplier line 6 updates by id
		catalogue.ImportOptions{})
	noErr(t, err)
	want := []catalogue.ImportProblem{
		{Line: 2, Column: "name", Code: apperr.FieldAmbiguous, Message: `2 suppliers are called "Getränke Huber"; add the id column to say which this row means`,
			Params: apperr.Params{"count": int64(2), "name": "Getränke Huber"}},
		{Line: 3, Column: "id", Code: apperr.FieldNotFound, Message: "no supplier has id 999999; leave the id empty to create a supplier",
			Params: apperr.Params{"number": int64(999999)}},
		{Line: 5, Column: "name", Code: apperr.FieldDuplicate, Message: "repeats the name of line 4; give the id of the supplier each row means",
			Params: apperr.Params{"line": int64(4)}},
		{Line: 7, Column: "name", Code: apperr.FieldSame, Message: "means the same supplier as line 6", Params: apperr.Params{"line": int64(6)}},
	}
	if d := cmp.Diff(want, rep.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}

	rep = noProblems(t, try(env.svc.ImportSuppliers(ctx, importer, strings.NewReader(header+
		fmt.Sprintf("%d,Getränke Huber,huber@example.ch\n", twin1.ID)+
		",VALSER ag,info@valser.example\n"+ // matched by name ignoring case: renamed
		",Neu AG,\n"), catalogue.ImportOptions{})))
	if d := cmp.Diff(counts{3, 1, 2, 0}, countsOf(rep)); d != "" {
		t.Errorf("counts (-want +got):\n%s", d)
	}
	v := try(env.svc.GetSupplier(ctx, valser.ID)).must(t)
	h := try(env.svc.GetSupplier(ctx, twin1.ID)).must(t)
	if v.Name != "VALSER ag" || v.Email != "info@valser.example" || v.PaymentTermsDays != 30 || h.Email != "huber@example.ch" {
		t.Errorf("after import: %+v, %+v", v.SupplierFields, h.SupplierFields)
	}
}

func TestImportCustomers(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	limited := customerFields("Krone")
	limited.CreditLimit = ptr(money.Amount(500000))
	krone := try(env.svc.CreateCustomer(ctx, clerk, limited)).must(t)
	adler := try(env.svc.CreateCustomer(ctx, clerk, customerFields("Adler"))).must(t)
	file := export(t, try(env.svc.ExportCustomers(catalogue.ListQuery{}, comma)))

	// An exported file imports unchanged, also for someone who may not set
	// credit limits, and new rows take the next numbers.
	rep := noProblems(t, try(env.svc.ImportCustomers(ctx, importer, strings.NewReader(file), catalogue.ImportOptions{})))
	if d := cmp.Diff(counts{2, 0, 0, 2}, countsOf(rep)); d != "" {
		t.Errorf("re-import (-want +got):\n%s", d)
	}

	const header = "number,name,billing_street,billing_house_number,billing_postal_code,billing_town,billing_country,credit_limit\n"
	denied := map[string]string{
		"raising a limit":          fmt.Sprintf("%d,Krone,,,8001,Zürich,,6000\n", krone.Number),
		"clearing a limit":         fmt.Sprintf("%d,Krone,,,8001,Zürich,,\n", krone.Number),
		"a new one with a limit":   ",Neu,,,8001,Zürich,,100\n",
		"a limit for an old one":   fmt.Sprintf("%d,Adler,,,8001,Zürich,,100\n", adler.Number),
		"after a row that is fine": ",Neu,,,8001,Zürich,,\n" + fmt.Sprintf("%d,Krone,,,8001,Zürich,,1\n", krone.Number),
	}
	for name, rows := range denied {
		t.Run(name, func(t *testing.T) {
			_, err := env.svc.ImportCustomers(ctx, importer, strings.NewReader(header+rows), catalogue.ImportOptions{})
			wantCode(t, err, apperr.CodeForbidden)
		})
	}

	// A dry run counts new customers without using up numbers.
	rep = noProblems(t, try(env.svc.ImportCustomers(ctx, importer, strings.NewReader(header+",Neu,,,8001,Zürich,,\n,Neu 2,,,8001,Zürich,,\n"),
		catalogue.ImportOptions{DryRun: true})))
	if d := cmp.Diff(counts{2, 2, 0, 0}, countsOf(rep)); d != "" {
		t.Errorf("dry run (-want +got):\n%s", d)
	}
	rep = noProblems(t, try(env.svc.ImportCustomers(ctx, importer, strings.NewReader(header+
		",Neu,,,8001,Zürich,,\n"+fmt.Sprintf("%d,Krone,,,8001,Zürich,,5500.50\n", krone.Number)),
		catalogue.ImportOptions{CreditLimits: true})))
	if d := cmp.Diff(counts{2, 1, 1, 0}, countsOf(rep)); d != "" {
		t.Errorf("import (-want +got):\n%s", d)
	}
	page := try(env.svc.ListCustomers(ctx, catalogue.ListQuery{Sort: "number"})).must(t)
	var numbers []int64
	for _, c := range page.Items {
		numbers = append(numbers, c.Number)
		if c.ID == krone.ID && (c.CreditLimit == nil || *c.CreditLimit != 550050) {
			t.Errorf("Krone's limit %v", c.CreditLimit)
		}
	}
	if d := cmp.Diff([]int64{1000, 1001, 1002}, numbers); d != "" {
		t.Errorf("numbers (-want +got):\n%s", d)
	}

	rep, err := env.svc.ImportCustomers(ctx, importer, strings.NewReader(header+"999,X,,,8001,Zürich,,\n5000,Y,,,8001,Zürich,,\n"+
		fmt.Sprintf("%d,Adler,,,80,Zürich,,\n%d,Adler,,,8001,Zürich,,\n", adler.Number, adler.Number)), catalogue.ImportOptions{CreditLimits: true})
	noErr(t, err)
	want := []catalogue.ImportProblem{
		{Line: 2, Column: "number", Code: apperr.FieldNotFound, Message: "no customer has number 999; leave the number empty to create a new customer",
			Params: apperr.Params{"number": int64(999)}},
		{Line: 3, Column: "number", Code: apperr.FieldNotFound, Message: "no customer has number 5000; leave the number empty to create a new customer",
			Params: apperr.Params{"number": int64(5000)}},
		{Line: 4, Column: "billing_postal_code", Code: apperr.FieldPostalCode, Message: "must be four digits in Switzerland and Liechtenstein",
			Params: apperr.Params{"country": "CH"}},
		{Line: 5, Column: "number", Code: apperr.FieldDuplicate, Message: "repeats the number of line 4", Params: apperr.Params{"line": int64(4)}},
	}
	if d := cmp.Diff(want, rep.Problems); d != "" {
		t.Errorf("problems (-want +got):\n%s", d)
	}

	// The delivery address columns come together.
	rep, err = env.svc.ImportCustomers(ctx, importer, strings.NewReader(strings.TrimSuffix(header, "\n")+",delivery_town\n"), catalogue.ImportOptions{})
	noErr(t, err)
	if len(rep.Problems) != 4 || rep.Problems[0].Column != "delivery_street" {
		t.Errorf("partial delivery address: %+v", rep.Problems)
	}
}

// The export reads rows as it writes them; 2,000 items come out in SKU
// order with their names resolved, and filters apply.
func TestExportItems(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	try(env.svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Wasser"})).must(t)
	var b strings.Builder
	b.WriteString("sku,name,base_unit,sales_price_unit,category\n")
	for i := range 2000 {
		fmt.Fprintf(&b, "W-%04d,Wasser %d,Flasche,1.%02d,Wasser\n", i, i, i%100)
	}
	noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(b.String()), catalogue.ImportOptions{})))
	w := try(env.svc.ListItems(ctx, catalogue.ListQuery{Q: "W-0007"}, catalogue.ItemFilter{})).must(t).Items[0]
	try(env.svc.ArchiveItem(ctx, clerk, w.ID, 0)).must(t)

	file := export(t, try(env.svc.ExportItems(catalogue.ListQuery{}, comma)))
	lines := strings.Split(strings.TrimSuffix(file, "\r\n"), "\r\n")
	if len(lines) != 2000 { // the header and the 1,999 active items
		t.Fatalf("%d lines", len(lines))
	}
	if !strings.HasPrefix(lines[0], "sku,name,description,category,") || !strings.HasPrefix(lines[1], "W-0000,Wasser 0,,Wasser,") ||
		!strings.HasPrefix(lines[8], "W-0008,") {
		t.Errorf("export starts:\n%s", strings.Join(lines[:9], "\n"))
	}
	if got := export(t, try(env.svc.ExportItems(catalogue.ListQuery{Archived: catalogue.ArchivedOnly}, comma))); strings.Count(got, "\r\n") != 2 {
		t.Errorf("archived only:\n%s", got)
	}
	if got := export(t, try(env.svc.ExportItems(catalogue.ListQuery{Q: "W-1999"}, comma))); !strings.Contains(got, "\r\nW-1999,") || strings.Count(got, "\r\n") > 100 {
		t.Errorf("search:\n%s", got)
	}

	// A writer that gives up stops the export.
	e, err := env.svc.ExportItems(catalogue.ListQuery{}, comma)
	noErr(t, err)
	if err := e(ctx, &failingWriter{after: 10_000}); err == nil || !strings.Contains(err.Error(), "gave up") {
		t.Errorf("export to a failing writer: %v", err)
	}
}

type failingWriter struct{ after int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.after -= len(p); w.after < 0 {
		return 0, fmt.Errorf("writer gave up")
	}
	return len(p), nil
}

var _ io.Writer = (*failingWriter)(nil)

// Not a check of speed (tests never assert times): it logs how long the
// largest file allowed takes to create, to re-import unchanged and to export.
func TestImportMaxRows(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 20,000 items")
	}
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	var b strings.Builder
	b.WriteString("sku,name,base_unit,sales_price_unit,package_unit,package_size,vat_rate\n")
	for i := range catalogue.MaxImportRows {
		fmt.Fprintf(&b, "M-%05d,Mineral %d,Flasche,1.20,Harass,6,2.6\n", i, i)
	}
	start := time.Now()
	rep := noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(b.String()), catalogue.ImportOptions{})))
	created := time.Since(start)
	start = time.Now()
	again := noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(b.String()), catalogue.ImportOptions{})))
	unchanged := time.Since(start)
	start = time.Now()
	file := export(t, try(env.svc.ExportItems(catalogue.ListQuery{}, comma)))
	exported := time.Since(start)
	if rep.Created != catalogue.MaxImportRows || again.Unchanged != catalogue.MaxImportRows || importCount(t, env) != catalogue.MaxImportRows {
		t.Errorf("reports %+v / %+v", countsOf(rep), countsOf(again))
	}
	if n := strings.Count(file, "\r\n"); n != catalogue.MaxImportRows+1 {
		t.Errorf("export has %d lines", n)
	}
	t.Logf("%d rows (%d KiB): created in %v, re-imported unchanged in %v, exported (%d KiB) in %v",
		catalogue.MaxImportRows, b.Len()/1024, created, unchanged, len(file)/1024, exported)
}

// An export in every dialect (semicolon or comma, English or German
// header) imports back into the database without changing anything, with
// prices, percentages and texts that need quoting.
func TestExportReimportsInEveryDialect(t *testing.T) {
	t.Parallel()
	env := newCatalogue(t)
	ctx := context.Background()
	beer := try(env.svc.CreateCategory(ctx, clerk, catalogue.CategoryFields{Name: "Bier; hell"})).must(t)
	brewery := try(env.svc.CreateSupplier(ctx, clerk, catalogue.SupplierFields{Name: "Brauerei, Müller & Söhne",
		Address: catalogue.Address{Street: "Bahnhofstrasse", Town: "Zürich", Country: "CH"}, Notes: "nur\r\ndienstags"})).must(t)
	lager := itemFields("LAG-33", "Lager \"hell\"; 33 cl")
	lager.CategoryID, lager.PreferredSupplierID = &beer.ID, &brewery.ID
	lager.SalesPriceUnit, lager.DepositUnit, lager.VATRateBP = 123450, 30, catalogue.VATReduced
	abv := 48
	lager.ABV, lager.Alcoholic = &abv, true
	try(env.svc.CreateItem(ctx, clerk, lager)).must(t)
	try(env.svc.CreateItem(ctx, clerk, itemFields("=FORMEL", "-minus"))).must(t)
	limited := customerFields("Gasthof Löwen; Bar")
	limited.CreditLimit = ptr(money.Amount(123450))
	try(env.svc.CreateCustomer(ctx, clerk, limited)).must(t)

	dialects := []catalogue.CSVDialect{{}, {German: true}, comma, {Separator: catalogue.SeparatorComma, German: true}}
	for _, d := range dialects {
		items := export(t, try(env.svc.ExportItems(catalogue.ListQuery{}, d)))
		rep := noProblems(t, try(env.svc.ImportItems(ctx, importer, strings.NewReader(items), catalogue.ImportOptions{})))
		if d := cmp.Diff(counts{2, 0, 0, 2}, countsOf(rep)); d != "" {
			t.Errorf("items re-import (-want +got):\n%s\n%s", d, items)
		}
		customers := export(t, try(env.svc.ExportCustomers(catalogue.ListQuery{}, d)))
		rep = noProblems(t, try(env.svc.ImportCustomers(ctx, importer, strings.NewReader(customers), catalogue.ImportOptions{})))
		if d := cmp.Diff(counts{1, 0, 0, 1}, countsOf(rep)); d != "" {
			t.Errorf("customers re-import (-want +got):\n%s\n%s", d, customers)
		}
		suppliers := export(t, try(env.svc.ExportSuppliers(catalogue.ListQuery{}, d)))
		rep = noProblems(t, try(env.svc.ImportSuppliers(ctx, importer, strings.NewReader(suppliers), catalogue.ImportOptions{})))
		if d := cmp.Diff(counts{1, 0, 0, 1}, countsOf(rep)); d != "" {
			t.Errorf("suppliers re-import (-want +got):\n%s\n%s", d, suppliers)
		}
		sep := ";"
		if d.Separator == catalogue.SeparatorComma {
			sep = ","
		}
		header := "sku" + sep + "name" + sep
		if d.German {
			header = "Artikelnummer" + sep + "Name" + sep
		}
		if !strings.HasPrefix(items, header) || !strings.Contains(items, "1234.50") {
			t.Errorf("%+v: items file\n%s", d, items)
		}
	}
}
