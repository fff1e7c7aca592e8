// Package salespdf renders the sales documents — invoice (with its Swiss
// QR bill), credit note and delivery note — as A4 PDFs from their frozen
// content. Rendering is a pure function of its input: the same document
// gives the same bytes, which is what lets an issued invoice be stored
// once and downloaded byte-identical forever. The package knows neither
// the database nor HTTP; whoever issues a document maps its snapshot into
// these types.
package salespdf

import (
	"time"

	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// Language of a document's fixed texts.
type Language string

// Languages.
const (
	German  Language = "de"
	English Language = "en"
)

// Letterhead is the company as every document shows it at its head and
// foot: the company profile frozen when the document was made.
type Letterhead struct {
	Company   qrbill.Address // name and structured address
	VATNumber string         // "CHE-123.456.789 MWST"; empty: not shown
	IBAN      string         // electronic form; shown in the footer
	BankName  string
	// Logo holds the logo's bytes as stored (PNG, JPEG or WebP) and
	// LogoType its media type ("image/png", …); nil: no logo.
	Logo     []byte
	LogoType string
	// Footer is the company's invoice footer, lines separated by "\n".
	Footer string
}

// Line is a billed line of an invoice or credit note, in the unit it was
// ordered in. Amounts are positive on both documents; a credit note's
// sign shows in its Totals.
type Line struct {
	OrderNumber string // the order the line was delivered on
	ItemSKU     string
	ItemName    string
	Unit        string // the unit's name as printed, e.g. "Harass"
	Quantity    int64
	UnitPrice   money.Amount
	Net         money.Amount // Quantity × UnitPrice
	VATRateBP   int          // basis points: 810 is 8.1 %
	Deposit     money.Amount // of one unit; 0: none
	DepositNet  money.Amount // Quantity × Deposit
}

// EmptiesLine is a kind of empties taken back and credited.
type EmptiesLine struct {
	OrderNumber string
	ItemSKU     string
	ItemName    string
	Unit        string
	Quantity    int64
	Deposit     money.Amount // of one unit
	Credit      money.Amount // Quantity × Deposit, positive
}

// Invoice is an issued invoice as it is printed. The QR bill's payment
// part and receipt go at the bottom of the last page when the content
// leaves 105 mm free there, else on a page of their own.
type Invoice struct {
	Letterhead   Letterhead
	Language     Language
	Number       string    // "RE-000042"
	Date         time.Time // issue day (a calendar day)
	DueDate      time.Time
	CustomerNo   int64
	BillTo       qrbill.Address
	OrderNumbers []string
	Lines        []Line
	Empties      []EmptiesLine
	Totals       sales.Totals
	Bill         qrbill.Bill // amount = Totals.Payable, reference, debtor = BillTo
	// Created is the PDF's creation date (the issue time): with fixed
	// dates the same invoice gives the same bytes.
	Created time.Time
}

// CreditNote is an issued credit note as it is printed (no QR bill: the
// depot pays it back or sets it off).
type CreditNote struct {
	Letterhead    Letterhead
	Language      Language
	Number        string // "GS-000007"
	Date          time.Time
	InvoiceNumber string // the invoice it corrects
	CustomerNo    int64
	BillTo        qrbill.Address
	Reason        string // optional
	GoodsReturned bool   // the goods came back into stock
	Lines         []Line
	Empties       []EmptiesLine
	Totals        sales.Totals // negative: the invoice's sign changed
	Created       time.Time
}

// DeliveryLine is an order line on the delivery note: ordered and, once
// delivered, delivered, both in the unit ordered.
type DeliveryLine struct {
	ItemSKU   string
	ItemName  string
	Unit      string
	Ordered   int64
	Delivered *int64 // nil: not delivered yet (a note printed for picking)
}

// DeliveryNote (Lieferschein) goes with the goods and comes back signed.
type DeliveryNote struct {
	Letterhead   Letterhead
	Language     Language
	OrderNumber  string
	Date         time.Time // delivery day, else the day printed
	CustomerNo   int64
	CustomerName string
	ShipTo       qrbill.Address
	Notes        string
	Lines        []DeliveryLine
	Empties      []EmptiesLine // taken back; amounts are not printed
	Created      time.Time
}
