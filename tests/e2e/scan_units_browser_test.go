package e2e

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The codes of BEER-9: one bottle, a crate of 24, a pallet of 40 crates.
const (
	scanUnitEAN    = "7610000000042"
	scanCrateEAN   = "7610000000059"
	scanPalletEAN  = "17610000000025"
	scanCrateSize  = 24
	scanPalletSize = 24 * 40
)

// TestScanningBooksTheUnitInBrowser: a scanned code books the unit it
// belongs to (issue 11: "scanning a crate's code and typing 12 books 12
// bottles" was a correctness defect). A keyboard-only delivery of three
// lines — code, Enter, quantity, Enter, …, Enter on the empty line, Enter
// on «Book» — books three movements, each in the unit its code names.
// What was booked is read back from the api. On a phone the delivery's
// rows wrap into cards.
func TestScanningBooksTheUnitInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts the whole stack")
	}
	s := StartStack(t)
	seedLedger(t, s)
	api := newAPICaller(t, s)
	api.call("POST", "/api/v1/items", `{"sku":"BEER-9","name":"Lager 50cl","base_unit":"bottle","package_unit":"crate",`+
		`"package_size":24,"pallet_size":40,"sales_price_unit":"1.60","ean_unit":"`+scanUnitEAN+`",`+
		`"ean_package":"`+scanCrateEAN+`","ean_pallet":"`+scanPalletEAN+`"}`)

	b := NewBrowser(t, s)
	b.Run(t, "sign in", signInAsAdmin(s)...)

	// A delivery by keyboard only. The one location is chosen already, the
	// first line's code has the focus.
	var tabbed, focused, location, lineInfo string
	b.Run(t, "type a delivery by keyboard",
		chromedp.Navigate(s.URL("/movements/new/receipt")),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.SendKeys(`#receipt-supplier`, "Brauerei Falken", chromedp.ByQuery),
		// A line is a handful of Tabs: code, quantity, unit, cost, next code.
		chromedp.Focus(`[name="lines[0].code"]`, chromedp.ByQuery),
		chromedp.KeyEvent("\t\t\t\t"),
		chromedp.Evaluate(`document.activeElement.id`, &tabbed),
		chromedp.Focus(`[name="lines[0].code"]`, chromedp.ByQuery),
		chromedp.KeyEvent(scanCrateEAN+"\n"),
		chromedp.KeyEvent("12\n"),
		chromedp.KeyEvent(scanPalletEAN+"\n"),
		chromedp.KeyEvent("2\n"),
		chromedp.KeyEvent("BEER-9\n"),
		chromedp.KeyEvent("5\n"),
		// The item's name and stock show once the code is known.
		chromedp.WaitVisible(`[data-testid="receipt-line-item-2"] .receipt-row__name`, chromedp.ByQuery),
		chromedp.Text(`[data-testid="receipt-line-item-0"]`, &lineInfo, chromedp.ByQuery),
		chromedp.KeyEvent("\n"), // the empty fourth line: on to «Book»
		chromedp.Evaluate(`document.activeElement.id`, &focused),
	)
	if tabbed != "receipt-lines[1].code" {
		t.Errorf("four Tabs from line 1's code reach %q, want line 2's code", tabbed)
	}
	if !strings.Contains(lineInfo, "BEER-9 — Lager 50cl") || !strings.Contains(lineInfo, "In stock: 0 bottles") {
		t.Errorf("line 1 shows %q", lineInfo)
	}
	if focused != "receipt-submit" {
		t.Fatalf("Enter on an empty line focused %q, want the «Book» button", focused)
	}
	b.Screenshot(t, "receipt-keyboard")
	b.Run(t, "book by Enter",
		chromedp.KeyEvent("\n"),
		chromedp.WaitVisible(`[data-testid="journal-table"], .error-summary`, chromedp.ByQuery),
		chromedp.Location(&location),
	)
	if !strings.Contains(location, "/journal?") {
		t.Fatalf("after booking: at %s, want the journal", location)
	}
	got := api.movements("type=receipt&limit=3")
	var booked []string
	for _, m := range got {
		booked = append(booked, fmt.Sprintf("%s %d %s = %d", m.ItemSKU, m.EnteredQuantity, m.EnteredUnit, m.QuantityBase))
	}
	want := []string{ // newest first
		"BEER-9 5 base = 5",
		fmt.Sprintf("BEER-9 2 pallet = %d", 2*scanPalletSize),
		fmt.Sprintf("BEER-9 12 package = %d", 12*scanCrateSize),
	}
	if strings.Join(booked, "; ") != strings.Join(want, "; ") {
		t.Errorf("delivery booked %q, want %q", booked, want)
	}

	// Each unit's code on the issue, transfer and stock-take forms: scan,
	// type 1, book; the movement counts the scanned unit.
	api.call("POST", "/api/v1/locations", `{"code":"B-02","name":"Cold room","kind":"zone"}`)
	for _, typ := range []string{"issue", "transfer", "adjust"} {
		for _, c := range []struct {
			code, unit string
			factor     int64
		}{{scanUnitEAN, "base", 1}, {scanCrateEAN, "package", scanCrateSize}, {scanPalletEAN, "pallet", scanPalletSize}} {
			var url, stock string
			actions := []chromedp.Action{
				chromedp.Navigate(s.URL("/movements/new/" + typ)),
				chromedp.WaitVisible(`#find-q`, chromedp.ByQuery),
				chromedp.SendKeys(`#find-q`, c.code+"\n", chromedp.ByQuery),
				chromedp.WaitVisible(`#movement-quantity`, chromedp.ByQuery),
				chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
				chromedp.SetValue(`#movement-location_id`, "1", chromedp.ByQuery),
				chromedp.Evaluate(`document.querySelector('#movement-location_id').dispatchEvent(new Event('change'))`, nil),
				chromedp.Text(`[data-testid="movement-stock-chosen"]`, &stock, chromedp.ByQuery),
				chromedp.SendKeys(`#movement-quantity`, "1", chromedp.ByQuery),
			}
			switch typ {
			case "transfer":
				actions = append(actions, chromedp.SetValue(`#movement-to_location_id`, "2", chromedp.ByQuery))
			case "issue":
				actions = append(actions, chromedp.SendKeys(`#movement-note`, "scan test", chromedp.ByQuery))
			}
			actions = append(actions,
				chromedp.Click(`[data-testid="movement-submit"]`, chromedp.ByQuery),
				chromedp.WaitVisible(`[data-testid="movement-heading"], .error-summary`, chromedp.ByQuery),
				chromedp.Location(&url),
			)
			b.Run(t, typ+" by the "+c.unit+"'s code", actions...)
			if typ == "issue" && c.unit == "pallet" {
				b.Screenshot(t, "issue-booked-by-pallet-code")
			}
			// In the item's units, named in full: "1 pallet · 11 crates · 4 bottles".
			if !strings.HasPrefix(stock, "At the chosen location: ") || !regexp.MustCompile(`\d (bottles?|crates?|pallets?)$`).MatchString(stock) {
				t.Errorf("%s: stock at A-01 = %q", typ, stock)
			}
			id := url[strings.LastIndex(url, "/")+1:]
			m := api.movement(id)
			if m.EnteredUnit != c.unit || m.EnteredQuantity != 1 || m.UnitFactor != c.factor {
				t.Errorf("%s of code %s booked %d %s × %d, want 1 %s × %d (at %s)", typ, c.code,
					m.EnteredQuantity, m.EnteredUnit, m.UnitFactor, c.unit, c.factor, url)
			}
		}
	}

	// On a 390 px phone the rows wrap into cards, with their labels, and
	// the page is no wider than the screen.
	var width int
	var labelShown bool
	b.Run(t, "open a delivery on a phone",
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(s.URL("/movements/new/receipt?item_id=1")),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &width),
		chromedp.Evaluate(`document.querySelector('label[for="receipt-lines[0].quantity"]').getBoundingClientRect().width > 10`, &labelShown),
	)
	b.Screenshot(t, "receipt-phone")
	if width > 390 {
		t.Errorf("the delivery form is %d px wide on a 390 px phone", width)
	}
	if !labelShown {
		t.Error("a line's fields have no visible labels on a phone")
	}
}

// signInAsAdmin signs the browser in as the stack's admin, ending on the
// dashboard.
func signInAsAdmin(s *Stack) []chromedp.Action {
	return []chromedp.Action{
		chromedp.Navigate(s.URL("/login")),
		chromedp.WaitVisible(`#login-email`, chromedp.ByQuery),
		chromedp.SendKeys(`#login-email`, s.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys(`#login-password`, s.AdminPassword, chromedp.ByQuery),
		chromedp.Submit(`#login-email`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="dashboard-figures"]`, chromedp.ByQuery),
	}
}

// apiCaller calls the api as the admin.
type apiCaller struct {
	t     *testing.T
	s     *Stack
	token string
}

func newAPICaller(t *testing.T, s *Stack) apiCaller {
	return apiCaller{t: t, s: s, token: apiToken(t, s, s.AdminEmail, s.AdminPassword)}
}

func (a apiCaller) call(method, path, js string) string {
	a.t.Helper()
	key := fmt.Sprintf("%x", sha256.Sum256([]byte(path+js)))
	resp, body := a.s.Do(a.t, method, a.s.URL(path), strings.NewReader(js), "Content-Type", "application/json",
		"Authorization", "Bearer "+a.token, "Idempotency-Key", key)
	if resp.StatusCode >= 300 {
		a.t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, body)
	}
	return body
}

// bookedMovement is what the test reads of a movement.
type bookedMovement struct {
	ItemSKU         string `json:"item_sku"`
	EnteredQuantity int64  `json:"entered_quantity"`
	EnteredUnit     string `json:"entered_unit"`
	UnitFactor      int64  `json:"unit_factor"`
	QuantityBase    int64  `json:"quantity_base"`
}

func (a apiCaller) movement(id string) bookedMovement {
	a.t.Helper()
	var m bookedMovement
	if err := json.Unmarshal([]byte(a.get("/api/v1/movements/"+id)), &m); err != nil {
		a.t.Fatalf("movement %s: %v", id, err)
	}
	return m
}

func (a apiCaller) movements(query string) []bookedMovement {
	a.t.Helper()
	var list struct {
		Items []bookedMovement `json:"items"`
	}
	if err := json.Unmarshal([]byte(a.get("/api/v1/movements?"+query)), &list); err != nil {
		a.t.Fatalf("movements: %v", err)
	}
	return list.Items
}

func (a apiCaller) get(path string) string {
	a.t.Helper()
	resp, body := a.s.Do(a.t, "GET", a.s.URL(path), nil, "Authorization", "Bearer "+a.token)
	if resp.StatusCode != 200 {
		a.t.Fatalf("GET %s = %d %s", path, resp.StatusCode, body)
	}
	return body
}
