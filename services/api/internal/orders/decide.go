package orders

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// decideDraft checks a DRAFT's input on what the store read: the order
// may be edited, customer and location exist and are in use, the lines
// are priced by sales.DecideLines in the customer's currency, keeping a
// manager's prices on the lines an edit leaves in place.
func decideDraft(in Input, snap Snapshot, mayOverride bool) (Draft, error) {
	if snap.Order != nil {
		if _, err := sales.Next(snap.Order.Status, sales.Edit, snap.Order.Number); err != nil {
			return Draft{}, err
		}
	}
	p := apperr.Problems{}
	c, l := snap.Customer, snap.Location
	switch {
	case c == nil:
		p.Add("customer_id", apperr.NotFound())
	case c.Archived:
		p.Add("customer_id", apperr.Archived())
	}
	switch {
	case l == nil:
		p.Add("location_id", apperr.NotFound())
	case l.Archived:
		p.Add("location_id", apperr.Archived())
	case l.Empties:
		p.Add("location_id", apperr.NotAllowed("a stock location").Because("is the empties location; goods are not sold from it"))
	}
	if err := p.Check(); err != nil {
		return Draft{}, err
	}
	var current []sales.Line
	if snap.Order != nil {
		current = make([]sales.Line, len(snap.Order.Lines))
		for i, l := range snap.Order.Lines {
			current[i] = l.Line
		}
	}
	lines, err := sales.DecideLines(in.Lines, current, snap.Items, c.Currency, mayOverride)
	if err != nil {
		return Draft{}, err
	}
	ship := ShipTo{Name: c.Name, Address: c.Billing}
	if c.Delivery != nil {
		ship.Address = *c.Delivery
	}
	return Draft{Input: in, ShipTo: ship, Lines: lines}, nil
}

// decideConfirm reserves every line's base quantity at the order's
// location, or refuses naming each line that lacks stock. Lines of one
// item share what is available, first line first.
func decideConfirm(snap ActionSnapshot) (Plan, error) {
	o := snap.Order
	plan := Plan{Status: sales.Confirmed, Reserved: map[Place]int64{}}
	left := map[int64]int64{} // per item: available not yet taken by an earlier line
	for _, l := range o.Lines {
		if _, ok := left[l.ItemID]; !ok {
			left[l.ItemID] = snap.Levels[Place{ItemID: l.ItemID, LocationID: o.LocationID}].Available()
		}
	}
	p := apperr.Problems{}
	var missing []string
	for i, l := range o.Lines {
		avail := left[l.ItemID]
		if l.QuantityBase > avail {
			it := snap.Ledger[l.ItemID]
			p.Add(lineField(i, "quantity"), shortfall(l, avail, it))
			missing = append(missing, fmt.Sprintf("line %d (%s): %s missing", i+1, l.ItemSKU, inUnits(l.QuantityBase-avail, l, it)))
			left[l.ItemID] = 0
			continue
		}
		left[l.ItemID] = avail - l.QuantityBase
		plan.Reserved[Place{ItemID: l.ItemID, LocationID: o.LocationID}] += l.QuantityBase
	}
	if len(p) > 0 {
		return Plan{}, &apperr.Error{Code: apperr.CodeInsufficient, Fields: p,
			Message: fmt.Sprintf("Order %s cannot be confirmed: not enough available stock at %s (%s); nothing was reserved.",
				o.Number, o.LocationCode, strings.Join(missing, "; "))}
	}
	return plan, nil
}

// decideCancel releases a CONFIRMED order's reservation; a DRAFT has none.
func decideCancel(snap ActionSnapshot) (Plan, error) {
	plan := Plan{Status: sales.Cancelled, Reserved: map[Place]int64{}}
	if snap.Order.Status == sales.Confirmed {
		for _, l := range snap.Order.Lines {
			plan.Reserved[Place{ItemID: l.ItemID, LocationID: snap.Order.LocationID}] -= l.QuantityBase
		}
	}
	return plan, nil
}

// decideDelivery issues what was delivered of each line from the order's
// location, releases the whole reservation (what was not delivered is no
// longer held) and returns the empties to the empties location; refused
// as a whole, naming each line the stock there does not cover.
func decideDelivery(in sales.DeliveryInput, snap ActionSnapshot) (Plan, error) {
	o := snap.Order
	lines := make([]sales.Line, len(o.Lines))
	for i, l := range o.Lines {
		lines[i] = l.Line
	}
	d, err := sales.DecideDelivery(lines, in, snap.Items)
	if err != nil {
		return Plan{}, err
	}
	plan := Plan{Status: sales.Delivered, Good: map[Place]int64{}, Reserved: map[Place]int64{},
		Delivered: make([]int64, len(d.Lines)), Empties: d.Empties}
	// The goods on the shelf: this order's own reservation is part of
	// them; a stock-take that counted less may have left too few.
	left := map[int64]int64{}
	for _, l := range o.Lines {
		left[l.ItemID] = snap.Levels[Place{ItemID: l.ItemID, LocationID: o.LocationID}].Good
	}
	p := apperr.Problems{}
	var missing []string
	note := "Order " + o.Number
	for i, dl := range d.Lines {
		l := o.Lines[i]
		place := Place{ItemID: l.ItemID, LocationID: o.LocationID}
		plan.Reserved[place] -= l.QuantityBase
		plan.Delivered[i] = dl.Delivered
		if dl.DeliveredBase == 0 {
			continue
		}
		it := snap.Ledger[l.ItemID]
		if dl.DeliveredBase > left[l.ItemID] {
			p.Add(lineField(i, "quantity"), shortfall(l, left[l.ItemID], it))
			missing = append(missing, fmt.Sprintf("line %d (%s): %s missing", i+1, l.ItemSKU, inUnits(dl.DeliveredBase-left[l.ItemID], l, it)))
			left[l.ItemID] = 0
			continue
		}
		left[l.ItemID] -= dl.DeliveredBase
		plan.Good[place] -= dl.DeliveredBase
		customer := o.CustomerID
		plan.Issues = append(plan.Issues, ledger.Movement{Type: ledger.Issue, ItemID: l.ItemID, LocationID: o.LocationID,
			QuantityBase: dl.DeliveredBase, EnteredQuantity: dl.Delivered, EnteredUnit: l.Unit, UnitFactor: l.Factor,
			CustomerID: &customer, Note: note, AvgCostBefore: it.AvgUnitCostMicros, AvgCostAfter: it.AvgUnitCostMicros})
		// Bounded: DecideLines checked quantity × deposit at entry.
		plan.Charged += l.Deposit * money.Amount(dl.Delivered)
	}
	if len(p) > 0 {
		return Plan{}, &apperr.Error{Code: apperr.CodeInsufficient, Fields: p,
			Message: fmt.Sprintf("Order %s cannot be delivered: not enough stock at %s (%s); nothing was booked.",
				o.Number, o.LocationCode, strings.Join(missing, "; "))}
	}
	if len(d.Empties) > 0 && snap.Empties == nil {
		return Plan{}, fmt.Errorf("orders: delivery of %s with empties but no empties location was read", o.Number)
	}
	for _, e := range d.Empties {
		it := snap.Ledger[e.ItemID]
		customer := o.CustomerID
		plan.Good[Place{ItemID: e.ItemID, LocationID: snap.Empties.ID}] += e.QuantityBase
		plan.Returns = append(plan.Returns, ledger.Movement{Type: ledger.Return, ItemID: e.ItemID, LocationID: snap.Empties.ID,
			QuantityBase: e.QuantityBase, EnteredQuantity: e.Quantity, EnteredUnit: e.Unit, UnitFactor: e.Factor,
			CustomerID: &customer, Note: note + ": empties", AvgCostBefore: it.AvgUnitCostMicros, AvgCostAfter: it.AvgUnitCostMicros})
		plan.Credited += e.Credit()
	}
	return plan, nil
}

// shortfall is a line's problem when stock does not cover it: the
// ledger's insufficient_stock with the quantities in base units, the
// line's unit, and what is missing in base units and (rounded up) in the
// line's unit.
func shortfall(l Line, available int64, it ledger.ItemState) apperr.FieldError {
	miss := l.QuantityBase - available
	f := apperr.FieldError{Code: apperr.FieldInsufficient}.
		With("requested", l.QuantityBase).With("available", available).With("unit", it.BaseUnit).With("kind", "good").
		With("missing", miss)
	if l.Unit != catalogue.UnitBase {
		f = f.With("entered", l.Quantity).With("entered_unit", string(l.Unit)).With("missing_entered", ceilDiv(miss, l.Factor))
		if l.Unit == catalogue.UnitPackage && it.PackageUnit != nil {
			f = f.With("entered_unit_name", *it.PackageUnit)
		}
	}
	return f.Because(fmt.Sprintf("needs %s, %s available", inUnits(l.QuantityBase, l, it), inUnits(available, l, it)))
}

// inUnits writes base units of a line's item in the line's unit where
// they divide evenly ("2 crate"), else in base units ("30 bottle"), so a
// clerk reads the shortfall in the unit ordered whenever it is exact.
func inUnits(base int64, l Line, it ledger.ItemState) string {
	if l.Factor > 1 && base%l.Factor == 0 {
		name := string(l.Unit)
		if l.Unit == catalogue.UnitPackage && it.PackageUnit != nil {
			name = *it.PackageUnit
		}
		return strconv.FormatInt(base/l.Factor, 10) + " " + name
	}
	return strconv.FormatInt(base, 10) + " " + it.BaseUnit
}

func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

func lineField(i int, field string) string { return "lines[" + strconv.Itoa(i) + "]." + field }
