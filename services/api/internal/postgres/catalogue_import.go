package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// Bulk export and import of the catalogue (catalogue.CSVStore).

var _ catalogue.CSVStore = (*CatalogueStore)(nil)

// each runs a query and calls fn for each row as it arrives, so an export
// of any size holds one row at a time.
func each(ctx context.Context, q querier, sql string, args []any, fn func(pgx.Rows) error) error {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// EachItem reads the items the list's search and archive filter select,
// by SKU (the items_sku_key index gives that order without a sort, so rows
// flow from the first one on).
func (s *CatalogueStore) EachItem(ctx context.Context, l catalogue.List, fn func(catalogue.NamedItem) error) error {
	terms, err := s.itemTerms(ctx, l.Q)
	if err != nil {
		return err
	}
	q, _ := itemListQuery(l, catalogue.ItemFilter{}, terms)
	sql := "SELECT " + s.items.columns + `,
		coalesce((SELECT c.name FROM categories c WHERE c.id = items.category_id), ''),
		coalesce((SELECT p.name FROM suppliers p WHERE p.id = items.preferred_supplier_id), '')
		FROM ` + q.source("items") + q.whereSQL() + " ORDER BY lower(sku)"
	return each(ctx, s.pool, sql, q.args, func(rows pgx.Rows) error {
		var it catalogue.NamedItem
		if err := rows.Scan(append(s.items.dests(&it.Item), &it.CategoryName, &it.SupplierName)...); err != nil {
			return err
		}
		return fn(it)
	})
}

// EachCustomer reads the customers the list's search and archive filter
// select, by number.
func (s *CatalogueStore) EachCustomer(ctx context.Context, l catalogue.List, fn func(catalogue.Customer) error) error {
	q := customerQuery(l)
	sql := "SELECT " + s.customers.columns + " FROM customers" + q.whereSQL() + " ORDER BY number"
	return each(ctx, s.pool, sql, q.args, func(rows pgx.Rows) error {
		var c catalogue.Customer
		if err := rows.Scan(s.customers.dests(&c)...); err != nil {
			return err
		}
		return fn(c)
	})
}

// EachSupplier reads the suppliers the list's search and archive filter
// select, by name.
func (s *CatalogueStore) EachSupplier(ctx context.Context, l catalogue.List, fn func(catalogue.Supplier) error) error {
	var q listQuery
	q.archived(l.Archived)
	if l.Q != "" {
		q.search(supplierSearch, l.Q)
	}
	sql := "SELECT " + s.suppliers.columns + " FROM suppliers" + q.whereSQL() + " ORDER BY lower(name), id"
	return each(ctx, s.pool, sql, q.args, func(rows pgx.Rows) error {
		var v catalogue.Supplier
		if err := rows.Scan(s.suppliers.dests(&v)...); err != nil {
			return err
		}
		return fn(v)
	})
}

// Import runs fn in one transaction; see catalogue.CSVStore.
func (s *CatalogueStore) Import(ctx context.Context, actor audit.Actor, fn func(context.Context, catalogue.ImportTx) (bool, error)) error {
	rollback := errors.New("import not committed")
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		commit, err := fn(ctx, importTx{refs: refs{s, tx}, actor: actor})
		if err == nil && !commit {
			return rollback
		}
		return err
	})
	if errors.Is(err, rollback) {
		return nil
	}
	return mapError(err, "Record not found.")
}

// importTx is catalogue.ImportTx over one transaction.
type importTx struct {
	refs
	actor audit.Actor
}

// keyed runs sql, whose select list is a key and then t's columns, and
// calls fn with each row's key and record.
func keyed[K any, T any](ctx context.Context, tx pgx.Tx, t table[T], sql string, args []any, fn func(K, T)) error {
	return each(ctx, tx, sql, args, func(rows pgx.Rows) error {
		var k K
		var v T
		if err := rows.Scan(append([]any{&k}, t.dests(&v)...)...); err != nil {
			return err
		}
		fn(k, v)
		return nil
	})
}

// The lookups by name join the names asked for (n.k) with the table on
// lower(), as the unique and sort indexes have it, and answer by the name
// asked. Rows are locked in id order, so two imports wait for each other
// rather than deadlock.

func (t importTx) CategoriesNamed(ctx context.Context, names []string) (map[string]catalogue.Category, error) {
	out := make(map[string]catalogue.Category, len(names))
	if len(names) == 0 {
		return out, nil
	}
	err := keyed(ctx, t.tx, t.s.categories, `
		SELECT n.k, `+t.s.categories.columns+` FROM unnest($1::text[]) AS n(k) JOIN categories ON lower(name) = lower(n.k)
		 ORDER BY id FOR SHARE OF categories`, []any{names},
		func(k string, c catalogue.Category) { out[k] = c })
	return out, err
}

func (t importTx) SuppliersNamed(ctx context.Context, names []string) (map[string][]catalogue.Supplier, error) {
	out := make(map[string][]catalogue.Supplier, len(names))
	if len(names) == 0 {
		return out, nil
	}
	err := keyed(ctx, t.tx, t.s.suppliers, `
		SELECT n.k, `+t.s.suppliers.columns+` FROM unnest($1::text[]) AS n(k) JOIN suppliers ON lower(name) = lower(n.k)
		 ORDER BY id FOR SHARE OF suppliers`, []any{names},
		func(k string, v catalogue.Supplier) { out[k] = append(out[k], v) })
	return out, err
}

func (t importTx) SuppliersForImport(ctx context.Context, ids []int64, names []string) (map[int64]catalogue.Supplier, map[string][]catalogue.Supplier, error) {
	byID := make(map[int64]catalogue.Supplier, len(ids))
	byName := make(map[string][]catalogue.Supplier, len(names))
	if len(ids) == 0 && len(names) == 0 {
		return byID, byName, nil
	}
	// Lock every supplier the file may mean in one statement, in id order;
	// the reads after it see the locked rows.
	if _, err := t.tx.Exec(ctx, `
		SELECT FROM suppliers
		 WHERE id = ANY($1) OR lower(name) IN (SELECT lower(k) FROM unnest($2::text[]) AS k)
		 ORDER BY id FOR UPDATE`, ids, names); err != nil {
		return nil, nil, err
	}
	err := keyed(ctx, t.tx, t.s.suppliers, "SELECT id, "+t.s.suppliers.columns+" FROM suppliers WHERE id = ANY($1)", []any{ids},
		func(id int64, v catalogue.Supplier) { byID[id] = v })
	if err != nil {
		return nil, nil, err
	}
	err = keyed(ctx, t.tx, t.s.suppliers, `
		SELECT n.k, `+t.s.suppliers.columns+` FROM unnest($1::text[]) AS n(k) JOIN suppliers ON lower(name) = lower(n.k)
		 ORDER BY id`, []any{names},
		func(k string, v catalogue.Supplier) { byName[k] = append(byName[k], v) })
	return byID, byName, err
}

func (t importTx) ItemsWithSKU(ctx context.Context, skus []string) (map[string]catalogue.Item, error) {
	out := make(map[string]catalogue.Item, len(skus))
	if len(skus) == 0 {
		return out, nil
	}
	err := keyed(ctx, t.tx, t.s.items, `
		SELECT n.k, `+t.s.items.columns+` FROM unnest($1::text[]) AS n(k) JOIN items ON lower(sku) = lower(n.k)
		 ORDER BY id FOR UPDATE OF items`, []any{skus},
		func(k string, it catalogue.Item) { out[k] = it })
	return out, err
}

func (t importTx) ItemsWithEAN(ctx context.Context, eans []string) ([]catalogue.Item, error) {
	rows, _ := t.tx.Query(ctx, "SELECT "+t.s.items.columns+" FROM items WHERE ean_unit = ANY($1) OR ean_package = ANY($1) OR ean_pallet = ANY($1)", eans)
	return pgx.CollectRows(rows, t.s.items.scan)
}

func (t importTx) ClearEANs(ctx context.Context, itemIDs []int64) error {
	// No version bump: the import's write of each item follows in this
	// transaction and bumps it once.
	_, err := t.tx.Exec(ctx, "UPDATE items SET ean_unit = NULL, ean_package = NULL, ean_pallet = NULL WHERE id = ANY($1)", itemIDs)
	return err
}

func (t importTx) CustomersWithNumber(ctx context.Context, numbers []int64) (map[int64]catalogue.Customer, error) {
	out := make(map[int64]catalogue.Customer, len(numbers))
	if len(numbers) == 0 {
		return out, nil
	}
	err := keyed(ctx, t.tx, t.s.customers, "SELECT number, "+t.s.customers.columns+" FROM customers WHERE number = ANY($1) ORDER BY id FOR UPDATE",
		[]any{numbers}, func(n int64, c catalogue.Customer) { out[n] = c })
	return out, err
}

func (t importTx) SaveItems(ctx context.Context, writes []catalogue.ImportWrite[catalogue.Item, catalogue.ItemFields]) (int, error) {
	return importSave(ctx, t, t.s.items, writes, func(f *catalogue.ItemFields) []value { return itemValues(f) })
}

func (t importTx) SaveCustomers(ctx context.Context, writes []catalogue.ImportWrite[catalogue.Customer, catalogue.CustomerFields]) (int, error) {
	return importSave(ctx, t, t.s.customers, writes, func(f *catalogue.CustomerFields) []value { return customerValues(f) })
}

func (t importTx) SaveSuppliers(ctx context.Context, writes []catalogue.ImportWrite[catalogue.Supplier, catalogue.SupplierFields]) (int, error) {
	return importSave(ctx, t, t.s.suppliers, writes, func(f *catalogue.SupplierFields) []value { return supplierValues(f) })
}

// importBatch is how many statements one round trip of an import carries:
// enough to hide the latency, few enough that the client's buffers stay
// small and the database works while the next batch is built.
const importBatch = 500

// importSave inserts or updates every record, then appends an audit record
// of action import for each. Statements are pipelined in batches, as a file
// of 20,000 rows would otherwise spend most of its time waiting for 40,000
// round trips. A failing statement is reported with its index.
func importSave[R, F any](ctx context.Context, t importTx, tbl table[R], writes []catalogue.ImportWrite[R, F], values func(*F) []value) (int, error) {
	for start := 0; start < len(writes); start += importBatch {
		chunk := writes[start:min(start+importBatch, len(writes))]
		if i, err := importSaveBatch(ctx, t, tbl, chunk, values); err != nil {
			if i >= 0 {
				i += start
			}
			return i, err
		}
	}
	return -1, nil
}

func importSaveBatch[R, F any](ctx context.Context, t importTx, tbl table[R], writes []catalogue.ImportWrite[R, F], values func(*F) []value) (int, error) {
	b := &pgx.Batch{}
	for i := range writes {
		vals := values(&writes[i].After)
		args := make([]any, 0, len(vals)+1)
		if before := writes[i].Before; before == nil {
			names := make([]string, len(vals))
			params := make([]string, len(vals))
			for j, v := range vals {
				args = append(args, v.v)
				names[j], params[j] = v.column, "$"+strconv.Itoa(len(args))
			}
			b.Queue("INSERT INTO "+tbl.name+" ("+strings.Join(names, ", ")+") VALUES ("+strings.Join(params, ", ")+") RETURNING "+tbl.columns, args...)
		} else {
			args = append(args, tbl.meta(before).id)
			sets := make([]string, len(vals))
			for j, v := range vals {
				args = append(args, v.v)
				sets[j] = v.column + " = $" + strconv.Itoa(len(args))
			}
			b.Queue("UPDATE "+tbl.name+" SET "+strings.Join(sets, ", ")+", version = version + 1 WHERE id = $1 RETURNING "+tbl.columns, args...)
		}
	}
	saved := make([]R, len(writes))
	res := t.tx.SendBatch(ctx, b)
	for i := range writes {
		rows, _ := res.Query()
		out, err := pgx.CollectExactlyOneRow(rows, tbl.scan)
		if err != nil {
			_ = res.Close() // the transaction is lost anyway; err says why
			return i, mapError(err, tbl.notFound())
		}
		saved[i] = out
	}
	if err := res.Close(); err != nil {
		return -1, err
	}

	// The audit records go in with one statement: they cannot clash.
	ids := make([]string, len(saved))
	changes := make([]string, len(saved))
	for i, out := range saved {
		diff, err := audit.Diff(writes[i].Before, out, "version", "updated_at", "created_at")
		if err != nil {
			return -1, err
		}
		js, err := json.Marshal(diff)
		if err != nil {
			return -1, fmt.Errorf("encode audit changes: %w", err)
		}
		ids[i], changes[i] = strconv.FormatInt(tbl.meta(&out).id, 10), string(js)
	}
	if _, err := t.tx.Exec(ctx, `
		INSERT INTO audit_log (user_id, token_id, request_id, entity, entity_id, action, changes)
		SELECT NULLIF($1, 0), NULLIF($2, 0), $3, $4, u.id, $5, u.changes::jsonb
		  FROM unnest($6::text[], $7::text[]) WITH ORDINALITY AS u(id, changes, n) ORDER BY u.n`,
		t.actor.UserID, t.actor.TokenID, t.actor.RequestID, tbl.entity, audit.ActionImport, ids, changes); err != nil {
		return -1, fmt.Errorf("append audit records: %w", err)
	}
	return -1, nil
}
