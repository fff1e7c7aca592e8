package handlers

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"testing"
)

// A 403 of the api for part of what a person asks — a clerk's customer
// file with credit limits, a credit limit their role lost meanwhile — is
// explained where the person is, in their language, with their upload or
// values kept; never the bare "not permitted" page.

const customersWithLimits = "number,name,billing_postal_code,billing_town,credit_limit\n,Krone,8001,Zürich,\n,Adler,8001,Zürich,5000\n"

// A refused column is named as the uploaded file's header names it.
func TestFileHeading(t *testing.T) {
	for file, want := range map[string]string{
		"number,name,credit_limit\n,Krone,5\n":       "credit_limit",
		"\uFEFFNummer;Name;KREDITLIMITE\n;Krone;5\n": "KREDITLIMITE",
		"\"Nummer\";\"Kreditlimite\"\n;5\n":          "Kreditlimite",
		"":                                           "credit_limit",
	} {
		if got := fileHeading([]byte(file), "credit_limit"); got != want {
			t.Errorf("%q: %q, want %q", file, got, want)
		}
	}
}

func TestImportRefusedForTheRole(t *testing.T) {
	for _, tc := range []struct {
		lang                       string
		note, refused, reason, col string
	}{
		{"en",
			"Your role may not set credit limits: keep the credit_limit column as exported, or leave it out. All other columns are imported.",
			"Your role may not import this file as it is. Nothing was written.",
			"Line 3 changes a credit limit, which your role may not set. Keep the credit_limit cells as exported, or remove the column.",
			"Your role may not set credit limits."},
		{"de",
			"Ihre Rolle darf keine Kreditlimiten setzen: Lassen Sie die Spalte «Kreditlimite» wie exportiert, oder lassen Sie sie weg. Alle anderen Spalten werden importiert.",
			"Ihre Rolle darf diese Datei so nicht importieren. Es wurde nichts gespeichert.",
			"Zeile 3 ändert eine Kreditlimite, die Ihre Rolle nicht setzen darf. Lassen Sie die Zellen der Spalte «Kreditlimite» wie exportiert, oder entfernen Sie die Spalte.",
			"Ihre Rolle darf keine Kreditlimiten setzen."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			api, b := startCatalogue(t, "clerk")
			if tc.lang == "de" {
				b.german()
			}
			// The page says beforehand what the role may not import.
			r := b.get("/import/customers")
			if r.status != http.StatusOK || r.text("import-note") != tc.note {
				t.Fatalf("import page = %d, note %q", r.status, r.text("import-note"))
			}
			// The check: the api refuses the file for the role.
			r = b.postFile("/import/customers", map[string]string{"step": "check"}, customersWithLimits)
			if r.status != http.StatusForbidden {
				t.Fatalf("check = %d\n%s", r.status, r.body)
			}
			if got := r.doc.Find(`[data-testid="import-refused"] .form-error`).Text(); got != tc.refused {
				t.Errorf("refusal = %q", got)
			}
			if got := r.text("import-refused-reason"); got != tc.reason {
				t.Errorf("reason = %q", got)
			}
			if got := r.doc.Find(`[data-testid="refusal-credit_limit"] td`).Last().Text(); got != tc.col {
				t.Errorf("column = %q", got)
			}
			// The column is named as the file names it (an English file's header here).
			if got := r.doc.Find(`[data-testid="refusal-credit_limit"] td`).First().Text(); got != "credit_limit" {
				t.Errorf("column heading = %q", got)
			}
			if !r.has("import-form") || !r.has("import-note") || r.text("import-result") == "" ||
				!r.has("nav-customers") || r.doc.Find("h1").Text() == "Not permitted" {
				t.Errorf("not the import page with the upload offered again:\n%s", r.body)
			}
			if got := r.doc.Find(`[data-testid="import-result"] h2 .break`).Text(); got != "items.csv" {
				t.Errorf("file name = %q", got)
			}
			// The second step too (a file carried from a check made
			// before the role changed).
			r = b.postFile("/import/customers", map[string]string{"step": "write", "filename": "kunden.csv",
				"carry": base64.StdEncoding.EncodeToString([]byte(customersWithLimits))}, "")
			if r.status != http.StatusForbidden || r.text("import-refused-reason") != tc.reason || !r.has("import-form") {
				t.Errorf("write = %d %q", r.status, r.text("import-refused-reason"))
			}
			if n := len(api.importsDone()); n != 2 {
				t.Errorf("api imports = %d, want the check and the write", n)
			}
		})
	}

	// The same file without credit limits goes through for the clerk; a
	// manager's page has no note and may import the limits.
	_, b := startCatalogue(t, "clerk")
	r := b.postFile("/import/customers", map[string]string{"step": "check"}, "number,name,billing_postal_code,billing_town\n,Krone,8001,Zürich\n")
	if r.status != http.StatusOK || !r.has("import-ready") {
		t.Errorf("clerk without limits = %d", r.status)
	}
	_, b = startCatalogue(t, "manager")
	if r := b.get("/import/customers"); r.has("import-note") {
		t.Errorf("a manager is told they may not set credit limits")
	}
	r = b.postFile("/import/customers", map[string]string{"step": "check"}, customersWithLimits)
	if r.status != http.StatusOK || !r.has("import-ready") {
		t.Errorf("manager = %d", r.status)
	}
}

// TestFormRefusedForTheRole: the customer form of a person whose role lost
// the price permission since the web last heard (the form still offers the
// credit limit) comes back with the api's explanation beside the field and
// above the form, the typed values kept.
func TestFormRefusedForTheRole(t *testing.T) {
	for _, tc := range []struct{ lang, form, field string }{
		{"en", "Your role may not set the marked values: change or clear them, then save again.", "Your role may not set credit limits."},
		{"de", "Die markierten Werte darf Ihre Rolle nicht setzen: ändern oder leeren Sie sie und speichern Sie erneut.", "Ihre Rolle darf keine Kreditlimiten setzen."},
	} {
		t.Run(tc.lang, func(t *testing.T) {
			api, b := startCatalogue(t, "manager")
			if tc.lang == "de" {
				b.german()
			}
			id := api.add("customers", map[string]any{"name": "Bar Sonne"})
			path := idPath("/customers/", id)
			api.mu.Lock()
			api.denyPrices = true
			api.mu.Unlock()
			edit := form("name", "Bar Sonne AG", "payment_terms_days", "30", "currency", "CHF", "credit_limit", "500",
				"billing_address.postal_code", "3000", "billing_address.town", "Bern")
			edit.Set("version", attrOf(b.get(path).doc, "version", "value"))
			r := b.post(path, edit)
			if r.status != http.StatusForbidden {
				t.Fatalf("= %d\n%s", r.status, r.body)
			}
			if got := r.text("customers-error"); got != tc.form {
				t.Errorf("form error = %q", got)
			}
			if got := r.text("error-customer-credit_limit"); got != tc.field {
				t.Errorf("beside the field = %q", got)
			}
			if got, _ := r.doc.Find("#customer-name").Attr("value"); got != "Bar Sonne AG" {
				t.Errorf("typed name lost: %q", got)
			}
			// Without the credit limit the same form is saved.
			edit.Set("credit_limit", "")
			api.mu.Lock()
			api.denyPrices = false
			api.mu.Unlock()
			if r := b.post(path, edit); r.status != http.StatusSeeOther {
				t.Errorf("second try = %d", r.status)
			}
		})
	}
	// A create form refused as a whole (the role may no longer create
	// customers) stays a form too, with the general explanation.
	api, b := startCatalogue(t, "clerk")
	api.set(func(f *fakeAPI) { f.forbid["POST /api/v1/customers"] = true })
	r := b.post("/customers", url.Values{"name": {"Kiosk"}, "billing_address.postal_code": {"3000"},
		"billing_address.town": {"Bern"}, "payment_terms_days": {strconv.Itoa(30)}})
	if name, _ := r.doc.Find("#customer-name").Attr("value"); r.status != http.StatusForbidden ||
		r.text("customers-error") != "Your role does not allow this. If you need it, ask an administrator." || name != "Kiosk" {
		t.Errorf("whole refusal = %d %q", r.status, r.text("customers-error"))
	}
	b.german()
	r = b.post("/customers", url.Values{"name": {"Kiosk"}})
	if want := "Ihre Rolle erlaubt das nicht. Wenn Sie es brauchen, wenden Sie sich an eine Administratorin oder einen Administrator."; r.status != http.StatusForbidden || r.text("customers-error") != want {
		t.Errorf("whole refusal in German = %d %q", r.status, r.text("customers-error"))
	}
}

// TestPageReadRefusedStaysNotPermitted: a 403 for a page's read (a
// filter form's GET) is the "not permitted" page, not a filter error.
func TestPageReadRefusedStaysNotPermitted(t *testing.T) {
	api, b := startCatalogue(t, "manager")
	api.set(func(f *fakeAPI) { f.forbid["GET /api/v1/audit"] = true })
	r := b.get("/audit?entity=item")
	if r.status != http.StatusForbidden || r.doc.Find("h1").Text() != "Not permitted" {
		t.Errorf("= %d %q", r.status, r.doc.Find("h1").Text())
	}
}
