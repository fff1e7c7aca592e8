package postgres_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/postgres"
	"github.com/depotix/depotix/services/api/internal/postgres/pgtest"
)

var bookkeeper = audit.Actor{RequestID: "req-expenses"}

type expenseEnv struct {
	pool       *pgxpool.Pool
	svc        *expenses.Service
	categories map[string]int64 // by key
	suppliers  []int64
}

// The expense tests' day: 14 March 2026.
var expenseToday = time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC)

func newExpenses(t *testing.T) expenseEnv {
	t.Helper()
	ctx := context.Background()
	pool := pgtest.Pool(t)
	cat := catalogue.NewService(postgres.NewCatalogueStore(pool))
	env := expenseEnv{pool: pool, categories: map[string]int64{},
		svc: expenses.NewService(postgres.NewExpenseStore(pool), func() time.Time { return expenseToday }, nil, 1<<20)}
	for _, name := range []string{"Feldschlösschen AG", "EWZ Elektrizitätswerk", "Brauerei Paulaner GmbH"} {
		f := catalogue.DefaultSupplierFields()
		f.Name = name
		env.suppliers = append(env.suppliers, try(cat.CreateSupplier(ctx, clerk, f)).must(t).ID)
	}
	for _, c := range try(env.svc.Categories(ctx, false)).must(t) {
		env.categories[c.Key] = c.ID
	}
	return env
}

func (env expenseEnv) fields(day string, supplier int, category string, amount money.Amount, vat ...expenses.VATLine) expenses.Fields {
	d, _ := time.Parse(time.DateOnly, day)
	return expenses.Fields{Date: d, SupplierID: env.suppliers[supplier], CategoryID: env.categories[category],
		Currency: money.CHF, Amount: amount, VAT: vat, Status: expenses.Open}
}

func (env expenseEnv) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	noErr(t, env.pool.QueryRow(context.Background(), sql, args...).Scan(&n))
	return n
}

func TestExpenseCategories(t *testing.T) {
	ctx := context.Background()
	env := newExpenses(t)
	all := try(env.svc.Categories(ctx, false)).must(t)
	var keys []string
	for _, c := range all {
		keys = append(keys, c.Key)
		if want := map[string]expenses.Figure{"purchase": 400, "transport": 400}[c.Key]; want != 0 && c.VATFigure != want ||
			want == 0 && c.VATFigure != expenses.FigureInvestment {
			t.Errorf("%s claims input VAT on figure %d", c.Key, c.VATFigure)
		}
	}
	slices.Sort(keys)
	if !slices.Equal(keys, []string{"maintenance", "marketing", "office", "other", "purchase", "transport", "utilities"}) {
		t.Fatalf("built-in categories: %v", keys)
	}

	vehicles := try(env.svc.CreateCategory(ctx, bookkeeper, expenses.CategoryFields{Name: " Fahrzeuge ", VATFigure: 405})).must(t)
	if vehicles.Key != "" || vehicles.Name != "Fahrzeuge" || vehicles.Version != 1 {
		t.Errorf("added category: %+v", vehicles)
	}
	wantField(t, mustErr(env.svc.CreateCategory(ctx, bookkeeper, expenses.CategoryFields{Name: "FAHRZEUGE", VATFigure: 405})),
		apperr.CodeConflict, "name", "")
	renamed := try(env.svc.UpdateCategory(ctx, bookkeeper, env.categories["utilities"], 1,
		expenses.CategoryPatch{Name: ptr("Strom, Gas, Wasser")})).must(t)
	if renamed.Key != "utilities" || renamed.Name != "Strom, Gas, Wasser" || renamed.Version != 2 {
		t.Errorf("renamed: %+v", renamed)
	}
	wantField(t, mustErr(env.svc.UpdateCategory(ctx, bookkeeper, vehicles.ID, 0, expenses.CategoryPatch{VATFigure: ptr(expenses.Figure(300))})),
		apperr.CodeValidation, "vat_figure", "")
	try(env.svc.SetCategoryArchived(ctx, bookkeeper, vehicles.ID, 1, true)).must(t)
	if got := try(env.svc.Categories(ctx, false)).must(t); len(got) != 7 {
		t.Errorf("%d categories offered after archiving the eighth", len(got))
	}
	if got := try(env.svc.Categories(ctx, true)).must(t); len(got) != 8 {
		t.Errorf("%d categories in all", len(got))
	}
	// A new expense cannot use the archived category.
	f := env.fields("2026-03-01", 0, "other", 1000)
	f.CategoryID = vehicles.ID
	wantField(t, mustErr(env.svc.Create(ctx, bookkeeper, f)), apperr.CodeValidation, "category_id", "is archived")
}

func TestExpenseLifecycle(t *testing.T) {
	ctx := context.Background()
	env := newExpenses(t)

	// A CHF expense with two rates: the lines come back by rate, each in
	// CHF too, their sum on the row.
	e := try(env.svc.Create(ctx, bookkeeper, env.fields("2026-03-02", 0, "purchase", 54321,
		expenses.VATLine{RateBP: 810, VAT: 2000}, expenses.VATLine{RateBP: 260, VAT: 300}))).must(t)
	if e.SupplierName != "Feldschlösschen AG" || e.CategoryName != "Wareneinkauf" || e.VATFigure != 400 || e.AmountCHF != 54321 ||
		e.Rate != expenses.RateScale || e.Version != 1 || len(e.Receipts) != 0 || e.Status != expenses.Open {
		t.Errorf("created: %+v", e)
	}
	if !slices.Equal(e.VAT, []expenses.VATLine{{RateBP: 260, VAT: 300, VATCHF: 300}, {RateBP: 810, VAT: 2000, VATCHF: 2000}}) {
		t.Errorf("VAT lines: %+v", e.VAT)
	}
	if n := env.count(t, "SELECT vat_chf FROM expenses WHERE id = $1", e.ID); n != 2300 {
		t.Errorf("kept VAT total %d", n)
	}
	id := strconv.FormatInt(e.ID, 10)
	if tr := trail(t, env.pool, "expense", id); len(tr) != 1 || tr[0].Action != audit.ActionCreate {
		t.Errorf("audit after create: %+v", tr)
	}

	// EUR at the day's rate: amount and VAT in CHF, rounded to the Rappen.
	eur := env.fields("2026-03-05", 2, "purchase", 11900, expenses.VATLine{RateBP: 1900, VAT: 1900})
	eur.Currency, eur.Rate = money.EUR, 941_200
	x := try(env.svc.Create(ctx, bookkeeper, eur)).must(t)
	if x.AmountCHF != 11200 || x.VAT[0].VATCHF != 1788 || x.Rate != 941_200 {
		t.Errorf("EUR expense: %+v", x)
	}

	// What only the database knows is refused with the field, and nothing
	// is written.
	before := auditCount(t, env.pool)
	bad := env.fields("2026-03-02", 0, "office", 1000)
	bad.SupplierID = 999_999
	wantField(t, mustErr(env.svc.Create(ctx, bookkeeper, bad)), apperr.CodeValidation, "supplier_id", "does not exist")
	if n := env.count(t, "SELECT count(*) FROM expenses"); n != 2 || auditCount(t, env.pool) != before {
		t.Errorf("a refused expense left %d expenses and %d audit records", n, auditCount(t, env.pool)-before)
	}

	// The same fields again write nothing; a change is a new version with
	// its audit record; a stale version is refused.
	same := env.fields("2026-03-02", 0, "purchase", 54321, expenses.VATLine{RateBP: 810, VAT: 2000}, expenses.VATLine{RateBP: 260, VAT: 300})
	if got := try(env.svc.Update(ctx, bookkeeper, e.ID, 1, same)).must(t); got.Version != 1 {
		t.Errorf("an unchanged update made version %d", got.Version)
	}
	paid := same
	paid.Status, paid.PaidOn, paid.Note = expenses.Paid, ptr(time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)), "bezahlt per E-Banking"
	paid.VAT = []expenses.VATLine{{RateBP: 810, VAT: 2100}}
	got := try(env.svc.Update(ctx, bookkeeper, e.ID, 1, paid)).must(t)
	if got.Version != 2 || got.Status != expenses.Paid || got.PaidOn == nil || len(got.VAT) != 1 || got.VAT[0].VAT != 2100 {
		t.Errorf("paid: %+v", got)
	}
	if n := env.count(t, "SELECT vat_chf FROM expenses WHERE id = $1", e.ID); n != 2100 {
		t.Errorf("kept VAT total after the update %d", n)
	}
	tr := trail(t, env.pool, "expense", id)
	if len(tr) != 2 || tr[1].Action != audit.ActionUpdate || tr[1].Changes["status"].To != "paid" {
		t.Errorf("audit after update: %+v", tr)
	}
	wantCode(t, mustErr(env.svc.Update(ctx, bookkeeper, e.ID, 1, same)), apperr.CodePrecondition)

	// Receipts: a PDF is kept and served back byte for byte; HTML that
	// calls itself a PDF is refused; a removed receipt is gone.
	pdf := []byte("%PDF-1.7\n% a receipt\n")
	withReceipt := try(env.svc.AddReceipt(ctx, bookkeeper, e.ID, 2, "Rechnung März.pdf", pdf)).must(t)
	if len(withReceipt.Receipts) != 1 || withReceipt.Version != 3 || withReceipt.Receipts[0].Name != "Rechnung März.pdf" {
		t.Fatalf("with a receipt: %+v", withReceipt)
	}
	file := withReceipt.Receipts[0]
	_, content, err := env.svc.Receipt(ctx, e.ID, file.ID)
	if err != nil || !bytes.Equal(content, pdf) {
		t.Errorf("receipt back: %v, %q", err, content)
	}
	wantField(t, mustErr(env.svc.AddReceipt(ctx, bookkeeper, e.ID, 3, "receipt.pdf", []byte("<html><script>alert(1)</script>"))),
		apperr.CodeValidation, "file", "")
	_, _, err = env.svc.Receipt(ctx, x.ID, file.ID) // another expense's
	wantCode(t, err, apperr.CodeNotFound)
	hasReceipt := try(env.svc.List(ctx, expenses.Filter{HasReceipt: ptr(true)}, pageOf(t, 10))).must(t)
	if hasReceipt.Total != 1 || hasReceipt.Items[0].ID != e.ID {
		t.Errorf("expenses with a receipt: %+v", hasReceipt)
	}
	noReceipt := try(env.svc.RemoveReceipt(ctx, bookkeeper, e.ID, 3, file.ID)).must(t)
	if len(noReceipt.Receipts) != 0 || env.count(t, "SELECT receipts FROM expenses WHERE id = $1", e.ID) != 0 {
		t.Errorf("after removing the receipt: %+v", noReceipt)
	}

	// Archived expenses leave the list and come back on request; an
	// expense no goods receipt booked may be deleted, with its receipts.
	try(env.svc.AddReceipt(ctx, bookkeeper, x.ID, 1, "beleg.png", pngOf("x"))).must(t)
	try(env.svc.SetArchived(ctx, bookkeeper, e.ID, 4, true)).must(t)
	if l := try(env.svc.List(ctx, expenses.Filter{}, pageOf(t, 10))).must(t); l.Total != 1 || l.Items[0].ID != x.ID {
		t.Errorf("list without the archived one: %+v", l)
	}
	if l := try(env.svc.List(ctx, expenses.Filter{Archived: true}, pageOf(t, 10))).must(t); l.Total != 1 || l.Items[0].ID != e.ID {
		t.Errorf("archived list: %+v", l)
	}
	noErr(t, env.svc.Delete(ctx, bookkeeper, x.ID, 2))
	wantCode(t, mustErr(env.svc.Get(ctx, x.ID)), apperr.CodeNotFound)
	if n := env.count(t, "SELECT count(*) FROM files WHERE owner_kind = 'expense_receipt' AND owner_id = $1", x.ID); n != 0 {
		t.Errorf("%d receipts outlived their expense", n)
	}
}

func TestExpenseListFiltersAndPages(t *testing.T) {
	ctx := context.Background()
	env := newExpenses(t)
	// Twelve expenses, several on one day, so the pages' keyset needs the
	// id after the date.
	type spec struct {
		day      string
		supplier int
		category string
		paid     bool
		note     string
	}
	specs := []spec{
		{"2026-01-05", 0, "purchase", true, ""}, {"2026-01-05", 1, "utilities", true, "Strom Januar"},
		{"2026-02-01", 0, "purchase", false, ""}, {"2026-02-01", 0, "transport", false, ""},
		{"2026-02-01", 2, "purchase", false, "Kühlschrank"}, {"2026-02-15", 1, "utilities", false, "Strom Februar"},
		{"2026-03-01", 0, "purchase", false, ""}, {"2026-03-01", 2, "marketing", true, ""},
		{"2026-03-01", 0, "office", false, ""}, {"2026-03-01", 1, "utilities", false, "Strom März"},
		{"2026-03-13", 2, "purchase", false, ""}, {"2026-03-14", 0, "purchase", false, ""},
	}
	ids := make([]int64, len(specs))
	for i, s := range specs {
		f := env.fields(s.day, s.supplier, s.category, money.Amount(1000+i))
		f.Note = s.note
		if s.paid {
			f.Status, f.PaidOn = expenses.Paid, ptr(f.Date)
		}
		ids[i] = try(env.svc.Create(ctx, bookkeeper, f)).must(t).ID
	}
	day := func(s string) *time.Time { d, _ := time.Parse(time.DateOnly, s); return &d }
	for _, c := range []struct {
		name string
		f    expenses.Filter
		want []int // indexes into specs, newest first
	}{
		{"all", expenses.Filter{}, []int{11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0}},
		{"February", expenses.Filter{From: day("2026-02-01"), To: day("2026-02-28")}, []int{5, 4, 3, 2}},
		{"a supplier", expenses.Filter{SupplierID: &env.suppliers[1]}, []int{9, 5, 1}},
		{"a category", expenses.Filter{CategoryID: ptr(env.categories["purchase"])}, []int{11, 10, 6, 4, 2, 0}},
		{"paid", expenses.Filter{Status: expenses.Paid}, []int{7, 1, 0}},
		{"supplier's name", expenses.Filter{Q: "paulaner"}, []int{10, 7, 4}},
		{"note", expenses.Filter{Q: "strom"}, []int{9, 5, 1}},
		{"no receipt, March, open", expenses.Filter{From: day("2026-03-01"), Status: expenses.Open, HasReceipt: ptr(false)}, []int{11, 10, 9, 8, 6}},
	} {
		var want []int64
		for _, i := range c.want {
			want = append(want, ids[i])
		}
		// Pages of two, each after the last; every page has the total.
		var got []int64
		p := pageOf(t, 2)
		for {
			l := try(env.svc.List(ctx, c.f, p)).must(t)
			if l.Total != len(want) {
				t.Errorf("%s: total %d, want %d", c.name, l.Total, len(want))
			}
			for _, e := range l.Items {
				got = append(got, e.ID)
			}
			if l.NextCursor == "" {
				break
			}
			limit := 2
			p = try(page.NewRequest(&limit, &l.NextCursor, expenses.ListSort)).must(t)
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s: %v, want %v", c.name, got, want)
		}
		// The export reads the same expenses in the same order.
		var exported []int64
		noErr(t, postgres.NewExpenseStore(env.pool).EachExpense(ctx, c.f, func(e expenses.Expense) error {
			exported = append(exported, e.ID)
			return nil
		}))
		if !slices.Equal(exported, want) {
			t.Errorf("%s exported: %v, want %v", c.name, exported, want)
		}
	}
	wantCode(t, mustErr(env.svc.List(ctx, expenses.Filter{From: day("2026-03-01"), To: day("2026-02-01")}, pageOf(t, 2))), apperr.CodeValidation)
}
