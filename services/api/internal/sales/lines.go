package sales

import (
	"fmt"
	"strconv"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
)

// Limits of an order.
const (
	MaxOrderLines = 200
	MaxEmpties    = 100
	// MaxQuantity bounds a line's quantity in its entered unit, as the
	// ledger bounds a movement's.
	MaxQuantity = ledger.MaxEnteredQuantity
)

// Item is what a line takes from the catalogue: prices, VAT rate and
// deposits of the item as the store read them.
type Item struct {
	ID       int64
	SKU      string
	Archived bool
	catalogue.ItemFields
}

// ItemOf returns a catalogue item as sales sees it.
func ItemOf(it catalogue.Item) Item {
	return Item{ID: it.ID, SKU: it.SKU, Archived: it.ArchivedAt != nil, ItemFields: it.ItemFields}
}

// Factor is the number of base units in one u of the item (the ledger's
// rule: catalogue.UnitFactor).
func (it Item) Factor(u catalogue.Unit) (int64, error) {
	pkg, pal := it.Sizes()
	return catalogue.UnitFactor(u, pkg, pal)
}

// DefaultPrice is the item's sales price of one u: the unit price for a
// base unit; for a package its package price, or PackageSize × the unit
// price when it has none; for a pallet PalletSize × the package price.
func (it Item) DefaultPrice(u catalogue.Unit) (money.Amount, error) {
	return it.perUnit(u, it.SalesPriceUnit, it.SalesPricePackage)
}

// Deposit is the deposit (Pfand) of one u, by the rule of DefaultPrice:
// a package's deposit is DepositPackage, or PackageSize × DepositUnit when
// that is 0 — so a crate's deposit entered in the catalogue is the full
// crate's (crate and bottles).
func (it Item) Deposit(u catalogue.Unit) (money.Amount, error) {
	var pkg *money.Amount
	if it.DepositPackage != 0 {
		d := it.DepositPackage
		pkg = &d
	}
	return it.perUnit(u, it.DepositUnit, pkg)
}

func (it Item) perUnit(u catalogue.Unit, unit money.Amount, pkg *money.Amount) (money.Amount, error) {
	if _, err := it.Factor(u); err != nil {
		return 0, err
	}
	if u == catalogue.UnitBase {
		return unit, nil
	}
	size, pallet := it.Sizes()
	var per money.Amount
	if pkg != nil {
		per = *pkg
	} else if p, ok := mulAmount(size, unit); ok {
		per = p
	} else {
		return 0, apperr.FieldProblem("Check the quantity and unit.", "unit", apperr.Overflow())
	}
	if u == catalogue.UnitPallet {
		p, ok := mulAmount(pallet, per)
		if !ok {
			return 0, apperr.FieldProblem("Check the quantity and unit.", "unit", apperr.Overflow())
		}
		per = p
	}
	return per, nil
}

// LineInput is an order line as a client enters it.
type LineInput struct {
	ItemID   int64          `json:"item_id"`
	Unit     catalogue.Unit `json:"unit"` // empty means base
	Quantity int64          `json:"quantity"`
	// UnitPrice of one entered Unit; nil takes the item's price (see
	// DecideLines for a line that keeps an overridden price). Only a
	// manager may set a price other than the item's.
	UnitPrice *money.Amount `json:"unit_price"`
}

// Line is an order line decided: quantities in the entered unit and in
// base units with the factor used, prices and deposit per entered unit.
type Line struct {
	ItemID       int64
	Unit         catalogue.Unit
	Quantity     int64 // in Unit
	Factor       int64 // base units in one Unit
	QuantityBase int64
	UnitPrice    money.Amount // of one Unit
	// PriceOverridden is set when UnitPrice is not the item's price: a
	// manager chose it; documents and audits show it.
	PriceOverridden bool
	VATRateBP       int
	Deposit         money.Amount // of one Unit
}

// Net is Quantity × UnitPrice (checked by DecideLines).
func (l Line) Net() money.Amount { return l.UnitPrice * money.Amount(l.Quantity) }

// DecideLines checks an order's lines against the items the store read
// (by id) and returns them with prices, VAT rates and deposits filled in.
// currency is the order's: every item must be priced in it. mayOverride
// says whether the person may set a price other than the item's. Problems
// are named lines[i].field, i counting from 0, all lines at once; an
// order whose total would exceed money.MaxWholeDigits is refused with an
// overflow on the line that makes it so (or on "lines").
//
// current are the order's lines as stored (nil for a new order). Lines
// have no id of their own: the k-th line of an item in a unit is the same
// line as the k-th stored one of that item and unit, wherever it stands
// (its quantity may change). A manager's price on such a line survives an
// edit by someone who may not set prices: without a price the line keeps
// the manager's, the manager's again is accepted, any other (the item's
// too) is refused as a price change. A line of an item or unit more than
// stored takes the item's price, as does a manager's line without one: a
// manager resets a price by leaving it out.
func DecideLines(in []LineInput, current []Line, items map[int64]Item, currency string, mayOverride bool) ([]Line, error) {
	p := apperr.Problems{}
	switch {
	case len(in) == 0:
		p.Add("lines", apperr.TooFew(1))
	case len(in) > MaxOrderLines:
		p.Add("lines", apperr.TooMany(MaxOrderLines))
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	out := make([]Line, len(in))
	kept := keptPrices(in, current, mayOverride)
	for i, l := range in {
		out[i] = decideLine(p, i, l, kept[i], items, currency, mayOverride)
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	// An order whose sum would not fit could never be invoiced: refuse it
	// now, naming the line that made it too large.
	doc := make([]DocLine, len(out))
	for i, l := range out {
		doc[i] = DocLine{ItemID: l.ItemID, Quantity: l.Quantity, UnitPrice: l.UnitPrice, VATRateBP: l.VATRateBP, Deposit: l.Deposit}
	}
	if _, err := ComputeTotals(currency, Settings{DepositsTaxable: true}, doc, nil); err != nil {
		return nil, err
	}
	return out, nil
}

// keptPrices are the manager's prices the lines of in keep through an
// edit by someone who may not set prices (nil: none, the item's price
// rules). Lines have no id: the k-th line of an item in a unit is the k-th
// stored line of that item in that unit, wherever either stands, so
// removing or adding other lines moves no price to another line.
func keptPrices(in []LineInput, current []Line, mayOverride bool) []*money.Amount {
	out := make([]*money.Amount, len(in))
	if mayOverride {
		return out
	}
	type key struct {
		item int64
		unit catalogue.Unit
	}
	stored := map[key][]Line{}
	for _, l := range current {
		k := key{l.ItemID, l.Unit}
		stored[k] = append(stored[k], l)
	}
	for i, l := range in {
		k := key{l.ItemID, l.Unit}
		if k.unit == "" {
			k.unit = catalogue.UnitBase
		}
		if len(stored[k]) == 0 {
			continue
		}
		cur := stored[k][0]
		stored[k] = stored[k][1:]
		if cur.PriceOverridden {
			out[i] = &cur.UnitPrice
		}
	}
	return out
}

// decideLine decides line i. kept is the manager's price the line keeps
// (keptPrices), nil when it has none.
func decideLine(p apperr.Problems, i int, in LineInput, kept *money.Amount, items map[int64]Item, currency string, mayOverride bool) Line {
	f := func(field string) string { return lineField("lines", i, field) }
	bad := len(p)
	if in.Unit == "" {
		in.Unit = catalogue.UnitBase
	}
	p.Range(f("quantity"), in.Quantity, 1, MaxQuantity)
	if in.UnitPrice != nil {
		checkPrice(p, f("unit_price"), *in.UnitPrice)
	}
	it, found := lookup(p, f("item_id"), in.ItemID, items)
	switch {
	case !found:
		return Line{}
	case it.Archived:
		p.Add(f("item_id"), apperr.Archived())
	case it.Currency != currency:
		p.Add(f("item_id"), apperr.NotAllowed(currency).
			Because(fmt.Sprintf("is priced in %s; the order is in %s", it.Currency, currency)))
	}
	m, ok := measure(p, "lines", i, it, in.Unit, in.Quantity)
	if !ok {
		return Line{}
	}
	price, err := it.DefaultPrice(in.Unit)
	if err != nil {
		addProblems(p, "lines", i, err)
		return Line{}
	}
	line := Line{ItemID: it.ID, Unit: in.Unit, Quantity: in.Quantity, Factor: m.factor, QuantityBase: m.base,
		UnitPrice: price, VATRateBP: it.VATRateBP, Deposit: m.deposit}
	switch {
	case kept != nil:
		if in.UnitPrice != nil && *in.UnitPrice != *kept {
			p.Add(f("unit_price"), apperr.NotPermitted().Because("was set by a manager and may only be changed by one"))
		}
		line.UnitPrice, line.PriceOverridden = *kept, *kept != price
	case in.UnitPrice != nil && *in.UnitPrice != price:
		if !mayOverride {
			p.Add(f("unit_price"), apperr.NotPermitted().Because("may only be changed from the item's price by a manager"))
		}
		line.UnitPrice, line.PriceOverridden = *in.UnitPrice, true
	}
	if len(p) > bad {
		return line
	}
	if _, ok := mulAmount(line.Quantity, line.UnitPrice); !ok {
		p.Add(f("quantity"), apperr.Overflow().Because("times the unit price is too large an amount"))
		return line
	}
	return line
}

// lookup finds the item a line refers to by its id, adding a problem to
// field when there is none.
func lookup(p apperr.Problems, field string, id int64, items map[int64]Item) (Item, bool) {
	it, found := items[id]
	switch {
	case id <= 0:
		p.Add(field, apperr.PositiveID())
		return Item{}, false
	case !found:
		p.Add(field, apperr.NotFound())
	}
	return it, found
}

// measured is a line's quantity of an item converted: base units in one
// entered unit, the quantity in base units, the deposit of one entered unit.
type measured struct {
	factor, base int64
	deposit      money.Amount
}

// measure converts qty of unit u of it, adding problems under list[i]:
// a unit the item lacks, more base units than the ledger books in one
// movement, or quantity × deposit beyond money.MaxWholeDigits. A quantity
// out of range was reported by the caller: it is not measured.
func measure(p apperr.Problems, list string, i int, it Item, u catalogue.Unit, qty int64) (measured, bool) {
	if qty < 1 || qty > MaxQuantity {
		return measured{}, false
	}
	factor, err := it.Factor(u)
	if err != nil {
		addProblems(p, list, i, err)
		return measured{}, false
	}
	deposit, err := it.Deposit(u)
	if err != nil {
		addProblems(p, list, i, err)
		return measured{}, false
	}
	f := lineField(list, i, "quantity")
	base, ok := mulInt(qty, factor)
	if !ok || base > ledger.MaxQuantityBase {
		p.Add(f, apperr.TooLarge(ledger.MaxQuantityBase).
			Because(fmt.Sprintf("must be at most %d %s in one line", int64(ledger.MaxQuantityBase), it.BaseUnit)).
			With("unit", it.BaseUnit))
		return measured{}, false
	}
	if _, ok := mulAmount(qty, deposit); !ok {
		p.Add(f, apperr.Overflow().Because("times the deposit is too large an amount"))
		return measured{}, false
	}
	return measured{factor: factor, base: base, deposit: deposit}, true
}

// checkPrice refuses a negative price or one beyond money.MaxWholeDigits.
func checkPrice(p apperr.Problems, field string, a money.Amount) {
	switch {
	case a < 0:
		p.Add(field, apperr.TooSmall(0))
	case !inRange(a):
		p.Add(field, apperr.Overflow().Because(fmt.Sprintf("must have at most %d digits before the point", money.MaxWholeDigits)))
	}
}

func lineField(list string, i int, field string) string {
	return list + "[" + strconv.Itoa(i) + "]." + field
}

// addProblems adds the field problems of err (a validation error of one
// line's fields) to p under list[i].
func addProblems(p apperr.Problems, list string, i int, err error) {
	e, ok := apperr.As(err)
	if !ok {
		p.Add(lineField(list, i, "item_id"), apperr.AsField(err))
		return
	}
	for field, problem := range e.Fields {
		p.Add(lineField(list, i, field), problem)
	}
}
