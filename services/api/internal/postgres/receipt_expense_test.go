package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/postgres"
)

// A priced receipt books its purchase expense in its own transaction: per
// VAT rate the lines' value and VAT, linked to the first movement; any
// problem of the expense books nothing at all.
func TestReceiptBooksItsPurchaseExpense(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, juice := env.item(t, "LAGER", 24, 40), env.item(t, "JUICE", 6, 0)
	if _, err := env.pool.Exec(ctx, "UPDATE items SET vat_rate_bp = CASE WHEN id = $1 THEN 810 ELSE 260 END", beer); err != nil {
		t.Fatal(err)
	}
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei Locher AG")
	mgr := audit.Actor{UserID: env.user(t, "manager@example.ch"), RequestID: "req-receipt-expense"}
	exps := expenses.NewService(postgres.NewExpenseStore(env.pool), nil, nil, 0)
	yesterday := time.Now().UTC().AddDate(0, 0, -1)
	day := time.Date(yesterday.Year(), yesterday.Month(), yesterday.Day(), 0, 0, 0, 0, time.UTC)
	at := day.Add(9 * time.Hour)
	input := func(choice ledger.ReceiptExpense) ledger.ReceiptInput {
		return ledger.ReceiptInput{SupplierID: sup, Reference: "LS-77", EffectiveAt: &at, Expense: &choice, Lines: []ledger.ReceiptLine{
			{ItemID: beer, LocationID: wh, Quantity: 24, Unit: catalogue.UnitPackage, UnitCost: i64(21_600_000)}, // 518.40 at 8.1 %
			{ItemID: juice, LocationID: wh, Quantity: 10, UnitCost: i64(1_055_000)},                              // 10.55 at 2.6 %
		}}
	}
	count := func(sql string) int {
		var n int
		noErr(t, env.pool.QueryRow(ctx, sql).Scan(&n))
		return n
	}

	// Refusals book nothing: an unpriced line, a payment day in the future,
	// a clerk's role is the api's to check (not here).
	unpriced := input(ledger.ReceiptExpense{Status: "open"})
	unpriced.Lines[1].UnitCost = nil
	wantField(t, mustErr(env.svc.CreateReceipt(ctx, mgr, unpriced)), apperr.CodeValidation, "lines[1].unit_cost", "")
	tomorrow := day.AddDate(0, 0, 2)
	wantField(t, mustErr(env.svc.CreateReceipt(ctx, mgr, input(ledger.ReceiptExpense{Status: "paid", PaidOn: &tomorrow}))),
		apperr.CodeValidation, "expense.paid_on", "")
	wantField(t, mustErr(env.svc.CreateReceipt(ctx, mgr, input(ledger.ReceiptExpense{Status: "settled"}))),
		apperr.CodeValidation, "expense.status", "")
	if _, err := env.pool.Exec(ctx, "UPDATE expense_categories SET archived_at = now() WHERE key = 'purchase'"); err != nil {
		t.Fatal(err)
	}
	wantField(t, mustErr(env.svc.CreateReceipt(ctx, mgr, input(ledger.ReceiptExpense{Status: "open"}))),
		apperr.CodeValidation, "expense", "")
	if _, err := env.pool.Exec(ctx, "UPDATE expense_categories SET archived_at = NULL WHERE key = 'purchase'"); err != nil {
		t.Fatal(err)
	}
	if m, e := count("SELECT count(*) FROM movements"), count("SELECT count(*) FROM expenses"); m != 0 || e != 0 {
		t.Fatalf("refused receipts left %d movements and %d expenses", m, e)
	}

	in := input(ledger.ReceiptExpense{Status: "paid", PaidOn: &day, Note: "bar bezahlt"})
	in.RequestKey = "receipt-with-expense"
	ms := try(env.svc.CreateReceipt(ctx, mgr, in)).must(t)
	id := try(exps.BookedBy(ctx, ms[0].ID)).must(t)
	if id == nil {
		t.Fatal("the receipt booked no expense")
	}
	e := try(exps.Get(ctx, *id)).must(t)
	// 518.40 + 41.99 (8.1 % of 518.40 = 41.9904) + 10.55 + 0.27 (2.6 % of 10.55 = 0.2743)
	if e.Amount != 57121 || e.Currency != "CHF" || !e.Date.Equal(day) || e.SupplierID != sup || e.CategoryName != "Wareneinkauf" ||
		e.Status != expenses.Paid || e.Note != "bar bezahlt" || e.ReceiptMovementID == nil || *e.ReceiptMovementID != ms[0].ID {
		t.Errorf("the receipt's expense: %+v", e)
	}
	if want := []expenses.VATLine{{RateBP: 260, VAT: 27, VATCHF: 27}, {RateBP: 810, VAT: 4199, VATCHF: 4199}}; !slices.Equal(e.VAT, want) {
		t.Errorf("VAT lines %+v", e.VAT)
	}
	// Booked again under the same key: the movements come back, no second expense.
	again := try(env.svc.CreateReceipt(ctx, mgr, in)).must(t)
	if !again[0].Replayed || count("SELECT count(*) FROM expenses") != 1 {
		t.Errorf("a replayed receipt: replayed %v, %d expenses", again[0].Replayed, count("SELECT count(*) FROM expenses"))
	}

	// The expense keeps the receipt's date, supplier and amount, and
	// cannot be deleted while the receipt refers to it.
	f := expenses.Fields{Date: e.Date.AddDate(0, 0, -1), SupplierID: e.SupplierID, CategoryID: e.CategoryID, Currency: e.Currency,
		Amount: e.Amount + 100, Status: expenses.Open}
	err := mustErr(exps.Update(ctx, mgr, e.ID, e.Version, f))
	wantField(t, err, apperr.CodeValidation, "date", "")
	wantField(t, err, apperr.CodeValidation, "amount", "")
	wantCode(t, exps.Delete(ctx, mgr, e.ID, e.Version), apperr.CodeConflict)
	f.Date, f.Amount, f.Note = e.Date, e.Amount, "Rechnung folgt"
	f.VAT = []expenses.VATLine{{RateBP: 260, VAT: 27}, {RateBP: 810, VAT: 4199}}
	if got := try(exps.Update(ctx, mgr, e.ID, e.Version, f)).must(t); got.Note != "Rechnung folgt" || got.Status != expenses.Open {
		t.Errorf("the receipt's expense after an update: %+v", got)
	}
	env.checkConsistent(t)
}
