package salespdf

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/pdftest"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// samplesDir is where the tests leave one document of each kind for a
// person to look at.
func samplesDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(os.TempDir(), "depotix-samples")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

var (
	issued = time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	due    = time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)
	made   = time.Date(2026, 12, 7, 9, 41, 0, 0, time.UTC)
)

func letterhead(t testing.TB) Letterhead {
	return Letterhead{
		Company: qrbill.Address{Name: "Getränke Müller GmbH", Street: "Industriestrasse", BuildingNumber: "7a",
			PostalCode: "8400", Town: "Winterthur", Country: "CH"},
		VATNumber: "CHE-116.281.710 MWST",
		IBAN:      "CH4431999123000889012",
		BankName:  "Zürcher Kantonalbank",
		Logo:      pngLogo(t),
		LogoType:  "image/png",
		Footer:    "Getränke Müller GmbH · Handelsregister Kanton Zürich CHE-116.281.710\nBesten Dank für Ihren Auftrag.",
	}
}

// customer has umlauts and letters beyond Latin-1 (Š, ț).
func customer() qrbill.Address {
	return qrbill.Address{Name: "Bäckerei Šoštarić & Hoțea", Street: "Bahnhofstrasse", BuildingNumber: "12",
		PostalCode: "9400", Town: "Rorschach", Country: "CH"}
}

// logoImage is a small picture with a transparent corner.
func logoImage() *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, 120, 40))
	for y := range 40 {
		for x := range 120 {
			c := color.NRGBA{R: 20, G: uint8(2 * x), B: 140, A: 255}
			if x < 10 && y < 10 {
				c.A = 0
			}
			img.SetNRGBA(x, y, c)
		}
	}
	return img
}

func pngLogo(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := png.Encode(&buf, logoImage()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegLogo(t testing.TB) []byte {
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, logoImage(), nil); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// png16Logo has 16 bits per channel, which fpdf cannot embed as it is.
func png16Logo(t testing.TB) []byte {
	img := image.NewRGBA64(image.Rect(0, 0, 30, 10))
	for y := range 10 {
		for x := range 30 {
			img.SetRGBA64(x, y, color.RGBA64{R: 0xffff, G: uint16(x) << 11, A: 0xffff})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func webpLogo(t testing.TB) []byte {
	data, err := os.ReadFile(filepath.Join("testdata", "logo.webp"))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// articles are the goods the sample invoices sell: beer by the crate with
// a deposit, mineral water at the reduced rate, a keg.
var articles = []struct {
	sku, name, unit string
	price, deposit  money.Amount
	rate            int
}{
	{"BIER-LAGER", "Lagerbier Müller hell, 20 × 33 cl", "Harass", 2890, 1100, 810},
	{"MIN-STILL", "Mineralwasser ohne Kohlensäure, 6 × 1.5 l", "Pack", 745, 0, 260},
	{"SIRUP-HB", "Sirup Holunderblüte", "Flasche", 633, 0, 260},
	{"FASS-25", "Spezialbier im Fass, Ștefan's Brau", "Fass", 12950, 3000, 810},
}

// invoice builds an invoice of n lines, its totals computed as issuing
// computes them and its QR bill with a QR reference. Up to three lines
// come from one order without empties; more from two orders with empties.
func invoice(t testing.TB, n int) Invoice {
	t.Helper()
	var lines []Line
	var docLines []sales.DocLine
	orders := []string{"LS-2026-0041", "LS-2026-0042"}
	if n <= 3 {
		orders = orders[:1]
	}
	for i := range n {
		a := articles[i%len(articles)]
		q := int64(1 + i%7*3)
		if i == 0 {
			q = 1250 // a thousands separator in quantity and amount
		}
		l := Line{OrderNumber: orders[i*len(orders)/n], ItemSKU: a.sku, ItemName: a.name, Unit: a.unit, Quantity: q,
			UnitPrice: a.price, Net: money.Amount(q) * a.price, VATRateBP: a.rate,
			Deposit: a.deposit, DepositNet: money.Amount(q) * a.deposit}
		lines = append(lines, l)
		docLines = append(docLines, sales.DocLine{ItemID: int64(i), Quantity: q, UnitPrice: a.price,
			VATRateBP: a.rate, Deposit: a.deposit})
	}
	var empties []EmptiesLine
	var docEmpties []sales.DocEmpties
	if n > 3 {
		empties = []EmptiesLine{{OrderNumber: orders[0], ItemSKU: "HARASS-20", ItemName: "Harass leer, 20 Flaschen",
			Unit: "Harass", Quantity: 12, Deposit: 1100, Credit: 13200}}
		docEmpties = []sales.DocEmpties{{ItemID: 99, Quantity: 12, Deposit: 1100, VATRateBP: 810}}
	}
	totals, err := sales.ComputeTotals("CHF", sales.Settings{}, docLines, docEmpties)
	if err != nil {
		t.Fatal(err)
	}
	ref, err := qrbill.BuildQRR(1042, 42)
	if err != nil {
		t.Fatal(err)
	}
	lh := letterhead(t)
	debtor := customer()
	return Invoice{
		Letterhead: lh, Language: German, Number: "RE000042", Date: issued, DueDate: due, CustomerNo: 1042,
		BillTo: debtor, OrderNumbers: orders, Lines: lines, Empties: empties, Totals: totals,
		Bill: qrbill.Bill{Account: lh.IBAN, Creditor: lh.Company, Amount: int64(totals.Payable), HasAmount: true,
			Currency: qrbill.CHF, Debtor: &debtor, ReferenceType: qrbill.QRR, Reference: ref,
			Message: "Rechnung RE000042"},
		Created: made,
	}
}

// pages are the document's pages as pdftotext reads them.
func pages(t testing.TB, path string) []string {
	t.Helper()
	pdftotext := pdftest.RequireTool(t, "pdftotext", "poppler-utils")
	text := pdftest.Run(t, pdftotext, "-layout", path, "-")
	return strings.Split(strings.TrimSuffix(text, "\f"), "\f")
}

// checkText fails for every wanted text the page lacks.
func checkText(t *testing.T, what, text string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s: pdftotext does not find %q in:\n%s", what, w, text)
		}
	}
}

func render(t testing.TB, f func() ([]byte, error), name string) (string, []byte) {
	t.Helper()
	data, err := f()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	pdftest.Write(t, path, data)
	return path, data
}

// A short invoice: everything on one page, the slip at its bottom, its
// code the bill's payload.
func TestInvoice(t *testing.T) {
	pdftoppm := pdftest.RequireTool(t, "pdftoppm", "poppler-utils")
	qpdf := pdftest.RequireTool(t, "qpdf", "qpdf")
	inv := invoice(t, 3)
	path, data := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "invoice.pdf")
	pdftest.Write(t, filepath.Join(samplesDir(t), "invoice.pdf"), data)
	pdftest.CheckPDF(t, qpdf, path)

	ps := pages(t, path)
	if len(ps) != 1 {
		t.Fatalf("%d pages, want 1", len(ps))
	}
	tot := inv.Totals
	if tot.Rounding == 0 || len(tot.VATGroups) != 2 {
		t.Fatalf("the sample should round and have two VAT rates: %+v", tot)
	}
	want := []string{"Rechnung RE000042", "07.12.2026", "06.01.2027", "1042", "LS-2026-0041",
		"Getränke Müller GmbH", "CHE-116.281.710 MWST", "Bäckerei Šoštarić & Hoțea", "Bahnhofstrasse 12",
		"9400 Rorschach", "Lagerbier Müller hell", "1'250 Harasse", "36'125.00", "Depot Lagerbier",
		"13'750.00", "Warenwert netto", formatAmount(tot.Net), "Rundungsdifferenz", formatAmount(tot.Rounding),
		"Zu bezahlen", formatAmount(tot.Payable), "Total inkl. MWST", formatAmount(tot.Gross),
		"Zahlbar innert 30 Tagen, bis 06.01.2027.", "IBAN CH44 3199 9123 0008 8901 2", "Zürcher Kantonalbank",
		"Besten Dank für Ihren Auftrag.", "Seite 1 von 1", "Zahlteil", "Empfangsschein"}
	for _, g := range tot.VATGroups {
		want = append(want, fmt.Sprintf("MWST %s von CHF %s", formatRate(g.RateBP), formatAmount(g.Base)), formatAmount(g.VAT))
	}
	checkText(t, "page 1", ps[0], want...)

	payload, _ := inv.Bill.Payload()
	pdftest.CheckDecoded(t, "gozxing", pdftest.DecodeGozxing(t, pdftest.Rasterise(t, pdftoppm, path)), payload, inv.Bill)
}

// English fixed texts.
func TestInvoiceEnglish(t *testing.T) {
	inv := invoice(t, 2)
	inv.Language = English
	path, _ := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "invoice-en.pdf")
	checkText(t, "page 1", pages(t, path)[0], "Invoice RE000042", "Due date", "Amount payable",
		"VAT 8.1 % on CHF", "Payable within 30 days, by 06.01.2027.", "Page 1 of 1", "Payment part", "Receipt")
}

// Sixty lines take several pages: each continues with the table's header,
// every page is numbered, and the slip is on the last page only, where its
// code reads.
func TestInvoiceBreaksPages(t *testing.T) {
	pdftoppm := pdftest.RequireTool(t, "pdftoppm", "poppler-utils")
	qpdf := pdftest.RequireTool(t, "qpdf", "qpdf")
	inv := invoice(t, 60)
	path, data := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "invoice-60.pdf")
	pdftest.Write(t, filepath.Join(samplesDir(t), "invoice-60-lines.pdf"), data)
	pdftest.CheckPDF(t, qpdf, path)
	ps := pages(t, path)
	n := len(ps)
	if n < 3 {
		t.Fatalf("%d pages for 60 lines with deposits, want at least 3", n)
	}
	lineRows := 0
	for i, p := range ps {
		what := fmt.Sprintf("page %d", i+1)
		checkText(t, what, p, fmt.Sprintf("Seite %d von %d", i+1, n), "IBAN CH44 3199 9123 0008 8901 2")
		if i > 0 {
			checkText(t, what, p, "Rechnung RE000042, Fortsetzung")
		}
		rows := len(unitCount.FindAllString(p, -1))
		if rows > 0 {
			checkText(t, what, p, "Artikel", "Bezeichnung", "Menge", "Betrag")
		}
		lineRows += rows
		if has := strings.Contains(p, "Zahlteil"); has != (i == n-1) {
			t.Errorf("%s: slip there %v, want it on the last page only", what, has)
		}
	}
	all := strings.Join(ps, "\n")
	checkText(t, "last pages", ps[n-2]+ps[n-1], "Zu bezahlen", formatAmount(inv.Totals.Payable))
	// Two orders: their lines under a heading each; the empties credited.
	checkText(t, "document", all, "Lieferschein LS-2026-0041", "Lieferschein LS-2026-0042", "Leergut zurück",
		"Harass leer, 20 Flaschen", "-132.00", "Leergut-Gutschrift")
	if lineRows < 60 {
		t.Errorf("found %d rows with a unit over all pages, want at least 60", lineRows)
	}
	// The footer of an earlier page prints black, not in the grey the
	// page's table header left behind.
	footerY := pageBottom - float64(1+len(letterhead(t).Footer)/60)*footerLine - 2
	if ink := inkIn(t, pdftest.RasterisePage(t, pdftoppm, path, 2), left, footerY, 60, 3); ink < 100 {
		t.Errorf("page 2's footer has %d dark pixels: printed too light", ink)
	}
	payload, _ := inv.Bill.Payload()
	pdftest.CheckDecoded(t, "gozxing, last page", pdftest.DecodeGozxing(t, pdftest.RasterisePage(t, pdftoppm, path, n)),
		payload, inv.Bill)
}

// When the totals end low on the page, the slip gets a page of its own.
func TestInvoiceSlipOnItsOwnPage(t *testing.T) {
	for n := 4; n <= 30; n++ {
		inv := invoice(t, n)
		path, _ := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "invoice.pdf")
		ps := pages(t, path)
		last := ps[len(ps)-1]
		if !strings.Contains(last, "Zahlteil") {
			t.Fatalf("%d lines: no slip on the last page", n)
		}
		if !strings.Contains(last, "Zu bezahlen") {
			// The slip's own page: the totals are on the one before.
			checkText(t, "page before the slip", ps[len(ps)-2], "Zu bezahlen")
			return
		}
	}
	t.Fatal("no invoice of 4 to 30 lines put the slip on a page of its own")
}

func TestInvoiceByteIdentical(t *testing.T) {
	inv := invoice(t, 20)
	first, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := RenderInvoice(inv)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("two renderings of the same invoice differ")
		}
	}
	inv.Letterhead.Logo, inv.Letterhead.LogoType = webpLogo(t), "image/webp"
	a, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	b, err := RenderInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings with a WebP logo differ")
	}
	inv.Created = inv.Created.Add(time.Second)
	if other, _ := RenderInvoice(inv); bytes.Equal(a, other) {
		t.Error("the creation time does not reach the file")
	}
}

func TestInvoiceRefusesBill(t *testing.T) {
	inv := invoice(t, 1)
	inv.Bill.Account = "CH5800791123000889012" // a normal IBAN with a QR reference
	_, err := RenderInvoice(inv)
	var qe *qrbill.Error
	if !errors.As(err, &qe) || !qe.Has("reference_type", qrbill.CodeQRRNeedsQRIBAN) {
		t.Fatalf("got %v, want the qrbill error", err)
	}
}

// An invoice laid out before its number is known and finished with it is
// byte for byte the invoice rendered in one go: the layout does not look
// at the number (nor at the bill), whatever it is while preparing. Also
// over several pages, where the number is in every page's head.
func TestInvoicePreparedThenFinished(t *testing.T) {
	for _, n := range []int{3, 60} {
		inv := invoice(t, n)
		whole, err := RenderInvoice(inv)
		if err != nil {
			t.Fatal(err)
		}
		early := inv
		early.Number, early.Bill = "RE1234567890", qrbill.Bill{}
		p, err := PrepareInvoice(early)
		if err != nil {
			t.Fatal(err)
		}
		parts, err := p.Finish(inv.Number, inv.Bill)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(whole, parts) {
			t.Errorf("%d lines: prepared and finished differs from the one-go rendering", n)
		}
		if _, err := p.Finish(inv.Number, inv.Bill); err == nil {
			t.Errorf("%d lines: a second Finish of the same invoice is accepted", n)
		}
	}
	// Another number reaches the title and the bill's code: other bytes.
	inv := invoice(t, 3)
	first, _ := RenderInvoice(inv)
	inv.Number, inv.Bill.Message = "RE000043", "Rechnung RE000043"
	if other, _ := RenderInvoice(inv); bytes.Equal(first, other) {
		t.Error("the number does not reach the file")
	}
}

// Finish refuses a bill qrbill refuses, as RenderInvoice does.
func TestInvoiceFinishRefusesBill(t *testing.T) {
	inv := invoice(t, 1)
	p, err := PrepareInvoice(inv)
	if err != nil {
		t.Fatal(err)
	}
	inv.Bill.Account = "CH5800791123000889012" // a normal IBAN with a QR reference
	_, err = p.Finish(inv.Number, inv.Bill)
	var qe *qrbill.Error
	if !errors.As(err, &qe) || !qe.Has("reference_type", qrbill.CodeQRRNeedsQRIBAN) {
		t.Fatalf("got %v, want the qrbill error", err)
	}
}

func TestCreditNotePreparedThenFinished(t *testing.T) {
	cn := creditNote(t)
	whole, err := RenderCreditNote(cn)
	if err != nil {
		t.Fatal(err)
	}
	early := cn
	early.Number = ""
	p, err := PrepareCreditNote(early)
	if err != nil {
		t.Fatal(err)
	}
	parts, err := p.Finish(cn.Number)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(whole, parts) {
		t.Error("prepared and finished differs from the one-go rendering")
	}
	if _, err := p.Finish(cn.Number); err == nil {
		t.Error("a second Finish of the same credit note is accepted")
	}
	cn.Number = "GS000008"
	if other, _ := RenderCreditNote(cn); bytes.Equal(whole, other) {
		t.Error("the number does not reach the file")
	}
}

// Every logo type prints, scaled into its box; one that does not decode
// is refused on every document.
func TestLogos(t *testing.T) {
	pdftoppm := pdftest.RequireTool(t, "pdftoppm", "poppler-utils")
	for _, tt := range []struct {
		name, typ string
		data      []byte
	}{
		{"png", "image/png", pngLogo(t)},
		{"png16", "image/png", png16Logo(t)},
		{"jpeg", "image/jpeg", jpegLogo(t)},
		{"webp", "image/webp", webpLogo(t)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			inv := invoice(t, 1)
			inv.Letterhead.Logo, inv.Letterhead.LogoType = tt.data, tt.typ
			path, data := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "logo.pdf")
			if !bytes.Contains(data, []byte("/Subtype /Image")) {
				t.Fatal("no image in the document")
			}
			// The box at the top left is not blank on the page.
			if dark := inkIn(t, pdftest.Rasterise(t, pdftoppm, path), left, top, 20, 6); dark == 0 {
				t.Error("nothing printed where the logo goes")
			}
		})
	}
	broken := [][2]string{{"image/png", "\x89PNG\r\n\x1a\nnot really"}, {"image/jpeg", "\xff\xd8\xffgarbage"},
		{"image/webp", "RIFF\x24\x00\x00\x00WEBPVP8 broken"}, {"image/svg+xml", "<svg/>"}}
	for _, b := range broken {
		lh := letterhead(t)
		lh.Logo, lh.LogoType = []byte(b[1]), b[0]
		inv := invoice(t, 1)
		inv.Letterhead = lh
		if _, err := RenderInvoice(inv); !errors.Is(err, ErrLogo) {
			t.Errorf("%s: invoice: got %v, want ErrLogo", b[0], err)
		}
		if _, err := RenderCreditNote(CreditNote{Letterhead: lh}); !errors.Is(err, ErrLogo) {
			t.Errorf("%s: credit note: got %v, want ErrLogo", b[0], err)
		}
		if _, err := RenderDeliveryNote(DeliveryNote{Letterhead: lh}); !errors.Is(err, ErrLogo) {
			t.Errorf("%s: delivery note: got %v, want ErrLogo", b[0], err)
		}
	}
}

// inkIn counts the non-white pixels of a w × h mm area at (x, y) mm of a
// 300 dpi page.
func inkIn(t testing.TB, pngPath string, x, y, w, h float64) int {
	t.Helper()
	img := pdftest.ReadPNG(t, pngPath)
	px := func(mm float64) int { return int(mm / 25.4 * 300) }
	n := 0
	for py := px(y); py < px(y+h); py++ {
		for pxx := px(x); pxx < px(x+w); pxx++ {
			if g := color.GrayModel.Convert(img.At(pxx, py)).(color.Gray); g.Y < 200 {
				n++
			}
		}
	}
	return n
}

func creditNote(t testing.TB) CreditNote {
	inv := invoice(t, 3)
	lines := inv.Lines[1:3]
	var docLines []sales.DocLine
	for _, l := range lines {
		docLines = append(docLines, sales.DocLine{Quantity: l.Quantity, UnitPrice: l.UnitPrice, VATRateBP: l.VATRateBP,
			Deposit: l.Deposit})
	}
	totals, err := sales.ComputeTotals("CHF", sales.Settings{}, docLines, nil)
	if err != nil {
		t.Fatal(err)
	}
	return CreditNote{
		Letterhead: inv.Letterhead, Language: German, Number: "GS000007", Date: issued.AddDate(0, 0, 3),
		InvoiceNumber: "RE000042", CustomerNo: 1042, BillTo: inv.BillTo,
		Reason: "Falsch geliefert: Sirup statt Mineralwasser", GoodsReturned: true,
		Lines: lines, Totals: totals.Negate(), Created: made,
	}
}

func TestCreditNote(t *testing.T) {
	qpdf := pdftest.RequireTool(t, "qpdf", "qpdf")
	cn := creditNote(t)
	path, data := render(t, func() ([]byte, error) { return RenderCreditNote(cn) }, "credit-note.pdf")
	pdftest.Write(t, filepath.Join(samplesDir(t), "credit-note.pdf"), data)
	pdftest.CheckPDF(t, qpdf, path)
	ps := pages(t, path)
	if len(ps) != 1 {
		t.Fatalf("%d pages, want 1", len(ps))
	}
	want := []string{"Gutschrift GS000007", "10.12.2026", "Zu Rechnung", "RE000042", "Ware zurückgenommen", "ja",
		"Grund: Falsch geliefert: Sirup statt Mineralwasser", "Bäckerei Šoštarić & Hoțea",
		"Gutschrift total", formatAmount(cn.Totals.Payable), "Seite 1 von 1"}
	if cn.Totals.Payable >= 0 {
		t.Fatal("the sample credit note's totals should be negative")
	}
	for _, g := range cn.Totals.VATGroups {
		want = append(want, fmt.Sprintf("MWST %s von CHF %s", formatRate(g.RateBP), formatAmount(g.Base)))
	}
	checkText(t, "credit note", ps[0], want...)
	for _, no := range []string{"Zahlteil", "Empfangsschein", "Zu bezahlen"} {
		if strings.Contains(ps[0], no) {
			t.Errorf("a credit note shows %q", no)
		}
	}
	cn.GoodsReturned = false
	cn.Language = English
	path, _ = render(t, func() ([]byte, error) { return RenderCreditNote(cn) }, "credit-note-en.pdf")
	checkText(t, "English", pages(t, path)[0], "Credit note GS000007", "Goods returned", "no", "Total credited")
}

// A billed row writes its count with the unit's name in the plural unless
// the count is one ("3 Harasse", "1 Harass"), on invoices, credit notes
// and their empties alike, whatever the document's language: the unit is
// the depot's own word.
func TestUnitPlurals(t *testing.T) {
	inv := invoice(t, 4)
	inv.Lines[0].Quantity = 1
	inv.Lines[1].Unit, inv.Lines[1].Quantity = "Harass", 3
	inv.Lines[3].Unit = "crate"
	for _, lang := range []Language{German, English} {
		inv.Language = lang
		path, _ := render(t, func() ([]byte, error) { return RenderInvoice(inv) }, "invoice-units-"+string(lang)+".pdf")
		p := strings.Join(pages(t, path), "\n")
		for _, re := range []string{`\s1 Harass\s`, `\s3 Harasse\s`, `\s7 Flaschen\s`, `\s10 crates\s`, `\s12 Harasse\s`} {
			if !matches(re, p) {
				t.Errorf("%s invoice: nothing matches %s in:\n%s", lang, re, p)
			}
		}
		if matches(`\s1 Harasse|\s3 Harass\s`, p) {
			t.Errorf("%s invoice: a count of one in the plural or of three in the singular:\n%s", lang, p)
		}
	}
	cn := creditNote(t)
	cn.Lines = []Line{inv.Lines[0], inv.Lines[1]}
	path, _ := render(t, func() ([]byte, error) { return RenderCreditNote(cn) }, "credit-note-units.pdf")
	p := pages(t, path)[0]
	for _, re := range []string{`\s1 Harass\s`, `\s3 Harasse\s`} {
		if !matches(re, p) {
			t.Errorf("credit note: nothing matches %s in:\n%s", re, p)
		}
	}
}

func deliveryNote(delivered bool) DeliveryNote {
	lines := []DeliveryLine{
		{ItemSKU: "BIER-LAGER", ItemName: "Lagerbier Müller hell, 20 × 33 cl", Unit: "Harass", Ordered: 1250},
		{ItemSKU: "MIN-STILL", ItemName: "Mineralwasser ohne Kohlensäure", Unit: "Pack", Ordered: 12},
		{ItemSKU: "FASS-25", ItemName: "Spezialbier im Fass, Ștefan's Brau", Unit: "Fass", Ordered: 3},
	}
	if delivered {
		all, short, none := int64(1250), int64(10), int64(0)
		lines[0].Delivered, lines[1].Delivered, lines[2].Delivered = &all, &short, &none
	}
	return DeliveryNote{
		Language: German, OrderNumber: "LS-2026-0042", Date: issued, CustomerNo: 1042,
		CustomerName: "Bäckerei Šoštarić & Hoțea",
		ShipTo: qrbill.Address{Name: "Bäckerei Šoštarić & Hoțea, Filiale Hafen", Street: "Hafenplatz", BuildingNumber: "3",
			PostalCode: "9400", Town: "Rorschach", Country: "CH"},
		Notes: "Anlieferung über die Rampe hinten.\nBitte Leergut bereitstellen.",
		Lines: lines,
		Empties: []EmptiesLine{{ItemSKU: "HARASS-20", ItemName: "Harass leer, 20 Flaschen", Unit: "Harass",
			Quantity: 12, Deposit: 1100, Credit: 13200}},
		Created: made,
	}
}

func TestDeliveryNote(t *testing.T) {
	qpdf := pdftest.RequireTool(t, "qpdf", "qpdf")
	dn := deliveryNote(true)
	dn.Letterhead = letterhead(t)
	path, data := render(t, func() ([]byte, error) { return RenderDeliveryNote(dn) }, "delivery-note.pdf")
	pdftest.Write(t, filepath.Join(samplesDir(t), "delivery-note.pdf"), data)
	pdftest.CheckPDF(t, qpdf, path)
	ps := pages(t, path)
	if len(ps) != 1 {
		t.Fatalf("%d pages, want 1", len(ps))
	}
	p := ps[0]
	checkText(t, "delivery note", p, "Lieferschein LS-2026-0042", "Lieferdatum", "07.12.2026", "1042 Bäckerei Šoštarić & Hoțea",
		"Filiale Hafen", "Hafenplatz 3", "Getränke Müller GmbH", "Bestellt", "Geliefert", "Einheit",
		"Leergut zurückgenommen", "Harass leer, 20 Flaschen", "Bemerkungen", "Anlieferung über die Rampe hinten.",
		"Bitte Leergut bereitstellen.", "Ort, Datum", "Unterschrift", "Name in Blockschrift", "Seite 1 von 1")
	for _, re := range []string{`Harass\s+1'250\s+1'250`, `Pack\s+12\s+10\n`, `Fass\s+3\s+0\n`, `Harass\s+12\n`} {
		if !matches(re, p) {
			t.Errorf("no row matching %s in:\n%s", re, p)
		}
	}
	// Empties have no amounts on a delivery note, and no QR bill.
	for _, no := range []string{"11.00", "132.00", "Zahlteil"} {
		if strings.Contains(p, no) {
			t.Errorf("the delivery note shows %q", no)
		}
	}

	// Printed before the delivery: the delivered column stays blank.
	dn = deliveryNote(false)
	path, _ = render(t, func() ([]byte, error) { return RenderDeliveryNote(dn) }, "picking.pdf")
	p = pages(t, path)[0]
	if strings.Contains(p, "Lieferdatum") || !strings.Contains(p, "Datum") {
		t.Errorf("before delivery the note is dated as printed, not delivered:\n%s", p)
	}
	for _, re := range []string{`Harass\s+1'250\n`, `Pack\s+12\n`, `Fass\s+3\n`} {
		if !matches(re, p) {
			t.Errorf("before delivery: no row matching %s in:\n%s", re, p)
		}
	}
	dn.Language = English
	path, _ = render(t, func() ([]byte, error) { return RenderDeliveryNote(dn) }, "picking-en.pdf")
	checkText(t, "English", pages(t, path)[0], "Delivery note LS-2026-0042", "Ordered", "Delivered",
		"Empties taken back", "Place, date", "Name in block letters", "Page 1 of 1")
}

// Free texts print whatever they hold: an emoji (beyond the glyph map
// fpdf indexes: it panicked), control characters and letters the font
// lacks neither fail nor panic.
func TestStrangeText(t *testing.T) {
	dn := deliveryNote(true)
	dn.Lines[0].ItemName = "Bier 🍺 im\u0000Fass \u202e Привет 中文"
	dn.Notes = "Rampe 🚚\r\nhinten"
	path, _ := render(t, func() ([]byte, error) { return RenderDeliveryNote(dn) }, "strange.pdf")
	checkText(t, "delivery note", pages(t, path)[0], "Bier ? im Fass", "Привет", "Rampe ?", "hinten")
	inv := invoice(t, 1)
	inv.Lines[0].ItemName = "👍"
	if _, err := RenderInvoice(inv); err != nil {
		t.Fatal(err)
	}
}

func TestFormats(t *testing.T) {
	for _, tt := range []struct {
		got, want string
	}{
		{formatAmount(0), "0.00"}, {formatAmount(5), "0.05"}, {formatAmount(-5), "-0.05"},
		{formatAmount(123450), "1'234.50"}, {formatAmount(-99999999999), "-999'999'999.99"},
		{formatAmount(money.Amount(-1 << 63)), "-92'233'720'368'547'758.08"},
		{formatQuantity(1), "1"}, {formatQuantity(1000), "1'000"}, {formatQuantity(-1234567), "-1'234'567"},
		{formatRate(810), "8.1 %"}, {formatRate(260), "2.6 %"}, {formatRate(775), "7.75 %"}, {formatRate(0), "0.0 %"},
		{formatRate(1000), "10.0 %"}, {formatRate(5), "0.05 %"},
		{formatDate(time.Date(2027, 1, 6, 0, 0, 0, 0, time.UTC)), "06.01.2027"},
	} {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
	if d := days(issued, due); d != 30 {
		t.Errorf("days = %d", d)
	}
}

// BenchmarkRenderInvoice20Lines is the rendering part of issuing an
// invoice: 20 lines with deposits, empties, totals and the QR bill.
func BenchmarkRenderInvoice20Lines(b *testing.B) {
	inv := invoice(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderInvoice(inv); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPrepareInvoice20Lines and BenchmarkFinishInvoice20Lines are
// the two halves of BenchmarkRenderInvoice20Lines: what an issue does
// before it takes the number, and what it does while holding it.
func BenchmarkPrepareInvoice20Lines(b *testing.B) {
	inv := invoice(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := PrepareInvoice(inv); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFinishInvoice20Lines(b *testing.B) {
	inv := invoice(b, 20)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		p, err := PrepareInvoice(inv)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := p.Finish(inv.Number, inv.Bill); err != nil {
			b.Fatal(err)
		}
	}
}

// unitCount finds a count of crates, packs or kegs as a billed row prints
// it, singular or plural ("1 Harass", "4 Packs", "7 Fässer").
var unitCount = regexp.MustCompile(`\d (?:Harasse?|Packs?|Fass|Fässer)(?:\s|$)`)

func matches(re, s string) bool { return regexp.MustCompile(re).MatchString(s) }
