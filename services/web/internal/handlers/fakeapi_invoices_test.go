package handlers

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
)

// invoicesAPI is the fake api of the invoice pages on top of the orders'
// fake: one invoice RE000001 (id 1) of order 1, its PDF, payments, credit
// notes and the bank import. It keeps each write's body, If-Match and
// Idempotency-Key by call, and can refuse an issue for an incomplete
// company profile; order 2 counts as another customer's.
type invoicesAPI struct {
	*ordersAPI

	im         sync.Mutex
	sent       map[string][]map[string]any
	ifMatch    map[string][]string
	idemKeys   map[string][]string
	files      [][]byte
	incomplete bool
	paid       bool
}

func newInvoicesAPI() *invoicesAPI {
	return &invoicesAPI{ordersAPI: newOrdersAPI(), sent: map[string][]map[string]any{},
		ifMatch: map[string][]string{}, idemKeys: map[string][]string{}}
}

func (a *invoicesAPI) invoiceSent(call string) (bodies []map[string]any, ifMatch, keys []string) {
	a.im.Lock()
	defer a.im.Unlock()
	return a.sent[call], a.ifMatch[call], a.idemKeys[call]
}

func fakeInvoice(paid bool) map[string]any {
	status, paidAmount, outstanding := "open", "0.00", "107.05"
	if paid {
		status, paidAmount, outstanding = "paid", "107.05", "0.00"
	}
	addr := map[string]any{"name": "Restaurant Sonne", "street": "Bahnhofstrasse", "building_number": "1",
		"postal_code": "8000", "town": "Zürich", "country": "CH"}
	return map[string]any{"id": 1, "number": "RE000001", "customer_id": 9, "customer_name": "Restaurant Sonne",
		"customer_number": 1000, "currency": "CHF", "issue_date": "2026-12-01", "due_date": "2026-12-31",
		"payment_terms_days": 30, "status": status, "overdue": false, "payable": "107.05", "credited": "0.00",
		"paid": paidAmount, "outstanding": outstanding, "overpaid": "0.00", "version": 1,
		"created_at": "2026-12-01T09:00:00Z", "order_ids": []int{1}, "order_numbers": []string{"LS-2026-0001"},
		"bill_to": addr, "company": map[string]any{"name": "Getränke Müller GmbH", "street": "Industriestrasse",
			"building_number": "7a", "postal_code": "8400", "town": "Winterthur", "country": "CH", "vat_number": "",
			"iban": "CH5800791123000889012", "bank_name": "", "footer": "", "payment_terms_days": 30, "deposits_taxable": false},
		"lines": []map[string]any{{"order_id": 1, "order_number": "LS-2026-0001", "item_id": 1, "item_sku": "BEER-1",
			"item_name": "Lager 33cl", "unit": "package", "unit_name": "crate", "factor": 24, "quantity": 3,
			"unit_price": "26.40", "vat_rate_bp": 810, "deposit": "10.20", "net": "79.20", "price_overridden": false}},
		"empties": []map[string]any{{"order_id": 1, "order_number": "LS-2026-0001", "item_id": 1, "item_sku": "BEER-1",
			"item_name": "Lager 33cl", "unit": "package", "unit_name": "crate", "factor": 24, "quantity": 1,
			"deposit": "10.20", "credit": "10.20"}},
		"totals": map[string]any{"net": "79.20", "deposits": "30.60", "empties_credit": "10.20", "vat": "6.42",
			"vat_groups": []map[string]any{{"rate_bp": 810, "base": "79.20", "vat": "6.42"}},
			"gross":      "106.02", "rounding": "0.03", "payable": "107.05"},
		"qr_bill": map[string]any{"account": "CH5800791123000889012", "amount": "107.05", "currency": "CHF",
			"reference_type": "SCOR", "reference": "RF18RE000001", "message": "Rechnung RE000001", "payload": "SPC"},
		"pdf":      map[string]any{"id": 40, "name": "RE000001.pdf", "content_type": "application/pdf", "size": 9, "sha256": "ab", "url": "/api/v1/files/40"},
		"payments": []any{}, "credit_notes": []any{},
	}
}

func fakeCreditNote() map[string]any {
	in := fakeInvoice(false)
	return map[string]any{"id": 1, "number": "GS000001", "invoice_id": 1, "invoice_number": "RE000001",
		"customer_id": 9, "issue_date": "2026-12-02", "reason": "Broken crate", "return_goods": false,
		"movement_ids": []int{}, "created_at": "2026-12-02T09:00:00Z", "bill_to": in["bill_to"], "company": in["company"],
		"lines": []map[string]any{{"line": 0, "order_id": 1, "order_number": "LS-2026-0001", "item_id": 1, "item_sku": "BEER-1",
			"item_name": "Lager 33cl", "unit": "package", "unit_name": "crate", "factor": 24, "quantity": 1,
			"unit_price": "26.40", "vat_rate_bp": 810, "deposit": "10.20", "net": "-26.40", "price_overridden": false}},
		"empties": []any{},
		"totals": map[string]any{"net": "-26.40", "deposits": "-10.20", "empties_credit": "0.00", "vat": "-2.14",
			"vat_groups": []map[string]any{{"rate_bp": 810, "base": "-26.40", "vat": "-2.14"}},
			"gross":      "-38.74", "rounding": "-0.01", "payable": "-38.75"},
		"pdf": map[string]any{"id": 41, "name": "GS000001.pdf", "content_type": "application/pdf", "size": 9, "sha256": "cd", "url": "/api/v1/files/41"},
	}
}

func fakeBankCredit(status string) map[string]any {
	c := map[string]any{"id": 7, "import_id": 1, "iban": "CH5800791123000889012", "amount": "107.05", "currency": "CHF",
		"booking_date": "2026-12-06", "bank_ref": "TX-1", "reference": "RF18RE000001", "ref_type": "SCOR", "remittance": "",
		"debtor_name": "Restaurant Sonne", "reversal": false, "status": status, "reason": "", "created_at": "2026-12-07T08:00:00Z"}
	if status == "matched" {
		c["invoice_id"], c["invoice_number"] = 1, "RE000001"
	} else {
		c["reason"], c["reference"] = "no_reference", ""
	}
	return c
}

func (a *invoicesAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	ours := strings.HasPrefix(path, "/api/v1/invoices") || strings.HasPrefix(path, "/api/v1/credit-notes") ||
		strings.HasPrefix(path, "/api/v1/bank-")
	if !ours {
		a.ordersAPI.ServeHTTP(w, r)
		return
	}
	if !a.signedIn(r) {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	call := r.Method + " " + path
	a.im.Lock()
	defer a.im.Unlock()
	raw, _ := io.ReadAll(r.Body)
	var body map[string]any
	_ = json.Unmarshal(raw, &body)
	if r.Method != http.MethodGet {
		a.sent[call] = append(a.sent[call], body)
		a.ifMatch[call] = append(a.ifMatch[call], r.Header.Get("If-Match"))
		a.idemKeys[call] = append(a.idemKeys[call], r.Header.Get("Idempotency-Key"))
	}
	switch call {
	case "GET /api/v1/invoices":
		a.lm.Lock()
		a.queries[path] = append(a.queries[path], r.URL.Query())
		a.lm.Unlock()
		writeJSON(w, 200, map[string]any{"items": []any{fakeInvoice(a.paid)}, "total": 1})
	case "POST /api/v1/invoices":
		ids, _ := body["order_ids"].([]any)
		if a.incomplete {
			apiError(w, 409, "conflict", "The company profile lacks what the QR bill needs.",
				map[string]problem{"company.iban": prob("required", "is required"), "company.town": prob("required", "is required")})
			return
		}
		for i, id := range ids {
			if toInt(id) == 2 {
				apiError(w, 422, "validation_failed", "Orders of one customer.",
					map[string]problem{"order_ids[" + itoaTest(i) + "]": prob("not_allowed", "belongs to another customer")})
				return
			}
		}
		w.Header().Set("ETag", `"1"`)
		writeJSON(w, 201, fakeInvoice(false))
	case "GET /api/v1/invoices/1":
		w.Header().Set("ETag", `"1"`)
		writeJSON(w, 200, fakeInvoice(a.paid))
	case "GET /api/v1/invoices/1/pdf", "GET /api/v1/credit-notes/1/pdf":
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("ETag", `"ab"`)
		w.Header().Set("Content-Disposition", `inline; filename="RE000001.pdf"`)
		_, _ = io.WriteString(w, "%PDF-fake")
	case "POST /api/v1/invoices/1/payments":
		a.paid = true
		w.Header().Set("ETag", `"2"`)
		writeJSON(w, 201, fakeInvoice(true))
	case "POST /api/v1/invoices/1/credit-notes":
		writeJSON(w, 201, fakeCreditNote())
	case "GET /api/v1/credit-notes/1":
		writeJSON(w, 200, fakeCreditNote())
	case "POST /api/v1/bank-imports":
		a.files = append(a.files, raw)
		writeJSON(w, 201, a.report())
	case "GET /api/v1/bank-imports/1":
		writeJSON(w, 200, a.report())
	case "GET /api/v1/bank-credits":
		writeJSON(w, 200, map[string]any{"items": []any{fakeBankCredit("unmatched")}, "total": 1})
	case "POST /api/v1/bank-credits/7/assign":
		c := fakeBankCredit("assigned")
		c["invoice_id"], c["invoice_number"] = 1, "RE000001"
		writeJSON(w, 200, c)
	default:
		apiError(w, 404, "not_found", "No such record.", nil)
	}
}

func (a *invoicesAPI) report() map[string]any {
	return map[string]any{"id": 1, "file_name": "camt.xml", "kind": "camt.054", "message_id": "M1", "sha256": "ab",
		"repeated": false, "credits": 2, "duplicates": 0, "skipped": 0, "created_at": "2026-12-07T08:00:00Z",
		"entries": []any{fakeBankCredit("matched"), fakeBankCredit("unmatched")}}
}

func itoaTest(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}
