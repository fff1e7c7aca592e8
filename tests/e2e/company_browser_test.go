package e2e

import (
	"bytes"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestCompanyProfileInTheBrowser: an admin saves the company profile with
// an invalid IBAN (refused, the IBAN named beside its field and in the
// summary), then with a valid one; uploads a PNG logo, which the page then
// shows, served by the web from the api (the image loads).
func TestCompanyProfileInTheBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the whole stack")
	}
	s := StartStack(t)
	b := NewBrowser(t, s)
	b.signIn(t, s.AdminEmail, s.AdminPassword)
	b.visit(t, "/settings/company", `[data-testid="company-form"]`)
	b.expectPresent(t, `[data-testid="company-missing"]`)
	b.expectPresent(t, `[data-testid="nav-company"]`)

	b.fill(t, "company", map[string]string{"name": "Getränke Müller GmbH", "street": "Industriestrasse",
		"building_number": "7a", "postal_code": "8400", "town": "Winterthur", "country": "CH",
		"vat_number": "CHE-116.281.710 MWST", "iban": "CH44 3199 9123 0008 8901 3", "bank_name": "ZKB"})
	b.followSummaryLink(t, "save with an invalid IBAN", `[data-testid="company-submit"]`, "company-error", "company-iban")
	b.expectContains(t, `[data-testid="error-company-iban"]`, "IBAN")
	var kept string
	b.Run(t, "read the typed town", chromedp.Value(`#company-town`, &kept, chromedp.ByQuery))
	if kept != "Winterthur" {
		t.Errorf("town after the refusal = %q, want what was typed", kept)
	}

	b.fill(t, "company", map[string]string{"iban": "CH44 3199 9123 0008 8901 2"})
	b.submit(t, "save a valid profile", `[data-testid="company-submit"]`, `[data-testid="flash"]`)
	b.expectPresent(t, `[data-testid="company-complete"]`)
	var iban string
	b.Run(t, "read the stored IBAN", chromedp.Value(`#company-iban`, &iban, chromedp.ByQuery))
	if iban != "CH4431999123000889012" {
		t.Errorf("stored IBAN = %q, want it without spaces", iban)
	}

	// Larger than the web's general body limit (WEB_BODY_LIMIT, 1 MiB):
	// only the logo's route takes a body up to FILE_MAX_BYTES.
	picture := largePNG(t)
	if len(picture) <= 1<<20 {
		t.Fatalf("the test logo has %d bytes; it must be above 1 MiB", len(picture))
	}
	logo := filepath.Join(t.TempDir(), "logo.png")
	if err := os.WriteFile(logo, picture, 0o644); err != nil {
		t.Fatal(err)
	}
	b.Run(t, "choose the logo", chromedp.SetUploadFiles(`#logo-file`, []string{logo}, chromedp.ByQuery))
	b.submit(t, "upload the logo", `[data-testid="logo-submit"]`, `[data-testid="flash"]`)
	var width int
	b.Run(t, "the logo is shown",
		chromedp.WaitVisible(`img[data-testid="company-logo"]`, chromedp.ByQuery),
		chromedp.Poll(`(() => { const i = document.querySelector('img[data-testid="company-logo"]'); return i.complete && i.naturalWidth > 0 ? i.naturalWidth : 0 })()`, &width),
	)
	if width != largePNGWidth {
		t.Errorf("the logo shows %d px wide, want the uploaded %d", width, largePNGWidth)
	}
	var src string
	b.Run(t, "read the logo's address", chromedp.AttributeValue(`img[data-testid="company-logo"]`, "src", &src, nil, chromedp.ByQuery))
	if !strings.HasPrefix(src, "/files/") {
		t.Errorf("the logo comes from %q, want the web's /files/", src)
	}
	b.Screenshot(t, "company-with-logo")

	b.submit(t, "remove the logo", `[data-testid="logo-remove"]`, `[data-testid="flash"]`)
	b.expectPresent(t, `[data-testid="company-logo-none"]`)
}

// largePNGWidth is the width of largePNG's picture.
const largePNGWidth = 800

// largePNG is a picture of noise (which PNG cannot compress), 800 × 450:
// about 1.4 MB.
func largePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, largePNGWidth, 450))
	rng := rand.New(rand.NewPCG(12, 34))
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.Uint32())
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
