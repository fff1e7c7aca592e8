package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

func date(t time.Time) openapi_types.Date { return openapi_types.Date{Time: t} }

func toDocumentAddress(a invoices.Address) oapi.DocumentAddress {
	return oapi.DocumentAddress{Name: a.Name, Street: a.Street, BuildingNumber: a.BuildingNumber,
		PostalCode: a.PostalCode, Town: a.Town, Country: a.Country}
}

func toDocumentCompany(c invoices.Company) oapi.DocumentCompany {
	out := oapi.DocumentCompany{Name: c.Name, Street: c.Street, BuildingNumber: c.BuildingNumber, PostalCode: c.PostalCode,
		Town: c.Town, Country: c.Country, VatNumber: c.VATNumber, Iban: c.IBAN, BankName: c.BankName, Footer: c.Footer,
		PaymentTermsDays: c.PaymentTermsDays, DepositsTaxable: c.DepositsTaxable}
	if c.LogoFileID != nil {
		u := "/api/v1/files/" + strconv.FormatInt(*c.LogoFileID, 10)
		out.LogoUrl = &u
	}
	return out
}

// toDocumentLines writes lines; credit notes name the invoice's line each
// one credits.
func toDocumentLines(ls []invoices.Line, credit bool) []oapi.DocumentLine {
	out := make([]oapi.DocumentLine, len(ls))
	for i, l := range ls {
		out[i] = oapi.DocumentLine{OrderId: l.OrderID, OrderNumber: l.OrderNumber, ItemId: l.ItemID, ItemSku: l.ItemSKU,
			ItemName: l.ItemName, Unit: oapi.QuantityUnit(l.Unit), UnitName: l.UnitName, Quantity: l.Quantity, Factor: l.Factor,
			UnitPrice: l.UnitPrice.String(), PriceOverridden: l.PriceOverridden, VatRateBp: l.VATRateBP,
			Deposit: l.Deposit.String(), Net: l.Net().String()}
		if credit {
			out[i].Line = &ls[i].InvoiceLine
		}
	}
	return out
}

func toDocumentEmpties(es []invoices.EmptiesLine, credit bool) []oapi.DocumentEmpties {
	out := make([]oapi.DocumentEmpties, len(es))
	for i, e := range es {
		out[i] = oapi.DocumentEmpties{OrderId: e.OrderID, OrderNumber: e.OrderNumber, ItemId: e.ItemID, ItemSku: e.ItemSKU,
			ItemName: e.ItemName, Unit: oapi.QuantityUnit(e.Unit), UnitName: e.UnitName, Quantity: e.Quantity, Factor: e.Factor,
			Deposit: e.Deposit.String(), Credit: e.Credit().String()}
		if credit {
			out[i].Line = &es[i].InvoiceLine
		}
	}
	return out
}

func toDocumentTotals(t sales.Totals) oapi.DocumentTotals {
	out := oapi.DocumentTotals{Net: t.Net.String(), Deposits: t.Deposits.String(), EmptiesCredit: t.EmptiesCredit.String(),
		Vat: t.VAT.String(), Gross: t.Gross.String(), Rounding: t.Rounding.String(), Payable: t.Payable.String(),
		VatGroups: make([]oapi.VatGroup, len(t.VATGroups))}
	for i, g := range t.VATGroups {
		out.VatGroups[i] = oapi.VatGroup{RateBp: g.RateBP, Base: g.Base.String(), Vat: g.VAT.String()}
	}
	return out
}

func toInvoiceSummary(inv invoices.Invoice) oapi.InvoiceSummary {
	a := inv.Account
	return oapi.InvoiceSummary{Id: inv.ID, Number: inv.Number, CustomerId: inv.CustomerID, CustomerNumber: inv.CustomerNumber,
		CustomerName: inv.CustomerName, Currency: oapi.Currency(inv.Currency), IssueDate: date(inv.IssueDate),
		DueDate: date(inv.DueDate), Payable: inv.Totals.Payable.String(), Credited: inv.Credited.String(),
		Paid: inv.Paid.String(), Outstanding: inv.Outstanding().String(), Overpaid: a.Overpaid.String(),
		Status: oapi.PaymentState(a.State), Overdue: a.State == sales.Overdue, Version: inv.Version,
		CreatedBy: inv.CreatedBy, CreatedAt: inv.CreatedAt}
}

func toCreditNote(c invoices.CreditNote) oapi.CreditNote {
	ids := c.MovementIDs
	if ids == nil {
		ids = []int64{}
	}
	return oapi.CreditNote{Id: c.ID, Number: c.Number, InvoiceId: c.InvoiceID, InvoiceNumber: c.InvoiceNumber,
		CustomerId: c.CustomerID, IssueDate: date(c.IssueDate), Reason: c.Reason, ReturnGoods: c.ReturnGoods,
		LocationId: c.LocationID, BillTo: toDocumentAddress(c.BillTo), Company: toDocumentCompany(c.Company),
		Lines: toDocumentLines(c.Lines, true), Empties: toDocumentEmpties(c.Empties, true), Totals: toDocumentTotals(c.Totals),
		Pdf: *toStoredFile(&c.PDF), MovementIds: ids, CreatedBy: c.CreatedBy, CreatedAt: c.CreatedAt}
}

func toInvoice(inv invoices.Invoice) (oapi.Invoice, error) {
	s := toInvoiceSummary(inv)
	payload, err := inv.Bill.Payload()
	if err != nil {
		return oapi.Invoice{}, err // the bill was valid when issued; it cannot be otherwise now
	}
	out := oapi.Invoice{Id: s.Id, Number: s.Number, CustomerId: s.CustomerId, CustomerNumber: s.CustomerNumber,
		CustomerName: s.CustomerName, Currency: s.Currency, IssueDate: s.IssueDate, DueDate: s.DueDate, Payable: s.Payable,
		Credited: s.Credited, Paid: s.Paid, Outstanding: s.Outstanding, Overpaid: s.Overpaid, Status: s.Status,
		Overdue: s.Overdue, Version: s.Version, CreatedBy: s.CreatedBy, CreatedAt: s.CreatedAt,
		PaymentTermsDays: inv.PaymentTermsDays, BillTo: toDocumentAddress(inv.BillTo), Company: toDocumentCompany(inv.Company),
		OrderIds: inv.OrderIDs, OrderNumbers: inv.OrderNumbers, Lines: toDocumentLines(inv.Lines, false),
		Empties: toDocumentEmpties(inv.Empties, false), Totals: toDocumentTotals(inv.Totals),
		QrBill: oapi.QrBill{Account: inv.Bill.Account, ReferenceType: oapi.ReferenceType(inv.Bill.ReferenceType),
			Reference: inv.Bill.Reference, Amount: inv.Totals.Payable.String(), Currency: oapi.Currency(inv.Bill.Currency),
			Message: inv.Bill.Message, Payload: payload},
		Pdf: *toStoredFile(&inv.PDF), Payments: make([]oapi.Payment, len(inv.Payments)),
		CreditNotes: make([]oapi.CreditNote, len(inv.CreditNotes))}
	if out.OrderIds == nil {
		out.OrderIds, out.OrderNumbers = []int64{}, []string{}
	}
	for i, p := range inv.Payments {
		out.Payments[i] = oapi.Payment{Id: p.ID, Date: date(p.Date), Amount: p.Amount.String(), Note: p.Note,
			CreatedBy: p.CreatedBy, CreatedAt: p.CreatedAt}
	}
	for i, c := range inv.CreditNotes {
		out.CreditNotes[i] = toCreditNote(c)
	}
	return out, nil
}

func optionalDate(d *openapi_types.Date) *time.Time {
	if d == nil {
		return nil
	}
	t := d.Time
	return &t
}

func (s *server) ListInvoices(ctx context.Context, r oapi.ListInvoicesRequestObject) (oapi.ListInvoicesResponseObject, error) {
	p := r.Params
	req, err := page.NewRequest(p.Limit, p.Cursor, invoices.ListSort)
	if err != nil {
		return nil, err
	}
	f := invoices.Filter{CustomerID: p.CustomerId, Q: deref(p.Q)}
	for _, st := range deref(p.Status) {
		f.States = append(f.States, sales.PaymentState(st))
	}
	pg, err := s.invoices.List(ctx, f, req)
	if err != nil {
		return nil, err
	}
	out := oapi.ListInvoices200JSONResponse{Items: make([]oapi.InvoiceSummary, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: pg.Total}
	for _, inv := range pg.Items {
		out.Items = append(out.Items, toInvoiceSummary(inv))
	}
	return out, nil
}

func (s *server) IssueInvoice(ctx context.Context, r oapi.IssueInvoiceRequestObject) (oapi.IssueInvoiceResponseObject, error) {
	inv, err := s.invoices.Issue(ctx, principal(ctx).Actor(), invoices.IssueInput{OrderIDs: r.Body.OrderIds,
		Date: optionalDate(r.Body.Date), RequestKey: idempotencyKey(r.Params.IdempotencyKey)})
	if err != nil {
		return nil, err
	}
	body, err := toInvoice(inv)
	if err != nil {
		return nil, err
	}
	return oapi.IssueInvoice201JSONResponse{Body: body,
		Headers: oapi.IssueInvoice201ResponseHeaders{ETag: etag(inv.Version), Location: location("invoices", inv.ID)}}, nil
}

func (s *server) GetInvoice(ctx context.Context, r oapi.GetInvoiceRequestObject) (oapi.GetInvoiceResponseObject, error) {
	inv, err := s.invoices.Get(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	body, err := toInvoice(inv)
	if err != nil {
		return nil, err
	}
	return oapi.GetInvoice200JSONResponse{Body: body, Headers: oapi.GetInvoice200ResponseHeaders{ETag: etag(inv.Version)}}, nil
}

func (s *server) CreateCreditNote(ctx context.Context, r oapi.CreateCreditNoteRequestObject) (oapi.CreateCreditNoteResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	in := invoices.CreditInput{Reason: deref(b.Reason), ReturnGoods: deref(b.ReturnGoods), LocationID: b.LocationId,
		Date: optionalDate(b.Date), RequestKey: idempotencyKey(r.Params.IdempotencyKey), Version: v,
		CreditInput: sales.CreditInput{Full: deref(b.Full)}}
	for _, e := range deref(b.Lines) {
		in.Lines = append(in.Lines, sales.CreditEntry{Line: e.Line, Quantity: e.Quantity})
	}
	for _, e := range deref(b.Empties) {
		in.Empties = append(in.Empties, sales.CreditEntry{Line: e.Line, Quantity: e.Quantity})
	}
	cn, err := s.invoices.Credit(ctx, principal(ctx).Actor(), r.Id, in)
	if err != nil {
		return nil, err
	}
	return oapi.CreateCreditNote201JSONResponse{Body: toCreditNote(cn),
		Headers: oapi.CreateCreditNote201ResponseHeaders{Location: location("credit-notes", cn.ID)}}, nil
}

func (s *server) CreatePayment(ctx context.Context, r oapi.CreatePaymentRequestObject) (oapi.CreatePaymentResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	bad := fieldErrors{}
	amount := bad.money("amount", b.Amount)
	if err := bad.err(); err != nil {
		return nil, err
	}
	inv, err := s.invoices.Pay(ctx, principal(ctx).Actor(), r.Id, invoices.PaymentInput{Date: b.Date.Time, Amount: amount,
		Note: deref(b.Note), RequestKey: idempotencyKey(r.Params.IdempotencyKey), Version: v})
	if err != nil {
		return nil, err
	}
	body, err := toInvoice(inv)
	if err != nil {
		return nil, err
	}
	return oapi.CreatePayment201JSONResponse{Body: body, Headers: oapi.CreatePayment201ResponseHeaders{ETag: etag(inv.Version)}}, nil
}

func (s *server) ListCreditNotes(ctx context.Context, r oapi.ListCreditNotesRequestObject) (oapi.ListCreditNotesResponseObject, error) {
	p := r.Params
	req, err := page.NewRequest(p.Limit, p.Cursor, invoices.ListSort)
	if err != nil {
		return nil, err
	}
	pg, err := s.invoices.ListCreditNotes(ctx, invoices.CreditNoteFilter{InvoiceID: p.InvoiceId, CustomerID: p.CustomerId}, req)
	if err != nil {
		return nil, err
	}
	out := oapi.ListCreditNotes200JSONResponse{Items: make([]oapi.CreditNote, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: pg.Total}
	for _, c := range pg.Items {
		out.Items = append(out.Items, toCreditNote(c))
	}
	return out, nil
}

func (s *server) GetCreditNote(ctx context.Context, r oapi.GetCreditNoteRequestObject) (oapi.GetCreditNoteResponseObject, error) {
	c, err := s.invoices.GetCreditNote(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetCreditNote200JSONResponse(toCreditNote(c)), nil
}

// documentPDF answers a stored document's PDF: 304 without reading the
// bytes when If-None-Match names its ETag; without the header, one read
// of file and bytes (the route's permission covers the document, so there
// is no owner to check first as GET /files/{id} must).
func documentPDF(ifNoneMatch *string, read func(infoOnly bool) (files.File, []byte, error)) (fileResponse, error) {
	if ifNoneMatch != nil {
		info, _, err := read(true)
		if err != nil {
			return fileResponse{}, err
		}
		if etagMatches(*ifNoneMatch, info.ETag()) {
			return fileResponse{file: info, notModified: true}, nil
		}
	}
	f, content, err := read(false)
	if err != nil {
		return fileResponse{}, err
	}
	return fileResponse{file: f, content: content}, nil
}

func (s *server) GetInvoicePdf(ctx context.Context, r oapi.GetInvoicePdfRequestObject) (oapi.GetInvoicePdfResponseObject, error) {
	return documentPDF(r.Params.IfNoneMatch, func(infoOnly bool) (files.File, []byte, error) {
		return s.invoices.InvoicePDF(ctx, r.Id, infoOnly)
	})
}

func (s *server) GetCreditNotePdf(ctx context.Context, r oapi.GetCreditNotePdfRequestObject) (oapi.GetCreditNotePdfResponseObject, error) {
	return documentPDF(r.Params.IfNoneMatch, func(infoOnly bool) (files.File, []byte, error) {
		return s.invoices.CreditNotePDF(ctx, r.Id, infoOnly)
	})
}

// The stored PDFs are answered like every stored file.
func (r fileResponse) VisitGetInvoicePdfResponse(w http.ResponseWriter) error {
	return r.VisitGetFileResponse(w)
}

func (r fileResponse) VisitGetCreditNotePdfResponse(w http.ResponseWriter) error {
	return r.VisitGetFileResponse(w)
}
