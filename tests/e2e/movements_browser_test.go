package e2e

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestMovementScriptsInBrowser checks what only a browser can: the
// movement forms' script (static/movements.js) over the real stack. The
// "= N units" preview follows the quantity and unit, a scanner's Enter
// in a delivery line moves on to the line's quantity instead of sending
// the form, and the supplier typed into a delivery is suggested by the
// server and booked by what the suggestion names.
func TestMovementScriptsInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test starts the whole stack")
	}
	s := StartStack(t)
	seedLedger(t, s)

	b := NewBrowser(t, s)
	b.Run(t, "sign in",
		chromedp.Navigate(s.URL("/login")),
		chromedp.WaitVisible(`#login-email`, chromedp.ByQuery),
		chromedp.SendKeys(`#login-email`, s.AdminEmail, chromedp.ByQuery),
		chromedp.SendKeys(`#login-password`, s.AdminPassword, chromedp.ByQuery),
		chromedp.Submit(`#login-email`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="dashboard-figures"]`, chromedp.ByQuery),
	)
	b.Screenshot(t, "dashboard")

	var preview string
	var hidden bool
	b.Run(t, "scan an EAN into the issue form and type a quantity",
		chromedp.Navigate(s.URL("/movements/new/issue")),
		chromedp.WaitVisible(`#find-q`, chromedp.ByQuery),
		chromedp.SendKeys(`#find-q`, "7610000000011\n", chromedp.ByQuery),
		chromedp.WaitVisible(`#movement-quantity`, chromedp.ByQuery),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.SendKeys(`#movement-quantity`, "3", chromedp.ByQuery),
		chromedp.SetValue(`#movement-unit`, "package", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#movement-unit').dispatchEvent(new Event('change'))`, nil),
		chromedp.Text(`[data-testid="movement-preview"]`, &preview, chromedp.ByQuery),
	)
	if preview != "= 72 bottles" {
		t.Errorf("preview = %q, want = 72 bottles", preview)
	}
	b.Run(t, "clear the quantity",
		chromedp.SetValue(`#movement-quantity`, "", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#movement-quantity').dispatchEvent(new Event('input'))`, nil),
		chromedp.Evaluate(`document.querySelector('[data-testid="movement-preview"]').hidden`, &hidden),
	)
	if !hidden {
		t.Error("preview shown without a quantity")
	}
	b.Screenshot(t, "issue-form")

	var focused, location string
	b.Run(t, "scan into a delivery line",
		chromedp.Navigate(s.URL("/movements/new/receipt")),
		chromedp.WaitVisible(`[data-testid="receipt-form"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.SendKeys(`[name="lines[0].code"]`, "7610000000011\n", chromedp.ByQuery),
		chromedp.Evaluate(`document.activeElement.id`, &focused),
		chromedp.Location(&location),
	)
	if focused != "receipt-lines[0].quantity" || !strings.HasSuffix(location, "/movements/new/receipt") {
		t.Errorf("after the scan: focus on %q at %s, want the line's quantity on the same page", focused, location)
	}
	b.Screenshot(t, "receipt-form")

	// A line whose item is known previews its quantity in base units.
	var linePreview string
	b.Run(t, "preview a delivery line",
		chromedp.Navigate(s.URL("/movements/new/receipt?item_id=1")),
		chromedp.WaitReady(`html[data-movements-ready]`, chromedp.ByQuery),
		chromedp.SetValue(`[name="lines[0].quantity"]`, "2", chromedp.ByQuery),
		chromedp.SetValue(`[name="lines[0].unit"]`, "pallet", chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('[name="lines[0].unit"]').dispatchEvent(new Event('change'))`, nil),
		chromedp.Text(`[data-testid="receipt-preview-0"]`, &linePreview, chromedp.ByQuery),
	)
	if linePreview != "= 1’920 bottles" {
		t.Errorf("line preview = %q", linePreview)
	}

	// The supplier is typed: the server's matches become suggestions, each
	// the supplier's name only; choosing one puts its key into the hidden
	// input, so the booking resolves it without asking again.
	var suggestion, key, keyFor, booked string
	b.Run(t, "suggest the supplier while typing",
		chromedp.SendKeys(`#receipt-supplier`, "falk", chromedp.ByQuery),
		chromedp.WaitReady(`#receipt-supplier-suggestions option`, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelector('#receipt-supplier-suggestions option').value`, &suggestion),
	)
	if suggestion != "Brauerei Falken" {
		t.Errorf("suggestion = %q, want Brauerei Falken", suggestion)
	}
	b.Screenshot(t, "receipt-supplier-suggestions")
	b.Run(t, "choose the suggested supplier",
		// What the browser does when a datalist option is chosen.
		chromedp.Evaluate(`(() => { const i = document.querySelector('#receipt-supplier');
			i.value = 'Brauerei Falken'; i.dispatchEvent(new Event('input', {bubbles: true})); })()`, nil),
		chromedp.Value(`[name="supplier_key"]`, &key, chromedp.ByQuery),
		chromedp.Value(`[name="supplier_key_for"]`, &keyFor, chromedp.ByQuery),
	)
	if key != "s1" || keyFor != "Brauerei Falken" {
		t.Errorf("chosen suggestion: key %q for %q, want s1 for Brauerei Falken", key, keyFor)
	}
	b.Run(t, "book the delivery from the suggested supplier",
		chromedp.Click(`[data-testid="receipt-submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="journal-table"], .error-summary`, chromedp.ByQuery),
		chromedp.Location(&booked),
	)
	if !strings.Contains(booked, "/journal?") || !strings.Contains(booked, "partner_key=s1") {
		t.Errorf("after booking: at %s, want the journal of supplier s1", booked)
	}
	// The journal's partner filter shows the name; the key stays hidden,
	// also for an older bookmark naming the partner by key.
	var shown, hiddenKey, bookmarked string
	b.Run(t, "the journal's partner filter by name",
		chromedp.Value(`#journal-partner`, &shown, chromedp.ByQuery),
		chromedp.Value(`[name="partner_key"]`, &hiddenKey, chromedp.ByQuery),
		chromedp.Navigate(s.URL("/journal?partner=s1")),
		chromedp.WaitVisible(`[data-testid="journal-filter"]`, chromedp.ByQuery),
		chromedp.Value(`#journal-partner`, &bookmarked, chromedp.ByQuery),
	)
	if shown != "Brauerei Falken" || hiddenKey != "s1" || bookmarked != "Brauerei Falken" {
		t.Errorf("journal partner field %q (key %q), from a bookmark %q; want the name", shown, hiddenKey, bookmarked)
	}
}

// seedLedger makes what the movement pages need through the api: a
// location, a supplier and an item with a package and a pallet, in stock.
func seedLedger(t *testing.T, s *Stack) {
	t.Helper()
	token := apiToken(t, s, s.AdminEmail, s.AdminPassword)
	call := func(method, path, js string) {
		key := fmt.Sprintf("%x", sha256.Sum256([]byte(path+js)))
		resp, b := s.Do(t, method, s.URL(path), strings.NewReader(js), "Content-Type", "application/json",
			"Authorization", "Bearer "+token, "Idempotency-Key", key)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, b)
		}
	}
	call("PATCH", "/api/v1/me", `{"language":"en"}`)
	call("POST", "/api/v1/locations", `{"code":"A-01","name":"Hall A","kind":"zone"}`)
	call("POST", "/api/v1/suppliers", `{"name":"Brauerei Falken"}`)
	call("POST", "/api/v1/items", `{"sku":"BEER-1","name":"Lager 33cl","base_unit":"bottle","package_unit":"crate",`+
		`"package_size":24,"pallet_size":40,"sales_price_unit":"1.20","ean_unit":"7610000000011","min_stock":100}`)
	call("POST", "/api/v1/movements/receipts", `{"supplier_id":1,"lines":[{"item_id":1,"location_id":1,"quantity":2,"unit":"pallet"}]}`)
}
