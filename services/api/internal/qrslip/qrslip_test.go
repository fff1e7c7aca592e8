package qrslip

import (
	"bytes"
	"errors"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/boombuler/barcode/qr"
	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/depotix/depotix/services/api/internal/pdfdoc"
	"github.com/depotix/depotix/services/api/internal/qrbill"
)

// skipToolsEnv lets a developer without the Debian tools run the rest of
// the package's tests. CI never sets it: .ci/run installs the tools, and
// a missing one fails the test naming its package.
const skipToolsEnv = "DEPOTIX_SKIP_PDF_TOOLS"

// requireTool returns the path of a command-line tool the tests need.
func requireTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv(skipToolsEnv) == "1" {
		t.Skipf("%s not installed and %s=1: skipped on request", name, skipToolsEnv)
	}
	t.Fatalf("%s not found: install it with `apt-get install %s` (.ci/run installs it when missing), or set %s=1 to skip these checks on purpose",
		name, debianPackage, skipToolsEnv)
	return ""
}

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
	pdftoppm := requireTool(t, "pdftoppm", "poppler-utils")
	pdftotext := requireTool(t, "pdftotext", "poppler-utils")
	zbarimg := requireTool(t, "zbarimg", "zbar-tools")
	qpdf := requireTool(t, "qpdf", "qpdf")
	out := outputDir(t)

	for _, s := range samples() {
		t.Run(s.name, func(t *testing.T) {
			payload, err := s.bill.Payload()
			if err != nil {
				t.Fatal(err)
			}
			// The guideline allows codes up to version 25 (117 modules),
			// error correction M: what stays readable at 46 mm.
			code, err := qr.Encode(payload, qr.M, qr.Unicode)
			if err != nil {
				t.Fatal(err)
			}
			if n := code.Bounds().Dx(); n > 117 {
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
			write(t, realPath, real)
			write(t, plainPath, plain)
			t.Logf("sample: %s", realPath)

			// Without the cross both decoders must read the code.
			plainPNG := rasterise(t, pdftoppm, plainPath)
			checkDecoded(t, "gozxing, without cross", decodeGozxing(t, plainPNG), payload, s.bill)
			checkDecoded(t, "zbarimg, without cross", decodeZbar(t, zbarimg, plainPNG), payload, s.bill)
			// The real page: gozxing (zbar fails on some codes once the
			// cross covers the central alignment pattern; see
			// docs/sales.md).
			realPNG := rasterise(t, pdftoppm, realPath)
			checkDecoded(t, "gozxing, real page", decodeGozxing(t, realPNG), payload, s.bill)

			text := run(t, pdftotext, "-layout", realPath, "-")
			for _, want := range s.text {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext does not find %q in:\n%s", want, text)
				}
			}
			for _, p := range []string{realPath, plainPath} {
				if got := run(t, qpdf, "--check", p); !strings.Contains(got, "No syntax or stream encoding errors") {
					t.Errorf("qpdf --check %s:\n%s", p, got)
				}
			}
		})
	}
}

// The slip drawn under other content on an invoice page is read as well,
// and the page's own content stays.
func TestDrawOnInvoicePage(t *testing.T) {
	pdftoppm := requireTool(t, "pdftoppm", "poppler-utils")
	pdftotext := requireTool(t, "pdftotext", "poppler-utils")
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
	write(t, path, buf.Bytes())
	payload, _ := b.Payload()
	checkDecoded(t, "gozxing", decodeGozxing(t, rasterise(t, pdftoppm, path)), payload, b)
	if text := run(t, pdftotext, "-layout", path, "-"); !strings.Contains(text, "Rechnung RE-2026-0042") || !strings.Contains(text, "1 949.75") {
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
		if got := addressLines(tt.a); !cmp.Equal(got, tt.want) {
			t.Errorf("addressLines(%+v) = %q, want %q", tt.a, got, tt.want)
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

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// rasterise renders the PDF's page in grey at 300 dpi, as a scanner or a
// phone camera would see a print, and returns the PNG's path.
func rasterise(t testing.TB, pdftoppm, pdfPath string) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	run(t, pdftoppm, "-r", "300", "-gray", "-png", "-singlefile", pdfPath, prefix)
	return prefix + ".png"
}

func decodeGozxing(t testing.TB, pngPath string) string {
	t.Helper()
	f, err := os.Open(pngPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	// The slip's lower half of the page holds the code; decoding the
	// whole page works too but takes longer.
	bmp, err := gozxing.NewBinaryBitmapFromImage(img.(interface {
		SubImage(image.Rectangle) image.Image
	}).SubImage(image.Rect(0, img.Bounds().Dy()/2, img.Bounds().Dx(), img.Bounds().Dy())))
	if err != nil {
		t.Fatal(err)
	}
	hints := map[gozxing.DecodeHintType]any{
		gozxing.DecodeHintType_TRY_HARDER:    true,
		gozxing.DecodeHintType_CHARACTER_SET: "UTF-8",
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, hints)
	if err != nil {
		t.Fatalf("gozxing cannot read the code in %s: %v", pngPath, err)
	}
	return res.GetText()
}

func decodeZbar(t testing.TB, zbarimg, pngPath string) string {
	t.Helper()
	// Binary: the bytes as encoded. Without it zbar guesses the text's
	// encoding (the guideline forbids an ECI header saying UTF-8) and read
	// "Getränke" as Big5 in a trial.
	cmd := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", "-Sqrcode.binary", pngPath)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("zbarimg cannot read the code in %s: %v\n%s", pngPath, err, stderr.String())
	}
	// zbarimg may end a symbol with a line break of its own; a payload
	// never ends with one.
	return strings.TrimSuffix(stdout.String(), "\n")
}

// checkDecoded compares a decoded text with the payload and, parsed, with
// the bill field by field.
func checkDecoded(t *testing.T, decoder, got, payload string, want qrbill.Bill) {
	t.Helper()
	if got != payload {
		t.Errorf("%s read a different payload:\n%s", decoder, cmp.Diff(strings.Split(payload, "\n"), strings.Split(got, "\n")))
	}
	parsed, err := qrbill.Parse(got)
	if err != nil {
		t.Errorf("%s: Parse: %v", decoder, err)
		return
	}
	if d := cmp.Diff(want, parsed); d != "" {
		t.Errorf("%s: fields differ (-bill +decoded):\n%s", decoder, d)
	}
}
