package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// CatalogueStore keeps the catalogue; it implements catalogue.Store.
type CatalogueStore struct {
	pool       *pgxpool.Pool
	categories table[catalogue.Category]
	suppliers  table[catalogue.Supplier]
	customers  table[catalogue.Customer]
	locations  table[catalogue.Location]
	items      table[catalogue.Item]
}

var _ catalogue.Store = (*CatalogueStore)(nil)

// NewCatalogueStore returns a store working on pool.
func NewCatalogueStore(pool *pgxpool.Pool) *CatalogueStore {
	return &CatalogueStore{
		pool:       pool,
		categories: newTable("categories", "category", categoryColumns, func(c *catalogue.Category) meta { return meta{c.ID, c.Version, c.ArchivedAt} }),
		suppliers:  newTable("suppliers", "supplier", supplierColumns, func(s *catalogue.Supplier) meta { return meta{s.ID, s.Version, s.ArchivedAt} }),
		customers:  newTable("customers", "customer", customerColumns, func(c *catalogue.Customer) meta { return meta{c.ID, c.Version, c.ArchivedAt} }),
		locations:  newTable("locations", "location", locationColumns, func(l *catalogue.Location) meta { return meta{l.ID, l.Version, l.ArchivedAt} }),
		items:      newTable("items", "item", itemColumns, func(i *catalogue.Item) meta { return meta{i.ID, i.Version, i.ArchivedAt} }),
	}
}

// column is one entry of a select list: an SQL expression and where Scan
// puts its value. Keeping both in one list keeps them in step.
type column struct {
	expr string
	dest any
}

// value is one writable column and the value to store.
type value struct {
	column string
	v      any
}

// meta is what the shared write paths need to know of any record.
type meta struct {
	id         int64
	version    int
	archivedAt *time.Time
}

// table describes how one catalogue table is read and audited.
type table[T any] struct {
	name    string // SQL table
	entity  string // audit entity, also the record's name in messages
	cols    func(*T) []column
	meta    func(*T) meta
	columns string // the select list, from cols
}

func newTable[T any](name, entity string, cols func(*T) []column, meta func(*T) meta) table[T] {
	var zero T
	exprs := make([]string, 0, 40)
	for _, c := range cols(&zero) {
		exprs = append(exprs, c.expr)
	}
	return table[T]{name: name, entity: entity, cols: cols, meta: meta, columns: strings.Join(exprs, ", ")}
}

func (t table[T]) dests(v *T) []any {
	cols := t.cols(v)
	out := make([]any, len(cols))
	for i, c := range cols {
		out[i] = c.dest
	}
	return out
}

func (t table[T]) scan(row pgx.CollectableRow) (T, error) {
	var v T
	err := row.Scan(t.dests(&v)...)
	return v, err
}

func (t table[T]) notFound() string {
	return strings.ToUpper(t.entity[:1]) + t.entity[1:] + " not found."
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// get reads one record; lock is "" or a locking clause such as " FOR UPDATE".
func (t table[T]) get(ctx context.Context, q querier, id int64, lock string) (T, error) {
	rows, _ := q.Query(ctx, "SELECT "+t.columns+" FROM "+t.name+" WHERE id = $1"+lock, id)
	v, err := pgx.CollectExactlyOneRow(rows, t.scan)
	return v, mapError(err, t.notFound())
}

// create runs check, inserts vals and audits the new record, all in one
// transaction.
func (t table[T]) create(ctx context.Context, pool *pgxpool.Pool, actor audit.Actor, check func(context.Context, pgx.Tx) error, vals []value) (T, error) {
	var out T
	err := inTx(ctx, pool, func(tx pgx.Tx) error {
		if check != nil {
			if err := check(ctx, tx); err != nil {
				return err
			}
		}
		names := make([]string, len(vals))
		params := make([]string, len(vals))
		args := make([]any, len(vals))
		for i, v := range vals {
			names[i], params[i], args[i] = v.column, "$"+strconv.Itoa(i+1), v.v
		}
		rows, _ := tx.Query(ctx, "INSERT INTO "+t.name+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(params, ", ")+") RETURNING "+t.columns, args...)
		var err error
		if out, err = pgx.CollectExactlyOneRow(rows, t.scan); err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, t.entity, t.meta(&out).id, audit.ActionCreate, nil, out)
	})
	return out, mapError(err, t.notFound())
}

// update locks the record, checks its version, lets change modify a copy and
// writes the columns values gives for it, with an audit record of what
// changed. Nothing is written when change leaves every field as it was.
func (t table[T]) update(ctx context.Context, pool *pgxpool.Pool, actor audit.Actor, id int64, expectedVersion int,
	change func(context.Context, pgx.Tx, *T) error, values func(*T) []value,
) (T, error) {
	var out T
	err := inTx(ctx, pool, func(tx pgx.Tx) error {
		var err error
		out, err = t.updateIn(ctx, tx, actor, id, expectedVersion, change, values)
		return err
	})
	return out, mapError(err, t.notFound())
}

// updateIn is update inside the caller's transaction.
func (t table[T]) updateIn(ctx context.Context, tx pgx.Tx, actor audit.Actor, id int64, expectedVersion int,
	change func(context.Context, pgx.Tx, *T) error, values func(*T) []value,
) (T, error) {
	before, err := t.get(ctx, tx, id, " FOR UPDATE")
	if err != nil {
		return before, err
	}
	if err := checkVersion(t.meta(&before).version, expectedVersion, t.entity); err != nil {
		return before, err
	}
	after := before
	if err := change(ctx, tx, &after); err != nil {
		return before, err
	}
	changes, err := audit.Diff(before, after, "version", "updated_at", "created_at")
	if err != nil || len(changes) == 0 {
		return before, err
	}
	vals := values(&after)
	sets := make([]string, len(vals))
	args := []any{id}
	for i, v := range vals {
		args = append(args, v.v)
		sets[i] = v.column + " = $" + strconv.Itoa(len(args))
	}
	rows, _ := tx.Query(ctx, "UPDATE "+t.name+" SET "+strings.Join(sets, ", ")+", version = version + 1 WHERE id = $1 RETURNING "+t.columns, args...)
	out, err := pgx.CollectExactlyOneRow(rows, t.scan)
	if err != nil {
		return before, err
	}
	return out, auditDiff(ctx, tx, actor, t.entity, id, audit.ActionUpdate, before, out)
}

// setArchived archives or restores a record; doing what is already done
// changes nothing and leaves no audit record.
func (t table[T]) setArchived(ctx context.Context, pool *pgxpool.Pool, actor audit.Actor, id int64, expectedVersion int, archived bool) (T, error) {
	var out T
	err := inTx(ctx, pool, func(tx pgx.Tx) error {
		before, err := t.get(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		m := t.meta(&before)
		if err := checkVersion(m.version, expectedVersion, t.entity); err != nil {
			return err
		}
		if (m.archivedAt != nil) == archived {
			out = before
			return nil
		}
		rows, _ := tx.Query(ctx, "UPDATE "+t.name+" SET archived_at = CASE WHEN $2 THEN now() END, version = version + 1 WHERE id = $1 RETURNING "+t.columns, id, archived)
		if out, err = pgx.CollectExactlyOneRow(rows, t.scan); err != nil {
			return err
		}
		action := audit.ActionRestore
		if archived {
			action = audit.ActionArchive
		}
		return auditDiff(ctx, tx, actor, t.entity, id, action, before, out)
	})
	return out, mapError(err, t.notFound())
}

// delete removes a record nothing refers to. beforeDelete, when given, runs
// first in the same transaction (to audit what goes with the record).
func (t table[T]) delete(ctx context.Context, pool *pgxpool.Pool, actor audit.Actor, id int64, expectedVersion int, beforeDelete func(context.Context, pgx.Tx) error) error {
	err := inTx(ctx, pool, func(tx pgx.Tx) error {
		before, err := t.get(ctx, tx, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := checkVersion(t.meta(&before).version, expectedVersion, t.entity); err != nil {
			return err
		}
		if beforeDelete != nil {
			if err := beforeDelete(ctx, tx); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM "+t.name+" WHERE id = $1", id); err != nil {
			var pgErr *pgconn.PgError
			if errors.As(err, &pgErr) && pgErr.Code == codeForeignKeyViolation {
				return &apperr.Error{Code: apperr.CodeConflict, Message: "This " + t.entity + " is in use; archive it instead.", Err: err}
			}
			return err
		}
		return auditDiff(ctx, tx, actor, t.entity, id, audit.ActionDelete, before, nil)
	})
	return mapError(err, t.notFound())
}

// checkVersion refuses a write based on an outdated read; 0 means the
// client did not say which version it saw.
func checkVersion(current, expected int, noun string) error {
	if expected == 0 || expected == current {
		return nil
	}
	return apperr.New(apperr.CodePrecondition,
		fmt.Sprintf("The %s was changed by someone else (now version %d, you had %d); reload it and try again.", noun, current, expected))
}

// refs answers catalogue.Refs inside a write's transaction. Every read takes
// FOR SHARE, which holds off a concurrent archive or delete of that record
// until the write commits.
type refs struct {
	s  *CatalogueStore
	tx pgx.Tx
}

func (r refs) Category(ctx context.Context, id int64) (catalogue.Category, error) {
	return r.s.categories.get(ctx, r.tx, id, " FOR SHARE")
}

func (r refs) Supplier(ctx context.Context, id int64) (catalogue.Supplier, error) {
	return r.s.suppliers.get(ctx, r.tx, id, " FOR SHARE")
}

func (r refs) Location(ctx context.Context, id int64) (catalogue.Location, error) {
	return r.s.locations.get(ctx, r.tx, id, " FOR SHARE")
}

func (r refs) LocationHasChildren(ctx context.Context, id int64) (bool, error) {
	var has bool
	err := r.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM locations WHERE parent_id = $1)", id).Scan(&has)
	return has, err
}

func (r refs) LocationAncestors(ctx context.Context, id int64) ([]int64, error) {
	// CYCLE stops the walk should a cycle ever get into the table.
	rows, _ := r.tx.Query(ctx, `
		WITH RECURSIVE up (id, parent_id, depth) AS (
			SELECT id, parent_id, 0 FROM locations WHERE id = (SELECT parent_id FROM locations WHERE id = $1)
			UNION ALL
			SELECT l.id, l.parent_id, up.depth + 1 FROM locations l JOIN up ON l.id = up.parent_id
		) CYCLE id SET is_cycle USING path
		SELECT id FROM up WHERE NOT is_cycle ORDER BY depth`, id)
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}
