package catalogue

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/money"
)

// addressCols are the five columns of an address, named prefix+field.
// read gives the record's address for the export; write the address the
// import fills in.
func addressCols[T any](prefix string, read func(*T) Address, write func(*T) *Address) []csvColumn[T] {
	col := func(name string, field func(*Address) *string) csvColumn[T] {
		c := textCol(prefix+name, func(r *T) *string { return field(write(r)) })
		c.get = func(r *T) string {
			a := read(r)
			return escapeFormula(*field(&a))
		}
		return c
	}
	return []csvColumn[T]{
		col("street", func(a *Address) *string { return &a.Street }),
		col("house_number", func(a *Address) *string { return &a.HouseNumber }),
		col("postal_code", func(a *Address) *string { return &a.PostalCode }),
		col("town", func(a *Address) *string { return &a.Town }),
		col("country", func(a *Address) *string { return &a.Country }),
	}
}

// deliveryPrefix names the delivery address columns, which come as a set.
const deliveryPrefix = "delivery_"

func customerColumns() []csvColumn[Customer] {
	type r = Customer
	cols := []csvColumn[r]{
		keyCol("number", func(r *r) string { return strconv.FormatInt(r.Number, 10) }),
		textCol("name", func(r *r) *string { return &r.Name }).req(),
		textCol("contact_person", func(r *r) *string { return &r.ContactPerson }),
		textCol("email", func(r *r) *string { return &r.Email }),
		textCol("phone", func(r *r) *string { return &r.Phone }),
	}
	billing := func(r *r) *Address { return &r.BillingAddress }
	for _, c := range addressCols("billing_", func(r *r) Address { return *billing(r) }, billing) {
		cols = append(cols, c.req())
	}
	cols = append(cols, addressCols(deliveryPrefix,
		func(r *r) Address {
			if r.DeliveryAddress == nil {
				return Address{}
			}
			return *r.DeliveryAddress
		},
		func(r *r) *Address {
			if r.DeliveryAddress == nil {
				r.DeliveryAddress = &Address{}
			}
			return r.DeliveryAddress
		})...)
	return append(cols,
		intCol("payment_terms_days", func(r *r) *int { return &r.PaymentTermsDays }, DefaultCustomerFields().PaymentTermsDays),
		optAmountCol("credit_limit", func(r *r) **money.Amount { return &r.CreditLimit }),
		textCol("currency", func(r *r) *string { return &r.Currency }),
	)
}

// customerColumn names the column of a field of CustomerFields:
// "billing_address.town" is billing_town.
func customerColumn(field string) string {
	return strings.Replace(field, "_address.", "_", 1)
}

func supplierColumns() []csvColumn[Supplier] {
	type r = Supplier
	cols := []csvColumn[r]{
		keyCol("id", func(r *r) string { return strconv.FormatInt(r.ID, 10) }),
		textCol("name", func(r *r) *string { return &r.Name }).req(),
		textCol("contact_person", func(r *r) *string { return &r.ContactPerson }),
		textCol("email", func(r *r) *string { return &r.Email }),
		textCol("phone", func(r *r) *string { return &r.Phone }),
	}
	cols = append(cols, addressCols("", func(r *r) Address { return r.Address }, func(r *r) *Address { return &r.Address })...)
	return append(cols,
		intCol("payment_terms_days", func(r *r) *int { return &r.PaymentTermsDays }, DefaultSupplierFields().PaymentTermsDays),
		textCol("notes", func(r *r) *string { return &r.Notes }),
	)
}

// supplierColumn names the column of a field of SupplierFields.
func supplierColumn(field string) string { return strings.TrimPrefix(field, "address.") }

// ExportCustomers checks q (its Q and Archived) and returns the export of
// the customers it selects, by number, in dialect d.
func (s *Service) ExportCustomers(q ListQuery, d CSVDialect) (CSVExport, error) {
	cs := s.store
	l, err := q.list(SortNumber, SortNumber)
	if err != nil {
		return nil, err
	}
	cols := customerColumns()
	return func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, d, cols, func(row func(*Customer) error) error {
			return cs.EachCustomer(ctx, l, func(c Customer) error { return row(&c) })
		})
	}, nil
}

// ExportSuppliers checks q (its Q and Archived) and returns the export of
// the suppliers it selects, by name, in dialect d.
func (s *Service) ExportSuppliers(q ListQuery, d CSVDialect) (CSVExport, error) {
	cs := s.store
	l, err := q.list(SortName, SortName)
	if err != nil {
		return nil, err
	}
	cols := supplierColumns()
	return func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, d, cols, func(row func(*Supplier) error) error {
			return cs.EachSupplier(ctx, l, func(s Supplier) error { return row(&s) })
		})
	}, nil
}

// ImportCustomers creates and updates customers from a file. A row with a
// number updates that customer (an unknown number is a problem: numbers are
// only ever handed out by the sequence); a row without one creates a
// customer with the next number, so a file of new customers creates them
// again when imported twice, while an exported file (numbers filled in)
// does not. The delivery address columns come as a set; a row whose street,
// house number, postal code and town are empty has no delivery address.
//
// A dry run does not insert new customers (it counts them): each insert
// would use up a customer number for good, and since customers have no
// unique field other than the number, the insert could not fail.
func (s *Service) ImportCustomers(ctx context.Context, actor audit.Actor, r io.Reader, opt ImportOptions) (ImportReport, error) {
	cols := customerColumns()
	return runImport(ctx, s.store, actor, r, opt, importer[Customer, Customer, CustomerFields]{
		cols:         cols,
		column:       customerColumn,
		fields:       func(c *Customer) CustomerFields { return c.CustomerFields },
		save:         ImportTx.SaveCustomers,
		checkColumns: func(f *csvFile, p *importProblems) { checkDeliveryColumns(cols, f, p) },
		plan: func(ctx context.Context, tx ImportTx, f *csvFile, p *importProblems) ([]importPlan[Customer, CustomerFields], error) {
			return planCustomers(ctx, tx, cols, f, opt.CreditLimits, p)
		},
		dryRunCountsCreates: true,
	})
}

// checkDeliveryColumns refuses a file with some of the delivery address
// columns but not all.
func checkDeliveryColumns(cols []csvColumn[Customer], f *csvFile, p *importProblems) {
	delivery := 0
	for _, c := range cols {
		if strings.HasPrefix(c.name, deliveryPrefix) && f.has(c.name) {
			delivery++
		}
	}
	for _, c := range cols {
		if delivery > 0 && strings.HasPrefix(c.name, deliveryPrefix) && !f.has(c.name) {
			p.add(1, c.name, missingColumn("is required with the other delivery address columns: add it"))
		}
	}
}

// customerRow is a row of a customers file and the number it gives.
type customerRow struct {
	csvRow
	number int64 // 0: a new customer
}

// planCustomers plans the rows of a customers file: what each does to
// which customer.
func planCustomers(ctx context.Context, tx ImportTx, cols []csvColumn[Customer], f *csvFile, creditLimits bool, p *importProblems) ([]importPlan[Customer, CustomerFields], error) {
	rows, numbers := customerRows(f, p)
	stored, err := tx.CustomersWithNumber(ctx, numbers)
	if err != nil {
		return nil, err
	}
	plans := make([]importPlan[Customer, CustomerFields], 0, len(rows))
	for _, row := range rows {
		plan, ok, err := planCustomerRow(cols, f, row, stored, creditLimits, p)
		if err != nil {
			return nil, err
		}
		if ok {
			plans = append(plans, plan)
		}
	}
	return plans, nil
}

// customerRows returns the usable rows of a customers file with their
// numbers, and the numbers; a row repeating another's number, or with one
// that is not a number, is a problem.
func customerRows(f *csvFile, p *importProblems) ([]customerRow, []int64) {
	var rows []customerRow
	var numbers []int64
	byNumber := keyTracker[int64]{}
	for _, row := range f.rows {
		if row.bad {
			continue
		}
		var n int64
		if cell := strings.TrimSpace(f.cell(row, "number")); cell != "" {
			var err error
			if n, err = strconv.ParseInt(cell, 10, 64); err != nil || n <= 0 {
				p.add(row.line, "number", apperr.WrongType("integer").Because("must be a customer number, or empty for a new customer"))
				continue
			}
			if first, dup := byNumber.seen(n, row.line); dup {
				p.add(row.line, "number", duplicateOf(first, fmt.Sprintf("repeats the number of line %d", first)))
				continue
			}
			numbers = append(numbers, n)
		}
		rows = append(rows, customerRow{row, n})
	}
	return rows, numbers
}

// planCustomerRow returns what row does: create a customer or change the
// stored one with its number. ok is false when the row has a problem
// (added to p). Without creditLimits, a row that changes a credit limit
// fails the whole import.
func planCustomerRow(cols []csvColumn[Customer], f *csvFile, row customerRow, stored map[int64]Customer, creditLimits bool, p *importProblems) (plan importPlan[Customer, CustomerFields], ok bool, err error) {
	work := Customer{CustomerFields: DefaultCustomerFields()}
	var before *Customer
	if row.number != 0 {
		c, ok := stored[row.number]
		if !ok {
			p.add(row.line, "number", apperr.NotFound().
				Because(fmt.Sprintf("no customer has number %d; leave the number empty to create a new customer", row.number)).
				With("number", row.number))
			return plan, false, nil
		}
		before, work = &c, c
	}
	if d := work.DeliveryAddress; d != nil {
		// A copy, so that filling it in leaves before as it was.
		c := *d
		work.DeliveryAddress = &c
	}
	applyRow(cols, f, row.csvRow, &work, p)
	if d := work.DeliveryAddress; d != nil && strings.TrimSpace(d.Street+d.HouseNumber+d.PostalCode+d.Town) == "" {
		work.DeliveryAddress = nil
	}
	work.normalize()
	var limitBefore *money.Amount
	if before != nil {
		limitBefore = before.CreditLimit
	}
	if !creditLimits && !equalPtr(limitBefore, work.CreditLimit) {
		// The field names the refused column, so a client can say which
		// column the role may not import.
		return plan, false, &apperr.Error{Code: apperr.CodeForbidden, Message: fmt.Sprintf(
			"Your role may not set credit limits, and line %d changes one; leave the credit_limit cells as they are or remove the column.", row.line),
			Fields: apperr.Problems{"credit_limit": apperr.NotPermitted().
				Because(fmt.Sprintf("line %d changes a credit limit, which your role may not set", row.line)).With("line", row.line)}}
	}
	if err := work.validate(); err != nil {
		return plan, false, p.addError(row.line, err, customerColumn)
	}
	return importPlan[Customer, CustomerFields]{line: row.line, before: before, after: work.CustomerFields}, true, nil
}

// ImportSuppliers creates and updates suppliers from a file. Supplier names
// need not be unique, so a row is matched
//   - by id when it has one (an unknown id is a problem);
//   - otherwise by name, ignoring case, when exactly one supplier has it;
//   - otherwise created when no supplier has the name. When several do, the
//     row is a problem: it must give the id to say which.
//
// Two rows may not mean the same supplier, nor (without ids) have the same
// name.
func (s *Service) ImportSuppliers(ctx context.Context, actor audit.Actor, r io.Reader, opt ImportOptions) (ImportReport, error) {
	cols := supplierColumns()
	return runImport(ctx, s.store, actor, r, opt, importer[Supplier, Supplier, SupplierFields]{
		cols:   cols,
		column: supplierColumn,
		fields: func(s *Supplier) SupplierFields { return s.SupplierFields },
		save:   ImportTx.SaveSuppliers,
		plan: func(ctx context.Context, tx ImportTx, f *csvFile, p *importProblems) ([]importPlan[Supplier, SupplierFields], error) {
			return planSuppliers(ctx, tx, cols, f, p)
		},
	})
}

// supplierRow is a row of a suppliers file with the id and name it gives.
type supplierRow struct {
	csvRow
	id   int64 // 0: match by name
	name string
}

// planSuppliers plans the rows of a suppliers file: what each does to
// which supplier.
func planSuppliers(ctx context.Context, tx ImportTx, cols []csvColumn[Supplier], f *csvFile, p *importProblems) ([]importPlan[Supplier, SupplierFields], error) {
	rows, ids, names := supplierRows(f, p)
	withID, named, err := tx.SuppliersForImport(ctx, ids, names)
	if err != nil {
		return nil, err
	}
	plans := make([]importPlan[Supplier, SupplierFields], 0, len(rows))
	targets := keyTracker[int64]{}
	for _, row := range rows {
		before, ok := matchSupplier(row, withID, named, targets, p)
		if !ok {
			continue
		}
		work := Supplier{SupplierFields: DefaultSupplierFields()}
		if before != nil {
			work = *before
		}
		applyRow(cols, f, row.csvRow, &work, p)
		work.normalize()
		if err := work.validate(); err != nil {
			if err := p.addError(row.line, err, supplierColumn); err != nil {
				return nil, err
			}
			continue
		}
		plans = append(plans, importPlan[Supplier, SupplierFields]{line: row.line, before: before, after: work.SupplierFields})
	}
	return plans, nil
}

// supplierRows returns the usable rows of a suppliers file with their ids
// and names, and the ids and names to look up (names only of rows without
// an id); a row repeating another's id, or without an id another's name,
// is a problem.
func supplierRows(f *csvFile, p *importProblems) (rows []supplierRow, ids []int64, names []string) {
	byID, byName := keyTracker[int64]{}, keyTracker[string]{}
	for _, row := range f.rows {
		if row.bad {
			continue
		}
		k := supplierRow{csvRow: row, name: strings.TrimSpace(unescapeFormula(f.cell(row, "name")))}
		if cell := strings.TrimSpace(f.cell(row, "id")); cell != "" {
			var err error
			if k.id, err = strconv.ParseInt(cell, 10, 64); err != nil || k.id <= 0 {
				p.add(row.line, "id", apperr.WrongType("integer").Because("must be a supplier id, or empty to match the supplier by name"))
				continue
			}
			if first, dup := byID.seen(k.id, row.line); dup {
				p.add(row.line, "id", duplicateOf(first, fmt.Sprintf("repeats the id of line %d", first)))
				continue
			}
			ids = append(ids, k.id)
		} else if k.name != "" { // an empty one is reported by validation
			if first, dup := byName.seen(strings.ToLower(k.name), row.line); dup {
				p.add(row.line, "name", duplicateOf(first, fmt.Sprintf("repeats the name of line %d; give the id of the supplier each row means", first)))
				continue
			}
			names = append(names, k.name)
		}
		rows = append(rows, k)
	}
	return rows, ids, names
}

// matchSupplier returns the stored supplier row means (nil: a new one),
// by id or else by name. ok is false when the row has a problem (added to
// p): an unknown id, a name several suppliers share, or a supplier an
// earlier row means already.
func matchSupplier(row supplierRow, withID map[int64]Supplier, named map[string][]Supplier, targets keyTracker[int64], p *importProblems) (before *Supplier, ok bool) {
	switch matches := named[row.name]; {
	case row.id != 0:
		s, ok := withID[row.id]
		if !ok {
			p.add(row.line, "id", apperr.NotFound().
				Because(fmt.Sprintf("no supplier has id %d; leave the id empty to create a supplier", row.id)).
				With("number", row.id))
			return nil, false
		}
		before = &s
	case len(matches) == 1:
		before = &matches[0]
	case len(matches) > 1:
		p.add(row.line, "name", ambiguous(len(matches), row.name,
			fmt.Sprintf("%d suppliers are called %q; add the id column to say which this row means", len(matches), row.name)))
		return nil, false
	}
	if before != nil {
		if first, dup := targets.seen(before.ID, row.line); dup {
			p.add(row.line, "name", sameAs(first, fmt.Sprintf("means the same supplier as line %d", first)))
			return nil, false
		}
	}
	return before, true
}
