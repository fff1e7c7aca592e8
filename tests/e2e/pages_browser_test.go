package e2e

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"mime/multipart"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// mainPages is every main page of the web: each is opened at 360 px (no
// horizontal scrolling), checked with axe-core and photographed at 1280 and
// 360 px in both themes by TestMainPages. A new page joins with one line:
// a name (the screenshots' file name) and the path; the page counts as
// loaded when its heading (main h1) shows. Paths refer to what seedPages books: item 1,
// movement 1, user 1 (the first admin), category/supplier/customer/
// location 1. signedOut pages are opened without a session.
var mainPages = []struct {
	name, path string
	signedOut  bool
}{
	{"home-signed-out", "/", true},
	{"login", "/login", true},
	{"status", "/status", true},
	{"dashboard", "/", false},
	{"items", "/items", false},
	{"item", "/items/1", false},
	{"item-form", "/items/new", false},
	{"movements", "/movements", false},
	{"receipt-form", "/movements/new/receipt?item_id=1", false},
	{"issue-form", "/movements/new/issue?item_id=1", false},
	{"transfer-form", "/movements/new/transfer?item_id=1", false},
	{"stocktake-form", "/movements/new/adjust?item_id=1", false},
	{"journal", "/journal", false},
	{"movement", "/movements/1", false},
	{"stock", "/stock", false},
	{"count-sheet", "/stock/count?location=2", false},
	{"categories", "/categories", false},
	{"category-form", "/categories/new", false},
	{"suppliers", "/suppliers", false},
	{"supplier-form", "/suppliers/1", false},
	{"customers", "/customers", false},
	{"customer-form", "/customers/new", false},
	{"customer", "/customers/1", false},
	{"orders", "/orders", false},
	{"order", "/orders/1", false},
	{"order-form", "/orders/new", false},
	{"order-delivery", "/orders/1/deliver", false},
	{"invoices", "/invoices", false},
	{"invoice", "/invoices/1", false},
	{"invoice-new", "/invoices/new", false},
	{"credit-note", "/credit-notes/1", false},
	{"bank-imports", "/bank-imports", false},
	{"bank-report", "/bank-imports/1", false},
	{"locations", "/locations", false},
	{"location-form", "/locations/1", false},
	{"users", "/users", false},
	{"company", "/settings/company", false},
	{"user", "/users/1", false},
	{"audit", "/audit", false},
	{"profile", "/profile", false},
}

// overflow is the page's width against the screen's and, when it is wider,
// the element reaching furthest right (the one to fix).
type overflow struct {
	ScrollWidth float64 `json:"scrollWidth"`
	ClientWidth float64 `json:"clientWidth"`
	Widest      string  `json:"widest"`
	Right       float64 `json:"right"`
}

// measureOverflow names an element by tag, test id, id and classes, so
// the failure says where to look.
const measureOverflow = `(() => {
  const doc = document.documentElement;
  const out = {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, widest: '', right: 0};
  if (doc.scrollWidth <= doc.clientWidth) return out;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.right > out.right) {
      out.right = r.right;
      out.widest = el.tagName.toLowerCase() + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '') +
        (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '') +
        ' "' + (el.textContent || '').trim().slice(0, 40) + '"';
    }
  }
  return out;
})()`

// axeResult is one rule axe-core found broken, with where.
type axeResult struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRun runs axe-core with options (all its rules when "{}") and returns
// the serious and critical findings.
func axeRun(options string) string {
	return `axe.run(document, Object.assign({resultTypes: ['violations']}, ` + options + `)).then((r) => r.violations
  .filter((v) => v.impact === 'serious' || v.impact === 'critical')
  .map((v) => ({id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(' '))})))`
}

// axeSource is axe-core's browser bundle, which scripts/test-assets.sh
// (make test) installs from npm at the version its lockfile pins.
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join(repoRoot(t), "tests", "e2e", "axe", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is not installed (run make test-assets, or scripts/test-assets.sh): %v", err)
	}
	return string(src)
}

// TestMainPages opens every main page of a depot with data, signed in as
// the first admin (who sees every page), and asserts for each: at 360 px
// the page is no wider than the screen; axe-core (at 1280 px, in the light
// and the dark theme) finds nothing serious or critical. Meanwhile it photographs each page at 1280 and 360 px, light
// and dark, into .test-output/screenshots/TestMainPages/<page>-<width>-<theme>.png
// (or under DEPOTIX_SCREENSHOTS).
func TestMainPages(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	axe := axeSource(t)
	s := StartStack(t)
	seedPages(t, s)
	b := NewBrowser(t, s)

	// shoot sets the theme cookie's way (the footer's switch) once per
	// theme, then photographs every page at both widths.
	type shot struct {
		width int64
		theme string
	}
	shots := []shot{{1280, "light"}, {360, "light"}, {1280, "dark"}, {360, "dark"}}

	// What axe costs per theme, logged for whoever weighs the rules run.
	axeTime := map[string]time.Duration{}
	defer func() {
		t.Logf("axe-core took %s in the light theme, %s in the dark", axeTime["light"], axeTime["dark"])
	}()
	b.checksSeeFaults(t, axe)
	for _, signedOut := range []bool{true, false} {
		if !signedOut {
			b.signIn(t, s.AdminEmail, s.AdminPassword)
		}
		for _, sh := range shots {
			b.Run(t, "resize to "+fmt.Sprint(sh.width), chromedp.EmulateViewport(sh.width, 800))
			b.setTheme(t, sh.theme)
			for _, pg := range mainPages {
				if pg.signedOut != signedOut {
					continue
				}
				b.visit(t, pg.path, `html[data-theme="`+sh.theme+`"] #main h1`)
				if sh.width == 360 && sh.theme == "light" {
					var o overflow
					b.Run(t, "measure "+pg.name, chromedp.Evaluate(measureOverflow, &o))
					if o.ScrollWidth > o.ClientWidth {
						t.Errorf("%s (%s) at 360 px: the page is %.0f px wide on a %.0f px screen; widest: %s reaching %.0f px",
							pg.name, pg.path, o.ScrollWidth, o.ClientWidth, o.Widest, o.Right)
					}
				}
				if sh.width == 1280 {
					// In both themes, every rule: the dark theme has colours
					// of its own, and static/contrast_test.go's list of
					// palette pairs does not see what a page puts on what.
					// The colour rules are most of axe's time, so the others
					// add little (the log says how much each theme took).
					start := time.Now()
					found := b.axe(t, axe, `{}`)
					axeTime[sh.theme] += time.Since(start)
					for _, f := range found {
						t.Errorf("%s (%s, %s theme): axe %s (%s): %s at %s", pg.name, pg.path, sh.theme, f.ID, f.Impact, f.Help,
							strings.Join(f.Targets, ", "))
					}
				}
				b.shoot(t, fmt.Sprintf("%s-%d-%s", pg.name, sh.width, sh.theme))
			}
		}
	}
}

// checksSeeFaults proves the checks can fail: on the status page at
// 360 px a 600 px wide box is found and named, axe-core reports an image
// without a text alternative (critical), and faint text in the dark theme
// (serious).
func (b *Browser) checksSeeFaults(t *testing.T, axe string) {
	t.Helper()
	b.Run(t, "resize to 360", chromedp.EmulateViewport(360, 800))
	b.visit(t, "/status", `#main h1`)
	var o overflow
	b.Run(t, "add faults", chromedp.Evaluate(`(() => {
	  const wide = document.createElement('div');
	  wide.className = 'planted-wide';
	  wide.style.width = '600px';
	  wide.textContent = 'too wide';
	  const img = document.createElement('img');
	  img.src = '/static/favicon.svg';
	  document.querySelector('#main').append(wide, img);
	})()`, nil), chromedp.Evaluate(measureOverflow, &o))
	if o.ScrollWidth <= o.ClientWidth || !strings.Contains(o.Widest, "planted-wide") {
		t.Errorf("a 600 px box at 360 px: measured %+v, want the page too wide and the box named", o)
	}
	found := b.axe(t, axe, `{}`)
	if !slices.ContainsFunc(found, func(f axeResult) bool { return f.ID == "image-alt" }) {
		t.Errorf("axe-core missed an image without alt: %+v", found)
	}
	// axe judges the dark theme's colours: text in its border colour on
	// its surface is far too faint.
	b.Run(t, "resize to 1280", chromedp.EmulateViewport(1280, 800))
	b.setTheme(t, "dark")
	b.visit(t, "/status", `html[data-theme="dark"] #main h1`)
	b.Run(t, "add faint text", chromedp.Evaluate(`(() => {
	  const p = document.createElement('p');
	  p.className = 'planted-faint';
	  p.style.color = 'var(--border)';
	  p.textContent = 'faint text';
	  document.querySelector('#main').append(p);
	})()`, nil))
	found = b.axe(t, axe, `{}`)
	if !slices.ContainsFunc(found, func(f axeResult) bool {
		return f.ID == "color-contrast" && strings.Contains(strings.Join(f.Targets, " "), "planted-faint")
	}) {
		t.Errorf("axe-core missed faint text in the dark theme: %+v", found)
	}
}

// axe loads axe-core into the page and runs it. A long page's check may
// take some seconds on a busy machine, so it has a minute.
func (b *Browser) axe(t *testing.T, source, options string) []axeResult {
	t.Helper()
	var found []axeResult
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Run(ctx, chromedp.Evaluate(source, nil), chromedp.Evaluate(axeRun(options), &found, awaitPromise)); err != nil {
		t.Fatalf("axe-core: %v", err)
	}
	return found
}

// setTheme sets the theme cookie as the footer's switch does (its own
// test is the handlers' and the journey's); the next pages are drawn in it.
func (b *Browser) setTheme(t *testing.T, theme string) {
	t.Helper()
	b.Run(t, "choose the "+theme+" theme", chromedp.ActionFunc(func(ctx context.Context) error {
		return network.SetCookie("dpx_theme", theme).WithURL(b.stack.URL("/")).WithPath("/").
			WithSecure(true).WithHTTPOnly(true).WithSameSite(network.CookieSameSiteLax).Do(ctx)
	}))
}

// shoot saves the whole page as <name>.png (no running number: the
// folder is the catalogue of pages, and a new run replaces its pictures).
func (b *Browser) shoot(t *testing.T, name string) {
	t.Helper()
	var png []byte
	// Quality 100 makes a PNG (below it, a JPEG).
	b.Run(t, "photograph "+name, chromedp.FullScreenshot(&png, 100))
	if err := os.WriteFile(filepath.Join(b.shotDir, sanitize(name)+".png"), png, 0o644); err != nil {
		t.Fatal(err)
	}
}

// seedPages gives the depot what a working week leaves: categories,
// locations, suppliers and customers, items with packages and pallets,
// receipts, issues, a transfer and a write-off, so every list has rows and
// the dashboard has figures.
func seedPages(t *testing.T, s *Stack) {
	t.Helper()
	token := apiToken(t, s, s.AdminEmail, s.AdminPassword)
	call := func(method, path, js string) {
		t.Helper()
		key := fmt.Sprintf("%x", sha256.Sum256([]byte(method+path+js)))
		resp, b := s.Do(t, method, s.URL(path), strings.NewReader(js), "Content-Type", "application/json",
			"Authorization", "Bearer "+token, "Idempotency-Key", key)
		if resp.StatusCode >= 300 {
			t.Fatalf("%s %s = %d %s", method, path, resp.StatusCode, b)
		}
	}
	call("PATCH", "/api/v1/me", `{"language":"en"}`)
	for _, c := range []string{"Beverages", "Snacks and confectionery", "Cleaning supplies"} {
		call("POST", "/api/v1/categories", `{"name":"`+c+`"}`)
	}
	call("POST", "/api/v1/locations", `{"code":"HALL-A","name":"Hall A","kind":"zone"}`)
	call("POST", "/api/v1/locations", `{"code":"HALL-A-R01-S03","name":"Hall A, rack 1, shelf 3","kind":"bin","parent_id":1}`)
	call("POST", "/api/v1/locations", `{"code":"COLD-1","name":"Cold store","kind":"zone"}`)
	call("POST", "/api/v1/suppliers", `{"name":"Brauerei Falken AG","email":"bestellung@falken.example","phone":"+41 52 632 11 11"}`)
	call("POST", "/api/v1/suppliers", `{"name":"Mineralquelle Eptingen"}`)
	call("POST", "/api/v1/customers", `{"name":"Gasthof Krone","billing_address":{"street":"Marktgasse","house_number":"12",`+
		`"postal_code":"3011","town":"Bern","country":"CH"}}`)
	call("POST", "/api/v1/customers", `{"name":"Hotel Adler Grindelwald","billing_address":{"street":"Dorfstrasse","house_number":"133","postal_code":"3818","town":"Grindelwald","country":"CH"}}`)
	call("POST", "/api/v1/items", `{"sku":"BEER-FALKEN-LAGER-33CL","name":"Falken Lager 33 cl, returnable bottle","base_unit":"bottle",`+
		`"package_unit":"crate","package_size":24,"pallet_size":40,"sales_price_unit":"1.20","ean_unit":"7610000000011",`+
		`"ean_package":"7610000000028","min_stock":100,"category_id":1}`)
	call("POST", "/api/v1/items", `{"sku":"WATER-EPT-150","name":"Eptinger mineral water 1.5 l","base_unit":"bottle",`+
		`"package_unit":"pack","package_size":6,"pallet_size":80,"sales_price_unit":"1.90","min_stock":60,"category_id":1}`)
	call("POST", "/api/v1/items", `{"sku":"CHIPS-PAPRIKA-175G","name":"Paprika crisps 175 g","base_unit":"piece",`+
		`"package_unit":"box","package_size":12,"sales_price_unit":"3.50","category_id":2}`)
	call("POST", "/api/v1/items", `{"sku":"CLEAN-FLOOR-5L","name":"Floor cleaner 5 l canister","base_unit":"piece","sales_price_unit":"24.90","category_id":3}`)
	call("POST", "/api/v1/movements/receipts", `{"supplier_id":1,"lines":[`+
		`{"item_id":1,"location_id":2,"quantity":12,"unit":"package","unit_cost":"19.20"},`+
		`{"item_id":3,"location_id":2,"quantity":5,"unit":"package","unit_cost":"24.00"},`+
		`{"item_id":4,"location_id":1,"quantity":20,"unit":"base","unit_cost":"11.50"}]}`)
	call("POST", "/api/v1/movements/receipts", `{"supplier_id":2,"lines":[{"item_id":2,"location_id":3,"quantity":1,"unit":"pallet","unit_cost":"336.00"}]}`)
	call("POST", "/api/v1/movements", `{"type":"issue","item_id":1,"location_id":2,"quantity":3,"unit":"package","customer_id":1}`)
	call("POST", "/api/v1/movements", `{"type":"issue","item_id":2,"location_id":3,"quantity":10,"unit":"package","customer_id":2}`)
	call("POST", "/api/v1/movements", `{"type":"transfer","item_id":3,"location_id":2,"to_location_id":1,"quantity":2,"unit":"package"}`)
	call("POST", "/api/v1/movements", `{"type":"defect","item_id":1,"location_id":2,"quantity":4,"unit":"base","reason":"broken in the crate"}`)
	call("POST", "/api/v1/movements", `{"type":"write_off","item_id":1,"location_id":2,"quantity":4,"unit":"base","reason":"broken glass"}`)
	// Order 1 is confirmed (its page offers the delivery), order 2 a draft.
	call("POST", "/api/v1/orders", `{"customer_id":1,"location_id":2,"delivery_date":"2026-03-04","notes":"Ramp at the back",`+
		`"lines":[{"item_id":1,"unit":"package","quantity":2},{"item_id":3,"unit":"base","quantity":6}]}`)
	call("POST", "/api/v1/orders/1/confirm", ``)
	call("POST", "/api/v1/orders", `{"customer_id":2,"location_id":3,"lines":[{"item_id":2,"unit":"package","quantity":1}]}`)
	// Invoice 1 of delivered order 3 with a credit note and a payment;
	// order 4 is delivered and waits for its invoice; a bank file leaves
	// one credit unmatched.
	call("PUT", "/api/v1/company", `{"name":"Getränke Müller GmbH","street":"Industriestrasse","building_number":"7a",`+
		`"postal_code":"8400","town":"Winterthur","country":"CH","vat_number":"","iban":"CH58 0079 1123 0008 8901 2",`+
		`"bank_name":"","payment_terms_days":30,"invoice_footer":"","invoice_prefix":"RE","credit_note_prefix":"GS",`+
		`"currency":"CHF","deposits_taxable":false}`)
	for _, o := range []string{
		`{"customer_id":1,"location_id":2,"lines":[{"item_id":1,"unit":"package","quantity":2},{"item_id":3,"unit":"base","quantity":4}]}`,
		`{"customer_id":2,"location_id":3,"lines":[{"item_id":2,"unit":"package","quantity":2}]}`,
	} {
		call("POST", "/api/v1/orders", o)
	}
	for _, id := range []string{"3", "4"} {
		call("POST", "/api/v1/orders/"+id+"/confirm", ``)
		call("POST", "/api/v1/orders/"+id+"/deliver", `{}`)
	}
	call("POST", "/api/v1/invoices", `{"order_ids":[3]}`)
	call("POST", "/api/v1/invoices/1/credit-notes", `{"lines":[{"line":1,"quantity":1}],"reason":"One bag was torn"}`)
	call("POST", "/api/v1/invoices/1/payments", `{"date":"2026-12-01","amount":"10.00","note":"Cash at the ramp"}`)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", "camt054.xml")
	_, _ = fw.Write(camtCredit(invoiceIBAN, "RF18539007547034", "25.00"))
	_ = mw.Close()
	resp, b := s.Do(t, "POST", s.URL("/api/v1/bank-imports"), &body, "Content-Type", mw.FormDataContentType(),
		"Authorization", "Bearer "+token, "Idempotency-Key", "pages-bank-1")
	if resp.StatusCode >= 300 {
		t.Fatalf("bank import = %d %s", resp.StatusCode, b)
	}
}
