package invoices

import (
	"reflect"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

var day = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)

func invoiceOf(payable money.Amount, ref, currency string) Invoice {
	return Invoice{ID: 7, Number: "RE000007", Currency: currency, Reference: ref, IssueDate: day, PaymentTermsDays: 30,
		Totals: sales.Totals{Payable: payable}}
}

// Credits are booked on the invoice their reference names, add up in file
// order, and wait with a reason otherwise.
func TestMatchCredits(t *testing.T) {
	byRef := map[string]Invoice{"RF1": invoiceOf(10000, "RF1", "CHF")}
	fresh := []BankCredit{
		{BankRef: "a", Reference: "RF1", Amount: 6000, Currency: "CHF", BookingDate: day},
		{BankRef: "b", Reference: "RF1", Amount: 4000, Currency: "CHF", BookingDate: day, DebtorName: "Bar Rössli"},
		{BankRef: "c", Reference: "RF1", Amount: 100, Currency: "EUR"},
		{BankRef: "d", Reference: "RF2", Amount: 100, Currency: "CHF"},
		{BankRef: "e", Amount: 100, Currency: "CHF"},
		{BankRef: "f", Reference: "RF1", Amount: 100, Currency: "CHF", Reversal: true},
	}
	got, err := MatchCredits(fresh, byRef, day)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status   CreditStatus
		reason   string
		payment  bool
		settles  bool
		paidNote string
	}{
		{Matched, "", true, false, "Bank a"},
		{Matched, "", true, true, "Bar Rössli, Bank b"},
		{Unmatched, WrongCurrency, false, false, ""},
		{Unmatched, UnknownReference, false, false, ""},
		{Unmatched, NoReference, false, false, ""},
		{Unmatched, Reversal, false, false, ""},
	}
	for i, w := range want {
		m := got[i]
		if m.Credit.Status != w.status || m.Credit.Reason != w.reason || (m.Payment != nil) != w.payment || m.Settles != w.settles {
			t.Errorf("credit %d: %+v settles %v, want %+v", i, m.Credit, m.Settles, w)
		}
		if w.payment && (m.Payment.Note != w.paidNote || m.Payment.InvoiceID != 7 || *m.Credit.InvoiceID != 7 || m.Credit.InvoiceNumber != "RE000007") {
			t.Errorf("credit %d: payment %+v", i, m.Payment)
		}
	}
}

func order(id, customer int64, status sales.Status, delivered int64) *orders.Order {
	return &orders.Order{ID: id, Number: "LS-2026-000" + string(rune('0'+id)), CustomerID: customer, Currency: "CHF", Status: status,
		Lines: []orders.Line{{Line: sales.Line{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 2, Factor: 24, QuantityBase: 48,
			UnitPrice: 3600, VATRateBP: 810, Deposit: 720}, ItemSKU: "LAGER", ItemName: "Lager", BaseUnit: "Flasche",
			PackageUnit: "Harass", Delivered: &delivered}}}
}

func profile(iban string) company.Profile {
	return company.Profile{Fields: company.Fields{Name: "Getränke Müller GmbH", PostalCode: "8400", Town: "Winterthur",
		Country: "CH", IBAN: iban, PaymentTermsDays: 30, InvoicePrefix: "RE", CreditNotePrefix: "GS"}}
}

func customer(name string) *orders.CustomerState {
	return &orders.CustomerState{ID: 1, Number: 1042, Name: name,
		Billing: catalogue.Address{Street: "Hauptgasse", HouseNumber: "1", PostalCode: "3000", Town: "Bern", Country: "CH"}}
}

// The issue's decision: refusals name their fields; a QR-IBAN gives a QR
// reference built from customer and sequence number, an IBAN a SCOR; the
// renderer lays out the frozen content when the plan is made, before
// there is a number, and finishes it with the number and bill.
func TestDecideIssue(t *testing.T) {
	var rendered salespdf.Invoice
	var prepared int
	var number string
	var bill qrbill.Bill
	render := func(d salespdf.Invoice) (FinishInvoice, error) {
		rendered = d
		prepared++
		return func(n string, b qrbill.Bill) ([]byte, error) { number, bill = n, b; return []byte("%PDF"), nil }, nil
	}
	snap := func(iban, name string, orders ...*orders.Order) IssueSnapshot {
		return IssueSnapshot{Orders: orders, Profile: profile(iban), Customer: customer(name)}
	}
	for _, tc := range []struct {
		name  string
		snap  IssueSnapshot
		field string
		code  apperr.Code
	}{
		{"missing order", snap("CH5800791123000889012", "Krone", order(1, 1, sales.Delivered, 2), nil), "order_ids[1]", apperr.CodeValidation},
		{"other customer", snap("CH5800791123000889012", "Krone", order(1, 1, sales.Delivered, 2), order(2, 9, sales.Delivered, 2)), "order_ids[1]", apperr.CodeValidation},
		{"draft", snap("CH5800791123000889012", "Krone", order(1, 1, sales.Draft, 0)), "", apperr.CodeConflict},
		{"incomplete profile", snap("", "Krone", order(1, 1, sales.Delivered, 2)), "company.iban", apperr.CodeConflict},
		{"character", snap("CH5800791123000889012", "Krone\u00a0🍺", order(1, 1, sales.Delivered, 2)), "customer.name", apperr.CodeValidation},
		{"nothing delivered", snap("CH5800791123000889012", "Krone", order(1, 1, sales.Delivered, 0)), "order_ids", apperr.CodeValidation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decideIssue(tc.snap, []int64{1, 2}, day, day, render)
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if _, has := e.Fields[tc.field]; tc.field != "" && !has {
				t.Errorf("fields = %v, want %s", e.Fields, tc.field)
			}
		})
	}

	prepared = 0
	plan, err := decideIssue(snap("CH4431999123000889012", "Krone", order(1, 1, sales.Delivered, 2)), []int64{1}, day, day, render)
	if err != nil {
		t.Fatal(err)
	}
	if prepared != 1 || rendered.Number != "" || rendered.Bill.Reference != "" {
		t.Errorf("before the number: laid out %d times, number %q, reference %q", prepared, rendered.Number, rendered.Bill.Reference)
	}
	fr, err := plan.Number(42)
	if err != nil {
		t.Fatal(err)
	}
	inv := fr.Doc
	c, n, ok := qrbill.SplitQRR(inv.Reference)
	if inv.Number != "RE000042" || inv.ReferenceType != qrbill.QRR || !ok || c != 1042 || n != 42 {
		t.Errorf("QR-IBAN: %s %s %s", inv.Number, inv.ReferenceType, inv.Reference)
	}
	// 2 crates × 36.00 = 72.00 + 14.40 deposits + 5.83 VAT = 92.23 → 92.25.
	if inv.Totals.Payable != 9225 || inv.Bill.Amount != 9225 || inv.Bill.Message != "Rechnung RE000042" ||
		!inv.DueDate.Equal(day.AddDate(0, 0, 30)) || inv.Lines[0].UnitName != "Harass" {
		t.Errorf("invoice = %+v", inv)
	}
	if number != "RE000042" || !reflect.DeepEqual(bill, inv.Bill) || rendered.BillTo.Name != "Krone" ||
		rendered.Lines[0].Net != 7200 || rendered.Lines[0].DepositNet != 1440 || rendered.Letterhead.IBAN != "CH4431999123000889012" {
		t.Errorf("rendered = %+v", rendered)
	}

	plan, err = decideIssue(snap("CH5800791123000889012", "Krone", order(1, 1, sales.Delivered, 2)), []int64{1}, day, day, render)
	if err != nil {
		t.Fatal(err)
	}
	if fr, err = plan.Number(7); err != nil || fr.Doc.ReferenceType != qrbill.SCOR || fr.Doc.Reference != mustSCOR(t, "RE000007") {
		t.Errorf("IBAN: %s %s %v", fr.Doc.ReferenceType, fr.Doc.Reference, err)
	}
}

func mustSCOR(t *testing.T, s string) string {
	t.Helper()
	r, err := qrbill.BuildSCOR(s)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// A full credit note after a partial one credits what is left, naming the
// invoice's lines it takes.
func TestCreditIndexes(t *testing.T) {
	inv := sales.IssuedInvoice{Lines: []sales.InvoiceLine{{Quantity: 2}, {Quantity: 3}, {Quantity: 1}},
		Empties: []sales.InvoiceEmpties{{Empties: sales.Empties{Quantity: 4}}}, CreditedLines: []int64{2, 1, 0}}
	lines, empties := creditIndexes(sales.CreditInput{Full: true}, inv)
	if len(lines) != 2 || lines[0] != 1 || lines[1] != 2 || len(empties) != 1 || empties[0] != 0 {
		t.Errorf("full: lines %v empties %v", lines, empties)
	}
	lines, _ = creditIndexes(sales.CreditInput{Lines: []sales.CreditEntry{{Line: 2, Quantity: 1}, {Line: 0, Quantity: 1}}}, inv)
	if len(lines) != 2 || lines[0] != 2 || lines[1] != 0 {
		t.Errorf("partial: %v", lines)
	}
}
