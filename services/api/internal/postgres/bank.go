package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

const (
	bankImportNotFound = "Bank import not found."
	bankCreditNotFound = "Bank credit not found."
)

// bankImportLock serialises imports (pg_advisory_xact_lock): two uploads
// of the same file at once must not both find its credits new. Imports
// are rare; waiting costs nothing.
const bankImportLock = 0x62616e6b // "bank"

const bankCreditSelect = `
	SELECT b.id, b.import_id, b.iban, b.bank_ref, b.ref_source, b.amount, b.currency, b.booking_date, b.value_date,
	       b.reference, b.ref_type, b.remittance, b.debtor_name, b.reversal, b.status, b.reason, b.invoice_id,
	       coalesce(i.number, ''), b.created_at
	  FROM bank_credits b LEFT JOIN invoices i ON i.id = b.invoice_id`

func scanBankCredit(row pgx.CollectableRow) (invoices.BankCredit, error) {
	var c invoices.BankCredit
	err := row.Scan(&c.ID, &c.ImportID, &c.IBAN, &c.BankRef, &c.RefSource, &c.Amount, &c.Currency, &c.BookingDate,
		&c.ValueDate, &c.Reference, &c.RefType, &c.Remittance, &c.DebtorName, &c.Reversal, &c.Status, &c.Reason,
		&c.InvoiceID, &c.InvoiceNumber, &c.CreatedAt)
	c.BookingDate, c.CreatedAt = c.BookingDate.UTC(), c.CreatedAt.UTC()
	if c.ValueDate != nil {
		v := c.ValueDate.UTC()
		c.ValueDate = &v
	}
	return c, err
}

func (s *InvoiceStore) Import(ctx context.Context, actor audit.Actor, imp invoices.BankImport, credits []invoices.BankCredit,
	match func([]invoices.BankCredit, map[string]invoices.Invoice) ([]invoices.Match, error)) (invoices.BankImport, error) {
	var out invoices.BankImport
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", bankImportLock); err != nil {
			return fmt.Errorf("wait for other imports: %w", err)
		}
		sum, err := hex.DecodeString(imp.SHA256)
		if err != nil {
			return fmt.Errorf("file digest: %w", err)
		}
		if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM bank_imports WHERE sha256 = $1)", sum).Scan(&imp.Repeated); err != nil {
			return fmt.Errorf("look for the file: %w", err)
		}
		ibans, refs := make([]string, len(credits)), make([]string, len(credits))
		for i, c := range credits {
			ibans[i], refs[i] = c.IBAN, c.BankRef
		}
		rows, _ := tx.Query(ctx, `SELECT b.iban || ' ' || b.bank_ref FROM bank_credits b
			JOIN unnest($1::text[], $2::text[]) AS k(iban, bank_ref) ON b.iban = k.iban AND b.bank_ref = k.bank_ref`, ibans, refs)
		known, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("find known credits: %w", err)
		}
		var fresh []invoices.BankCredit
		for _, c := range credits {
			if !slices.Contains(known, c.IBAN+" "+c.BankRef) {
				fresh = append(fresh, c)
			}
		}
		imp.Credits, imp.Duplicates = len(fresh), len(credits)-len(fresh)
		if err := tx.QueryRow(ctx, `INSERT INTO bank_imports (sha256, file_name, kind, message_id, repeated, credits, duplicates, skipped, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULLIF($9::bigint, 0)) RETURNING id`,
			sum, imp.FileName, imp.Kind, imp.MessageID, imp.Repeated, imp.Credits, imp.Duplicates, imp.Skipped, actor.UserID).Scan(&imp.ID); err != nil {
			return fmt.Errorf("record the import: %w", err)
		}
		// The invoices the new credits name, locked in id order.
		var wanted []string
		for _, c := range fresh {
			if c.Reference != "" {
				wanted = append(wanted, c.Reference)
			}
		}
		rows, _ = tx.Query(ctx, "SELECT id FROM invoices WHERE reference = ANY($1) ORDER BY id FOR UPDATE", wanted)
		ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("lock invoices: %w", err)
		}
		byRef := map[string]invoices.Invoice{}
		for _, id := range ids {
			inv, err := s.invoice(ctx, tx, id, "")
			if err != nil {
				return err
			}
			byRef[inv.Reference] = inv
		}
		matches, err := match(fresh, byRef)
		if err != nil {
			return err
		}
		for _, m := range matches {
			if err := s.writeCredit(ctx, tx, actor, imp.ID, m); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "bank_import", EntityID: strconv.FormatInt(imp.ID, 10),
			Action: audit.ActionImport, Changes: map[string]audit.Change{"credits": {To: imp.Credits},
				"duplicates": {To: imp.Duplicates}, "repeated": {To: imp.Repeated}}}); err != nil {
			return err
		}
		out, err = s.bankImport(ctx, tx, imp.ID)
		return err
	})
	return out, mapError(err, bankImportNotFound)
}

// writeCredit records a credit and books its payment, when it has one.
func (s *InvoiceStore) writeCredit(ctx context.Context, tx pgx.Tx, actor audit.Actor, importID int64, m invoices.Match) error {
	c := m.Credit
	if err := tx.QueryRow(ctx, `
		INSERT INTO bank_credits (import_id, iban, bank_ref, ref_source, amount, currency, booking_date, value_date, reference,
		                          ref_type, remittance, debtor_name, reversal, status, reason, invoice_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
		importID, c.IBAN, c.BankRef, c.RefSource, int64(c.Amount), c.Currency, dateOnly(c.BookingDate), c.ValueDate, c.Reference,
		c.RefType, c.Remittance, c.DebtorName, c.Reversal, string(c.Status), c.Reason, c.InvoiceID).Scan(&c.ID); err != nil {
		return fmt.Errorf("record credit %s: %w", c.BankRef, err)
	}
	return s.bookCreditPayment(ctx, tx, actor, c.ID, m)
}

// bookCreditPayment writes a credit's payment, the invoice's account and,
// when settled, its orders' status.
func (s *InvoiceStore) bookCreditPayment(ctx context.Context, tx pgx.Tx, actor audit.Actor, creditID int64, m invoices.Match) error {
	p := m.Payment
	if p == nil {
		return nil
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO payments (invoice_id, date, amount, note, created_by, bank_credit_id)
		VALUES ($1, $2, $3, $4, NULLIF($5::bigint, 0), $6) RETURNING id`,
		p.InvoiceID, dateOnly(p.Date), int64(p.Amount), p.Note, actor.UserID, creditID).Scan(&id); err != nil {
		return fmt.Errorf("book the credit's payment: %w", err)
	}
	if _, err := tx.Exec(ctx, "UPDATE invoices SET paid = paid + $2, version = version + 1 WHERE id = $1", p.InvoiceID, int64(p.Amount)); err != nil {
		return fmt.Errorf("book the payment on the invoice: %w", err)
	}
	if m.Settles {
		var orderIDs []int64
		if err := tx.QueryRow(ctx, "SELECT coalesce(array_agg(order_id), '{}') FROM invoice_orders WHERE invoice_id = $1", p.InvoiceID).Scan(&orderIDs); err != nil {
			return fmt.Errorf("read the invoice's orders: %w", err)
		}
		if err := setOrderStatus(ctx, tx, actor, orderIDs, sales.Pay, "Invoice "+m.Credit.InvoiceNumber+" paid"); err != nil {
			return err
		}
	}
	return appendAudit(ctx, tx, actor, audit.Record{Entity: "payment", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionCreate,
		Changes: map[string]audit.Change{"invoice_id": {To: p.InvoiceID}, "amount": {To: p.Amount.String()},
			"date": {To: dateOnly(p.Date).Format("2006-01-02")}, "bank_credit_id": {To: creditID}}})
}

func (s *InvoiceStore) bankImport(ctx context.Context, q querier, id int64) (invoices.BankImport, error) {
	rows, _ := q.Query(ctx, `SELECT id, sha256, file_name, kind, message_id, repeated, credits, duplicates, skipped, created_by, created_at
		FROM bank_imports WHERE id = $1`, id)
	imp, err := pgx.CollectExactlyOneRow(rows, func(row pgx.CollectableRow) (invoices.BankImport, error) {
		var b invoices.BankImport
		var sum []byte
		err := row.Scan(&b.ID, &sum, &b.FileName, &b.Kind, &b.MessageID, &b.Repeated, &b.Credits, &b.Duplicates, &b.Skipped,
			&b.CreatedBy, &b.CreatedAt)
		b.SHA256, b.CreatedAt = hex.EncodeToString(sum), b.CreatedAt.UTC()
		return b, err
	})
	if err != nil {
		return imp, mapError(err, bankImportNotFound)
	}
	rows, _ = q.Query(ctx, bankCreditSelect+" WHERE b.import_id = $1 ORDER BY b.id", id)
	if imp.Entries, err = pgx.CollectRows(rows, scanBankCredit); err != nil {
		return imp, fmt.Errorf("read the import's credits: %w", err)
	}
	return imp, nil
}

func (s *InvoiceStore) GetImport(ctx context.Context, id int64) (invoices.BankImport, error) {
	return s.bankImport(ctx, s.pool, id)
}

func (s *InvoiceStore) ListCredits(ctx context.Context, status *invoices.CreditStatus, p page.Request) (page.Page[invoices.BankCredit], error) {
	var q ledgerQuery
	if status != nil {
		q.filter("b.status = " + q.arg(string(*status)))
	}
	return newestFirst(ctx, s.pool, q, newestPage[invoices.BankCredit]{table: "bank_credits b", alias: "b",
		selectSQL: bankCreditSelect, scan: scanBankCredit, id: func(c invoices.BankCredit) int64 { return c.ID }}, p)
}

func (s *InvoiceStore) Assign(ctx context.Context, actor audit.Actor, creditID, invoiceID int64,
	decide func(invoices.BankCredit, invoices.Invoice) (invoices.Match, error)) (invoices.BankCredit, error) {
	var out invoices.BankCredit
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		// The invoice first, as everywhere; then the credit.
		inv, err := s.invoice(ctx, tx, invoiceID, " FOR UPDATE OF i")
		if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
			return apperr.FieldProblem("Check the invoice.", "invoice_id", apperr.FieldError{Code: apperr.FieldNotFound, Message: "is no invoice"})
		}
		if err != nil {
			return err
		}
		rows, _ := tx.Query(ctx, bankCreditSelect+" WHERE b.id = $1 FOR UPDATE OF b", creditID)
		c, err := pgx.CollectExactlyOneRow(rows, scanBankCredit)
		if err != nil {
			return mapError(err, bankCreditNotFound)
		}
		m, err := decide(c, inv)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE bank_credits SET status = $2, reason = '', invoice_id = $3 WHERE id = $1",
			c.ID, string(m.Credit.Status), m.Credit.InvoiceID); err != nil {
			return fmt.Errorf("assign the credit: %w", err)
		}
		if err := s.bookCreditPayment(ctx, tx, actor, c.ID, m); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "bank_credit", EntityID: strconv.FormatInt(c.ID, 10),
			Action: "assign", Changes: map[string]audit.Change{"status": {From: string(c.Status), To: string(m.Credit.Status)},
				"invoice_id": {To: inv.ID}}}); err != nil {
			return err
		}
		rows, _ = tx.Query(ctx, bankCreditSelect+" WHERE b.id = $1", c.ID)
		out, err = pgx.CollectExactlyOneRow(rows, scanBankCredit)
		return err
	})
	return out, mapError(err, bankCreditNotFound)
}
