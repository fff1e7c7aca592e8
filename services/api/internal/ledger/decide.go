package ledger

import (
	"fmt"
	"math"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// decideMovement turns a validated input into a booking on the state read
// under lock: the records it refers to must exist and be in use, the
// quantity must convert to base units and the stock must suffice.
func decideMovement(in Input, snap Snapshot) (Booking, error) {
	p := apperr.Problems{}
	it := snap.Item
	switch {
	case it == nil:
		p.Add("item_id", apperr.NotFound())
	case it.Archived:
		p.Add("item_id", apperr.Archived())
	}
	checkLocation(p, snap, "location_id", in.LocationID)
	if in.ToLocationID != nil {
		checkLocation(p, snap, "to_location_id", *in.ToLocationID)
	}
	checkParty(p, "supplier_id", snap.Supplier)
	checkParty(p, "customer_id", snap.Customer)
	if err := p.Check(); err != nil {
		return Booking{}, err
	}

	packageSize, palletSize := it.sizes()
	base, factor, err := catalogue.ToBaseUnits(in.Quantity, in.Unit, packageSize, palletSize)
	if err != nil {
		return Booking{}, err
	}
	if base > MaxQuantityBase {
		return Booking{}, apperr.FieldProblem("Check the quantity and unit.", "quantity", apperr.TooLarge(MaxQuantityBase).
			Because(fmt.Sprintf("must be at most %d %s in one movement", int64(MaxQuantityBase), it.BaseUnit)).
			With("unit", it.BaseUnit))
	}
	m := Movement{
		Type:            in.Type,
		ItemID:          it.ID,
		LocationID:      in.LocationID,
		ToLocationID:    in.ToLocationID,
		QuantityBase:    base,
		EnteredQuantity: in.Quantity,
		EnteredUnit:     in.Unit,
		UnitFactor:      factor,
		SupplierID:      in.SupplierID,
		CustomerID:      in.CustomerID,
		Reason:          in.Reason,
		Note:            in.Note,
		AvgCostBefore:   it.AvgUnitCostMicros,
		AvgCostAfter:    it.AvgUnitCostMicros,
	}
	if in.EffectiveAt != nil {
		m.EffectiveAt = *in.EffectiveAt
	}
	switch {
	case in.Type == Adjust:
		counted := base
		m.Counted = &counted
		m.QuantityBase = counted - snap.Levels[in.LocationID].Good
	case in.Type == Receipt && in.UnitCost != nil:
		cost := costPerBaseUnit(*in.UnitCost, factor)
		m.UnitCostMicros = &cost
		m.AvgCostAfter = movingAverage(it.OnHand, it.AvgUnitCostMicros, base, cost)
	}
	// A stock-take books what was counted, reservations or not; every
	// other movement leaves the reserved goods where they are.
	levels, err := apply(snap, m.Effects(), in.Type != Adjust, func(loc int64, kind string, available, reserved, _ int64) error {
		return shortage(*it, snap.Locations[loc], kind, available, reserved, in.Quantity, in.Unit, base)
	})
	if err != nil {
		return Booking{}, err
	}
	return Booking{Movement: m, Levels: levels}, nil
}

// decideReversal books the exact opposite of snap.Original.
func decideReversal(in ReversalInput, snap Snapshot) (Booking, error) {
	o := snap.Original
	if o == nil || snap.Item == nil {
		return Booking{}, apperr.New(apperr.CodeNotFound, "Movement not found.")
	}
	if o.Type == Reversal {
		return Booking{}, apperr.New(apperr.CodeConflict,
			fmt.Sprintf("Movement %d is itself a reversal and cannot be reversed; book the movement again instead.", o.ID))
	}
	if o.ReversedByID != nil {
		return Booking{}, apperr.New(apperr.CodeConflict,
			fmt.Sprintf("Movement %d was already reversed by movement %d.", o.ID, *o.ReversedByID))
	}
	it := snap.Item
	typ := o.Type
	m := Movement{
		Type:            Reversal,
		ItemID:          o.ItemID,
		LocationID:      o.LocationID,
		ToLocationID:    o.ToLocationID,
		QuantityBase:    o.QuantityBase,
		EnteredQuantity: o.EnteredQuantity,
		EnteredUnit:     o.EnteredUnit,
		UnitFactor:      o.UnitFactor,
		UnitCostMicros:  o.UnitCostMicros,
		SupplierID:      o.SupplierID,
		CustomerID:      o.CustomerID,
		Reason:          in.Reason,
		Note:            in.Note,
		ReversesID:      &o.ID,
		ReversedType:    &typ,
		AvgCostBefore:   it.AvgUnitCostMicros,
		AvgCostAfter:    it.AvgUnitCostMicros,
	}
	if in.EffectiveAt != nil {
		m.EffectiveAt = *in.EffectiveAt
	}
	if o.ChangesAverage() {
		if it.AvgUnitCostMicros == o.AvgCostAfter {
			// Nothing priced came after: the average it replaced is exact.
			m.AvgCostAfter = o.AvgCostBefore
		} else {
			m.AvgCostAfter = averageWithout(it.OnHand, it.AvgUnitCostMicros, o.QuantityBase, *o.UnitCostMicros)
		}
	}
	levels, err := apply(snap, m.Effects(), true, func(loc int64, kind string, available, reserved, need int64) error {
		// The quantity is the original's: a reversal has none of its own.
		there := describe(available, *it) + " is there"
		if reserved > 0 {
			there = fmt.Sprintf("%s is available (%s reserved by orders)", describe(available, *it), describe(reserved, *it))
		}
		return &apperr.Error{
			Code: apperr.CodeInsufficient,
			Message: fmt.Sprintf("Movement %d cannot be reversed: that needs %s of %s stock of %s at %s, and only %s.",
				o.ID, describe(need, *it), kind, it.SKU, snap.Locations[loc].Code, there),
			Fields: apperr.Problems{"quantity": shortageProblem(*it, kind, need, available, reserved).
				Because(fmt.Sprintf("needs %s, and only %s", describe(need, *it), there))},
		}
	})
	if err != nil {
		return Booking{}, err
	}
	return Booking{Movement: m, Levels: levels}, nil
}

// apply adds effects to the levels in snap and returns the new levels of
// the locations they touch, or short's error for the first level that
// would fall below zero (kind "good" or "defective", with the quantity
// available there, the quantity reserved and the quantity needed). With
// guardReserved, good stock that orders reserved counts as not there: a
// movement that takes good stock may take only the available part
// (Level.Available).
func apply(snap Snapshot, effects []Effect, guardReserved bool, short func(loc int64, kind string, available, reserved, need int64) error) (map[int64]Level, error) {
	out := make(map[int64]Level, len(effects))
	for _, e := range effects {
		before, ok := out[e.LocationID]
		if !ok {
			before = snap.Levels[e.LocationID]
		}
		if before.Good > math.MaxInt64-max(e.Good, 0) || before.Defective > math.MaxInt64-max(e.Defective, 0) {
			return nil, apperr.FieldProblem("Check the quantity.", "quantity", apperr.Overflow().Because("would take the stock beyond what can be counted"))
		}
		after := Level{Good: before.Good + e.Good, Defective: before.Defective + e.Defective, Reserved: before.Reserved}
		switch {
		case guardReserved && e.Good < 0 && after.Good < before.Reserved:
			return nil, short(e.LocationID, "good", before.Available(), before.Reserved, -e.Good)
		case after.Good < 0:
			return nil, short(e.LocationID, "good", before.Good, 0, -e.Good)
		case after.Defective < 0:
			return nil, short(e.LocationID, "defective", before.Defective, 0, -e.Defective)
		}
		out[e.LocationID] = after
	}
	return out, nil
}

// shortage explains a refused movement in base units and in the unit the
// quantity was entered in.
func shortage(it ItemState, loc LocationState, kind string, available, reserved, entered int64, unit catalogue.Unit, base int64) error {
	requested := fmt.Sprintf("%d %s", base, it.BaseUnit)
	if unit != catalogue.UnitBase {
		requested = fmt.Sprintf("%d %s (%s)", entered, it.unitName(unit), requested)
	}
	avail := describe(available, it) + " available"
	if reserved > 0 {
		// The goods may be on the shelf: say why they cannot be taken.
		avail += fmt.Sprintf(" (%s more reserved by orders)", describe(reserved, it))
	}
	problem := shortageProblem(it, kind, base, available, reserved).Because(fmt.Sprintf("is more than the %s", avail))
	if unit != catalogue.UnitBase {
		problem = problem.With("entered", entered).With("entered_unit", string(unit))
		if unit == catalogue.UnitPackage && it.PackageUnit != nil {
			problem = problem.With("entered_unit_name", *it.PackageUnit)
		}
	}
	return &apperr.Error{
		Code:    apperr.CodeInsufficient,
		Message: fmt.Sprintf("Not enough %s stock of %s at %s: %s requested, %s.", kind, it.SKU, loc.Code, requested, avail),
		Fields:  apperr.Problems{"quantity": problem},
	}
}

// shortageProblem is the quantity's problem of a refusal for want of
// stock, in base units of the item. reserved, when not 0, is the good
// stock there that orders hold (parameter "reserved"): not available.
func shortageProblem(it ItemState, kind string, requested, available, reserved int64) apperr.FieldError {
	f := apperr.FieldError{Code: apperr.FieldInsufficient}.
		With("requested", requested).With("available", available).With("unit", it.BaseUnit).With("kind", kind)
	if reserved > 0 {
		f = f.With("reserved", reserved)
	}
	return f
}

// describe writes qty base units with their breakdown into packages and
// pallets where the item has them: "30 bottle (1 crate + 6 bottle)".
func describe(qty int64, it ItemState) string {
	s := fmt.Sprintf("%d %s", qty, it.BaseUnit)
	packageSize, palletSize := it.sizes()
	if packageSize < 2 || qty < packageSize {
		return s
	}
	b := breakdown(qty, packageSize, palletSize)
	var parts []string
	if b.Pallets > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", b.Pallets, it.unitName(catalogue.UnitPallet)))
	}
	if b.Packages > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", b.Packages, it.unitName(catalogue.UnitPackage)))
	}
	if b.Units > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", b.Units, it.BaseUnit))
	}
	return s + " (" + strings.Join(parts, " + ") + ")"
}

func (it ItemState) unitName(u catalogue.Unit) string {
	switch {
	case u == catalogue.UnitPackage && it.PackageUnit != nil:
		return *it.PackageUnit
	case u == catalogue.UnitBase:
		return it.BaseUnit
	}
	return string(u)
}

func checkLocation(p apperr.Problems, snap Snapshot, field string, id int64) {
	l, ok := snap.Locations[id]
	switch {
	case !ok:
		p.Add(field, apperr.NotFound())
	case l.Archived:
		p.Add(field, apperr.Archived())
	}
}

func checkParty(p apperr.Problems, field string, party *PartyState) {
	switch {
	case party == nil:
	case !party.Exists:
		p.Add(field, apperr.NotFound())
	case party.Archived:
		p.Add(field, apperr.Archived())
	}
}
