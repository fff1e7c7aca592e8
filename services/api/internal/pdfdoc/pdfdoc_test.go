package pdfdoc

import (
	"bytes"
	"testing"
	"time"
)

// New's documents carry the given date (Epoch without one), write the
// same bytes twice, and print the Extended Latin letters of the QR bill
// with the embedded bold font (its name as fpdf writes it, and its file).
func TestNew(t *testing.T) {
	render := func(created time.Time) []byte {
		pdf := New(created)
		AddFonts(pdf) // a second registration is harmless
		pdf.AddPage()
		pdf.SetFont(Font, "B", 12)
		pdf.Text(20, 20, "Getränke Müller – Ștefan Țăranu Šoštarić €")
		var buf bytes.Buffer
		if err := pdf.Output(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	a, b := render(time.Time{}), render(time.Time{})
	if !bytes.Equal(a, b) {
		t.Fatal("two renderings differ")
	}
	for _, want := range []string{"D:20000101000000", "/BaseFont /utf8liberationsansB", "/FontFile2", "/Producer (Depotix)"} {
		if !bytes.Contains(a, []byte(want)) {
			t.Errorf("document lacks %q", want)
		}
	}
	if c := render(time.Date(2026, 12, 7, 10, 0, 0, 0, time.FixedZone("CET", 3600))); !bytes.Contains(c, []byte("D:20261207090000")) {
		t.Error("the creation date is not written in UTC")
	}
	if got := PointsToMM(72); got != 25.4 {
		t.Errorf("PointsToMM(72) = %g", got)
	}
}
