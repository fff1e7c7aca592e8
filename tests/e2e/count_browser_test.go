package e2e

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCountSheetInBrowser books a stock-take from a location's count sheet
// over the real stack: one count up, one down, one equal to the ledger and
// one left empty; the confirmation lists exactly the two differences, and
// the api's ledger holds the counted figures afterwards.
func TestCountSheetInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts the whole stack")
	}
	s := StartStack(t)
	token := apiToken(t, s, s.AdminEmail, s.AdminPassword)
	call := func(method, path, js string) map[string]any {
		t.Helper()
		resp, b := s.Do(t, method, s.URL(path), strings.NewReader(js), "Content-Type", "application/json",
			"Authorization", "Bearer "+token, "Idempotency-Key", fmt.Sprintf("%x", sha256.Sum256([]byte(method+path+js))))
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, b)
		}
		var out map[string]any
		_ = json.Unmarshal([]byte(b), &out)
		return out
	}
	id := func(m map[string]any) int64 { return int64(m["id"].(float64)) }
	call("PATCH", "/api/v1/me", `{"language":"en"}`)
	loc := id(call("POST", "/api/v1/locations", `{"code":"COUNT-1","name":"Count hall","kind":"warehouse"}`))
	sup := id(call("POST", "/api/v1/suppliers", `{"name":"Brauerei Falken"}`))
	item := func(sku, more string) int64 {
		return id(call("POST", "/api/v1/items", `{"sku":"`+sku+`","name":"`+sku+` name","base_unit":"bottle",`+
			`"sales_price_unit":"1.20"`+more+`}`))
	}
	beer := item("BEER-1", `,"package_unit":"crate","package_size":24,"pallet_size":40`)
	water := item("WATER-1", "")
	juice := item("JUICE-1", `,"package_unit":"crate","package_size":12`)
	cola := item("COLA-1", "")
	call("POST", "/api/v1/movements/receipts", fmt.Sprintf(`{"supplier_id":%d,"lines":[`+
		`{"item_id":%d,"location_id":%d,"quantity":2,"unit":"pallet"},{"item_id":%d,"location_id":%d,"quantity":10},`+
		`{"item_id":%d,"location_id":%d,"quantity":2,"unit":"package"},{"item_id":%d,"location_id":%d,"quantity":5}]}`,
		sup, beer, loc, water, loc, juice, loc, cola, loc))
	sel := func(testID string, id int64) string { return fmt.Sprintf(`[data-testid="%s-%d"]`, testID, id) }

	b := NewBrowser(t, s)
	var sheetURL string
	b.Run(t, "sign in and open the location's count sheet from the stock page",
		chromedp.Navigate(s.URL("/login")),
		chromedp.WaitVisible(`#login-email`, chromedp.ByQuery),
		chromedp.SendKeys(`#login-email`, s.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys(`#login-password`, s.AdminPassword, chromedp.ByQuery),
		chromedp.Submit(`#login-email`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="dashboard-figures"]`, chromedp.ByQuery),
		chromedp.Navigate(s.URL(fmt.Sprintf("/stock?location_id=%d", loc))),
		chromedp.WaitVisible(`[data-testid="stock-count-sheet"]`, chromedp.ByQuery),
		chromedp.Click(`[data-testid="stock-count-sheet"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="count-table"]`, chromedp.ByQuery),
		chromedp.Location(&sheetURL),
	)
	if !strings.HasSuffix(sheetURL, fmt.Sprintf("/stock/count?location=%d", loc)) {
		t.Errorf("count sheet at %s", sheetURL)
	}
	var ledger, unit string
	b.Run(t, "read the sheet",
		chromedp.Text(sel("count-ledger", beer), &ledger, chromedp.ByQuery),
		chromedp.Value(sel("count-unit", beer), &unit, chromedp.ByQuery),
	)
	if !strings.HasPrefix(ledger, "1’920 bottle") || unit != "package" {
		t.Errorf("beer on the sheet: ledger %q, unit %q", ledger, unit)
	}
	b.Screenshot(t, "count-sheet")

	// Beer down a crate (79 crates), water up two bottles, juice as the
	// ledger says (2 crates), cola not counted.
	b.Run(t, "fill in the counts and book",
		chromedp.SendKeys(sel("count-qty", beer), "79", chromedp.ByQuery),
		chromedp.SendKeys(sel("count-qty", water), "12", chromedp.ByQuery),
		chromedp.SendKeys(sel("count-qty", juice), "2", chromedp.ByQuery),
		chromedp.Click(`[data-testid="count-book"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="count-differences"], .error-summary`, chromedp.ByQuery),
	)
	var rows []string
	var lead string
	b.Run(t, "read the confirmation",
		chromedp.Evaluate(`Array.from(document.querySelectorAll('[data-testid="count-differences"] tbody tr')).map(r =>
			Array.from(r.cells).slice(0, 5).map(c => c.textContent.trim()).join(' | '))`, &rows),
		chromedp.Text(`[data-testid="count-done-lead"]`, &lead, chromedp.ByQuery),
	)
	want := []string{
		"BEER-1 | BEER-1 name | 1’920 bottles | 1’896 bottles | −24 bottles",
		"WATER-1 | WATER-1 name | 10 bottles | 12 bottles | +2 bottles",
	}
	if strings.Join(rows, "\n") != strings.Join(want, "\n") {
		t.Errorf("differences:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
	}
	if lead != "3 items counted; 2 differences booked as adjustments." {
		t.Errorf("lead = %q", lead)
	}
	b.Screenshot(t, "count-done")

	// The ledger, read through the api.
	for it, good := range map[int64]int64{beer: 1896, water: 12, juice: 24, cola: 5} {
		st := call("GET", fmt.Sprintf("/api/v1/items/%d/stock", it), "")
		if got := int64(st["good"].(float64)); got != good {
			t.Errorf("item %d: good %d after the count, want %d", it, got, good)
		}
	}
	_, journal := s.Do(t, "GET", s.URL(fmt.Sprintf("/api/v1/movements?type=adjust&location_id=%d", loc)), nil,
		"Authorization", "Bearer "+token)
	var adjusts struct {
		Items []struct {
			ItemID       int64 `json:"item_id"`
			QuantityBase int64 `json:"quantity_base"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(journal), &adjusts); err != nil || len(adjusts.Items) != 2 {
		t.Errorf("adjustments booked: %v %s", err, journal)
	}
}
