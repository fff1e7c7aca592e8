package qrslip

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/pdfdoc"
	"github.com/depotix/depotix/services/api/internal/pdftest"
	"github.com/depotix/depotix/services/api/internal/qrbill"
)

// outputDir is .test-output/qrbill of this checkout, where the sample PDFs
// stay for a person to look at (git-ignored).
func outputDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.work")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.work above the test's folder: cannot find the checkout")
		}
		dir = parent
	}
	out := filepath.Join(dir, ".test-output", "qrbill")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// The guideline's example 1: QR-IBAN, QR reference, amount, debtor, bill
// information.
func exampleQRR() qrbill.Bill {
	return qrbill.Bill{
		Account: "CH4431999123000889012",
		Creditor: qrbill.Address{Name: "Robert Schneider AG", Street: "Rue du Lac", BuildingNumber: "1268",
			PostalCode: "2501", Town: "Biel", Country: "CH"},
		Amount: 194975, HasAmount: true, Currency: qrbill.CHF,
		Debtor: &qrbill.Address{Name: "Pia-Maria Rutschmann-Schnyder", Street: "Grosse Marktgasse", BuildingNumber: "28",
			PostalCode: "9400", Town: "Rorschach", Country: "CH"},
		ReferenceType: qrbill.QRR, Reference: "210000000003139471430009017",
		Message:         "Auftrag vom 15.06.2020",
		BillInformation: "//S1/10/10201409/11/200701/20/140.000-53/30/102673831/31/200615/32/7.7/33/7.7:0/40/0:30",
	}
}

// An IBAN with a creditor reference, in euros, the amount and payer left
// open for the payer to fill in.
func exampleSCOR() qrbill.Bill {
	return qrbill.Bill{
		Account: "CH5800791123000889012",
		Creditor: qrbill.Address{Name: "Getränke Müller GmbH", Street: "Industriestrasse", BuildingNumber: "7a",
			PostalCode: "8400", Town: "Winterthur", Country: "CH"},
		Currency:      qrbill.EUR,
		ReferenceType: qrbill.SCOR, Reference: "RF18539007547034",
	}
}

// Every field at its longest, with letters beyond Latin-1 and a debtor
// abroad: the layout must fit it without cutting anything. The filler is
// "m", about the widest letter; mostly ASCII keeps the payload within
// the 997 bytes of a version-25 code.
func exampleLongest() qrbill.Bill {
	fill := func(prefix string, n int) string {
		return prefix + strings.Repeat("m", n-len([]rune(prefix)))
	}
	return qrbill.Bill{
		Account: "CH5800791123000889012",
		Creditor: qrbill.Address{Name: fill("Ștefan Țăranu Šoštarić € ", 70), Street: fill("Strada ", 70),
			BuildingNumber: fill("1", 16), PostalCode: fill("9", 16), Town: fill("Țară ", 35), Country: "LI"},
		Amount: qrbill.MaxAmount, HasAmount: true, Currency: qrbill.CHF,
		Debtor: &qrbill.Address{Name: fill("Ödön Ørsted ", 70), Street: fill("Allée ", 70), BuildingNumber: fill("2", 16),
			PostalCode: fill("F", 16), Town: fill("Ville ", 35), Country: "FR"},
		ReferenceType: qrbill.NON,
		Message:       fill("Rechnung RE-2026-0042 vom 7.12.2026, Lieferung LS-2026-0007: ", 80),
		// 80 + 60: the message and the bill information at their joint limit.
		BillInformation:    "//S1/10/RE20260042/11/261207/30/116281710/32/8.1/40/0:30" + strings.Repeat("0", 60-56),
		AlternativeSchemes: []string{"eBill/B/peter@sample.ch", fill("XY;", 100)},
	}
}

type sample struct {
	name string
	bill qrbill.Bill
	lang Language
	// text is what pdftotext must find on the page.
	text []string
}

func samples() []sample {
	return []sample{
		{"qrr-de", exampleQRR(), German, []string{"Zahlteil", "Empfangsschein", "CH44 3199 9123 0008 8901 2",
			"21 00000 00003 13947 14300 09017", "1 949.75", "Robert Schneider AG", "Rue du Lac 1268", "2501 Biel",
			"Pia-Maria Rutschmann-Schnyder", "Auftrag vom 15.06.2020", "Zusätzliche Informationen", "Annahmestelle",
			"Vor der Einzahlung abzutrennen"}},
		{"scor-en", exampleSCOR(), English, []string{"Payment part", "Receipt", "CH58 0079 1123 0008 8901 2",
			"RF18 5390 0754 7034", "EUR", "Getränke Müller GmbH", "Industriestrasse 7a", "8400 Winterthur",
			"Payable by (name/address)", "Acceptance point", "Separate before paying in"}},
		{"longest-de", exampleLongest(), German, []string{"999 999 999.99", "CH58 0079 1123 0008 8901 2",
			"Ștefan Țăranu Šoštarić €", "Ödön Ørsted", "eBill/B/peter@sample.ch"}},
	}
}

// TestSlips renders every sample, writes it to .test-output/qrbill and
// checks the page with independent tools: the QR code decoded by gozxing
// and by zbar and compared field by field with the bill, the printed
// texts found by pdftotext, the file's structure by qpdf.
func TestSlips(t *testing.T) {
	pdftoppm := pdftest.RequireTool(t, "pdftoppm", "poppler-utils")
	pdftotext := pdftest.RequireTool(t, "pdftotext", "poppler-utils")
	zbarimg := pdftest.RequireTool(t, "zbarimg", "zbar-tools")
	qpdf := pdftest.RequireTool(t, "qpdf", "qpdf")
	out := outputDir(t)

	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			payload, err := s.bill.Payload()
			if err != nil {
				t.Fatal(err)
			}
			// The guideline allows codes up to version 25 (117 modules),
			// error correction M: what stays readable at 46 mm.
			code, err := encode(payload)
			if err != nil {
				t.Fatal(err)
			}
			if n := code.Size(); n > 117 {
				t.Fatalf("QR code of %d modules, want at most 117", n)
			}
			real, err := PDF(s.bill, Options{Language: s.lang})
			if err != nil {
				t.Fatal(err)
			}
			plain, err := PDF(s.bill, Options{Language: s.lang, WithoutSwissCross: true})
			if err != nil {
				t.Fatal(err)
			}
			realPath := filepath.Join(out, s.name+".pdf")
			plainPath := filepath.Join(out, s.name+"-without-cross.pdf")
			pdftest.Write(t, realPath, real)
			pdftest.Write(t, plainPath, plain)
			t.Logf("sample: %s", realPath)

			// Without the cross both decoders must read the code.
			plainPNG := pdftest.Rasterise(t, pdftoppm, plainPath)
			pdftest.CheckDecoded(t, "gozxing, without cross", pdftest.DecodeGozxing(t, plainPNG), payload, s.bill)
			pdftest.CheckDecoded(t, "zbarimg, without cross", pdftest.DecodeZbar(t, zbarimg, plainPNG), payload, s.bill)
			// The real page: gozxing (zbar fails on some codes once the
			// cross covers the central alignment pattern; see
			// docs/sales.md).
			realPNG := pdftest.Rasterise(t, pdftoppm, realPath)
			pdftest.CheckDecoded(t, "gozxing, real page", pdftest.DecodeGozxing(t, realPNG), payload, s.bill)

			text := pdftest.Run(t, pdftotext, "-layout", realPath, "-")
			for _, want := range s.text {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext does not find %q in:\n%s", want, text)
				}
			}
			for _, p := range []string{realPath, plainPath} {
				pdftest.CheckPDF(t, qpdf, p)
			}
		})
	}
}

// The slip drawn under other content on an invoice page is read as well,
// and the page's own content stays.
func TestDrawOnInvoicePage(t *testing.T) {
	pdftoppm := pdftest.RequireTool(t, "pdftoppm", "poppler-utils")
	pdftotext := pdftest.RequireTool(t, "pdftotext", "poppler-utils")
	pdf := pdfdoc.New(time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC))
	pdf.AddPage()
	pdf.SetFont(pdfdoc.Font, "B", 14)
	pdf.Text(20, 30, "Rechnung RE-2026-0042")
	// The invoice's automatic page breaks must not move the slip.
	pdf.SetAutoPageBreak(true, 20)
	b := exampleQRR()
	if err := Draw(pdf, b, Options{}); err != nil {
		t.Fatal(err)
	}
	if auto, margin := pdf.GetAutoPageBreak(); !auto || margin != 20 {
		t.Errorf("Draw changed the page-break setting to %v, %g", auto, margin)
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		t.Fatal(err)
	}
	if n := pdf.PageCount(); n != 1 {
		t.Fatalf("%d pages, want 1", n)
	}
	path := filepath.Join(outputDir(t), "invoice-page.pdf")
	pdftest.Write(t, path, buf.Bytes())
	payload, _ := b.Payload()
	pdftest.CheckDecoded(t, "gozxing", pdftest.DecodeGozxing(t, pdftest.Rasterise(t, pdftoppm, path)), payload, b)
	if text := pdftest.Run(t, pdftotext, "-layout", path, "-"); !strings.Contains(text, "Rechnung RE-2026-0042") || !strings.Contains(text, "1 949.75") {
		t.Errorf("pdftotext misses the invoice's or the slip's text:\n%s", text)
	}
}

// The same bill and date give the same bytes; another date other bytes
// (so the date really is the only varying input).
func TestByteIdentical(t *testing.T) {
	created := time.Date(2026, 12, 7, 9, 30, 0, 0, time.UTC)
	first, err := PDF(exampleQRR(), Options{Created: created})
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		again, err := PDF(exampleQRR(), Options{Created: created})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatal("two renderings of the same bill differ")
		}
	}
	other, err := PDF(exampleQRR(), Options{Created: created.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(first, other) {
		t.Error("the creation date does not reach the file")
	}
	if !bytes.Contains(first, []byte("D:20261207093000")) {
		t.Error("creation date not written as given")
	}
}

func TestRefuses(t *testing.T) {
	b := exampleQRR()
	b.Account = "CH5800791123000889012" // a normal IBAN with a QR reference
	_, err := PDF(b, Options{})
	var qe *qrbill.Error
	if !errors.As(err, &qe) || !qe.Has("reference_type", qrbill.CodeQRRNeedsQRIBAN) {
		t.Fatalf("an invalid bill: got %v, want the qrbill error", err)
	}

	pdf := pdfdoc.New(time.Time{})
	pdf.AddPageFormat("L", pdf.GetPageSizeStr("A4"))
	if err := Draw(pdf, exampleQRR(), Options{}); err == nil || !strings.Contains(err.Error(), "210 mm wide") {
		t.Fatalf("a landscape page: got %v", err)
	}
}

// fit refuses what does not fit rather than cutting it.
func TestFitRefuses(t *testing.T) {
	pdf := pdfdoc.New(time.Time{})
	pdf.AddPage()
	s := slip{pdf: pdf}
	secs := []section{{heading: "H", lines: []string{strings.Repeat("word ", 200)}}}
	if _, _, err := s.fit(secs, 50, 20, []sizes{{8, 10}, {7, 8}}); err == nil {
		t.Fatal("a text far too long for its section fitted")
	}
	fitted, sz, err := s.fit(secs, 50, 200, []sizes{{8, 10}, {7, 8}})
	if err != nil || sz.value != 10 || len(fitted[0].lines) < 2 {
		t.Fatalf("a text that fits at the first size: %v, %v, %d lines", err, sz, len(fitted[0].lines))
	}
	if got := strings.Join(fitted[0].lines, " "); strings.Join(strings.Fields(got), " ") != strings.TrimSpace(strings.Repeat("word ", 200)) {
		t.Error("wrapping lost or changed words")
	}
}

func TestAddressLines(t *testing.T) {
	for _, tt := range []struct {
		a    qrbill.Address
		want []string
	}{
		{qrbill.Address{Name: "A", Street: "Rue du Lac", BuildingNumber: "1268", PostalCode: "2501", Town: "Biel", Country: "CH"}, []string{"A", "Rue du Lac 1268", "2501 Biel"}},
		{qrbill.Address{Name: "A", PostalCode: "9490", Town: "Vaduz", Country: "LI"}, []string{"A", "9490 Vaduz"}},
		{qrbill.Address{Name: "A", Street: "Allée", PostalCode: "75001", Town: "Paris", Country: "FR"}, []string{"A", "Allée", "FR – 75001 Paris"}},
	} {
		if got := AddressLines(tt.a); !cmp.Equal(got, tt.want) {
			t.Errorf("AddressLines(%+v) = %q, want %q", tt.a, got, tt.want)
		}
	}
}

// BenchmarkPDF is the time of one standalone slip page (fonts embedded,
// QR encoded and drawn, file written).
func BenchmarkPDF(b *testing.B) {
	bill := exampleQRR()
	for b.Loop() {
		if _, err := PDF(bill, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
