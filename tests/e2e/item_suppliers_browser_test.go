package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestItemSuppliersInTheBrowser: an admin adds a supplier to an item by
// typing part of its name (items.js suggests names from the server and,
// once the text is exactly one of them, sends its id along, so a second
// supplier of a similar name is no obstacle), then removes it again
// through the confirmation.
func TestItemSuppliersInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	supplier := b.createRecord(t, "suppliers", "suppliers", "supplier", map[string]string{"name": "Huber Getraenke AG"})
	b.createRecord(t, "suppliers", "suppliers", "supplier", map[string]string{"name": "Huber Weine GmbH"})
	item := b.createRecord(t, "items", "item", "item", map[string]string{
		"sku": "SUP-1", "name": "Mineral 50 cl", "base_unit": "bottle", "sales_price_unit": "1.20"})

	b.visit(t, "/items/"+item, `[data-testid="item-supplier-form"]`)
	b.Run(t, "type a supplier",
		chromedp.SendKeys(`#itemsupplier-supplier`, "Huber", chromedp.ByQuery),
		// Both Hubers are suggested.
		chromedp.Poll(`document.querySelectorAll('#itemsupplier-suggestions option').length === 2`, nil),
		chromedp.SendKeys(`#itemsupplier-supplier`, " Getraenke AG", chromedp.ByQuery),
		// The text is one suggestion exactly: its id goes along.
		chromedp.Poll(`document.querySelector('input[name="supplier_id"]').value === "`+supplier+`"`, nil),
		chromedp.SendKeys(`#itemsupplier-supplier_sku`, "HG-77", chromedp.ByQuery),
		chromedp.SendKeys(`#itemsupplier-price`, "0.65", chromedp.ByQuery),
		chromedp.SendKeys(`#itemsupplier-lead_time_days`, "4", chromedp.ByQuery),
	)
	b.Screenshot(t, "supplier-typed")
	b.submit(t, "add the supplier", `[data-testid="item-supplier-submit"]`, `[data-testid="flash"]`)
	row := `[data-testid="item-supplier-` + supplier + `"]`
	b.expectContains(t, row, "HG-77")
	b.expectContains(t, row, "0.65")
	b.Screenshot(t, "supplier-added")

	b.Run(t, "remove the supplier",
		chromedp.Click(row+` [data-testid="supplier-remove"]`, chromedp.ByQuery),
		chromedp.WaitVisible(row+` [data-testid="supplier-remove-confirm"]`, chromedp.ByQuery),
		chromedp.Click(row+` [data-testid="supplier-remove-confirm"]`, chromedp.ByQuery),
		// The page before has a flash too (from the add): wait for the
		// row to go, then for the new page's flash.
		chromedp.WaitNotPresent(row, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="flash"]`, chromedp.ByQuery),
	)
	b.expectAbsent(t, row)
}
