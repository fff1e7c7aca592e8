package catalogue

import (
	"bufio"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"

	"github.com/depotix/depotix/services/api/internal/money"
)

func read(t *testing.T, file string) (*csvFile, bool, []ImportProblem) {
	t.Helper()
	var p importProblems
	f, ok, err := readCSV(strings.NewReader(file), itemColumns(), &p)
	if err != nil {
		t.Fatal(err)
	}
	return f, ok, p.report(ImportReport{}, f).Problems
}

func TestReadCSVHeader(t *testing.T) {
	tests := []struct {
		name, file string
		ok         bool
		want       []ImportProblem
	}{
		{"required columns in any order and case", "Base_Unit,SKU, name ,sales_price_unit\n", true, []ImportProblem{}},
		{"byte-order mark", "\uFEFFsku,name,base_unit,sales_price_unit\n", true, []ImportProblem{}},
		{"empty file", "", false, []ImportProblem{{Line: 1, Code: apperr.FieldEmptyFile, Message: "The file is empty; its first line must name the columns."}}},
		{"unknown column", "sku,name,base_unit,sales_price_unit,Colour\n", false,
			[]ImportProblem{{Line: 1, Column: "Colour", Code: apperr.FieldUnknownColumn,
				Message: "is not a column of this file; the columns are: " + columnNames(itemColumns(), false),
				Params:  apperr.Params{"allowed": columnNames(itemColumns(), false)}}}},
		{"twice", "sku,name,base_unit,sales_price_unit,NAME\n", false, []ImportProblem{{Line: 1, Column: "name", Code: apperr.FieldDuplicateColumn, Message: "appears twice"}}},
		// A German file's problems name its columns as the file does.
		{"German header", "Artikelnummer;Name;Grundeinheit;Verkaufspreis pro Einheit;Farbe\n", false,
			[]ImportProblem{{Line: 1, Column: "Farbe", Code: apperr.FieldUnknownColumn,
				Message: "is not a column of this file; the columns are: " + columnNames(itemColumns(), true),
				Params:  apperr.Params{"allowed": columnNames(itemColumns(), true)}}}},
		{"German header, missing", "artikelnummer;Name\n", false, []ImportProblem{
			{Line: 1, Column: "base_unit", Heading: "Grundeinheit", Code: apperr.FieldMissingColumn, Message: "is required: add this column"},
			{Line: 1, Column: "sales_price_unit", Heading: "Verkaufspreis pro Einheit", Code: apperr.FieldMissingColumn, Message: "is required: add this column"}}},
		{"missing required", "sku,name\n", false, []ImportProblem{
			{Line: 1, Column: "base_unit", Code: apperr.FieldMissingColumn, Message: "is required: add this column"},
			{Line: 1, Column: "sales_price_unit", Code: apperr.FieldMissingColumn, Message: "is required: add this column"}}},
		{"nameless", "sku,name,,base_unit,sales_price_unit\n", false, []ImportProblem{{Line: 1, Code: apperr.FieldUnnamedColumn, Message: "Column 3 has no name.",
			Params: apperr.Params{"column": int64(3)}}}},
		// One problem per line and column: the first is the one to fix.
		{"names that are not text", "sku,name,base_unit,sales_price_unit,Pr\xe4is,\"a\x00\"\n", false, []ImportProblem{
			{Line: 1, Code: apperr.FieldInvalidUTF8, Message: "The name of column 5 must be valid UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8).",
				Params: apperr.Params{"column": int64(5)}}}},
		{"a name with a control character", "sku,name,base_unit,sales_price_unit,\"a\x00\"\n", false, []ImportProblem{
			{Line: 1, Code: apperr.FieldControlChar, Message: "The name of column 5 must not contain control characters.",
				Params: apperr.Params{"column": int64(5)}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ok, got := read(t, tt.file)
			if ok != tt.ok {
				t.Errorf("ok = %v", ok)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("problems (-want +got):\n%s", d)
			}
		})
	}
}

func TestReadCSVRows(t *testing.T) {
	const header = "sku,name,base_unit,sales_price_unit\n"
	t.Run("quoting, line breaks and blank rows", func(t *testing.T) {
		f, ok, probs := read(t, header+
			"A-1,\"Bier, hell\",Flasche,1.50\r\n"+
			",,,\n"+
			"\n"+
			"A-2,\"Zwei\nZeilen \"\"mit\"\" Quotes\",Dose,2\n"+
			"A-3, \"Süssmost, trüb\", Flasche, 3\n")
		if !ok || len(probs) != 0 {
			t.Fatalf("ok %v, problems %v", ok, probs)
		}
		type row struct {
			Line  int
			Cells []string
		}
		var got []row
		for _, r := range f.rows {
			got = append(got, row{r.line, r.cells})
		}
		want := []row{
			{2, []string{"A-1", "Bier, hell", "Flasche", "1.50"}},
			{5, []string{"A-2", "Zwei\nZeilen \"mit\" Quotes", "Dose", "2"}},
			{7, []string{"A-3", "Süssmost, trüb", "Flasche", "3"}},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("rows (-want +got):\n%s", d)
		}
	})
	t.Run("bad rows are named and the rest kept", func(t *testing.T) {
		f, ok, probs := read(t, header+"A-1,x,y\nA-2,M\xfcller,Flasche,1\nA-3,ok,Flasche,1\n"+
			"A\x00-4,\"ok\",Flasche\x1b,1\nA-5,\"two\r\nlines\ttabbed\",Flasche,1\nA-6,x\u0085,\uFFFE,1\n")
		want := []ImportProblem{
			{Line: 2, Code: apperr.FieldCellCount, Message: "This line has 3 cells but the header has 4.",
				Params: apperr.Params{"cells": int64(3), "expected": int64(4)}},
			{Line: 3, Column: "name", Code: apperr.FieldInvalidUTF8, Message: "must be valid UTF-8 text; save the file as UTF-8 (in Excel: CSV UTF-8)"},
			{Line: 5, Column: "sku", Code: apperr.FieldControlChar, Message: "must not contain control characters"},
			{Line: 5, Column: "base_unit", Code: apperr.FieldControlChar, Message: "must not contain control characters"},
			{Line: 8, Column: "name", Code: apperr.FieldControlChar, Message: "must not contain control characters"},
			{Line: 8, Column: "base_unit", Code: apperr.FieldControlChar, Message: "must not contain control characters"},
		}
		bad := []bool{true, true, false, true, false, true}
		var gotBad []bool
		for _, r := range f.rows {
			gotBad = append(gotBad, r.bad)
		}
		if d := cmp.Diff(want, probs); d != "" || !ok || !cmp.Equal(bad, gotBad) {
			t.Errorf("ok %v bad rows %v problems (-want +got):\n%s", ok, gotBad, d)
		}
	})
	t.Run("broken quoting stops the reading", func(t *testing.T) {
		_, ok, probs := read(t, header+"A-1,x,y,1\nA-2,\"open,y,1\nA-3,x,y,1\n")
		if ok || len(probs) != 1 || probs[0].Line != 3 || probs[0].Code != apperr.FieldInvalidCSV ||
			!cmp.Equal(probs[0].Params, apperr.Params{"line": int64(4), "column": int64(11)}) || !strings.Contains(probs[0].Message, "not valid CSV") {
			t.Errorf("ok %v problems %v", ok, probs)
		}
	})
	t.Run("row limit", func(t *testing.T) {
		file := func(rows int) string {
			var b strings.Builder
			b.WriteString(header)
			for i := range rows {
				fmt.Fprintf(&b, "S%d,n,p,1\n", i)
			}
			return b.String()
		}
		if _, ok, probs := read(t, file(MaxImportRows)); !ok || len(probs) != 0 {
			t.Errorf("%d rows refused: %v", MaxImportRows, probs)
		}
		_, ok, probs := read(t, file(MaxImportRows+1))
		want := []ImportProblem{{Line: MaxImportRows + 2, Code: apperr.FieldTooManyRows,
			Message: "The file has more than 20000 rows; split it into files of at most 20000 rows.", Params: apperr.Params{"max": int64(MaxImportRows)}}}
		if d := cmp.Diff(want, probs); ok || d != "" {
			t.Errorf("ok %v, problems (-want +got):\n%s", ok, d)
		}
	})
}

func TestReportListsProblemsInFileOrderUpToALimit(t *testing.T) {
	f := &csvFile{present: map[string]int{"sku": 0, "name": 1}}
	var p importProblems
	msg := func(m string) apperr.FieldError { return apperr.InvalidFormat().Because(m) }
	p.add(3, "name", msg("b"))
	p.add(3, "sku", msg("a"))
	p.add(3, "name", msg("second for the same cell"))
	p.add(2, "missing", msg("c"))
	p.add(2, "", msg("d"))
	rep := p.report(ImportReport{Rows: 2, Created: 1, Updated: 1, Unchanged: 1}, f)
	want := ImportReport{Rows: 2, Problems: []ImportProblem{
		{Line: 2, Code: apperr.FieldFormat, Message: "d"}, {Line: 2, Column: "missing", Code: apperr.FieldFormat, Message: "c"},
		{Line: 3, Column: "sku", Code: apperr.FieldFormat, Message: "a"}, {Line: 3, Column: "name", Code: apperr.FieldFormat, Message: "b"},
	}}
	if d := cmp.Diff(want, rep); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}

	p = importProblems{}
	for line := 2; line < 2+maxReportedProblems+5; line++ {
		p.add(line, "sku", msg("x"))
	}
	rep = p.report(ImportReport{}, f)
	last := rep.Problems[len(rep.Problems)-1]
	if len(rep.Problems) != maxReportedProblems+1 || last.Line != 2+maxReportedProblems || !strings.HasPrefix(last.Message, "5 more problems") ||
		last.Code != apperr.FieldMoreProblems || !cmp.Equal(last.Params, apperr.Params{"count": int64(5)}) {
		t.Errorf("%d problems, last %+v", len(rep.Problems), last)
	}
}

func TestCellFormats(t *testing.T) {
	for in, want := range map[string]bool{"true": true, "TRUE": true, "1": true, "yes": true, "Ja": true, " ja ": true,
		"false": false, "0": false, "No": false, "nein": false, "": false} {
		if got, err := parseBool(in); err != nil || got != want {
			t.Errorf("parseBool(%q) = %v, %v", in, got, err)
		}
	}
	for _, bad := range []string{"y", "2", "oui", "wahrscheinlich"} {
		if _, err := parseBool(bad); err == nil {
			t.Errorf("parseBool(%q) accepted", bad)
		}
	}
	for in, want := range map[string]int{"8.1": 810, "8.10": 810, " 2.6 % ": 260, "3.8": 380, "0": 0, "0.0": 0, "": VATStandard} {
		if got, err := ParseVATPercent(in); err != nil || got != want {
			t.Errorf("ParseVATPercent(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"7.7", "8,1", "810", "-8.1", "x"} {
		if _, err := ParseVATPercent(bad); err == nil {
			t.Errorf("ParseVATPercent(%q) accepted", bad)
		}
	}
	for bp, want := range map[int]string{810: "8.1", 260: "2.6", 380: "3.8", 0: "0"} {
		if got := VATPercent(bp); got != want {
			t.Errorf("VATPercent(%d) = %q", bp, got)
		}
	}
	for in, want := range map[string]int{"4.8": 48, "4.8%": 48, "0": 0, "0.0": 0, "12": 120, "100": 1000} {
		if got, err := ParseABVPercent(in); err != nil || got != want {
			t.Errorf("ParseABVPercent(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"4.85", "4,8", "-1", "100.1", "x", ""} {
		if _, err := ParseABVPercent(bad); err == nil {
			t.Errorf("ParseABVPercent(%q) accepted", bad)
		}
	}
	for perMille, want := range map[int]string{48: "4.8", 0: "0.0", 120: "12.0", 5: "0.5"} {
		if got := ABVPercent(perMille); got != want {
			t.Errorf("ABVPercent(%d) = %q", perMille, got)
		}
	}
}

func TestFormulaEscapingRoundTrips(t *testing.T) {
	for _, v := range []string{"", "plain", "=1+1", "+41 44 000 00 00", "-x", "@SUM(A1)", "'", "'quoted", "'=already", "''+two", "a=b", " =x"} {
		out := escapeFormula(v)
		if looksLikeFormula(v) && !strings.HasPrefix(out, "'") {
			t.Errorf("escapeFormula(%q) = %q: a spreadsheet would run it", v, out)
		}
		if back := unescapeFormula(out); back != v {
			t.Errorf("%q → %q → %q", v, out, back)
		}
	}
}

// Every column writes what it reads: a full item, a customer with both
// addresses and a supplier go out through get and back in through set
// unchanged.
func TestColumnsReadWhatTheyWrite(t *testing.T) {
	glass, desc := Glass, "Zeile 1\nZeile 2, mit Komma"
	amount := func(a money.Amount) *money.Amount { return &a }
	item := NamedItem{CategoryName: "Bier", SupplierName: "=Brauerei Müller", Item: Item{ItemFields: ItemFields{
		SKU: "FEL-33", Name: "Feldschlösschen Original", Description: desc, Brand: "Feldschlösschen",
		EANUnit: ptrTo("7610000000016"), EANPackage: ptrTo("07610000000023"), BaseUnit: "Flasche",
		PackageUnit: ptrTo("Harass"), PackageSize: ptrTo(int64(24)), PalletSize: ptrTo(int64(40)),
		SalesPriceUnit: 150, SalesPricePackage: amount(3200), Currency: "CHF", VATRateBP: VATStandard,
		DepositUnit: 30, DepositPackage: 300, Returnable: true, BeverageType: "Lager", Container: &glass,
		VolumeML: ptrTo(330), ABV: ptrTo(48), Alcoholic: true, CountryOfOrigin: ptrTo("CH"),
		MinStock: 48, ReorderQty: 240, PreferredSupplierID: ptrTo(int64(7)),
	}}}
	roundTrip(t, itemColumns(), item, NamedItem{Item: Item{ItemFields: DefaultItemFields(), ID: 1}},
		func(n *NamedItem) { n.ID, n.CategoryID, n.PreferredSupplierID = 0, nil, nil })

	addr := Address{Street: "Bahnhofstrasse", HouseNumber: "1a", PostalCode: "8001", Town: "Zürich", Country: "CH"}
	customer := Customer{Number: 1042, CustomerFields: CustomerFields{Name: "Gasthof Löwen", ContactPerson: "Anna Bär",
		Email: "anna@loewen.example", Phone: "+41 44 000 00 00", BillingAddress: addr,
		DeliveryAddress:  &Address{Street: "Hinterhof", PostalCode: "8002", Town: "Zürich", Country: "CH"},
		PaymentTermsDays: 10, CreditLimit: amount(500000), Currency: "EUR"}}
	roundTrip(t, customerColumns(), customer, Customer{CustomerFields: DefaultCustomerFields()},
		func(c *Customer) { c.Number = 0 })

	supplier := Supplier{ID: 3, SupplierFields: SupplierFields{Name: "Brauerei, \"Müller\" & Söhne", ContactPerson: "-",
		Email: "info@mueller.example", Address: addr, PaymentTermsDays: 0, Notes: "Lieferung\nnur dienstags"}}
	roundTrip(t, supplierColumns(), supplier, Supplier{SupplierFields: DefaultSupplierFields()},
		func(s *Supplier) { s.ID = 0 })
}

// roundTrip writes v as a file with cols in every dialect (semicolon and
// comma, English and German header), reads each file back and applies it
// to blank; keys drops from v what a file only identifies (ids, numbers).
func roundTrip[T any](t *testing.T, cols []csvColumn[T], v T, blank T, keys func(*T)) {
	t.Helper()
	for _, d := range allDialects {
		var buf bytes.Buffer
		if err := writeCSV(&buf, d, cols, func(row func(*T) error) error { return row(&v) }); err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(buf.Bytes(), utf8BOM) {
			t.Errorf("%+v: the file does not start with the byte-order mark", d)
		}
		file := buf.String()
		var p importProblems
		f, ok, err := readCSV(&buf, cols, &p)
		if err != nil || !ok || len(f.rows) != 1 {
			t.Fatalf("%+v: read back: %v %v %v\n%s", d, err, ok, p.list, file)
		}
		got := blank
		applyRow(cols, f, f.rows[0], &got, &p)
		if p.any() {
			t.Fatalf("%+v: problems %v", d, p.list)
		}
		want := v
		keys(&want)
		keys(&got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%+v: round trip (-want +got):\n%s\nfile:\n%s", d, diff, file)
		}
	}
}

// allDialects are the dialects an export writes.
var allDialects = []CSVDialect{
	{}, {German: true},
	{Separator: SeparatorComma}, {Separator: SeparatorComma, German: true},
}

// The header row is in the asked language and separated as asked.
func TestExportHeaderDialects(t *testing.T) {
	header := func(d CSVDialect) string {
		var buf bytes.Buffer
		if err := writeCSV(&buf, d, itemColumns(), func(func(*NamedItem) error) error { return nil }); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	for _, tt := range []struct {
		d    CSVDialect
		want string
	}{
		{CSVDialect{}, "\uFEFFsku;name;description;category;"},
		{CSVDialect{German: true}, "\uFEFFArtikelnummer;Name;Beschreibung;Kategorie;"},
		{CSVDialect{Separator: SeparatorComma}, "\uFEFFsku,name,description,"},
		{CSVDialect{Separator: SeparatorComma, German: true}, "\uFEFFArtikelnummer,Name,Beschreibung,"},
	} {
		if got := header(tt.d); !strings.HasPrefix(got, tt.want) || !strings.HasSuffix(got, "\r\n") {
			t.Errorf("%+v: header %q, want it to start %q", tt.d, got, tt.want)
		}
	}
}

// Every column of every file has a German label, and within a file no
// label stands for two columns (nor is another column's name).
func TestGermanLabelsAreUnique(t *testing.T) {
	check := func(kind string, names []string) {
		seen := map[string]string{}
		for _, n := range names {
			l, ok := germanColumnLabels[n]
			if !ok {
				t.Errorf("%s: column %s has no German label", kind, n)
			}
			for _, key := range []string{n, strings.ToLower(l)} {
				if other, dup := seen[key]; dup && other != n {
					t.Errorf("%s: %q names both %s and %s", kind, key, other, n)
				}
				seen[key] = n
			}
		}
	}
	check("items", strings.Split(columnNames(itemColumns(), false), ", "))
	check("customers", strings.Split(columnNames(customerColumns(), false), ", "))
	check("suppliers", strings.Split(columnNames(supplierColumns(), false), ", "))
}

// The importer reads what spreadsheets save: semicolons or commas told
// apart by the header line, with or without the mark, German labels, and
// numbers with a decimal comma or grouping marks.
func TestImportReadsBothDialects(t *testing.T) {
	base := NamedItem{Item: Item{ItemFields: ItemFields{Currency: "CHF"}}}
	for _, tt := range []struct {
		name, file string
		price      money.Amount
		deposit    money.Amount
		vat        int
		abv        int
		minStock   int64
	}{
		{"semicolons, German labels, decimal commas",
			"Artikelnummer;Name;Grundeinheit;Verkaufspreis pro Einheit;Depot pro Einheit;MWST-Satz;Alkohol (% vol);Mindestbestand\r\n" +
				"LAG-33;Lager;Flasche;1,90;0,30;2,6;4,8;1’200\r\n",
			190, 30, VATReduced, 48, 1200},
		{"mark, semicolons, Swiss grouping",
			"\uFEFFsku;name;base_unit;sales_price_unit;deposit_unit;vat_rate;abv;min_stock\n" +
				"LAG-33;Lager;Flasche;1’234.50;0.3;8.1 %;4.8;1'200\n",
			123450, 30, VATStandard, 48, 1200},
		{"commas, quoted decimal comma",
			"sku,name,base_unit,sales_price_unit,deposit_unit,vat_rate,abv,min_stock\n" +
				"LAG-33,Lager,Flasche,\"1,90\",0.30,0,\"4,8\",12\n",
			190, 30, VATNone, 48, 12},
		{"commas, a quoted header name, whole-number price",
			"\"sku\",name,base_unit,sales_price_unit,deposit_unit,vat_rate,abv,min_stock\n" +
				"LAG-33,Lager,Flasche,2,0,3.8,0,0\n",
			200, 0, VATAccommodation, 0, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var p importProblems
			cols := itemColumns()
			f, ok, err := readCSV(strings.NewReader(tt.file), cols, &p)
			if err != nil || !ok || len(f.rows) != 1 {
				t.Fatalf("read: %v %v %v", err, ok, p.list)
			}
			got := base
			applyRow(cols, f, f.rows[0], &got, &p)
			if p.any() {
				t.Fatalf("problems %v", p.list)
			}
			if got.SKU != "LAG-33" || got.BaseUnit != "Flasche" || got.SalesPriceUnit != tt.price || got.DepositUnit != tt.deposit ||
				got.VATRateBP != tt.vat || got.ABV == nil || *got.ABV != tt.abv || got.MinStock != tt.minStock {
				t.Errorf("read %+v", got.ItemFields)
			}
		})
	}
	// A number that is still not one after that is a problem, as before.
	var p importProblems
	cols := itemColumns()
	f, ok, err := readCSV(strings.NewReader("sku;name;base_unit;sales_price_unit\nA;B;C;1,2,3\n"), cols, &p)
	if err != nil || !ok {
		t.Fatalf("read: %v %v", err, p.list)
	}
	got := base
	applyRow(cols, f, f.rows[0], &got, &p)
	if len(p.list) != 1 || p.list[0].Column != "sales_price_unit" {
		t.Errorf("problems %v, want one for sales_price_unit", p.list)
	}
}

// CSV readers turn CRLF inside a cell into LF; text that differs from the
// stored text only so is no change.
func TestTextKeepsStoredLineBreaks(t *testing.T) {
	col := textCol("notes", func(s *Supplier) *string { return &s.Notes })
	for _, tt := range []struct{ stored, cell, want string }{
		{"a\r\nb", "a\nb", "a\r\nb"},
		{"a\r\nb", "a\nc", "a\nc"},
		{"a\nb", "a\nb", "a\nb"},
		{"", "x", "x"},
	} {
		s := Supplier{SupplierFields: SupplierFields{Notes: tt.stored}}
		if err := col.set(&s, tt.cell); err != nil || s.Notes != tt.want {
			t.Errorf("stored %q, cell %q: got %q, %v", tt.stored, tt.cell, s.Notes, err)
		}
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestDetectSeparator(t *testing.T) {
	for _, tt := range []struct {
		first string
		want  rune
	}{
		{"sku;name;base_unit\r\nA,1;B;C\r\n", ';'},
		{"sku,name,base_unit\nA;1,B,C\n", ','},
		{`"a;b;c",name` + "\n", ','}, // separators inside quotes do not count
		{"sku\n", ','},
		{"", ','},
	} {
		if got := detectSeparator(bufio.NewReader(strings.NewReader(tt.first))); got != tt.want {
			t.Errorf("%q: %q, want %q", tt.first, got, tt.want)
		}
	}
}

// A German file writes coded values in words (yes/no, containers), which
// every import reads back (TestColumnsReadWhatTheyWrite); an English one
// keeps the codes.
func TestGermanFileWritesWords(t *testing.T) {
	glass := Glass
	item := NamedItem{Item: Item{ItemFields: ItemFields{SKU: "A", Name: "A", BaseUnit: "Flasche", Returnable: true,
		Container: &glass}}}
	for d, want := range map[CSVDialect][]string{
		{German: true}: {";ja;", ";Glas;", ";nein;"},
		{}:             {";true;", ";glass;", ";false;"},
	} {
		var buf bytes.Buffer
		if err := writeCSV(&buf, d, itemColumns(), func(row func(*NamedItem) error) error { return row(&item) }); err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("%+v: %q not in\n%s", d, w, buf.String())
			}
		}
	}
}
