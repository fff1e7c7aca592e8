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
// the customers it selects, by number.
func (s *Service) ExportCustomers(q ListQuery) (CSVExport, error) {
	cs := s.store
	l, err := q.list(SortNumber, SortNumber)
	if err != nil {
		return nil, err
	}
	cols := customerColumns()
	return func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, cols, func(row func(*Customer) error) error {
			return cs.EachCustomer(ctx, l, func(c Customer) error { return row(&c) })
		})
	}, nil
}

// ExportSuppliers checks q (its Q and Archived) and returns the export of
// the suppliers it selects, by name.
func (s *Service) ExportSuppliers(q ListQuery) (CSVExport, error) {
	cs := s.store
	l, err := q.list(SortName, SortName)
	if err != nil {
		return nil, err
	}
	cols := supplierColumns()
	return func(ctx context.Context, w io.Writer) error {
		return writeCSV(w, cols, func(row func(*Supplier) error) error {
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
	cs := s.store
	cols := customerColumns()
	var p importProblems
	f, ok, err := readCSV(r, cols, &p)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{DryRun: opt.DryRun, Rows: len(f.rows)}
	if ok {
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
		ok = !p.any()
	}
	if !ok {
		return p.report(rep, f), nil
	}

	type keyed struct {
		csvRow
		number int64 // 0: a new customer
	}
	var rows []keyed
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
		rows = append(rows, keyed{row, n})
	}

	err = cs.Import(ctx, actor, func(ctx context.Context, tx ImportTx) (bool, error) {
		stored, err := tx.CustomersWithNumber(ctx, numbers)
		if err != nil {
			return false, err
		}
		plans := make([]importPlan[Customer, CustomerFields], 0, len(rows))
		for _, row := range rows {
			work := Customer{CustomerFields: DefaultCustomerFields()}
			var before *Customer
			if row.number != 0 {
				c, ok := stored[row.number]
				if !ok {
					p.add(row.line, "number", apperr.NotFound().
						Because(fmt.Sprintf("no customer has number %d; leave the number empty to create a new customer", row.number)).
						With("number", row.number))
					continue
				}
				before, work = &c, c
			}
			if d := work.DeliveryAddress; d != nil {
				// A copy, so that filling it in leaves before as it was.
				c := *d
				work.DeliveryAddress = &c
			}
			applyRow(cols, f, row.csvRow, &work, &p)
			if d := work.DeliveryAddress; d != nil && strings.TrimSpace(d.Street+d.HouseNumber+d.PostalCode+d.Town) == "" {
				work.DeliveryAddress = nil
			}
			work.normalize()
			var limitBefore *money.Amount
			if before != nil {
				limitBefore = before.CreditLimit
			}
			if !opt.CreditLimits && !equalPtr(limitBefore, work.CreditLimit) {
				return false, apperr.New(apperr.CodeForbidden, fmt.Sprintf(
					"Your role may not set credit limits, and line %d changes one; leave the credit_limit cells as they are or remove the column.", row.line))
			}
			if err := work.validate(); err != nil {
				if err := p.addError(row.line, err, customerColumn); err != nil {
					return false, err
				}
				continue
			}
			plans = append(plans, importPlan[Customer, CustomerFields]{line: row.line, before: before, after: work.CustomerFields})
		}
		if p.any() {
			return false, nil
		}
		err = savePlans(ctx, plans, func(c *Customer) CustomerFields { return c.CustomerFields }, tx.SaveCustomers, opt.DryRun, &rep, &p, customerColumn)
		return err == nil && !p.any() && !opt.DryRun, err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return p.report(rep, f), nil
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
	cs := s.store
	cols := supplierColumns()
	var p importProblems
	f, ok, err := readCSV(r, cols, &p)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{DryRun: opt.DryRun, Rows: len(f.rows)}
	if !ok {
		return p.report(rep, f), nil
	}

	type keyed struct {
		csvRow
		id   int64 // 0: match by name
		name string
	}
	var rows []keyed
	var ids []int64
	var names []string
	byID, byName := keyTracker[int64]{}, keyTracker[string]{}
	for _, row := range f.rows {
		if row.bad {
			continue
		}
		k := keyed{csvRow: row, name: strings.TrimSpace(unescapeFormula(f.cell(row, "name")))}
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

	err = cs.Import(ctx, actor, func(ctx context.Context, tx ImportTx) (bool, error) {
		withID, named, err := tx.SuppliersForImport(ctx, ids, names)
		if err != nil {
			return false, err
		}
		plans := make([]importPlan[Supplier, SupplierFields], 0, len(rows))
		targets := keyTracker[int64]{}
		for _, row := range rows {
			work := Supplier{SupplierFields: DefaultSupplierFields()}
			var before *Supplier
			switch matches := named[row.name]; {
			case row.id != 0:
				s, ok := withID[row.id]
				if !ok {
					p.add(row.line, "id", apperr.NotFound().
						Because(fmt.Sprintf("no supplier has id %d; leave the id empty to create a supplier", row.id)).
						With("number", row.id))
					continue
				}
				before = &s
			case len(matches) == 1:
				before = &matches[0]
			case len(matches) > 1:
				p.add(row.line, "name", ambiguous(len(matches), row.name,
					fmt.Sprintf("%d suppliers are called %q; add the id column to say which this row means", len(matches), row.name)))
				continue
			}
			if before != nil {
				if first, dup := targets.seen(before.ID, row.line); dup {
					p.add(row.line, "name", sameAs(first, fmt.Sprintf("means the same supplier as line %d", first)))
					continue
				}
				work = *before
			}
			applyRow(cols, f, row.csvRow, &work, &p)
			work.normalize()
			if err := work.validate(); err != nil {
				if err := p.addError(row.line, err, supplierColumn); err != nil {
					return false, err
				}
				continue
			}
			plans = append(plans, importPlan[Supplier, SupplierFields]{line: row.line, before: before, after: work.SupplierFields})
		}
		if p.any() {
			return false, nil
		}
		err = savePlans(ctx, plans, func(s *Supplier) SupplierFields { return s.SupplierFields }, tx.SaveSuppliers, false, &rep, &p, supplierColumn)
		return err == nil && !p.any() && !opt.DryRun, err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return p.report(rep, f), nil
}
