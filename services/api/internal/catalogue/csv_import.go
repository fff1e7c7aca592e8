package catalogue

import (
	"context"
	"io"

	"github.com/depotix/depotix/services/api/internal/audit"
)

// importer is what one kind of record brings to an import; runImport does
// the rest, the same for every kind. T is a row as read (the record and
// the names a file carries instead of ids), R the record and F its fields.
type importer[T, R, F any] struct {
	cols []csvColumn[T]
	// column names the column of a field, for the problems of validation.
	column func(field string) string
	fields func(*R) F
	save   func(tx ImportTx, ctx context.Context, writes []ImportWrite[R, F]) (failed int, err error)
	// checkColumns checks the file's columns as a set; nil when any set
	// readCSV accepts will do.
	checkColumns func(f *csvFile, p *importProblems)
	// plan decides, inside the import's transaction, what each row does.
	// A row with a problem has it added to p and is left out; an error
	// ends the import.
	plan func(ctx context.Context, tx ImportTx, f *csvFile, p *importProblems) ([]importPlan[R, F], error)
	// dryRunCountsCreates makes a dry run count new records without
	// inserting them (see ImportCustomers).
	dryRunCountsCreates bool
}

// runImport reads the file r, plans its rows and saves the plans in one
// transaction, which it commits unless a row has a problem or opt asks
// for a dry run. The report counts what the rows do and lists the problems
// in file order.
func runImport[T, R, F any](ctx context.Context, store CSVStore, actor audit.Actor, r io.Reader, opt ImportOptions, imp importer[T, R, F]) (ImportReport, error) {
	var p importProblems
	f, ok, err := readCSV(r, imp.cols, &p)
	if err != nil {
		return ImportReport{}, err
	}
	rep := ImportReport{DryRun: opt.DryRun, Rows: len(f.rows)}
	if ok && imp.checkColumns != nil {
		imp.checkColumns(f, &p)
		ok = !p.any()
	}
	if !ok {
		return p.report(rep, f), nil
	}
	err = store.Import(ctx, actor, func(ctx context.Context, tx ImportTx) (bool, error) {
		plans, err := imp.plan(ctx, tx, f, &p)
		if err != nil || p.any() {
			return false, err
		}
		save := func(ctx context.Context, writes []ImportWrite[R, F]) (int, error) { return imp.save(tx, ctx, writes) }
		err = savePlans(ctx, plans, imp.fields, save, imp.dryRunCountsCreates && opt.DryRun, &rep, &p, imp.column)
		return err == nil && !p.any() && !opt.DryRun, err
	})
	if err != nil {
		return ImportReport{}, err
	}
	return p.report(rep, f), nil
}
