package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/sales"
)

const paymentSelect = `SELECT p.id, p.invoice_id, p.date, p.amount, p.note, p.created_by, p.created_at FROM payments p`

func scanPayment(row pgx.CollectableRow) (invoices.Payment, error) {
	var p invoices.Payment
	err := row.Scan(&p.ID, &p.InvoiceID, &p.Date, &p.Amount, &p.Note, &p.CreatedBy, &p.CreatedAt)
	p.Date, p.CreatedAt = p.Date.UTC(), p.CreatedAt.UTC()
	return p, err
}

func (s *InvoiceStore) Pay(ctx context.Context, actor audit.Actor, req invoices.Request, invoiceID int64, decide func(invoices.Invoice) (invoices.PaymentPlan, error)) (invoices.Invoice, error) {
	out, err := onceOnly(req, "payments_request_key_key", func() (invoices.Invoice, error) {
		var out invoices.Invoice
		err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			out, err = s.pay(ctx, tx, actor, req, invoiceID, decide)
			return err
		})
		return out, err
	})
	return out, mapError(err, invoiceNotFound)
}

func (s *InvoiceStore) pay(ctx context.Context, tx pgx.Tx, actor audit.Actor, req invoices.Request, invoiceID int64, decide func(invoices.Invoice) (invoices.PaymentPlan, error)) (invoices.Invoice, error) {
	inv, err := s.invoice(ctx, tx, invoiceID, " FOR UPDATE OF i")
	if err != nil {
		return invoices.Invoice{}, err
	}
	// After the lock: a retry that waited for the first request sees
	// its committed row and replays it instead of being refused by what
	// the first one changed.
	if id, err := replayed(ctx, tx, "payments", actor, req, "payment"); id != 0 || err != nil {
		if err != nil {
			return invoices.Invoice{}, err
		}
		var paid int64
		if err := tx.QueryRow(ctx, "SELECT invoice_id FROM payments WHERE id = $1", id).Scan(&paid); err != nil {
			return invoices.Invoice{}, fmt.Errorf("read replayed payment: %w", err)
		}
		return s.invoice(ctx, tx, paid, "")
	}
	plan, err := decide(inv)
	if err != nil {
		return invoices.Invoice{}, err
	}
	p := plan.Payment
	key, hash := requestArgs(req)
	var id int64
	if err := tx.QueryRow(ctx, `
		INSERT INTO payments (invoice_id, date, amount, note, created_by, request_key, request_hash)
		VALUES ($1, $2, $3, $4, NULLIF($5::bigint, 0), $6, $7) RETURNING id`,
		inv.ID, dateOnly(p.Date), int64(p.Amount), p.Note, actor.UserID, key, hash).Scan(&id); err != nil {
		return invoices.Invoice{}, fmt.Errorf("insert payment: %w", err)
	}
	if _, err := tx.Exec(ctx, "UPDATE invoices SET paid = paid + $2, version = version + 1 WHERE id = $1", inv.ID, int64(p.Amount)); err != nil {
		return invoices.Invoice{}, fmt.Errorf("book the payment on the invoice: %w", err)
	}
	if plan.Settled {
		if err := setOrderStatus(ctx, tx, actor, inv.OrderIDs, sales.Pay, "Invoice "+inv.Number+" paid"); err != nil {
			return invoices.Invoice{}, err
		}
	}
	if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "payment", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionCreate,
		Changes: map[string]audit.Change{"invoice_id": {To: inv.ID}, "amount": {To: p.Amount.String()},
			"date": {To: dateOnly(p.Date).Format("2006-01-02")}}}); err != nil {
		return invoices.Invoice{}, err
	}
	return s.invoice(ctx, tx, inv.ID, "")
}
