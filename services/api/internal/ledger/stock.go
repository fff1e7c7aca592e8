package ledger

import (
	"fmt"
	"time"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// Breakdown is a quantity in whole pallets, whole packages and the base units
// left over ("2 pallets, 7 crates, 5 bottles").
type Breakdown struct {
	Pallets  int64 `json:"pallets"`
	Packages int64 `json:"packages"`
	Units    int64 `json:"units"`
}

func breakdown(qty, packageSize, palletSize int64) Breakdown {
	p, k, u := catalogue.Breakdown(qty, packageSize, palletSize)
	return Breakdown{Pallets: p, Packages: k, Units: u}
}

// ItemUnits is what a stock figure needs to know of its item to be read:
// its units and sizes.
type ItemUnits struct {
	BaseUnit    string  `json:"base_unit"`
	PackageUnit *string `json:"package_unit"`
	PackageSize *int64  `json:"package_size"`
	PalletSize  *int64  `json:"pallet_size"`
}

func (u ItemUnits) sizes() (packageSize, palletSize int64) {
	if u.PackageSize != nil {
		packageSize = *u.PackageSize
	}
	if u.PalletSize != nil {
		palletSize = *u.PalletSize
	}
	return packageSize, palletSize
}

// StockSummary is one item's stock: over all locations, or at one location
// when a list is filtered by location.
type StockSummary struct {
	ItemID     int64      `json:"item_id"`
	SKU        string     `json:"sku"`
	Name       string     `json:"name"`
	CategoryID *int64     `json:"category_id"`
	ArchivedAt *time.Time `json:"archived_at"` // the item's
	ItemUnits
	Good      int64 `json:"good"`
	Defective int64 `json:"defective"`
	// Reserved is the good stock that confirmed orders hold.
	Reserved int64 `json:"reserved"`
	// OnHand is good + defective; Available is what can be sold and what
	// every check of the ledger uses: good − reserved, never below 0
	// (Level.Available).
	OnHand    int64 `json:"on_hand"`
	Available int64 `json:"available"`
	// AvailableBreakdown is Available in pallets, packages and units.
	AvailableBreakdown Breakdown `json:"available_breakdown"`
	MinStock           int64     `json:"min_stock"`
	// LowStock is Available <= MinStock for an item that has a minimum
	// (MinStock > 0); an item without one is never low.
	LowStock bool `json:"low_stock"`
	// Value is OnHand at the item's moving-average cost, in micros of Currency.
	AvgUnitCostMicros int64  `json:"avg_unit_cost_micros"`
	ValueMicros       int64  `json:"value_micros"`
	Currency          string `json:"currency"`
}

// LocationStock is an item's stock at one location.
type LocationStock struct {
	LocationID       int64     `json:"location_id"`
	LocationCode     string    `json:"location_code"`
	LocationName     string    `json:"location_name"`
	LocationArchived bool      `json:"location_archived"`
	Good             int64     `json:"good"`
	Defective        int64     `json:"defective"`
	Reserved         int64     `json:"reserved"`
	Available        int64     `json:"available"`
	GoodBreakdown    Breakdown `json:"good_breakdown"`
}

// ItemStock is one item's stock: the totals and each location that has
// held it, by location code.
type ItemStock struct {
	StockSummary
	Locations []LocationStock `json:"locations"`
}

// Totals is an item's stock over all locations, in base units.
type Totals struct {
	Good, Defective, Reserved, MinStock int64
}

// Available is the good stock no order holds.
func (t Totals) Available() int64 { return Level{Good: t.Good, Reserved: t.Reserved}.Available() }

// OnHand is all the stock, usable or not.
func (t Totals) OnHand() int64 { return t.Good + t.Defective }

// BelowMinimum says whether the available stock is at or below the
// minimum of an item that has one, the same condition as the stock list's
// low-stock filter.
func (t Totals) BelowMinimum() bool { return IsLow(t.Available(), t.MinStock) }

// IsLow is the one rule of low stock: available at or below the minimum,
// for an item that has a minimum. An item whose minimum is 0 (none set) is
// never low, however empty. The store's SQL repeats it (LowStockSQL in
// package postgres and migration 000017).
func IsLow(available, minStock int64) bool { return minStock > 0 && available <= minStock }

// Value is the worth of one item's stock at its moving-average cost.
type Value struct {
	ItemID            int64  `json:"item_id"`
	OnHand            int64  `json:"on_hand"`
	AvgUnitCostMicros int64  `json:"avg_unit_cost_micros"`
	ValueMicros       int64  `json:"value_micros"`
	Currency          string `json:"currency"`
}

// complete derives the figures that follow from the stored ones.
func (s *StockSummary) complete() error {
	s.OnHand = s.Good + s.Defective
	s.Available = Level{Good: s.Good, Reserved: s.Reserved}.Available()
	packageSize, palletSize := s.sizes()
	s.AvailableBreakdown = breakdown(s.Available, packageSize, palletSize)
	s.LowStock = IsLow(s.Available, s.MinStock)
	v, ok := valueMicros(s.OnHand, s.AvgUnitCostMicros)
	if !ok {
		return fmt.Errorf("ledger: value of item %d (%d × %d micros) exceeds the range of int64", s.ItemID, s.OnHand, s.AvgUnitCostMicros)
	}
	s.ValueMicros = v
	return nil
}

func (s *ItemStock) complete() error {
	packageSize, palletSize := s.sizes()
	for i := range s.Locations {
		l := &s.Locations[i]
		l.GoodBreakdown = breakdown(l.Good, packageSize, palletSize)
		l.Available = Level{Good: l.Good, Reserved: l.Reserved}.Available()
	}
	return s.StockSummary.complete()
}

func (v *Value) complete() error {
	val, ok := valueMicros(v.OnHand, v.AvgUnitCostMicros)
	if !ok {
		return fmt.Errorf("ledger: value of item %d (%d × %d micros) exceeds the range of int64", v.ItemID, v.OnHand, v.AvgUnitCostMicros)
	}
	v.ValueMicros = val
	return nil
}
