package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestClerkImportRefusedInTheBrowser: a clerk imports customers from a
// file with credit limits, which the api refuses for the role (403). The
// import page says beforehand that the role may not set credit limits;
// after the check it shows the api's explanation — which line, which
// column — in the clerk's language, and offers the upload again. The same
// file without the credit limits then imports.
func TestClerkImportRefusedInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	const clerkEmail, clerkPassword = "clerk.import@depot.example", "Lagerhalle-Sieben-42"
	resp, body := s.Do(t, "POST", s.URL("/api/v1/users"), strings.NewReader(`{"email":"`+clerkEmail+
		`","name":"Clara Clerk","role":"clerk","language":"de","password":"`+clerkPassword+`"}`),
		"Content-Type", "application/json", "Authorization", "Bearer "+apiToken(t, s, s.AdminEmail, s.AdminPassword),
		"Idempotency-Key", "clerk-import-1")
	if resp.StatusCode != 201 {
		t.Fatalf("create the clerk: %d %s", resp.StatusCode, body)
	}

	dir := t.TempDir()
	const header = "number,name,billing_street,billing_house_number,billing_postal_code,billing_town,billing_country,credit_limit\n"
	withLimit := filepath.Join(dir, "kunden.csv")
	withoutLimit := filepath.Join(dir, "kunden-ohne-limite.csv")
	if err := os.WriteFile(withLimit, []byte(header+",Gasthof Krone,,,8001,Zürich,CH,\n,Hotel Adler,,,3000,Bern,CH,5000\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(withoutLimit, []byte(header+",Gasthof Krone,,,8001,Zürich,CH,\n,Hotel Adler,,,3000,Bern,CH,\n"), 0o644); err != nil {
		t.Fatal(err)
	}

	b := NewBrowser(t, s)
	b.signIn(t, clerkEmail, clerkPassword)
	b.expectLang(t, "de")
	b.visit(t, "/import/customers", `[data-testid="import-form"]`)
	b.expectContains(t, `[data-testid="import-note"]`, "Ihre Rolle darf keine Kreditlimiten setzen")
	// check uploads file and waits for done, which the page before must
	// not have had.
	check := func(file, done string) {
		t.Helper()
		b.Run(t, "check "+filepath.Base(file),
			chromedp.SetUploadFiles(`#import-file`, []string{file}, chromedp.ByQuery),
			chromedp.Click(`[data-testid="import-check"]`, chromedp.ByQuery),
			chromedp.WaitVisible(done, chromedp.ByQuery),
		)
	}
	check(withLimit, `[data-testid="import-refused"]`)
	b.Screenshot(t, "refused-de")
	b.expectText(t, `[data-testid="import-refused-reason"]`,
		"Zeile 3 ändert eine Kreditlimite, die Ihre Rolle nicht setzen darf. Lassen Sie die Zellen der Spalte «Kreditlimite» wie exportiert, oder entfernen Sie die Spalte.")
	b.expectText(t, `[data-testid="refusal-credit_limit"]`,
		"credit_limit Ihre Rolle darf keine Kreditlimiten setzen.")
	b.expectContains(t, `[data-testid="import-result"] h2`, "kunden.csv")
	b.expectPresent(t, `[data-testid="import-form"] #import-file`)
	b.expectAbsent(t, `[data-testid="import-write"]`)

	// In English, the api's own words.
	b.Run(t, "switch to English",
		chromedp.Click(`[data-testid="language-en"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`html[lang="en"] [data-testid="import-form"]`, chromedp.ByQuery),
	)
	check(withLimit, `[data-testid="import-refused"]`)
	b.Screenshot(t, "refused-en")
	b.expectText(t, `[data-testid="import-refused-reason"]`,
		"Line 3 changes a credit limit, which your role may not set. Keep the credit_limit cells as exported, or remove the column.")
	b.expectText(t, `[data-testid="refusal-credit_limit"]`,
		"credit_limit Your role may not set credit limits.")

	// The corrected file, offered on the same page, goes through.
	check(withoutLimit, `[data-testid="import-ready"]`)
	b.submit(t, "import now", `[data-testid="import-write"]`, `[data-testid="flash"]`)
	b.expectContains(t, `[data-testid="flash"]`, "2 new")
}

// apiToken signs in to the api directly and returns the access token.
func apiToken(t *testing.T, s *Stack, email, password string) string {
	t.Helper()
	_, body := s.Do(t, "POST", s.URL("/api/v1/auth/login"),
		strings.NewReader(`{"email":"`+email+`","password":"`+password+`"}`), "Content-Type", "application/json")
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(body), &tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("sign in to the api as %s: %v %s", email, err, body)
	}
	return tok.AccessToken
}
