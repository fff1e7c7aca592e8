// Package expenses keeps what the depot spends: each expense with its
// supplier, category, amount in CHF or EUR (converted at the rate of the
// day the clerk enters), input VAT per rate (Vorsteuer) and receipt files,
// open until it is paid. Categories are an admin-edited list; each says
// on which figure of the VAT return its input VAT is claimed. It knows
// neither HTTP nor SQL.
package expenses

import (
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/money"
)

// Limits of an expense's fields.
const (
	MaxNote     = 2000
	MaxVATLines = 8
	MaxReceipts = 10
	MaxSearch   = 100
	MaxCategory = 60
	// MaxVATRateBP is the highest input VAT rate, in basis points (100 %).
	MaxVATRateBP = 10_000
	// MaxAmount bounds an expense's amount (a hundred million), so that an
	// amount times a rate stays inside int64.
	MaxAmount = money.Amount(100_000_000_00)
	// RateScale is the rate's fixed point: six decimals, as banks quote.
	// A rate is below 100 (CHF per unit of the foreign currency).
	RateScale = 1_000_000
)

// ListSort is the expense list's order: by date, newest first, then by id.
const ListSort = "-date"

// Status is whether an expense has been paid.
type Status string

// The statuses.
const (
	Open Status = "open"
	Paid Status = "paid"
)

// Statuses lists the statuses, for messages and the contract.
func Statuses() []Status { return []Status{Open, Paid} }

// Figure is the figure of the Swiss VAT return (effective method) on which
// input VAT is claimed.
type Figure int

// The figures input VAT goes to.
const (
	// FigureMaterial: input VAT on the cost of materials and services
	// (goods bought for resale, their transport).
	FigureMaterial Figure = 400
	// FigureInvestment: input VAT on investments and other operating
	// costs (rent, energy, repairs, office, advertising).
	FigureInvestment Figure = 405
)

// Figures lists the figures a category may name.
func Figures() []Figure { return []Figure{FigureMaterial, FigureInvestment} }

// CategoryPurchase is the key of the built-in category a goods receipt's
// expense is booked to.
const CategoryPurchase = "purchase"

// CategoryFields are a category's writable fields.
type CategoryFields struct {
	Name      string `json:"name"` // unique, ignoring case
	VATFigure Figure `json:"vat_figure"`
}

// Category is a kind of expense. The seven built-in ones have a key
// (purchase, transport, utilities, maintenance, office, marketing, other);
// an admin may rename them, add others and archive any.
type Category struct {
	ID  int64  `json:"id"`
	Key string `json:"key"` // "" for an added category
	CategoryFields
	ArchivedAt *time.Time `json:"archived_at"`
	Version    int        `json:"version"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
}

// CategoryPatch changes the fields that are not nil.
type CategoryPatch struct {
	Name      *string
	VATFigure *Figure
}

func (f *CategoryFields) normalize() { f.Name = strings.TrimSpace(f.Name) }

func (f CategoryFields) validate() error {
	p := apperr.Problems{}
	p.Line("name", f.Name, 1, MaxCategory)
	if f.VATFigure != FigureMaterial && f.VATFigure != FigureInvestment {
		p.Add("vat_figure", apperr.NotAllowed(figureNames()...))
	}
	return p.Check()
}

func figureNames() []string {
	var out []string
	for _, f := range Figures() {
		out = append(out, strconv.Itoa(int(f)))
	}
	return out
}

// VATLine is the input VAT of one rate on an expense, in its currency and
// converted to CHF.
type VATLine struct {
	RateBP int          `json:"rate_bp"` // 810 is 8.1 %
	VAT    money.Amount `json:"vat"`
	VATCHF money.Amount `json:"vat_chf"`
}

// Fields are an expense's writable fields as the client enters them.
type Fields struct {
	Date       time.Time // a calendar day, at 00:00 UTC; not in the future
	SupplierID int64
	CategoryID int64
	Currency   string
	Amount     money.Amount // gross, VAT included, in Currency
	// Rate is the CHF value of one unit of Currency, times RateScale;
	// RateScale for CHF. Required for EUR.
	Rate   int64
	VAT    []VATLine // rate and VAT in Currency; VATCHF is computed
	Note   string
	Status Status
	PaidOn *time.Time // set exactly when Status is Paid; not in the future
}

// Expense is a stored expense.
type Expense struct {
	ID           int64        `json:"id"`
	Date         time.Time    `json:"date"`
	SupplierID   int64        `json:"supplier_id"`
	SupplierName string       `json:"supplier_name"`
	CategoryID   int64        `json:"category_id"`
	CategoryName string       `json:"category_name"`
	VATFigure    Figure       `json:"vat_figure"`
	Currency     string       `json:"currency"`
	Amount       money.Amount `json:"amount"`
	Rate         int64        `json:"rate"`
	AmountCHF    money.Amount `json:"amount_chf"`
	VAT          []VATLine    `json:"vat"`
	Note         string       `json:"note"`
	Status       Status       `json:"status"`
	PaidOn       *time.Time   `json:"paid_on"`
	Receipts     []files.File `json:"receipts"`
	// ReceiptMovementID is the goods receipt the expense was booked with,
	// if it was.
	ReceiptMovementID *int64     `json:"receipt_movement_id"`
	ArchivedAt        *time.Time `json:"archived_at"`
	Version           int        `json:"version"`
	CreatedBy         *int64     `json:"created_by"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
}

// VATTotal is the input VAT of every rate, in the expense's currency.
func (e Expense) VATTotal() money.Amount {
	var t money.Amount
	for _, l := range e.VAT {
		t += l.VAT
	}
	return t
}

// VATTotalCHF is the input VAT of every rate in CHF.
func (e Expense) VATTotalCHF() money.Amount {
	var t money.Amount
	for _, l := range e.VAT {
		t += l.VATCHF
	}
	return t
}

// Filter narrows the expense list. Every field is optional.
type Filter struct {
	From, To   *time.Time // calendar days, both included
	SupplierID *int64
	CategoryID *int64
	Status     Status // "": both
	HasReceipt *bool
	Archived   bool // true: the archived ones instead
	// Q finds expenses by part of the supplier's name or the note.
	Q string
}

// ParseRate reads an exchange rate such as "0.9412" or "1.05": a positive
// decimal with at most six decimals, as RateScale fixed point.
func ParseRate(s string) (int64, error) {
	bad := apperr.InvalidFormat().Because("must be a positive decimal with at most 6 decimals, such as 0.9412")
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 2 || len(frac) > 6 || (dot && frac == "") || !digits(whole) || !digits(frac) {
		return 0, bad
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	for len(frac) < 6 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	r := w*RateScale + f
	if r <= 0 {
		return 0, bad
	}
	return r, nil
}

// FormatRate writes a rate with six decimals.
func FormatRate(r int64) string {
	f := strconv.FormatInt(r%RateScale, 10)
	return strconv.FormatInt(r/RateScale, 10) + "." + strings.Repeat("0", 6-len(f)) + f
}

func digits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// ToCHF converts an amount at a rate, rounded half away from zero to the
// Rappen.
func ToCHF(a money.Amount, rate int64) money.Amount {
	p := int64(a) * rate
	half := int64(RateScale / 2)
	if p < 0 {
		return money.Amount(-((-p + half) / RateScale))
	}
	return money.Amount((p + half) / RateScale)
}
