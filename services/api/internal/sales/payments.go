package sales

import (
	"fmt"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// PaymentState is where an invoice's payment stands.
type PaymentState string

// Payment states.
const (
	Open          PaymentState = "open"
	PartiallyPaid PaymentState = "partially_paid"
	FullyPaid     PaymentState = "paid"
	Overdue       PaymentState = "overdue" // not fully paid after the due date
)

// PaymentInput is a payment as a person enters it.
type PaymentInput struct {
	Date   time.Time    `json:"date"` // the day it was received
	Amount money.Amount `json:"amount"`
}

// CheckPayment refuses a payment of no or negative amount, one beyond
// money.MaxWholeDigits, or one dated after today (dates are days; times
// are ignored).
func CheckPayment(in PaymentInput, today time.Time) error {
	p := apperr.Problems{}
	switch {
	case in.Amount < 1:
		p.Add("amount", apperr.TooSmall(1).Because("must be at least 0.01"))
	case !inRange(in.Amount):
		p.Add("amount", apperr.Overflow().Because(fmt.Sprintf("must have at most %d digits before the point", money.MaxWholeDigits)))
	}
	switch {
	case in.Date.IsZero():
		p.Add("date", apperr.Required())
	case Day(in.Date).After(Day(today)):
		p.Add("date", apperr.FieldError{Code: apperr.FieldInFuture, Message: "must not lie in the future"})
	}
	return p.Check()
}

// PaymentStatus is an invoice's account: what is due, paid and open.
type PaymentStatus struct {
	State    PaymentState
	Due      time.Time    // the last day to pay: issue date + payment terms
	Payable  money.Amount // the invoice's payable amount minus its credit notes'
	Paid     money.Amount // Σ payments
	Open     money.Amount // Payable − Paid, never below 0
	Overpaid money.Amount // Paid − Payable when above 0: flagged, not refused
}

// DueDate is the last day to pay an invoice issued on issued with terms
// days of payment terms; it is overdue from the day after.
func DueDate(issued time.Time, termsDays int) time.Time {
	return Day(issued).AddDate(0, 0, termsDays)
}

// StatusOf adds up an invoice's payments. payable is its payable total,
// credited the payable totals of its credit notes as they are (negative).
// An invoice paid in full is paid even when paid late; one not fully paid
// is overdue from the day after its due date (today counts by day).
func StatusOf(payable money.Amount, credited []money.Amount, payments []money.Amount,
	issued time.Time, termsDays int, today time.Time) (PaymentStatus, error) {
	if termsDays < 0 || termsDays > catalogue.MaxPaymentTerms {
		return PaymentStatus{}, apperr.FieldProblem("Check the payment terms.", "payment_terms",
			apperr.OutOfRange(0, catalogue.MaxPaymentTerms))
	}
	s := PaymentStatus{Due: DueDate(issued, termsDays), Payable: payable}
	ok := inRange(payable)
	for _, c := range credited {
		s.Payable, ok = addChecked(s.Payable, c, ok)
	}
	for _, a := range payments {
		s.Paid, ok = addChecked(s.Paid, a, ok)
	}
	if !ok {
		return PaymentStatus{}, apperr.FieldProblem("Check the amount.", "amount",
			apperr.Overflow().Because("makes the payments too large an amount"))
	}
	s.Open = max(s.Payable-s.Paid, 0)
	s.Overpaid = max(s.Paid-s.Payable, 0)
	switch {
	case s.Open == 0:
		s.State = FullyPaid
	case Day(today).After(s.Due):
		s.State = Overdue
	case s.Paid > 0:
		s.State = PartiallyPaid
	default:
		s.State = Open
	}
	return s, nil
}

func addChecked(sum, v money.Amount, ok bool) (money.Amount, bool) {
	s, fits := addAmount(sum, v)
	return s, ok && fits
}

// Day is t's calendar day in t's location, at midnight UTC so that days
// compare and add without daylight-saving surprises.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DepositBalance is a customer's deposit account over their documents.
type DepositBalance struct {
	Charged  money.Amount // Σ deposits charged (credit notes subtract theirs)
	Credited money.Amount // Σ empties credited (credit notes subtract theirs)
	Balance  money.Amount // Charged − Credited: what the customer holds in containers
}

// DepositBalanceOf adds up the deposits and empties of a customer's issued
// invoices and credit notes, given as their Totals (a credit note's
// negated, as DecideCreditNote returns them). Net amounts: VAT on taxable
// deposits is not part of the balance.
func DepositBalanceOf(docs []Totals) (DepositBalance, error) {
	var b DepositBalance
	ok := true
	for _, t := range docs {
		b.Charged, ok = addChecked(b.Charged, t.Deposits, ok)
		b.Credited, ok = addChecked(b.Credited, t.EmptiesCredit, ok)
	}
	b.Balance, ok = addChecked(b.Charged, -b.Credited, ok)
	if !ok {
		return DepositBalance{}, fmt.Errorf("deposit balance of %d documents: %w", len(docs),
			apperr.New(apperr.CodeInternal, "The deposit balance is too large to count."))
	}
	return b, nil
}
