package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/page"
)

func itemColumns(i *catalogue.Item) []column {
	return []column{
		{"id", &i.ID}, {"sku", &i.SKU}, {"name", &i.Name}, {"description", &i.Description}, {"category_id", &i.CategoryID},
		{"brand", &i.Brand}, {"ean_unit", &i.EANUnit}, {"ean_package", &i.EANPackage}, {"ean_pallet", &i.EANPallet},
		{"base_unit", &i.BaseUnit}, {"package_unit", &i.PackageUnit}, {"package_size", &i.PackageSize}, {"pallet_size", &i.PalletSize},
		{"sales_price_unit", &i.SalesPriceUnit}, {"sales_price_package", &i.SalesPricePackage},
		{"avg_unit_cost_micros", &i.AvgUnitCostMicros}, {"currency", &i.Currency}, {"vat_rate_bp", &i.VATRateBP},
		{"deposit_unit", &i.DepositUnit}, {"deposit_package", &i.DepositPackage}, {"returnable", &i.Returnable},
		{"beverage_type", &i.BeverageType}, {"container", &i.Container}, {"volume_ml", &i.VolumeML}, {"abv", &i.ABV},
		{"alcoholic", &i.Alcoholic}, {"country_of_origin", &i.CountryOfOrigin},
		{"min_stock", &i.MinStock}, {"reorder_qty", &i.ReorderQty}, {"preferred_supplier_id", &i.PreferredSupplierID},
		{"archived_at", &i.ArchivedAt}, {"version", &i.Version}, {"created_at", &i.CreatedAt}, {"updated_at", &i.UpdatedAt},
	}
}

// itemValues are the columns clients write; avg_unit_cost_micros is the
// stock ledger's and absent on purpose.
func itemValues(f *catalogue.ItemFields) []value {
	return []value{
		{"sku", f.SKU}, {"name", f.Name}, {"description", f.Description}, {"category_id", f.CategoryID},
		{"brand", f.Brand}, {"ean_unit", f.EANUnit}, {"ean_package", f.EANPackage}, {"ean_pallet", f.EANPallet},
		{"base_unit", f.BaseUnit}, {"package_unit", f.PackageUnit}, {"package_size", f.PackageSize}, {"pallet_size", f.PalletSize},
		{"sales_price_unit", f.SalesPriceUnit}, {"sales_price_package", f.SalesPricePackage},
		{"currency", f.Currency}, {"vat_rate_bp", f.VATRateBP},
		{"deposit_unit", f.DepositUnit}, {"deposit_package", f.DepositPackage}, {"returnable", f.Returnable},
		{"beverage_type", f.BeverageType}, {"container", f.Container}, {"volume_ml", f.VolumeML}, {"abv", f.ABV},
		{"alcoholic", f.Alcoholic}, {"country_of_origin", f.CountryOfOrigin},
		{"min_stock", f.MinStock}, {"reorder_qty", f.ReorderQty}, {"preferred_supplier_id", f.PreferredSupplierID},
	}
}

func (s *CatalogueStore) CreateItem(ctx context.Context, actor audit.Actor, in catalogue.ItemFields, check func(context.Context, catalogue.Refs) error) (catalogue.Item, error) {
	return s.items.create(ctx, s.pool, actor, func(ctx context.Context, tx pgx.Tx) error {
		return check(ctx, refs{s, tx})
	}, itemValues(&in))
}

func (s *CatalogueStore) GetItem(ctx context.Context, id int64) (catalogue.Item, error) {
	return s.items.get(ctx, s.pool, id, "")
}

func (s *CatalogueStore) UpdateItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, change func(context.Context, catalogue.Refs, *catalogue.Item) error) (catalogue.Item, error) {
	return s.items.update(ctx, s.pool, actor, id, expectedVersion,
		func(ctx context.Context, tx pgx.Tx, it *catalogue.Item) error { return change(ctx, refs{s, tx}, it) },
		func(it *catalogue.Item) []value { return itemValues(&it.ItemFields) })
}

func (s *CatalogueStore) SetItemArchived(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, archived bool) (catalogue.Item, error) {
	return s.items.setArchived(ctx, s.pool, actor, id, expectedVersion, archived)
}

func (s *CatalogueStore) DeleteItem(ctx context.Context, actor audit.Actor, id int64, expectedVersion int) error {
	return s.items.delete(ctx, s.pool, actor, id, expectedVersion, func(ctx context.Context, tx pgx.Tx) error {
		// The links go with the item (ON DELETE CASCADE); the trail says so.
		links, err := s.itemSuppliers(ctx, tx, id, " FOR UPDATE OF ls")
		if err != nil {
			return err
		}
		for _, l := range links {
			if err := auditItemSupplier(ctx, tx, actor, audit.ActionDelete, &l, nil); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListItems pages through items. With a search text and the relevance
// order, an exact SKU or EAN scores 2, an item with a word starting with
// each word of the text 1, and the typo-tolerant rest 0.5.
func (s *CatalogueStore) ListItems(ctx context.Context, l catalogue.List, f catalogue.ItemFilter) (page.Page[catalogue.Item], error) {
	terms, err := s.itemTerms(ctx, l.Q)
	if err != nil {
		return page.Page[catalogue.Item]{}, err
	}
	q, key := itemListQuery(l, f, terms)
	return list(ctx, s, s.items, q, key, l)
}

// itemTerms turns a search text into queries; none without text.
func (s *CatalogueStore) itemTerms(ctx context.Context, text string) (*itemSearchTerms, error) {
	if text == "" {
		return nil, nil
	}
	terms, err := searchItemTerms(ctx, s.pool, text)
	if err != nil {
		return nil, fmt.Errorf("search words: %w", err)
	}
	return &terms, nil
}

func itemListQuery(l catalogue.List, f catalogue.ItemFilter, terms *itemSearchTerms) (listQuery, sortKey) {
	var q listQuery
	if terms != nil {
		// The matches first, fenced off by OFFSET 0 so the planner cannot
		// merge the other conditions in: it would then rather walk the
		// sort's index and test every item, which for a rare word reads
		// the whole table. The score is the relevance order's key.
		tp := q.arg(terms.text)
		exact := "lower(sku) = lower(" + tp + ") OR ean_unit = " + tp + " OR ean_package = " + tp + " OR ean_pallet = " + tp
		q.from = "(SELECT *, CASE WHEN " + exact + " THEN 2::real WHEN search_tsv @@ " + q.arg(terms.strict) +
			"::tsquery THEN 1::real ELSE 0.5::real END AS search_score FROM items WHERE search_tsv @@ " +
			q.arg(terms.loose) + "::tsquery OR " + exact + " OFFSET 0) items"
		q.totalInPage = true
	} else if f.LocationID == nil && !f.LowStock {
		q.total = itemTotal(l.Archived, f)
	} else if f.LocationID == nil && f.CategoryID == nil && l.Archived == catalogue.ActiveOnly {
		// Active items at or below their minimum: the number the writes
		// keep for the dashboard (migration 000008), a few small rows
		// instead of thousands of index entries.
		q.total = &countQuery{sql: "SELECT coalesce(sum(amount), 0)::int FROM " + dashboardFigure + " v", args: []any{"low_stock"}}
	}
	q.archived(l.Archived)
	if f.CategoryID != nil {
		q.filter("category_id = " + q.arg(*f.CategoryID))
	}
	if f.LocationID != nil {
		q.filter("id IN (SELECT item_id FROM stock WHERE location_id = " + q.arg(*f.LocationID) + " AND good + defective > 0)")
	}
	if f.LowStock {
		// The condition of item_stock_low_idx, which lists archived items
		// only while they hold stock; an archived item without stock is
		// not "low" here either.
		q.filter("id IN (SELECT item_id FROM item_stock WHERE min_stock > 0 AND good - reserved <= min_stock AND (NOT archived OR good + defective > 0))")
	}
	switch {
	case l.Sort.Field == catalogue.SortSKU:
		return q, textKey("lower(sku)", true, l.Sort.Desc)
	case l.Sort.Field == catalogue.SortCreatedAt:
		return q, timeKey("created_at", l.Sort.Desc)
	case l.Sort.Field == catalogue.SortRelevance && terms != nil:
		return q, realKey("search_score", true)
	default:
		return q, textKey("lower(name)", false, l.Sort.Desc)
	}
}

// itemTotal counts an unsearched item list from the counters the triggers
// of migration 000006 keep per category and archived state.
func itemTotal(a catalogue.ArchivedFilter, f catalogue.ItemFilter) *countQuery {
	c := &countQuery{sql: "SELECT coalesce(sum(items), 0)::int FROM item_counts WHERE true"}
	switch a {
	case catalogue.ActiveOnly:
		c.sql += " AND NOT archived"
	case catalogue.ArchivedOnly:
		c.sql += " AND archived"
	}
	if f.CategoryID != nil {
		c.args = append(c.args, *f.CategoryID)
		c.sql += " AND category_id = $1"
	}
	return c
}

// Item suppliers.

func itemSupplierColumns(l *catalogue.ItemSupplier) []any {
	return []any{&l.ItemID, &l.SupplierID, &l.SupplierName, &l.SupplierSKU, &l.Price, &l.LeadTimeDays, &l.Version, &l.CreatedAt, &l.UpdatedAt}
}

const itemSupplierSelect = `
	SELECT ls.item_id, ls.supplier_id, s.name, ls.supplier_sku, ls.price, ls.lead_time_days, ls.version, ls.created_at, ls.updated_at
	  FROM item_suppliers ls JOIN suppliers s ON s.id = ls.supplier_id`

func scanItemSupplier(row pgx.CollectableRow) (catalogue.ItemSupplier, error) {
	var l catalogue.ItemSupplier
	err := row.Scan(itemSupplierColumns(&l)...)
	return l, err
}

func (s *CatalogueStore) itemSuppliers(ctx context.Context, q querier, itemID int64, lock string) ([]catalogue.ItemSupplier, error) {
	rows, _ := q.Query(ctx, itemSupplierSelect+" WHERE ls.item_id = $1 ORDER BY lower(s.name), s.id"+lock, itemID)
	return pgx.CollectRows(rows, scanItemSupplier)
}

// lockItemSupplier reads a link for a change, locked, and checks that it
// is still at the version the client saw.
func (s *CatalogueStore) lockItemSupplier(ctx context.Context, tx pgx.Tx, itemID, supplierID int64, expectedVersion int) (catalogue.ItemSupplier, error) {
	l, err := s.itemSupplier(ctx, tx, itemID, supplierID, " FOR UPDATE OF ls")
	if err != nil {
		return l, err
	}
	return l, checkVersion(l.Version, expectedVersion, "supplier link")
}

func (s *CatalogueStore) itemSupplier(ctx context.Context, q querier, itemID, supplierID int64, lock string) (catalogue.ItemSupplier, error) {
	rows, _ := q.Query(ctx, itemSupplierSelect+" WHERE ls.item_id = $1 AND ls.supplier_id = $2"+lock, itemID, supplierID)
	l, err := pgx.CollectExactlyOneRow(rows, scanItemSupplier)
	return l, mapError(err, "This supplier is not linked to the item.")
}

// auditItemSupplier records a change of a link; its id in the trail is
// "item_id:supplier_id".
func auditItemSupplier(ctx context.Context, tx pgx.Tx, actor audit.Actor, action string, before, after *catalogue.ItemSupplier) error {
	changes, err := audit.Diff(before, after, "version", "updated_at", "created_at", "supplier_name")
	if err != nil {
		return err
	}
	l := after
	if l == nil {
		l = before
	}
	return appendAudit(ctx, tx, actor, audit.Record{
		Entity: "item_supplier", EntityID: fmt.Sprintf("%d:%d", l.ItemID, l.SupplierID), Action: action, Changes: changes,
	})
}

func (s *CatalogueStore) ListItemSuppliers(ctx context.Context, itemID int64) ([]catalogue.ItemSupplier, error) {
	if _, err := s.items.get(ctx, s.pool, itemID, ""); err != nil {
		return nil, err
	}
	return s.itemSuppliers(ctx, s.pool, itemID, "")
}

func (s *CatalogueStore) GetItemSupplier(ctx context.Context, itemID, supplierID int64) (catalogue.ItemSupplier, error) {
	return s.itemSupplier(ctx, s.pool, itemID, supplierID, "")
}

func (s *CatalogueStore) CreateItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, in catalogue.ItemSupplierFields, check func(context.Context, catalogue.Refs) error) (catalogue.ItemSupplier, error) {
	var out catalogue.ItemSupplier
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		// Holds off the item's deletion until the link is in.
		if _, err := s.items.get(ctx, tx, itemID, " FOR SHARE"); err != nil {
			return err
		}
		if err := check(ctx, refs{s, tx}); err != nil {
			return err
		}
		// The primary key is not named like a unique field, so the clash is
		// detected here rather than through mapError.
		tag, err := tx.Exec(ctx, `
			INSERT INTO item_suppliers (item_id, supplier_id, supplier_sku, price, lead_time_days)
			VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id, supplier_id) DO NOTHING`,
			itemID, supplierID, in.SupplierSKU, in.Price, in.LeadTimeDays)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &apperr.Error{Code: apperr.CodeConflict, Message: "This supplier is already linked to the item.",
				Fields: apperr.Problems{"supplier_id": apperr.Taken().Because("is already linked to this item")}}
		}
		if out, err = s.itemSupplier(ctx, tx, itemID, supplierID, ""); err != nil {
			return err
		}
		return auditItemSupplier(ctx, tx, actor, audit.ActionCreate, nil, &out)
	})
	return out, mapError(err, "Item not found.")
}

func (s *CatalogueStore) UpdateItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int, change func(*catalogue.ItemSupplier) error) (catalogue.ItemSupplier, error) {
	var out catalogue.ItemSupplier
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.lockItemSupplier(ctx, tx, itemID, supplierID, expectedVersion)
		if err != nil {
			return err
		}
		after := before
		if err := change(&after); err != nil {
			return err
		}
		changes, err := audit.Diff(before.ItemSupplierFields, after.ItemSupplierFields)
		if err != nil || len(changes) == 0 {
			out = before
			return err
		}
		if _, err := tx.Exec(ctx, `
			UPDATE item_suppliers SET supplier_sku = $3, price = $4, lead_time_days = $5, version = version + 1
			 WHERE item_id = $1 AND supplier_id = $2`,
			itemID, supplierID, after.SupplierSKU, after.Price, after.LeadTimeDays); err != nil {
			return err
		}
		if out, err = s.itemSupplier(ctx, tx, itemID, supplierID, ""); err != nil {
			return err
		}
		return auditItemSupplier(ctx, tx, actor, audit.ActionUpdate, &before, &out)
	})
	return out, mapError(err, "This supplier is not linked to the item.")
}

func (s *CatalogueStore) DeleteItemSupplier(ctx context.Context, actor audit.Actor, itemID, supplierID int64, expectedVersion int) error {
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := s.lockItemSupplier(ctx, tx, itemID, supplierID, expectedVersion)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM item_suppliers WHERE item_id = $1 AND supplier_id = $2", itemID, supplierID); err != nil {
			return err
		}
		return auditItemSupplier(ctx, tx, actor, audit.ActionDelete, &before, nil)
	})
	return mapError(err, "This supplier is not linked to the item.")
}
