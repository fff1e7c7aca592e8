package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// Accounts of the guideline's examples: a normal IBAN and a QR-IBAN.
const (
	testIBAN   = "CH5800791123000889012"
	testQRIBAN = "CH4431999123000889012"
)

type invoiceEnv struct {
	orderEnv
	inv   *invoices.Service
	clock *time.Time
	wh    int64
	beer  int64
}

// fakePDF stands in for salespdf's renderer: a tiny PDF-looking file that
// names the document, so tests see which document's bytes were stored.
func fakePDF(number string) []byte { return []byte("%PDF-1.7\n% " + number + "\n%%EOF\n") }

// A bill-to name starting "FAIL" makes the finish refuse, after the
// number was drawn.
var fakeRenderers = invoices.Renderers{
	Invoice: func(d salespdf.Invoice) (invoices.FinishInvoice, error) {
		return func(number string, _ qrbill.Bill) ([]byte, error) {
			if strings.HasPrefix(d.BillTo.Name, "FAIL") {
				return nil, errors.New("renderer refuses")
			}
			return fakePDF(number), nil
		}, nil
	},
	CreditNote: func(salespdf.CreditNote) (invoices.FinishCreditNote, error) {
		return func(number string) ([]byte, error) { return fakePDF(number), nil }, nil
	},
}

func newInvoices(t testing.TB) invoiceEnv {
	t.Helper()
	env := invoiceEnv{orderEnv: newOrders(t)}
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	env.clock = &now
	env.inv = invoices.NewService(postgres.NewInvoiceStore(env.pool), fakeRenderers, func() time.Time { return *env.clock }, time.UTC)
	env.exec(t, `UPDATE organisation SET name = 'Getränke Müller GmbH', street = 'Industriestrasse', building_number = '7a',
		postal_code = '8400', town = 'Winterthur', country = 'CH', iban = $1, payment_terms_days = 30`, testIBAN)
	env.wh, env.beer = env.location(t, "WH"), env.saleItem(t, "LAGER")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: env.beer, LocationID: env.wh, Quantity: 100000, Unit: catalogue.UnitBase, Note: "opening"})
	return env
}

func (e invoiceEnv) exec(t testing.TB, sql string, args ...any) {
	t.Helper()
	if _, err := e.pool.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// delivered makes a delivered order of customer: crates crates of beer,
// with empties crates handed back.
func (e invoiceEnv) delivered(t testing.TB, customer int64, crates, empties int64) int64 {
	t.Helper()
	ctx := context.Background()
	o := e.create(t, customer, e.wh, sales.LineInput{ItemID: e.beer, Quantity: crates, Unit: catalogue.UnitPackage})
	if _, err := e.orders.Confirm(ctx, stockClerk, o.ID, 0); err != nil {
		t.Fatal(err)
	}
	in := sales.DeliveryInput{}
	if empties > 0 {
		in.Empties = []sales.EmptiesInput{{ItemID: e.beer, Unit: catalogue.UnitPackage, Quantity: empties}}
	}
	if _, err := e.orders.Deliver(ctx, stockClerk, o.ID, 0, in); err != nil {
		t.Fatal(err)
	}
	return o.ID
}

func (e invoiceEnv) issue(t testing.TB, ids ...int64) invoices.Invoice {
	t.Helper()
	inv, err := e.inv.Issue(context.Background(), stockClerk, invoices.IssueInput{OrderIDs: ids})
	if err != nil {
		t.Fatalf("issue %v: %v", ids, err)
	}
	return inv
}

func (e invoiceEnv) orderStatus(t testing.TB, id int64) sales.Status {
	t.Helper()
	o, err := e.orders.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o.Status
}

// 50 issuers at once get the numbers 1 to 50, each once, even while ten
// more fail after drawing a number (their renderer refuses): a rolled-back
// issue gives its number back.
func TestInvoiceNumbersGaplessConcurrent(t *testing.T) {
	env := newInvoices(t)
	const good, bad = 50, 10
	ok, failing := env.customer(t, "Bar Rössli"), env.customer(t, "FAIL AG")
	var ids []int64
	for range good {
		ids = append(ids, env.delivered(t, ok, 1, 0))
	}
	var badIDs []int64
	for range bad {
		badIDs = append(badIDs, env.delivered(t, failing, 1, 0))
	}
	ctx := context.Background()
	numbers := make([]string, good)
	var wg sync.WaitGroup
	errs := make(chan error, good+bad)
	for i, id := range ids {
		wg.Go(func() {
			inv, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{id}})
			if err != nil {
				errs <- err
				return
			}
			numbers[i] = inv.Number
		})
	}
	for _, id := range badIDs {
		wg.Go(func() {
			if _, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{id}}); err == nil {
				errs <- fmt.Errorf("order %d was invoiced though its renderer refused", id)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	slices.Sort(numbers)
	for i, got := range numbers {
		if want := fmt.Sprintf("RE%06d", i+1); got != want {
			t.Fatalf("numbers[%d] = %s, want %s (all: %v)", i, got, want, numbers)
		}
	}
	if n := env.count(t, "SELECT count(*) FROM invoices"); n != good {
		t.Errorf("%d invoices, want %d", n, good)
	}
	if n := env.count(t, "SELECT last FROM document_numbers WHERE kind = 'invoice'"); n != good {
		t.Errorf("counter at %d, want %d", n, good)
	}
	for _, id := range badIDs {
		if st := env.orderStatus(t, id); st != sales.Delivered {
			t.Errorf("order %d of a failed issue is %s, want DELIVERED", id, st)
		}
	}
	if n := env.count(t, "SELECT count(*) FROM files WHERE owner_kind = 'invoice'"); n != good {
		t.Errorf("%d stored PDFs, want %d", n, good)
	}
}

// An invoice freezes its content, stores the renderer's bytes, moves its
// orders to INVOICED and cannot be changed or deleted afterwards.
func TestInvoiceIssueFreezesAndIsImmutable(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	cust := env.customer(t, "Bar Rössli")
	a, b := env.delivered(t, cust, 2, 1), env.delivered(t, cust, 1, 0)
	inv := env.issue(t, b, a)
	// 3 crates × 24 × 1.50 = 108.00, deposits 3 × 7.20 = 21.60, one empty crate
	// credited 7.20, VAT 8.1 % of 108.00 = 8.75: 131.15 payable.
	if inv.Number != "RE000001" || inv.Totals.Net != 10800 || inv.Totals.Deposits != 2160 || inv.Totals.EmptiesCredit != 720 ||
		inv.Totals.Payable != 13115 || len(inv.Lines) != 2 || len(inv.Empties) != 1 {
		t.Fatalf("invoice = %s net %v deposits %v empties %v payable %v, %d lines %d empties", inv.Number, inv.Totals.Net,
			inv.Totals.Deposits, inv.Totals.EmptiesCredit, inv.Totals.Payable, len(inv.Lines), len(inv.Empties))
	}
	if !slices.Equal(inv.OrderIDs, []int64{b, a}) || inv.Lines[0].OrderID != b || inv.Lines[0].UnitName != "crate" ||
		inv.Lines[0].ItemSKU != "LAGER" || inv.Empties[0].UnitName != "crate" || inv.BillTo.Name != "Bar Rössli" || inv.Company.Name != "Getränke Müller GmbH" {
		t.Errorf("snapshot = orders %v, line %+v, bill to %+v, company %+v", inv.OrderIDs, inv.Lines[0], inv.BillTo, inv.Company)
	}
	if inv.ReferenceType != qrbill.SCOR || !qrbill.ValidSCOR(inv.Reference) || inv.Bill.Amount != 13115 || inv.Bill.Debtor == nil {
		t.Errorf("reference %s %s, bill %+v", inv.ReferenceType, inv.Reference, inv.Bill)
	}
	if !inv.DueDate.Equal(time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)) || inv.Account.State != sales.Open {
		t.Errorf("due %v state %s", inv.DueDate, inv.Account.State)
	}
	for _, id := range []int64{a, b} {
		if st := env.orderStatus(t, id); st != sales.Invoiced {
			t.Errorf("order %d is %s, want INVOICED", id, st)
		}
	}
	f, content, err := env.inv.InvoicePDF(ctx, inv.ID, false)
	if err != nil || string(content) != string(fakePDF("RE000001")) || f.Name != "RE000001.pdf" || f.Type != "application/pdf" {
		t.Fatalf("pdf %+v %q %v", f, content, err)
	}
	got, err := env.inv.Get(ctx, inv.ID)
	if err != nil || got.Totals.Payable != inv.Totals.Payable || len(got.Lines) != 2 || got.Bill.Reference != inv.Reference {
		t.Fatalf("get = %+v, %v", got, err)
	}
	// The orders, as billed, on the invoice's row.
	var numbers []string
	if err := env.pool.QueryRow(ctx, "SELECT array_agg(number ORDER BY array_position($1::bigint[], id)) FROM orders WHERE id = ANY($1)",
		[]int64{b, a}).Scan(&numbers); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.OrderIDs, []int64{b, a}) || !slices.Equal(got.OrderNumbers, numbers) || len(numbers) != 2 {
		t.Errorf("orders %v %v, want %v %v", got.OrderIDs, got.OrderNumbers, []int64{b, a}, numbers)
	}
	// A list reads the scalar columns only, and they agree with the snapshot.
	listed, err := env.inv.List(ctx, invoices.Filter{}, page.Request{Limit: 10})
	if err != nil || len(listed.Items) != 1 {
		t.Fatalf("list = %+v, %v", listed, err)
	}
	l := listed.Items[0]
	if l.Number != got.Number || l.Totals.Payable != got.Totals.Payable || l.CustomerName != got.CustomerName ||
		l.Currency != got.Currency || !l.DueDate.Equal(got.DueDate) || l.Reference != got.Reference || l.Version != got.Version {
		t.Errorf("listed %+v, want the summary of %+v", l, got)
	}

	for _, sql := range []string{
		"UPDATE invoices SET lines = '[]' WHERE id = $1",
		"UPDATE invoices SET payable = payable + 1 WHERE id = $1",
		"UPDATE invoices SET number = 'RE999999' WHERE id = $1",
		"UPDATE invoices SET order_numbers = '{LS-2026-9999,LS-2026-9998}' WHERE id = $1",
		"DELETE FROM invoices WHERE id = $1",
		"UPDATE files SET content = 'x' WHERE id = (SELECT pdf_file_id FROM invoices WHERE id = $1)",
		"DELETE FROM files WHERE id = (SELECT pdf_file_id FROM invoices WHERE id = $1)",
	} {
		if _, err := env.pool.Exec(ctx, sql, inv.ID); err == nil || !strings.Contains(err.Error(), "cannot be") {
			t.Errorf("%s: err = %v, want refused", sql, err)
		}
	}
	// The account may change.
	env.exec(t, "UPDATE invoices SET paid = paid + 1 WHERE id = $1", inv.ID)

	// With a QR-IBAN the next invoice carries a QR reference naming customer and invoice.
	env.exec(t, "UPDATE organisation SET iban = $1", testQRIBAN)
	qr := env.issue(t, env.delivered(t, cust, 1, 0))
	c, n, ok := qrbill.SplitQRR(qr.Reference)
	if qr.ReferenceType != qrbill.QRR || !ok || int64(c) != qr.CustomerNumber || n != 2 || qr.Bill.Account != testQRIBAN {
		t.Errorf("QR-IBAN invoice: %s %s (customer %d, invoice %d)", qr.ReferenceType, qr.Reference, c, n)
	}
}

// Every refusal leaves no trace: no invoice, no number drawn, orders as they were.
func TestInvoiceRefusalsWriteNothing(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	cust, other := env.customer(t, "Bar Rössli"), env.customer(t, "Café Zürich")
	mine, theirs := env.delivered(t, cust, 1, 0), env.delivered(t, other, 1, 0)
	draft := env.create(t, cust, env.wh, sales.LineInput{ItemID: env.beer, Quantity: 1}).ID
	invoiced := env.delivered(t, cust, 1, 0)
	env.issue(t, invoiced)
	bad := env.insertID(t, `INSERT INTO customers (name, billing_postal_code, billing_town) VALUES ('Bar 🍺', '8001', 'Zürich') RETURNING id`)
	badOrder := env.delivered(t, bad, 1, 0)

	cases := []struct {
		name  string
		ids   []int64
		setup string
		code  apperr.Code
		field string
	}{
		{"foreign customer", []int64{mine, theirs}, "", apperr.CodeValidation, "order_ids[1]"},
		{"draft", []int64{draft}, "", apperr.CodeConflict, ""},
		{"invoiced", []int64{invoiced}, "", apperr.CodeConflict, ""},
		{"unknown", []int64{mine, 999999}, "", apperr.CodeValidation, "order_ids[1]"},
		{"twice", []int64{mine, mine}, "", apperr.CodeValidation, "order_ids[1]"},
		{"character", []int64{badOrder}, "", apperr.CodeValidation, "customer.name"},
		{"incomplete profile", []int64{mine}, "UPDATE organisation SET iban = '', town = ''", apperr.CodeConflict, "company.iban"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.setup != "" {
				env.exec(t, c.setup)
			}
			_, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: c.ids})
			e := wantLedgerCode(t, err, c.code)
			if _, ok := e.Fields[c.field]; c.field != "" && !ok {
				t.Errorf("fields = %v, want %s", e.Fields, c.field)
			}
			if n := env.count(t, "SELECT count(*) FROM invoices"); n != 1 {
				t.Errorf("%d invoices after the refusal", n)
			}
			if n := env.count(t, "SELECT last FROM document_numbers WHERE kind = 'invoice'"); n != 1 {
				t.Errorf("counter at %d after the refusal", n)
			}
			for _, id := range []int64{mine, theirs, badOrder} {
				if st := env.orderStatus(t, id); st != sales.Delivered {
					t.Errorf("order %d is %s", id, st)
				}
			}
		})
	}
	// A date in the future is refused before anything is read.
	tomorrow := env.clock.AddDate(0, 0, 1)
	_, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{mine}, Date: &tomorrow})
	if e := wantLedgerCode(t, err, apperr.CodeValidation); e.Fields["date"].Code != apperr.FieldInFuture {
		t.Errorf("future date: %v", e.Fields)
	}
}

// Credit notes credit at most what is left, keep their own gapless
// numbers, book a goods return into stock, and count against the
// invoice's account; payments add up, settle the invoice and its orders,
// and an overpayment is booked and flagged.
func TestInvoiceCreditNotesAndPayments(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	cust := env.customer(t, "Bar Rössli")
	order := env.delivered(t, cust, 3, 0)
	inv := env.issue(t, order)
	// 3 crates: 108.00 + 21.60 deposits + 8.75 VAT = 138.35 payable.
	if inv.Totals.Payable != 13835 {
		t.Fatalf("payable %v", inv.Totals.Payable)
	}
	before := env.level(t, env.beer, env.wh).Good

	_, err := env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{CreditInput: sales.CreditInput{
		Lines: []sales.CreditEntry{{Line: 0, Quantity: 4}}}})
	if e := wantLedgerCode(t, err, apperr.CodeValidation); e.Fields["lines[0].quantity"].Code != apperr.FieldOutOfRange {
		t.Errorf("over-credit: %v", e.Fields)
	}
	_, err = env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{ReturnGoods: true,
		CreditInput: sales.CreditInput{Lines: []sales.CreditEntry{{Line: 0, Quantity: 1}}}})
	if e := wantLedgerCode(t, err, apperr.CodeValidation); e.Fields["location_id"].Code != apperr.FieldRequiredWith {
		t.Errorf("return without location: %v", e.Fields)
	}

	cn, err := env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{Reason: "broken crate", ReturnGoods: true, LocationID: &env.wh,
		CreditInput: sales.CreditInput{Lines: []sales.CreditEntry{{Line: 0, Quantity: 1}}}})
	if err != nil {
		t.Fatal(err)
	}
	// One crate: 36.00 + 7.20 + 2.92 VAT = 46.12 → 46.10.
	if cn.Number != "GS000001" || cn.Totals.Payable != -4610 || len(cn.MovementIDs) != 1 || cn.Lines[0].InvoiceLine != 0 {
		t.Fatalf("credit note %s payable %v movements %v lines %+v", cn.Number, cn.Totals.Payable, cn.MovementIDs, cn.Lines)
	}
	if got := env.level(t, env.beer, env.wh).Good; got != before+24 {
		t.Errorf("stock after the return %d, want %d", got, before+24)
	}
	if n := env.count(t, "SELECT count(*) FROM deposit_entries WHERE credit_note_id = $1 AND charged = -720", cn.ID); n != 1 {
		t.Errorf("deposit entries of the credit note: %d", n)
	}
	_, pdf, err := env.inv.CreditNotePDF(ctx, cn.ID, false)
	if err != nil || string(pdf) != string(fakePDF("GS000001")) {
		t.Errorf("credit note pdf %q %v", pdf, err)
	}

	pay := func(amount money.Amount, date time.Time) invoices.Invoice {
		t.Helper()
		got, err := env.inv.Pay(ctx, stockClerk, inv.ID, invoices.PaymentInput{Date: date, Amount: amount})
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	today := *env.clock
	for _, bad := range []struct {
		amount money.Amount
		date   time.Time
		field  string
	}{{0, today, "amount"}, {-5, today, "amount"}, {10_000_000_000_000_00, today, "amount"}, {100, today.AddDate(0, 0, 1), "date"}} {
		_, err := env.inv.Pay(ctx, stockClerk, inv.ID, invoices.PaymentInput{Date: bad.date, Amount: bad.amount})
		if e := wantLedgerCode(t, err, apperr.CodeValidation); e.Fields[bad.field].Code == "" {
			t.Errorf("payment %v on %v: fields %v", bad.amount, bad.date, e.Fields)
		}
	}
	if n := env.count(t, "SELECT count(*) FROM payments"); n != 0 {
		t.Fatalf("%d payments after refusals", n)
	}

	got := pay(5000, today)
	if got.Account.State != sales.PartiallyPaid || got.Account.Open != 13835-4610-5000 || len(got.Payments) != 1 {
		t.Errorf("after 50.00: %+v", got.Account)
	}
	if st := env.orderStatus(t, order); st != sales.Invoiced {
		t.Errorf("order %s before paid", st)
	}
	// Overdue once the due date has passed, while something is open.
	*env.clock = today.AddDate(0, 0, 31)
	if got, _ := env.inv.Get(ctx, inv.ID); got.Account.State != sales.Overdue {
		t.Errorf("after the due date: %s", got.Account.State)
	}
	page, err := env.inv.List(ctx, invoices.Filter{States: []sales.PaymentState{sales.Overdue}}, pageOf(t, 10))
	if err != nil || len(page.Items) != 1 {
		t.Errorf("overdue list: %d, %v", len(page.Items), err)
	}
	got = pay(4225+100, today)
	if got.Account.State != sales.FullyPaid || got.Account.Overpaid != 100 || got.Account.Open != 0 || len(got.Payments) != 2 {
		t.Errorf("after paying the rest and 1.00 more: %+v", got.Account)
	}
	if st := env.orderStatus(t, order); st != sales.Paid {
		t.Errorf("order %s after paid", st)
	}
	for _, st := range []sales.PaymentState{sales.Open, sales.Overdue, sales.PartiallyPaid} {
		if page, _ := env.inv.List(ctx, invoices.Filter{States: []sales.PaymentState{st}}, pageOf(t, 10)); len(page.Items) != 0 {
			t.Errorf("%s list holds the paid invoice", st)
		}
	}

	// A full credit note takes what is left; then nothing is.
	full, err := env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{CreditInput: sales.CreditInput{Full: true}})
	if err != nil || full.Number != "GS000002" || full.Lines[0].Quantity != 2 {
		t.Fatalf("full credit: %+v %v", full, err)
	}
	_, err = env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{CreditInput: sales.CreditInput{Full: true}})
	wantLedgerCode(t, err, apperr.CodeConflict)
	if n := env.count(t, "SELECT last FROM document_numbers WHERE kind = 'credit_note'"); n != 2 {
		t.Errorf("credit note counter %d", n)
	}
}

// A retried issue under the same Idempotency-Key returns the first
// invoice; the key with another body is refused.
func TestInvoiceIdempotencyKey(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	cust := env.customer(t, "Bar Rössli")
	a, b := env.delivered(t, cust, 1, 0), env.delivered(t, cust, 1, 0)
	var wg sync.WaitGroup
	got := make([]invoices.Invoice, 4)
	errs := make([]error, 4)
	for i := range got {
		wg.Go(func() {
			got[i], errs[i] = env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{a}, RequestKey: "k1"})
		})
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i].ID != got[0].ID {
			t.Errorf("retry %d: %v %v", i, got[i].Number, errs[i])
		}
	}
	_, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{b}, RequestKey: "k1"})
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	if n := env.count(t, "SELECT count(*) FROM invoices"); n != 1 {
		t.Errorf("%d invoices", n)
	}
}

func pageOf(t testing.TB, limit int) page.Request {
	t.Helper()
	p, err := page.NewRequest(&limit, nil, invoices.ListSort)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// camtCredit is one credit of a test camt.054 file.
type camtCredit struct {
	ref, amount, currency, bankRef string
}

// camtFile writes a camt.054.001.04 notification of credits to account.
func camtFile(account string, credits ...camtCredit) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.04"><BkToCstmrDbtCdtNtfctn>
<GrpHdr><MsgId>DPX-TEST</MsgId><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm></GrpHdr>
<Ntfctn><Id>N1</Id><CreDtTm>2026-12-07T08:00:00+01:00</CreDtTm><Acct><Id><IBAN>` + account + `</IBAN></Id></Acct>`)
	for _, c := range credits {
		fmt.Fprintf(&b, `<Ntry><Amt Ccy="%[2]s">%[1]s</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-12-06</Dt></BookgDt><ValDt><Dt>2026-12-06</Dt></ValDt><AcctSvcrRef>E-%[3]s</AcctSvcrRef>
<NtryDtls><TxDtls><Refs><AcctSvcrRef>%[3]s</AcctSvcrRef></Refs><Amt Ccy="%[2]s">%[1]s</Amt><CdtDbtInd>CRDT</CdtDbtInd>
<RltdPties><Dbtr><Nm>Bar Rössli</Nm></Dbtr></RltdPties>`, c.amount, c.currency, c.bankRef)
		if c.ref != "" {
			fmt.Fprintf(&b, `<RmtInf><Strd><CdtrRefInf><Ref>%s</Ref></CdtrRefInf></Strd></RmtInf>`, c.ref)
		}
		b.WriteString(`</TxDtls></NtryDtls></Ntry>`)
	}
	b.WriteString(`</Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`)
	return []byte(b.String())
}

// A camt file books its credits on the invoices their references name
// (QRR and SCOR), lists the others as unmatched, and booked twice books
// nothing twice; an unmatched credit is assigned by hand once.
func TestInvoiceBankImport(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	cust := env.customer(t, "Bar Rössli")
	env.exec(t, "UPDATE organisation SET iban = $1", testQRIBAN)
	qrr := env.issue(t, env.delivered(t, cust, 1, 0))
	env.exec(t, "UPDATE organisation SET iban = $1", testIBAN)
	scorOrder := env.delivered(t, cust, 1, 0)
	scor := env.issue(t, scorOrder)
	if qrr.ReferenceType != qrbill.QRR || scor.ReferenceType != qrbill.SCOR {
		t.Fatalf("references %s %s", qrr.ReferenceType, scor.ReferenceType)
	}
	file := camtFile(testIBAN,
		camtCredit{qrbill.FormatQRR(qrr.Reference), qrr.Totals.Payable.String(), "CHF", "TX-1"},
		camtCredit{scor.Reference, "10.00", "CHF", "TX-2"},
		camtCredit{"RF18539007547034", "5.00", "CHF", "TX-3"},
		camtCredit{"", "7.00", "CHF", "TX-4"},
		camtCredit{scor.Reference, "3.00", "EUR", "TX-5"},
	)
	imp, err := env.inv.Import(ctx, stockClerk, filesUpload("camt.xml", file))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		status invoices.CreditStatus
		reason string
	}{{invoices.Matched, ""}, {invoices.Matched, ""}, {invoices.Unmatched, invoices.UnknownReference},
		{invoices.Unmatched, invoices.NoReference}, {invoices.Unmatched, invoices.WrongCurrency}}
	if imp.Credits != 5 || imp.Duplicates != 0 || imp.Repeated || len(imp.Entries) != 5 {
		t.Fatalf("import = %+v", imp)
	}
	for i, w := range want {
		if e := imp.Entries[i]; e.Status != w.status || e.Reason != w.reason {
			t.Errorf("credit %d: %s %s, want %s %s", i, e.Status, e.Reason, w.status, w.reason)
		}
	}
	if got, _ := env.inv.Get(ctx, qrr.ID); got.Account.State != sales.FullyPaid {
		t.Errorf("QRR invoice after the import: %+v", got.Account)
	}
	if got, _ := env.inv.Get(ctx, scor.ID); got.Account.State != sales.PartiallyPaid || got.Paid != 1000 {
		t.Errorf("SCOR invoice after the import: %+v", got.Account)
	}
	if st := env.orderStatus(t, qrr.OrderIDs[0]); st != sales.Paid {
		t.Errorf("the paid invoice's order is %s", st)
	}

	again, err := env.inv.Import(ctx, stockClerk, filesUpload("camt.xml", file))
	if err != nil || !again.Repeated || again.Credits != 0 || again.Duplicates != 5 {
		t.Fatalf("second import = %+v, %v", again, err)
	}
	if n := env.count(t, "SELECT count(*) FROM payments"); n != 2 {
		t.Errorf("%d payments after importing twice, want 2", n)
	}

	unmatched := invoices.Unmatched
	list, err := env.inv.ListCredits(ctx, &unmatched, pageOf(t, 10))
	if err != nil || len(list.Items) != 3 {
		t.Fatalf("unmatched: %d %v", len(list.Items), err)
	}
	noRef := imp.Entries[3]
	if _, err := env.inv.Assign(ctx, stockClerk, imp.Entries[4].ID, scor.ID); err == nil {
		t.Error("a EUR credit was assigned to a CHF invoice")
	}
	c, err := env.inv.Assign(ctx, stockClerk, noRef.ID, scor.ID)
	if err != nil || c.Status != invoices.Assigned || c.InvoiceNumber != scor.Number {
		t.Fatalf("assign: %+v %v", c, err)
	}
	_, err = env.inv.Assign(ctx, stockClerk, noRef.ID, scor.ID)
	wantLedgerCode(t, err, apperr.CodeConflict)
	if got, _ := env.inv.Get(ctx, scor.ID); got.Paid != 1700 || len(got.Payments) != 2 {
		t.Errorf("SCOR invoice after the assignment: paid %v, %d payments", got.Paid, len(got.Payments))
	}
}

func filesUpload(name string, content []byte) files.Upload {
	return files.Upload{Name: name, Content: content}
}

// Payments entered at once on one invoice all count: the invoice's row
// lock orders them, none is lost.
func TestInvoicePaymentsConcurrent(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	inv := env.issue(t, env.delivered(t, env.customer(t, "Bar Rössli"), 1, 0))
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			if _, err := env.inv.Pay(ctx, stockClerk, inv.ID, invoices.PaymentInput{Date: *env.clock, Amount: 100}); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := env.inv.Get(ctx, inv.ID)
	if err != nil || got.Paid != n*100 || len(got.Payments) != n || got.Version != 1+n {
		t.Errorf("after %d payments: paid %v, %d payments, version %d, %v", n, got.Paid, len(got.Payments), got.Version, err)
	}
}

// The list pages newest first with a cursor and finds invoices by number
// prefix, customer number and part of the name; credit notes page alike.
func TestInvoiceListPages(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	a, b := env.customer(t, "Bar Rössli"), env.customer(t, "Café Zürich")
	for _, c := range []int64{a, b, a} {
		env.issue(t, env.delivered(t, c, 1, 0))
	}
	first, err := env.inv.List(ctx, invoices.Filter{}, pageOf(t, 2))
	if err != nil || first.Total != 3 || len(first.Items) != 2 || first.Items[0].Number != "RE000003" || first.NextCursor == "" {
		t.Fatalf("first page: %+v %v", first, err)
	}
	limit := 2
	p, err := page.NewRequest(&limit, &first.NextCursor, invoices.ListSort)
	if err != nil {
		t.Fatal(err)
	}
	second, err := env.inv.List(ctx, invoices.Filter{}, p)
	if err != nil || len(second.Items) != 1 || second.Items[0].Number != "RE000001" || second.NextCursor != "" {
		t.Fatalf("second page: %+v %v", second, err)
	}
	number := int64(env.count(t, "SELECT number FROM customers WHERE id = $1", b))
	for q, want := range map[string]int{"RE00000": 3, "re000002": 1, "zürich": 1, "rössli": 2, fmt.Sprint(number): 1, "nobody": 0} {
		got, err := env.inv.List(ctx, invoices.Filter{Q: q}, pageOf(t, 10))
		if err != nil || len(got.Items) != want || got.Total != want {
			t.Errorf("q=%s: %d items (total %d), want %d, %v", q, len(got.Items), got.Total, want, err)
		}
	}
	mine, err := env.inv.List(ctx, invoices.Filter{CustomerID: &a}, pageOf(t, 10))
	if err != nil || len(mine.Items) != 2 {
		t.Errorf("customer filter: %d, %v", len(mine.Items), err)
	}
}

// Retries of a full credit note under one key racing each other: the
// ones that waited replay the first credit note instead of being told
// the invoice is already credited in full.
func TestCreditNoteRetriesReplay(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	inv := env.issue(t, env.delivered(t, env.customer(t, "Bar Rössli"), 2, 0))
	got := make([]invoices.CreditNote, 4)
	errs := make([]error, 4)
	var wg sync.WaitGroup
	for i := range got {
		wg.Go(func() {
			got[i], errs[i] = env.inv.Credit(ctx, stockClerk, inv.ID,
				invoices.CreditInput{CreditInput: sales.CreditInput{Full: true}, RequestKey: "credit-1"})
		})
	}
	wg.Wait()
	for i := range got {
		if errs[i] != nil || got[i].ID != got[0].ID {
			t.Errorf("retry %d: %v %v", i, got[i].Number, errs[i])
		}
	}
	if n := env.count(t, "SELECT count(*) FROM credit_notes"); n != 1 {
		t.Errorf("%d credit notes", n)
	}
}
