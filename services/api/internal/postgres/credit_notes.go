package postgres

import (
	"context"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/invoices"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/page"
	"github.com/depotix/depotix/services/api/internal/sales"
)

const creditNoteNotFound = "Credit note not found."

const creditNoteSelect = `
	SELECT c.id, c.seq, c.number, c.invoice_id, i.number, c.customer_id, c.issue_date, c.reason, c.return_goods,
	       c.location_id, c.bill_to, c.company, c.lines, c.empties, c.totals, c.created_by, c.created_at,
	       ` + fileColumns + `,
	       coalesce((SELECT array_agg(m.movement_id ORDER BY m.movement_id) FROM credit_note_movements m WHERE m.credit_note_id = c.id), '{}')
	  FROM credit_notes c JOIN invoices i ON i.id = c.invoice_id JOIN files f ON f.id = c.pdf_file_id`

func scanCreditNote(row pgx.CollectableRow) (invoices.CreditNote, error) {
	var c invoices.CreditNote
	var sum []byte
	dest := []any{&c.ID, &c.Seq, &c.Number, &c.InvoiceID, &c.InvoiceNumber, &c.CustomerID, &c.IssueDate, &c.Reason,
		&c.ReturnGoods, &c.LocationID, &c.BillTo, &c.Company, &c.Lines, &c.Empties, &c.Totals, &c.CreatedBy, &c.CreatedAt}
	dest = append(dest, fileScan(&c.PDF, &sum)...)
	dest = append(dest, &c.MovementIDs)
	if err := row.Scan(dest...); err != nil {
		return c, err
	}
	c.PDF.SHA256 = hex.EncodeToString(sum)
	c.IssueDate, c.CreatedAt = c.IssueDate.UTC(), c.CreatedAt.UTC()
	return c, nil
}

func (s *InvoiceStore) creditNote(ctx context.Context, q querier, id int64) (invoices.CreditNote, error) {
	rows, _ := q.Query(ctx, creditNoteSelect+" WHERE c.id = $1", id)
	c, err := pgx.CollectExactlyOneRow(rows, scanCreditNote)
	return c, mapError(err, creditNoteNotFound)
}

func (s *InvoiceStore) GetCreditNote(ctx context.Context, id int64) (invoices.CreditNote, error) {
	return s.creditNote(ctx, s.pool, id)
}

func (s *InvoiceStore) ListCreditNotes(ctx context.Context, f invoices.CreditNoteFilter, p page.Request) (page.Page[invoices.CreditNote], error) {
	var q ledgerQuery
	if f.InvoiceID != nil {
		q.filter("c.invoice_id = " + q.arg(*f.InvoiceID))
	}
	if f.CustomerID != nil {
		q.filter("c.customer_id = " + q.arg(*f.CustomerID))
	}
	return newestFirst(ctx, s.pool, q, newestPage[invoices.CreditNote]{table: "credit_notes c", alias: "c",
		selectSQL: creditNoteSelect, scan: scanCreditNote, id: func(c invoices.CreditNote) int64 { return c.ID }}, p)
}

func (s *InvoiceStore) CreditNotePDF(ctx context.Context, id int64, infoOnly bool) (files.File, []byte, error) {
	return s.documentPDF(ctx, "credit_notes", id, infoOnly, creditNoteNotFound)
}

func (s *InvoiceStore) Credit(ctx context.Context, actor audit.Actor, req invoices.Request, invoiceID int64, returnLocation *int64, decide func(invoices.CreditSnapshot) (invoices.CreditPlan, error)) (invoices.CreditNote, error) {
	out, err := onceOnly(req, "credit_notes_request_key_key", func() (invoices.CreditNote, error) {
		var out invoices.CreditNote
		err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
			var err error
			out, err = s.credit(ctx, tx, actor, req, invoiceID, returnLocation, decide)
			return err
		})
		return out, err
	})
	return out, mapError(err, invoiceNotFound)
}

func (s *InvoiceStore) credit(ctx context.Context, tx pgx.Tx, actor audit.Actor, req invoices.Request, invoiceID int64, returnLocation *int64, decide func(invoices.CreditSnapshot) (invoices.CreditPlan, error)) (invoices.CreditNote, error) {
	inv, err := s.invoice(ctx, tx, invoiceID, " FOR UPDATE OF i")
	if err != nil {
		return invoices.CreditNote{}, err
	}
	// The key is looked up once the invoice is locked, as an issue does
	// after locking its orders: a retry that waited for the first
	// request's lock finds its credit note.
	if id, err := replayed(ctx, tx, "credit_notes", actor, req, "credit note"); id != 0 || err != nil {
		if err != nil {
			return invoices.CreditNote{}, err
		}
		return s.creditNote(ctx, tx, id)
	}
	snap := invoices.CreditSnapshot{Invoice: inv, Items: map[int64]ledger.ItemState{}, Levels: map[ledger.Place]ledger.Level{}}
	if _, err := tx.Exec(ctx, "SELECT 1 FROM organisation FOR SHARE"); err != nil {
		return invoices.CreditNote{}, fmt.Errorf("lock the company profile: %w", err)
	}
	if snap.Profile, err = readProfile(ctx, tx, false); err != nil {
		return invoices.CreditNote{}, err
	}
	if snap.Logo, err = documentLogo(ctx, tx, snap.Profile.Logo); err != nil {
		return invoices.CreditNote{}, err
	}
	if returnLocation != nil {
		ids := make([]int64, 0, len(inv.Lines))
		for _, l := range inv.Lines {
			ids = append(ids, l.ItemID)
		}
		// The ledger's lock order: items (share, by id), the location, the
		// stock rows by (item, location).
		items, err := s.orders.saleItems(ctx, tx, ids, " FOR SHARE")
		if err != nil {
			return invoices.CreditNote{}, err
		}
		for id, it := range items {
			snap.Items[id] = ledger.ItemState{ID: it.ID, SKU: it.SKU, Name: it.Name, AvgUnitCostMicros: it.AvgUnitCostMicros,
				Archived:  it.ArchivedAt != nil,
				ItemUnits: ledger.ItemUnits{BaseUnit: it.BaseUnit, PackageUnit: it.PackageUnit, PackageSize: it.PackageSize, PalletSize: it.PalletSize}}
		}
		if snap.Location, err = locationState(ctx, tx, *returnLocation); err != nil {
			return invoices.CreditNote{}, err
		}
		if snap.Location != nil {
			places := make([]ledger.Place, 0, len(items))
			for id := range items {
				places = append(places, ledger.Place{ItemID: id, LocationID: snap.Location.ID})
			}
			if err := lockPlaces(ctx, tx, places, snap.Levels); err != nil {
				return invoices.CreditNote{}, err
			}
		}
	}
	plan, err := decide(snap)
	if err != nil {
		return invoices.CreditNote{}, err
	}
	seq, err := nextNumber(ctx, tx, kindCreditNote)
	if err != nil {
		return invoices.CreditNote{}, err
	}
	fr, err := plan.Number(seq)
	if err != nil {
		return invoices.CreditNote{}, err
	}
	cn := fr.Doc
	id, err := newID(ctx, tx, "credit_notes")
	if err != nil {
		return invoices.CreditNote{}, err
	}
	pdfID, err := insertPDF(ctx, tx, actor, files.OwnerCreditNote, id, cn.Number, fr.PDF)
	if err != nil {
		return invoices.CreditNote{}, err
	}
	key, hash := requestArgs(req)
	if _, err := tx.Exec(ctx, `
		INSERT INTO credit_notes (id, seq, number, invoice_id, customer_id, issue_date, reason, return_goods, location_id,
		                          bill_to, company, logo_file_id, lines, empties, totals, payable, pdf_file_id,
		                          created_by, request_key, request_hash)
		OVERRIDING SYSTEM VALUE
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, NULLIF($18::bigint, 0), $19, $20)`,
		id, cn.Seq, cn.Number, cn.InvoiceID, cn.CustomerID, cn.IssueDate, cn.Reason, cn.ReturnGoods, cn.LocationID,
		cn.BillTo, cn.Company, cn.Company.LogoFileID, cn.Lines, cn.Empties, cn.Totals, int64(cn.Totals.Payable), pdfID,
		actor.UserID, key, hash); err != nil {
		return invoices.CreditNote{}, fmt.Errorf("insert credit note: %w", err)
	}
	if err := s.writeReturns(ctx, tx, actor, id, plan); err != nil {
		return invoices.CreditNote{}, err
	}
	if _, err := tx.Exec(ctx, "UPDATE invoices SET credited = credited - $2, version = version + 1 WHERE id = $1",
		inv.ID, int64(cn.Totals.Payable)); err != nil {
		return invoices.CreditNote{}, fmt.Errorf("credit the invoice: %w", err)
	}
	if plan.Charged != 0 || plan.Credited != 0 {
		if _, err := tx.Exec(ctx, `
			INSERT INTO deposit_entries (customer_id, currency, source, credit_note_id, charged, credited)
			VALUES ($1, $2, 'credit_note', $3, $4, $5)`, inv.CustomerID, inv.Currency, id, int64(plan.Charged), int64(plan.Credited)); err != nil {
			return invoices.CreditNote{}, fmt.Errorf("record deposits: %w", err)
		}
	}
	if plan.Settled {
		if err := setOrderStatus(ctx, tx, actor, inv.OrderIDs, sales.Pay, "Credit note "+cn.Number); err != nil {
			return invoices.CreditNote{}, err
		}
	}
	if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "credit_note", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionCreate,
		Changes: map[string]audit.Change{"number": {To: cn.Number}, "invoice_id": {To: inv.ID},
			"payable": {To: cn.Totals.Payable.String()}, "return_goods": {To: cn.ReturnGoods}}}); err != nil {
		return invoices.CreditNote{}, err
	}
	return s.creditNote(ctx, tx, id)
}

// writeReturns books a goods return's movements (with their audit
// records, as a delivery books its own) and the stock they bring back.
func (s *InvoiceStore) writeReturns(ctx context.Context, tx pgx.Tx, actor audit.Actor, creditNoteID int64, plan invoices.CreditPlan) error {
	if len(plan.Returns) == 0 {
		return nil
	}
	rows, _ := tx.Query(ctx, "SELECT nextval(pg_get_serial_sequence('movements', 'id')) FROM generate_series(1, $1)", len(plan.Returns))
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("allocate movement ids: %w", err)
	}
	b := &pgx.Batch{}
	for _, p := range slices.SortedFunc(maps.Keys(plan.Good), func(a, b ledger.Place) int {
		if a.ItemID != b.ItemID {
			return int(a.ItemID - b.ItemID)
		}
		return int(a.LocationID - b.LocationID)
	}) {
		onExec(b.Queue("UPDATE stock SET good = good + $3 WHERE item_id = $1 AND location_id = $2", p.ItemID, p.LocationID, plan.Good[p]),
			"update stock", nil)
	}
	for i, m := range plan.Returns {
		m.ID = ids[i]
		if err := queueMovementWithAudit(b, actor, nil, nil, m, false); err != nil {
			return err
		}
		onExec(b.Queue("INSERT INTO credit_note_movements (credit_note_id, movement_id) VALUES ($1, $2)", creditNoteID, ids[i]),
			"link movement", nil)
	}
	return tx.SendBatch(ctx, b).Close()
}
