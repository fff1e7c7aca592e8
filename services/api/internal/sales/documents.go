package sales

import (
	"fmt"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// MaxInvoiceOrders bounds the orders on one invoice.
const MaxInvoiceOrders = 50

// DeliveredOrder is a delivered order as an invoice takes it.
type DeliveredOrder struct {
	ID         int64
	Number     string
	CustomerID int64
	Currency   string
	Status     Status
	Delivery   Delivery
}

// InvoiceLine is a billed line: what was delivered of an order line.
type InvoiceLine struct {
	OrderID   int64
	OrderLine int // index of the line in its order
	ItemID    int64
	Unit      catalogue.Unit
	Quantity  int64 // delivered, in Unit
	Factor    int64
	UnitPrice money.Amount
	// PriceOverridden carries the order line's flag onto the document.
	PriceOverridden bool
	VATRateBP       int
	Deposit         money.Amount
}

// DocLine returns l as the totals count it.
func (l InvoiceLine) DocLine() DocLine {
	return DocLine{ItemID: l.ItemID, Quantity: l.Quantity, UnitPrice: l.UnitPrice, VATRateBP: l.VATRateBP, Deposit: l.Deposit}
}

// InvoiceEmpties are empties credited on an invoice.
type InvoiceEmpties struct {
	OrderID int64
	Empties
}

// DocEmpties returns e as the totals count it.
func (e InvoiceEmpties) DocEmpties() DocEmpties {
	return DocEmpties{ItemID: e.ItemID, Quantity: e.Quantity, Deposit: e.Deposit, VATRateBP: e.VATRateBP}
}

// InvoiceDraft is an invoice's content before it is issued (numbered by the store).
type InvoiceDraft struct {
	CustomerID int64
	Currency   string
	OrderIDs   []int64
	Lines      []InvoiceLine
	Empties    []InvoiceEmpties
	Totals     Totals
}

// DecideInvoice makes an invoice of delivered orders of one customer, in
// one currency. orders are in the order of the request's order_ids; a
// problem with the i-th is named order_ids[i]. Lines delivered with 0 are
// left out (short deliveries bill what was delivered).
func DecideInvoice(orders []DeliveredOrder, s Settings) (InvoiceDraft, error) {
	p := apperr.Problems{}
	switch {
	case len(orders) == 0:
		p.Add("order_ids", apperr.TooFew(1))
	case len(orders) > MaxInvoiceOrders:
		p.Add("order_ids", apperr.TooMany(MaxInvoiceOrders))
	}
	if err := p.Check(); err != nil {
		return InvoiceDraft{}, err
	}
	first := orders[0]
	seen := map[int64]int{}
	for i, o := range orders {
		f := fmt.Sprintf("order_ids[%d]", i)
		if j, ok := seen[o.ID]; ok {
			p.Add(f, apperr.FieldError{Code: apperr.FieldSame, Message: fmt.Sprintf("is already listed in order_ids[%d]", j)}.With("line", j))
			continue
		}
		seen[o.ID] = i
		switch {
		case o.CustomerID != first.CustomerID:
			p.Add(f, apperr.NotAllowed(fmt.Sprint(first.CustomerID)).
				Because(fmt.Sprintf("is an order of another customer: an invoice bills one customer (that of %s)", first.Number)))
		case o.Currency != first.Currency:
			p.Add(f, apperr.NotAllowed(first.Currency).
				Because(fmt.Sprintf("is in %s: an invoice has one currency (%s)", o.Currency, first.Currency)))
		}
	}
	if err := p.Check(); err != nil {
		return InvoiceDraft{}, err
	}
	for _, o := range orders {
		if _, err := Next(o.Status, Invoice, o.Number); err != nil {
			return InvoiceDraft{}, err
		}
	}
	d := InvoiceDraft{CustomerID: first.CustomerID, Currency: first.Currency}
	var docLines []DocLine
	var docEmpties []DocEmpties
	for _, o := range orders {
		d.OrderIDs = append(d.OrderIDs, o.ID)
		for j, l := range o.Delivery.Lines {
			if l.Delivered == 0 {
				continue
			}
			il := InvoiceLine{OrderID: o.ID, OrderLine: j, ItemID: l.ItemID, Unit: l.Unit, Quantity: l.Delivered,
				Factor: l.Factor, UnitPrice: l.UnitPrice, PriceOverridden: l.PriceOverridden, VATRateBP: l.VATRateBP, Deposit: l.Deposit}
			d.Lines = append(d.Lines, il)
			docLines = append(docLines, il.DocLine())
		}
		for _, e := range o.Delivery.Empties {
			ie := InvoiceEmpties{OrderID: o.ID, Empties: e}
			d.Empties = append(d.Empties, ie)
			docEmpties = append(docEmpties, ie.DocEmpties())
		}
	}
	t, err := ComputeTotals(d.Currency, s, docLines, docEmpties)
	if err != nil {
		// Every order's amounts fit; only their sum can be too large.
		return InvoiceDraft{}, apperr.FieldProblem("These orders add up to too large an amount for one invoice.", "order_ids",
			apperr.Overflow().Because("add up to too large an amount; invoice them separately"))
	}
	d.Totals = t
	return d, nil
}

// IssuedInvoice is what a credit note needs of an issued invoice.
type IssuedInvoice struct {
	Number   string
	Currency string
	Lines    []InvoiceLine
	Empties  []InvoiceEmpties
	// CreditedLines and CreditedEmpties hold, per line and per empties in
	// order, the quantity earlier credit notes already credited (nil: none).
	CreditedLines   []int64
	CreditedEmpties []int64
}

// CreditInput chooses what a credit note credits: quantities of the
// invoice's lines and empties (by index), or everything left with Full.
type CreditInput struct {
	Full    bool          `json:"full"`
	Lines   []CreditEntry `json:"lines"`
	Empties []CreditEntry `json:"empties"`
}

// CreditEntry credits Quantity (in the line's unit) of the invoice's Line.
type CreditEntry struct {
	Line     int   `json:"line"`
	Quantity int64 `json:"quantity"`
}

// CreditNote is a credit note decided. Its lines carry positive
// quantities; Totals are negative (the invoice's sign changed).
type CreditNote struct {
	Lines   []InvoiceLine
	Empties []InvoiceEmpties
	Totals  Totals
}

// DecideCreditNote credits quantities of an issued invoice: each at most
// what was invoiced minus what earlier credit notes credited. Lines and
// empties keep the invoice's prices, rates and deposits, so the totals
// follow the same rules with the opposite sign. Problems are named
// lines[i].line / lines[i].quantity (empties[i]... likewise), i counting
// the entries of the input.
func DecideCreditNote(inv IssuedInvoice, in CreditInput, s Settings) (CreditNote, error) {
	left := func(invoiced []int64, credited []int64) []int64 {
		out := make([]int64, len(invoiced))
		for i := range invoiced {
			out[i] = invoiced[i]
			if i < len(credited) {
				out[i] -= credited[i]
			}
		}
		return out
	}
	lineQty := make([]int64, len(inv.Lines))
	for i, l := range inv.Lines {
		lineQty[i] = l.Quantity
	}
	emptyQty := make([]int64, len(inv.Empties))
	for i, e := range inv.Empties {
		emptyQty[i] = e.Quantity
	}
	lineLeft, emptyLeft := left(lineQty, inv.CreditedLines), left(emptyQty, inv.CreditedEmpties)

	p := apperr.Problems{}
	if in.Full {
		if len(in.Lines) > 0 || len(in.Empties) > 0 {
			p.Add("lines", apperr.TooMany(0).Because("must be empty for a full credit note, which credits everything left"))
			return CreditNote{}, p.Check()
		}
		in.Lines, in.Empties = nil, nil
		for i, q := range lineLeft {
			if q > 0 {
				in.Lines = append(in.Lines, CreditEntry{Line: i, Quantity: q})
			}
		}
		for i, q := range emptyLeft {
			if q > 0 {
				in.Empties = append(in.Empties, CreditEntry{Line: i, Quantity: q})
			}
		}
		if len(in.Lines)+len(in.Empties) == 0 {
			return CreditNote{}, apperr.New(apperr.CodeConflict,
				fmt.Sprintf("Invoice %s is already credited in full.", inv.Number))
		}
	} else if len(in.Lines)+len(in.Empties) == 0 {
		p.Add("lines", apperr.TooFew(1))
		return CreditNote{}, p.Check()
	}

	var cn CreditNote
	var docLines []DocLine
	var docEmpties []DocEmpties
	pick := func(list string, entries []CreditEntry, left []int64, take func(idx int, q int64)) {
		used := map[int]int{}
		for i, e := range entries {
			switch {
			case e.Line < 0 || e.Line >= len(left):
				p.Add(lineField(list, i, "line"), apperr.OutOfRange(0, int64(len(left)-1)).
					Because(fmt.Sprintf("must be the number of one of the invoice's %d %s, from 0", len(left), list)))
				continue
			case usedBefore(used, e.Line, i):
				p.Add(lineField(list, i, "line"), apperr.FieldError{Code: apperr.FieldDuplicate, Message: "is credited twice; credit each line once"})
				continue
			}
			if e.Quantity < 1 || e.Quantity > left[e.Line] {
				if left[e.Line] < 1 {
					p.Add(lineField(list, i, "quantity"), apperr.TooLarge(0).Because("is already credited in full"))
				} else {
					p.Add(lineField(list, i, "quantity"), apperr.OutOfRange(1, left[e.Line]).
						Because(fmt.Sprintf("must be between 1 and the %d invoiced and not yet credited", left[e.Line])))
				}
				continue
			}
			take(e.Line, e.Quantity)
		}
	}
	pick("lines", in.Lines, lineLeft, func(idx int, q int64) {
		l := inv.Lines[idx]
		l.Quantity = q
		cn.Lines = append(cn.Lines, l)
		docLines = append(docLines, l.DocLine())
	})
	pick("empties", in.Empties, emptyLeft, func(idx int, q int64) {
		e := inv.Empties[idx]
		e.Quantity = q
		e.QuantityBase = q * e.Factor
		cn.Empties = append(cn.Empties, e)
		docEmpties = append(docEmpties, e.DocEmpties())
	})
	if err := p.Check(); err != nil {
		return CreditNote{}, err
	}
	t, err := ComputeTotals(inv.Currency, s, docLines, docEmpties)
	if err != nil {
		return CreditNote{}, err // cannot happen: the invoice's own amounts fit
	}
	cn.Totals = t.Negate()
	return cn, nil
}

func usedBefore(used map[int]int, line, i int) bool {
	if _, ok := used[line]; ok {
		return true
	}
	used[line] = i
	return false
}
