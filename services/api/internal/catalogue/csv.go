package catalogue

// CSV export and import of items, customers and suppliers.
//
// A file is UTF-8 text without control characters other than line breaks
// and tabs (a leading byte-order mark is skipped), semicolon or comma
// separated (csv_dialect.go) and quoted as RFC 4180 says, with a header row
// naming the columns, by name or German label. Headers are matched
// ignoring case and may come in any order. An
// unknown column is an error rather than a guess; a missing optional column
// keeps the stored value on update and takes the default on create. The
// export writes exactly the columns the import reads, so an exported file
// imports without changing anything.
//
// An import reads every row, converts and validates it with the rules the
// single-record writes use, and only when no row has a problem writes them
// all in one transaction. Problems name the line (the header is line 1; a row
// is named by the line it starts on) and the column.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/textcheck"
)

// MaxImportRows bounds the rows of one import file; a bigger file is refused
// before anything is looked up.
const MaxImportRows = 20_000

// maxReportedProblems bounds the problems one report lists, so that a file
// with a mistake in every cell does not turn into a report many times its
// size; the last entry says how many more there are.
const maxReportedProblems = 1_000

// ImportProblem is one thing wrong with an import file: where, and what
// (a field code with its parameters, and the English message).
type ImportProblem struct {
	Line   int    // in the file; the header is line 1
	Column string // the column's name; empty for a problem of the whole line
	// Heading is the column as a person knows it, when that is not its
	// name: as the file's header wrote it ("Artikelnummer"), or for a
	// column the file lacks, its label in the file's language.
	Heading string
	Code    apperr.FieldCode
	Message string
	Params  apperr.Params
}

// ImportReport says what an import did or, with DryRun or with problems,
// would have done. With problems nothing is written and the counts are 0.
type ImportReport struct {
	DryRun    bool
	Rows      int // data rows read, blank rows not counted
	Created   int
	Updated   int
	Unchanged int
	Problems  []ImportProblem
}

// ImportOptions tune an import.
type ImportOptions struct {
	// DryRun runs the import to its end and rolls it back.
	DryRun bool
	// CreditLimits allows a customer import to set or change credit limits.
	// Without it a file that would change one is refused with
	// apperr.CodeForbidden; unchanged limits (an exported file imported
	// again) are fine.
	CreditLimits bool
}

// ImportWrite is one record an import writes: After over the stored Before,
// or a new record when Before is nil.
type ImportWrite[R, F any] struct {
	Before *R
	After  F
}

// CSVExport writes an export to w. It stops when ctx ends or a write fails.
type CSVExport func(ctx context.Context, w io.Writer) error

// CSVStore is what a Store needs besides Store to export and import files.
type CSVStore interface {
	// EachItem calls fn for every item l selects (its Q and Archived; paging
	// is ignored), ordered by SKU, reading them from the database as fn
	// goes so that no list is held in memory.
	EachItem(ctx context.Context, l List, fn func(NamedItem) error) error
	// EachCustomer is EachItem for customers, ordered by number.
	EachCustomer(ctx context.Context, l List, fn func(Customer) error) error
	// EachSupplier is EachItem for suppliers, ordered by name.
	EachSupplier(ctx context.Context, l List, fn func(Supplier) error) error
	// Import runs fn in one transaction. It commits when fn returns true and
	// no error, and rolls back otherwise.
	Import(ctx context.Context, actor audit.Actor, fn func(context.Context, ImportTx) (commit bool, err error)) error
}

// ImportTx reads and writes inside an import's transaction. Lookups by name
// or SKU compare ignoring case the way the database's unique indexes do, and
// key their answer by the name or SKU as asked.
type ImportTx interface {
	Refs
	// CategoriesNamed returns the categories with these names, archived or
	// not, locked against archiving and deletion.
	CategoriesNamed(ctx context.Context, names []string) (map[string]Category, error)
	// SuppliersNamed returns the suppliers with these names (several may
	// share one), locked against archiving and deletion.
	SuppliersNamed(ctx context.Context, names []string) (map[string][]Supplier, error)
	// SuppliersForImport returns the suppliers with these ids and those with
	// these names, locked for update.
	SuppliersForImport(ctx context.Context, ids []int64, names []string) (map[int64]Supplier, map[string][]Supplier, error)
	// ItemsWithSKU returns the items with these SKUs, locked for update.
	ItemsWithSKU(ctx context.Context, skus []string) (map[string]Item, error)
	// ItemsWithEAN returns the items that have any of these EANs, as unit
	// or package EAN.
	ItemsWithEAN(ctx context.Context, eans []string) ([]Item, error)
	// ClearEANs removes the EANs of these items, without audit or new
	// version: an import that moves EANs between items does so first, and
	// its own writes then set (and audit) the final values.
	ClearEANs(ctx context.Context, itemIDs []int64) error
	// CustomersWithNumber returns the customers with these numbers, locked
	// for update.
	CustomersWithNumber(ctx context.Context, numbers []int64) (map[int64]Customer, error)
	// SaveItems creates (Before nil) or updates the items in order, each
	// with an audit record of action audit.ActionImport. When a write fails
	// on its own account (a unique clash is an apperr.CodeConflict naming
	// the field), failed is its index; otherwise -1.
	SaveItems(ctx context.Context, writes []ImportWrite[Item, ItemFields]) (failed int, err error)
	// SaveCustomers is SaveItems for customers; new ones get the next numbers.
	SaveCustomers(ctx context.Context, writes []ImportWrite[Customer, CustomerFields]) (failed int, err error)
	// SaveSuppliers is SaveItems for suppliers.
	SaveSuppliers(ctx context.Context, writes []ImportWrite[Supplier, SupplierFields]) (failed int, err error)
}

// --- columns

// csvColumn is one column of a file: how a record's field is written and
// read. A nil set marks a key column, read before the record is known.
type csvColumn[T any] struct {
	name     string
	required bool // the header must have it
	get      func(*T) string
	set      func(*T, string) error
	// words are the German words of a coded column's values ("true":
	// "ja", "glass": "Glas"): a German file writes them, and every
	// import reads them back as the codes.
	words map[string]string
}

// cell is v as a file in dialect d writes it: a code in German words when
// the column has them.
func (c csvColumn[T]) cell(v string, d CSVDialect) string {
	if w, ok := c.words[v]; ok && d.German {
		return w
	}
	return v
}

// code reads a cell back: a German word of the column is its code.
func (c csvColumn[T]) code(cell string) string {
	t := strings.TrimSpace(cell)
	for code, w := range c.words {
		if strings.EqualFold(t, w) {
			return code
		}
	}
	return cell
}

// germanYesNo are a yes/no column's words in a German file.
var germanYesNo = map[string]string{"true": "ja", "false": "nein"}

func (c csvColumn[T]) req() csvColumn[T] {
	c.required = true
	return c
}

// columnNames lists the columns for a person: by their German labels for
// a file whose header is German, else by name.
func columnNames[T any](cols []csvColumn[T], german bool) string {
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.name
		if l, ok := germanColumnLabels[c.name]; ok && german {
			names[i] = l
		}
	}
	return strings.Join(names, ", ")
}

// germanHeader says whether a header names its columns by German labels:
// more cells are a German label (and no column's name) than a name.
func germanHeader[T any](header []string, cols []csvColumn[T]) bool {
	names := make(map[string]bool, len(cols))
	labels := make(map[string]bool, len(cols))
	for _, c := range cols {
		names[c.name] = true
		if l, ok := germanColumnLabels[c.name]; ok {
			labels[strings.ToLower(l)] = true
		}
	}
	n := 0
	for _, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		switch {
		case names[h] && labels[h]: // "name" is both: it says nothing
		case names[h]:
			n--
		case labels[h]:
			n++
		}
	}
	return n > 0
}

// textCol is a free-text column. A cell that differs from the stored text
// only in its line breaks (readers of RFC 4180 turn CRLF into LF) keeps the
// stored text, so a re-imported export changes nothing.
func textCol[T any](name string, field func(*T) *string) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string { return escapeFormula(*field(r)) },
		set: func(r *T, v string) error {
			v = unescapeFormula(v)
			if dst := field(r); strings.ReplaceAll(*dst, "\r\n", "\n") != v {
				*dst = v
			}
			return nil
		}}
}

// optTextCol is a text column whose empty cell means "none".
func optTextCol[T any](name string, field func(*T) **string) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string {
			if v := *field(r); v != nil {
				return escapeFormula(*v)
			}
			return ""
		},
		set: func(r *T, v string) error {
			if strings.TrimSpace(v) == "" {
				*field(r) = nil
				return nil
			}
			v = unescapeFormula(v)
			*field(r) = &v
			return nil
		}}
}

// amountCol is a money column; an empty cell is 0 unless required.
func amountCol[T any](name string, field func(*T) *money.Amount, required bool) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string { return field(r).String() },
		set: func(r *T, v string) error {
			if strings.TrimSpace(v) == "" {
				if required {
					return apperr.Required()
				}
				*field(r) = 0
				return nil
			}
			a, err := money.Parse(decimalText(v))
			*field(r) = a
			return err
		}}
}

// optAmountCol is a money column whose empty cell means "none".
func optAmountCol[T any](name string, field func(*T) **money.Amount) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string {
			if a := *field(r); a != nil {
				return a.String()
			}
			return ""
		},
		set: func(r *T, v string) error {
			if strings.TrimSpace(v) == "" {
				*field(r) = nil
				return nil
			}
			a, err := money.Parse(decimalText(v))
			*field(r) = &a
			return err
		}}
}

// intCol is a whole-number column; an empty cell takes empty, the value a
// new record gets.
func intCol[T any, N int | int64](name string, field func(*T) *N, empty N) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string { return strconv.FormatInt(int64(*field(r)), 10) },
		set: func(r *T, v string) error {
			if strings.TrimSpace(v) == "" {
				*field(r) = empty
				return nil
			}
			n, err := parseInt(v)
			*field(r) = N(n)
			return err
		}}
}

// optIntCol is a whole-number column whose empty cell means "none".
func optIntCol[T any, N int | int64](name string, field func(*T) **N) csvColumn[T] {
	return csvColumn[T]{name: name,
		get: func(r *T) string {
			if n := *field(r); n != nil {
				return strconv.FormatInt(int64(*n), 10)
			}
			return ""
		},
		set: func(r *T, v string) error {
			if strings.TrimSpace(v) == "" {
				*field(r) = nil
				return nil
			}
			n, err := parseInt(v)
			nn := N(n)
			*field(r) = &nn
			return err
		}}
}

// boolCol is a yes/no column; an empty cell is false.
func boolCol[T any](name string, field func(*T) *bool) csvColumn[T] {
	return csvColumn[T]{name: name, words: germanYesNo,
		get: func(r *T) string { return strconv.FormatBool(*field(r)) },
		set: func(r *T, v string) error {
			b, err := parseBool(v)
			*field(r) = b
			return err
		}}
}

// keyCol is a column that identifies the record; the import reads it
// before it knows which record a row is about.
func keyCol[T any](name string, get func(*T) string) csvColumn[T] {
	return csvColumn[T]{name: name, get: get}
}

func parseInt(v string) (int64, error) {
	n, err := strconv.ParseInt(wholeText(v), 10, 64)
	if err != nil {
		return 0, apperr.WrongType("integer").Because("must be a whole number such as 24")
	}
	return n, nil
}

// parseBool reads the ways people write yes and no in a spreadsheet
// (German Excel writes WAHR and FALSCH).
func parseBool(v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "true", "1", "yes", "ja", "wahr":
		return true, nil
	case "false", "0", "no", "nein", "falsch", "":
		return false, nil
	}
	return false, apperr.WrongType("boolean").Because("must be true or false (also 1/0, yes/no, ja/nein)")
}

// A spreadsheet runs a cell that starts with one of these as a formula, so
// an exported name like "=HYPERLINK(...)" could act when the file is opened.
// The export puts an apostrophe before such text (spreadsheets show the rest
// as text) and the import takes it off again; text already starting with
// apostrophes before such a character gets one more, so every value comes
// back as it was.
const formulaStarts = "=+-@\t\r"

func looksLikeFormula(s string) bool {
	t := strings.TrimLeft(s, "'")
	return t != "" && strings.IndexByte(formulaStarts, t[0]) >= 0
}

// EscapeFormula is escapeFormula for the exports of other packages (the
// stock ledger's journal).
func EscapeFormula(s string) string { return escapeFormula(s) }

func escapeFormula(s string) string {
	if looksLikeFormula(s) {
		return "'" + s
	}
	return s
}

func unescapeFormula(s string) string {
	if strings.HasPrefix(s, "'") && looksLikeFormula(s) {
		return s[1:]
	}
	return s
}

// --- export

// writeCSV writes the header and then one row per record each yields, in
// dialect d.
func writeCSV[T any](w io.Writer, d CSVDialect, cols []csvColumn[T], each func(row func(*T) error) error) error {
	cw := NewCSVWriter(w, d)
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.name
	}
	rec = d.Header(rec, germanColumnLabels)
	if err := cw.Write(rec); err != nil {
		return err
	}
	err := each(func(v *T) error {
		for i, c := range cols {
			rec[i] = c.cell(c.get(v), d)
		}
		return cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// --- import

// importProblems collects the problems of one file, at most one per line
// and column: the first found is the one to fix.
type importProblems struct {
	list []ImportProblem
	seen map[problemAt]bool
}

type problemAt struct {
	line   int
	column string
}

func (p *importProblems) add(line int, column string, e apperr.FieldError) {
	if p.seen == nil {
		p.seen = map[problemAt]bool{}
	}
	k := problemAt{line, column}
	if p.seen[k] {
		return
	}
	p.seen[k] = true
	p.list = append(p.list, ImportProblem{Line: line, Column: column, Code: e.Code, Message: e.Message, Params: e.Params})
}

func (p *importProblems) any() bool { return len(p.list) > 0 }

// addError records a validation error or a unique clash as problems of line,
// naming the columns of the fields through column. Other errors are returned.
func (p *importProblems) addError(line int, err error, column func(field string) string) error {
	e, ok := apperr.As(err)
	if !ok || (e.Code != apperr.CodeValidation && e.Code != apperr.CodeConflict) {
		return err
	}
	if len(e.Fields) == 0 {
		// A refusal the store could not pin on a field: the row as a whole.
		whole := apperr.Taken()
		if e.Code == apperr.CodeValidation {
			whole = apperr.InvalidFormat()
		}
		p.add(line, "", whole.Because(e.Message))
		return nil
	}
	fields := make([]string, 0, len(e.Fields))
	for f := range e.Fields {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	for _, f := range fields {
		p.add(line, column(f), e.Fields[f])
	}
	return nil
}

// report finishes rep: problems in file order, counts cleared when nothing
// was written because of them.
func (p *importProblems) report(rep ImportReport, f *csvFile) ImportReport {
	rep.Problems = []ImportProblem{}
	if !p.any() {
		return rep
	}
	rep.Created, rep.Updated, rep.Unchanged = 0, 0, 0
	pos := func(column string) int {
		if column == "" {
			return -1 // the whole line first
		}
		if i, ok := f.present[column]; ok {
			return i
		}
		return len(f.present) // a column the file lacks, after the others
	}
	slices.SortStableFunc(p.list, func(a, b ImportProblem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return pos(a.Column) - pos(b.Column)
	})
	for i := range p.list {
		// Only a heading that says more than the name: the api's column
		// names are what an English file's header has.
		if h := f.heading(p.list[i].Column); !strings.EqualFold(h, p.list[i].Column) {
			p.list[i].Heading = h
		}
	}
	if n := len(p.list); n > maxReportedProblems {
		rest := p.list[maxReportedProblems]
		more := apperr.FieldError{Code: apperr.FieldMoreProblems,
			Message: fmt.Sprintf("%d more problems from this line on are not listed; fix these and try again.", n-maxReportedProblems)}
		rep.Problems = append(p.list[:maxReportedProblems:maxReportedProblems], ImportProblem{Line: rest.Line,
			Code: more.Code, Message: more.Message, Params: more.With("count", n-maxReportedProblems).Params})
		return rep
	}
	rep.Problems = p.list
	return rep
}

// csvFile is an import file as read: which column each file column is,
// and the rows.
type csvFile struct {
	columns []int             // per file column, the index of its csvColumn
	present map[string]int    // column name → position in the file
	written map[string]string // column name → its header cell as written
	german  bool              // the header names its columns by German labels
	rows    []csvRow
}

// heading names column as the file's reader knows it: as the header wrote
// it, else (a column the file lacks) in the file's language; a heading that
// is no column's name (an unknown column) stays as it is.
func (f *csvFile) heading(column string) string {
	if w, ok := f.written[column]; ok {
		return w
	}
	if l, ok := germanColumnLabels[column]; ok && f.german {
		return l
	}
	return column
}

type csvRow struct {
	line  int      // where the row starts
	cells []string // one per file column
	bad   bool     // unusable: wrong number of cells, or a cell that is not text (textcheck)
}

func (f *csvFile) has(column string) bool {
	_, ok := f.present[column]
	return ok
}

// cell returns the row's cell of column, "" when the file lacks the column.
func (f *csvFile) cell(r csvRow, column string) string {
	if i, ok := f.present[column]; ok {
		return r.cells[i]
	}
	return ""
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV reads the header and every row of r, checking what can be checked
// without the database. ok is false when the rows cannot be used at all (a
// bad header, broken CSV, too many rows); then p says why. Errors are those
// of reading r.
func readCSV[T any](r io.Reader, cols []csvColumn[T], p *importProblems) (f *csvFile, ok bool, err error) {
	f = &csvFile{present: map[string]int{}, written: map[string]string{}}
	br := bufio.NewReaderSize(r, headerLineLimit) // room to see the whole header line (detectSeparator)
	if b, err := br.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = br.Discard(len(utf8BOM))
	}
	cr := csv.NewReader(br)
	cr.Comma = detectSeparator(br)
	cr.FieldsPerRecord = -1 // a row of the wrong length is reported with its line, not as broken CSV
	// Hand-written files put spaces after commas, also before quoted cells;
	// the fields are trimmed anyway.
	cr.TrimLeadingSpace = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		p.add(1, "", apperr.FieldError{Code: apperr.FieldEmptyFile, Message: "The file is empty; its first line must name the columns."})
		return f, false, nil
	}
	if err != nil {
		return f, false, csvError(err, p)
	}
	// A column is named by its name or its German label.
	index := make(map[string]int, 2*len(cols))
	for i, c := range cols {
		index[c.name] = i
		if l, ok := germanColumnLabels[c.name]; ok {
			index[strings.ToLower(l)] = i
		}
	}
	f.german = germanHeader(header, cols)
	f.columns = make([]int, len(header))
	for i, h := range header {
		name := strings.ToLower(strings.TrimSpace(h))
		ci, known := index[name]
		if known {
			name = cols[ci].name
		}
		switch problem := textcheck.Check(h, false); {
		case problem != textcheck.OK:
			e := cellTextProblem(problem)
			p.add(1, "", e.Because(fmt.Sprintf("The name of column %d %s.", i+1, e.Message)).With("column", i+1))
		case name == "":
			p.add(1, "", apperr.FieldError{Code: apperr.FieldUnnamedColumn, Message: fmt.Sprintf("Column %d has no name.", i+1)}.With("column", i+1))
		case !known:
			allowed := columnNames(cols, f.german)
			p.add(1, strings.TrimSpace(h), apperr.FieldError{Code: apperr.FieldUnknownColumn,
				Message: "is not a column of this file; the columns are: " + allowed}.With("allowed", allowed))
		case f.has(name):
			p.add(1, name, apperr.FieldError{Code: apperr.FieldDuplicateColumn, Message: "appears twice"})
		default:
			f.columns[i], f.present[name], f.written[name] = ci, i, strings.TrimSpace(h)
		}
	}
	for _, c := range cols {
		if c.required && !f.has(c.name) {
			p.add(1, c.name, missingColumn("is required: add this column"))
		}
	}
	if p.any() {
		return f, false, nil
	}

	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return f, true, nil
		}
		if err != nil {
			return f, false, csvError(err, p)
		}
		line, _ := cr.FieldPos(0)
		if blank(rec) {
			continue // spreadsheets like to end a file with rows of empty cells
		}
		if len(f.rows) == MaxImportRows {
			p.add(line, "", apperr.FieldError{Code: apperr.FieldTooManyRows,
				Message: fmt.Sprintf("The file has more than %d rows; split it into files of at most %d rows.", MaxImportRows, MaxImportRows)}.
				With("max", MaxImportRows))
			return f, false, nil
		}
		row := csvRow{line: line, cells: rec}
		if len(rec) != len(header) {
			p.add(line, "", apperr.FieldError{Code: apperr.FieldCellCount,
				Message: fmt.Sprintf("This line has %d cells but the header has %d.", len(rec), len(header))}.
				With("cells", len(rec)).With("expected", len(header)))
			row.bad = true
		} else {
			for i, c := range rec {
				if problem := textcheck.Check(c, true); problem != textcheck.OK {
					p.add(line, cols[f.columns[i]].name, cellTextProblem(problem))
					row.bad = true
				}
			}
		}
		f.rows = append(f.rows, row)
	}
}

// cellTextProblem is the message for a cell (or column name) that is not
// acceptable text (package textcheck: the same rule as for every text of a
// request). A file that is not UTF-8 was most likely saved by a
// spreadsheet in its own encoding, so that message says what to do.
func cellTextProblem(problem textcheck.Problem) apperr.FieldError {
	e, _ := problem.FieldError()
	if problem == textcheck.InvalidUTF8 {
		return e.Because(e.Message + "; save the file as UTF-8 (in Excel: CSV UTF-8)")
	}
	return e
}

// csvError reports broken CSV as a problem at its line; other errors come
// from reading the request and are returned.
func csvError(err error, p *importProblems) error {
	var pe *csv.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	// The row's first line: an unclosed quote is noticed lines later.
	p.add(pe.StartLine, "", apperr.FieldError{Code: apperr.FieldInvalidCSV,
		Message: fmt.Sprintf("The row starting here is not valid CSV (line %d, character %d: %v). Quote cells that contain commas, quotes or line breaks, and double the quotes inside them.",
			pe.Line, pe.Column, pe.Err)}.With("line", pe.Line).With("column", pe.Column))
	return nil
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// applyRow sets the fields of dst from the row's cells, key columns aside.
func applyRow[T any](cols []csvColumn[T], f *csvFile, row csvRow, dst *T, p *importProblems) {
	for i, ci := range f.columns {
		c := cols[ci]
		if c.set == nil {
			continue
		}
		if err := c.set(dst, c.code(row.cells[i])); err != nil {
			p.add(row.line, c.name, apperr.AsField(err))
		}
	}
}

// importPlan is what one valid row does: create a record (before nil) or
// bring a stored one to after.
type importPlan[R, F any] struct {
	line   int
	before *R
	after  F
}

// savePlans writes the plans, in file order, and counts what they do; a row
// equal to its stored record writes nothing. skipCreates counts creations
// without writing them (see ImportCustomers). A unique clash becomes a
// problem of its row and stops the writing: the transaction is lost.
func savePlans[R, F any](ctx context.Context, plans []importPlan[R, F], fields func(*R) F,
	save func(context.Context, []ImportWrite[R, F]) (int, error), skipCreates bool,
	rep *ImportReport, p *importProblems, column func(string) string,
) error {
	writes := make([]ImportWrite[R, F], 0, len(plans))
	lines := make([]int, 0, len(plans))
	for _, pl := range plans {
		switch {
		case pl.before != nil && reflect.DeepEqual(fields(pl.before), pl.after):
			rep.Unchanged++
			continue
		case pl.before != nil:
			rep.Updated++
		default:
			rep.Created++
			if skipCreates {
				continue
			}
		}
		writes = append(writes, ImportWrite[R, F]{Before: pl.before, After: pl.after})
		lines = append(lines, pl.line)
	}
	if len(writes) == 0 {
		return nil
	}
	failed, err := save(ctx, writes)
	if err != nil && failed >= 0 && failed < len(lines) {
		return p.addError(lines[failed], err, column)
	}
	return err
}

func missingColumn(message string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldMissingColumn, Message: message}
}

// duplicateOf is the problem of a row that repeats the key of an earlier line.
func duplicateOf(line int, message string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldDuplicate, Message: message}.With("line", line)
}

// sameAs is the problem of a row that means the record an earlier line does.
func sameAs(line int, message string) apperr.FieldError {
	return apperr.FieldError{Code: apperr.FieldSame, Message: message}.With("line", line)
}

// keyTracker notices two rows meaning the same record.
type keyTracker[K comparable] map[K]int

// seen records key for line and reports the earlier line with the same key.
func (k keyTracker[K]) seen(key K, line int) (int, bool) {
	if first, ok := k[key]; ok {
		return first, true
	}
	k[key] = line
	return 0, false
}

// uniqueStrings returns ss without repeats, in first-seen order.
func uniqueStrings(ss []string) []string {
	seen := make(map[string]bool, len(ss))
	out := ss[:0:0]
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
