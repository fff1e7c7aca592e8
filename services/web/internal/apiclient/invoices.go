package apiclient

import (
	"context"
	"net/http"
)

// Invoices, credit notes, payments and the bank import as the invoice pages
// use them. An invoice's answers carry its ETag, which a payment or credit
// note sends as If-Match, so nobody books against an account they did not
// see.

// Invoices lists a page of invoices, newest first.
func (c *Client) Invoices(ctx context.Context, auth RequestEditorFn, p ListInvoicesParams) (InvoiceList, error) {
	res, err := c.api.ListInvoicesWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/invoices", http.StatusOK, res, err, func() *InvoiceList { return res.JSON200 })
	if err == nil && l.Items == nil {
		return InvoiceList{}, invalid("GET /api/v1/invoices", http.StatusOK, "answer is not an invoice list")
	}
	return l, err
}

// Invoice returns one invoice with its snapshot and account, and its ETag.
func (c *Client) Invoice(ctx context.Context, auth RequestEditorFn, id int64) (Invoice, string, error) {
	res, err := c.api.GetInvoiceWithResponse(ctx, id, auth)
	return one("GET /api/v1/invoices/{id}", http.StatusOK, res, err, func() *Invoice { return res.JSON200 })
}

// IssueInvoice issues an invoice of delivered orders of one customer;
// idempotencyKey makes a double submit issue one.
func (c *Client) IssueInvoice(ctx context.Context, auth RequestEditorFn, idempotencyKey string, in InvoiceInput) (Invoice, error) {
	res, err := c.api.IssueInvoiceWithResponse(ctx, &IssueInvoiceParams{IdempotencyKey: optional(idempotencyKey)}, in, auth)
	inv, _, err := one("POST /api/v1/invoices", http.StatusCreated, res, err, func() *Invoice { return res.JSON201 })
	return inv, err
}

// CreatePayment books a payment on the invoice whose ETag is ifMatch.
func (c *Client) CreatePayment(ctx context.Context, auth RequestEditorFn, id int64, ifMatch, idempotencyKey string, in PaymentInput) (Invoice, error) {
	res, err := c.api.CreatePaymentWithResponse(ctx, id, &CreatePaymentParams{IfMatch: optional(ifMatch), IdempotencyKey: optional(idempotencyKey)}, in, auth)
	inv, _, err := one("POST /api/v1/invoices/{id}/payments", http.StatusCreated, res, err, func() *Invoice { return res.JSON201 })
	return inv, err
}

// CreateCreditNote issues a credit note on the invoice whose ETag is
// ifMatch.
func (c *Client) CreateCreditNote(ctx context.Context, auth RequestEditorFn, id int64, ifMatch, idempotencyKey string, in CreditNoteInput) (CreditNote, error) {
	res, err := c.api.CreateCreditNoteWithResponse(ctx, id, &CreateCreditNoteParams{IfMatch: optional(ifMatch), IdempotencyKey: optional(idempotencyKey)}, in, auth)
	cn, _, err := one("POST /api/v1/invoices/{id}/credit-notes", http.StatusCreated, res, err, func() *CreditNote { return res.JSON201 })
	return cn, err
}

// CreditNote returns one credit note.
func (c *Client) CreditNote(ctx context.Context, auth RequestEditorFn, id int64) (CreditNote, error) {
	res, err := c.api.GetCreditNoteWithResponse(ctx, id, auth)
	cn, _, err := one("GET /api/v1/credit-notes/{id}", http.StatusOK, res, err, func() *CreditNote { return res.JSON200 })
	return cn, err
}

// InvoicePDF opens an invoice's stored PDF for the web to stream.
func (c *Client) InvoicePDF(ctx context.Context, auth RequestEditorFn, id int64, ifNoneMatch string) (Download, error) {
	var params GetInvoicePdfParams
	if ifNoneMatch != "" {
		params.IfNoneMatch = &ifNoneMatch
	}
	res, err := c.api.ClientInterface.GetInvoicePdf(ctx, id, &params, auth)
	return download("GET /api/v1/invoices/{id}/pdf", res, err)
}

// CreditNotePDF opens a credit note's stored PDF for the web to stream.
func (c *Client) CreditNotePDF(ctx context.Context, auth RequestEditorFn, id int64, ifNoneMatch string) (Download, error) {
	var params GetCreditNotePdfParams
	if ifNoneMatch != "" {
		params.IfNoneMatch = &ifNoneMatch
	}
	res, err := c.api.ClientInterface.GetCreditNotePdf(ctx, id, &params, auth)
	return download("GET /api/v1/credit-notes/{id}/pdf", res, err)
}

// ImportBankFile uploads a camt.054/.053 file; the answer is the match
// report. The same file gives the same body (fileBody), so a retried
// upload under its key is the same request.
func (c *Client) ImportBankFile(ctx context.Context, auth RequestEditorFn, idempotencyKey, name string, content []byte) (BankImport, error) {
	const op = "POST /api/v1/bank-imports"
	body, contentType, err := fileBody(name, content)
	if err != nil {
		return BankImport{}, callError(op, err)
	}
	res, err := c.api.ImportBankFileWithBodyWithResponse(ctx, &ImportBankFileParams{IdempotencyKey: optional(idempotencyKey)}, contentType, body, auth)
	bi, _, err := one(op, http.StatusCreated, res, err, func() *BankImport { return res.JSON201 })
	return bi, err
}

// BankImport returns an import's match report.
func (c *Client) BankImport(ctx context.Context, auth RequestEditorFn, id int64) (BankImport, error) {
	res, err := c.api.GetBankImportWithResponse(ctx, id, auth)
	bi, _, err := one("GET /api/v1/bank-imports/{id}", http.StatusOK, res, err, func() *BankImport { return res.JSON200 })
	return bi, err
}

// BankCredits lists imported credits, newest first.
func (c *Client) BankCredits(ctx context.Context, auth RequestEditorFn, p ListBankCreditsParams) (BankCreditList, error) {
	res, err := c.api.ListBankCreditsWithResponse(ctx, &p, auth)
	l, _, err := one("GET /api/v1/bank-credits", http.StatusOK, res, err, func() *BankCreditList { return res.JSON200 })
	if err == nil && l.Items == nil {
		return BankCreditList{}, invalid("GET /api/v1/bank-credits", http.StatusOK, "answer is not a credit list")
	}
	return l, err
}

// AssignBankCredit books an unmatched credit on an invoice.
func (c *Client) AssignBankCredit(ctx context.Context, auth RequestEditorFn, id int64, idempotencyKey string, invoiceID int64) (BankCredit, error) {
	res, err := c.api.AssignBankCreditWithResponse(ctx, id, &AssignBankCreditParams{IdempotencyKey: optional(idempotencyKey)},
		AssignBankCreditJSONRequestBody{InvoiceID: invoiceID}, auth)
	bc, _, err := one("POST /api/v1/bank-credits/{id}/assign", http.StatusOK, res, err, func() *BankCredit { return res.JSON200 })
	return bc, err
}
