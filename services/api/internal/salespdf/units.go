package salespdf

import "github.com/depotix/depotix/services/api/internal/catalogue"

// UnitName is how a document prints a quantity's unit: the item's base or
// package unit as the catalogue names it ("Flasche", "Harass"), a pallet
// in the document's language (items have no name of their own for it).
func UnitName(l Language, u catalogue.Unit, baseUnit, packageUnit string) string {
	switch u {
	case catalogue.UnitPackage:
		if packageUnit != "" {
			return packageUnit
		}
	case catalogue.UnitPallet:
		if l == English {
			return "pallet"
		}
		return "Palette"
	}
	return baseUnit
}
