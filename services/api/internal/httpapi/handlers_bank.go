package httpapi

import (
	"context"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/page"
)

// bankImportPath is the camt upload: like the logo's, its body may be as
// large as a file (see uploadLimit in New).
const bankImportPath = "/api/v1/bank-imports"

func toBankCredit(c invoices.BankCredit) oapi.BankCredit {
	out := oapi.BankCredit{Id: c.ID, ImportId: c.ImportID, Iban: c.IBAN, BankRef: c.BankRef, Amount: c.Amount.String(),
		Currency: c.Currency, BookingDate: date(c.BookingDate), Reference: c.Reference, RefType: oapi.BankCreditRefType(c.RefType),
		Remittance: c.Remittance, DebtorName: c.DebtorName, Reversal: c.Reversal, Status: oapi.BankCreditStatus(c.Status),
		Reason: oapi.BankCreditReason(c.Reason), InvoiceId: c.InvoiceID, CreatedAt: c.CreatedAt}
	if c.ValueDate != nil {
		out.ValueDate = &openapi_types.Date{Time: *c.ValueDate}
	}
	if c.InvoiceNumber != "" {
		out.InvoiceNumber = &c.InvoiceNumber
	}
	return out
}

func toBankImport(b invoices.BankImport) oapi.BankImport {
	out := oapi.BankImport{Id: b.ID, Sha256: b.SHA256, FileName: b.FileName, Kind: b.Kind, MessageId: b.MessageID,
		Repeated: b.Repeated, Credits: b.Credits, Duplicates: b.Duplicates, Skipped: b.Skipped, CreatedBy: b.CreatedBy,
		CreatedAt: b.CreatedAt, Entries: make([]oapi.BankCredit, len(b.Entries))}
	for i, c := range b.Entries {
		out.Entries[i] = toBankCredit(c)
	}
	return out
}

func (s *server) ImportBankFile(ctx context.Context, r oapi.ImportBankFileRequestObject) (oapi.ImportBankFileResponseObject, error) {
	u, err := readUpload(r.Body, "file", s.company.MaxFileSize())
	if err != nil {
		return nil, err
	}
	imp, err := s.invoices.Import(ctx, principal(ctx).Actor(), u)
	if err != nil {
		return nil, err
	}
	return oapi.ImportBankFile201JSONResponse{Body: toBankImport(imp),
		Headers: oapi.ImportBankFile201ResponseHeaders{Location: location("bank-imports", imp.ID)}}, nil
}

func (s *server) GetBankImport(ctx context.Context, r oapi.GetBankImportRequestObject) (oapi.GetBankImportResponseObject, error) {
	imp, err := s.invoices.GetImport(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetBankImport200JSONResponse(toBankImport(imp)), nil
}

func (s *server) ListBankCredits(ctx context.Context, r oapi.ListBankCreditsRequestObject) (oapi.ListBankCreditsResponseObject, error) {
	req, err := page.NewRequest(r.Params.Limit, r.Params.Cursor, invoices.ListSort)
	if err != nil {
		return nil, err
	}
	var status *invoices.CreditStatus
	if r.Params.Status != nil {
		st := invoices.CreditStatus(*r.Params.Status)
		status = &st
	}
	pg, err := s.invoices.ListCredits(ctx, status, req)
	if err != nil {
		return nil, err
	}
	out := oapi.ListBankCredits200JSONResponse{Items: make([]oapi.BankCredit, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: pg.Total}
	for _, c := range pg.Items {
		out.Items = append(out.Items, toBankCredit(c))
	}
	return out, nil
}

func (s *server) AssignBankCredit(ctx context.Context, r oapi.AssignBankCreditRequestObject) (oapi.AssignBankCreditResponseObject, error) {
	c, err := s.invoices.Assign(ctx, principal(ctx).Actor(), r.Id, r.Body.InvoiceId)
	if err != nil {
		return nil, err
	}
	return oapi.AssignBankCredit200JSONResponse(toBankCredit(c)), nil
}
