package e2e

import (
	"fmt"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The journey's people and records.
const (
	viewerEmail    = "vera.viewer@depot.example"
	viewerPassword = "Leserin-im-Lager-2026"
	journeySKU     = "FS-ORIG-50"
)

// TestBrowserJourney walks the main journey in headless Chromium through
// the real proxy over HTTPS: sign in; create a category, a supplier, a
// location and an item with packaging factors; receive 2 pallets; issue 3
// crates; see the stock breakdown and the journal; German and English
// pages; a viewer sees no write actions. Every main page is saved as a
// screenshot in the test's output folder. Selectors are data-testid
// attributes and the form fields' ids (<form>-<name>).
func TestBrowserJourney(t *testing.T) {
	if testing.Short() {
		t.Skip("the browser journey starts the whole stack")
	}
	s := StartStack(t)
	started := time.Now()
	t.Cleanup(func() {
		t.Logf("journey took %s after the stack was up", time.Since(started).Round(100*time.Millisecond))
	})
	b := NewBrowser(t, s)

	// Sign in. The first admin's profile says German, so the pages are
	// German from here on.
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	b.expectLang(t, "de")
	b.expectText(t, `[data-testid="nav-items"]`, "Artikel")
	b.Screenshot(t, "dashboard-de")

	// English: the switch in the header (it also saves the choice).
	b.Run(t, "switch to English",
		chromedp.Click(`[data-testid="language-en"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="language-en"][aria-pressed="true"]`, chromedp.ByQuery),
	)
	b.expectLang(t, "en")
	b.expectText(t, `[data-testid="nav-items"]`, "Items")
	b.Screenshot(t, "dashboard-en")

	// Master data: a category, a supplier and a location.
	category := b.createRecord(t, "categories", "categories", "category", map[string]string{"name": "Bier"})
	supplier := b.createRecord(t, "suppliers", "suppliers", "supplier", map[string]string{"name": "Feldschlösschen Getränke AG", "address.town": "Rheinfelden"})
	b.createRecord(t, "locations", "locations", "location", map[string]string{"code": "A-01", "name": "Regal A1"})
	b.visit(t, "/categories", `[data-testid="categories-table"]`)
	b.Screenshot(t, "categories")
	b.visit(t, "/suppliers", `[data-testid="suppliers-table"]`)
	b.Screenshot(t, "suppliers")
	b.visit(t, "/locations", `[data-testid="locations-table"]`)
	b.Screenshot(t, "locations")

	// An item counted in bottles, in crates of 24, 40 crates a pallet.
	item := b.createRecord(t, "items", "item", "item", map[string]string{
		"sku": journeySKU, "name": "Feldschlösschen Original 50 cl", "category_id": category,
		"base_unit": "bottle", "package_unit": "crate", "package_size": "24", "pallet_size": "40",
		"sales_price_unit": "1.90", "deposit_unit": "0.30",
	})
	b.expectContains(t, `[data-testid="record-title"]`, journeySKU)

	// Receive 2 pallets from the supplier, issue 3 crates.
	receipt := b.receive(t, item, supplier, "2", "pallet", "912.00") // CHF 0.95 a bottle
	issue := b.book(t, "issue", item, map[string]string{"quantity": "3", "unit": "package", "note": "Turnfest Rheinfelden"})
	b.Screenshot(t, "movement")

	// The item's stock: 2 × 40 × 24 − 3 × 24 = 1’848 bottles = 1 pallet, 37 crates.
	b.visit(t, "/items/"+item, `[data-testid="item-stock"]`)
	b.expectContains(t, `[data-testid="stock-on-hand"]`, "1’848")
	b.expectContains(t, `[data-testid="stock-breakdown"]`, "37")
	b.expectContains(t, `[data-testid="stock-value"]`, "1’755.60") // at the receipt's average cost
	b.Screenshot(t, "item")

	b.visit(t, "/stock", `[data-testid="stock-table"]`)
	b.expectContains(t, `[data-testid="stock-table"]`, journeySKU)
	b.Screenshot(t, "stock")

	b.visit(t, "/journal", `[data-testid="journal-table"]`)
	for _, id := range []string{receipt, issue} {
		b.expectPresent(t, `[data-testid="journal-table"] [data-testid="movement-`+id+`"]`)
	}
	b.Screenshot(t, "journal")

	b.visit(t, "/items?q="+url.QueryEscape("feldschlösschen"), `[data-testid="items-table"]`)
	b.expectContains(t, `[data-testid="items-table"]`, journeySKU)
	b.Screenshot(t, "items")

	b.visit(t, "/movements", `[data-testid="movement-types"]`)
	b.Screenshot(t, "movements")
	b.visit(t, "/customers", `[data-testid="main"] h1`)
	b.Screenshot(t, "customers")
	b.visit(t, "/", `[data-testid="dashboard-figures"]`)
	b.Screenshot(t, "dashboard-after-bookings")

	// A viewer, created on the users page.
	b.visit(t, "/users/new", `[data-testid="user-form"]`)
	b.fill(t, "user", map[string]string{"name": "Vera Viewer", "email": viewerEmail, "role": "viewer", "language": "en",
		"password": viewerPassword, "repeat_password": viewerPassword})
	b.submit(t, "create the viewer", `[data-testid="user-submit"]`, `[data-testid="user-access"]`)
	b.expectText(t, `[data-testid="user-role"]`, "Viewer")
	b.Screenshot(t, "user")
	b.visit(t, "/users", `[data-testid="users-table"]`)
	b.Screenshot(t, "users")
	b.visit(t, "/audit", `[data-testid="audit-entries"]`)
	b.expectPresent(t, `[data-testid="audit-entries"] [href="/audit?entity=item&entity_id=`+item+`"]`)
	b.Screenshot(t, "audit")

	// On a phone 360 px wide no page is wider than the screen: the
	// navigation and wide tables scroll inside themselves.
	b.Run(t, "a phone's screen", chromedp.EmulateViewport(360, 740))
	for _, page := range []struct{ path, ready, shot string }{
		{"/", `[data-testid="dashboard-figures"]`, ""},
		{"/items", `[data-testid="items-table"]`, "phone-items"},
		{"/items/" + item, `[data-testid="item-stock"]`, ""},
		{"/stock", `[data-testid="stock-table"]`, ""},
		{"/journal", `[data-testid="journal-table"]`, ""},
		{"/users", `[data-testid="users-table"]`, "phone-users"},
		{"/audit", `[data-testid="audit-entries"]`, "phone-audit"},
	} {
		b.visit(t, page.path, page.ready)
		var wide []string
		b.Run(t, "measure "+page.path,
			// Styles and scripts loaded: the layout is the final one.
			chromedp.Poll(`document.readyState === "complete"`, nil),
			// What sticks out of the screen, less what scrolls inside its box.
			chromedp.Evaluate(`document.documentElement.scrollWidth <= window.innerWidth ? [] :
				[...document.querySelectorAll('body *')].filter(e => !e.closest('.site-nav, .table-wrap') &&
					e.getBoundingClientRect().right > window.innerWidth + 1).slice(0, 5).map(e => e.tagName + '.' + e.className)`, &wide))
		if len(wide) > 0 {
			t.Errorf("%s is wider than a 360 px screen: %q", page.path, wide)
		}
		if page.shot != "" {
			b.Screenshot(t, page.shot)
		}
	}
	b.Run(t, "back to a desktop's screen", chromedp.EmulateViewport(1280, 900))

	// The viewer, in a browser of their own (its screenshots in a folder of
	// their own): every page reads, none offers a write action, and the
	// people pages are not theirs.
	t.Run("viewer", func(t *testing.T) {
		v := NewBrowser(t, s)
		v.signIn(t, viewerEmail, viewerPassword)
		v.expectLang(t, "en")
		v.expectAbsent(t, `[data-testid="nav-users"]`)
		v.expectAbsent(t, `[data-testid="nav-audit"]`)
		v.visit(t, "/items", `[data-testid="items-table"]`)
		v.expectAbsent(t, `[data-testid="new-record"]`)
		v.visit(t, "/items/"+item, `[data-testid="item-stock"]`)
		v.expectAbsent(t, `[data-testid="edit"]`)
		v.expectAbsent(t, `[data-testid="archive"]`)
		v.Screenshot(t, "item")
		v.visit(t, "/movements", `[data-testid="movement-read-only"]`)
		v.expectAbsent(t, `[data-testid="movement-new-receipt"]`)
		v.visit(t, "/movements/"+receipt, `[data-testid="movement-detail"]`)
		v.expectAbsent(t, `[data-testid="movement-reverse"]`)
		v.visit(t, "/stock", `[data-testid="stock-table"]`)
		v.expectAbsent(t, `[data-testid="stock-receive-`+item+`"]`)
		v.visit(t, "/categories", `[data-testid="categories-table"]`)
		v.expectAbsent(t, `[data-testid="new-record"]`)
		v.Screenshot(t, "categories")
		var heading string
		v.Run(t, "the users page is not the viewer's",
			chromedp.Navigate(s.URL("/users")),
			chromedp.WaitVisible(`.error-page`, chromedp.ByQuery),
			chromedp.Text(`h1`, &heading, chromedp.ByQuery),
		)
		if heading != "Not permitted" {
			t.Errorf("viewer on /users: %q, want the not-permitted page", heading)
		}
	})
}

// signIn opens the sign-in page and signs in; the overview follows.
func (b *Browser) signIn(t *testing.T, email, password string) {
	t.Helper()
	b.Run(t, "sign in as "+email,
		chromedp.Navigate(b.stack.URL("/login")),
		chromedp.WaitVisible(`[data-testid="login-form"]`, chromedp.ByQuery),
		chromedp.SendKeys(`#login-email`, email, chromedp.ByQuery),
		chromedp.SendKeys(`#login-password`, password, chromedp.ByQuery),
		chromedp.Click(`[data-testid="login-submit"]`, chromedp.ByQuery),
		chromedp.WaitVisible(`[data-testid="account-menu"]`, chromedp.ByQuery),
	)
}

// visit opens path and waits for the element ready.
func (b *Browser) visit(t *testing.T, path, ready string) {
	t.Helper()
	b.Run(t, "open "+path,
		chromedp.Navigate(b.stack.URL(path)),
		chromedp.WaitVisible(ready, chromedp.ByQuery),
	)
}

// fill sets the fields of form (ids <form>-<name>): text inputs and
// selects alike, by value, as a person's typing or choosing leaves them.
func (b *Browser) fill(t *testing.T, form string, values map[string]string) {
	t.Helper()
	var actions []chromedp.Action
	for name, value := range values {
		sel := `[id="` + form + "-" + name + `"]`
		actions = append(actions, chromedp.WaitReady(sel, chromedp.ByQuery), chromedp.SetValue(sel, value, chromedp.ByQuery))
	}
	b.Run(t, "fill the "+form+" form", actions...)
}

// createRecord fills the new-record form of a catalogue list (test ids
// <testID>-form and <testID>-submit, field ids <form>-<name>), submits it
// and returns the new record's id from the page it lands on.
func (b *Browser) createRecord(t *testing.T, list, testID, form string, values map[string]string) string {
	t.Helper()
	b.visit(t, "/"+list+"/new", `[data-testid="`+testID+`-form"]`)
	b.fill(t, form, values)
	loc := b.submit(t, "create the "+form, `[data-testid="`+testID+`-submit"]`, `[data-testid="flash"]`)
	return idFrom(t, loc, "/"+list+"/")
}

// receive books a delivery of one line from supplier through the receipt
// form (opened for item, which fills the line's code), at cost per unit
// entered, and returns the
// receipt's movement id from the journal it lands on.
func (b *Browser) receive(t *testing.T, item, supplier, quantity, unit, cost string) string {
	t.Helper()
	b.visit(t, "/movements/new/receipt?item_id="+item, `[data-testid="receipt-form"]`)
	location := b.firstOption(t, "#receipt-location_id")
	b.fill(t, "receipt", map[string]string{"supplier": "s" + supplier, "location_id": location,
		"lines[0].quantity": quantity, "lines[0].unit": unit, "lines[0].unit_cost": cost})
	b.submit(t, "book the receipt", `[data-testid="receipt-submit"]`, `[data-testid="journal-table"]`)
	var id string
	b.Run(t, "the booked receipt in the journal", chromedp.Evaluate(
		`document.querySelector('[data-testid="journal-table"] tr[data-type="receipt"]').dataset.testid.replace('movement-', '')`, &id))
	return id
}

// firstOption is the value of the first real choice of a select.
func (b *Browser) firstOption(t *testing.T, sel string) string {
	t.Helper()
	var v string
	b.Run(t, "the first choice of "+sel,
		chromedp.Evaluate(fmt.Sprintf(`document.querySelector(%q + ' option:not([value=""])').value`, sel), &v))
	return v
}

// book books a movement of typ for item through its form and returns the
// movement's id from its page.
func (b *Browser) book(t *testing.T, typ, item string, values map[string]string) string {
	t.Helper()
	b.visit(t, "/movements/new/"+typ+"?item_id="+item, `[data-testid="movement-form"]`)
	values["location_id"] = b.firstOption(t, "#movement-location_id")
	b.fill(t, "movement", values)
	loc := b.submit(t, "book the "+typ, `[data-testid="movement-submit"]`, `[data-testid="movement-detail"]`)
	return idFrom(t, loc, "/movements/")
}

// submit clicks a form's button and waits for the page it lands on (an
// element matching done) or for the form again with the api's refusal,
// which fails the test at once with the messages beside the fields. It
// returns the URL landed on.
func (b *Browser) submit(t *testing.T, what, button, done string) string {
	t.Helper()
	var loc string
	var refused []string
	b.Run(t, what,
		// The page being left is marked, so a summary it already shows (a
		// correction being sent) is not taken for the answer.
		chromedp.Evaluate(`document.documentElement.dataset.leaving = ""`, nil),
		chromedp.Click(button, chromedp.ByQuery),
		chromedp.WaitVisible(`html:not([data-leaving]) :is(`+done+`, .form-error, .error-summary)`, chromedp.ByQuery),
		chromedp.Location(&loc),
		chromedp.Evaluate(`[...document.querySelectorAll('.form-error, .error-summary__title, .field__error')].map(e => (e.id || 'form') + ': ' + e.textContent)`, &refused),
	)
	if len(refused) > 0 {
		b.Screenshot(t, "refused-"+what)
		t.Fatalf("%s: refused at %s: %q", what, loc, refused)
	}
	return loc
}

// idFrom reads the record id from a URL like https://host/items/12.
func idFrom(t *testing.T, rawURL, prefix string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil || !strings.HasPrefix(u.Path, prefix) {
		t.Fatalf("landed on %q, want a page under %s", rawURL, prefix)
	}
	id := path.Base(u.Path)
	if _, err := fmt.Sscanf(id, "%d", new(int64)); err != nil {
		t.Fatalf("landed on %q: no id", rawURL)
	}
	return id
}

func (b *Browser) expectLang(t *testing.T, want string) {
	t.Helper()
	var lang string
	b.Run(t, "read the page's language", chromedp.AttributeValue("html", "lang", &lang, nil, chromedp.ByQuery))
	if lang != want {
		t.Errorf("<html lang> = %q, want %q", lang, want)
	}
}

func (b *Browser) text(t *testing.T, sel string) string {
	t.Helper()
	var s string
	b.Run(t, "read "+sel, chromedp.Text(sel, &s, chromedp.ByQuery))
	return strings.Join(strings.Fields(s), " ")
}

func (b *Browser) expectText(t *testing.T, sel, want string) {
	t.Helper()
	if got := b.text(t, sel); got != want {
		t.Errorf("%s = %q, want %q", sel, got, want)
	}
}

func (b *Browser) expectContains(t *testing.T, sel, want string) {
	t.Helper()
	if got := b.text(t, sel); !strings.Contains(got, want) {
		t.Errorf("%s = %q, want it to contain %q", sel, got, want)
	}
}

func (b *Browser) count(t *testing.T, sel string) int {
	t.Helper()
	var n int
	b.Run(t, "count "+sel, chromedp.Evaluate(fmt.Sprintf(`document.querySelectorAll(%q).length`, sel), &n))
	return n
}

func (b *Browser) expectPresent(t *testing.T, sel string) {
	t.Helper()
	if b.count(t, sel) == 0 {
		t.Errorf("no %s on the page", sel)
	}
}

func (b *Browser) expectAbsent(t *testing.T, sel string) {
	t.Helper()
	if n := b.count(t, sel); n > 0 {
		t.Errorf("%d × %s on the page, want none", n, sel)
	}
}
