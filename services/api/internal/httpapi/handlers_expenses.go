package httpapi

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/oapi-codegen/nullable"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
)

// receiptPath is the receipt upload: like the logo's, its body may be as
// large as a file.
const receiptPath = "/api/v1/expenses/:id/receipts"

func toExpenseCategory(c expenses.Category) oapi.ExpenseCategory {
	out := oapi.ExpenseCategory{Id: c.ID, Name: c.Name, VatFigure: oapi.VATFigure(c.VATFigure), Version: c.Version,
		CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt, Key: nullable.NewNullNullable[string](),
		ArchivedAt: nullable.NewNullNullable[time.Time]()}
	if c.Key != "" {
		out.Key = nullable.NewNullableWithValue(c.Key)
	}
	if c.ArchivedAt != nil {
		out.ArchivedAt = nullable.NewNullableWithValue(*c.ArchivedAt)
	}
	return out
}

func toExpense(e expenses.Expense) oapi.Expense {
	out := oapi.Expense{Id: e.ID, Date: date(e.Date), SupplierId: e.SupplierID, SupplierName: e.SupplierName,
		CategoryId: e.CategoryID, CategoryName: e.CategoryName, VatFigure: oapi.VATFigure(e.VATFigure),
		Currency: oapi.Currency(e.Currency), Amount: e.Amount.String(), Rate: expenses.FormatRate(e.Rate),
		AmountChf: e.AmountCHF.String(), Vat: make([]oapi.ExpenseVAT, len(e.VAT)), VatChf: e.VATTotalCHF().String(),
		Note: e.Note, Status: oapi.ExpenseStatus(e.Status), Receipts: make([]oapi.StoredFile, len(e.Receipts)),
		Version: e.Version, CreatedAt: e.CreatedAt, UpdatedAt: e.UpdatedAt,
		PaidOn: nullable.NewNullNullable[openapi_types.Date](), ReceiptMovementId: nullable.NewNullNullable[int64](),
		ArchivedAt: nullable.NewNullNullable[time.Time](), CreatedBy: nullable.NewNullNullable[int64]()}
	for i, l := range e.VAT {
		out.Vat[i] = oapi.ExpenseVAT{Rate: catalogue.VATPercent(l.RateBP), Vat: l.VAT.String(), VatChf: l.VATCHF.String()}
	}
	for i := range e.Receipts {
		out.Receipts[i] = *toStoredFile(&e.Receipts[i])
	}
	if e.PaidOn != nil {
		out.PaidOn = nullable.NewNullableWithValue(date(*e.PaidOn))
	}
	if e.ReceiptMovementID != nil {
		out.ReceiptMovementId = nullable.NewNullableWithValue(*e.ReceiptMovementID)
	}
	if e.ArchivedAt != nil {
		out.ArchivedAt = nullable.NewNullableWithValue(*e.ArchivedAt)
	}
	if e.CreatedBy != nil {
		out.CreatedBy = nullable.NewNullableWithValue(*e.CreatedBy)
	}
	return out
}

// expenseFields converts an expense's body; every bad field is named at
// once.
func expenseFields(b *oapi.ExpenseInput) (expenses.Fields, error) {
	bad := fieldErrors{}
	f := expenses.Fields{Date: b.Date.Time, SupplierID: b.SupplierId, CategoryID: b.CategoryId, Currency: string(b.Currency),
		Amount: bad.money("amount", b.Amount), Note: deref(b.Note), Status: expenses.Status(b.Status)}
	if b.Rate != nil {
		r, err := expenses.ParseRate(*b.Rate)
		if err != nil {
			bad.add("rate", err)
		}
		f.Rate = r
	}
	if b.Vat != nil {
		for i, l := range *b.Vat {
			field := "vat[" + strconv.Itoa(i) + "]"
			// A rate in percent with two decimals at most is basis points.
			bp, err := money.Parse(l.Rate)
			if err != nil {
				bad.add(field+".rate", err)
			}
			f.VAT = append(f.VAT, expenses.VATLine{RateBP: int(bp), VAT: bad.money(field+".vat", l.Vat)})
		}
	}
	if b.PaidOn.IsSpecified() && !b.PaidOn.IsNull() {
		d := b.PaidOn.MustGet().Time
		f.PaidOn = &d
	}
	return f, bad.err()
}

func (s *server) ListExpenseCategories(ctx context.Context, r oapi.ListExpenseCategoriesRequestObject) (oapi.ListExpenseCategoriesResponseObject, error) {
	all := r.Params.Archived != nil && *r.Params.Archived != "false"
	cs, err := s.expenses.Categories(ctx, all)
	if err != nil {
		return nil, err
	}
	out := oapi.ListExpenseCategories200JSONResponse{Items: make([]oapi.ExpenseCategory, 0, len(cs))}
	for _, c := range cs {
		if r.Params.Archived != nil && *r.Params.Archived == "true" && c.ArchivedAt == nil {
			continue
		}
		out.Items = append(out.Items, toExpenseCategory(c))
	}
	return out, nil
}

func (s *server) CreateExpenseCategory(ctx context.Context, r oapi.CreateExpenseCategoryRequestObject) (oapi.CreateExpenseCategoryResponseObject, error) {
	c, err := s.expenses.CreateCategory(ctx, principal(ctx).Actor(), expenses.CategoryFields{Name: r.Body.Name, VATFigure: expenses.Figure(r.Body.VatFigure)})
	if err != nil {
		return nil, err
	}
	return oapi.CreateExpenseCategory201JSONResponse{Body: toExpenseCategory(c),
		Headers: oapi.CreateExpenseCategory201ResponseHeaders{ETag: etag(c.Version), Location: location("expense-categories", c.ID)}}, nil
}

func (s *server) UpdateExpenseCategory(ctx context.Context, r oapi.UpdateExpenseCategoryRequestObject) (oapi.UpdateExpenseCategoryResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	p := expenses.CategoryPatch{Name: r.Body.Name}
	if r.Body.VatFigure != nil {
		f := expenses.Figure(*r.Body.VatFigure)
		p.VATFigure = &f
	}
	c, err := s.expenses.UpdateCategory(ctx, principal(ctx).Actor(), r.Id, v, p)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateExpenseCategory200JSONResponse{Body: toExpenseCategory(c), Headers: oapi.UpdateExpenseCategory200ResponseHeaders{ETag: etag(c.Version)}}, nil
}

func (s *server) setExpenseCategoryArchived(ctx context.Context, id int64, ifMatch *oapi.IfMatch, archived bool) (oapi.ExpenseCategory, *string, error) {
	v, err := expectedVersion(ifMatch)
	if err != nil {
		return oapi.ExpenseCategory{}, nil, err
	}
	c, err := s.expenses.SetCategoryArchived(ctx, principal(ctx).Actor(), id, v, archived)
	if err != nil {
		return oapi.ExpenseCategory{}, nil, err
	}
	return toExpenseCategory(c), etag(c.Version), nil
}

func (s *server) ArchiveExpenseCategory(ctx context.Context, r oapi.ArchiveExpenseCategoryRequestObject) (oapi.ArchiveExpenseCategoryResponseObject, error) {
	c, tag, err := s.setExpenseCategoryArchived(ctx, r.Id, r.Params.IfMatch, true)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveExpenseCategory200JSONResponse{Body: c, Headers: oapi.ArchiveExpenseCategory200ResponseHeaders{ETag: tag}}, nil
}

func (s *server) RestoreExpenseCategory(ctx context.Context, r oapi.RestoreExpenseCategoryRequestObject) (oapi.RestoreExpenseCategoryResponseObject, error) {
	c, tag, err := s.setExpenseCategoryArchived(ctx, r.Id, r.Params.IfMatch, false)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreExpenseCategory200JSONResponse{Body: c, Headers: oapi.RestoreExpenseCategory200ResponseHeaders{ETag: tag}}, nil
}

func (s *server) ListExpenses(ctx context.Context, r oapi.ListExpensesRequestObject) (oapi.ListExpensesResponseObject, error) {
	p := r.Params
	pr, err := page.NewRequest(p.Limit, p.Cursor, expenses.ListSort)
	if err != nil {
		return nil, err
	}
	f := expenseFilter(p.From, p.To, p.SupplierId, p.CategoryId, p.Status, p.HasReceipt, p.Archived != nil && *p.Archived == "true", p.Q)
	pg, err := s.expenses.List(ctx, f, pr)
	if err != nil {
		return nil, err
	}
	out := oapi.ListExpenses200JSONResponse{Items: make([]oapi.Expense, 0, len(pg.Items)), NextCursor: nextCursor(pg), Total: pg.Total}
	for _, e := range pg.Items {
		out.Items = append(out.Items, toExpense(e))
	}
	return out, nil
}

// expenseFilter is the filter of the expense list and its export.
func expenseFilter(from, to *openapi_types.Date, supplier, category *int64, status *oapi.ExpenseStatus, hasReceipt *bool,
	archived bool, q *string,
) expenses.Filter {
	f := expenses.Filter{SupplierID: supplier, CategoryID: category, HasReceipt: hasReceipt, Q: deref(q), Archived: archived}
	if from != nil {
		f.From = &from.Time
	}
	if to != nil {
		f.To = &to.Time
	}
	if status != nil {
		f.Status = expenses.Status(*status)
	}
	return f
}

func (s *server) ExportExpenses(ctx context.Context, r oapi.ExportExpensesRequestObject) (oapi.ExportExpensesResponseObject, error) {
	p := r.Params
	f := expenseFilter(p.From, p.To, p.SupplierId, p.CategoryId, p.Status, p.HasReceipt, p.Archived != nil && *p.Archived == "true", p.Q)
	d, err := s.csvDialect(ctx, p.Lang, separator(p.Separator))
	if err != nil {
		return nil, err
	}
	export, err := s.expenses.Export(f, d)
	if err != nil {
		return nil, err
	}
	body, err := stream(ctx, export)
	if err != nil {
		return nil, err
	}
	return expensesCSV{oapi.ExportExpenses200TextcsvResponse{Body: body,
		Headers: oapi.ExportExpenses200ResponseHeaders{ContentDisposition: s.attachment("expenses")}}}, nil
}

type expensesCSV struct {
	oapi.ExportExpenses200TextcsvResponse
}

func (r expensesCSV) VisitExportExpensesResponse(w http.ResponseWriter) error {
	return abortOnExportFailure(r.ExportExpenses200TextcsvResponse.VisitExportExpensesResponse(w))
}

func (s *server) CreateExpense(ctx context.Context, r oapi.CreateExpenseRequestObject) (oapi.CreateExpenseResponseObject, error) {
	f, err := expenseFields(r.Body)
	if err != nil {
		return nil, err
	}
	e, err := s.expenses.Create(ctx, principal(ctx).Actor(), f)
	if err != nil {
		return nil, err
	}
	return oapi.CreateExpense201JSONResponse{Body: toExpense(e),
		Headers: oapi.CreateExpense201ResponseHeaders{ETag: etag(e.Version), Location: location("expenses", e.ID)}}, nil
}

func (s *server) GetExpense(ctx context.Context, r oapi.GetExpenseRequestObject) (oapi.GetExpenseResponseObject, error) {
	e, err := s.expenses.Get(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return oapi.GetExpense200JSONResponse{Body: toExpense(e), Headers: oapi.GetExpense200ResponseHeaders{ETag: etag(e.Version)}}, nil
}

func (s *server) UpdateExpense(ctx context.Context, r oapi.UpdateExpenseRequestObject) (oapi.UpdateExpenseResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	f, err := expenseFields(r.Body)
	if err != nil {
		return nil, err
	}
	e, err := s.expenses.Update(ctx, principal(ctx).Actor(), r.Id, v, f)
	if err != nil {
		return nil, err
	}
	return oapi.UpdateExpense200JSONResponse{Body: toExpense(e), Headers: oapi.UpdateExpense200ResponseHeaders{ETag: etag(e.Version)}}, nil
}

func (s *server) DeleteExpense(ctx context.Context, r oapi.DeleteExpenseRequestObject) (oapi.DeleteExpenseResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	if err := s.expenses.Delete(ctx, principal(ctx).Actor(), r.Id, v); err != nil {
		return nil, err
	}
	return oapi.DeleteExpense204Response{}, nil
}

func (s *server) setExpenseArchived(ctx context.Context, id int64, ifMatch *oapi.IfMatch, archived bool) (oapi.Expense, *string, error) {
	v, err := expectedVersion(ifMatch)
	if err != nil {
		return oapi.Expense{}, nil, err
	}
	e, err := s.expenses.SetArchived(ctx, principal(ctx).Actor(), id, v, archived)
	if err != nil {
		return oapi.Expense{}, nil, err
	}
	return toExpense(e), etag(e.Version), nil
}

func (s *server) ArchiveExpense(ctx context.Context, r oapi.ArchiveExpenseRequestObject) (oapi.ArchiveExpenseResponseObject, error) {
	e, tag, err := s.setExpenseArchived(ctx, r.Id, r.Params.IfMatch, true)
	if err != nil {
		return nil, err
	}
	return oapi.ArchiveExpense200JSONResponse{Body: e, Headers: oapi.ArchiveExpense200ResponseHeaders{ETag: tag}}, nil
}

func (s *server) RestoreExpense(ctx context.Context, r oapi.RestoreExpenseRequestObject) (oapi.RestoreExpenseResponseObject, error) {
	e, tag, err := s.setExpenseArchived(ctx, r.Id, r.Params.IfMatch, false)
	if err != nil {
		return nil, err
	}
	return oapi.RestoreExpense200JSONResponse{Body: e, Headers: oapi.RestoreExpense200ResponseHeaders{ETag: tag}}, nil
}

func (s *server) AddExpenseReceipt(ctx context.Context, r oapi.AddExpenseReceiptRequestObject) (oapi.AddExpenseReceiptResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	u, err := readUpload(r.Body, "file", s.expenses.MaxFileSize())
	if err != nil {
		return nil, err
	}
	e, err := s.expenses.AddReceipt(ctx, principal(ctx).Actor(), r.Id, v, u.Name, u.Content)
	if err != nil {
		return nil, err
	}
	return oapi.AddExpenseReceipt201JSONResponse{Body: toExpense(e), Headers: oapi.AddExpenseReceipt201ResponseHeaders{ETag: etag(e.Version)}}, nil
}

func (s *server) DeleteExpenseReceipt(ctx context.Context, r oapi.DeleteExpenseReceiptRequestObject) (oapi.DeleteExpenseReceiptResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	e, err := s.expenses.RemoveReceipt(ctx, principal(ctx).Actor(), r.Id, v, r.FileId)
	if err != nil {
		return nil, err
	}
	return oapi.DeleteExpenseReceipt200JSONResponse{Body: toExpense(e), Headers: oapi.DeleteExpenseReceipt200ResponseHeaders{ETag: etag(e.Version)}}, nil
}
