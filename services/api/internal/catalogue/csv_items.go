package catalogue

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/money"
)

// NamedItem is an item with the names of its category and preferred
// supplier, which files carry instead of ids ("" for none).
type NamedItem struct {
	Item
	CategoryName string
	SupplierName string
}

// itemColumns are the columns of an items file. Prices are decimals of the
// item's currency, VAT and ABV percentages ("8.1", "4.8").
func itemColumns() []csvColumn[NamedItem] {
	type r = NamedItem
	return []csvColumn[r]{
		textCol("sku", func(r *r) *string { return &r.SKU }).req(),
		textCol("name", func(r *r) *string { return &r.Name }).req(),
		textCol("description", func(r *r) *string { return &r.Description }),
		textCol("category", func(r *r) *string { return &r.CategoryName }),
		textCol("brand", func(r *r) *string { return &r.Brand }),
		optTextCol("ean_unit", func(r *r) **string { return &r.EANUnit }),
		optTextCol("ean_package", func(r *r) **string { return &r.EANPackage }),
		optTextCol("ean_pallet", func(r *r) **string { return &r.EANPallet }),
		textCol("base_unit", func(r *r) *string { return &r.BaseUnit }).req(),
		optTextCol("package_unit", func(r *r) **string { return &r.PackageUnit }),
		optIntCol("package_size", func(r *r) **int64 { return &r.PackageSize }),
		optIntCol("pallet_size", func(r *r) **int64 { return &r.PalletSize }),
		amountCol("sales_price_unit", func(r *r) *money.Amount { return &r.SalesPriceUnit }, true).req(),
		optAmountCol("sales_price_package", func(r *r) **money.Amount { return &r.SalesPricePackage }),
		textCol("currency", func(r *r) *string { return &r.Currency }),
		{name: "vat_rate",
			get: func(r *r) string { return VATPercent(r.VATRateBP) },
			set: func(r *r, v string) (err error) { r.VATRateBP, err = ParseVATPercent(decimalText(v)); return err }},
		amountCol("deposit_unit", func(r *r) *money.Amount { return &r.DepositUnit }, false),
		amountCol("deposit_package", func(r *r) *money.Amount { return &r.DepositPackage }, false),
		boolCol("returnable", func(r *r) *bool { return &r.Returnable }),
		textCol("beverage_type", func(r *r) *string { return &r.BeverageType }),
		{name: "container", words: germanContainers,
			get: func(r *r) string {
				if r.Container == nil {
					return ""
				}
				return string(*r.Container)
			},
			set: func(r *r, v string) error {
				r.Container = nil
				if v = strings.TrimSpace(v); v != "" {
					c := Container(v)
					r.Container = &c
				}
				return nil
			}},
		optIntCol("volume_ml", func(r *r) **int { return &r.VolumeML }),
		{name: "abv",
			get: func(r *r) string {
				if r.ABV == nil {
					return ""
				}
				return ABVPercent(*r.ABV)
			},
			set: func(r *r, v string) error {
				r.ABV = nil
				if strings.TrimSpace(v) == "" {
					return nil
				}
				a, err := ParseABVPercent(decimalText(v))
				r.ABV = &a
				return err
			}},
		boolCol("alcoholic", func(r *r) *bool { return &r.Alcoholic }),
		optTextCol("country_of_origin", func(r *r) **string { return &r.CountryOfOrigin }),
		intCol("min_stock", func(r *r) *int64 { return &r.MinStock }, 0),
		intCol("reorder_qty", func(r *r) *int64 { return &r.ReorderQty }, 0),
		textCol("preferred_supplier", func(r *r) *string { return &r.SupplierName }),
	}
}

// itemColumn names the column of a field of ItemFields.
func itemColumn(field string) string {
	switch field {
	case "category_id":
		return "category"
	case "preferred_supplier_id":
		return "preferred_supplier"
	case "vat_rate_bp":
		return "vat_rate"
	}
	return field
}

// VATPercent writes a VAT rate in basis points as the percentage people
// write: 810 is "8.1", 0 is "0".
func VATPercent(bp int) string {
	if bp%100 == 0 {
		return fmt.Sprint(bp / 100)
	}
	return strings.TrimSuffix(money.Amount(bp).String(), "0")
}

// ParseVATPercent reads a Swiss VAT rate written as a percentage ("8.1",
// "8.10", "8.1 %"); an empty text is the standard rate, as for a new item.
func ParseVATPercent(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	if s == "" {
		return VATStandard, nil
	}
	// Hundredths of a percent are basis points.
	bp, err := money.Parse(s)
	switch {
	case err != nil:
	case bp == VATStandard, bp == VATReduced, bp == VATAccommodation, bp == VATNone:
		return int(bp), nil
	}
	return 0, apperr.NotAllowed("8.1", "2.6", "3.8", "0")
}

// ABVPercent writes alcohol by volume in per mille as a percentage: 48 is
// "4.8".
func ABVPercent(perMille int) string { return fmt.Sprintf("%d.%d", perMille/10, perMille%10) }

// ParseABVPercent reads a percentage with at most one decimal ("4.8",
// "4.8 %") into per mille.
func ParseABVPercent(s string) (int, error) {
	s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	hundredths, err := money.Parse(s)
	if err != nil || hundredths%10 != 0 || hundredths < 0 || hundredths > MaxABV*10 {
		return 0, apperr.FieldError{Code: apperr.FieldPercentage,
			Message: "must be a percentage from 0 to 100 with at most one decimal, such as 4.8"}.With("min", 0).With("max", MaxABV/10)
	}
	return int(hundredths / 10), nil
}

// ExportItems checks q (its Q and Archived) and returns the export of the
// items it selects, by SKU, in dialect d.
func (s *Service) ExportItems(q ListQuery, d CSVDialect) (CSVExport, error) {
	cs := s.store
	l, err := q.list(SortSKU, SortSKU)
	if err != nil {
		return nil, err
	}
	cols := itemColumns()
	return func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, d, cols, func(row func(*NamedItem) error) error {
			return cs.EachItem(ctx, l, func(it NamedItem) error { return row(&it) })
		})
	}, nil
}

// ImportItems creates and updates items from a file, matching rows to
// items by SKU (ignoring case). Category and preferred supplier are given by
// name; a supplier name several suppliers share is taken to mean the item's
// current preferred supplier when that is one of them, and is a problem
// otherwise. Nothing is written when any row has a problem.
func (s *Service) ImportItems(ctx context.Context, actor audit.Actor, r io.Reader, opt ImportOptions) (ImportReport, error) {
	cols := itemColumns()
	return runImport(ctx, s.store, actor, r, opt, importer[NamedItem, Item, ItemFields]{
		cols:   cols,
		column: itemColumn,
		fields: func(it *Item) ItemFields { return it.ItemFields },
		save:   ImportTx.SaveItems,
		plan: func(ctx context.Context, tx ImportTx, f *csvFile, p *importProblems) ([]importPlan[Item, ItemFields], error) {
			return planItems(ctx, tx, cols, f, p)
		},
	})
}

// itemRow is a row of an items file and the SKU it names.
type itemRow struct {
	csvRow
	sku string
}

// itemNames are the SKUs, category names and supplier names of a file.
type itemNames struct {
	skus, categories, suppliers []string
}

// itemsFound is what the names of a file stand for in the database.
type itemsFound struct {
	stored     map[string]Item       // by SKU as the file writes it
	categories map[string]Category   // by name
	suppliers  map[string][]Supplier // by name; several may share one
	refs       importRefs
}

// planItems plans the rows of an items file: what each does to which item.
// Once every row is fine, it takes the EANs that change hands off their
// current items, so that the writes in file order do not clash.
func planItems(ctx context.Context, tx ImportTx, cols []csvColumn[NamedItem], f *csvFile, p *importProblems) ([]importPlan[Item, ItemFields], error) {
	rows, names := itemRows(f, p)
	found, err := findItemNames(ctx, tx, names)
	if err != nil {
		return nil, err
	}
	plans := make([]importPlan[Item, ItemFields], 0, len(rows))
	targets := keyTracker[int64]{}
	for _, row := range rows {
		plan, ok, err := planItemRow(ctx, cols, f, row, found, targets, p)
		if err != nil {
			return nil, err
		}
		if ok {
			plans = append(plans, plan)
		}
	}
	if err := checkEANs(ctx, tx, plans, p); err != nil {
		return nil, err
	}
	if p.any() {
		return nil, nil
	}
	if moving := eansChangingHands(plans); len(moving) > 0 {
		if err := tx.ClearEANs(ctx, moving); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

// itemRows returns the usable rows of an items file with their SKUs, and
// the names they use; a row repeating another's SKU is a problem.
func itemRows(f *csvFile, p *importProblems) ([]itemRow, itemNames) {
	var rows []itemRow
	var names itemNames
	bySKU := keyTracker[string]{}
	for _, row := range f.rows {
		if row.bad {
			continue
		}
		sku := strings.TrimSpace(unescapeFormula(f.cell(row, "sku")))
		if sku != "" { // an empty one is reported by validation
			if first, dup := bySKU.seen(strings.ToLower(sku), row.line); dup {
				p.add(row.line, "sku", duplicateOf(first, fmt.Sprintf("repeats the SKU of line %d", first)))
				continue
			}
			names.skus = append(names.skus, sku)
		}
		if c := strings.TrimSpace(unescapeFormula(f.cell(row, "category"))); c != "" {
			names.categories = append(names.categories, c)
		}
		if s := strings.TrimSpace(unescapeFormula(f.cell(row, "preferred_supplier"))); s != "" {
			names.suppliers = append(names.suppliers, s)
		}
		rows = append(rows, itemRow{row, sku})
	}
	return rows, names
}

// findItemNames looks up the items, categories and suppliers a file names.
func findItemNames(ctx context.Context, tx ImportTx, names itemNames) (itemsFound, error) {
	stored, err := tx.ItemsWithSKU(ctx, names.skus)
	if err != nil {
		return itemsFound{}, err
	}
	cats, err := tx.CategoriesNamed(ctx, uniqueStrings(names.categories))
	if err != nil {
		return itemsFound{}, err
	}
	sups, err := tx.SuppliersNamed(ctx, uniqueStrings(names.suppliers))
	if err != nil {
		return itemsFound{}, err
	}
	refs := importRefs{Refs: tx, categories: map[int64]Category{}, suppliers: map[int64]Supplier{}}
	for _, c := range cats {
		refs.categories[c.ID] = c
	}
	for _, list := range sups {
		for _, s := range list {
			refs.suppliers[s.ID] = s
		}
	}
	return itemsFound{stored: stored, categories: cats, suppliers: sups, refs: refs}, nil
}

// planItemRow returns what row does: create an item or change the stored
// one with its SKU. ok is false when the row has a problem (added to p).
func planItemRow(ctx context.Context, cols []csvColumn[NamedItem], f *csvFile, row itemRow, found itemsFound, targets keyTracker[int64], p *importProblems) (plan importPlan[Item, ItemFields], ok bool, err error) {
	work := NamedItem{Item: Item{ItemFields: DefaultItemFields()}}
	var before *Item
	if it, ok := found.stored[row.sku]; ok {
		if first, dup := targets.seen(it.ID, row.line); dup {
			p.add(row.line, "sku", sameAs(first, fmt.Sprintf("names the same item as line %d", first)))
			return plan, false, nil
		}
		before, work.Item = &it, it
	}
	applyRow(cols, f, row.csvRow, &work, p)
	resolveItemNames(f, row.line, &work, found, p)
	work.normalize()
	if err := work.validate(); err != nil {
		return plan, false, p.addError(row.line, err, itemColumn)
	}
	var beforeFields *ItemFields
	if before != nil {
		beforeFields = &before.ItemFields
	}
	if err := checkItemRefs(ctx, found.refs, beforeFields, work.ItemFields); err != nil {
		return plan, false, p.addError(row.line, err, itemColumn)
	}
	return importPlan[Item, ItemFields]{line: row.line, before: before, after: work.ItemFields}, true, nil
}

// resolveItemNames sets the category and preferred supplier of work from
// the names in its row, where the file has those columns.
func resolveItemNames(f *csvFile, line int, work *NamedItem, found itemsFound, p *importProblems) {
	if f.has("category") {
		work.CategoryID = nil
		if name := strings.TrimSpace(work.CategoryName); name != "" {
			if c, ok := found.categories[name]; ok {
				work.CategoryID = &c.ID
			} else {
				p.add(line, "category", apperr.NotFound().Because(fmt.Sprintf("no category is called %q", name)).With("name", name))
			}
		}
	}
	if f.has("preferred_supplier") {
		current := work.PreferredSupplierID
		work.PreferredSupplierID = nil
		if name := strings.TrimSpace(work.SupplierName); name != "" {
			if id, problem := pickSupplier(found.suppliers[name], current, name); problem != nil {
				p.add(line, "preferred_supplier", *problem)
			} else {
				work.PreferredSupplierID = &id
			}
		}
	}
}

// pickSupplier finds the supplier a name means among those called so.
func pickSupplier(named []Supplier, current *int64, name string) (int64, *apperr.FieldError) {
	switch len(named) {
	case 0:
		e := apperr.NotFound().Because(fmt.Sprintf("no supplier is called %q", name)).With("name", name)
		return 0, &e
	case 1:
		return named[0].ID, nil
	}
	for _, s := range named {
		if current != nil && s.ID == *current {
			return s.ID, nil
		}
	}
	e := ambiguous(len(named), name, fmt.Sprintf("%d suppliers are called %q; rename one so that the name says which", len(named), name))
	return 0, &e
}

// ambiguous is the problem of a name that several records have.
func ambiguous(count int, name, message string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldAmbiguous, Message: message}.With("count", count).With("name", name)
}

// itemCodes are an item's EANs by column, in the columns' order.
func itemCodes(f *ItemFields) []struct{ col, code string } {
	var out []struct{ col, code string }
	for _, c := range []struct {
		col string
		v   *string
	}{{"ean_unit", f.EANUnit}, {"ean_package", f.EANPackage}, {"ean_pallet", f.EANPallet}} {
		if c.v != nil {
			out = append(out, struct{ col, code string }{c.col, *c.v})
		}
	}
	return out
}

// checkEANs finds the EANs the import would give two items, before the
// database does (it would stop at the first and lose the line). An item's
// EANs are those of its row when the file has one, else the stored ones.
// A code names one item and one unit, so every EAN column is compared with
// every other (as the item_codes table of migration 000011 does).
func checkEANs(ctx context.Context, tx ImportTx, plans []importPlan[Item, ItemFields], p *importProblems) error {
	var eans []string
	inFile := map[int64]bool{}
	lines := keyTracker[string]{}
	for _, pl := range plans {
		for _, c := range itemCodes(&pl.after) {
			eans = append(eans, c.code)
			if first, dup := lines.seen(c.code, pl.line); dup {
				p.add(pl.line, c.col, duplicateOf(first, fmt.Sprintf("is also an EAN of line %d", first)))
			}
		}
		if pl.before != nil {
			inFile[pl.before.ID] = true
		}
	}
	if len(eans) == 0 {
		return nil
	}
	holders, err := tx.ItemsWithEAN(ctx, uniqueStrings(eans))
	if err != nil {
		return err
	}
	for _, h := range holders {
		if inFile[h.ID] {
			continue
		}
		for _, held := range itemCodes(&h.ItemFields) {
			line, taken := lines[held.code]
			if !taken {
				continue
			}
			for _, pl := range plans {
				for _, c := range itemCodes(&pl.after) {
					if pl.line == line && c.code == held.code {
						p.add(line, c.col, apperr.Taken().Because(fmt.Sprintf("is already the %s of item %s", held.col, h.SKU)).With("sku", h.SKU))
					}
				}
			}
		}
	}
	return nil
}

// eansChangingHands returns the stored items of plans that give up an EAN
// another row of the file takes (in any column). Written one by one, the
// taker could come first (or two items could swap EANs) and clash.
func eansChangingHands(plans []importPlan[Item, ItemFields]) []int64 {
	taken := map[string]bool{}
	for _, pl := range plans {
		for _, c := range itemCodes(&pl.after) {
			taken[c.code] = true
		}
	}
	var ids []int64
	for _, pl := range plans {
		if pl.before == nil {
			continue
		}
		b := pl.before
		for _, old := range []struct{ was, now *string }{
			{b.EANUnit, pl.after.EANUnit}, {b.EANPackage, pl.after.EANPackage}, {b.EANPallet, pl.after.EANPallet},
		} {
			if old.was != nil && !equalPtr(old.was, old.now) && taken[*old.was] {
				ids = append(ids, b.ID)
				break
			}
		}
	}
	return ids
}

// importRefs answers Refs from the records an import looked up by name,
// and asks the transaction for others.
type importRefs struct {
	Refs
	categories map[int64]Category
	suppliers  map[int64]Supplier
}

func (r importRefs) Category(ctx context.Context, id int64) (Category, error) {
	if c, ok := r.categories[id]; ok {
		return c, nil
	}
	return r.Refs.Category(ctx, id)
}

func (r importRefs) Supplier(ctx context.Context, id int64) (Supplier, error) {
	if s, ok := r.suppliers[id]; ok {
		return s, nil
	}
	return r.Refs.Supplier(ctx, id)
}

// germanContainers name the containers in a German file.
var germanContainers = map[string]string{
	string(Glass): "Glas", string(PET): "PET", string(Can): "Dose", string(Keg): "Fass",
	string(Carton): "Karton", string(Other): "Andere",
}
