package views

import (
	"net/url"
	"strings"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The count sheet is the pattern for a form of many lines of one kind
// booked in one transaction: one row per line, each row's fields named as
// the api names them (lines[i].quantity), the item of each row carried in a
// hidden field so that a re-rendered or posted sheet never depends on the
// list it was made from, and an empty field meaning "not this line".

// CountSheetPath is the count sheet; ?location= names the location.
const CountSheetPath = "/stock/count"

// CountRow is one item of a count sheet: what the ledger holds of it at the
// location (Line.Good; 0 for an item added by its code) and its units.
type CountRow struct {
	Item MovementItem
	Line apiclient.StockLine
}

// CountSheetView is a location's count sheet, or the choice of a location
// when LocationID is 0.
type CountSheetView struct {
	LocationID    int64
	LocationLabel string
	Locations     []Option
	Rows          []CountRow
	// Truncated is the number of items listed when the location holds
	// more than one sheet lists; 0 otherwise.
	Truncated int
	Form      Form
}

// CountUnits are row i's unit choices, the package preselected where the
// item has one (goods are counted by the crate), else the base unit.
func (v CountSheetView) CountUnits(i int, t *i18n.MovementsText, f format.Formatter) []MovementUnit {
	return v.Rows[i].Item.Units(t, f)
}

// DefaultCountUnit is the unit a fresh sheet preselects for an item.
func DefaultCountUnit(it MovementItem) string {
	if it.PackageSize > 1 {
		return "package"
	}
	return "base"
}

// CountDoneRow is one difference a count booked, in base units.
type CountDoneRow struct {
	ItemID                      int64
	SKU, Name, BaseUnit         string
	Ledger, Counted, Difference int64
	MovementID                  int64
}

// CountDoneView is the confirmation of a count: its differences only.
type CountDoneView struct {
	LocationID    int64
	LocationLabel string
	Lines         int
	Rows          []CountDoneRow
}

// SignedQuantity writes a difference with its sign ("+20 bottle", "−6
// bottle"), so that up and down read apart without colour.
func SignedQuantity(f format.Formatter, n int64, unit string) string {
	switch {
	case n > 0:
		return "+" + f.Quantity(n, unit)
	case n < 0:
		return "−" + f.Quantity(-n, unit)
	}
	return f.Quantity(0, unit)
}

func countFill(text string, pairs ...string) string {
	return strings.NewReplacer(pairs...).Replace(text)
}

// countQuery is the count sheet's query for a location id as a filter
// holds it ("" opens the choice of a location).
func countQuery(location string) string {
	if location == "" {
		return ""
	}
	return "?location=" + url.QueryEscape(location)
}
