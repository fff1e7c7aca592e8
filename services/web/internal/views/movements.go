package views

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// The stock ledger's pages: the movement forms, one movement, the journal
// and the stock list. Names here start with Movement, Receipt, Journal or
// Stock so they stay apart from the other page groups in this package.

// MovementTypes are the types a person books with a form of its own, in
// the order the movements page offers them.
var MovementTypes = []string{"receipt", "issue", "return", "defect", "write_off", "adjust", "transfer"}

// IsMovementType reports whether typ has a form.
func IsMovementType(typ string) bool {
	for _, t := range MovementTypes {
		if t == typ {
			return true
		}
	}
	return false
}

// MovementItem is the item a movement form books, with what the unit
// choice and the "= N units" preview need.
type MovementItem struct {
	ID          int64
	SKU         string
	Name        string
	BaseUnit    string
	PackageUnit string
	PackageSize int64 // base units per package; 0 when the item has none
	PalletSize  int64 // packages per pallet; 0 when the item has none
	EANs        []string
}

// NewMovementItem takes what a form needs from the api's item.
func NewMovementItem(it apiclient.Item) MovementItem {
	m := MovementItem{ID: it.ID, SKU: it.Sku, Name: it.Name, BaseUnit: it.BaseUnit}
	if it.PackageSize != nil && *it.PackageSize > 1 {
		m.PackageSize = *it.PackageSize
		if it.PackageUnit != nil {
			m.PackageUnit = *it.PackageUnit
		}
		if it.PalletSize != nil && *it.PalletSize > 0 {
			m.PalletSize = *it.PalletSize
		}
	}
	for _, e := range []*string{it.EanUnit, it.EanPackage, it.EanPallet} {
		if e != nil && *e != "" {
			m.EANs = append(m.EANs, *e)
		}
	}
	return m
}

// MovementUnit is one choice of the unit select: the api's unit code, its
// label and the base units it stands for.
type MovementUnit struct {
	Value  string
	Label  string
	Factor int64
}

// Units lists the units the item can be counted in: always its base unit,
// its package and pallet when it has them.
func (it MovementItem) Units(t *i18n.MovementsText, f format.Formatter) []MovementUnit {
	out := []MovementUnit{{Value: "base", Label: it.BaseUnit, Factor: 1}}
	if it.PackageSize > 1 {
		name := it.PackageUnit
		if name == "" {
			name = t.UnitNames["package"]
		}
		out = append(out, MovementUnit{Value: "package", Factor: it.PackageSize,
			Label: unitLabel(t, f, name, it.PackageSize, it.BaseUnit)})
		if it.PalletSize > 0 {
			n := it.PackageSize * it.PalletSize
			out = append(out, MovementUnit{Value: "pallet", Factor: n,
				Label: unitLabel(t, f, t.Pallet, n, it.BaseUnit)})
		}
	}
	return out
}

func unitLabel(t *i18n.MovementsText, f format.Formatter, unit string, n int64, base string) string {
	return strings.NewReplacer("{unit}", unit, "{base}", i18n.UnitCount(n, f.Int(n), base)).Replace(t.UnitOption)
}

// UnitName is the name of unit (the api's code) for it: its own base or
// package name, the page's word for a pallet.
func (it MovementItem) UnitName(t *i18n.MovementsText, unit string) string {
	switch unit {
	case "package":
		if it.PackageUnit != "" {
			return it.PackageUnit
		}
		return t.UnitNames["package"]
	case "pallet":
		return t.Pallet
	}
	return it.BaseUnit
}

// QuantityBreakdown writes a stock in the item's units, each named in full
// and counted in the plural where it is more than one: "2 Paletten · 3
// Harasse · 5 Flaschen"; parts that are zero are left out, and nothing is
// "0 Flaschen".
func QuantityBreakdown(t *i18n.MovementsText, f format.Formatter, b apiclient.Breakdown, base, pkg string) string {
	if pkg == "" {
		pkg = t.UnitNames["package"]
	}
	var parts []string
	if b.Pallets != 0 {
		parts = append(parts, i18n.UnitCount(b.Pallets, f.Int(b.Pallets), t.Pallet))
	}
	if b.Packages != 0 {
		parts = append(parts, i18n.UnitCount(b.Packages, f.Int(b.Packages), pkg))
	}
	if b.Units != 0 || len(parts) == 0 {
		parts = append(parts, i18n.UnitCount(b.Units, f.Int(b.Units), base))
	}
	return strings.Join(parts, " · ")
}

// MovementStockAt is an item's stock at one location, as a form shows it.
type MovementStockAt struct {
	LocationID int64
	Location   string // "A-01 — Hauptlager"
	Text       string // "2 Harasse · 5 Flaschen"
}

// NewMovementStock lists where an item is stocked (good stock, in its
// units) from the api's answer, in the api's order.
func NewMovementStock(t *i18n.MovementsText, f format.Formatter, s apiclient.ItemStock) []MovementStockAt {
	pkg := ""
	if s.PackageUnit != nil {
		pkg = *s.PackageUnit
	}
	var out []MovementStockAt
	for _, l := range s.Locations {
		if l.Good == 0 {
			continue
		}
		label := l.LocationCode
		if l.LocationName != "" && l.LocationName != l.LocationCode {
			label += " — " + l.LocationName
		}
		out = append(out, MovementStockAt{LocationID: l.LocationID, Location: label,
			Text: QuantityBreakdown(t, f, l.GoodBreakdown, s.BaseUnit, pkg)})
	}
	return out
}

// StockAt is the text of the stock at location id ("" when the list
// holds none there: then nothing is there).
func (v MovementFormView) StockAt(id string) string {
	for _, s := range v.Stock {
		if itoa(s.LocationID) == id {
			return s.Text
		}
	}
	return ""
}

// MovementFormView is the form of one movement type.
type MovementFormView struct {
	Type string
	// Query is the item search as typed or scanned.
	Query string
	// Item is the chosen item; nil until one is found.
	Item *MovementItem
	// Candidates are the items the search found when it found several.
	Candidates []MovementItem
	// CodeUnit is the unit ("package", "pallet") the scanned code named,
	// which the form then counts in; "" for the base unit or none.
	CodeUnit string
	// Stock is where the item is stocked, and how much; StockKnown says
	// it was asked (an empty list then means nowhere).
	Stock      []MovementStockAt
	StockKnown bool
	// NoStock is the text of a location without the item: "0 Flaschen".
	NoStock string
	// NotFound: the search found nothing.
	NotFound  bool
	Locations []Option
	Form      Form
	// Choices are the customers the typed text matched when it matched
	// several: the person picks one (valued by its exact text).
	Choices []PartnerOption
}

// PartnerSuggestionsPath answers movements.js with the suppliers or
// customers matching what is typed into a booking form's partner field.
const PartnerSuggestionsPath = "/movements/partners"

// PartnerLookupURL is the suggestions' address for kind ("supplier" or
// "customer"); movements.js adds the typed text as q.
func PartnerLookupURL(kind string) string {
	return PartnerSuggestionsPath + "?kind=" + kind
}

// ReceiptLines is how many lines a delivery form offers at first; "more
// lines" adds ReceiptLines more (up to ReceiptMaxLines).
const (
	ReceiptLines    = 5
	ReceiptMaxLines = 50
)

// ReceiptFormView is the form of a delivery with several lines.
type ReceiptFormView struct {
	Lines     int
	Locations []Option
	Form      Form
	// Choices are the suppliers the typed text matched when it matched
	// several: the person picks one (valued by its exact text).
	Choices []PartnerOption
	// Found names the item each line's code found ("SKU — name"), by
	// line; a line whose code found nothing has its error instead.
	Found map[int]string
	// Items are the found items, by line: their units replace the
	// generic ones.
	Items map[int]MovementItem
	// CodeUnits are the units the lines' codes name ("base", "package",
	// "pallet"), by line, for the "as scanned" choice.
	CodeUnits map[int]string
	// Stock is each found item's available stock in its units, by line.
	Stock map[int]string
}

// ReceiptLinePath answers movements.js with what a line's code finds.
const ReceiptLinePath = "/movements/receipt-line"

// LineUnits are line i's unit choices and the base unit's name. The first
// choice (value "") counts in the unit the code names; then the found
// item's own units (with factors), else the generic three (factor 0:
// unknown).
func (v ReceiptFormView) LineUnits(i int, t *i18n.MovementsText, p Page) ([]MovementUnit, string) {
	if it, ok := v.Items[i]; ok {
		units := it.Units(t, p.Fmt)
		byCode := MovementUnit{Value: "", Label: t.UnitByCode}
		for _, u := range units {
			if u.Value == v.CodeUnits[i] {
				byCode.Label, byCode.Factor = t.UnitByCode+": "+u.Label, u.Factor
			}
		}
		return append([]MovementUnit{byCode}, units...), it.BaseUnit
	}
	return []MovementUnit{{Value: "", Label: t.UnitByCode}, {Value: "base", Label: t.UnitNames["base"]},
		{Value: "package", Label: t.UnitNames["package"]}, {Value: "pallet", Label: t.UnitNames["pallet"]}}, t.UnitNames["base"]
}

// LineField is the form name of line i's field ("lines[0].quantity", as
// the api names it in its errors).
func LineField(i int, name string) string {
	return "lines[" + strconv.Itoa(i) + "]." + name
}

// ReceiptLineIndexes counts 0..n-1 for the template.
func (v ReceiptFormView) ReceiptLineIndexes() []int {
	out := make([]int, v.Lines)
	for i := range out {
		out[i] = i
	}
	return out
}

// MovementView is one movement with what its page shows around it.
type MovementView struct {
	M       apiclient.Movement
	Partner string // the supplier's or customer's name, "" for none
	By      string
	// CanReverse: the person may reverse and the movement can be.
	CanReverse bool
	Reverse    Form
}

// Reversible reports whether a movement may still be reversed.
func Reversible(m apiclient.Movement) bool {
	return m.Type != apiclient.MovementTypeReversal && m.ReversedByID == nil
}

// MovementSign is the direction a movement moves stock at its location:
// +1 in, -1 out; an adjust's and a reversal's quantity are read as booked.
func MovementSign(m apiclient.Movement) int64 {
	switch m.Type {
	case apiclient.MovementTypeReceipt, apiclient.MovementTypeReturn:
		return 1
	case apiclient.MovementTypeIssue, apiclient.MovementTypeDefect, apiclient.MovementTypeWriteOff, apiclient.MovementTypeTransfer:
		return -1
	case apiclient.MovementTypeReversal:
		if m.ReversedType != nil {
			return -MovementSign(apiclient.Movement{Type: *m.ReversedType})
		}
	}
	return 1
}

// MovementUnitWord names n of a movement's unit code: the item's own word for
// its base and package units ("crate", "crates" for many: i18n.UnitPlural
// knows the trade's words, others stay as typed), else this language's,
// one or many ("pallet", "pallets").
func MovementUnitWord(t *i18n.MovementsText, m apiclient.Movement, code apiclient.QuantityUnit, n int64) string {
	word := ""
	switch code {
	case apiclient.QuantityUnitBase:
		word = m.ItemBaseUnit
	case apiclient.QuantityUnitPackage:
		word = m.ItemPackageUnit
	}
	switch {
	case word != "" && (n == 1 || n == -1):
		return word
	case word != "":
		return i18n.UnitPlural(word)
	case n == 1 || n == -1:
		return t.UnitNames[string(code)]
	}
	return t.UnitPlurals[string(code)]
}

// MovementQuantity writes the base units a movement moved, signed, with
// the item's base unit: "+48 bottle", "−12 bottle".
func MovementQuantity(t *i18n.MovementsText, f format.Formatter, m apiclient.Movement) string {
	n := m.QuantityBase * MovementSign(m)
	if m.Type == apiclient.MovementTypeAdjust {
		n = m.QuantityBase
	}
	abs := n
	sign := "+"
	switch {
	case n < 0:
		abs, sign = -n, "−"
	case n == 0:
		sign = ""
	}
	return sign + f.Quantity(abs, MovementUnitWord(t, m, apiclient.QuantityUnitBase, abs))
}

// MovementEntered writes the quantity as it was entered, in the unit it
// was entered in: "12 crate", "2 pallets", "48 bottle".
func MovementEntered(t *i18n.MovementsText, f format.Formatter, m apiclient.Movement) string {
	return f.Quantity(m.EnteredQuantity, MovementUnitWord(t, m, m.EnteredUnit, m.EnteredQuantity))
}

// MovementEnteredOther is MovementEntered when it says more than the
// quantity in base units does (entered in packages or pallets), else "".
func MovementEnteredOther(t *i18n.MovementsText, f format.Formatter, m apiclient.Movement) string {
	if m.EnteredUnit == apiclient.QuantityUnitBase || m.UnitFactor <= 1 {
		return ""
	}
	return MovementEntered(t, f, m)
}

// MovementTitle names a movement by what happened, never by its number:
// "Receipt of 48 bottles Mineral 1.5 l, 03.12.2026" (the quantity
// unsigned: the type says the direction; a stock-take's difference keeps
// its sign).
func MovementTitle(t *i18n.MovementsText, f format.Formatter, m apiclient.Movement) string {
	qty := f.Quantity(m.QuantityBase, MovementUnitWord(t, m, apiclient.QuantityUnitBase, m.QuantityBase))
	if m.Type == apiclient.MovementTypeAdjust {
		qty = MovementQuantity(t, f, m)
	}
	return strings.NewReplacer("{type}", t.TypeNames[string(m.Type)], "{quantity}", qty,
		"{item}", m.ItemName, "{date}", f.Date(m.EffectiveAt)).Replace(t.MovementTitle)
}

// MovementPlace is where a movement happened: "A-01", or "A-01 → B-02".
func MovementPlace(m apiclient.Movement) string {
	if m.ToLocationCode != nil && *m.ToLocationCode != "" {
		return m.LocationCode + " → " + *m.ToLocationCode
	}
	return m.LocationCode
}

// MovementPartner is the movement's supplier or customer by the name the
// api gives with it, or a word saying it is no longer listed when it gave
// none (never its internal number); "" without a partner.
func MovementPartner(t *i18n.MovementsText, m apiclient.Movement) string {
	switch {
	case m.SupplierID != nil:
		if m.SupplierName != nil && *m.SupplierName != "" {
			return *m.SupplierName
		}
		return t.UnknownSupplier
	case m.CustomerID != nil:
		if m.CustomerName != nil && *m.CustomerName != "" {
			return *m.CustomerName
		}
		return t.UnknownCustomer
	}
	return ""
}

// MovementBy names who booked a movement: "me" or the person's name as the
// api gives it (a word for a person no longer known when it gave none,
// never a number), followed by the API token
// it was booked with; "" for the system.
func MovementBy(t *i18n.MovementsText, m apiclient.Movement, me int64) string {
	if m.CreatedBy == nil {
		return ""
	}
	who := t.FormerUser
	switch {
	case *m.CreatedBy == me:
		who = t.Me
	case m.BookedByName != nil && *m.BookedByName != "":
		who = *m.BookedByName
	}
	if m.BookedWithToken != nil && *m.BookedWithToken != "" {
		return strings.NewReplacer("{name}", who, "{token}", *m.BookedWithToken).Replace(t.ByToken)
	}
	return who
}

// JournalRow is one line of the journal.
type JournalRow struct {
	M       apiclient.Movement
	Partner string
	By      string
}

// NewJournalRows makes the journal's lines from the movements alone: the
// api names partners and bookers with them.
func NewJournalRows(t *i18n.MovementsText, ms []apiclient.Movement, me int64) []JournalRow {
	rows := make([]JournalRow, 0, len(ms))
	for _, m := range ms {
		rows = append(rows, JournalRow{M: m, Partner: MovementPartner(t, m), By: MovementBy(t, m, me)})
	}
	return rows
}

// partnerHint is the partner field's hint: the partner filtered by, or
// what may be typed.
func partnerHint(t *i18n.MovementsText, v JournalView) string {
	if v.PartnerNamed != "" {
		return v.PartnerNamed
	}
	return t.PartnerHint
}

// PartnerCandidate is a supplier or customer the partner filter's text
// matches, offered as a link to the journal filtered by exactly it.
type PartnerCandidate struct {
	Label string
	URL   string
}

// JournalView is the journal page: the filter form, a page of movements
// and the CSV link.
type JournalView struct {
	Filter    Form
	Types     []Option
	Locations []Option
	// Users is the "booked by" choice; nil when the person may not list
	// people (then the filter offers "only mine").
	Users []Option
	// ItemNotFound is the item filter's text when no item matches it.
	ItemNotFound string
	// PartnerNotice says that the partner filter's text matches no
	// supplier or customer, or several (then listed in PartnerCandidates).
	PartnerNotice     string
	PartnerCandidates []PartnerCandidate
	// PartnerNamed names the partner filtered by ("Supplier: Brauerei
	// Falken"); "" when none.
	PartnerNamed string
	Rows         []JournalRow
	Pager        Pager
	// ExportURL downloads the filtered journal as CSV; "" when the api
	// offers no export.
	ExportURL string
}

// JournalFilterNames are the journal's query parameters.
// partner_key is the resolved partner's key beside its name in partner
// (the field never shows a key).
var JournalFilterNames = []string{"type", "item", "location_id", "partner", "partner_key", "user_id", "mine", "from", "to"}

// JournalExportURL is the CSV download for the journal filtered by query
// (every page of it: the cursor is left out).
func JournalExportURL(query url.Values) string {
	return withQuery("/journal/export", journalFilter(query))
}

// JournalPageURL is the journal's first page filtered by query.
func JournalPageURL(query url.Values) string {
	return withQuery("/journal", journalFilter(query))
}

// JournalPartnerURL is the journal's first page filtered by query, with
// the partner filter set to the partner shown as text with its key ("s12",
// "c7") beside it.
func JournalPartnerURL(query url.Values, text, key string) string {
	return withQuery("/journal", journalFilter(JournalResolved(query, text, key)))
}

// JournalResolved is query with its partner filter as resolved: the text
// the field shows and the key beside it (both dropped when empty).
func JournalResolved(query url.Values, text, key string) url.Values {
	q := url.Values{}
	for name, vs := range query {
		q[name] = append([]string(nil), vs...)
	}
	for name, v := range map[string]string{"partner": text, "partner_key": key} {
		if v == "" {
			q.Del(name)
		} else {
			q.Set(name, v)
		}
	}
	return q
}

func journalFilter(query url.Values) url.Values {
	q := url.Values{}
	for _, name := range JournalFilterNames {
		if v := query.Get(name); v != "" {
			q.Set(name, v)
		}
	}
	return q
}

// StockRow is one line of the stock list.
type StockRow struct {
	L        apiclient.StockLine
	Category string
}

// StockView is the stock page.
type StockView struct {
	Filter     Form
	Categories []Option
	Locations  []Option
	Rows       []StockRow
	Pager      Pager
}

// StockBreakdown writes available stock broken down: "2 pallets · 7
// crates · 5 bottles"; parts that are zero are left out, and an empty stock
// is "0 bottles".
func StockBreakdown(t *i18n.MovementsText, f format.Formatter, l apiclient.StockLine) string {
	pkg := ""
	if l.PackageUnit != nil {
		pkg = *l.PackageUnit
	}
	return QuantityBreakdown(t, f, l.AvailableBreakdown, l.BaseUnit, pkg)
}

// movementChoices puts a first, empty choice ("— choose —") before opts.
func movementChoices(first string, opts []Option) []Option {
	return append([]Option{{Value: "", Label: first}}, opts...)
}

// journalNote is what the journal shows in its note column: the reason
// and the note, joined.
func journalNote(r JournalRow) string {
	switch {
	case r.M.Reason != "" && r.M.Note != "":
		return r.M.Reason + " · " + r.M.Note
	case r.M.Reason != "":
		return r.M.Reason
	}
	return r.M.Note
}

// boolAttr writes a flag as a data- attribute's value.
func boolAttr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// bookAnotherURL is the form of the movement's type at its location, for
// the next booking of the same kind.
func bookAnotherURL(m apiclient.Movement) string {
	return "/movements/new/" + string(m.Type) + "?location_id=" + itoa(m.LocationID)
}
