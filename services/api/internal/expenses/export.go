package expenses

import (
	"context"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// exportColumns are the expense export's columns, in order (the OpenAPI
// document describes each).
var exportColumns = []string{"id", "date", "supplier", "category", "vat_figure", "currency", "amount", "rate", "amount_chf",
	"vat_chf", "net_chf", "vat", "status", "paid_on", "receipts", "note", "archived"}

var exportLabelsDE = map[string]string{
	"id": "Nr.", "date": "Datum", "supplier": "Lieferant", "category": "Kategorie", "vat_figure": "MWST-Ziffer",
	"currency": "Währung", "amount": "Betrag", "rate": "Kurs", "amount_chf": "Betrag CHF", "vat_chf": "Vorsteuer CHF",
	"net_chf": "Netto CHF", "vat": "Vorsteuer je Satz", "status": "Status", "paid_on": "Bezahlt am",
	"receipts": "Belege", "note": "Notiz", "archived": "Archiviert",
}

var statusDE = map[Status]string{Open: "offen", Paid: "bezahlt"}

// Export writes the expenses of a filter, in the list's order, as CSV
// in dialect d; it is called once the answer's headers are sent.
type Export func(ctx context.Context, w io.Writer) error

// Export validates f and returns the export of every expense it matches.
func (s *Service) Export(f Filter, d catalogue.CSVDialect) (Export, error) {
	if err := checkFilter(&f); err != nil {
		return nil, err
	}
	store := s.store
	return func(ctx context.Context, w io.Writer) error {
		cw := catalogue.NewCSVWriter(w, d)
		if err := cw.Write(d.Header(exportColumns, exportLabelsDE)); err != nil {
			return err
		}
		rec := make([]string, 0, len(exportColumns))
		err := store.EachExpense(ctx, f, func(e Expense) error {
			return cw.Write(e.record(rec, d.German))
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}, nil
}

// record fills rec with e's cells; text people typed or named is escaped
// so that a spreadsheet does not run it as a formula.
func (e Expense) record(rec []string, german bool) []string {
	text := catalogue.EscapeFormula
	var vat []string
	for _, l := range e.VAT {
		vat = append(vat, catalogue.VATPercent(l.RateBP)+"%: "+l.VAT.String())
	}
	status := string(e.Status)
	if german {
		status = statusDE[e.Status]
	}
	paidOn := ""
	if e.PaidOn != nil {
		paidOn = e.PaidOn.Format(time.DateOnly)
	}
	archived := "false"
	if e.ArchivedAt != nil {
		archived = "true"
	}
	return append(rec[:0],
		strconv.FormatInt(e.ID, 10),
		e.Date.Format(time.DateOnly),
		text(e.SupplierName),
		text(e.CategoryName),
		strconv.Itoa(int(e.VATFigure)),
		e.Currency,
		e.Amount.String(),
		FormatRate(e.Rate),
		e.AmountCHF.String(),
		e.VATTotalCHF().String(),
		(e.AmountCHF - e.VATTotalCHF()).String(),
		strings.Join(vat, ", "),
		status,
		paidOn,
		strconv.Itoa(len(e.Receipts)),
		text(e.Note),
		archived,
	)
}
