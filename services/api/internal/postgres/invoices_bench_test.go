package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// seedInvoices writes n invoices of 500 customers straight into the table
// (one shared PDF file): a fifth paid, a tenth partly paid, a third of the
// rest overdue, as a depot's books look after some years.
func (e invoiceEnv) seedInvoices(t testing.TB, n int) {
	t.Helper()
	e.exec(t, `INSERT INTO customers (name, billing_postal_code, billing_town)
		SELECT 'Kunde ' || g, '8001', 'Zürich' FROM generate_series(1, 500) g`)
	e.exec(t, `INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content)
		VALUES ('invoice', 0, 'application/pdf', 4, sha256('%PDF'), 'seed.pdf', '%PDF')`)
	// The counter goes on after the last number in the same statement,
	// as issuing does: the list's total with no filter is the counter.
	e.exec(t, `
		WITH ins AS (
		INSERT INTO invoices (seq, number, customer_id, customer_number, customer_name, currency, issue_date, due_date,
		                      payment_terms, bill_to, company, lines, empties, totals, payable, reference_type, reference,
		                      bill, pdf_file_id, paid)
		SELECT g, 'RE' || lpad(g::text, 6, '0'), c.id, c.number, c.name, 'CHF',
		       date '2020-01-01' + (g * 2000 / $1), date '2020-01-01' + (g * 2000 / $1) + 30, 30,
		       '{}', '{}', '[]', '[]', '{"Payable": 10000}', 10000, 'SCOR', 'RF' || g, '{}',
		       (SELECT max(id) FROM files),
		       CASE WHEN g % 5 = 0 OR g < $1 * 0.9 THEN 10000 WHEN g % 10 = 1 THEN 5000 ELSE 0 END
		  FROM generate_series(1, $1) g JOIN customers c ON c.id = (SELECT min(id) FROM customers) + g % 500
		RETURNING seq)
		UPDATE document_numbers SET last = (SELECT max(seq) FROM ins) WHERE kind = 'invoice'`, n)
	e.exec(t, "ANALYZE invoices")
}

// BenchmarkInvoiceList pages the invoice list of 50,000 invoices with the
// filters the web uses (go test ./internal/postgres -run '^$' -bench InvoiceList).
func BenchmarkInvoiceList(b *testing.B) {
	env := newInvoices(b)
	env.seedInvoices(b, 50_000)
	ctx := context.Background()
	customer := int64(env.count(b, "SELECT min(id) + 7 FROM customers"))
	for _, c := range []struct {
		name string
		f    invoices.Filter
	}{
		{"all", invoices.Filter{}},
		{"open+overdue", invoices.Filter{States: []sales.PaymentState{sales.Open, sales.Overdue, sales.PartiallyPaid}}},
		{"paid", invoices.Filter{States: []sales.PaymentState{sales.FullyPaid}}},
		{"customer", invoices.Filter{CustomerID: &customer}},
		{"number", invoices.Filter{Q: "RE0420"}},
		{"name", invoices.Filter{Q: "kunde 42"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			var worst time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := env.inv.List(ctx, c.f, pageOf(b, 50)); err != nil {
					b.Fatal(err)
				}
				worst = max(worst, time.Since(start))
			}
			b.ReportMetric(float64(worst.Microseconds())/1000, "worst-ms")
		})
	}
}

// BenchmarkIssue20Lines issues invoices of 20-line delivered orders with
// salespdf's renderer through the whole issue path against PostgreSQL,
// by one and by four issuers at once (go test ./internal/postgres -run
// '^$' -bench Issue20Lines -benchtime 200x). The numbers are drawn one
// after the other: what an issue does between taking the number and its
// commit bounds the throughput. Reported: invoices per second, and the
// mean wall time of laying a PDF out (before the number) and of
// finishing it (under the counter's lock).
func BenchmarkIssue20Lines(b *testing.B) {
	for _, issuers := range []int{1, 4} {
		b.Run(fmt.Sprintf("issuers=%d", issuers), func(b *testing.B) { benchmarkIssue(b, issuers) })
	}
}

func benchmarkIssue(b *testing.B, issuers int) {
	env := newInvoices(b)
	var prepare, finish atomic.Int64
	render := invoices.PDFRenderers()
	layOut := render.Invoice
	render.Invoice = func(d salespdf.Invoice) (invoices.FinishInvoice, error) {
		start := time.Now()
		done, err := layOut(d)
		prepare.Add(int64(time.Since(start)))
		if err != nil {
			return nil, err
		}
		return func(number string, bill qrbill.Bill) ([]byte, error) {
			start := time.Now()
			defer func() { finish.Add(int64(time.Since(start))) }()
			return done(number, bill)
		}, nil
	}
	env.inv = invoices.NewService(postgres.NewInvoiceStore(env.pool), render,
		func() time.Time { return *env.clock }, time.UTC)
	ctx := context.Background()
	cust := env.customer(b, "Bar Rössli")
	items := make([]int64, 20)
	for i := range items {
		items[i] = env.saleItem(b, fmt.Sprintf("ITEM-%02d", i))
		env.book(b, ledger.Input{Type: ledger.Receipt, ItemID: items[i], LocationID: env.wh, Quantity: 1_000_000, Unit: catalogue.UnitBase, Note: "opening"})
	}
	ids := make(chan int64, b.N)
	for range b.N {
		lines := make([]sales.LineInput, len(items))
		for i, it := range items {
			lines[i] = sales.LineInput{ItemID: it, Quantity: 1, Unit: catalogue.UnitPackage}
		}
		o := env.create(b, cust, env.wh, lines...)
		if _, err := env.orders.Confirm(ctx, stockClerk, o.ID, 0); err != nil {
			b.Fatal(err)
		}
		if _, err := env.orders.Deliver(ctx, stockClerk, o.ID, 0, sales.DeliveryInput{}); err != nil {
			b.Fatal(err)
		}
		ids <- o.ID
	}
	close(ids)
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range issuers {
		wg.Go(func() {
			for id := range ids {
				if _, err := env.inv.Issue(ctx, stockClerk, invoices.IssueInput{OrderIDs: []int64{id}}); err != nil {
					b.Error(err)
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if n := env.count(b, "SELECT count(*) FROM invoices"); n != b.N {
		b.Fatalf("%d invoices issued, want %d", n, b.N)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "invoices/s")
	b.ReportMetric(float64(prepare.Load())/float64(b.N)/1e6, "prepare-ms")
	b.ReportMetric(float64(finish.Load())/float64(b.N)/1e6, "finish-ms")
}
