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
