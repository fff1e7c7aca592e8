package sales

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// delivered returns a delivered order of customer 1000 in CHF: 5 crates of
// beer ordered and 3 delivered, 12 water, no glasses; 2 crates came back.
func delivered(t *testing.T, id int64) DeliveredOrder {
	t.Helper()
	d, err := DecideDelivery(orderLines(t), DeliveryInput{
		Delivered: []int64{3, 12, 0},
		Empties:   []EmptiesInput{{ItemID: 1, Unit: catalogue.UnitPackage, Quantity: 2}},
	}, items(beer(), water(), glass()))
	if err != nil {
		t.Fatal(err)
	}
	return DeliveredOrder{ID: id, Number: FormatOrderNumber(2026, id), CustomerID: 1000, Currency: money.CHF, Status: Delivered, Delivery: d}
}

func TestDecideInvoice(t *testing.T) {
	d, err := DecideInvoice([]DeliveredOrder{delivered(t, 1), delivered(t, 2)}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if d.CustomerID != 1000 || d.Currency != money.CHF || len(d.OrderIDs) != 2 {
		t.Errorf("invoice %+v", d)
	}
	// The glasses delivered with 0 are left out: 2 lines and 1 empties per order.
	if len(d.Lines) != 4 || len(d.Empties) != 2 {
		t.Fatalf("lines %+v empties %+v", d.Lines, d.Empties)
	}
	if l := d.Lines[2]; l.OrderID != 2 || l.OrderLine != 0 || l.Quantity != 3 || l.Unit != catalogue.UnitPackage || l.UnitPrice != 3600 {
		t.Errorf("line 2 %+v", l)
	}
	// Per order: beer 3 × 36.00 = 108.00 and water 12 × 0.95 = 11.40;
	// deposits 3 × 10.20 + 12 × 0.50 = 36.60; empties 2 × 10.20 = 20.40.
	// Two orders: VAT 8.1 % of 216.00 = 17.496 → 17.50, 2.6 % of 22.80
	// = 0.5928 → 0.59; gross 238.80 + 73.20 − 40.80 + 18.09 = 289.29.
	assertTotals(t, d.Totals, Totals{Currency: money.CHF, Net: 23880, Deposits: 7320, EmptiesCredit: 4080, VAT: 1809,
		VATGroups: []VATGroup{{260, 2280, 59}, {810, 21600, 1750}}, Gross: 28929, Rounding: 1, Payable: 28930})

	other := delivered(t, 3)
	other.CustomerID = 1001
	eur := delivered(t, 4)
	eur.Currency = money.EUR
	checkFields(t, second(DecideInvoice([]DeliveredOrder{delivered(t, 1), other, eur, delivered(t, 1)}, Settings{})),
		map[string]apperr.FieldCode{"order_ids[1]": apperr.FieldNotAllowed, "order_ids[2]": apperr.FieldNotAllowed, "order_ids[3]": apperr.FieldSame})
	checkFields(t, second(DecideInvoice(nil, Settings{})), map[string]apperr.FieldCode{"order_ids": apperr.FieldTooFew})
	checkFields(t, second(DecideInvoice(make([]DeliveredOrder, MaxInvoiceOrders+1), Settings{})),
		map[string]apperr.FieldCode{"order_ids": apperr.FieldTooMany})

	confirmed := delivered(t, 5)
	confirmed.Status = Confirmed
	_, err = DecideInvoice([]DeliveredOrder{delivered(t, 1), confirmed}, Settings{})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict || !IsStatusError(err) ||
		e.Message != "Order LS-2026-0005 is CONFIRMED; only an order in status DELIVERED can be invoiced." {
		t.Errorf("confirmed order: %v", err)
	}
}

func second[T any](_ T, err error) error { return err }

func issued(t *testing.T) IssuedInvoice {
	d, err := DecideInvoice([]DeliveredOrder{delivered(t, 1)}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	return IssuedInvoice{Number: "RE000001", Currency: d.Currency, Lines: d.Lines, Empties: d.Empties}
}

func TestDecideCreditNote(t *testing.T) {
	inv := issued(t) // lines: 3 crates beer, 12 water; empties: 2 crates

	full, err := DecideCreditNote(inv, CreditInput{Full: true}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	invTotals, _ := ComputeTotals(money.CHF, Settings{}, []DocLine{inv.Lines[0].DocLine(), inv.Lines[1].DocLine()},
		[]DocEmpties{inv.Empties[0].DocEmpties()})
	assertTotals(t, full.Totals, invTotals.Negate())
	if full.Totals.Payable >= 0 || full.Totals.Payable%5 != 0 {
		t.Errorf("full credit payable %v", full.Totals.Payable)
	}

	// One crate of beer: 36.00 + VAT 2.916 → 2.92 + deposit 10.20 = 49.12 → 49.10.
	one, err := DecideCreditNote(inv, CreditInput{Lines: []CreditEntry{{Line: 0, Quantity: 1}}}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	assertTotals(t, one.Totals, Totals{Currency: money.CHF, Net: -3600, Deposits: -1020, VAT: -292,
		VATGroups: []VATGroup{{810, -3600, -292}}, Gross: -4912, Rounding: 2, Payable: -4910})
	if len(one.Lines) != 1 || one.Lines[0].Quantity != 1 || one.Lines[0].UnitPrice != 3600 {
		t.Errorf("credited lines %+v", one.Lines)
	}

	// After crediting 2 of 3 crates and the empties, 1 crate and 12 water
	// are left; a full credit note takes exactly those.
	inv.CreditedLines = []int64{2, 0}
	inv.CreditedEmpties = []int64{2}
	rest, err := DecideCreditNote(inv, CreditInput{Full: true}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rest.Lines) != 2 || rest.Lines[0].Quantity != 1 || rest.Lines[1].Quantity != 12 || len(rest.Empties) != 0 {
		t.Errorf("rest %+v", rest)
	}

	for _, tc := range []struct {
		name string
		in   CreditInput
		want map[string]apperr.FieldCode
	}{
		{"nothing", CreditInput{}, map[string]apperr.FieldCode{"lines": apperr.FieldTooFew}},
		{"full with lines", CreditInput{Full: true, Lines: []CreditEntry{{0, 1}}}, map[string]apperr.FieldCode{"lines": apperr.FieldTooMany}},
		{"more than is left", CreditInput{Lines: []CreditEntry{{0, 2}, {1, 13}, {2, 1}, {-1, 1}, {1, 1}, {1, 0}}, Empties: []CreditEntry{{0, 1}}},
			map[string]apperr.FieldCode{
				"lines[0].quantity":   apperr.FieldOutOfRange,
				"lines[1].quantity":   apperr.FieldOutOfRange,
				"lines[2].line":       apperr.FieldOutOfRange,
				"lines[3].line":       apperr.FieldOutOfRange,
				"lines[4].line":       apperr.FieldDuplicate,
				"lines[5].line":       apperr.FieldDuplicate,
				"empties[0].quantity": apperr.FieldTooLarge,
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			checkFields(t, second(DecideCreditNote(inv, tc.in, Settings{})), tc.want)
		})
	}

	inv.CreditedLines = []int64{3, 12}
	_, err = DecideCreditNote(inv, CreditInput{Full: true}, Settings{})
	if e, ok := apperr.As(err); !ok || e.Code != apperr.CodeConflict {
		t.Errorf("credited in full: %v", err)
	}
}
