package postgres_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// The list's totals come from different places per filter (the number
// counter, the unsettled invoices' index, one count per way of matching
// a search): over a hand-made set of every payment state, each filter's
// total and items are the exact expected invoices.
func TestInvoiceListTotalsByFilter(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	a := env.customer(t, "Bar Rössli")
	// A name that also looks like a number: its search matches one
	// invoice by number and its own invoices by name, one of them both.
	b := env.customer(t, "Kiosk RE000002")
	now := *env.clock
	old := now.AddDate(0, -2, 0) // due a month before now: overdue unless settled

	type plan struct {
		customer int64
		issued   time.Time
		credit   int64        // crates credited (of 3); -1: the whole invoice
		pay      money.Amount // paid; -1: what is left to pay
	}
	plans := []plan{
		{a, old, 0, -1}, // RE000001 paid
		{b, old, 0, 0},  // RE000002 overdue
		{a, old, 0, 10}, // RE000003 overdue, partly paid
		{a, now, 0, 0},  // RE000004 open
		{b, now, 0, 10}, // RE000005 partially paid
		{b, now, -1, 0}, // RE000006 paid by a full credit note
		{a, now, 1, -1}, // RE000007 paid: partly credited, the rest paid
		{a, now, 1, 0},  // RE000008 open, partly credited
	}
	ids := make([]int64, len(plans))
	for k, p := range plans {
		*env.clock = p.issued
		inv := env.issue(t, env.delivered(t, p.customer, 3, 0))
		ids[k] = inv.ID
		*env.clock = now
		if p.credit != 0 {
			in := sales.CreditInput{Full: p.credit < 0}
			if p.credit > 0 {
				in.Lines = []sales.CreditEntry{{Line: 0, Quantity: p.credit}}
			}
			if _, err := env.inv.Credit(ctx, stockClerk, inv.ID, invoices.CreditInput{CreditInput: in}); err != nil {
				t.Fatalf("credit %d: %v", k+1, err)
			}
			var err error
			if inv, err = env.inv.Get(ctx, inv.ID); err != nil {
				t.Fatal(err)
			}
		}
		amount := p.pay
		if amount < 0 {
			amount = inv.Account.Open
		}
		if amount > 0 {
			if _, err := env.inv.Pay(ctx, stockClerk, inv.ID, invoices.PaymentInput{Date: now, Amount: amount}); err != nil {
				t.Fatalf("pay %d: %v", k+1, err)
			}
		}
	}
	// The no-filter total is the number counter: it must agree with the
	// rows (invoices are never deleted and numbered without gaps).
	if rows, last := env.count(t, "SELECT count(*) FROM invoices"), env.count(t, "SELECT last FROM document_numbers WHERE kind = 'invoice'"); rows != len(plans) || last != rows {
		t.Fatalf("%d invoices, counter at %d, want %d both", rows, last, len(plans))
	}
	// The unsettled invoices' counter, kept by a trigger, agrees with them
	// after issues, payments and credit notes.
	if kept, counted := env.count(t, "SELECT invoices FROM invoices_unsettled"),
		env.count(t, "SELECT count(*) FROM invoices WHERE payable - credited - paid > 0"); kept != counted || counted != 5 {
		t.Fatalf("%d unsettled invoices counted, %d kept; want 5", counted, kept)
	}
	// So do the invoices kept per name.
	if drift := env.count(t, `SELECT count(*) FROM invoice_customer_names n
		 WHERE n.invoices <> (SELECT count(*) FROM invoices i WHERE i.customer_name = n.name)`); drift != 0 ||
		env.count(t, "SELECT sum(invoices) FROM invoice_customer_names") != len(plans) {
		t.Fatalf("%d names with a wrong number of invoices", drift)
	}
	bNumber := env.count(t, "SELECT number FROM customers WHERE id = $1", b)
	st := func(s ...sales.PaymentState) []sales.PaymentState { return s }
	for _, c := range []struct {
		name string
		f    invoices.Filter
		want []int // invoice numbers, i.e. positions in plans + 1
	}{
		{"all", invoices.Filter{}, []int{1, 2, 3, 4, 5, 6, 7, 8}},
		{"paid", invoices.Filter{States: st(sales.FullyPaid)}, []int{1, 6, 7}},
		{"open", invoices.Filter{States: st(sales.Open)}, []int{4, 8}},
		{"overdue", invoices.Filter{States: st(sales.Overdue)}, []int{2, 3}},
		{"partially paid", invoices.Filter{States: st(sales.PartiallyPaid)}, []int{5}},
		{"unsettled", invoices.Filter{States: st(sales.Open, sales.Overdue, sales.PartiallyPaid)}, []int{2, 3, 4, 5, 8}},
		{"paid or overdue", invoices.Filter{States: st(sales.FullyPaid, sales.Overdue)}, []int{1, 2, 3, 6, 7}},
		{"open or partially paid", invoices.Filter{States: st(sales.Open, sales.PartiallyPaid)}, []int{4, 5, 8}},
		{"open, twice", invoices.Filter{States: st(sales.Open, sales.Open)}, []int{4, 8}},
		{"open of a", invoices.Filter{States: st(sales.Open), CustomerID: &a}, []int{4, 8}},
		{"paid of b", invoices.Filter{States: st(sales.FullyPaid), CustomerID: &b}, []int{6}},
		{"number and name", invoices.Filter{Q: "RE000002"}, []int{2, 5, 6}},
		{"number and name, lower case", invoices.Filter{Q: "re000002"}, []int{2, 5, 6}},
		{"number prefix", invoices.Filter{Q: "RE00000"}, []int{1, 2, 3, 4, 5, 6, 7, 8}},
		{"name", invoices.Filter{Q: "rössli"}, []int{1, 3, 4, 7, 8}},
		{"customer number", invoices.Filter{Q: fmt.Sprint(bNumber)}, []int{2, 5, 6}},
		{"search and state", invoices.Filter{Q: "kiosk", States: st(sales.Overdue)}, []int{2}},
		{"search and paid", invoices.Filter{Q: "rössli", States: st(sales.FullyPaid)}, []int{1, 7}},
		{"search and customer", invoices.Filter{Q: "RE000002", CustomerID: &a}, nil},
		{"no match", invoices.Filter{Q: "nobody"}, nil},
	} {
		var want []int64
		for _, n := range slices.Backward(c.want) {
			want = append(want, ids[n-1])
		}
		got, err := env.inv.List(ctx, c.f, pageOf(t, 10))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var gotIDs []int64
		for _, inv := range got.Items {
			gotIDs = append(gotIDs, inv.ID)
		}
		if got.Total != len(want) || !slices.Equal(gotIDs, want) {
			t.Errorf("%s: total %d, ids %v; want %d, %v", c.name, got.Total, gotIDs, len(want), want)
		}
	}

	// Pages after the first of a search and of a state keep the total and
	// go on where the first stopped.
	for _, f := range []invoices.Filter{{Q: "rössli"}, {States: st(sales.FullyPaid)}} {
		var seen []int64
		p := pageOf(t, 2)
		for {
			got, err := env.inv.List(ctx, f, p)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := env.inv.List(ctx, f, pageOf(t, 10))
			if got.Total != want.Total {
				t.Errorf("%+v: total %d on a later page, %d on the first", f, got.Total, want.Total)
			}
			for _, inv := range got.Items {
				seen = append(seen, inv.ID)
			}
			if got.NextCursor == "" {
				break
			}
			limit := 2
			if p, err = page.NewRequest(&limit, &got.NextCursor, invoices.ListSort); err != nil {
				t.Fatal(err)
			}
		}
		all, _ := env.inv.List(ctx, f, pageOf(t, 10))
		var want []int64
		for _, inv := range all.Items {
			want = append(want, inv.ID)
		}
		if !slices.Equal(seen, want) {
			t.Errorf("%+v: paged %v, want %v", f, seen, want)
		}
	}
}

// Past page.CountLimit the totals say "more" (the cap + 1), whichever way
// they are found; below it they are exact.
func TestInvoiceListTotalsCapped(t *testing.T) {
	env := newInvoices(t)
	ctx := context.Background()
	env.seedInvoices(t, page.CountLimit+50)
	*env.clock = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	unsettled := "payable - credited - paid > 0"
	for _, c := range []struct {
		f    invoices.Filter
		want int
	}{
		{invoices.Filter{}, page.CountLimit + 1},
		{invoices.Filter{States: []sales.PaymentState{sales.FullyPaid}}, env.count(t, "SELECT count(*) FROM invoices WHERE NOT ("+unsettled+")")},
		{invoices.Filter{States: []sales.PaymentState{sales.Overdue}}, env.count(t, "SELECT count(*) FROM invoices WHERE "+unsettled+" AND due_date < '2026-01-01'")},
		{invoices.Filter{Q: "RE0"}, page.CountLimit + 1},
		{invoices.Filter{Q: "RE001"}, 1000},
		{invoices.Filter{Q: "kunde 42"}, env.count(t, "SELECT count(*) FROM invoices WHERE lower(customer_name) LIKE '%kunde 42%'")},
	} {
		got, err := env.inv.List(ctx, c.f, pageOf(t, 5))
		if err != nil || got.Total != c.want || len(got.Items) != min(5, c.want) {
			t.Errorf("%+v: total %d, %d items, want %d: %v", c.f, got.Total, len(got.Items), c.want, err)
		}
	}
}
