package views

import (
	"strings"
	"testing"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

func sampleCatalogueList() CatalogueListView {
	return CatalogueListView{
		Kind: "locations", Title: "Locations", Lead: "Tree.", NewHref: "/locations/new", NewLabel: "New location",
		Filter: CatFilter{Action: "/locations", Archived: "all",
			Selects: []CatSelectFilter{{Name: "parent_id", Label: "Inside", Value: "0",
				Options: []Option{{Value: "", Label: "Anywhere"}, {Value: "0", Label: "Top level"}}}}},
		Columns: []CatColumn{{Label: "Code"}, {Label: "Name"}, {Label: "Path"}},
		Rows: []CatalogueRow{
			{TestID: "location-1", Cells: []CatCell{{Text: "WH1", Href: "/locations/1"}, {Text: "Main"}, {Text: "WH1"}},
				ExtraHref: "/locations?parent_id=1", ExtraLabel: "Contents"},
			{TestID: "location-2", Archived: true, Cells: []CatCell{{Text: "A", Href: "/locations/2"}, {Text: "Aisle"}, {Text: "WH1 › A"}}},
		},
		Crumbs: []CatCrumb{{Label: "Top level", Href: "/locations?parent_id=0"}, {Label: "WH1"}},
		Pager:  Pager{Total: 2, Counted: true},
	}
}

func TestCatalogueListComponent(t *testing.T) {
	p := signedInPage(i18n.English, NavLocations, "manager")
	doc := renderDoc(t, CatalogueList(p, sampleCatalogueList()))
	if got := text(doc, "location-1"); got != "WH1 Main WH1 Contents" {
		t.Errorf("row 1 = %q", got)
	}
	if attr(doc, byTestID("location-1")+" a", "href") != "/locations/1" {
		t.Errorf("row links to the record")
	}
	if doc.Find(byTestID("location-2")+" "+byTestID("archived-tag")).Length() != 1 {
		t.Errorf("archived row without tag")
	}
	if got := doc.Find(byTestID("crumbs") + " li").Length(); got != 2 || text(doc, "crumbs") != "Top levelWH1" {
		t.Errorf("crumbs: %d steps, %q", got, text(doc, "crumbs"))
	}
	if _, ok := doc.Find(`#filter-archived option[value="all"]`).Attr("selected"); !ok {
		t.Errorf("archived filter keeps its value")
	}
	if _, ok := doc.Find(`#filter-parent_id option[value="0"]`).Attr("selected"); !ok {
		t.Errorf("parent filter keeps its value")
	}
	if doc.Find(byTestID("import-link")).Length()+doc.Find(byTestID("export-link")).Length() != 0 {
		t.Errorf("import/export shown without links")
	}
	if text(doc, "pager-count") != "2 results" {
		t.Errorf("count = %q", text(doc, "pager-count"))
	}

	v := sampleCatalogueList()
	v.Rows, v.NewHref = nil, ""
	p = signedInPage(i18n.German, NavLocations, "viewer")
	doc = renderDoc(t, CatalogueList(p, v))
	if !strings.HasPrefix(text(doc, "no-records"), "Nichts gefunden") || doc.Find(byTestID("new-record")).Length() != 0 {
		t.Errorf("German empty list: %q", text(doc, "no-records"))
	}
	if got := doc.Find(`label[for="filter-archived"]`).Text(); got != "Datensätze" {
		t.Errorf("German filter label = %q", got)
	}
}

func sampleSections() []CatSection {
	return []CatSection{
		{Legend: "Basics", Fields: []FieldSpec{
			{Form: "category", Name: "name", Label: "Name", Required: true, MaxLength: 100},
			{Form: "category", Name: "description", Label: "Description", Type: CatTextarea},
		}},
	}
}

func TestCatalogueFormComponent(t *testing.T) {
	p := signedInPage(i18n.English, NavCategories, "manager")
	create := CatalogueFormView{Kind: "categories", Title: "New category", Action: "/categories", Create: true,
		Form:     Form{Values: map[string]string{"description": "<b>x</b>"}, IdempotencyKey: "k1", Errors: map[string]string{"name": "This field is required."}, Error: "Please check"},
		Sections: sampleSections(), Submit: "Create", BackHref: "/categories"}
	doc := renderDoc(t, CatalogueForm(p, create))
	if attr(doc, `input[name="_idempotency_key"]`, "value") != "k1" || doc.Find(byTestID("record-actions")).Length() != 0 {
		t.Errorf("create form: key, no actions")
	}
	if doc.Find("#category-description").Text() != "<b>x</b>" {
		t.Errorf("textarea value = %q", doc.Find("#category-description").Text())
	}
	if text(doc, "error-category-name") != "This field is required." || text(doc, "categories-error") != "Please check" {
		t.Errorf("errors not shown")
	}

	edit := CatalogueFormView{Kind: "categories", Title: "Beer", Action: "/categories/5", Version: `"2"`,
		Form: Form{Values: map[string]string{"name": "Beer"}}, Sections: sampleSections(), Submit: "Save", BackHref: "/categories",
		Facts:  []CatFact{{Label: "Created", Value: "01.05.2025 10:00", TestID: "fact-created"}},
		Record: &CatActions{Base: "/categories/5", Name: "Beer", Version: `"2"`, Archived: true, CanWrite: true, CanDelete: true}}
	doc = renderDoc(t, CatalogueForm(p, edit))
	if attr(doc, byTestID("version"), "value") != `"2"` || text(doc, "fact-created") != "01.05.2025 10:00" {
		t.Errorf("edit: version or facts missing")
	}
	if doc.Find(byTestID("restore")).Length() != 1 || doc.Find(byTestID("archive")).Length() != 0 {
		t.Errorf("an archived record offers restore, not archive")
	}
	if attr(doc, `form[action="/categories/5/delete"] input[name="name"]`, "value") != "Beer" {
		t.Errorf("delete form carries the name")
	}
	if !strings.Contains(doc.Find(".confirm__panel p").Text(), "Delete Beer for good?") {
		t.Errorf("delete asks first: %q", doc.Find(".confirm__panel p").Text())
	}

	edit.ReadOnly, edit.Record.CanWrite, edit.Record.CanDelete = true, false, false
	p = signedInPage(i18n.German, NavCategories, "viewer")
	doc = renderDoc(t, CatalogueForm(p, edit))
	if doc.Find(byTestID("categories-form")).Length()+doc.Find(byTestID("record-actions")).Length() != 0 {
		t.Errorf("read-only page has a form or actions")
	}
	if text(doc, "back-to-list") != "Zurück zur Liste" {
		t.Errorf("German back link = %q", text(doc, "back-to-list"))
	}
}

func TestImportComponent(t *testing.T) {
	p := signedInPage(i18n.English, NavItems, "manager")
	base := CatImportView{Kind: "items", KindLabel: "Items", Action: "/import/items", BackHref: "/items"}

	doc := renderDoc(t, CatImportPage(p, base))
	if attr(doc, byTestID("import-form"), "enctype") != "multipart/form-data" || doc.Find(byTestID("import-result")).Length() != 0 {
		t.Errorf("upload form")
	}
	if doc.Find(`label[for="import-file"]`).Length() != 1 {
		t.Errorf("file field without label")
	}

	v := base
	v.Checked, v.FileName = true, "items.csv"
	v.Problems = []CatImportProblem{{Line: 2, Column: "sku", Message: "This field is required."}, {Line: 5, Message: "Bad line"}}
	doc = renderDoc(t, CatImportPage(p, v))
	if got := text(doc, "import-problems-count"); !strings.HasPrefix(got, "2 problems found") {
		t.Errorf("count = %q", got)
	}
	if got := doc.Find(byTestID("problem-2") + " td").Eq(1).Text(); got != "whole line" {
		t.Errorf("problem without column = %q", got)
	}
	if doc.Find(byTestID("import-write")).Length() != 0 {
		t.Errorf("problems but an import button")
	}

	v.Problems, v.Summary, v.Carry = nil, "2 rows: 2 new.", "c2t1LG5hbWUK"
	doc = renderDoc(t, CatImportPage(p, v))
	if attr(doc, `input[name="carry"]`, "value") != "c2t1LG5hbWUK" || doc.Find(byTestID("import-write")).Length() != 1 {
		t.Errorf("ready: carried file and import button")
	}
	if !strings.Contains(text(doc, "import-ready"), "2 rows: 2 new.") {
		t.Errorf("summary = %q", text(doc, "import-ready"))
	}
	v.Carry = ""
	doc = renderDoc(t, CatImportPage(p, v))
	if doc.Find(`#import-write-file`).Length() != 1 {
		t.Errorf("a file too large to carry is chosen again")
	}

	// Refused for the role: the explanation and the columns, no import
	// button, the upload form below; the note above.
	v = base
	v.Checked, v.FileName, v.Note = true, "kunden.csv", "No credit limits."
	v.Refused = "Line 3 changes one."
	v.Refusals = []CatImportProblem{{Column: "credit_limit", Message: "Not for your role."}}
	doc = renderDoc(t, CatImportPage(p, v))
	if doc.Find(byTestID("import-refused")).AttrOr("role", "") != "alert" || text(doc, "import-refused-reason") != "Line 3 changes one." {
		t.Errorf("refusal = %q", text(doc, "import-refused"))
	}
	if got := doc.Find(byTestID("refusal-credit_limit") + " td").Last().Text(); got != "Not for your role." {
		t.Errorf("refused column = %q", got)
	}
	if doc.Find(byTestID("import-write")).Length() != 0 || doc.Find(byTestID("import-form")).Length() != 1 ||
		text(doc, "import-note") != "No credit limits." {
		t.Errorf("refused: no import button, the upload form again, the note")
	}

	v = base
	v.KindLabel = "Artikel"
	v.Form = Form{Errors: map[string]string{"file": "Choose a CSV file."}}
	p = signedInPage(i18n.German, NavItems, "manager")
	doc = renderDoc(t, CatImportPage(p, v))
	if text(doc, "error-import-file") != "Choose a CSV file." || attr(doc, "#import-file", "aria-invalid") != "true" {
		t.Errorf("file error")
	}
	if got := doc.Find("h1").Text(); got != "Artikel aus CSV importieren" {
		t.Errorf("German title = %q", got)
	}
}
