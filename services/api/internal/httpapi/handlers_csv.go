package httpapi

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// CSV export and import of items, customers and suppliers, and the export
// of the movement journal (its format is the ledger's). The file format
// and the matching rules live in the catalogue package; in short:
//
//   - Items are matched by sku (ignoring case). Category and preferred
//     supplier are given by name; an unknown name is a problem of its line.
//   - Customers are matched by number; a row without a number creates a
//     customer with the next number, and an unknown number is a problem.
//     Changing a credit limit needs auth.PermPrices: a clerk's file that
//     would change one is refused (403), one that leaves them as they are
//     (an exported file) is fine.
//   - Suppliers are matched by id when the row has one; otherwise by name
//     (ignoring case) when exactly one supplier has that name; otherwise a
//     new supplier is created when none has it, and when several do the row
//     is a problem that asks for the id.
//
// An import with any problem answers 422 with every problem by line and
// column and writes nothing; otherwise all rows are written in one
// transaction. dry_run=true does the same and rolls back.

// An export is written by a goroutine into a pipe the response copies from,
// so rows flow from the database to the client without being collected.
// The handler waits for the first bytes (the CSV writer hands them over in
// blocks of 4 KiB, or at the end) before it answers: an export that fails
// at once, such as with the database gone, gets the usual error answer.
// After that the status line is out; when reading fails halfway the
// connection is cut (http.ErrAbortHandler), so that the client sees a broken
// download rather than a file that looks complete.

// exportFailed marks an error of the export's own side, as opposed to a
// client that went away.
type exportFailed struct{ err error }

func (e exportFailed) Error() string { return "export: " + e.err.Error() }
func (e exportFailed) Unwrap() error { return e.err }

// stream runs export into a pipe and returns its reading end once the
// first bytes are there. The response closes the reader when it is done or
// the client is gone, which makes the export's next write fail; the
// request's context ends its database query.
func stream(ctx context.Context, export func(context.Context, io.Writer) error) (io.ReadCloser, error) {
	pr, pw := io.Pipe()
	go func() {
		if err := export(ctx, pw); err != nil {
			pw.CloseWithError(exportFailed{err})
			return
		}
		pw.Close()
	}()
	br := bufio.NewReader(pr)
	if _, err := br.Peek(1); err != nil && !errors.Is(err, io.EOF) {
		pr.Close()
		return nil, err
	}
	return readCloser{br, pr}, nil
}

type readCloser struct {
	io.Reader
	io.Closer
}

// abortOnExportFailure turns an export failure into a cut connection.
func abortOnExportFailure(err error) error {
	var failed exportFailed
	if errors.As(err, &failed) {
		panic(http.ErrAbortHandler)
	}
	return err
}

// attachment names the download: items-2025-03-14.csv, the date of the
// organisation's zone (as the file's times).
func (s *server) attachment(kind string) *string {
	v := fmt.Sprintf("attachment; filename=%q", kind+"-"+time.Now().In(s.ledger.Zone()).Format(time.DateOnly)+".csv")
	return &v
}

// csvDialect is the dialect an export asked for: semicolons unless
// separator is comma, and the header in lang, or without it in the
// person's profile language (one look-up of the person).
func (s *server) csvDialect(ctx context.Context, lang *oapi.CSVLang, separator *string) (catalogue.CSVDialect, error) {
	d := catalogue.CSVDialect{Separator: catalogue.SeparatorSemicolon}
	if separator != nil && *separator == "comma" {
		d.Separator = catalogue.SeparatorComma
	}
	if lang != nil {
		d.German = *lang == oapi.De
		return d, nil
	}
	u, err := s.auth.User(ctx, principal(ctx).UserID)
	if err != nil {
		return d, fmt.Errorf("export: the person's language: %w", err)
	}
	d.German = u.Language == auth.LangDE
	return d, nil
}

// separator is an export's separator parameter as text (each operation
// has its own generated type).
func separator[S ~string](p *S) *string {
	if p == nil {
		return nil
	}
	v := string(*p)
	return &v
}

type itemsCSV struct {
	oapi.ExportItems200TextcsvResponse
}

func (r itemsCSV) VisitExportItemsResponse(w http.ResponseWriter) error {
	return abortOnExportFailure(r.ExportItems200TextcsvResponse.VisitExportItemsResponse(w))
}

type customersCSV struct {
	oapi.ExportCustomers200TextcsvResponse
}

func (r customersCSV) VisitExportCustomersResponse(w http.ResponseWriter) error {
	return abortOnExportFailure(r.ExportCustomers200TextcsvResponse.VisitExportCustomersResponse(w))
}

type movementsCSV struct {
	oapi.ExportMovements200TextcsvResponse
}

func (r movementsCSV) VisitExportMovementsResponse(w http.ResponseWriter) error {
	return abortOnExportFailure(r.ExportMovements200TextcsvResponse.VisitExportMovementsResponse(w))
}

type suppliersCSV struct {
	oapi.ExportSuppliers200TextcsvResponse
}

func (r suppliersCSV) VisitExportSuppliersResponse(w http.ResponseWriter) error {
	return abortOnExportFailure(r.ExportSuppliers200TextcsvResponse.VisitExportSuppliersResponse(w))
}

func (s *server) ExportItems(ctx context.Context, r oapi.ExportItemsRequestObject) (oapi.ExportItemsResponseObject, error) {
	d, err := s.csvDialect(ctx, r.Params.Lang, separator(r.Params.Separator))
	if err != nil {
		return nil, err
	}
	export, err := s.catalogue.ExportItems(listQuery[oapi.ExportItemsParamsArchived, string](nil, nil, r.Params.Q, r.Params.Archived, nil), d)
	if err != nil {
		return nil, err
	}
	body, err := stream(ctx, export)
	if err != nil {
		return nil, err
	}
	return itemsCSV{oapi.ExportItems200TextcsvResponse{Body: body,
		Headers: oapi.ExportItems200ResponseHeaders{ContentDisposition: s.attachment("items")}}}, nil
}

func (s *server) ExportCustomers(ctx context.Context, r oapi.ExportCustomersRequestObject) (oapi.ExportCustomersResponseObject, error) {
	d, err := s.csvDialect(ctx, r.Params.Lang, separator(r.Params.Separator))
	if err != nil {
		return nil, err
	}
	export, err := s.catalogue.ExportCustomers(listQuery[oapi.ExportCustomersParamsArchived, string](nil, nil, r.Params.Q, r.Params.Archived, nil), d)
	if err != nil {
		return nil, err
	}
	body, err := stream(ctx, export)
	if err != nil {
		return nil, err
	}
	return customersCSV{oapi.ExportCustomers200TextcsvResponse{Body: body,
		Headers: oapi.ExportCustomers200ResponseHeaders{ContentDisposition: s.attachment("customers")}}}, nil
}

func (s *server) ExportSuppliers(ctx context.Context, r oapi.ExportSuppliersRequestObject) (oapi.ExportSuppliersResponseObject, error) {
	d, err := s.csvDialect(ctx, r.Params.Lang, separator(r.Params.Separator))
	if err != nil {
		return nil, err
	}
	export, err := s.catalogue.ExportSuppliers(listQuery[oapi.ExportSuppliersParamsArchived, string](nil, nil, r.Params.Q, r.Params.Archived, nil), d)
	if err != nil {
		return nil, err
	}
	body, err := stream(ctx, export)
	if err != nil {
		return nil, err
	}
	return suppliersCSV{oapi.ExportSuppliers200TextcsvResponse{Body: body,
		Headers: oapi.ExportSuppliers200ResponseHeaders{ContentDisposition: s.attachment("suppliers")}}}, nil
}

// ExportMovements streams the journal as CSV with the journal's filters.
func (s *server) ExportMovements(ctx context.Context, r oapi.ExportMovementsRequestObject) (oapi.ExportMovementsResponseObject, error) {
	q := r.Params
	f := ledger.Filter{ItemID: q.ItemId, LocationID: q.LocationId, SupplierID: q.SupplierId, CustomerID: q.CustomerId,
		UserID: q.UserId, From: q.From, To: q.To}
	if q.Type != nil {
		f.Type = ledger.Type(*q.Type)
	}
	d, err := s.csvDialect(ctx, q.Lang, separator(q.Separator))
	if err != nil {
		return nil, err
	}
	export, err := s.ledger.ExportMovements(f, d)
	if err != nil {
		return nil, err
	}
	body, err := stream(ctx, export)
	if err != nil {
		return nil, err
	}
	return movementsCSV{oapi.ExportMovements200TextcsvResponse{Body: body,
		Headers: oapi.ExportMovements200ResponseHeaders{ContentDisposition: s.attachment("movements")}}}, nil
}

func toImportReport(r catalogue.ImportReport) oapi.ImportReport {
	out := oapi.ImportReport{DryRun: r.DryRun, Rows: r.Rows, Created: r.Created, Updated: r.Updated, Unchanged: r.Unchanged,
		Problems: make([]oapi.ImportProblem, 0, len(r.Problems))}
	for _, p := range r.Problems {
		ip := oapi.ImportProblem{Line: p.Line, Code: oapi.FieldCode(p.Code), Message: p.Message}
		if len(p.Params) > 0 {
			params := oapi.FieldParams(p.Params)
			ip.Params = &params
		}
		if p.Column != "" {
			c := p.Column
			ip.Column = &c
		}
		if p.Heading != "" {
			h := p.Heading
			ip.Heading = &h
		}
		out.Problems = append(out.Problems, ip)
	}
	return out
}

func (s *server) ImportItems(ctx context.Context, r oapi.ImportItemsRequestObject) (oapi.ImportItemsResponseObject, error) {
	rep, err := s.catalogue.ImportItems(ctx, principal(ctx).Actor(), r.Body, catalogue.ImportOptions{DryRun: deref(r.Params.DryRun)})
	if err != nil {
		return nil, err
	}
	if len(rep.Problems) > 0 {
		return oapi.ImportItems422JSONResponse(toImportReport(rep)), nil
	}
	return oapi.ImportItems200JSONResponse(toImportReport(rep)), nil
}

func (s *server) ImportCustomers(ctx context.Context, r oapi.ImportCustomersRequestObject) (oapi.ImportCustomersResponseObject, error) {
	rep, err := s.catalogue.ImportCustomers(ctx, principal(ctx).Actor(), r.Body, catalogue.ImportOptions{
		DryRun: deref(r.Params.DryRun), CreditLimits: principal(ctx).Allows(auth.PermPrices)})
	if err != nil {
		return nil, err
	}
	if len(rep.Problems) > 0 {
		return oapi.ImportCustomers422JSONResponse(toImportReport(rep)), nil
	}
	return oapi.ImportCustomers200JSONResponse(toImportReport(rep)), nil
}

func (s *server) ImportSuppliers(ctx context.Context, r oapi.ImportSuppliersRequestObject) (oapi.ImportSuppliersResponseObject, error) {
	rep, err := s.catalogue.ImportSuppliers(ctx, principal(ctx).Actor(), r.Body, catalogue.ImportOptions{DryRun: deref(r.Params.DryRun)})
	if err != nil {
		return nil, err
	}
	if len(rep.Problems) > 0 {
		return oapi.ImportSuppliers422JSONResponse(toImportReport(rep)), nil
	}
	return oapi.ImportSuppliers200JSONResponse(toImportReport(rep)), nil
}
