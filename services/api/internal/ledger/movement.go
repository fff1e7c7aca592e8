package ledger

import (
	"time"

	"github.com/depotix/depotix/services/api/internal/audit"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// Type is what a movement does to stock.
type Type string

// Movement types.
const (
	Receipt  Type = "receipt"   // + good: goods arrive from a supplier
	Issue    Type = "issue"     // - good: goods leave to a customer
	Return   Type = "return"    // + good: goods (or empties) come back from a customer
	Defect   Type = "defect"    // good -> defective at one location
	WriteOff Type = "write_off" // - defective: defective goods are disposed of
	Adjust   Type = "adjust"    // good := counted, a stock-take
	Transfer Type = "transfer"  // - good at one location, + good at another
	Reversal Type = "reversal"  // the exact opposite of an earlier movement
)

// Types returns the movement types; every one but Reversal can be booked
// directly.
func Types() []Type {
	return []Type{Receipt, Issue, Return, Defect, WriteOff, Adjust, Transfer, Reversal}
}

// Valid reports whether t is a known type.
func (t Type) Valid() bool {
	switch t {
	case Receipt, Issue, Return, Defect, WriteOff, Adjust, Transfer, Reversal:
		return true
	}
	return false
}

// Movement is one entry of the stock ledger. It is never changed once
// booked; a reversal undoes it.
type Movement struct {
	ID     int64 `json:"id"`
	Type   Type  `json:"type"`
	ItemID int64 `json:"item_id"`
	// LocationID is where stock changes; for a transfer, the source.
	LocationID   int64  `json:"location_id"`
	ToLocationID *int64 `json:"to_location_id"` // transfers: the target
	// QuantityBase is the magnitude of the movement in base units; for an
	// adjust, the change it made (negative, zero or positive).
	QuantityBase int64 `json:"quantity_base"`
	// Counted is the stock-take's count in base units: the good stock the
	// location held after an adjust. Nil for every other type.
	Counted *int64 `json:"counted"`
	// The quantity as entered: EnteredQuantity of EnteredUnit, each
	// UnitFactor base units when the movement was booked.
	EnteredQuantity int64          `json:"entered_quantity"`
	EnteredUnit     catalogue.Unit `json:"entered_unit"`
	UnitFactor      int64          `json:"unit_factor"`
	// UnitCostMicros is a priced receipt's cost of one base unit in
	// millionths of the item's currency.
	UnitCostMicros *int64 `json:"unit_cost_micros"`
	SupplierID     *int64 `json:"supplier_id"`
	CustomerID     *int64 `json:"customer_id"`
	Reason         string `json:"reason"`
	Note           string `json:"note"`
	// ReversesID and ReversedType name the movement a reversal undoes.
	ReversesID   *int64 `json:"reverses_id"`
	ReversedType *Type  `json:"reversed_type"`
	// ReversedByID is the reversal that undid this movement, if any.
	ReversedByID *int64    `json:"reversed_by_id"`
	EffectiveAt  time.Time `json:"effective_at"`
	CreatedAt    time.Time `json:"created_at"`
	CreatedBy    int64     `json:"created_by"` // 0: the system
	TokenID      int64     `json:"token_id"`   // 0: not booked with an API token
	// The item's moving-average cost per base unit, in micros, before and
	// after the movement; they differ only for priced receipts and their
	// reversals.
	AvgCostBefore int64 `json:"avg_cost_before"`
	AvgCostAfter  int64 `json:"avg_cost_after"`
	// For display, read with the movement.
	ItemSKU  string `json:"item_sku"`
	ItemName string `json:"item_name"`
	// The item's unit words as they are now (package "" without a
	// package), so a movement's quantity reads "12 crate", not "12 package".
	ItemBaseUnit    string  `json:"item_base_unit"`
	ItemPackageUnit string  `json:"item_package_unit"`
	LocationCode    string  `json:"location_code"`
	ToLocationCode  *string `json:"to_location_code"`
	// The partner's name ("" without one) and who booked it: the person's
	// name ("" for the system) and the API token's name ("" without one),
	// so that a reader of the journal needs no list of partners or people.
	SupplierName    string `json:"supplier_name"`
	CustomerName    string `json:"customer_name"`
	BookedByName    string `json:"booked_by_name"`
	BookedWithToken string `json:"booked_with_token"`
	// Replayed marks an answer, not the movement: it was booked by an
	// earlier request under the same Idempotency-Key and is returned again
	// instead of booking twice.
	Replayed bool `json:"-"`
}

// AuditChanges is what the audit record of m's booking holds: its fields as
// set, less what the audit record says itself (who, when) and the names
// read for display, which are not the movement's.
func (m Movement) AuditChanges() (map[string]audit.Change, error) {
	return audit.Diff(nil, m, "version", "updated_at", "created_at", "created_by", "token_id",
		"item_name", "item_base_unit", "item_package_unit", "supplier_name", "customer_name", "booked_by_name", "booked_with_token")
}

// Level is the stock of one item at one location, in base units.
type Level struct {
	Good      int64 `json:"good"`
	Defective int64 `json:"defective"`
	// Reserved is the part of Good that confirmed orders hold (their
	// lines at this location); movements change it only through orders.
	// It may exceed Good after a stock-take counted less.
	Reserved int64 `json:"reserved"`
}

// Available is the good stock no order holds: Good − Reserved, never
// below 0.
func (l Level) Available() int64 { return max(l.Good-l.Reserved, 0) }

// Effect is the change a movement makes to one location's stock.
type Effect struct {
	LocationID int64
	Good       int64
	Defective  int64
}

// Effects returns the changes m makes to stock, one per location it
// touches. A reversal's effects are the negation of the effects of the
// movement it undoes, whose type is ReversedType.
func (m Movement) Effects() []Effect {
	q := m.QuantityBase
	at := func(good, defective int64) Effect {
		return Effect{LocationID: m.LocationID, Good: good, Defective: defective}
	}
	switch m.Type {
	case Receipt, Return:
		return []Effect{at(q, 0)}
	case Issue:
		return []Effect{at(-q, 0)}
	case Defect:
		return []Effect{at(-q, q)}
	case WriteOff:
		return []Effect{at(0, -q)}
	case Adjust:
		return []Effect{at(q, 0)}
	case Transfer:
		if m.ToLocationID == nil {
			return nil
		}
		return []Effect{at(-q, 0), {LocationID: *m.ToLocationID, Good: q}}
	case Reversal:
		if m.ReversedType == nil || *m.ReversedType == Reversal {
			return nil
		}
		original := m
		original.Type, original.ReversedType = *m.ReversedType, nil
		out := original.Effects()
		for i := range out {
			out[i].Good, out[i].Defective = -out[i].Good, -out[i].Defective
		}
		return out
	}
	return nil
}

// Locations returns the locations m touches, in ascending id order: the
// order in which stores lock them, so that two transfers in opposite
// directions cannot deadlock.
func (m Movement) Locations() []int64 {
	return locationOrder(m.LocationID, m.ToLocationID)
}

func locationOrder(from int64, to *int64) []int64 {
	if to == nil || *to == from {
		return []int64{from}
	}
	if *to < from {
		return []int64{*to, from}
	}
	return []int64{from, *to}
}

// ChangesAverage reports whether booking or reversing m changes the item's
// moving-average cost: only priced receipts do.
func (m Movement) ChangesAverage() bool {
	return m.Type == Receipt && m.UnitCostMicros != nil
}
