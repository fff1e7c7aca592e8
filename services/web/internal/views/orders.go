package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// OrderStatuses are the statuses of an order in the order of its life, as
// the list's filter offers them.
var OrderStatuses = []apiclient.OrderStatus{
	apiclient.OrderStatusDRAFT, apiclient.OrderStatusCONFIRMED, apiclient.OrderStatusDELIVERED,
	apiclient.OrderStatusINVOICED, apiclient.OrderStatusPAID, apiclient.OrderStatusCANCELLED,
}

// OrderListView is the orders list with its filter.
type OrderListView struct {
	Filter Form
	// Statuses are the statuses ticked in the filter.
	Statuses map[string]bool
	Rows     []OrderRow
	Pager    Pager
	CanWrite bool
}

// OrderRow is one order of a list.
type OrderRow struct {
	ID           int64
	Number       string
	Customer     string // "Restaurant Sonne · 1000"
	Status       string // the api's code, for the tag's class and tests
	DeliveryDate *time.Time
	Net          string // "CHF 48.00"
	Created      time.Time
}

// NewOrderRows turns the api's orders into rows.
func NewOrderRows(f format.Formatter, orders []apiclient.OrderSummary) []OrderRow {
	out := make([]OrderRow, 0, len(orders))
	for _, o := range orders {
		r := OrderRow{ID: o.ID, Number: o.Number, Customer: OrderCustomer(o.CustomerName, o.CustomerNumber),
			Status: string(o.Status), Net: f.Money(o.Net, string(o.Currency)), Created: o.CreatedAt}
		if o.DeliveryDate != nil {
			d := o.DeliveryDate.Time
			r.DeliveryDate = &d
		}
		out = append(out, r)
	}
	return out
}

// OrderCustomer names a customer as the booking forms do: "Name · 1001".
func OrderCustomer(name string, number int64) string {
	if number == 0 {
		return name
	}
	return name + " · " + strconv.FormatInt(number, 10)
}

// OrderHref is an order's page.
func OrderHref(id int64) string { return "/orders/" + itoa(id) }

// OrderDeliveryNoteHref is an order's delivery note (the PDF the api
// renders).
func OrderDeliveryNoteHref(id int64) string { return OrderHref(id) + "/delivery-note.pdf" }

// OrderLines is how many empty lines a new order offers, and the most an
// order form shows; OrderSpareLines are rendered hidden, for the script's
// "add line" to show without asking the server.
const (
	OrderLines      = 1
	OrderMaxLines   = apiclient.LimitOrderInputLinesMaxItems
	OrderSpareLines = 5
	EmptiesMaxLines = apiclient.LimitDeliveryInputEmptiesMaxItems
)

// OrderLineInfo is what a line's item says on the form: the item, its
// available stock at the order's location in its units, and its price,
// VAT and deposit for the line's unit.
type OrderLineInfo struct {
	Label     string // "LAGER-1 — Lager 33cl"
	Available string // "2 Harasse · 4 Flaschen"; "" when no location is chosen
	Price     string // the item's price of the unit: "CHF 24.00 / crate"
	VAT       string // "8.1 %"
	Deposit   string // "CHF 3.00 / crate"; "" without one
}

// OrderFormView is the form of a new order or a DRAFT's changes, and the
// delivery's empties (Empties set).
type OrderFormView struct {
	// Order is the DRAFT being changed; nil for a new order.
	Order   *apiclient.Order
	Version string
	Form    Form
	// Lines is how many lines the form shows (filled or not); Spare more
	// are rendered hidden for the script.
	Lines     int
	Spare     int
	Locations []Option
	// Choices are the customers the typed text matched when it matched
	// several.
	Choices []PartnerOption
	// Items, CodeUnits and Info are per line: the item the line's code
	// found, the unit that code names, and what the line shows of it.
	Items     map[int]MovementItem
	CodeUnits map[int]string
	Info      map[int]OrderLineInfo
	// Candidates are the items the "add" search found when it found
	// several.
	Candidates []MovementItem
	// Prices: the person may set a line's price (managers, admins).
	Prices bool
}

// KeepsManagersPrices says whether to tell someone who may not set prices
// that the DRAFT's prices set by a manager stay (the api keeps them on the
// lines the edit keeps, sales.DecideLines).
func (v OrderFormView) KeepsManagersPrices() bool {
	if v.Order == nil || v.Prices {
		return false
	}
	for _, l := range v.Order.Lines {
		if l.PriceOverridden {
			return true
		}
	}
	return false
}

// Action is where the form posts.
func (v OrderFormView) Action() string {
	if v.Order == nil {
		return "/orders"
	}
	return OrderHref(v.Order.ID)
}

// LineIndexes counts the shown and the spare lines.
func (v OrderFormView) LineIndexes() []int {
	out := make([]int, v.Lines+v.Spare)
	for i := range out {
		out[i] = i
	}
	return out
}

// LineUnits are line i's unit choices as the receipt's lines have them:
// "as scanned" first, then the found item's units.
func (v OrderFormView) LineUnits(i int, t *i18n.MovementsText, p Page) ([]MovementUnit, string) {
	return ReceiptFormView{Items: v.Items, CodeUnits: v.CodeUnits}.LineUnits(i, t, p)
}

// EmptiesField is the form name of empties row i's field, as the api
// names it ("empties[0].quantity").
func EmptiesField(i int, name string) string {
	return "empties[" + strconv.Itoa(i) + "]." + name
}

// OrderView is one order's page.
type OrderView struct {
	O       apiclient.Order
	Version string
	// Form carries a refused action's messages (the error summary).
	Form Form
	// CanWrite: the person may act on orders.
	CanWrite bool
	// EmptiesCredit is the sum the empties handed back are credited with.
	EmptiesCredit string
	// ConfirmKey and CancelKey are the Idempotency-Keys of the action
	// forms: a double click acts once and answers the same.
	ConfirmKey, CancelKey string
	// CanInvoice: the order is DELIVERED and the person may issue its
	// invoice (with InvoiceKey); ProfileLink: a refused issue named the
	// company profile.
	CanInvoice  bool
	InvoiceKey  string
	ProfileLink bool
}

// Can reports whether the order's status allows action.
func (v OrderView) Can(action apiclient.OrderAction) bool {
	for _, a := range v.O.Actions {
		if a == action {
			return true
		}
	}
	return false
}

// DeliverView is an order's delivery screen.
type DeliverView struct {
	O       apiclient.Order
	Version string
	// Empties is the empties rows' part of the form (Lines, Items,
	// CodeUnits, Info, Candidates); the delivered quantities are in its
	// Form as lines[i].quantity.
	Empties OrderFormView
}

// OrderQuantity writes n of an order line's unit with the item's words:
// "2 crates", "1 bottle", "3 pallets".
func OrderQuantity(t *i18n.MovementsText, f format.Formatter, n int64, unit apiclient.QuantityUnit, base string, pkg *string) string {
	m := apiclient.Movement{ItemBaseUnit: base}
	if pkg != nil {
		m.ItemPackageUnit = *pkg
	}
	return f.Int(n) + " " + MovementUnitWord(t, m, unit, n)
}

// Cents reads an amount of the api ("24.9", "-3.00") in minor units.
func Cents(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || !digitsOnly(whole) || !digitsOnly(frac) {
		return 0, false
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		n = -n
	}
	return n, true
}

func digitsOnly(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// CentsText writes minor units as the api's amount: 2490 → "24.90".
func CentsText(n int64) string {
	sign := ""
	if n < 0 {
		sign, n = "-", -n
	}
	return sign + strconv.FormatInt(n/100, 10) + "." + strconv.FormatInt(100+n%100, 10)[1:]
}

// ItemUnitPrice is the item's sales price of one unit, by the api's rule
// (sales.DecideLines): a package is its own price or package size × the
// unit's, a pallet pallet size × the package's. "" when it cannot be read.
func ItemUnitPrice(it apiclient.Item, unit string) string {
	unitPrice, ok := Cents(it.SalesPriceUnit)
	if !ok {
		return ""
	}
	pkg := int64(1)
	if it.PackageSize != nil {
		pkg = *it.PackageSize
	}
	packagePrice := pkg * unitPrice
	if it.SalesPricePackage != nil {
		if p, ok := Cents(*it.SalesPricePackage); ok {
			packagePrice = p
		}
	}
	switch unit {
	case "package":
		return CentsText(packagePrice)
	case "pallet":
		if it.PalletSize == nil {
			return ""
		}
		return CentsText(*it.PalletSize * packagePrice)
	}
	return CentsText(unitPrice)
}

// ItemUnitDeposit is the item's deposit on one unit, by the api's rule: a
// package's own deposit, or package size × the unit's when it has none.
func ItemUnitDeposit(it apiclient.Item, unit string) int64 {
	d, _ := Cents(it.DepositUnit)
	pkg := int64(1)
	if it.PackageSize != nil {
		pkg = *it.PackageSize
	}
	packageDeposit := pkg * d
	if p, ok := Cents(it.DepositPackage); ok && p != 0 {
		packageDeposit = p
	}
	switch unit {
	case "package":
		return packageDeposit
	case "pallet":
		if it.PalletSize == nil {
			return 0
		}
		return *it.PalletSize * packageDeposit
	}
	return d
}

// BreakdownOf splits base units into the item's pallets, packages and
// units, as the api's breakdowns do.
func BreakdownOf(n int64, it MovementItem) apiclient.Breakdown {
	b := apiclient.Breakdown{Units: n}
	if it.PackageSize > 1 {
		rest := n
		if it.PalletSize > 0 {
			b.Pallets, rest = rest/(it.PackageSize*it.PalletSize), rest%(it.PackageSize*it.PalletSize)
		}
		b.Packages, b.Units = rest/it.PackageSize, rest%it.PackageSize
	}
	return b
}

// OrderStatusText is a status in words.
func OrderStatusText(t *i18n.OrdersText, status string) string {
	if s, ok := t.Statuses[status]; ok {
		return s
	}
	return status
}

// OrderEmptiesCredit is the sum the order's empties are credited with.
func OrderEmptiesCredit(o apiclient.Order) string {
	var sum int64
	for _, e := range o.Empties {
		if c, ok := Cents(e.Credit); ok {
			sum += c
		}
	}
	return CentsText(sum)
}

// OrderLinePath answers movements.js with what an order line's (or an
// empties row's) code finds.
const OrderLinePath = "/orders/line"

// CustomerSalesView is what the customer's page shows of their sales.
type CustomerSalesView struct {
	Deposits []apiclient.DepositBalance
	Orders   []OrderRow
	// Query finds all of the customer's orders in the list (their
	// number), query-escaped.
	Query string
	// Invoices are the customer's open invoices; CustomerID links all.
	Invoices   []InvoiceRow
	CustomerID int64
}

// ShipToText writes the delivery address on one line.
func ShipToText(s apiclient.ShipTo) string {
	var parts []string
	add := func(v string) {
		if v = strings.TrimSpace(v); v != "" {
			parts = append(parts, v)
		}
	}
	add(s.Name)
	add(strings.TrimSpace(s.Street + " " + s.HouseNumber))
	add(strings.TrimSpace(s.PostalCode + " " + s.Town))
	if s.Country != "" && s.Country != "CH" {
		add(s.Country)
	}
	return strings.Join(parts, ", ")
}

// VATPercent writes basis points as the percentage's decimal: 810 → "8.1".
func VATPercent(bp int) string {
	whole, frac := bp/100, bp%100
	if frac == 0 {
		return strconv.Itoa(whole)
	}
	s := strconv.Itoa(whole) + "." + strconv.Itoa(100 + frac)[1:]
	return strings.TrimSuffix(s, "0")
}

func strDeref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// OrderFormFields are the order form's fields for its summary: the head,
// the add field, then every shown line's, named with its number.
func OrderFormFields(p Page, v OrderFormView) []FieldSpec {
	t, mt := i18n.Orders(p.Lang), i18n.Movements(p.Lang)
	out := []FieldSpec{
		{Form: "order", Name: "customer", Label: t.Customer},
		{Form: "order", Name: "location_id", Label: t.Location},
		{Form: "order", Name: "delivery_date", Label: t.DeliveryDate},
		{Form: "order", Name: "notes", Label: t.Notes},
		{Form: "order", Name: "add_code", Label: t.AddCode},
	}
	return append(out, rowFields(t, mt, v, "order", "lines", v.Prices)...)
}

// rowFields are the summary's fields of each shown row of an order's
// lines or a delivery's empties.
func rowFields(t *i18n.OrdersText, mt *i18n.MovementsText, v OrderFormView, form, prefix string, prices bool) []FieldSpec {
	var out []FieldSpec
	cols := []struct{ name, label string }{{"code", mt.LineItem}, {"quantity", mt.Quantity}, {"unit", mt.Unit}}
	if prices {
		cols = append(cols, struct{ name, label string }{"unit_price", t.UnitPrice})
	}
	for i := range v.Lines {
		line := fill(mt.Line, "n", strconv.Itoa(i+1))
		name := func(f string) string { return prefix + "[" + strconv.Itoa(i) + "]." + f }
		for _, c := range cols {
			out = append(out, FieldSpec{Form: form, Name: name(c.name), Label: line + " · " + c.label})
		}
		// The line's item is found by its code: its problem links there.
		out = append(out, FieldSpec{Form: form, Name: name("item_id"), Label: line + " · " + mt.LineItem,
			Target: FieldSpec{Form: form, Name: name("code")}.ID()})
	}
	return out
}

// OrderLineSummaryFields are an order's lines as its page's summary names
// them (a refused confirm: "Line 2 (BEER-1) · Quantity"), each linking to
// its row of the lines table.
func OrderLineSummaryFields(p Page, o apiclient.Order, rowID string) []FieldSpec {
	t, mt := i18n.Orders(p.Lang), i18n.Movements(p.Lang)
	var out []FieldSpec
	for i, l := range o.Lines {
		label := strings.NewReplacer("{n}", strconv.Itoa(i+1), "{sku}", l.ItemSku).Replace(t.LineOf)
		out = append(out, FieldSpec{Name: LineField(i, "quantity"), Label: label + " · " + mt.Quantity,
			Target: rowID + "-" + strconv.Itoa(i)})
	}
	return out
}

// DeliverFields are the delivery form's fields for its summary: each
// line's delivered quantity, the add field and the empties rows.
func DeliverFields(p Page, v DeliverView) []FieldSpec {
	t, mt := i18n.Orders(p.Lang), i18n.Movements(p.Lang)
	var out []FieldSpec
	for i, l := range v.O.Lines {
		out = append(out, FieldSpec{Form: "deliver", Name: LineField(i, "quantity"), Label: fill(t.DeliveredOf, "sku", l.ItemSku)})
	}
	out = append(out, FieldSpec{Form: "deliver", Name: "add_code", Label: t.AddCode})
	return append(out, rowFields(t, mt, v.Empties, "deliver", "empties", false)...)
}

// EmptiesQuantity writes an empties row's quantity in its item's words
// where a line of the order names the item ("3 crates"), else in this
// language's ("3 packages").
func EmptiesQuantity(t *i18n.MovementsText, f format.Formatter, o apiclient.Order, e apiclient.OrderEmpties) string {
	for _, l := range o.Lines {
		if l.ItemID == e.ItemID {
			return OrderQuantity(t, f, e.Quantity, e.Unit, l.BaseUnit, l.PackageUnit)
		}
	}
	return f.Int(e.Quantity) + " " + MovementUnitWord(t, apiclient.Movement{}, e.Unit, e.Quantity)
}
