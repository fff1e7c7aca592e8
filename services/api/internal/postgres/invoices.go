package postgres

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/orders"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// InvoiceStore keeps invoices, credit notes and payments; it implements
// invoices.Store.
//
// Lock order: an issue locks its orders (for update, in id order), then
// the company profile (for share), the customer (key share) and last the
// invoice counter row, which it holds until commit: concurrent issues get
// consecutive numbers and a rolled-back one gives its number back. A
// credit note or payment locks the invoice (for update), then the profile,
// the items, location and stock rows of a goods return in the ledger's
// order, the credit note counter, and the invoice's orders when it is
// settled. Nothing locks an invoice after its orders, so the two never
// wait for each other in a circle.
type InvoiceStore struct {
	pool   *pgxpool.Pool
	orders *OrderStore
}

var _ invoices.Store = (*InvoiceStore)(nil)

// NewInvoiceStore returns a store working on pool.
func NewInvoiceStore(pool *pgxpool.Pool) *InvoiceStore {
	return &InvoiceStore{pool: pool, orders: NewOrderStore(pool)}
}

const invoiceNotFound = "Invoice not found."

// documentKind names a gapless counter row of document_numbers.
type documentKind string

const (
	kindInvoice    documentKind = "invoice"
	kindCreditNote documentKind = "credit_note"
)

// nextNumber draws the next number of kind. The row stays locked until
// the transaction ends, so numbers are given one after the other and a
// rollback returns the number: the sequence has no gaps.
func nextNumber(ctx context.Context, tx pgx.Tx, kind documentKind) (int64, error) {
	var seq int64
	err := tx.QueryRow(ctx, "UPDATE document_numbers SET last = last + 1 WHERE kind = $1 RETURNING last", string(kind)).Scan(&seq)
	if isConstraintError(err, "document_numbers_last_check") {
		return 0, apperr.New(apperr.CodeConflict, fmt.Sprintf("The %s numbers are used up.", strings.ReplaceAll(string(kind), "_", " ")))
	}
	if err != nil {
		return 0, fmt.Errorf("next %s number: %w", kind, err)
	}
	return seq, nil
}

// replayed finds the row the person wrote under key in table, if any; a
// row of another request (another fingerprint) is refused.
func replayed(ctx context.Context, tx pgx.Tx, table string, actor audit.Actor, req invoices.Request, what string) (int64, error) {
	if req.Key == "" {
		return 0, nil
	}
	var id int64
	var hash []byte
	err := tx.QueryRow(ctx, "SELECT id, request_hash FROM "+table+" WHERE coalesce(created_by, 0) = $1 AND request_key = $2",
		actor.UserID, req.Key).Scan(&id, &hash)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("look up request key: %w", err)
	}
	if !bytes.Equal(hash, req.Fingerprint) {
		return 0, apperr.New(apperr.CodeIdempotency,
			fmt.Sprintf("This Idempotency-Key was already used for another request; use a new key for a new %s.", what))
	}
	return id, nil
}

// requestArgs are a write's request_key and request_hash (NULL without a key).
func requestArgs(req invoices.Request) (any, any) {
	if req.Key == "" {
		return nil, nil
	}
	return req.Key, req.Fingerprint
}

// onceOnly runs write; two requests under one key that both found none
// meet at the table's unique index, and the second runs again to find
// the first one's row.
func onceOnly[T any](req invoices.Request, index string, write func() (T, error)) (T, error) {
	out, err := write()
	if req.Key != "" && isConstraintError(err, index) {
		out, err = write()
	}
	return out, err
}

// documentLogo returns the documents' copy of the company logo (nil when
// the profile has none), making it when this content has none yet.
func documentLogo(ctx context.Context, tx pgx.Tx, logo *files.File) (*invoices.LogoState, error) {
	if logo == nil {
		return nil, nil
	}
	sum, err := hex.DecodeString(logo.SHA256)
	if err != nil {
		return nil, fmt.Errorf("logo digest: %w", err)
	}
	read := func() (*invoices.LogoState, error) {
		var l invoices.LogoState
		err := tx.QueryRow(ctx, "SELECT id, content_type, content FROM files WHERE owner_kind = 'document_logo' AND sha256 = $1", sum).
			Scan(&l.FileID, &l.Type, &l.Content)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read the documents' logo: %w", err)
		}
		return &l, nil
	}
	l, err := read()
	if l != nil || err != nil {
		return l, err
	}
	if _, err := tx.Exec(ctx, `
		INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content, created_by)
		SELECT 'document_logo', 0, content_type, size, sha256, name, content, created_by FROM files WHERE id = $1
		ON CONFLICT (sha256) WHERE owner_kind = 'document_logo' DO NOTHING`, logo.ID); err != nil {
		return nil, fmt.Errorf("copy the logo for documents: %w", err)
	}
	return read()
}

// insertPDF stores a document's PDF in the files store.
func insertPDF(ctx context.Context, tx pgx.Tx, actor audit.Actor, owner files.OwnerKind, ownerID int64, number string, pdf []byte) (int64, error) {
	sum := sha256.Sum256(pdf)
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content, created_by)
		VALUES ($1, $2, 'application/pdf', $3, $4, $5, $6, NULLIF($7::bigint, 0)) RETURNING id`,
		owner, ownerID, len(pdf), sum[:], number+".pdf", pdf, actor.UserID).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store the PDF of %s: %w", number, err)
	}
	return id, nil
}

// newID takes the next id of table's identity, so that rows pointing at
// each other (a document and its PDF) can be written in one go.
func newID(ctx context.Context, tx pgx.Tx, table string) (int64, error) {
	var id int64
	if err := tx.QueryRow(ctx, "SELECT nextval(pg_get_serial_sequence($1, 'id'))", table).Scan(&id); err != nil {
		return 0, fmt.Errorf("new %s id: %w", table, err)
	}
	return id, nil
}

func (s *InvoiceStore) Issue(ctx context.Context, actor audit.Actor, req invoices.Request, orderIDs []int64, decide func(invoices.IssueSnapshot) (invoices.IssuePlan, error)) (invoices.Invoice, error) {
	id, err := onceOnly(req, "invoices_request_key_key", func() (int64, error) {
		var id int64
		err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			id, err = s.issue(ctx, tx, actor, req, orderIDs, decide)
			return err
		})
		return id, err
	})
	if err != nil {
		return invoices.Invoice{}, mapError(err, invoiceNotFound)
	}
	// Read back after the commit, not before: until then the counter's
	// row is locked and every other issuer waits on it.
	return s.Get(ctx, id)
}

// issue writes the invoice and returns its id.
func (s *InvoiceStore) issue(ctx context.Context, tx pgx.Tx, actor audit.Actor, req invoices.Request, orderIDs []int64, decide func(invoices.IssueSnapshot) (invoices.IssuePlan, error)) (int64, error) {
	ids := slices.Clone(orderIDs)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if _, err := tx.Exec(ctx, "SELECT 1 FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids); err != nil {
		return 0, fmt.Errorf("lock orders: %w", err)
	}
	// The key is looked up once the orders are locked: a retry that came
	// while the first request held them (and found no invoice then) sees
	// its invoice now, instead of its orders INVOICED.
	if id, err := replayed(ctx, tx, "invoices", actor, req, "invoice"); id != 0 || err != nil {
		return id, err
	}
	snap := invoices.IssueSnapshot{Orders: make([]*orders.Order, len(orderIDs))}
	read := map[int64]*orders.Order{}
	for i, id := range orderIDs {
		if o, ok := read[id]; ok {
			snap.Orders[i] = o
			continue
		}
		o, err := s.orders.order(ctx, tx, id, "")
		if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
			continue
		}
		if err != nil {
			return 0, err
		}
		snap.Orders[i], read[id] = &o, &o
	}
	var emptiesItems []int64
	for _, o := range read {
		for _, e := range o.Empties {
			emptiesItems = append(emptiesItems, e.ItemID)
		}
	}
	rows, _ := tx.Query(ctx, "SELECT id, base_unit, coalesce(package_unit, '') FROM items WHERE id = ANY($1)", emptiesItems)
	snap.Units = map[int64]invoices.ItemUnits{}
	var itemID int64
	var u invoices.ItemUnits
	if _, err := pgx.ForEachRow(rows, []any{&itemID, &u.Base, &u.Package}, func() error {
		snap.Units[itemID] = u
		return nil
	}); err != nil {
		return 0, fmt.Errorf("read the empties' units: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT 1 FROM organisation FOR SHARE"); err != nil {
		return 0, fmt.Errorf("lock the company profile: %w", err)
	}
	var err error
	if snap.Profile, err = readProfile(ctx, tx, false); err != nil {
		return 0, err
	}
	for _, o := range snap.Orders {
		if o != nil {
			if snap.Customer, err = customerState(ctx, tx, o.CustomerID); err != nil {
				return 0, err
			}
			break
		}
	}
	// The logo's copy is written before the decision, which freezes its
	// id; a refusal rolls it back with everything else.
	if snap.Logo, err = documentLogo(ctx, tx, snap.Profile.Logo); err != nil {
		return 0, err
	}
	// The decision lays the PDF out; everything that does not need the
	// number is done before it is drawn.
	plan, err := decide(snap)
	if err != nil {
		return 0, err
	}
	id, err := newID(ctx, tx, "invoices")
	if err != nil {
		return 0, err
	}
	// Last, the number: its row stays locked until commit.
	seq, err := nextNumber(ctx, tx, kindInvoice)
	if err != nil {
		return 0, err
	}
	fr, err := plan.Number(seq)
	if err != nil {
		return 0, err
	}
	inv := fr.Doc
	pdfID, err := insertPDF(ctx, tx, actor, files.OwnerInvoice, id, inv.Number, fr.PDF)
	if err != nil {
		return 0, err
	}
	key, hash := requestArgs(req)
	if _, err := tx.Exec(ctx, `
		INSERT INTO invoices (id, seq, number, customer_id, customer_number, customer_name, currency, issue_date, due_date,
		                      payment_terms, bill_to, company, logo_file_id, lines, empties, totals, payable,
		                      reference_type, reference, bill, pdf_file_id, created_by, request_key, request_hash,
		                      order_ids, order_numbers)
		OVERRIDING SYSTEM VALUE
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
		        NULLIF($22::bigint, 0), $23, $24, $25, $26)`,
		id, inv.Seq, inv.Number, inv.CustomerID, inv.CustomerNumber, inv.CustomerName, inv.Currency, inv.IssueDate,
		inv.DueDate, inv.PaymentTermsDays, inv.BillTo, inv.Company, inv.Company.LogoFileID, inv.Lines, inv.Empties,
		inv.Totals, int64(inv.Totals.Payable), string(inv.ReferenceType), inv.Reference, inv.Bill, pdfID,
		actor.UserID, key, hash, inv.OrderIDs, inv.OrderNumbers); err != nil {
		return 0, fmt.Errorf("insert invoice: %w", err)
	}
	for i, oid := range inv.OrderIDs {
		if _, err := tx.Exec(ctx, "INSERT INTO invoice_orders (invoice_id, position, order_id) VALUES ($1, $2, $3)", id, i, oid); err != nil {
			return 0, fmt.Errorf("link order %d: %w", oid, err)
		}
	}
	if err := setOrderStatus(ctx, tx, actor, inv.OrderIDs, sales.Invoice, "Invoice "+inv.Number); err != nil {
		return 0, err
	}
	if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "invoice", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionCreate,
		Changes: map[string]audit.Change{"number": {To: inv.Number}, "customer_id": {To: inv.CustomerID},
			"order_ids": {To: inv.OrderIDs}, "payable": {To: inv.Totals.Payable.String()}, "currency": {To: inv.Currency}}}); err != nil {
		return 0, err
	}
	return id, nil
}

// setOrderStatus moves orders by action (sales.Next decides where to), with
// an audit record each. Orders not in a status the action starts from are
// left alone: a payment settles only the INVOICED ones.
func setOrderStatus(ctx context.Context, tx pgx.Tx, actor audit.Actor, ids []int64, action sales.Action, why string) error {
	rows, _ := tx.Query(ctx, "SELECT id, status FROM orders WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids)
	type st struct {
		id     int64
		status sales.Status
	}
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (st, error) {
		var s st
		err := row.Scan(&s.id, &s.status)
		return s, err
	})
	if err != nil {
		return fmt.Errorf("read order statuses: %w", err)
	}
	for _, o := range list {
		to, err := sales.Next(o.status, action, "")
		if err != nil {
			if action == sales.Pay {
				continue
			}
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE orders SET status = $2, version = version + 1 WHERE id = $1", o.id, string(to)); err != nil {
			return fmt.Errorf("update order status: %w", err)
		}
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "order", EntityID: strconv.FormatInt(o.id, 10), Action: string(action),
			Changes: map[string]audit.Change{"status": {From: string(o.status), To: string(to)}, "reason": {To: why}}}); err != nil {
			return err
		}
	}
	return nil
}

const invoiceSelect = `
	SELECT i.id, i.seq, i.number, i.customer_id, i.customer_number, i.customer_name, i.currency, i.issue_date, i.due_date,
	       i.payment_terms, i.bill_to, i.company, i.lines, i.empties, i.totals, i.reference_type, i.reference, i.bill,
	       i.credited, i.paid, i.version, i.created_by, i.created_at,
	       ` + fileColumns + `,
	       i.order_ids, i.order_numbers
	  FROM invoices i JOIN files f ON f.id = i.pdf_file_id`

// invoiceListSelect reads what a list shows of an invoice, all of it
// scalar columns: the snapshot's JSON (addresses, lines, totals, the bill)
// and the PDF's description are for one invoice at a time, and decoding
// even the small parts of them cost a list most of its time in the api.
const invoiceListSelect = `
	SELECT i.id, i.seq, i.number, i.customer_id, i.customer_number, i.customer_name, i.currency, i.issue_date, i.due_date,
	       i.payment_terms, i.payable, i.reference_type, i.reference, i.credited, i.paid, i.version, i.created_by, i.created_at
	  FROM invoices i`

func scanInvoice(row pgx.CollectableRow) (invoices.Invoice, error) {
	var inv invoices.Invoice
	var credited, paid int64
	var sum []byte
	dest := []any{&inv.ID, &inv.Seq, &inv.Number, &inv.CustomerID, &inv.CustomerNumber, &inv.CustomerName, &inv.Currency,
		&inv.IssueDate, &inv.DueDate, &inv.PaymentTermsDays, &inv.BillTo, &inv.Company, &inv.Lines, &inv.Empties,
		&inv.Totals, &inv.ReferenceType, &inv.Reference, &inv.Bill, &credited, &paid, &inv.Version, &inv.CreatedBy, &inv.CreatedAt}
	dest = append(dest, fileScan(&inv.PDF, &sum)...)
	dest = append(dest, &inv.OrderIDs, &inv.OrderNumbers)
	if err := row.Scan(dest...); err != nil {
		return inv, err
	}
	inv.PDF.SHA256 = hex.EncodeToString(sum)
	return settleInvoiceScan(inv, credited, paid), nil
}

// scanListedInvoice reads a row of invoiceListSelect. Of the totals only
// the payable amount is known; the lists of lines and empties are empty.
func scanListedInvoice(row pgx.CollectableRow) (invoices.Invoice, error) {
	// Scanned into its own small struct: the pointers Scan takes make
	// what they point into escape, and a whole Invoice (with the
	// snapshot's parts) allocated per row was most of the scan's time.
	var r struct {
		id, seq, customerID, customerNumber, payable, credited, paid int64
		number, customerName, currency, reference                    string
		referenceType                                                qrbill.ReferenceType
		issueDate, dueDate, createdAt                                time.Time
		terms, version                                               int
		createdBy                                                    *int64
	}
	err := row.Scan(&r.id, &r.seq, &r.number, &r.customerID, &r.customerNumber, &r.customerName, &r.currency,
		&r.issueDate, &r.dueDate, &r.terms, &r.payable, &r.referenceType, &r.reference,
		&r.credited, &r.paid, &r.version, &r.createdBy, &r.createdAt)
	if err != nil {
		return invoices.Invoice{}, err
	}
	inv := invoices.Invoice{ID: r.id, Seq: r.seq, Number: r.number, CustomerID: r.customerID, CustomerNumber: r.customerNumber,
		CustomerName: r.customerName, Currency: r.currency, IssueDate: r.issueDate, DueDate: r.dueDate, PaymentTermsDays: r.terms,
		ReferenceType: r.referenceType, Reference: r.reference, Version: r.version, CreatedBy: r.createdBy, CreatedAt: r.createdAt,
		Lines: []invoices.Line{}, Empties: []invoices.EmptiesLine{}}
	inv.Totals.Payable = money.Amount(r.payable)
	return settleInvoiceScan(inv, r.credited, r.paid), nil
}

func settleInvoiceScan(inv invoices.Invoice, credited, paid int64) invoices.Invoice {
	inv.Credited, inv.Paid = money.Amount(credited), money.Amount(paid)
	inv.IssueDate, inv.DueDate, inv.CreatedAt = inv.IssueDate.UTC(), inv.DueDate.UTC(), inv.CreatedAt.UTC()
	return inv
}

// invoice reads one invoice with its payments and credit notes; lock is
// "" or a locking clause for the invoice's row.
func (s *InvoiceStore) invoice(ctx context.Context, q querier, id int64, lock string) (invoices.Invoice, error) {
	rows, _ := q.Query(ctx, invoiceSelect+" WHERE i.id = $1"+lock, id)
	inv, err := pgx.CollectExactlyOneRow(rows, scanInvoice)
	if err != nil {
		return inv, mapError(err, invoiceNotFound)
	}
	rows, _ = q.Query(ctx, paymentSelect+" WHERE p.invoice_id = $1 ORDER BY p.id", id)
	if inv.Payments, err = pgx.CollectRows(rows, scanPayment); err != nil {
		return inv, fmt.Errorf("read payments: %w", err)
	}
	rows, _ = q.Query(ctx, creditNoteSelect+" WHERE c.invoice_id = $1 ORDER BY c.id", id)
	if inv.CreditNotes, err = pgx.CollectRows(rows, scanCreditNote); err != nil {
		return inv, fmt.Errorf("read credit notes: %w", err)
	}
	return inv, nil
}

func (s *InvoiceStore) Get(ctx context.Context, id int64) (invoices.Invoice, error) {
	var inv invoices.Invoice
	// One snapshot: the invoice, its payments and credit notes belong together.
	err := inSnapshot(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		inv, err = s.invoice(ctx, tx, id, "")
		return err
	})
	return inv, mapError(err, invoiceNotFound)
}

// unsettledSQL is the predicate of invoices_unsettled_idx, spelled as the
// index spells it so that the planner matches the partial index.
const unsettledSQL = "i.payable - i.credited - i.paid > 0"

// settledSQL is its opposite: the invoices fully paid (or credited).
const settledSQL = "i.payable - i.credited - i.paid <= 0"

// stateSQL is the condition of an unsettled payment state on invoices i at
// today (a date literal), to be read together with unsettledSQL: the same rule as
// sales.StatusOf over the stored account. It reads only what
// invoices_unsettled_idx carries (due_date, paid), so that a state's
// count is an index-only scan.
func stateSQL(st sales.PaymentState, today string) string {
	switch st {
	case sales.Overdue:
		return "i.due_date < " + today
	case sales.PartiallyPaid:
		return "(i.due_date >= " + today + " AND i.paid > 0)"
	default:
		return "(i.due_date >= " + today + " AND i.paid = 0)"
	}
}

// unsettledCountSQL is the number of unsettled invoices, kept by the
// trigger invoices_unsettled_count in the transactions that change it.
const unsettledCountSQL = "(SELECT invoices FROM invoices_unsettled)"

// unsettledDueSQL is unsettledSQL as the predicate of
// invoices_unsettled_due_idx spells it: only the counts of the unsettled
// invoices not yet due use that index.
const unsettledDueSQL = "i.paid < i.payable - i.credited"

// stateTotalSQL is the number of invoices in any of the payment states
// at today, as a sum of disjoint parts from the counters and the count of
// the unsettled invoices not yet due (invoices_unsettled_due_idx): fully
// paid = issued − unsettled, overdue = unsettled − not yet due, open and
// partially paid are not yet due.
func stateTotalSQL(states []sales.PaymentState, today string) string {
	unsettled := func(cond string) string {
		return "(SELECT count(*) FROM invoices i WHERE " + unsettledDueSQL + " AND " + cond + ")"
	}
	var parts []string
	for _, st := range []sales.PaymentState{sales.FullyPaid, sales.Overdue, sales.Open, sales.PartiallyPaid} {
		if !slices.Contains(states, st) {
			continue
		}
		switch st {
		case sales.FullyPaid:
			parts = append(parts, invoiceCountSQL+" - "+unsettledCountSQL)
		case sales.Overdue:
			parts = append(parts, unsettledCountSQL+" - "+unsettled("i.due_date >= "+today))
		default:
			parts = append(parts, unsettled(stateSQL(st, today)))
		}
	}
	return strings.Join(parts, " + ")
}

// invoiceCountSQL is the number of invoices issued. Invoices are numbered
// without gaps from 1 and never deleted (trigger invoices_frozen), and the
// counter is raised in the transaction that inserts each invoice, so any
// snapshot sees the counter equal to count(*) of invoices.
const invoiceCountSQL = "(SELECT last FROM document_numbers WHERE kind = 'invoice')"

func (s *InvoiceStore) List(ctx context.Context, f invoices.Filter, p page.Request) (page.Page[invoices.Invoice], error) {
	var q ledgerQuery
	l := newestPage[invoices.Invoice]{table: "invoices i", alias: "i", selectSQL: invoiceListSelect,
		scan: scanListedInvoice, id: func(inv invoices.Invoice) int64 { return inv.ID }}
	// A literal (a date the server made, not anyone's text): with an
	// argument, PostgreSQL plans every count afresh; with the day in the
	// text, once a day.
	today := "DATE '" + f.Today.Format(time.DateOnly) + "'"
	if len(f.States) > 0 {
		var conds []string
		paidToo := false
		for _, st := range f.States {
			if st == sales.FullyPaid {
				paidToo = true
				continue
			}
			conds = append(conds, stateSQL(st, today))
		}
		onlyPaid := paidToo && len(conds) == 0
		cond := unsettledSQL
		if len(conds) > 0 {
			cond = "(" + unsettledSQL + " AND (" + strings.Join(conds, " OR ") + "))"
		}
		switch {
		case onlyPaid:
			cond = settledSQL
		case paidToo:
			cond = "(" + settledSQL + " OR " + cond + ")"
		}
		q.filter(cond)
	}
	if f.CustomerID != nil {
		q.filter("i.customer_id = " + q.arg(*f.CustomerID))
	}
	text := strings.TrimSpace(f.Q)
	// searchTotal is the number of a search's matches when no other filter
	// applies: the union of its ways of matching as a sum of disjoint
	// parts, none of which reads the invoices a name word matches.
	var searchTotal []string
	if text != "" {
		// Each way of matching has its own index; as alternatives, each
		// is paged through its index and their ids united, instead of one
		// OR that rechecks every match in the heap. A name word finds the
		// names invoices were issued to first (a few hundred), then their
		// invoices through invoices_customer_name_idx; how many there are
		// is kept per name (invoice_customer_names.invoices).
		word := "n.search LIKE " + q.arg("%"+escapeLike(strings.ToLower(text))+"%")
		names := "FROM invoice_customer_names n WHERE " + word
		l.anyOf = append(l.anyOf, alternative{cond: "i.customer_name IN (SELECT n.name " + names + ")",
			// The newest of each name's, from invoices_customer_name_id_idx,
			// merged: a common word's names have thousands of invoices,
			// and sorting them all cost the search most of its time.
			newest: func(where []string, limit string) string {
				return "SELECT x.id FROM invoice_customer_names n CROSS JOIN LATERAL (SELECT i.id FROM invoices i WHERE " +
					strings.Join(append(slices.Clone(where), "i.customer_name = n.name"), " AND ") +
					" ORDER BY i.id DESC LIMIT " + limit + ") x WHERE " + word + " ORDER BY x.id DESC LIMIT " + limit
			}})
		if lo, hi, ok := numberPrefixRange(text); !ok {
			searchTotal = append(searchTotal, "(SELECT coalesce(sum(n.invoices), 0) "+names+")")
		} else {
			byNumber := "i.number ~>=~ " + q.arg(lo) + " AND i.number ~<~ " + q.arg(hi)
			// The names' invoices less those whose numbers are in the
			// range too (found per name and range in
			// invoices_customer_name_idx), plus the range's. The names'
			// part is never negative, so a capped range still makes a
			// capped total.
			l.anyOf = append(l.anyOf, alternative{cond: byNumber})
			searchTotal = append(searchTotal,
				"(SELECT coalesce(sum(n.invoices - (SELECT count(*) FROM invoices i WHERE i.customer_name = n.name AND "+byNumber+")), 0) "+names+")",
				"(SELECT count(*) FROM (SELECT 1 FROM invoices i WHERE "+byNumber+" LIMIT "+strconv.Itoa(page.CountLimit+1)+") r)")
		}
		if n, err := strconv.ParseInt(text, 10, 64); err == nil {
			// A customer's invoices less those the names or the numbers
			// matched, from invoices_customer_number_idx, which carries both.
			byCustomer := "i.customer_number = " + q.arg(n)
			searchTotal = append(searchTotal, matchesNotBefore(l.table, nil, byCustomer, l.anyOf))
			l.anyOf = append(l.anyOf, alternative{cond: byCustomer})
		}
	}
	switch {
	case text != "" && f.CustomerID == nil && len(f.States) == 0:
		l.totalSQL, l.totalArgs = "SELECT "+strings.Join(searchTotal, " + "), slices.Clone(q.args)
	case text != "":
		// With other filters, the alternatives are counted each through
		// its index.
	case f.CustomerID == nil && len(f.States) == 0:
		l.totalSQL = "SELECT " + invoiceCountSQL
	case f.CustomerID == nil:
		l.totalSQL = "SELECT " + stateTotalSQL(f.States, today)
	default:
		// Ordered like the page, so the count walks the same index and
		// stops at the cap.
		l.countOrder = " ORDER BY i.id DESC"
	}
	return newestFirst(ctx, s.pool, q, l, p)
}

// numberPrefixRange gives the numbers a search text is the beginning of as
// the range [lo, hi) in byte order, which invoices_number_prefix_idx
// (text_pattern_ops) keeps. A range of arguments, unlike LIKE with one,
// lets PostgreSQL plan the statement once and keep the plan. Numbers are
// capital letters and digits (CHECK invoices_number_check): a text with
// anything else is the beginning of none.
func numberPrefixRange(text string) (lo, hi string, ok bool) {
	lo = strings.ToUpper(text)
	for _, c := range []byte(lo) {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return "", "", false
		}
	}
	return lo, lo[:len(lo)-1] + string(lo[len(lo)-1]+1), true
}

// matchesNotBefore counts, capped, the rows of table matching the filters
// in where and cond but none of the conditions before: one disjoint part
// of a union of alternatives.
func matchesNotBefore(table string, where []string, cond string, before []alternative) string {
	all := append(slices.Clone(where), cond)
	for _, b := range before {
		all = append(all, "("+b.cond+") IS NOT TRUE")
	}
	return "(SELECT count(*) FROM (SELECT 1 FROM " + table + " WHERE " + strings.Join(all, " AND ") +
		" LIMIT " + strconv.Itoa(page.CountLimit+1) + ") x)"
}

// newestPage says how to page through one table newest first.
type newestPage[T any] struct {
	table, alias string // "invoices i", "i"
	selectSQL    string // the page's SELECT … FROM …, without WHERE
	countOrder   string // " ORDER BY …" for the capped count, or ""
	// totalSQL, if not "", is a statement (with totalArgs) giving the
	// exact number of matches, instead of counting them.
	totalSQL  string
	totalArgs []any
	// anyOf, if not empty, are alternative conditions (a search): a row
	// matches the filters and any of them.
	anyOf []alternative
	scan  pgx.RowToFunc[T]
	id    func(T) int64
}

// alternative is one way a search matches rows.
type alternative struct {
	cond string // on the table's row
	// newest, if not nil, is the statement of the newest limit ids
	// matching cond and the conditions where, for when walking the
	// filters' indexes is cheaper another way than by cond.
	newest func(where []string, limit string) string
}

// newestFirst is a keyset page by id, newest first, with the capped total
// (page.CountLimit): the shape of every list of documents here.
func newestFirst[T any](ctx context.Context, pool *pgxpool.Pool, q ledgerQuery, l newestPage[T], p page.Request) (page.Page[T], error) {
	var out page.Page[T]
	capped := strconv.Itoa(page.CountLimit + 1)
	// alternatives are the anyOf conditions' statements of ids, united.
	alternatives := func(q ledgerQuery, limit string) string {
		parts := make([]string, len(l.anyOf))
		for i, a := range l.anyOf {
			if a.newest != nil {
				parts[i] = "(" + a.newest(q.where, limit) + ")"
				continue
			}
			// OFFSET 0 keeps the alternative's matches a subquery sorted
			// afterwards: otherwise the planner may walk the primary key
			// backwards through the wide rows, expecting matches spread
			// evenly, while a number prefix's matches are old ones.
			ids := "SELECT " + l.alias + ".id FROM " + l.table + " WHERE " + strings.Join(append(slices.Clone(q.where), a.cond), " AND ")
			parts[i] = "(SELECT id FROM (" + ids + " OFFSET 0) m ORDER BY id DESC LIMIT " + limit + ")"
		}
		return strings.Join(parts, " UNION ")
	}
	countSQL, args := "SELECT count(*) FROM (SELECT 1 FROM "+l.table+q.whereSQL()+l.countOrder+" LIMIT "+capped+") x", q.args
	switch {
	case l.totalSQL != "":
		countSQL, args = l.totalSQL, l.totalArgs
	case len(l.anyOf) > 0:
		// The matches of the union counted as disjoint parts, each
		// alternative without the rows of the ones before it: a sum of
		// index scans instead of a union that hashes every match. Each
		// part capped is enough: if one reaches the cap, so does the sum.
		parts := make([]string, len(l.anyOf))
		for i, a := range l.anyOf {
			parts[i] = matchesNotBefore(l.table, q.where, a.cond, l.anyOf[:i])
		}
		countSQL = "SELECT " + strings.Join(parts, " + ")
	}
	if len(p.After) > 0 {
		after, err := strconv.ParseInt(p.After[0], 10, 64)
		if len(p.After) != 1 || err != nil {
			return out, page.InvalidCursor()
		}
		q.filter(l.alias + ".id < " + q.arg(after))
	}
	limit := ledgerPageLimit(p)
	// A literal, not an argument: with the limit unknown, PostgreSQL would
	// plan every execution afresh (a page costs it less than planning it).
	limitArg := strconv.Itoa(limit + 1)
	// The page's ids first, from the filters' indexes where they carry
	// what the filters read; the rows, wide ones for documents, only for
	// them. Asked for whole rows at once, the planner may read every
	// match's row and sort them instead of walking an index in id order.
	newest := " ORDER BY " + l.alias + ".id DESC LIMIT " + limitArg
	ids := "SELECT " + l.alias + ".id FROM " + l.table + q.whereSQL() + newest
	if len(l.anyOf) > 0 {
		ids = "SELECT id FROM (" + alternatives(q, limitArg) + ") u ORDER BY id DESC LIMIT " + limitArg
	}
	pageSQL := l.selectSQL + " WHERE " + l.alias + ".id IN (" + ids + ") ORDER BY " + l.alias + ".id DESC"
	// The count and the page in one round trip.
	var batch pgx.Batch
	batch.Queue(countSQL, args...).QueryRow(func(row pgx.Row) error {
		if err := row.Scan(&out.Total); err != nil {
			return fmt.Errorf("count %s: %w", l.table, err)
		}
		return nil
	})
	// Sized for the whole page at once: a document is a large struct, and
	// growing the slice row by row copied and cleared it several times.
	got := make([]T, 0, limit+1)
	batch.Queue(pageSQL, q.args...).Query(func(rows pgx.Rows) error {
		var err error
		if got, err = pgx.AppendRows(got, rows, l.scan); err != nil {
			return fmt.Errorf("list %s: %w", l.table, err)
		}
		return nil
	})
	if err := pool.SendBatch(ctx, &batch).Close(); err != nil {
		return out, err
	}
	out.Total = min(out.Total, page.CountLimit+1)
	if len(got) > limit {
		got = got[:limit]
		out.NextCursor = page.Cursor(invoices.ListSort, strconv.FormatInt(l.id(got[limit-1]), 10))
	}
	out.Items = got
	return out, nil
}

// documentPDF reads the PDF file a document row points at.
func (s *InvoiceStore) documentPDF(ctx context.Context, table string, id int64, infoOnly bool, notFound string) (files.File, []byte, error) {
	var f files.File
	var sum, content []byte
	cols := fileColumns
	dest := fileScan(&f, &sum)
	if !infoOnly {
		cols += ", f.content"
		dest = append(dest, &content)
	}
	err := s.pool.QueryRow(ctx, "SELECT "+cols+" FROM "+table+" d JOIN files f ON f.id = d.pdf_file_id WHERE d.id = $1", id).Scan(dest...)
	if err != nil {
		return files.File{}, nil, mapError(err, notFound)
	}
	f.SHA256 = hex.EncodeToString(sum)
	return f, content, nil
}

func (s *InvoiceStore) InvoicePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error) {
	return s.documentPDF(ctx, "invoices", id, infoOnly, invoiceNotFound)
}

// dateOnly keeps the calendar day of t for a date column.
func dateOnly(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
