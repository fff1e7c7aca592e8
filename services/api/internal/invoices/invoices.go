// Package invoices issues invoices of delivered orders, corrects them with
// credit notes and keeps their payments. The rules are package sales's
// (which orders may be invoiced, totals, credit limits, payment states),
// the QR bill's are package qrbill's and the company profile's package
// company's; this package validates input, decides every write on a
// snapshot the Store reads and locks in the write's transaction (the
// ledger's shape), freezes what an issued document shows and renders its
// PDF through the renderer it is given. It knows neither HTTP nor SQL.
package invoices

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"time"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// Limits of the fields this package adds.
const (
	MaxReason = 500
	MaxNote   = 500
	MaxSearch = 100
	// MaxKeyLength bounds an Idempotency-Key (the tables' CHECK).
	MaxKeyLength = 200
)

// ListSort is the lists' only order: newest first.
const ListSort = "-id"

// Address is a printed, structured address (the QR bill's).
type Address struct {
	Name           string `json:"name"`
	Street         string `json:"street"`
	BuildingNumber string `json:"building_number"`
	PostalCode     string `json:"postal_code"`
	Town           string `json:"town"`
	Country        string `json:"country"`
}

// QR returns a as the QR bill's address.
func (a Address) QR() qrbill.Address {
	return qrbill.Address{Name: a.Name, Street: a.Street, BuildingNumber: a.BuildingNumber,
		PostalCode: a.PostalCode, Town: a.Town, Country: a.Country}
}

func addressOf(q qrbill.Address) Address {
	return Address{Name: q.Name, Street: q.Street, BuildingNumber: q.BuildingNumber,
		PostalCode: q.PostalCode, Town: q.Town, Country: q.Country}
}

// Company is the company profile as a document froze it.
type Company struct {
	Address
	VATNumber        string `json:"vat_number"`
	IBAN             string `json:"iban"`
	BankName         string `json:"bank_name"`
	Footer           string `json:"footer"`
	PaymentTermsDays int    `json:"payment_terms_days"`
	DepositsTaxable  bool   `json:"deposits_taxable"`
	// LogoFileID is the document's copy of the logo (files, owner kind
	// document_logo), untouched when the company logo changes later.
	LogoFileID *int64     `json:"logo_file_id"`
	LogoType   files.Type `json:"logo_type"`
}

// Line is a billed line, frozen with what the document prints of its item.
type Line struct {
	OrderID         int64          `json:"order_id"`
	OrderNumber     string         `json:"order_number"`
	OrderLine       int            `json:"order_line"` // index in its order
	ItemID          int64          `json:"item_id"`
	ItemSKU         string         `json:"item_sku"`
	ItemName        string         `json:"item_name"`
	Unit            catalogue.Unit `json:"unit"`
	UnitName        string         `json:"unit_name"` // as printed: "Flasche", "Harass"
	Quantity        int64          `json:"quantity"`
	Factor          int64          `json:"factor"`
	UnitPrice       money.Amount   `json:"unit_price"`
	PriceOverridden bool           `json:"price_overridden"`
	VATRateBP       int            `json:"vat_rate_bp"`
	Deposit         money.Amount   `json:"deposit"`
	// InvoiceLine is, on a credit note, the index of the invoice's line it
	// credits; 0 on an invoice.
	InvoiceLine int `json:"invoice_line"`
}

// Net is Quantity × UnitPrice.
func (l Line) Net() money.Amount { return l.UnitPrice * money.Amount(l.Quantity) }

func (l Line) sales() sales.InvoiceLine {
	return sales.InvoiceLine{OrderID: l.OrderID, OrderLine: l.OrderLine, ItemID: l.ItemID, Unit: l.Unit,
		Quantity: l.Quantity, Factor: l.Factor, UnitPrice: l.UnitPrice, PriceOverridden: l.PriceOverridden,
		VATRateBP: l.VATRateBP, Deposit: l.Deposit}
}

// EmptiesLine is a kind of empties credited, frozen.
type EmptiesLine struct {
	OrderID      int64          `json:"order_id"`
	OrderNumber  string         `json:"order_number"`
	ItemID       int64          `json:"item_id"`
	ItemSKU      string         `json:"item_sku"`
	ItemName     string         `json:"item_name"`
	Unit         catalogue.Unit `json:"unit"`
	UnitName     string         `json:"unit_name"`
	Quantity     int64          `json:"quantity"`
	Factor       int64          `json:"factor"`
	QuantityBase int64          `json:"quantity_base"`
	Deposit      money.Amount   `json:"deposit"`
	VATRateBP    int            `json:"vat_rate_bp"`
	InvoiceLine  int            `json:"invoice_line"` // on a credit note: the invoice's empties index
}

// Credit is Quantity × Deposit.
func (e EmptiesLine) Credit() money.Amount { return e.Deposit * money.Amount(e.Quantity) }

func (e EmptiesLine) sales() sales.InvoiceEmpties {
	return sales.InvoiceEmpties{OrderID: e.OrderID, Empties: sales.Empties{ItemID: e.ItemID, Unit: e.Unit,
		Quantity: e.Quantity, Factor: e.Factor, QuantityBase: e.QuantityBase, Deposit: e.Deposit, VATRateBP: e.VATRateBP}}
}

// Invoice is an issued invoice: its frozen snapshot, its PDF and its
// account.
type Invoice struct {
	ID               int64
	Seq              int64
	Number           string
	CustomerID       int64
	CustomerNumber   int64
	CustomerName     string
	Currency         string
	IssueDate        time.Time // a calendar day at 00:00 UTC
	DueDate          time.Time
	PaymentTermsDays int
	BillTo           Address
	Company          Company
	OrderIDs         []int64
	OrderNumbers     []string
	Lines            []Line
	Empties          []EmptiesLine
	Totals           sales.Totals
	ReferenceType    qrbill.ReferenceType
	Reference        string
	Bill             qrbill.Bill
	PDF              files.File   // the stored PDF's description
	Credited         money.Amount // Σ credit notes' payable, positive
	Paid             money.Amount // Σ payments
	Payments         []Payment    // nil in lists
	CreditNotes      []CreditNote // without lines; nil in lists
	// Account is where payment stands today (filled by the Service).
	Account   sales.PaymentStatus
	Version   int
	CreatedBy *int64
	CreatedAt time.Time
}

// Outstanding is payable − credited − paid: negative when overpaid.
func (i Invoice) Outstanding() money.Amount { return i.Totals.Payable - i.Credited - i.Paid }

// Payment is money received for an invoice.
type Payment struct {
	ID        int64
	InvoiceID int64
	Date      time.Time
	Amount    money.Amount
	Note      string
	CreatedBy *int64
	CreatedAt time.Time
}

// CreditNote is an issued credit note.
type CreditNote struct {
	ID            int64
	Seq           int64
	Number        string
	InvoiceID     int64
	InvoiceNumber string
	CustomerID    int64
	IssueDate     time.Time
	Reason        string
	ReturnGoods   bool
	LocationID    *int64
	BillTo        Address
	Company       Company
	Lines         []Line        // InvoiceLine names the invoice's line
	Empties       []EmptiesLine // InvoiceLine names the invoice's empties
	Totals        sales.Totals  // negative
	PDF           files.File
	MovementIDs   []int64 // the goods return's movements
	CreatedBy     *int64
	CreatedAt     time.Time
}

// Renderers make the PDFs of issued documents in two steps, so that an
// issue holds the gapless counter's row lock only for the second: the
// first lays the document out before its number is drawn (the Number and
// the invoice's Bill are empty then), the finish it returns prints the
// number (and the QR bill built from it) and gives the bytes. Rendering
// must be a pure function of its input: the bytes are stored once and
// served as they are. PDFRenderers are salespdf's.
type Renderers struct {
	Invoice    func(salespdf.Invoice) (FinishInvoice, error)
	CreditNote func(salespdf.CreditNote) (FinishCreditNote, error)
}

// FinishInvoice completes a laid-out invoice with its number and QR bill.
type FinishInvoice func(number string, bill qrbill.Bill) ([]byte, error)

// FinishCreditNote completes a laid-out credit note with its number.
type FinishCreditNote func(number string) ([]byte, error)

// PDFRenderers are package salespdf's renderers, as the api uses them.
func PDFRenderers() Renderers {
	return Renderers{
		Invoice: func(d salespdf.Invoice) (FinishInvoice, error) {
			p, err := salespdf.PrepareInvoice(d)
			if err != nil {
				return nil, err
			}
			return p.Finish, nil
		},
		CreditNote: func(d salespdf.CreditNote) (FinishCreditNote, error) {
			p, err := salespdf.PrepareCreditNote(d)
			if err != nil {
				return nil, err
			}
			return p.Finish, nil
		},
	}
}

// IssueInput is an invoice as a client asks for it.
type IssueInput struct {
	OrderIDs []int64
	Date     *time.Time // default: today in the organisation's zone
	// RequestKey is the client's Idempotency-Key, if any.
	RequestKey string
}

// CreditInput is a credit note as a client asks for it.
type CreditInput struct {
	sales.CreditInput
	Reason      string
	ReturnGoods bool
	LocationID  *int64
	Date        *time.Time
	RequestKey  string
	// Version is the invoice's version the client saw (If-Match); 0: any.
	Version int
}

// PaymentInput is a payment as a client enters it.
type PaymentInput struct {
	Date       time.Time
	Amount     money.Amount
	Note       string
	RequestKey string
	// Version is the invoice's version the client saw (If-Match); 0: any.
	Version int
}

// Request is what a write's transaction locks and how it is made once
// only: its key and the fingerprint of its input (a repeat with the same
// key and fingerprint returns the first result; another fingerprint is
// apperr.CodeIdempotency).
type Request struct {
	Key         string
	Fingerprint []byte
}

// LogoState is the company logo as an issue reads it.
type LogoState struct {
	FileID  int64 // the document's copy (owner kind document_logo)
	Type    files.Type
	Content []byte
}

// IssueSnapshot is what issuing decides on, read in the issue's
// transaction: the orders (locked for update in id order; nil where an id
// does not exist), in the request's order, the company profile (for
// share), its logo's document copy and the customer of the first order.
type IssueSnapshot struct {
	Orders   []*orders.Order
	Profile  company.Profile
	Logo     *LogoState
	Customer *orders.CustomerState
	// Units names the units of the orders' empties' items, by item id.
	Units map[int64]ItemUnits
}

// ItemUnits are an item's own names of its base unit and package.
type ItemUnits struct {
	Base, Package string
}

// Frozen is an issued document made: its row and its PDF.
type Frozen[T any] struct {
	Doc T
	PDF []byte
}

// IssuePlan is what issuing writes. Number gets the sequence number the
// store drew (the counter row locked until commit) and returns the
// numbered invoice with its reference, QR bill and PDF; its error rolls
// the whole issue back, number included. The PDF was laid out when the
// plan was made; Number only finishes it, and is called once.
type IssuePlan struct {
	Number func(seq int64) (Frozen[Invoice], error)
}

// CreditSnapshot is what a credit note decides on: the invoice (locked
// for update) with its credit notes, the profile, the logo, the ledger's
// state of the items of the invoice's lines and the location of a goods
// return (nil when absent or none asked for) with its stock rows.
type CreditSnapshot struct {
	Invoice  Invoice
	Profile  company.Profile
	Logo     *LogoState
	Items    map[int64]ledger.ItemState
	Location *orders.LocationState
	Levels   map[ledger.Place]ledger.Level
}

// CreditPlan is what a credit note writes: the movements of a goods
// return, the stock changes, the deposit account's entry, and Number as
// in IssuePlan.
type CreditPlan struct {
	Returns  []ledger.Movement
	Good     map[ledger.Place]int64
	Charged  money.Amount // deposit account: negative, the credited deposits
	Credited money.Amount // negative, the credited empties
	Settled  bool         // the invoice is paid afterwards: its INVOICED orders become PAID
	Number   func(seq int64) (Frozen[CreditNote], error)
}

// PaymentPlan is what a payment writes: the payment, and whether the
// invoice is now paid (its INVOICED orders become PAID).
type PaymentPlan struct {
	Payment Payment
	Settled bool
}

// Filter narrows the invoice list. Every field is optional.
type Filter struct {
	States     []sales.PaymentState
	CustomerID *int64
	// Q finds invoices by number prefix ("RE0000"), the customer's number
	// or part of the customer's name.
	Q string
	// Today decides overdue (set by the Service).
	Today time.Time
}

// CreditNoteFilter narrows the credit note list.
type CreditNoteFilter struct {
	InvoiceID  *int64
	CustomerID *int64
}

// Store keeps invoices, credit notes, payments and bank imports.
type Store interface {
	BankStore
	// Issue runs one transaction: a repeat of req's key returns the invoice
	// issued first; the orders are locked for update in id order, the
	// profile for share, the customer key share; the logo is copied for
	// documents; decide gets them (its error is returned as is); the
	// invoice counter row is updated and plan.Number called with its
	// value; the invoice, its PDF, its orders' link and status INVOICED
	// and the audit records are written.
	Issue(ctx context.Context, actor audit.Actor, req Request, orderIDs []int64, decide func(IssueSnapshot) (IssuePlan, error)) (Invoice, error)
	// Credit runs one transaction: the invoice locked for update (not
	// found: apperr.CodeNotFound), then as Issue for the profile and logo,
	// the items of its lines for share in id order, the location and the
	// stock rows when returnLocation is set; decide, the credit note
	// counter, the credit note, its movements, the invoice's account,
	// orders PAID when settled, the deposit entry and audit records.
	Credit(ctx context.Context, actor audit.Actor, req Request, invoiceID int64, returnLocation *int64, decide func(CreditSnapshot) (CreditPlan, error)) (CreditNote, error)
	// Pay locks the invoice, calls decide with it, writes the payment and
	// the account (orders PAID when settled) with its audit record.
	Pay(ctx context.Context, actor audit.Actor, req Request, invoiceID int64, decide func(Invoice) (PaymentPlan, error)) (Invoice, error)
	Get(ctx context.Context, id int64) (Invoice, error)
	List(ctx context.Context, f Filter, p page.Request) (page.Page[Invoice], error)
	// InvoicePDF returns the stored PDF's description and, unless infoOnly, its bytes.
	InvoicePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error)
	GetCreditNote(ctx context.Context, id int64) (CreditNote, error)
	ListCreditNotes(ctx context.Context, f CreditNoteFilter, p page.Request) (page.Page[CreditNote], error)
	CreditNotePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error)
}

// fingerprint identifies a request's input for its Idempotency-Key.
func fingerprint(what string, v any) ([]byte, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("fingerprint of %s: %w", what, err)
	}
	h := sha256.New()
	h.Write([]byte(what + "\n"))
	h.Write(b)
	return h.Sum(nil), nil
}
