package sales

import (
	"fmt"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/money"
)

// DeliveryInput is what the clerk records on delivering a confirmed order.
type DeliveryInput struct {
	// Delivered holds, per order line in order, the quantity delivered in
	// the line's unit; nil delivers every line in full. A quantity below
	// the ordered one is a short delivery: the rest is released.
	Delivered []int64 `json:"delivered"`
	// Empties are the containers the customer hands back.
	Empties []EmptiesInput `json:"empties"`
}

// EmptiesInput is one kind of empties handed back.
type EmptiesInput struct {
	ItemID   int64          `json:"item_id"`
	Unit     catalogue.Unit `json:"unit"` // empty means base
	Quantity int64          `json:"quantity"`
}

// DeliveredLine is an order line as delivered.
type DeliveredLine struct {
	Line                // the order's line: ordered quantity, price, VAT, deposit
	Delivered     int64 // in Line.Unit; billed
	DeliveredBase int64
	Released      int64 // in Line.Unit: ordered − delivered, no longer reserved
	ReleasedBase  int64
}

// Empties are containers handed back, credited at their deposit.
type Empties struct {
	ItemID       int64
	Unit         catalogue.Unit
	Quantity     int64
	Factor       int64
	QuantityBase int64
	Deposit      money.Amount // of one Unit
	VATRateBP    int          // the item's: used when deposits are taxable
}

// Credit is Quantity × Deposit, the amount credited (positive here; the
// totals subtract it).
func (e Empties) Credit() money.Amount { return e.Deposit * money.Amount(e.Quantity) }

// Delivery is a delivery decided: what to issue, what to release and what
// came back.
type Delivery struct {
	Lines   []DeliveredLine
	Empties []Empties
}

// DecideDelivery checks a delivery of an order's lines (as confirmed) and
// the empties handed back against the items the store read. Delivered
// quantities lie between 0 and the ordered one (delivered[i] is named
// lines[i].quantity); at least one line must be delivered. Empties must
// be returnable items: empties[i].item_id, .unit, .quantity.
func DecideDelivery(lines []Line, in DeliveryInput, items map[int64]Item) (Delivery, error) {
	p := apperr.Problems{}
	if in.Delivered != nil && len(in.Delivered) != len(lines) {
		p.Add("delivered", apperr.OutOfRange(int64(len(lines)), int64(len(lines))).
			Because(fmt.Sprintf("must hold one quantity for each of the %d lines", len(lines))))
	}
	if len(in.Empties) > MaxEmpties {
		p.Add("empties", apperr.TooMany(MaxEmpties))
	}
	if err := p.Check(); err != nil {
		return Delivery{}, err
	}
	d := Delivery{Lines: make([]DeliveredLine, len(lines))}
	some := false
	for i, l := range lines {
		q := l.Quantity
		if in.Delivered != nil {
			q = in.Delivered[i]
		}
		if q < 0 || q > l.Quantity {
			p.Add(lineField("lines", i, "quantity"), apperr.OutOfRange(0, l.Quantity).
				Because(fmt.Sprintf("must be between 0 and the %d ordered", l.Quantity)))
			continue
		}
		some = some || q > 0
		d.Lines[i] = DeliveredLine{Line: l, Delivered: q, DeliveredBase: q * l.Factor,
			Released: l.Quantity - q, ReleasedBase: (l.Quantity - q) * l.Factor}
	}
	if !some && len(p) == 0 {
		p.Add("delivered", apperr.Required().Because("must deliver at least one line; cancel the order instead"))
	}
	for i, e := range in.Empties {
		if em, ok := decideEmpties(p, i, e, items); ok {
			d.Empties = append(d.Empties, em)
		}
	}
	if err := p.Check(); err != nil {
		return Delivery{}, err
	}
	return d, nil
}

func decideEmpties(p apperr.Problems, i int, in EmptiesInput, items map[int64]Item) (Empties, bool) {
	f := func(field string) string { return lineField("empties", i, field) }
	if in.Unit == "" {
		in.Unit = catalogue.UnitBase
	}
	p.Range(f("quantity"), in.Quantity, 1, MaxQuantity)
	it, found := lookup(p, f("item_id"), in.ItemID, items)
	if found && !it.Returnable {
		p.Add(f("item_id"), apperr.NotAllowed("returnable").Because("is not a returnable item: it takes no empties back"))
		return Empties{}, false
	}
	m, ok := measure(p, "empties", i, it, in.Unit, in.Quantity)
	if !found || !ok {
		return Empties{}, false
	}
	return Empties{ItemID: it.ID, Unit: in.Unit, Quantity: in.Quantity, Factor: m.factor,
		QuantityBase: m.base, Deposit: m.deposit, VATRateBP: it.VATRateBP}, true
}
