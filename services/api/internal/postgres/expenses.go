package postgres

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/expenses"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/page"
)

// ExpenseStore keeps expenses, their categories and receipts; it
// implements expenses.Store.
type ExpenseStore struct {
	pool       *pgxpool.Pool
	categories table[expenses.Category]
	expenses   table[expenses.Expense]
}

var _ expenses.Store = (*ExpenseStore)(nil)

// NewExpenseStore returns a store working on pool.
func NewExpenseStore(pool *pgxpool.Pool) *ExpenseStore {
	return &ExpenseStore{
		pool: pool,
		categories: newTable("expense_categories", "expense category", expenseCategoryColumns,
			func(c *expenses.Category) meta { return meta{c.ID, c.Version, c.ArchivedAt} }),
		expenses: expenseTable(),
	}
}

// expenseTable reads expenses. Aliased, so the columns' subqueries can
// name the row: get, setArchived and delete write "… expenses e WHERE id = $1".
func expenseTable() table[expenses.Expense] {
	return newTable("expenses e", "expense", expenseColumns,
		func(e *expenses.Expense) meta { return meta{e.ID, e.Version, e.ArchivedAt} })
}

func expenseCategoryColumns(c *expenses.Category) []column {
	return []column{
		{"id", &c.ID}, {"coalesce(key, '')", &c.Key}, {"name", &c.Name}, {"vat_figure", &c.VATFigure},
		{"archived_at", &c.ArchivedAt}, {"version", &c.Version}, {"created_at", &c.CreatedAt}, {"updated_at", &c.UpdatedAt},
	}
}

// receiptsJSON describes an expense's receipt files, oldest first, with
// the field names of files.File.
const receiptsJSON = `(SELECT coalesce(jsonb_agg(jsonb_build_object('ID', f.id, 'Owner', f.owner_kind, 'OwnerID', f.owner_id,
	'Type', f.content_type, 'Size', f.size, 'SHA256', encode(f.sha256, 'hex'), 'Name', f.name,
	'CreatedBy', coalesce(f.created_by, 0), 'CreatedAt', f.created_at) ORDER BY f.id), '[]')
	FROM files f WHERE f.owner_kind = 'expense_receipt' AND f.owner_id = e.id)`

func expenseColumns(x *expenses.Expense) []column {
	return []column{
		{"e.id", &x.ID}, {"e.date", &x.Date}, {"e.supplier_id", &x.SupplierID},
		{"(SELECT s.name FROM suppliers s WHERE s.id = e.supplier_id)", &x.SupplierName},
		{"e.category_id", &x.CategoryID},
		{"(SELECT c.name FROM expense_categories c WHERE c.id = e.category_id)", &x.CategoryName},
		{"(SELECT c.vat_figure FROM expense_categories c WHERE c.id = e.category_id)", &x.VATFigure},
		{"e.currency", &x.Currency}, {"e.amount", &x.Amount}, {"e.rate", &x.Rate}, {"e.amount_chf", &x.AmountCHF},
		{`(SELECT coalesce(jsonb_agg(jsonb_build_object('rate_bp', v.rate_bp, 'vat', v.vat, 'vat_chf', v.vat_chf) ORDER BY v.rate_bp), '[]')
		     FROM expense_vat v WHERE v.expense_id = e.id)`, &x.VAT},
		{"e.note", &x.Note}, {"e.status", &x.Status}, {"e.paid_on", &x.PaidOn}, {receiptsJSON, &x.Receipts},
		{"e.receipt_movement_id", &x.ReceiptMovementID}, {"e.archived_at", &x.ArchivedAt}, {"e.version", &x.Version},
		{"e.created_by", &x.CreatedBy}, {"e.created_at", &x.CreatedAt}, {"e.updated_at", &x.UpdatedAt},
	}
}

func (s *ExpenseStore) Categories(ctx context.Context, archivedToo bool) ([]expenses.Category, error) {
	where := " WHERE archived_at IS NULL"
	if archivedToo {
		where = ""
	}
	rows, _ := s.pool.Query(ctx, "SELECT "+s.categories.columns+" FROM expense_categories"+where+" ORDER BY lower(name), id")
	out, err := pgx.CollectRows(rows, s.categories.scan)
	if err != nil {
		return nil, fmt.Errorf("list expense categories: %w", err)
	}
	return out, nil
}

func (s *ExpenseStore) CreateCategory(ctx context.Context, actor audit.Actor, f expenses.CategoryFields) (expenses.Category, error) {
	return s.categories.create(ctx, s.pool, actor, nil, []value{{"name", f.Name}, {"vat_figure", f.VATFigure}})
}

func (s *ExpenseStore) UpdateCategory(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(*expenses.Category) error) (expenses.Category, error) {
	return s.categories.update(ctx, s.pool, actor, id, expectedVersion,
		func(_ context.Context, _ pgx.Tx, c *expenses.Category) error { return change(c) },
		func(c *expenses.Category) []value { return []value{{"name", c.Name}, {"vat_figure", c.VATFigure}} })
}

func (s *ExpenseStore) SetCategoryArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (expenses.Category, error) {
	return s.categories.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

// checkExpenseRefs checks that the supplier and category exist and, where
// they are newly chosen, are not archived. FOR SHARE holds off their
// archiving until the write commits.
func checkExpenseRefs(ctx context.Context, tx pgx.Tx, f expenses.Fields, before *expenses.Expense) error {
	p := apperr.Problems{}
	for _, ref := range []struct {
		field, table string
		id           int64
		kept         bool
	}{
		{"supplier_id", "suppliers", f.SupplierID, before != nil && before.SupplierID == f.SupplierID},
		{"category_id", "expense_categories", f.CategoryID, before != nil && before.CategoryID == f.CategoryID},
	} {
		var archived *time.Time
		err := tx.QueryRow(ctx, "SELECT archived_at FROM "+ref.table+" WHERE id = $1 FOR SHARE", ref.id).Scan(&archived)
		switch {
		case err == pgx.ErrNoRows:
			p.Add(ref.field, apperr.NotFound())
		case err != nil:
			return fmt.Errorf("check %s: %w", ref.field, err)
		case archived != nil && !ref.kept:
			p.Add(ref.field, apperr.Archived())
		}
	}
	return p.Check()
}

// writeExpenseVAT replaces an expense's VAT lines and their CHF sum on the
// expense.
func writeExpenseVAT(ctx context.Context, tx pgx.Tx, id int64, lines []expenses.VATLine) error {
	if _, err := tx.Exec(ctx, "DELETE FROM expense_vat WHERE expense_id = $1", id); err != nil {
		return fmt.Errorf("replace expense VAT: %w", err)
	}
	var total int64
	for _, l := range lines {
		if _, err := tx.Exec(ctx, "INSERT INTO expense_vat (expense_id, rate_bp, vat, vat_chf) VALUES ($1, $2, $3, $4)",
			id, l.RateBP, l.VAT, l.VATCHF); err != nil {
			return fmt.Errorf("write expense VAT: %w", err)
		}
		total += int64(l.VATCHF)
	}
	if _, err := tx.Exec(ctx, "UPDATE expenses SET vat_chf = $2 WHERE id = $1", id, total); err != nil {
		return fmt.Errorf("write expense VAT total: %w", err)
	}
	return nil
}

func (s *ExpenseStore) Create(ctx context.Context, actor audit.Actor, f expenses.Fields) (expenses.Expense, error) {
	var out expenses.Expense
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		out, err = createExpense(ctx, tx, actor, f, nil)
		return err
	})
	return out, mapError(err, s.expenses.notFound())
}

// createExpense writes a new expense in the caller's transaction; a goods
// receipt passes the movement that books it.
func createExpense(ctx context.Context, tx pgx.Tx, actor audit.Actor, f expenses.Fields, movementID *int64) (expenses.Expense, error) {
	if err := checkExpenseRefs(ctx, tx, f, nil); err != nil {
		return expenses.Expense{}, err
	}
	var id int64
	if err := tx.QueryRow(ctx, `INSERT INTO expenses (date, supplier_id, category_id, currency, amount, rate, amount_chf, note, status,
		                                   paid_on, receipt_movement_id, created_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULLIF($12::bigint, 0)) RETURNING id`,
		f.Date, f.SupplierID, f.CategoryID, f.Currency, f.Amount, f.Rate, expenses.ToCHF(f.Amount, f.Rate), f.Note, f.Status,
		f.PaidOn, movementID, actor.UserID).Scan(&id); err != nil {
		return expenses.Expense{}, fmt.Errorf("insert expense: %w", err)
	}
	if err := writeExpenseVAT(ctx, tx, id, f.VAT); err != nil {
		return expenses.Expense{}, err
	}
	out, err := expenseTable().get(ctx, tx, id, "")
	if err != nil {
		return out, err
	}
	return out, auditDiff(ctx, tx, actor, "expense", id, audit.ActionCreate, nil, out, "receipts")
}

func (s *ExpenseStore) Update(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, decide func(expenses.Expense) (expenses.Fields, error)) (expenses.Expense, error) {
	var out expenses.Expense
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.expenses.get(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		out = before
		if err := checkVersion(before.Version, expectedVersion, "expense"); err != nil {
			return err
		}
		f, err := decide(before)
		if err != nil || sameExpense(before, f) {
			return err
		}
		if err := checkExpenseRefs(ctx, tx, f, &before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE expenses SET date = $2, supplier_id = $3, category_id = $4, currency = $5, amount = $6,
			rate = $7, amount_chf = $8, note = $9, status = $10, paid_on = $11, version = version + 1 WHERE id = $1`,
			id, f.Date, f.SupplierID, f.CategoryID, f.Currency, f.Amount, f.Rate, expenses.ToCHF(f.Amount, f.Rate), f.Note,
			f.Status, f.PaidOn); err != nil {
			return fmt.Errorf("update expense: %w", err)
		}
		if err := writeExpenseVAT(ctx, tx, id, f.VAT); err != nil {
			return err
		}
		if out, err = s.expenses.get(ctx, tx, id, ""); err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, "expense", id, audit.ActionUpdate, before, out, "receipts")
	})
	return out, mapError(err, s.expenses.notFound())
}

// sameExpense reports whether f leaves the expense as it is, so an
// update writes nothing (no new version, no audit record).
func sameExpense(e expenses.Expense, f expenses.Fields) bool {
	samePaid := (e.PaidOn == nil) == (f.PaidOn == nil) && (e.PaidOn == nil || e.PaidOn.Equal(*f.PaidOn))
	if !e.Date.Equal(f.Date) || e.SupplierID != f.SupplierID || e.CategoryID != f.CategoryID || e.Currency != f.Currency ||
		e.Amount != f.Amount || e.Rate != f.Rate || e.Note != f.Note || e.Status != f.Status || !samePaid || len(e.VAT) != len(f.VAT) {
		return false
	}
	for i, l := range f.VAT { // both ordered by rate: the store reads them so, check sorts them
		if e.VAT[i].RateBP != l.RateBP || e.VAT[i].VAT != l.VAT {
			return false
		}
	}
	return true
}

func (s *ExpenseStore) SetArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (expenses.Expense, error) {
	return s.expenses.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *ExpenseStore) Delete(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.expenses.delete(ctx, s.pool, actor, id, expectedVersion, func(ctx context.Context, tx pgx.Tx) error {
		var booked *int64
		if err := tx.QueryRow(ctx, "SELECT receipt_movement_id FROM expenses WHERE id = $1", id).Scan(&booked); err != nil {
			return fmt.Errorf("read expense: %w", err)
		}
		if booked != nil {
			return apperr.New(apperr.CodeConflict, fmt.Sprintf("This expense was booked with goods receipt movement %d; archive it instead.", *booked))
		}
		if _, err := tx.Exec(ctx, "DELETE FROM files WHERE owner_kind = 'expense_receipt' AND owner_id = $1", id); err != nil {
			return fmt.Errorf("delete receipts: %w", err)
		}
		return nil
	})
}

func (s *ExpenseStore) BookedBy(ctx context.Context, movementID int64) (*int64, error) {
	var id int64
	err := s.pool.QueryRow(ctx, "SELECT id FROM expenses WHERE receipt_movement_id = $1", movementID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("the receipt's expense: %w", err)
	}
	return &id, nil
}

func (s *ExpenseStore) Get(ctx context.Context, id int64) (expenses.Expense, error) {
	return s.expenses.get(ctx, s.pool, id, "")
}

// expenseFilter turns a list's filter into conditions on expenses e.
func expenseFilter(f expenses.Filter) ledgerQuery {
	var q ledgerQuery
	if f.Archived {
		q.filter("e.archived_at IS NOT NULL")
	} else {
		q.filter("e.archived_at IS NULL")
	}
	if f.From != nil {
		q.filter("e.date >= " + q.arg(*f.From))
	}
	if f.To != nil {
		q.filter("e.date <= " + q.arg(*f.To))
	}
	if f.SupplierID != nil {
		q.filter("e.supplier_id = " + q.arg(*f.SupplierID))
	}
	if f.CategoryID != nil {
		q.filter("e.category_id = " + q.arg(*f.CategoryID))
	}
	if f.Status != "" {
		q.filter("e.status = " + q.arg(string(f.Status)))
	}
	if f.HasReceipt != nil {
		if *f.HasReceipt {
			q.filter("e.receipts > 0")
		} else {
			q.filter("e.receipts = 0")
		}
	}
	if f.Q != "" {
		like := q.arg("%" + escapeLike(strings.ToLower(f.Q)) + "%")
		q.filter("(lower(e.note) LIKE " + like + " OR e.supplier_id IN (SELECT s.id FROM suppliers s WHERE lower(s.name) LIKE " + like + "))")
	}
	return q
}

func (s *ExpenseStore) EachExpense(ctx context.Context, f expenses.Filter, fn func(expenses.Expense) error) error {
	q := expenseFilter(f)
	rows, err := s.pool.Query(ctx, "SELECT "+s.expenses.columns+" FROM expenses e"+q.whereSQL()+" ORDER BY e.date DESC, e.id DESC", q.args...)
	if err != nil {
		return fmt.Errorf("export expenses: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := s.expenses.scan(rows)
		if err != nil {
			return fmt.Errorf("export expenses: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return rows.Err()
}

func (s *ExpenseStore) List(ctx context.Context, f expenses.Filter, p page.Request) (page.Page[expenses.Expense], error) {
	var out page.Page[expenses.Expense]
	q := expenseFilter(f)
	countSQL := "SELECT count(*) FROM (SELECT 1 FROM expenses e" + q.whereSQL() + " LIMIT " + strconv.Itoa(page.CountLimit+1) + ") x"
	if err := s.pool.QueryRow(ctx, countSQL, q.args...).Scan(&out.Total); err != nil {
		return out, fmt.Errorf("count expenses: %w", err)
	}
	if len(p.After) > 0 {
		if len(p.After) != 2 {
			return out, page.InvalidCursor()
		}
		date, err := time.Parse(time.DateOnly, p.After[0])
		id, err2 := strconv.ParseInt(p.After[1], 10, 64)
		if err != nil || err2 != nil {
			return out, page.InvalidCursor()
		}
		q.filter("(e.date, e.id) < (" + q.arg(date) + "::date, " + q.arg(id) + ")")
	}
	limit := ledgerPageLimit(p)
	rows, _ := s.pool.Query(ctx, "SELECT "+s.expenses.columns+" FROM expenses e"+q.whereSQL()+
		" ORDER BY e.date DESC, e.id DESC LIMIT "+strconv.Itoa(limit+1), q.args...)
	got, err := pgx.CollectRows(rows, s.expenses.scan)
	if err != nil {
		return out, fmt.Errorf("list expenses: %w", err)
	}
	if len(got) > limit {
		got = got[:limit]
		last := got[limit-1]
		out.NextCursor = page.Cursor(expenses.ListSort, last.Date.Format(time.DateOnly), strconv.FormatInt(last.ID, 10))
	}
	out.Items = got
	return out, nil
}

func (s *ExpenseStore) AddReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, n files.New) (expenses.Expense, error) {
	return s.changeReceipts(ctx, actor, id, expectedVersion, +1, func(tx pgx.Tx, before expenses.Expense) (audit.Change, error) {
		if len(before.Receipts) >= expenses.MaxReceipts {
			return audit.Change{}, apperr.FieldProblem("An expense keeps at most "+strconv.Itoa(expenses.MaxReceipts)+" receipts.",
				"file", apperr.TooMany(expenses.MaxReceipts))
		}
		sum, err := hex.DecodeString(n.SHA256)
		if err != nil {
			return audit.Change{}, fmt.Errorf("file digest: %w", err)
		}
		var fileID int64
		if err := tx.QueryRow(ctx, `INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8::bigint, 0)) RETURNING id`,
			files.OwnerExpenseReceipt, id, n.Type, len(n.Content), sum, n.Name, n.Content, actor.UserID).Scan(&fileID); err != nil {
			return audit.Change{}, fmt.Errorf("store receipt: %w", err)
		}
		return audit.Change{To: map[string]any{"file_id": fileID, "name": n.Name, "type": n.Type, "size": len(n.Content)}}, nil
	})
}

func (s *ExpenseStore) RemoveReceipt(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, fileID int64) (expenses.Expense, error) {
	return s.changeReceipts(ctx, actor, id, expectedVersion, -1, func(tx pgx.Tx, _ expenses.Expense) (audit.Change, error) {
		var name string
		err := tx.QueryRow(ctx, "DELETE FROM files WHERE id = $1 AND owner_kind = 'expense_receipt' AND owner_id = $2 RETURNING name",
			fileID, id).Scan(&name)
		if err == pgx.ErrNoRows {
			return audit.Change{}, apperr.New(apperr.CodeNotFound, "Receipt not found.")
		}
		if err != nil {
			return audit.Change{}, fmt.Errorf("delete receipt: %w", err)
		}
		return audit.Change{From: map[string]any{"file_id": fileID, "name": name}}, nil
	})
}

// changeReceipts locks the expense at expectedVersion, lets change add or
// remove a receipt file (delta: +1 or -1) and records it: the expense's
// count of receipts and version, and the audit record of the change.
func (s *ExpenseStore) changeReceipts(ctx context.Context, actor audit.Actor, id int64, expectedVersion, delta int,
	change func(pgx.Tx, expenses.Expense) (audit.Change, error),
) (expenses.Expense, error) {
	var out expenses.Expense
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.expenses.get(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, expectedVersion, "expense"); err != nil {
			return err
		}
		what, err := change(tx, before)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "UPDATE expenses SET receipts = receipts + $2, version = version + 1 WHERE id = $1", id, delta); err != nil {
			return fmt.Errorf("count receipts: %w", err)
		}
		if out, err = s.expenses.get(ctx, tx, id, ""); err != nil {
			return err
		}
		return appendAudit(ctx, tx, actor, audit.Record{Entity: "expense", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionUpdate,
			Changes: map[string]audit.Change{"receipt": what}})
	})
	return out, mapError(err, s.expenses.notFound())
}

func (s *ExpenseStore) Receipt(ctx context.Context, id, fileID int64) (files.File, []byte, error) {
	var f files.File
	var sum, content []byte
	var createdBy *int64
	err := s.pool.QueryRow(ctx, `SELECT id, owner_kind, owner_id, content_type, size, sha256, name, created_by, created_at, content
		FROM files WHERE id = $1 AND owner_kind = 'expense_receipt' AND owner_id = $2`, fileID, id).
		Scan(&f.ID, &f.Owner, &f.OwnerID, &f.Type, &f.Size, &sum, &f.Name, &createdBy, &f.CreatedAt, &content)
	if err != nil {
		return f, nil, mapError(err, "Receipt not found.")
	}
	f.SHA256 = hex.EncodeToString(sum)
	if createdBy != nil {
		f.CreatedBy = *createdBy
	}
	return f, content, nil
}
