package e2e

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// paperWidth is the printable width of an A4 page in CSS pixels: 210 mm
// at 96 px per inch less Chromium's default margins of about 1 cm each
// side. A print emulated at this width lays out as the paper does.
const paperWidth = 718

// printedSheet is what a printed count sheet shows, measured in the page.
type printedSheet struct {
	// Shown are the page's chrome and buttons that print (want none).
	Shown []string `json:"shown"`
	Rows  []struct {
		ID       string  `json:"id"`
		Ledger   string  `json:"ledger"`
		Box      bool    `json:"box"`   // the count box prints, with a border
		Empty    bool    `json:"empty"` // and nothing in it
		Unit     string  `json:"unit"`  // the unit as printed
		Right    float64 `json:"right"`
		Contrast float64 `json:"contrast"` // of the row's text on white paper
	} `json:"rows"`
	Title       string  `json:"title"`
	ScrollWidth float64 `json:"scrollWidth"`
	ClientWidth float64 `json:"clientWidth"`
}

// measurePrintedSheet reads the sheet as the print style sheet lays it
// out. Paper has no background (Chromium prints none unless asked), so the
// text's contrast is against white.
const measurePrintedSheet = `(() => {
  const visible = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = (el) => el.tagName.toLowerCase() + (el.dataset.testid ? '[data-testid=' + el.dataset.testid + ']' : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '');
  const lum = (css) => {
    const m = css.match(/[\d.]+/g).map(Number);
    const c = m.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const onWhite = (css) => 1.05 / (lum(css) + 0.05);
  const shown = [...document.querySelectorAll('.site-header, .site-nav, .site-footer, .skip-link, button, .button, .count-add, .error-summary')]
    .filter(visible).map(name);
  const rows = [...document.querySelectorAll('[data-testid="count-table"] tbody tr')].map((tr) => {
    const input = tr.querySelector('input[type="text"]');
    const select = tr.querySelector('select');
    const ledger = tr.querySelector('[data-testid^="count-ledger-"]');
    const st = input ? getComputedStyle(input) : null;
    return {
      id: tr.dataset.testid,
      ledger: ledger && visible(ledger) ? ledger.innerText.trim() : '',
      box: !!input && visible(input) && parseFloat(st.borderTopWidth) > 0 && input.getBoundingClientRect().width >= 60,
      empty: !!input && input.value === '',
      unit: select && visible(select) ? select.options[select.selectedIndex].text : '',
      right: tr.getBoundingClientRect().right,
      contrast: Math.min(...[...tr.querySelectorAll('td')].map((td) => onWhite(getComputedStyle(td).color))),
    };
  });
  const title = document.querySelector('[data-testid="count-title"]');
  return {shown, rows, title: title && visible(title) ? title.innerText : '',
    scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth};
})()`

// TestCountSheetPrints: the count sheet printed (print media emulated at
// an A4 page's width, in both themes: a dark screen must still print dark
// text on white paper) shows the location's title and every item with its
// ledger quantity, an empty box to write the count in and the unit to
// count in, and none of the page's navigation or buttons; it fits the
// paper's width. It is also printed to a PDF in .test-output/print.
func TestCountSheetPrints(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	seedPages(t, s)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	// The items stored at HALL-A-R01-S03 (location 2), as the api's
	// stock list names them.
	wantRows := []string{"count-row-1", "count-row-3"}

	for _, theme := range []string{"light", "dark"} {
		b.setTheme(t, theme)
		b.Run(t, "screen media at "+theme, chromedp.EmulateViewport(1280, 900), emulateMedia(""))
		b.visit(t, "/stock/count?location=2", `html[data-theme="`+theme+`"] [data-testid="count-table"]`)
		var onScreen int
		var clipped []string
		b.Run(t, "measure the sheet on screen", chromedp.Evaluate(
			`[...document.querySelectorAll('button, .site-nav')].filter((e) => e.getClientRects().length > 0).length`, &onScreen),
			// On screen too every count box and unit shows without
			// scrolling the table sideways.
			chromedp.Evaluate(`(() => {
			  const wrap = document.querySelector('[data-testid="count-table"]').closest('.table-wrap').getBoundingClientRect();
			  return [...document.querySelectorAll('[data-testid="count-table"] input, [data-testid="count-table"] select')]
			    .filter((e) => e.getBoundingClientRect().right > wrap.right + 1).map((e) => e.id);
			})()`, &clipped))
		if onScreen == 0 {
			t.Fatalf("%s: no buttons or navigation on screen: the measurement below could not see them", theme)
		}
		if len(clipped) > 0 {
			t.Errorf("%s: at 1280 px the count sheet hides %v beyond its table's edge", theme, clipped)
		}

		var sheet printedSheet
		b.Run(t, "print media at an A4 page's width", chromedp.EmulateViewport(paperWidth, 1000), emulateMedia("print"),
			chromedp.Evaluate(measurePrintedSheet, &sheet))
		b.Screenshot(t, "count-sheet-print-"+theme)
		if len(sheet.Shown) > 0 {
			t.Errorf("%s: printed with the page's chrome or buttons: %v", theme, sheet.Shown)
		}
		if !strings.Contains(sheet.Title, "HALL-A-R01-S03") {
			t.Errorf("%s: printed title %q, want the location named", theme, sheet.Title)
		}
		var ids []string
		for _, r := range sheet.Rows {
			ids = append(ids, r.ID)
			if r.Ledger == "" || !r.Box || !r.Empty || r.Unit == "" {
				t.Errorf("%s: row %s prints ledger %q, count box %v (empty %v), unit %q; want all", theme, r.ID, r.Ledger, r.Box, r.Empty, r.Unit)
			}
			if r.Right > float64(paperWidth) {
				t.Errorf("%s: row %s reaches %.0f px on a %d px page", theme, r.ID, r.Right, paperWidth)
			}
			if r.Contrast < 4.5 {
				t.Errorf("%s: row %s prints at %.2f:1 on white paper, want 4.5:1", theme, r.ID, r.Contrast)
			}
		}
		if strings.Join(ids, " ") != strings.Join(wantRows, " ") {
			t.Errorf("%s: printed rows %v, want %v", theme, ids, wantRows)
		}
		if sheet.ScrollWidth > sheet.ClientWidth {
			t.Errorf("%s: the printed sheet is %.0f px wide on a %.0f px page", theme, sheet.ScrollWidth, sheet.ClientWidth)
		}

		var pdf []byte
		b.Run(t, "print to PDF", chromedp.ActionFunc(func(ctx context.Context) error {
			var err error
			pdf, _, err = page.PrintToPDF().WithPaperWidth(8.27).WithPaperHeight(11.69).Do(ctx)
			return err
		}))
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 2000 {
			t.Errorf("%s: the printed PDF is %d bytes starting %q", theme, len(pdf), pdf[:min(len(pdf), 8)])
		}
		out := filepath.Join(testOutput(t, "print"), "count-sheet-"+theme+".pdf")
		if err := os.WriteFile(out, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("printed %s", out)
	}
}

// emulateMedia makes the page lay out for media ("print"; "" for the
// screen again).
func emulateMedia(media string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return emulation.SetEmulatedMedia().WithMedia(media).Do(ctx)
	})
}
