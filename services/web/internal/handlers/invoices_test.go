package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func startInvoices(t *testing.T, role string) (*invoicesAPI, *browser) {
	t.Helper()
	api := newInvoicesAPI()
	api.set(func(a *fakeAPI) { a.user.Role = role })
	b := newBrowser(t, startWeb(t, api, 2*time.Second))
	b.signIn()
	return api, b
}

// A delivered order is invoiced from its page by a manager, with the
// page's Idempotency-Key; a clerk is not offered it.
func TestInvoiceIssueFromOrderPage(t *testing.T) {
	api, b := startInvoices(t, "manager")
	id := api.addOrder("DELIVERED", [3]any{1, "package", 3})
	p := b.get("/orders/" + itoaTest(int(id)))
	if !p.has("order-invoice") {
		t.Fatalf("a manager is not offered the invoice\n%s", p.body)
	}
	form := formOf(t, p, "order-invoice-form")
	r := b.post("/invoices", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/invoices/1" {
		t.Fatalf("issue = %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	bodies, _, keys := api.invoiceSent("POST /api/v1/invoices")
	if len(bodies) != 1 || toInt(bodies[0]["order_ids"].([]any)[0]) != id || keys[0] == "" || keys[0] != form.Get("_idempotency_key") {
		t.Errorf("sent %v with key %v (form's %q)", bodies, keys, form.Get("_idempotency_key"))
	}
	if r := b.get("/invoices/1"); r.text("invoice-title") != "Invoice RE000001" || !strings.Contains(r.text("flash"), "Invoice RE000001 issued.") {
		t.Errorf("invoice page %q, flash %q", r.text("invoice-title"), r.text("flash"))
	}

	capi, clerk := startInvoices(t, "clerk")
	capi.addOrder("DELIVERED", [3]any{1, "package", 3})
	if p := clerk.get("/orders/1"); p.status != http.StatusOK || p.has("order-invoice") {
		t.Errorf("clerk's order page = %d, offers the invoice: %v", p.status, p.has("order-invoice"))
	}
}

// An issue refused for an incomplete company profile names the missing
// fields by label, in the person's language, and links the profile; the
// order's page stays.
func TestInvoiceIssueNeedsProfile(t *testing.T) {
	for _, tc := range []struct{ lang, want string }{
		{"en", "The company profile lacks what the QR bill needs: IBAN, Town."},
		{"de", "Dem Firmenprofil fehlt, was der QR-Einzahlungsschein braucht: IBAN, Ort."},
	} {
		api, b := startInvoices(t, "manager")
		b.get("/")
		b.post("/prefs/language", url.Values{"lang": {tc.lang}, "next": {"/"}})
		api.im.Lock()
		api.incomplete = true
		api.im.Unlock()
		api.addOrder("DELIVERED", [3]any{1, "package", 3})
		p := b.get("/orders/1")
		r := b.post("/invoices", formOf(t, p, "order-invoice-form"))
		if r.status != http.StatusConflict || !strings.Contains(r.text("order-action-error-summary"), tc.want) ||
			r.doc.Find(`[data-testid="invoice-issue-profile"] a`).AttrOr("href", "") != "/settings/company" {
			t.Errorf("%s: %d summary %q\n", tc.lang, r.status, r.text("order-action-error-summary"))
		}
		if strings.Contains(r.body, "company.iban") {
			t.Errorf("%s: the page shows the api's field name", tc.lang)
		}
	}
}

// /invoices/new lists the delivered orders; one of another customer is
// refused beside its row, and nothing ticked is refused before the api.
func TestInvoiceNewRefusal(t *testing.T) {
	api, b := startInvoices(t, "manager")
	api.addOrder("DELIVERED", [3]any{1, "package", 3})
	api.addOrder("DELIVERED", [3]any{1, "package", 1})
	p := b.get("/invoices/new")
	if p.status != http.StatusOK || !p.has("invoice-new-order-1") || !p.has("invoice-new-order-2") {
		t.Fatalf("new = %d\n%s", p.status, p.body)
	}
	q := api.queriesOf("/api/v1/orders")
	if len(q) == 0 || q[len(q)-1].Get("status") != "DELIVERED" {
		t.Errorf("orders asked with %v", q)
	}
	form := formOf(t, p, "invoice-new-form")
	r := b.post("/invoices", form)
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text("invoice-issue-error-summary"), "Choose at least one order.") {
		t.Errorf("nothing ticked = %d %q", r.status, r.text("invoice-issue-error-summary"))
	}
	if _, _, keys := api.invoiceSent("POST /api/v1/invoices"); len(keys) != 0 {
		t.Errorf("the api was asked with nothing ticked")
	}
	form.Add("order_id", "1")
	form.Add("order_id", "2")
	r = b.post("/invoices", form)
	summary := r.text("invoice-issue-error-summary")
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(summary, "This order belongs to another customer or currency.") ||
		r.doc.Find(`[data-testid="invoice-issue-error-summary"] a[href="#invoice-new-order-2"]`).Length() != 1 {
		t.Errorf("foreign order = %d %q\n", r.status, summary)
	}
	if !r.doc.Find(`[data-testid="invoice-new-order-1"]`).Is("[checked]") {
		t.Error("the ticked orders are not kept")
	}
}

// The invoice's page shows the snapshot and account; a payment is sent
// with the page's version and key, an amount that is no number is caught
// before the api; the PDF streams with the api's headers.
func TestInvoicePageAndPayment(t *testing.T) {
	api, b := startInvoices(t, "manager")
	p := b.get("/invoices/1")
	for id, want := range map[string]string{"invoice-payable": "CHF 107.05", "invoice-outstanding": "CHF 107.05",
		"doc-vat-810": "CHF 6.42", "doc-rounding": "CHF 0.03", "invoice-reference": "RF18RE000001",
		"invoice-order-1": "LS-2026-0001", "invoice-status": "Open"} {
		if got := p.text(id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	if !strings.Contains(p.text("doc-lines"), "3 crates") || !strings.Contains(p.text("doc-empties"), "1 crate") {
		t.Errorf("lines %q empties %q", p.text("doc-lines"), p.text("doc-empties"))
	}
	form := formOf(t, p, "payment-form")
	if form.Get("amount") != "107.05" || form.Get("version") != `"1"` {
		t.Errorf("payment form amount %q version %q", form.Get("amount"), form.Get("version"))
	}
	form.Set("amount", "abc")
	if r := b.post("/invoices/1/payments", form); r.status != http.StatusUnprocessableEntity || r.text("error-payment-amount") == "" {
		t.Errorf("abc = %d %q", r.status, r.text("error-payment-amount"))
	}
	form.Set("amount", "1’07.05")
	form.Set("date", "2026-12-05")
	r := b.post("/invoices/1/payments", form)
	if r.status != http.StatusSeeOther {
		t.Fatalf("payment = %d\n%s", r.status, r.body)
	}
	bodies, ifMatch, keys := api.invoiceSent("POST /api/v1/invoices/1/payments")
	if len(bodies) != 1 || bodies[0]["amount"] != "107.05" || bodies[0]["date"] != "2026-12-05" || ifMatch[0] != `"1"` ||
		keys[0] != form.Get("_idempotency_key") {
		t.Errorf("sent %v if-match %v keys %v", bodies, ifMatch, keys)
	}
	if p := b.get("/invoices/1"); p.text("invoice-status") != "Paid" {
		t.Errorf("after paying: %q", p.text("invoice-status"))
	}

	pdf := b.get("/invoices/1.pdf")
	if pdf.status != 200 || pdf.body != "%PDF-fake" || pdf.header.Get("Content-Type") != "application/pdf" ||
		pdf.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("pdf = %d %q %v", pdf.status, pdf.body, pdf.header)
	}
	if r := b.get("/invoices/x.pdf"); r.status != http.StatusNotFound {
		t.Errorf("x.pdf = %d", r.status)
	}
}

// A credit note of single lines sends the invoice's line indexes and the
// quantities; the full one sends full; both lead to the credit note.
func TestInvoiceCreditNote(t *testing.T) {
	api, b := startInvoices(t, "manager")
	p := b.get("/invoices/1")
	form := formOf(t, p, "credit-form")
	form.Set("mode", "lines")
	if r := b.post("/invoices/1/credit-notes", form); r.status != http.StatusUnprocessableEntity ||
		!strings.Contains(r.text("credit-error-summary"), "Enter a quantity to credit") {
		t.Errorf("nothing to credit = %d %q", r.status, r.text("credit-error-summary"))
	}
	form.Set("lines[0].quantity", "1")
	form.Set("reason", "Broken crate")
	r := b.post("/invoices/1/credit-notes", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/credit-notes/1" {
		t.Fatalf("credit = %d %q\n%s", r.status, r.header.Get("Location"), r.body)
	}
	form.Set("mode", "full")
	b.post("/invoices/1/credit-notes", form)
	bodies, ifMatch, _ := api.invoiceSent("POST /api/v1/invoices/1/credit-notes")
	if len(bodies) != 2 || bodies[0]["full"] != nil || bodies[0]["reason"] != "Broken crate" || ifMatch[0] != `"1"` {
		t.Fatalf("sent %v", bodies)
	}
	lines := bodies[0]["lines"].([]any)
	if len(lines) != 1 || toInt(lines[0].(map[string]any)["line"]) != 0 || toInt(lines[0].(map[string]any)["quantity"]) != 1 {
		t.Errorf("lines %v", lines)
	}
	if bodies[1]["full"] != true || bodies[1]["lines"] != nil {
		t.Errorf("full %v", bodies[1])
	}
	cn := b.get("/credit-notes/1")
	if cn.text("credit-note-title") != "Credit note GS000001" || cn.text("doc-payable") != "CHF -38.75" ||
		cn.doc.Find(`[data-testid="credit-note-pdf"]`).AttrOr("href", "") != "/credit-notes/1.pdf" {
		t.Errorf("credit note page %q %q", cn.text("credit-note-title"), cn.text("doc-payable"))
	}
	if pdf := b.get("/credit-notes/1.pdf"); pdf.status != 200 || pdf.body != "%PDF-fake" {
		t.Errorf("credit note pdf = %d", pdf.status)
	}
}

// The bank file goes to the api as it was uploaded; the match report names
// the invoice booked and why a credit waits; a waiting credit is assigned
// by the invoice's number, looked up exactly.
func TestBankImport(t *testing.T) {
	api, b := startInvoices(t, "manager")
	p := b.get("/bank-imports")
	if !p.has("bank-form") || !p.has("assign-form-7") {
		t.Fatalf("bank page\n%s", p.body)
	}
	key := p.doc.Find(`[data-testid="bank-form"] input[name="_idempotency_key"]`).AttrOr("value", "")
	r := b.postFile("/bank-imports", map[string]string{"_idempotency_key": key}, "<Document>camt</Document>")
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/bank-imports/1" {
		t.Fatalf("upload = %d\n%s", r.status, r.body)
	}
	api.im.Lock()
	file, sentKey := string(api.files[0]), api.idemKeys["POST /api/v1/bank-imports"][0]
	api.im.Unlock()
	if !strings.Contains(file, "<Document>camt</Document>") || sentKey != key {
		t.Errorf("sent %q with key %q (form's %q)", file, sentKey, key)
	}
	rep := b.get("/bank-imports/1")
	if got := rep.text("bank-report-entries"); !strings.Contains(got, "Booked on RE000001") || !strings.Contains(got, "Waiting: no reference") {
		t.Errorf("report %q", got)
	}
	if r := b.postFile("/bank-imports", nil, ""); r.status != http.StatusUnprocessableEntity || r.text("error-bank-file") != "Choose a file." {
		t.Errorf("no file = %d %q", r.status, r.text("error-bank-file"))
	}

	p = b.get("/bank-imports")
	form := formOf(t, p, "assign-form-7")
	form.Set("invoice_number", "RE999999")
	if r := b.post("/bank-credits/7/assign", form); r.status != http.StatusUnprocessableEntity ||
		r.text("error-assign-7-invoice_number") != "No invoice has the number RE999999." {
		t.Errorf("unknown number = %d %q", r.status, r.text("error-assign-7-invoice_number"))
	}
	form.Set("invoice_number", " re000001 ")
	if r := b.post("/bank-credits/7/assign", form); r.status != http.StatusSeeOther {
		t.Fatalf("assign = %d\n%s", r.status, r.body)
	}
	bodies, _, keys := api.invoiceSent("POST /api/v1/bank-credits/7/assign")
	if len(bodies) != 1 || toInt(bodies[0]["invoice_id"]) != 1 || keys[0] == "" {
		t.Errorf("assigned %v keys %v", bodies, keys)
	}
}

// The list reads its filters from the address and shows each invoice's
// due date and what is open; the customer's page lists their open ones.
func TestInvoiceListAndCustomer(t *testing.T) {
	api, b := startInvoices(t, "viewer")
	p := b.get("/invoices?status=overdue&status=open&q=RE00&customer_id=9")
	if p.status != http.StatusOK || p.text("invoice-outstanding") != "CHF 107.05" || !p.has("nav-invoices") {
		t.Fatalf("list = %d\n%s", p.status, p.body)
	}
	if p.has("invoices-new") {
		t.Error("a viewer is offered to issue")
	}
	q := api.queriesOf("/api/v1/invoices")
	last := q[len(q)-1]
	if strings.Join(last["status"], ",") != "overdue,open" || last.Get("q") != "RE00" || last.Get("customer_id") != "9" {
		t.Errorf("asked %v", last)
	}
	if !strings.Contains(p.text("invoices-customer"), "Restaurant Sonne · 1000") {
		t.Errorf("customer filter %q", p.text("invoices-customer"))
	}
	c := b.get("/customers/9")
	if !strings.Contains(c.text("customer-invoices"), "RE000001") {
		t.Errorf("customer page invoices %q", c.text("customer-invoices"))
	}
	last = api.queriesOf("/api/v1/invoices")[len(api.queriesOf("/api/v1/invoices"))-1]
	if strings.Join(last["status"], ",") != "open,partially_paid,overdue" || last.Get("customer_id") != "9" {
		t.Errorf("customer's invoices asked %v", last)
	}
}

// Every write of the invoice pages is refused to a role without
// prices.write before the api is asked.
func TestInvoiceWritesNeedPrices(t *testing.T) {
	for _, role := range []string{"viewer", "clerk"} {
		api, b := startInvoices(t, role)
		b.get("/invoices")
		for _, path := range []string{"/invoices", "/invoices/1/payments", "/invoices/1/credit-notes", "/bank-credits/7/assign"} {
			if r := b.post(path, url.Values{"order_id": {"1"}, "amount": {"1"}, "date": {"2026-12-01"}, "invoice_number": {"RE000001"}}); r.status != http.StatusForbidden {
				t.Errorf("%s: POST %s = %d", role, path, r.status)
			}
		}
		if r := b.postFile("/bank-imports", nil, "<x/>"); r.status != http.StatusForbidden {
			t.Errorf("%s: upload = %d", role, r.status)
		}
		if r := b.get("/invoices/new"); r.status != http.StatusForbidden {
			t.Errorf("%s: /invoices/new = %d", role, r.status)
		}
		p := b.get("/invoices/1")
		if p.status != http.StatusOK || p.has("payment-form") || p.has("credit-form") {
			t.Errorf("%s: invoice page %d offers writes", role, p.status)
		}
		api.im.Lock()
		n := len(api.sent)
		api.im.Unlock()
		if n != 0 {
			t.Errorf("%s: the api was asked to write: %v", role, api.sent)
		}
	}
}
