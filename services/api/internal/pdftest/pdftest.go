// Package pdftest holds what the tests of the PDF packages (qrslip,
// salespdf) share: finding the Debian tools that check a PDF from the
// outside (poppler's pdftoppm and pdftotext, zbarimg, qpdf), rasterising a
// page and decoding its QR code with two independent decoders. Only tests
// import it.
package pdftest

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/depotix/depotix/services/api/internal/qrbill"
)

// SkipToolsEnv lets a developer without the Debian tools run the rest of
// a package's tests. CI never sets it: .ci/run installs the tools, and a
// missing one fails the test naming its package.
const SkipToolsEnv = "DEPOTIX_SKIP_PDF_TOOLS"

// RequireTool returns the path of a command-line tool the tests need.
func RequireTool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	if os.Getenv(SkipToolsEnv) == "1" {
		t.Skipf("%s not installed and %s=1: skipped on request", name, SkipToolsEnv)
	}
	t.Fatalf("%s not found: install it with `apt-get install %s` (.ci/run installs it when missing), or set %s=1 to skip these checks on purpose",
		name, debianPackage, SkipToolsEnv)
	return ""
}

// Write writes data to path.
func Write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Run runs a tool and returns what it wrote; a failure fails the test.
func Run(t testing.TB, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// Rasterise renders the PDF's first page in grey at 300 dpi, as a scanner
// or a phone camera would see a print, and returns the PNG's path.
func Rasterise(t testing.TB, pdftoppm, pdfPath string) string {
	t.Helper()
	return RasterisePage(t, pdftoppm, pdfPath, 1)
}

// RasterisePage renders page n (from 1) like Rasterise.
func RasterisePage(t testing.TB, pdftoppm, pdfPath string, n int) string {
	t.Helper()
	prefix := filepath.Join(t.TempDir(), "page")
	page := strconv.Itoa(n)
	Run(t, pdftoppm, "-r", "300", "-gray", "-png", "-f", page, "-l", page, "-singlefile", pdfPath, prefix)
	return prefix + ".png"
}

// CheckPDF runs qpdf --check on the file and fails the test unless it
// finds no errors.
func CheckPDF(t testing.TB, qpdf, path string) {
	t.Helper()
	if got := Run(t, qpdf, "--check", path); !strings.Contains(got, "No syntax or stream encoding errors") {
		t.Errorf("qpdf --check %s:\n%s", path, got)
	}
}

// DecodeGozxing reads the QR code in the lower half of the page (where
// the slip is; decoding the whole page works too but takes longer).
func DecodeGozxing(t testing.TB, pngPath string) string {
	t.Helper()
	img := ReadPNG(t, pngPath)
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

// ReadPNG decodes a PNG file (a rasterised page).
func ReadPNG(t testing.TB, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// DecodeZbar reads the QR code with Debian's zbarimg.
func DecodeZbar(t testing.TB, zbarimg, pngPath string) string {
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

// CheckDecoded compares a decoded text with the payload and, parsed, with
// the bill field by field.
func CheckDecoded(t testing.TB, decoder, got, payload string, want qrbill.Bill) {
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
