package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestFormErrorSummaryInTheBrowser: an item form sent with two problems
// comes back with a summary at the top that has the focus, names both
// fields in the form's order and links to them; following a link puts the
// focus into that field, so the person types the correction straight away.
func TestFormErrorSummaryInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	b.visit(t, "/items/new", `[data-testid="item-form"]`)
	b.expectPresent(t, `label[for="item-sku"] .field__required`)
	b.expectAbsent(t, `label[for="item-brand"] .field__required`)
	b.fill(t, "item", map[string]string{"sku": "FORM-1", "name": "Formtest", "base_unit": "Flasche",
		"package_size": "viele", "sales_price_unit": "zwei"})
	b.Run(t, "submit the form with two problems",
		chromedp.Click(`[data-testid="item-submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="item-error-summary"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[data-forms-ready]`, chromedp.ByQuery),
	)
	b.Screenshot(t, "item-form-errors")
	if got := b.activeElement(t); got != "item-error-summary" {
		t.Errorf("focus after the failed submit is on %q, want the summary", got)
	}
	if n := b.count(t, `[data-testid="item-error-summary"] a`); n != 2 {
		t.Fatalf("%d links in the summary, want 2", n)
	}
	// In the form's order (units and packaging come before prices), each
	// naming its field's label.
	var hrefs []string
	b.Run(t, "read the summary's links", chromedp.Evaluate(
		`[...document.querySelectorAll('[data-testid="item-error-summary"] a')].map(a => a.getAttribute('href'))`, &hrefs))
	if len(hrefs) != 2 || hrefs[0] != "#item-package_size" || hrefs[1] != "#item-sales_price_unit" {
		t.Errorf("summary links %q, want package size, then sales price", hrefs)
	}
	label := strings.TrimSuffix(b.text(t, `label[for="item-sales_price_unit"]`), " *")
	b.expectContains(t, `[data-testid="summary-item-sales_price_unit"]`, label+": ")
	var kept string
	b.Run(t, "read the typed package size", chromedp.Value(`#item-package_size`, &kept, chromedp.ByQuery))
	if kept != "viele" {
		t.Errorf("package size after the failed submit = %q, want what was typed", kept)
	}
	b.Run(t, "follow the summary's link to the price",
		chromedp.Click(`[data-testid="summary-item-sales_price_unit"]`, chromedp.ByQuery),
	)
	if got := b.activeElement(t); got != "item-sales_price_unit" {
		t.Errorf("focus after following the link is on %q, want item-sales_price_unit", got)
	}
	// Correct both and create the item.
	b.fill(t, "item", map[string]string{"package_unit": "Harass", "package_size": "24", "sales_price_unit": "1,90"})
	b.submit(t, "create the item", `[data-testid="item-submit"]`, `[data-testid="flash"]`)
}

// activeElement is the id (or data-testid) of the focused element.
func (b *Browser) activeElement(t *testing.T) string {
	t.Helper()
	var id string
	b.Run(t, "read the focused element", chromedp.Evaluate(
		`(document.activeElement.dataset && document.activeElement.dataset.testid) || document.activeElement.id`, &id))
	return id
}

// TestBookingErrorSummaryInTheBrowser: a movement the api refuses (more
// than is in stock) and a delivery with a line whose code finds nothing
// come back with the summary focused; its link puts the focus into the
// refused field (the quantity; the second line's code).
func TestBookingErrorSummaryInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	seedLedger(t, s)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)

	b.visit(t, "/movements/new/issue?item_id=1", `[data-testid="movement-form"]`)
	b.fill(t, "movement", map[string]string{"location_id": b.firstOption(t, "#movement-location_id"),
		"quantity": "5000", "unit": "base", "note": "Tasting"})
	b.followSummaryLink(t, "issue more than is in stock", `[data-testid="movement-submit"]`,
		"movement-error", "movement-quantity")

	b.visit(t, "/movements/new/receipt?item_id=1", `[data-testid="receipt-form"]`)
	b.fill(t, "receipt", map[string]string{"supplier": "s1", "location_id": b.firstOption(t, "#receipt-location_id"),
		"lines[0].quantity": "2", "lines[1].code": "NO-SUCH-CODE", "lines[1].quantity": "3"})
	b.followSummaryLink(t, "book a delivery with an unknown code", `[data-testid="receipt-submit"]`,
		"receipt-error", "receipt-lines[1].code")
	var kept string
	b.Run(t, "read the refused line's code", chromedp.Value(`[id="receipt-lines[1].code"]`, &kept, chromedp.ByQuery))
	if kept != "NO-SUCH-CODE" {
		t.Errorf("the refused line's code is %q after the refusal, want it kept", kept)
	}
}

// followSummaryLink submits a form that will be refused, checks that the
// summary testID+"-summary" has the focus and links to field, and follows
// the link: the focus must land in the field.
func (b *Browser) followSummaryLink(t *testing.T, what, button, testID, field string) {
	t.Helper()
	link := `[data-testid="summary-` + field + `"]`
	b.Run(t, what,
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="`+testID+`-summary"]`, chromedp.ByQuery),
		chromedp.WaitReady(`html[data-forms-ready]`, chromedp.ByQuery),
	)
	b.Screenshot(t, testID+"-summary")
	if got := b.activeElement(t); got != testID+"-summary" {
		t.Errorf("%s: focus after the refusal is on %q, want the summary", what, got)
	}
	var href string
	b.Run(t, "read the summary's link to "+field,
		chromedp.WaitVisible(link, chromedp.ByQuery),
		chromedp.AttributeValue(link, "href", &href, nil, chromedp.ByQuery),
		chromedp.Click(link, chromedp.ByQuery),
	)
	if href != "#"+field {
		t.Errorf("%s: the link goes to %q, want #%s", what, href, field)
	}
	if got := b.activeElement(t); got != field {
		t.Errorf("%s: focus after following the link is on %q, want %s", what, got, field)
	}
}
