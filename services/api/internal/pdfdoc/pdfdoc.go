// Package pdfdoc starts the PDF documents Depotix prints (QR-bill slips
// now; invoices, credit notes and delivery notes build on it): A4 in
// millimetres with Liberation Sans embedded, and everything that would
// make two renderings of the same data differ pinned down, so a stored
// PDF and a fresh one are byte-identical.
package pdfdoc

import (
	_ "embed"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// The embedded fonts: Liberation Sans (SIL OFL 1.1, see fonts/LICENSE),
// metrically compatible with Arial/Helvetica, which the QR-bill style guide
// names, and covering the whole Extended Latin set of the guideline (Š, ț,
// €). Embedded as bytes because fpdf cannot read a font from a path
// inside an embed.FS.
var (
	//go:embed fonts/LiberationSans-Regular.ttf
	regularTTF []byte
	//go:embed fonts/LiberationSans-Bold.ttf
	boldTTF []byte
)

// Font is the family name the fonts are registered under; style "" is
// regular, "B" bold.
const Font = "LiberationSans"

// Page size of A4 in millimetres.
const (
	PageWidth  = 210.0
	PageHeight = 297.0
)

// Epoch is the creation date of documents without a date of their own.
func Epoch() time.Time { return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC) }

// New returns an empty A4 portrait document in millimetres with the fonts
// registered and the creation and modification dates set to created (in
// UTC; Epoch() when zero). The caller adds pages. Automatic page breaks are
// off: every layout here places its content itself.
func New(created time.Time) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	AddFonts(pdf)
	if created.IsZero() {
		created = Epoch()
	}
	created = created.UTC()
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	// Dictionaries written in a fixed order instead of map order.
	pdf.SetCatalogSort(true)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(0, 0, 0)
	pdf.SetProducer("Depotix", false)
	return pdf
}

// AddFonts registers the regular and bold font with pdf (again is a
// no-op), for documents not started by New.
func AddFonts(pdf *fpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(Font, "", regularTTF)
	pdf.AddUTF8FontFromBytes(Font, "B", boldTTF)
}

// PointsToMM converts a font size or line height in points to millimetres.
func PointsToMM(pt float64) float64 { return pt * 25.4 / 72 }
