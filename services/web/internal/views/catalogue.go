package views

import "strconv"

// The master data pages (categories, suppliers, customers, locations) share
// one list, one form and one import page; the handlers describe each kind's
// columns and fields. The item pages use the list filter, the record
// actions and the form sections too.

// CatFilter is the search, filter and sort form of a list (a GET form, so
// the list's URL is bookmarkable).
type CatFilter struct {
	Action   string // the list's path, e.g. /categories
	Q        string
	Archived string // "", "true" or "all"
	Sort     string
	Sorts    []Option
	// Selects are further filters (a category, a parent location).
	Selects []CatSelectFilter
	// Checks are further yes/no filters (low stock).
	Checks []CatCheckFilter
}

// CatSelectFilter is one select of a list filter.
type CatSelectFilter struct {
	Name, Label, Value string
	Options            []Option
}

// CatCheckFilter is one checkbox of a list filter; its value is "1".
type CatCheckFilter struct {
	Name, Label string
	Checked     bool
}

// CatCell is one cell of a list row.
type CatCell struct {
	Text   string
	Href   string // the cell links to the record when set
	Number bool   // right-aligned figures
	Mono   bool
}

// CatalogueRow is one record of a list.
type CatalogueRow struct {
	TestID   string // e.g. category-5
	Cells    []CatCell
	Archived bool
	// Extra is a further link shown after the cells (a location's
	// contents).
	ExtraHref, ExtraLabel string
}

// CatalogueListView is a master data list page.
type CatalogueListView struct {
	Kind  string // categories, suppliers, customers, locations
	Title string
	Lead  string
	// NewHref is the create form; "" when the role may not create.
	NewHref  string
	NewLabel string
	// ImportHref and ExportHref: "" when the kind has none or the role may
	// not.
	ImportHref string
	ExportHref string
	Filter     CatFilter
	Columns    []CatColumn
	Rows       []CatalogueRow
	Pager      Pager
	// Crumbs is the path of the parent being listed (locations).
	Crumbs []CatCrumb
}

// CatColumn is a list column's heading.
type CatColumn struct {
	Label  string
	Number bool
}

// CatCrumb is one step of a path.
type CatCrumb struct {
	Label, Href string
}

// CatSection is a group of fields with a legend.
type CatSection struct {
	Legend string
	Hint   string
	Fields []FieldSpec
}

// Field types beyond the <input> types: a <textarea> and a checkbox (value
// "1" when checked).
const (
	CatTextarea = "textarea"
	CatCheckbox = "checkbox"
)

// CatActions are the archive, restore and delete buttons of a record.
type CatActions struct {
	Base     string // the record's path, e.g. /categories/5
	Name     string
	Version  string // ETag sent as If-Match
	Archived bool
	// CanWrite: the role may archive and restore; CanDelete: and delete.
	CanWrite  bool
	CanDelete bool
}

// CatFact is one labelled value shown about a record.
type CatFact struct {
	Label, Value string
	TestID       string
}

// CatalogueFormView is the create form of a kind, or a record's page with
// its edit form (when Record is set).
type CatalogueFormView struct {
	Kind     string
	Title    string
	Action   string // where the form posts
	Create   bool
	Form     Form
	Version  string // the record's ETag (edits)
	Sections []CatSection
	Submit   string
	BackHref string
	// ReadOnly: the role may read but not change the record; the values
	// are shown as facts instead of a form.
	ReadOnly bool
	Facts    []CatFact
	Record   *CatActions
	// Links lead from the record to what belongs to it (a location's
	// contents, its sub-locations, its count sheet).
	Links []CatLink
	// Sales is a customer's deposit account and recent orders; nil for
	// other kinds.
	Sales *CustomerSalesView
}

// CatLink is a link from a record's page.
type CatLink struct {
	Label, Href, TestID string
}

// CatImportView is the CSV import page of items, customers or suppliers.
type CatImportView struct {
	Kind      string // items, customers, suppliers
	KindLabel string
	Action    string // /import/<kind>
	BackHref  string
	Form      Form // Errors["file"] for a missing or unusable file
	// Checked: the file went through the api's dry run; Report is its
	// answer.
	Checked  bool
	Problems []CatImportProblem
	Summary  string
	FileName string
	// Carry is the checked file, base64, carried to the "import now"
	// form; "" when it was too large to carry (choose it again).
	Carry string
	// Refused is the api's explanation of why the person's role may not
	// import the file (a 403), translated; Refusals are the columns it
	// names, each with why (Line unused). The upload form stays below.
	Refused  string
	Refusals []CatImportProblem
	// Note says what the person's role may not change in such a file ("":
	// every column).
	Note string
}

// CatImportProblem is one line of the api's error report.
type CatImportProblem struct {
	Line    int
	Column  string // the api's name of the column (test ids)
	Heading string // the column as the file names it; shown when set
	Message string
}

// Shown is the column as the page names it: its heading, else its name.
func (pr CatImportProblem) Shown() string {
	if pr.Heading != "" {
		return pr.Heading
	}
	return pr.Column
}

func catItoa(n int) string { return strconv.Itoa(n) }
