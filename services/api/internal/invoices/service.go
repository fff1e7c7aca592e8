package invoices

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// Service is the entry point of the api's handlers.
type Service struct {
	store  Store
	render Renderers
	now    func() time.Time
	zone   *time.Location
}

// NewService returns a service keeping documents in store and rendering
// their PDFs with render; now is time.Now when nil; days (issue dates,
// overdue) are counted in zone (nil: UTC; the api passes the
// organisation's zone).
func NewService(store Store, render Renderers, now func() time.Time, zone *time.Location) *Service {
	if now == nil {
		now = time.Now
	}
	if zone == nil {
		zone = time.UTC
	}
	return &Service{store: store, render: render, now: now, zone: zone}
}

// today is the current calendar day in the organisation's zone, at 00:00 UTC.
func (s *Service) today() time.Time { return dayOf(s.now().In(s.zone)) }

func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func notFound() error { return apperr.New(apperr.CodeNotFound, "Invoice not found.") }

func creditNoteNotFound() error { return apperr.New(apperr.CodeNotFound, "Credit note not found.") }

// checkDate fills a missing date with today and refuses one in the future.
func (s *Service) checkDate(p apperr.Problems, d *time.Time) time.Time {
	today := s.today()
	if d == nil {
		return today
	}
	day := dayOf(*d)
	if day.After(today) {
		p.Add("date", apperr.FieldError{Code: apperr.FieldInFuture, Message: "must not lie in the future"})
	}
	return day
}

func checkKey(p apperr.Problems, k string) {
	switch {
	case !utf8.ValidString(k):
		p.Add("Idempotency-Key", apperr.InvalidUTF8())
	case utf8.RuneCountInString(k) > MaxKeyLength:
		p.Add("Idempotency-Key", apperr.TooLong(MaxKeyLength))
	case strings.ContainsFunc(k, unicode.IsControl):
		p.Add("Idempotency-Key", apperr.ControlChar())
	}
}

func (s *Service) request(what, key string, v any) (Request, error) {
	if key == "" {
		return Request{}, nil
	}
	fp, err := fingerprint(what, v)
	return Request{Key: key, Fingerprint: fp}, err
}

// Issue makes an invoice of delivered orders of one customer: numbered
// from the gapless sequence, frozen, its PDF rendered and stored, the
// orders INVOICED; all in one transaction, nothing written on a refusal.
func (s *Service) Issue(ctx context.Context, actor audit.Actor, in IssueInput) (Invoice, error) {
	p := apperr.Problems{}
	date := s.checkDate(p, in.Date)
	checkKey(p, in.RequestKey)
	for i, id := range in.OrderIDs {
		p.ID(fmt.Sprintf("order_ids[%d]", i), &id)
	}
	if err := p.Check(); err != nil {
		return Invoice{}, err
	}
	// The input as sent: a retry after midnight of a request without a
	// date is the same request.
	req, err := s.request("invoice", in.RequestKey, struct {
		OrderIDs []int64    `json:"order_ids"`
		Date     *time.Time `json:"date"`
	}{in.OrderIDs, in.Date})
	if err != nil {
		return Invoice{}, err
	}
	created := s.now().UTC().Truncate(time.Second)
	inv, err := s.store.Issue(ctx, actor, req, in.OrderIDs, func(snap IssueSnapshot) (IssuePlan, error) {
		return decideIssue(snap, in.OrderIDs, date, created, s.render.Invoice)
	})
	return s.complete(inv), err
}

// Credit issues a credit note on an invoice: full, or quantities of its
// lines and empties; with return_goods the goods are booked back into
// stock at location_id in the same transaction.
func (s *Service) Credit(ctx context.Context, actor audit.Actor, invoiceID int64, in CreditInput) (CreditNote, error) {
	if invoiceID <= 0 {
		return CreditNote{}, notFound()
	}
	in.Reason = strings.TrimSpace(in.Reason)
	p := apperr.Problems{}
	date := s.checkDate(p, in.Date)
	checkKey(p, in.RequestKey)
	p.Text("reason", in.Reason, 0, MaxReason)
	switch {
	case in.ReturnGoods && in.LocationID == nil:
		p.Add("location_id", apperr.FieldError{Code: apperr.FieldRequiredWith, Message: "is required with return_goods",
			Params: apperr.Params{"other": "return_goods"}})
	case in.ReturnGoods:
		p.ID("location_id", in.LocationID)
	case in.LocationID != nil:
		p.Add("location_id", apperr.FieldError{Code: apperr.FieldNotApplicable,
			Message: "is only taken with return_goods", Params: apperr.Params{"used_by": "return_goods"}})
	}
	if err := p.Check(); err != nil {
		return CreditNote{}, err
	}
	req, err := s.request("credit_note", in.RequestKey, struct {
		ID int64 `json:"invoice_id"`
		sales.CreditInput
		Reason      string     `json:"reason"`
		ReturnGoods bool       `json:"return_goods"`
		LocationID  *int64     `json:"location_id"`
		Date        *time.Time `json:"date"`
	}{invoiceID, in.CreditInput, in.Reason, in.ReturnGoods, in.LocationID, in.Date})
	if err != nil {
		return CreditNote{}, err
	}
	var location *int64
	if in.ReturnGoods {
		location = in.LocationID
	}
	created := s.now().UTC().Truncate(time.Second)
	return s.store.Credit(ctx, actor, req, invoiceID, location, func(snap CreditSnapshot) (CreditPlan, error) {
		if err := checkVersion(snap.Invoice, in.Version); err != nil {
			return CreditPlan{}, err
		}
		return decideCredit(snap, in, date, created, s.today(), s.render.CreditNote)
	})
}

// Pay books a payment of an invoice. Payments add up; paying more than is
// open is booked and flagged (Account.Overpaid). When the invoice is paid
// its orders become PAID in the same transaction.
func (s *Service) Pay(ctx context.Context, actor audit.Actor, invoiceID int64, in PaymentInput) (Invoice, error) {
	if invoiceID <= 0 {
		return Invoice{}, notFound()
	}
	in.Note = strings.TrimSpace(in.Note)
	in.Date = dayOf(in.Date)
	today := s.today()
	p := apperr.Problems{}
	p.Merge(sales.CheckPayment(sales.PaymentInput{Date: in.Date, Amount: in.Amount}, today))
	p.Text("note", in.Note, 0, MaxNote)
	checkKey(p, in.RequestKey)
	if err := p.Check(); err != nil {
		return Invoice{}, err
	}
	req, err := s.request("payment", in.RequestKey, struct {
		ID     int64     `json:"invoice_id"`
		Date   time.Time `json:"date"`
		Amount int64     `json:"amount"`
		Note   string    `json:"note"`
	}{invoiceID, in.Date, int64(in.Amount), in.Note})
	if err != nil {
		return Invoice{}, err
	}
	inv, err := s.store.Pay(ctx, actor, req, invoiceID, func(inv Invoice) (PaymentPlan, error) {
		if err := checkVersion(inv, in.Version); err != nil {
			return PaymentPlan{}, err
		}
		settled, err := SettledAfter(inv, 0, in.Amount, today)
		if err != nil {
			return PaymentPlan{}, err
		}
		return PaymentPlan{Payment: Payment{InvoiceID: inv.ID, Date: in.Date, Amount: in.Amount, Note: in.Note},
			Settled: settled}, nil
	})
	return s.complete(inv), err
}

// Get returns one invoice with its payments and credit notes.
func (s *Service) Get(ctx context.Context, id int64) (Invoice, error) {
	if id <= 0 {
		return Invoice{}, notFound()
	}
	inv, err := s.store.Get(ctx, id)
	return s.complete(inv), err
}

// List pages through invoices, newest first.
func (s *Service) List(ctx context.Context, f Filter, p page.Request) (page.Page[Invoice], error) {
	pr := apperr.Problems{}
	for _, st := range f.States {
		if !validState(st) {
			pr.Add("status", apperr.NotAllowed(States()...))
		}
	}
	pr.ID("customer_id", f.CustomerID)
	pr.Line("q", f.Q, 0, MaxSearch)
	if err := pr.Check(); err != nil {
		return page.Page[Invoice]{}, err
	}
	f.Today = s.today()
	out, err := s.store.List(ctx, f, p)
	for i := range out.Items {
		out.Items[i] = s.complete(out.Items[i])
	}
	return out, err
}

// States lists the payment states the list filters by.
func States() []sales.PaymentState {
	return []sales.PaymentState{sales.Open, sales.PartiallyPaid, sales.FullyPaid, sales.Overdue}
}

func validState(st sales.PaymentState) bool { return slices.Contains(States(), st) }

// InvoicePDF returns the stored PDF of an invoice (its description only
// with infoOnly, for a conditional request).
func (s *Service) InvoicePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error) {
	if id <= 0 {
		return files.File{}, nil, notFound()
	}
	return s.store.InvoicePDF(ctx, id, infoOnly)
}

// GetCreditNote returns one credit note.
func (s *Service) GetCreditNote(ctx context.Context, id int64) (CreditNote, error) {
	if id <= 0 {
		return CreditNote{}, creditNoteNotFound()
	}
	return s.store.GetCreditNote(ctx, id)
}

// ListCreditNotes pages through credit notes, newest first.
func (s *Service) ListCreditNotes(ctx context.Context, f CreditNoteFilter, p page.Request) (page.Page[CreditNote], error) {
	pr := apperr.Problems{}
	pr.ID("invoice_id", f.InvoiceID)
	pr.ID("customer_id", f.CustomerID)
	if err := pr.Check(); err != nil {
		return page.Page[CreditNote]{}, err
	}
	return s.store.ListCreditNotes(ctx, f, p)
}

// CreditNotePDF returns the stored PDF of a credit note.
func (s *Service) CreditNotePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error) {
	if id <= 0 {
		return files.File{}, nil, creditNoteNotFound()
	}
	return s.store.CreditNotePDF(ctx, id, infoOnly)
}

// checkVersion refuses a write based on a stale view of the invoice.
func checkVersion(inv Invoice, version int) error {
	if version != 0 && version != inv.Version {
		return apperr.New(apperr.CodePrecondition, fmt.Sprintf(
			"Invoice %s was changed by someone else (version %d, you had %d); reload it and try again.", inv.Number, inv.Version, version))
	}
	return nil
}

// complete fills the account as it stands today.
func (s *Service) complete(inv Invoice) Invoice {
	if inv.ID == 0 {
		return inv
	}
	st, err := sales.StatusOf(inv.Totals.Payable, []money.Amount{-inv.Credited}, []money.Amount{inv.Paid},
		inv.IssueDate, inv.PaymentTermsDays, s.today())
	if err == nil {
		inv.Account = st
	}
	return inv
}
