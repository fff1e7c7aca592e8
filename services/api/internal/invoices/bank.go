package invoices

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/camt"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
)

// CreditStatus is where a bank credit stands.
type CreditStatus string

// Credit statuses.
const (
	Matched   CreditStatus = "matched"   // booked on the invoice its reference names
	Assigned  CreditStatus = "assigned"  // booked on an invoice a person chose
	Unmatched CreditStatus = "unmatched" // waiting for a person; Reason says why
)

// CreditStatuses lists them.
func CreditStatuses() []CreditStatus { return []CreditStatus{Matched, Assigned, Unmatched} }

// Why a credit was not matched.
const (
	NoReference      = "no_reference"      // the payer gave none (or one not of our forms)
	UnknownReference = "unknown_reference" // no invoice carries it
	WrongCurrency    = "wrong_currency"    // the invoice is in another currency
	Reversal         = "reversal"          // the bank returns an earlier debit: not a customer's payment
)

// BankCredit is one credit of an imported camt file.
type BankCredit struct {
	ID            int64
	ImportID      int64
	IBAN          string
	BankRef       string // camt's de-duplication key, unique per IBAN
	RefSource     string
	Amount        money.Amount
	Currency      string
	BookingDate   time.Time
	ValueDate     *time.Time
	Reference     string
	RefType       string
	Remittance    string
	DebtorName    string
	Reversal      bool
	Status        CreditStatus
	Reason        string
	InvoiceID     *int64
	InvoiceNumber string
	CreatedAt     time.Time
}

// BankImport is one uploaded file and what became of its credits.
type BankImport struct {
	ID         int64
	SHA256     string
	FileName   string
	Kind       string
	MessageID  string
	Repeated   bool // the same bytes were imported before
	Credits    int  // new credits recorded
	Duplicates int  // credits already known from an earlier import
	Skipped    int  // debits and entries not booked
	CreatedBy  *int64
	CreatedAt  time.Time
	Entries    []BankCredit // the new credits, in file order
}

// Match is what a new credit becomes: its status, and the payment it
// books (nil when unmatched).
type Match struct {
	Credit  BankCredit
	Payment *Payment
	Settles bool // its invoice is paid afterwards
}

// BankStore keeps bank imports and credits.
type BankStore interface {
	// Import runs one transaction (imports wait for each other): it
	// records the import, finds which of credits are already known (by
	// IBAN and BankRef), locks the invoices the new ones' references name
	// (for update, in id order), calls match with the new credits and
	// those invoices by reference, and writes the credits, payments,
	// accounts, settled orders and audit records.
	Import(ctx context.Context, actor audit.Actor, imp BankImport, credits []BankCredit,
		match func(fresh []BankCredit, byRef map[string]Invoice) ([]Match, error)) (BankImport, error)
	GetImport(ctx context.Context, id int64) (BankImport, error)
	ListCredits(ctx context.Context, status *CreditStatus, p page.Request) (page.Page[BankCredit], error)
	// Assign locks the credit (not found: apperr.CodeNotFound) and the
	// invoice, calls decide and books its payment.
	Assign(ctx context.Context, actor audit.Actor, creditID, invoiceID int64,
		decide func(BankCredit, Invoice) (Match, error)) (BankCredit, error)
}

// MatchCredits decides new credits against the invoices their references
// name: a credit is booked on the invoice whose reference it carries, in
// the invoice's currency; reversals, credits without a reference or with
// one no invoice carries, and those in another currency wait for a person.
// Several credits for one invoice add up in file order.
func MatchCredits(fresh []BankCredit, byRef map[string]Invoice, today time.Time) ([]Match, error) {
	out := make([]Match, len(fresh))
	for i, c := range fresh {
		c.Status = Unmatched
		inv, ok := byRef[c.Reference]
		switch {
		case c.Reversal:
			c.Reason = Reversal
		case c.Reference == "":
			c.Reason = NoReference
		case !ok:
			c.Reason = UnknownReference
		case inv.Currency != c.Currency:
			c.Reason = WrongCurrency
		default:
			m, err := bookCredit(c, inv, Matched, today)
			if err != nil {
				return nil, err
			}
			out[i] = m
			inv.Paid += c.Amount
			byRef[c.Reference] = inv
			continue
		}
		out[i] = Match{Credit: c}
	}
	return out, nil
}

// bookCredit makes the payment of credit c on invoice inv.
func bookCredit(c BankCredit, inv Invoice, status CreditStatus, today time.Time) (Match, error) {
	settles, err := SettledAfter(inv, 0, c.Amount, today)
	if err != nil {
		return Match{}, err
	}
	id := inv.ID
	c.Status, c.Reason, c.InvoiceID, c.InvoiceNumber = status, "", &id, inv.Number
	note := "Bank " + c.BankRef
	if c.DebtorName != "" {
		note = c.DebtorName + ", " + note
	}
	if len([]rune(note)) > MaxNote {
		note = string([]rune(note)[:MaxNote])
	}
	return Match{Credit: c, Settles: settles,
		Payment: &Payment{InvoiceID: inv.ID, Date: c.BookingDate, Amount: c.Amount, Note: note}}, nil
}

// Import reads a camt.054 or camt.053 file (field "file") and books its
// credits: see BankStore.Import and MatchCredits.
func (s *Service) Import(ctx context.Context, actor audit.Actor, u files.Upload) (BankImport, error) {
	if len(u.Content) == 0 {
		return BankImport{}, apperr.FieldProblem("Send a camt file.", "file", apperr.Required())
	}
	res, err := camt.ParseBytes(u.Content)
	if err != nil {
		var ce *camt.Error
		reason := err.Error()
		if errors.As(err, &ce) {
			reason = ce.Error()
		}
		return BankImport{}, apperr.FieldProblem("The file is not a camt.054 or camt.053 message this api reads: "+reason, "file",
			apperr.InvalidFormat().Because("must be an ISO 20022 camt.054 or camt.053 file (versions .04 and .08)"))
	}
	imp := BankImport{SHA256: res.SHA256, FileName: files.CleanName(u.Name, files.Type("")), Kind: res.Kind,
		MessageID: res.MessageID, Skipped: len(res.Skipped)}
	credits := make([]BankCredit, len(res.Credits))
	for i, t := range res.Credits {
		c := BankCredit{IBAN: t.IBAN, BankRef: t.BankRef, RefSource: t.RefSource, Amount: money.Amount(t.Amount),
			Currency: t.Currency, BookingDate: t.BookingDate, Reference: t.Reference, RefType: t.RefType,
			Remittance: t.Remittance, DebtorName: t.DebtorName, Reversal: t.Reversal}
		if !t.ValueDate.IsZero() {
			v := t.ValueDate
			c.ValueDate = &v
		}
		credits[i] = c
	}
	today := s.today()
	return s.store.Import(ctx, actor, imp, credits, func(fresh []BankCredit, byRef map[string]Invoice) ([]Match, error) {
		return MatchCredits(fresh, byRef, today)
	})
}

// GetImport returns an import's report.
func (s *Service) GetImport(ctx context.Context, id int64) (BankImport, error) {
	if id <= 0 {
		return BankImport{}, apperr.New(apperr.CodeNotFound, "Bank import not found.")
	}
	return s.store.GetImport(ctx, id)
}

// ListCredits pages through bank credits, newest first.
func (s *Service) ListCredits(ctx context.Context, status *CreditStatus, p page.Request) (page.Page[BankCredit], error) {
	return s.store.ListCredits(ctx, status, p)
}

// Assign books an unmatched credit on an invoice a person chose.
func (s *Service) Assign(ctx context.Context, actor audit.Actor, creditID, invoiceID int64) (BankCredit, error) {
	if creditID <= 0 {
		return BankCredit{}, apperr.New(apperr.CodeNotFound, "Bank credit not found.")
	}
	p := apperr.Problems{}
	p.ID("invoice_id", &invoiceID)
	if err := p.Check(); err != nil {
		return BankCredit{}, err
	}
	today := s.today()
	return s.store.Assign(ctx, actor, creditID, invoiceID, func(c BankCredit, inv Invoice) (Match, error) {
		switch {
		case c.Status != Unmatched:
			return Match{}, apperr.New(apperr.CodeConflict, fmt.Sprintf("This credit is %s already (invoice %s).", c.Status, c.InvoiceNumber))
		case c.Reversal:
			return Match{}, apperr.New(apperr.CodeConflict, "This credit returns an earlier debit; it is no customer's payment.")
		case inv.Currency != c.Currency:
			return Match{}, apperr.FieldProblem("The invoice is in another currency.", "invoice_id",
				apperr.NotAllowed(c.Currency).Because(fmt.Sprintf("is in %s; the credit is in %s", inv.Currency, c.Currency)))
		}
		return bookCredit(c, inv, Assigned, today)
	})
}
