package expenses

import (
	"slices"
	"testing"

	"github.com/depotix/depotix/services/api/internal/money"
)

func TestFromReceiptRoundsPerRate(t *testing.T) {
	day := day("2026-03-10")
	paid := day
	f := FromReceipt(day, 7, 1, []ReceiptLine{
		{Quantity: 24, UnitCostMicros: 21_600_000, VATRateBP: 810}, // 518.40
		{Quantity: 10, UnitCostMicros: 1_055_000, VATRateBP: 260},  // 10.55
		{Quantity: 3, UnitCostMicros: 333_333, VATRateBP: 810},     // 0.999999: with the first, 519.399999 → 519.40
		{Quantity: 5, UnitCostMicros: 2_000_000, VATRateBP: 0},     // 10.00, no VAT
	}, ReceiptChoice{Status: Paid, PaidOn: &paid, Note: "Lieferschein 4711"})
	// 519.40 + 42.07 (8.1 % of 519.40 = 42.0714) + 10.55 + 0.27 (2.6 % of 10.55 = 0.2743) + 10.00
	if f.Amount != 58229 || f.Currency != money.CHF || f.Rate != RateScale || f.SupplierID != 7 || f.CategoryID != 1 ||
		!f.Date.Equal(day) || f.Status != Paid || f.Note != "Lieferschein 4711" {
		t.Errorf("expense: %+v", f)
	}
	if want := []VATLine{{RateBP: 260, VAT: 27}, {RateBP: 810, VAT: 4207}}; !slices.Equal(f.VAT, want) {
		t.Errorf("VAT lines %+v, want %+v", f.VAT, want)
	}
	// What it makes passes the rules of any expense.
	if _, err := service().check(f); err != nil {
		t.Errorf("the receipt's expense is refused: %v", err)
	}

	// Half a Rappen rounds away from zero.
	if f := FromReceipt(day, 7, 1, []ReceiptLine{{Quantity: 1, UnitCostMicros: 5_000, VATRateBP: 0}}, ReceiptChoice{Status: Open}); f.Amount != 1 {
		t.Errorf("0.005 CHF became %d Rappen", f.Amount)
	}
	// A value no expense may have is refused by the rules, not wrapped.
	huge := FromReceipt(day, 7, 1, []ReceiptLine{{Quantity: 1_000_000_000, UnitCostMicros: 999_999_999_999_999_999, VATRateBP: 810}},
		ReceiptChoice{Status: Open})
	if _, err := service().check(huge); err == nil || huge.Amount <= MaxAmount {
		t.Errorf("a receipt worth more than an expense may be: %d, %v", huge.Amount, err)
	}
}
