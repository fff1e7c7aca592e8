package catalogue

import (
	"math"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Unit is what a quantity is counted in when people enter it. Stock itself is
// always stored in base units.
type Unit string

// Units.
const (
	UnitBase    Unit = "base"
	UnitPackage Unit = "package" // PackageSize base units
	UnitPallet  Unit = "pallet"  // PalletSize packages
)

// Breakdown splits qty base units into whole pallets, whole packages and the
// base units left over: 24 per crate and 40 crates per pallet make 2000
// bottles "2 pallets, 3 crates, 8 bottles". packageSize below 2 means the
// item has no package (everything is units); palletSize below 1 means no
// pallet. A negative qty gives the parts of its magnitude, each negative.
func Breakdown(qty, packageSize, palletSize int64) (pallets, packages, units int64) {
	if packageSize < 2 {
		return 0, 0, qty
	}
	if palletSize >= 1 {
		// A pallet too big to count in int64 holds more than any qty: none.
		if perPallet, ok := mul(packageSize, palletSize); ok {
			pallets, qty = qty/perPallet, qty%perPallet
		}
	}
	return pallets, qty / packageSize, qty % packageSize
}

// UnitFactor is the number of base units in one unit of u, for an item with
// the given package and pallet sizes (as in Breakdown).
func UnitFactor(u Unit, packageSize, palletSize int64) (int64, error) {
	switch u {
	case UnitBase:
		return 1, nil
	case UnitPackage:
		if packageSize < 2 {
			return 0, unitProblem("unit", apperr.FieldError{Code: apperr.FieldNoPackage, Message: "this item has no package"})
		}
		return packageSize, nil
	case UnitPallet:
		if packageSize < 2 || palletSize < 1 {
			return 0, unitProblem("unit", apperr.FieldError{Code: apperr.FieldNoPallet, Message: "this item has no pallet size"})
		}
		f, ok := mul(packageSize, palletSize)
		if !ok {
			return 0, unitProblem("unit", apperr.Overflow().Because("the pallet size is too large"))
		}
		return f, nil
	default:
		return 0, unitProblem("unit", apperr.NotAllowed(UnitBase, UnitPackage, UnitPallet))
	}
}

// ToBaseUnits converts qty of unit u into base units and returns the factor
// used, which the stock ledger records beside the movement so that history
// stays true when an item's sizes change later.
func ToBaseUnits(qty int64, u Unit, packageSize, palletSize int64) (base, factor int64, err error) {
	factor, err = UnitFactor(u, packageSize, palletSize)
	if err != nil {
		return 0, 0, err
	}
	base, ok := mul(qty, factor)
	if !ok {
		return 0, 0, unitProblem("quantity", apperr.Overflow().Because("is too large"))
	}
	return base, factor, nil
}

// Sizes returns the item's package and pallet sizes as Breakdown,
// UnitFactor and ToBaseUnits take them (0 for none).
func (f ItemFields) Sizes() (packageSize, palletSize int64) {
	if f.PackageSize != nil {
		packageSize = *f.PackageSize
	}
	if f.PalletSize != nil {
		palletSize = *f.PalletSize
	}
	return packageSize, palletSize
}

// mul multiplies a (any sign) by b >= 1, reporting overflow.
func mul(a, b int64) (int64, bool) {
	if b < 1 {
		return 0, false
	}
	if a > math.MaxInt64/b || a < math.MinInt64/b {
		return 0, false
	}
	return a * b, true
}

func unitProblem(field string, e apperr.FieldError) error {
	return apperr.FieldProblem("Check the quantity and unit.", field, e)
}
