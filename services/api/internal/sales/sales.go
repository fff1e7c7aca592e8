// Package sales holds the rules of selling: the order's status machine,
// document numbers, order lines and their prices, deliveries with empties,
// the totals of invoices and credit notes, payments and a customer's deposit
// balance. It decides on values the store read and returns apperr errors;
// it knows no HTTP, no SQL and no PDF (like ledger and catalogue).
package sales

import (
	"errors"
	"fmt"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Status is where an order stands. It changes only through an Action.
type Status string

// Statuses of an order.
const (
	Draft     Status = "DRAFT"     // editable
	Confirmed Status = "CONFIRMED" // lines frozen, stock reserved
	Delivered Status = "DELIVERED" // issue movements posted
	Invoiced  Status = "INVOICED"  // on an issued invoice
	Paid      Status = "PAID"      // its invoice is paid
	Cancelled Status = "CANCELLED" // reservation released
)

// Statuses returns every status in the order of the flow.
func Statuses() []Status {
	return []Status{Draft, Confirmed, Delivered, Invoiced, Paid, Cancelled}
}

// Action moves an order from one status to the next (Edit keeps it).
type Action string

// Actions on an order.
const (
	Edit    Action = "edit"    // change lines: DRAFT only
	Confirm Action = "confirm" // DRAFT → CONFIRMED
	Deliver Action = "deliver" // CONFIRMED → DELIVERED
	Invoice Action = "invoice" // DELIVERED → INVOICED, by issuing an invoice
	Pay     Action = "pay"     // INVOICED → PAID, when its invoice is paid
	Cancel  Action = "cancel"  // DRAFT or CONFIRMED → CANCELLED
)

// transitions lists, per action, the statuses it starts from and where it
// leads. The one table of the machine: Next and the docs follow it.
var transitions = map[Action]struct {
	from []Status
	to   Status
}{
	Edit:    {[]Status{Draft}, Draft},
	Confirm: {[]Status{Draft}, Confirmed},
	Deliver: {[]Status{Confirmed}, Delivered},
	Invoice: {[]Status{Delivered}, Invoiced},
	Pay:     {[]Status{Invoiced}, Paid},
	Cancel:  {[]Status{Draft, Confirmed}, Cancelled},
}

// StatusError says an action is not allowed from an order's status. Next
// returns it inside an apperr.Error of code conflict (HTTP 409); errors.As
// finds it for callers that need the statuses.
type StatusError struct {
	Action  Action
	Status  Status   // the order's status
	Allowed []Status // the statuses the action starts from
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("cannot %s an order in status %s", e.Action, e.Status)
}

// Next returns the status action leads to from status, or a conflict
// error (with a *StatusError as its cause) when the action is not allowed
// there. number names the order in the message; it may be empty.
func Next(status Status, action Action, number string) (Status, error) {
	t, ok := transitions[action]
	if !ok {
		return "", apperr.FieldProblem("Unknown action.", "action",
			apperr.NotAllowed(Edit, Confirm, Deliver, Invoice, Pay, Cancel))
	}
	for _, f := range t.from {
		if f == status {
			return t.to, nil
		}
	}
	names := make([]string, len(t.from))
	for i, f := range t.from {
		names[i] = string(f)
	}
	order := "This order"
	if number != "" {
		order = "Order " + number
	}
	return "", &apperr.Error{
		Code: apperr.CodeConflict,
		Message: fmt.Sprintf("%s is %s; only an order in status %s can be %s.",
			order, status, apperr.OneOf(names), pastTense[action]),
		Err: &StatusError{Action: action, Status: status, Allowed: t.from},
	}
}

var pastTense = map[Action]string{
	Edit: "edited", Confirm: "confirmed", Deliver: "delivered",
	Invoice: "invoiced", Pay: "paid", Cancel: "cancelled",
}

// Actions returns the actions allowed from status, in the order of the
// flow: the buttons an order's page offers.
func Actions(status Status) []Action {
	var out []Action
	for _, a := range []Action{Edit, Confirm, Deliver, Invoice, Pay, Cancel} {
		if _, err := Next(status, a, ""); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// IsStatusError reports whether err is a refusal of Next.
func IsStatusError(err error) bool {
	var s *StatusError
	return errors.As(err, &s)
}
