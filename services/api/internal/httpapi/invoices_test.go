package httpapi_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/pdftest"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// testRenderers stand in for salespdf's: a small PDF-looking file naming
// the document, so a test sees which bytes were stored and served.
var testRenderers = invoices.Renderers{
	Invoice: func(salespdf.Invoice) (invoices.FinishInvoice, error) {
		return func(number string, _ qrbill.Bill) ([]byte, error) { return testPDF(number), nil }, nil
	},
	CreditNote: func(salespdf.CreditNote) (invoices.FinishCreditNote, error) {
		return func(number string) ([]byte, error) { return testPDF(number), nil }, nil
	},
}

func (en *env) renderers() invoices.Renderers {
	if en.render != nil {
		return *en.render
	}
	return testRenderers
}

func testPDF(number string) []byte { return []byte("%PDF-1.7\n% " + number + "\n%%EOF\n") }

type invoiceOut struct {
	ID          int64    `json:"id"`
	Number      string   `json:"number"`
	Status      string   `json:"status"`
	Payable     string   `json:"payable"`
	Paid        string   `json:"paid"`
	Outstanding string   `json:"outstanding"`
	Overpaid    string   `json:"overpaid"`
	OrderIDs    []int64  `json:"order_ids"`
	Payments    []any    `json:"payments"`
	CreditNotes []any    `json:"credit_notes"`
	OrderNums   []string `json:"order_numbers"`
	QRBill      struct {
		ReferenceType string `json:"reference_type"`
		Reference     string `json:"reference"`
		Payload       string `json:"payload"`
	} `json:"qr_bill"`
	Pdf struct {
		URL string `json:"url"`
	} `json:"pdf"`
}

func (en *env) exec(sql string, args ...any) {
	en.t.Helper()
	if _, err := en.pool.Exec(en.t.Context(), sql, args...); err != nil {
		en.t.Fatalf("%s: %v", sql, err)
	}
}

// salesDepot makes a complete company profile (a normal IBAN), an item in
// stock and returns a function that takes an order of a customer through
// to the status wanted ("DRAFT", "CONFIRMED" or "DELIVERED").
func salesDepot(t *testing.T, en *env) (order func(customer int64, status string) int64, loc record) {
	t.Helper()
	item, loc, sup := depot(t, en)
	clerk := en.tokens[auth.RoleClerk]
	en.exec(`UPDATE organisation SET name = 'Getränke Müller GmbH', street = 'Industriestrasse', building_number = '7a',
		postal_code = '8400', town = 'Winterthur', country = 'CH', iban = 'CH5800791123000889012'`)
	if _, r := en.book(clerk, map[string]any{"type": "receipt", "item_id": item.ID, "location_id": loc.ID,
		"quantity": 10, "unit": "pallet", "supplier_id": sup.ID}, nil); r.Status != 201 {
		t.Fatalf("receipt: %d %s", r.Status, r.Body)
	}
	return func(customer int64, status string) int64 {
		t.Helper()
		r := en.do(req{method: "POST", path: "/api/v1/orders", token: clerk, body: map[string]any{"customer_id": customer,
			"location_id": loc.ID, "lines": []map[string]any{{"item_id": item.ID, "quantity": 2, "unit": "package"}}}})
		var o orderOut
		r.decode(t, &o)
		if r.Status != 201 {
			t.Fatalf("order: %d %s", r.Status, r.Body)
		}
		for _, step := range []struct{ action, until string }{{"confirm", "DRAFT"}, {"deliver", "CONFIRMED"}} {
			if status == step.until {
				break
			}
			var body any
			if step.action == "deliver" {
				body = map[string]any{}
			}
			if r := en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/orders/%d/%s", o.ID, step.action), token: clerk, body: body}); r.Status != 200 {
				t.Fatalf("%s: %d %s", step.action, r.Status, r.Body)
			}
		}
		return o.ID
	}, loc
}

// Issue, download, pay and credit over HTTP; every bad input of the
// issue's list is a 4xx naming the field and writes nothing.
func TestInvoicesOverHTTP(t *testing.T) {
	en := newEnv(t)
	order, loc := salesDepot(t, en)
	clerk, mgr, viewer := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager], en.tokens[auth.RoleViewer]
	address := map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}
	krone, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone", "billing_address": address})
	baeren, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Gasthof Bären", "billing_address": address})
	// A name the QR bill cannot print (written directly: the customer
	// form's own rules are not the QR bill's).
	var odd int64
	if err := en.pool.QueryRow(t.Context(), `INSERT INTO customers (name, billing_postal_code, billing_town)
		VALUES ('Bar 酒場', '8001', 'Zürich') RETURNING id`).Scan(&odd); err != nil {
		t.Fatal(err)
	}
	mine, theirs := order(krone.ID, "DELIVERED"), order(baeren.ID, "DELIVERED")
	draft, confirmed, oddOrder := order(krone.ID, "DRAFT"), order(krone.ID, "CONFIRMED"), order(odd, "DELIVERED")

	issue := func(token string, body map[string]any, header map[string]string) response {
		t.Helper()
		return en.do(req{method: "POST", path: "/api/v1/invoices", token: token, body: body, header: header})
	}
	nothingWritten := func(what string) {
		t.Helper()
		if n := en.count("SELECT count(*) FROM invoices") + en.count("SELECT last FROM document_numbers WHERE kind = 'invoice'") +
			en.count("SELECT count(*) FROM files WHERE owner_kind = 'invoice'") + en.count("SELECT count(*) FROM orders WHERE status = 'INVOICED'"); n != 0 {
			t.Errorf("%s wrote something (%d)", what, n)
		}
	}
	for _, tc := range []struct {
		name   string
		setup  string
		body   map[string]any
		status int
		field  string
		code   string
	}{
		{"foreign customer", "", map[string]any{"order_ids": []int64{mine, theirs}}, 422, "order_ids[1]", "not_allowed"},
		{"draft", "", map[string]any{"order_ids": []int64{draft}}, 409, "", ""},
		{"confirmed", "", map[string]any{"order_ids": []int64{confirmed}}, 409, "", ""},
		{"unknown order", "", map[string]any{"order_ids": []int64{mine + 1000}}, 422, "order_ids[0]", "not_found"},
		{"no orders", "", map[string]any{"order_ids": []int64{}}, 422, "order_ids", "too_few"},
		{"character outside the set", "", map[string]any{"order_ids": []int64{oddOrder}}, 422, "customer.name", "invalid_character"},
		{"future date", "", map[string]any{"order_ids": []int64{mine}, "date": "2999-01-01"}, 422, "date", "in_future"},
		{"incomplete profile", "UPDATE organisation SET iban = ''", map[string]any{"order_ids": []int64{mine}}, 409, "company.iban", "required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.setup != "" {
				en.exec(tc.setup)
				defer en.exec("UPDATE organisation SET iban = 'CH5800791123000889012'")
			}
			r := issue(mgr, tc.body, nil)
			var e errorOut
			r.decode(t, &e)
			if r.Status != tc.status || (tc.field != "" && e.Error.Fields[tc.field].Code != tc.code) {
				t.Errorf("%d %s, want %d with %s %s", r.Status, r.Body, tc.status, tc.field, tc.code)
			}
			nothingWritten(tc.name)
		})
	}
	if r := issue(clerk, map[string]any{"order_ids": []int64{mine}}, nil); r.Status != 403 {
		t.Errorf("a clerk issued: %d", r.Status)
	}

	// Issued, replayed under its key, refused under the key with another body.
	key := map[string]string{"Idempotency-Key": "inv-1"}
	r := issue(mgr, map[string]any{"order_ids": []int64{mine}}, key)
	again := issue(mgr, map[string]any{"order_ids": []int64{mine}}, key)
	var inv invoiceOut
	r.decode(t, &inv)
	if r.Status != 201 || again.Status != 201 || string(again.Body) != string(r.Body) {
		t.Fatalf("issue and replay: %d %d %s", r.Status, again.Status, again.Body)
	}
	if inv.Number != "RE000001" || inv.Status != "open" || inv.QRBill.ReferenceType != "SCOR" ||
		!strings.HasPrefix(inv.QRBill.Payload, "SPC\n0200\n1\nCH5800791123000889012\n") || len(inv.OrderIDs) != 1 {
		t.Errorf("invoice = %s", r.Body)
	}
	if r := issue(mgr, map[string]any{"order_ids": []int64{theirs}}, key); r.Status != 409 || r.errorCode() != "idempotency_mismatch" {
		t.Errorf("same key, other body: %d %s", r.Status, r.Body)
	}
	if r := issue(mgr, map[string]any{"order_ids": []int64{mine}}, nil); r.Status != 409 {
		t.Errorf("an INVOICED order invoiced again: %d %s", r.Status, r.Body)
	}

	// A QR-IBAN makes the next invoice carry a QR reference.
	en.exec("UPDATE organisation SET iban = 'CH4431999123000889012'")
	r = issue(mgr, map[string]any{"order_ids": []int64{theirs}}, nil)
	var qr invoiceOut
	r.decode(t, &qr)
	if r.Status != 201 || qr.QRBill.ReferenceType != "QRR" || len(qr.QRBill.Reference) != 27 {
		t.Errorf("QR-IBAN invoice: %d %s", r.Status, r.Body)
	}

	// The PDF, byte-identical, to every reader, with the files' headers.
	pdfPath := fmt.Sprintf("/api/v1/invoices/%d/pdf", inv.ID)
	pdf := en.do(req{method: "GET", path: pdfPath, token: viewer})
	if pdf.Status != 200 || string(pdf.Body) != string(testPDF("RE000001")) || pdf.Header.Get("Content-Type") != "application/pdf" ||
		!strings.Contains(pdf.Header.Get("Content-Disposition"), "RE000001.pdf") || pdf.Header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.Contains(pdf.Header.Get("Content-Security-Policy"), "sandbox") || pdf.Header.Get("ETag") == "" {
		t.Fatalf("pdf: %d %v %q", pdf.Status, pdf.Header, pdf.Body)
	}
	if r := en.do(req{method: "GET", path: pdfPath, token: viewer, header: map[string]string{"If-None-Match": pdf.Header.Get("ETag")}}); r.Status != 304 || len(r.Body) != 0 {
		t.Errorf("conditional download: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: pdfPath, token: viewer, header: map[string]string{"If-None-Match": `"stale"`}}); r.Status != 200 || string(r.Body) != string(pdf.Body) {
		t.Errorf("download with a stale tag: %d", r.Status)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/invoices/999999/pdf", token: viewer}); r.Status != 404 || r.errorCode() != "not_found" {
		t.Errorf("missing invoice's pdf: %d %s", r.Status, r.Body)
	}
	// A stored PDF never changes: a repeated download comes from memory,
	// with the same bytes and headers, and stays there across writes;
	// "no-cache" reads it from the database.
	en.create(clerk, "/api/v1/customers", map[string]any{"name": "Kiosk am Bahnhof", "billing_address": address})
	for _, h := range []map[string]string{nil, {"Cache-Control": "no-cache"}} {
		r := en.do(req{method: "GET", path: pdfPath, token: viewer, header: h})
		want := "depotix-api; hit"
		if h != nil {
			want = "depotix-api; fwd=miss"
		}
		if r.Status != 200 || cacheStatus(r) != want || string(r.Body) != string(pdf.Body) {
			t.Errorf("download after a write, %v: %d, Cache-Status %q", h, r.Status, cacheStatus(r))
		}
		for _, name := range []string{"Content-Type", "Content-Disposition", "ETag", "Content-Security-Policy", "Cache-Control"} {
			if r.Header.Get(name) != pdf.Header.Get(name) {
				t.Errorf("download after a write, %v: %s %q, first %q", h, name, r.Header.Get(name), pdf.Header.Get(name))
			}
		}
	}

	// Payments: bad amounts and dates are refused naming the field.
	payPath := fmt.Sprintf("/api/v1/invoices/%d/payments", inv.ID)
	today := en.clock.now().Format("2006-01-02")
	for _, tc := range []struct{ amount, date, field, code string }{
		{"-5.00", today, "amount", "too_small"},
		{"0", today, "amount", "too_small"},
		{"99999999999999.00", today, "amount", "invalid_amount"},
		{"12.345", today, "amount", "invalid_amount"},
		{"10.00", "2999-01-01", "date", "in_future"},
	} {
		r := en.do(req{method: "POST", path: payPath, token: mgr, body: map[string]any{"amount": tc.amount, "date": tc.date}})
		var e errorOut
		r.decode(t, &e)
		if r.Status != 422 || e.Error.Fields[tc.field].Code != tc.code {
			t.Errorf("payment %s on %s: %d %s, want %s %s", tc.amount, tc.date, r.Status, r.Body, tc.field, tc.code)
		}
	}
	stale := en.do(req{method: "POST", path: payPath, token: mgr, body: map[string]any{"amount": "10.00", "date": today},
		header: map[string]string{"If-Match": `"99"`}})
	if stale.Status != 412 || stale.errorCode() != "precondition_failed" {
		t.Errorf("payment on a stale invoice: %d %s", stale.Status, stale.Body)
	}
	if n := en.count("SELECT count(*) FROM payments"); n != 0 {
		t.Fatalf("refused payments wrote %d", n)
	}
	pay := func(amount string) invoiceOut {
		t.Helper()
		r := en.do(req{method: "POST", path: payPath, token: mgr, body: map[string]any{"amount": amount, "date": today, "note": "Bank"}})
		var out invoiceOut
		r.decode(t, &out)
		if r.Status != 201 {
			t.Fatalf("payment %s: %d %s", amount, r.Status, r.Body)
		}
		return out
	}
	got := pay("20.00")
	if got.Status != "partially_paid" || got.Paid != "20.00" || len(got.Payments) != 1 {
		t.Errorf("after 20.00: %+v", got)
	}
	// The rest and one franc more: paid, overpaid flagged, the order PAID.
	var rest, payable float64
	fmt.Sscan(got.Outstanding, &rest)
	fmt.Sscan(got.Payable, &payable)
	got = pay(fmt.Sprintf("%.2f", rest+1))
	if got.Status != "paid" || got.Overpaid != "1.00" || got.Outstanding != "-1.00" {
		t.Errorf("after the rest: %+v", got)
	}
	var o orderOut
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/orders/%d", mine), token: viewer}).decode(t, &o)
	if o.Status != "PAID" {
		t.Errorf("order after payment: %s", o.Status)
	}

	// Credit notes: too much, a return without a place, then one crate back into stock.
	cnPath := fmt.Sprintf("/api/v1/invoices/%d/credit-notes", inv.ID)
	for _, tc := range []struct {
		body        map[string]any
		field, code string
	}{
		{map[string]any{"lines": []map[string]any{{"line": 0, "quantity": 3}}}, "lines[0].quantity", "out_of_range"},
		{map[string]any{"lines": []map[string]any{{"line": 5, "quantity": 1}}}, "lines[0].line", "out_of_range"},
		{map[string]any{"lines": []map[string]any{{"line": 0, "quantity": 1}}, "return_goods": true}, "location_id", "required_with"},
	} {
		r := en.do(req{method: "POST", path: cnPath, token: mgr, body: tc.body})
		var e errorOut
		r.decode(t, &e)
		if r.Status != 422 || e.Error.Fields[tc.field].Code != tc.code {
			t.Errorf("credit note %v: %d %s", tc.body, r.Status, r.Body)
		}
	}
	if n := en.count("SELECT count(*) FROM credit_notes") + en.count("SELECT last FROM document_numbers WHERE kind = 'credit_note'"); n != 0 {
		t.Fatalf("refused credit notes wrote %d", n)
	}
	r = en.do(req{method: "POST", path: cnPath, token: mgr, body: map[string]any{"lines": []map[string]any{{"line": 0, "quantity": 1}},
		"return_goods": true, "location_id": loc.ID, "reason": "Harass beschädigt"}})
	var cn struct {
		ID          int64   `json:"id"`
		Number      string  `json:"number"`
		MovementIDs []int64 `json:"movement_ids"`
		Totals      struct {
			Payable string `json:"payable"`
		} `json:"totals"`
	}
	r.decode(t, &cn)
	if r.Status != 201 || cn.Number != "GS000001" || len(cn.MovementIDs) != 1 || !strings.HasPrefix(cn.Totals.Payable, "-") {
		t.Fatalf("credit note: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/credit-notes/%d/pdf", cn.ID), token: viewer}); r.Status != 200 ||
		string(r.Body) != string(testPDF("GS000001")) {
		t.Errorf("credit note pdf: %d", r.Status)
	}
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/invoices/%d", inv.ID), token: viewer}).decode(t, &got)
	if len(got.CreditNotes) != 1 || len(got.Payments) != 2 {
		t.Errorf("invoice detail: %+v", got)
	}

	// Lists: by state and by number prefix.
	var list struct {
		Items []invoiceOut `json:"items"`
		Total int          `json:"total"`
	}
	en.do(req{method: "GET", path: "/api/v1/invoices?status=paid", token: viewer}).decode(t, &list)
	if list.Total != 1 || list.Items[0].Number != "RE000001" {
		t.Errorf("paid list: %+v", list)
	}
	en.do(req{method: "GET", path: "/api/v1/invoices?status=open&status=overdue", token: viewer}).decode(t, &list)
	if list.Total != 1 || list.Items[0].Number != "RE000002" {
		t.Errorf("open list: %+v", list)
	}
	en.do(req{method: "GET", path: "/api/v1/invoices?q=re000002", token: viewer}).decode(t, &list)
	if list.Total != 1 {
		t.Errorf("search by number: %+v", list)
	}
	if r := en.do(req{method: "GET", path: "/api/v1/invoices?status=later", token: viewer}); r.Status != 422 && r.Status != 400 {
		t.Errorf("unknown status: %d", r.Status)
	}
}

// multipartFile is a multipart/form-data body with one file part.
func multipartFile(t *testing.T, field, name string, content []byte) (string, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, err := w.CreateFormFile(field, name)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(content)
	w.Close()
	return b.String(), w.FormDataContentType()
}

// The end of the flow over HTTP: a camt.054 with the invoice's QR
// reference pays it; the same file again books nothing and says so; a
// credit without reference is listed as unmatched and assigned by hand.
func TestBankImportOverHTTP(t *testing.T) {
	en := newEnv(t)
	order, _ := salesDepot(t, en)
	clerk, mgr, viewer := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager], en.tokens[auth.RoleViewer]
	en.exec("UPDATE organisation SET iban = 'CH4431999123000889012'")
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"postal_code": "3000", "town": "Bern"}})
	var a, b invoiceOut
	for _, inv := range []*invoiceOut{&a, &b} {
		r := en.do(req{method: "POST", path: "/api/v1/invoices", token: mgr, body: map[string]any{"order_ids": []int64{order(cust.ID, "DELIVERED")}}})
		r.decode(t, inv)
		if r.Status != 201 {
			t.Fatalf("issue: %d %s", r.Status, r.Body)
		}
	}
	file := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm><Acct><Id><IBAN>CH4431999123000889012</IBAN></Id></Acct>
<Ntry><Amt Ccy="CHF">%[1]s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-06</Dt></BookgDt>
<AcctSvcrRef>E-1</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>TX-1</AcctSvcrRef></Refs><Amt Ccy="CHF">%[1]s</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><RmtInf><Strd><CdtrRefInf><Tp><CdOrPrtry><Prtry>QRR</Prtry></CdOrPrtry></Tp><Ref>%[2]s</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls></Ntry>
<Ntry><Amt Ccy="CHF">5.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts><BookgDt><Dt>2026-12-06</Dt></BookgDt>
<AcctSvcrRef>E-2</AcctSvcrRef><NtryDtls><TxDtls><Refs><AcctSvcrRef>TX-2</AcctSvcrRef></Refs><Amt Ccy="CHF">5.00</Amt>
<CdtDbtInd>CRDT</CdtDbtInd><RmtInf><Ustrd>Rechnung vom Dezember</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>
</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`, a.Payable, a.QRBill.Reference)
	upload := func(content string) response {
		t.Helper()
		body, ct := multipartFile(t, "file", "camt054.xml", []byte(content))
		return en.do(req{method: "POST", path: "/api/v1/bank-imports", token: mgr, body: body, header: map[string]string{"Content-Type": ct}})
	}
	if r := upload("<Document/>"); r.Status != 422 || r.errorCode() != "validation_failed" {
		t.Errorf("not camt: %d %s", r.Status, r.Body)
	}
	var imp struct {
		ID         int64 `json:"id"`
		Repeated   bool  `json:"repeated"`
		Credits    int   `json:"credits"`
		Duplicates int   `json:"duplicates"`
		Entries    []struct {
			ID            int64  `json:"id"`
			Status        string `json:"status"`
			Reason        string `json:"reason"`
			InvoiceNumber string `json:"invoice_number"`
		} `json:"entries"`
	}
	r := upload(file)
	r.decode(t, &imp)
	if r.Status != 201 || imp.Credits != 2 || imp.Entries[0].Status != "matched" || imp.Entries[0].InvoiceNumber != a.Number ||
		imp.Entries[1].Status != "unmatched" || imp.Entries[1].Reason != "no_reference" {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	var got invoiceOut
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/invoices/%d", a.ID), token: viewer}).decode(t, &got)
	if got.Status != "paid" {
		t.Errorf("invoice after the import: %s", got.Status)
	}
	r = upload(file)
	r.decode(t, &imp)
	if r.Status != 201 || !imp.Repeated || imp.Credits != 0 || imp.Duplicates != 2 {
		t.Errorf("second import: %d %s", r.Status, r.Body)
	}
	var list struct {
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	en.do(req{method: "GET", path: "/api/v1/bank-credits?status=unmatched", token: viewer}).decode(t, &list)
	if len(list.Items) != 1 {
		t.Fatalf("unmatched credits: %+v", list)
	}
	assign := fmt.Sprintf("/api/v1/bank-credits/%d/assign", list.Items[0].ID)
	if r := en.do(req{method: "POST", path: assign, token: mgr, body: map[string]any{"invoice_id": b.ID}}); r.Status != 200 {
		t.Errorf("assign: %d %s", r.Status, r.Body)
	}
	if r := en.do(req{method: "POST", path: assign, token: mgr, body: map[string]any{"invoice_id": b.ID}}); r.Status != 409 {
		t.Errorf("assign twice: %d %s", r.Status, r.Body)
	}
	en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/invoices/%d", b.ID), token: viewer}).decode(t, &got)
	if got.Paid != "5.00" || got.Status != "partially_paid" {
		t.Errorf("invoice after the assignment: %+v", got)
	}
}

// With salespdf's renderer wired as in the api: the stored invoice is a PDF
// whose text has the number, the customer and the amount, served the same
// bytes every time; a sample is left for people to look at.
func TestInvoicePDFRenderedOverHTTP(t *testing.T) {
	en := newEnv(t)
	render := invoices.PDFRenderers()
	en.render = &render
	en.rebuild(en.feed)
	order, _ := salesDepot(t, en)
	clerk, mgr := en.tokens[auth.RoleClerk], en.tokens[auth.RoleManager]
	cust, _ := en.create(clerk, "/api/v1/customers", map[string]any{"name": "Restaurant Krone",
		"billing_address": map[string]any{"street": "Hauptgasse", "house_number": "1", "postal_code": "3000", "town": "Bern"}})
	r := en.do(req{method: "POST", path: "/api/v1/invoices", token: mgr, body: map[string]any{"order_ids": []int64{order(cust.ID, "DELIVERED")}}})
	var inv invoiceOut
	r.decode(t, &inv)
	if r.Status != 201 {
		t.Fatalf("issue: %d %s", r.Status, r.Body)
	}
	path := fmt.Sprintf("/api/v1/invoices/%d/pdf", inv.ID)
	first, second := en.do(req{method: "GET", path: path, token: mgr}), en.do(req{method: "GET", path: path, token: mgr})
	if first.Status != 200 || !bytes.HasPrefix(first.Body, []byte("%PDF-")) || !bytes.Equal(first.Body, second.Body) {
		t.Fatalf("pdf: %d, %d bytes, identical %v", first.Status, len(first.Body), bytes.Equal(first.Body, second.Body))
	}
	dir := filepath.Join(os.TempDir(), "depotix-samples")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "issued-invoice.pdf")
	pdftest.Write(t, file, first.Body)
	pdftotext := pdftest.RequireTool(t, "pdftotext", "poppler-utils")
	text := pdftest.Run(t, pdftotext, "-layout", file, "-")
	for _, want := range []string{inv.Number, "Restaurant Krone", "Getränke Müller GmbH", "Hauptgasse"} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	if !strings.Contains(strings.ReplaceAll(text, "'", ""), inv.Payable) {
		t.Errorf("the PDF's text lacks the amount %s:\n%s", inv.Payable, text)
	}

	r = en.do(req{method: "POST", path: fmt.Sprintf("/api/v1/invoices/%d/credit-notes", inv.ID), token: mgr,
		body: map[string]any{"full": true, "reason": "Falsche Lieferung"}})
	var cn struct {
		ID     int64  `json:"id"`
		Number string `json:"number"`
	}
	r.decode(t, &cn)
	if r.Status != 201 {
		t.Fatalf("credit note: %d %s", r.Status, r.Body)
	}
	pdf := en.do(req{method: "GET", path: fmt.Sprintf("/api/v1/credit-notes/%d/pdf", cn.ID), token: mgr})
	file = filepath.Join(dir, "issued-credit-note.pdf")
	pdftest.Write(t, file, pdf.Body)
	text = pdftest.Run(t, pdftotext, "-layout", file, "-")
	for _, want := range []string{cn.Number, inv.Number, "Falsche Lieferung", "Restaurant Krone"} {
		if !strings.Contains(text, want) {
			t.Errorf("the credit note's text lacks %q:\n%s", want, text)
		}
	}
}
