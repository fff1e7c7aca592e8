package sales

import (
	"errors"
	"slices"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

func TestNext(t *testing.T) {
	// want[action][from] is the status reached; missing means refused.
	want := map[Action]map[Status]Status{
		Edit:    {Draft: Draft},
		Confirm: {Draft: Confirmed},
		Deliver: {Confirmed: Delivered},
		Invoice: {Delivered: Invoiced},
		Pay:     {Invoiced: Paid},
		Cancel:  {Draft: Cancelled, Confirmed: Cancelled},
	}
	for action, to := range want {
		for _, from := range Statuses() {
			got, err := Next(from, action, "LS-2026-0001")
			if w, ok := to[from]; ok {
				if err != nil || got != w {
					t.Errorf("%s from %s = %s, %v; want %s", action, from, got, err, w)
				}
				continue
			}
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeConflict {
				t.Errorf("%s from %s: %v; want a conflict", action, from, err)
				continue
			}
			var se *StatusError
			if !errors.As(err, &se) || se.Status != from || se.Action != action || !IsStatusError(err) {
				t.Errorf("%s from %s: cause %#v", action, from, se)
			}
			if len(se.Allowed) == 0 || slices.Contains(se.Allowed, from) {
				t.Errorf("%s from %s: allowed %v", action, from, se.Allowed)
			}
		}
	}
}

func TestNextMessages(t *testing.T) {
	_, err := Next(Delivered, Cancel, "LS-2026-0007")
	e, _ := apperr.As(err)
	if want := "Order LS-2026-0007 is DELIVERED; only an order in status DRAFT or CONFIRMED can be cancelled."; e == nil || e.Message != want {
		t.Errorf("message %v; want %q", err, want)
	}
	_, err = Next(Paid, Confirm, "")
	if e, _ := apperr.As(err); e == nil || e.Message != "This order is PAID; only an order in status DRAFT can be confirmed." {
		t.Errorf("message %v", err)
	}
	_, err = Next(Draft, "ship", "")
	if e, _ := apperr.As(err); e == nil || e.Code != apperr.CodeValidation || e.Fields["action"].Code != apperr.FieldNotAllowed {
		t.Errorf("unknown action: %v", err)
	}
}

// The flow from the domain: every status is reachable from DRAFT, and
// CANCELLED and PAID are final.
func TestFlowIsComplete(t *testing.T) {
	s := Draft
	for _, a := range []Action{Confirm, Deliver, Invoice, Pay} {
		var err error
		if s, err = Next(s, a, ""); err != nil {
			t.Fatal(err)
		}
	}
	if s != Paid {
		t.Fatalf("ended in %s", s)
	}
	for _, final := range []Status{Paid, Cancelled} {
		for a := range transitions {
			if _, err := Next(final, a, ""); err == nil {
				t.Errorf("%s allowed from final %s", a, final)
			}
		}
	}
}

func TestActions(t *testing.T) {
	want := map[Status][]Action{
		Draft:     {Edit, Confirm, Cancel},
		Confirmed: {Deliver, Cancel},
		Delivered: {Invoice},
		Invoiced:  {Pay},
		Paid:      nil,
		Cancelled: nil,
	}
	for _, s := range Statuses() {
		if got := Actions(s); !slices.Equal(got, want[s]) {
			t.Errorf("Actions(%s) = %v; want %v", s, got, want[s])
		}
	}
}
