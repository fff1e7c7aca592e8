package sales

import (
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestStatusOf(t *testing.T) {
	issued := date("2026-01-31")
	// 30 days: due on 2 March 2026, overdue from 3 March.
	for _, tc := range []struct {
		name     string
		credited []money.Amount
		payments []money.Amount
		today    string
		want     PaymentStatus
	}{
		{"open", nil, nil, "2026-02-01", PaymentStatus{State: Open, Payable: 10000, Open: 10000}},
		{"open on the due date", nil, nil, "2026-03-02", PaymentStatus{State: Open, Payable: 10000, Open: 10000}},
		{"overdue the day after", nil, nil, "2026-03-03", PaymentStatus{State: Overdue, Payable: 10000, Open: 10000}},
		{"partial payments add up", nil, []money.Amount{2500, 2500}, "2026-02-10",
			PaymentStatus{State: PartiallyPaid, Payable: 10000, Paid: 5000, Open: 5000}},
		{"partly paid and overdue", nil, []money.Amount{2500}, "2026-04-01",
			PaymentStatus{State: Overdue, Payable: 10000, Paid: 2500, Open: 7500}},
		{"paid in parts", nil, []money.Amount{9995, 5}, "2026-02-10", PaymentStatus{State: FullyPaid, Payable: 10000, Paid: 10000}},
		{"paid late is paid", nil, []money.Amount{10000}, "2027-01-01", PaymentStatus{State: FullyPaid, Payable: 10000, Paid: 10000}},
		{"overpaid is flagged", nil, []money.Amount{10000, 50}, "2026-02-10",
			PaymentStatus{State: FullyPaid, Payable: 10000, Paid: 10050, Overpaid: 50}},
		{"a credit note lowers what is due", []money.Amount{-4000}, []money.Amount{6000}, "2026-02-10",
			PaymentStatus{State: FullyPaid, Payable: 6000, Paid: 6000}},
		{"credited in full", []money.Amount{-10000}, nil, "2026-05-10", PaymentStatus{State: FullyPaid}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := StatusOf(10000, tc.credited, tc.payments, issued, 30, date(tc.today))
			if err != nil {
				t.Fatal(err)
			}
			tc.want.Due = date("2026-03-02")
			if got != tc.want {
				t.Errorf("%+v; want %+v", got, tc.want)
			}
		})
	}
	// Time of day and zone do not move the day.
	late := time.Date(2026, 3, 2, 23, 59, 0, 0, time.FixedZone("CET", 3600))
	if s, _ := StatusOf(100, nil, nil, issued, 30, late); s.State != Open {
		t.Errorf("late on the due date: %s", s.State)
	}
	if _, err := StatusOf(100, nil, nil, issued, -1, issued); err == nil {
		t.Error("negative payment terms accepted")
	}
	if _, err := StatusOf(maxAmount, nil, []money.Amount{maxAmount, 1}, issued, 0, issued); err == nil {
		t.Error("payments beyond 13 digits accepted")
	}
}

func TestCheckPayment(t *testing.T) {
	today := date("2026-02-10")
	if err := CheckPayment(PaymentInput{Date: today, Amount: 1}, today); err != nil {
		t.Error(err)
	}
	for _, tc := range []struct {
		in   PaymentInput
		want map[string]apperr.FieldCode
	}{
		{PaymentInput{Date: today}, map[string]apperr.FieldCode{"amount": apperr.FieldTooSmall}},
		{PaymentInput{Date: today, Amount: -5}, map[string]apperr.FieldCode{"amount": apperr.FieldTooSmall}},
		{PaymentInput{Date: today, Amount: maxAmount + 1}, map[string]apperr.FieldCode{"amount": apperr.FieldOverflow}},
		{PaymentInput{Amount: 100}, map[string]apperr.FieldCode{"date": apperr.FieldRequired}},
		{PaymentInput{Date: today.AddDate(0, 0, 1), Amount: 100}, map[string]apperr.FieldCode{"date": apperr.FieldInFuture}},
	} {
		checkFields(t, CheckPayment(tc.in, today), tc.want)
	}
}

func TestDepositBalance(t *testing.T) {
	inv := issued(t) // deposits 36.60 charged, 20.40 credited
	invTotals, _ := ComputeTotals(money.CHF, Settings{}, []DocLine{inv.Lines[0].DocLine(), inv.Lines[1].DocLine()},
		[]DocEmpties{inv.Empties[0].DocEmpties()})
	// A credit note of one crate takes back its 10.20 deposit; one of the
	// returned empties charges their 20.40 again.
	cn, err := DecideCreditNote(inv, CreditInput{Lines: []CreditEntry{{0, 1}}}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	cnEmpties, err := DecideCreditNote(inv, CreditInput{Empties: []CreditEntry{{0, 2}}}, Settings{})
	if err != nil {
		t.Fatal(err)
	}
	onlyEmpties, _ := ComputeTotals(money.CHF, Settings{}, nil, []DocEmpties{{Quantity: 10, Deposit: 30}})
	for _, tc := range []struct {
		name string
		docs []Totals
		want DepositBalance
	}{
		{"none", nil, DepositBalance{}},
		{"one invoice", []Totals{invTotals}, DepositBalance{Charged: 3660, Credited: 2040, Balance: 1620}},
		{"with credit notes", []Totals{invTotals, cn.Totals, cnEmpties.Totals}, DepositBalance{Charged: 2640, Credited: 0, Balance: 2640}},
		{"more back than charged", []Totals{onlyEmpties}, DepositBalance{Credited: 300, Balance: -300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DepositBalanceOf(tc.docs)
			if err != nil || got != tc.want {
				t.Errorf("%+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
	if _, err := DepositBalanceOf([]Totals{{Deposits: maxAmount}, {Deposits: 1}}); err == nil {
		t.Error("a balance beyond 13 digits accepted")
	}
}
