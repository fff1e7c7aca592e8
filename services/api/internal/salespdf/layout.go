package salespdf

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode"

	"codeberg.org/go-pdf/fpdf"

	"github.com/depotix/depotix/services/api/internal/pdfdoc"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/qrslip"
)

// The page's geometry in millimetres. The addressee sits in the window of
// a Swiss C5 envelope with the window on the right (SN 010130, the layout
// Swiss Post describes): the window is 100 × 45 mm, its left edge 118 mm
// from the sheet's left, its top about 50 mm from the top once an A4 sheet
// is folded once into it. The address block starts a few millimetres
// inside it so it stays visible when the sheet shifts in the envelope: a
// return line at 48 mm, the address from 53 to at most 90 mm, 77 mm wide.
const (
	left         = 20.0
	right        = 195.0
	contentWidth = right - left
	top          = 15.0

	windowX      = 118.0
	windowWidth  = right - windowX
	returnLineY  = 48.0
	windowY      = 53.0
	windowBottom = 90.0

	logoMaxW = 70.0
	logoMaxH = 26.0

	titleY     = 95.0
	metaLabelW = 38.0 // the labels of the facts left of the window

	textPt      = 9.0
	smallPt     = 7.5
	footerPt    = 7.0
	textLine    = 4.0 // line height of 9 pt text
	smallLine   = 3.4
	footerLine  = 3.0
	rowPad      = 0.8 // above and below a table row's text
	cellPad     = 1.0 // left and right of a cell's text
	headerH     = 6.0
	pageBottom  = pdfdoc.PageHeight - 10 // the footer's last line ends here
	footerGap   = 3.0                    // between content and footer rule
	slipTop     = pdfdoc.PageHeight - qrslip.Height
	slipTextGap = 4.5 // the slip's "separate before paying in" line above it
)

// shade is the grey of the table header's ground (a printed document: no
// theme applies).
const shade = 232

// column of a table: its heading, width and alignment ("L", "R").
type column struct {
	title string
	width float64
	align string
	wrap  bool // the one column whose text wraps onto more lines
}

// row of a table: its cells (one per column) and style.
type row struct {
	cells []string
	bold  bool
	span  bool // the first cell spans the whole row (a group heading)
	// tight rows belong to the row above (a line's deposit): no rule
	// between them and less space.
	tight bool
}

// doc is one document being laid out: pages are added as the content
// needs them; footers (which carry "page n of m") are drawn at the end.
type doc struct {
	pdf    *fpdf.Fpdf
	t      texts
	lh     Letterhead
	title  string // "Rechnung RE000042": shown on continuation pages
	y      float64
	cols   []column // the table in progress, its header repeated after a break
	ruleY  float64  // where the last row ended: its rule is drawn unless a tight row follows
	footer []string // the footer's lines after the bank line
	// slipPage is the page carrying the QR bill (0: none): its footer
	// moves above the slip.
	slipPage int
}

// newDoc starts a document whose first page has the letterhead.
func newDoc(lh Letterhead, lang Language, created time.Time) (*doc, error) {
	pdf := pdfdoc.New(created)
	pdf.SetCellMargin(0)
	d := &doc{pdf: pdf, t: textsOf(lang), lh: lh}
	d.footer = d.footerLines()
	pdf.AddPage()
	if err := d.letterhead(); err != nil {
		return nil, err
	}
	return d, nil
}

// bottom is where content must end on a page without the slip.
func (d *doc) bottom() float64 { return d.footerTop(false) - footerGap }

// footerTop is the footer rule's position, above the slip on its page.
func (d *doc) footerTop(withSlip bool) float64 {
	h := float64(1+len(d.footer))*footerLine + 1.5
	if withSlip {
		return slipTop - slipTextGap - h
	}
	return pageBottom - h
}

// text writes one line with its top at y, style "" or "B".
func (d *doc) text(x, y, w float64, s, style string, pt float64, align string) {
	d.pdf.SetFont(pdfdoc.Font, style, pt)
	d.pdf.SetXY(x, y)
	d.pdf.CellFormat(w, pdfdoc.PointsToMM(pt)*1.15, printable(s), "", 0, align, false, 0, "")
}

// printable keeps what fpdf can print of a free text (item names, notes,
// the footer): a character beyond the Basic Multilingual Plane (an emoji)
// makes fpdf index past its 65,536-entry glyph map and panic, so it
// becomes "?"; control characters other than line breaks become spaces.
// Characters the font lacks print as its blank glyph.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r > 0xFFFF:
			return '?'
		case r == '\n':
			return r
		case unicode.IsControl(r):
			return ' '
		}
		return r
	}, s)
}

// wrap splits s (lines separated by "\n") to width at a font size.
func (d *doc) wrap(s string, w float64, style string, pt float64) []string {
	d.pdf.SetFont(pdfdoc.Font, style, pt)
	var out []string
	for _, l := range strings.Split(printable(s), "\n") {
		if strings.TrimSpace(l) == "" {
			out = append(out, "")
			continue
		}
		out = append(out, d.pdf.SplitText(l, w)...)
	}
	return out
}

// addressLines shows a structured address on a letter: name, street and
// number, postal code and town, the country for one abroad (as the slip
// does).
func addressLines(a qrbill.Address) []string { return qrslip.AddressLines(a) }

// letterhead draws the first page's head: logo, the company's address and
// VAT number, the return line above the window.
func (d *doc) letterhead() error {
	if len(d.lh.Logo) > 0 {
		if err := d.logo(); err != nil {
			return err
		}
	}
	c := d.lh.Company
	y := top
	d.text(windowX, y, windowWidth, c.Name, "B", 10, "L")
	y += 4.6
	for _, l := range addressLines(c)[1:] {
		d.text(windowX, y, windowWidth, l, "", 8.5, "L")
		y += 3.9
	}
	if d.lh.VATNumber != "" {
		d.text(windowX, y, windowWidth, d.lh.VATNumber, "", 8.5, "L")
	}
	// The return line in the window, for the post office.
	ret := printable(strings.Join(addressLines(c), ", "))
	d.pdf.SetFont(pdfdoc.Font, "", 6.5)
	for d.pdf.GetStringWidth(ret) > windowWidth && len(ret) > 1 {
		ret = strings.TrimSpace(string([]rune(ret)[:len([]rune(ret))-1]))
	}
	d.text(windowX, returnLineY, windowWidth, ret, "", 6.5, "L")
	d.pdf.SetLineWidth(0.15)
	d.pdf.Line(windowX, returnLineY+3.2, windowX+d.pdf.GetStringWidth(ret), returnLineY+3.2)
	return nil
}

// addressee writes an address into the envelope's window.
func (d *doc) addressee(a qrbill.Address) {
	y := windowY
	for _, l := range addressLines(a) {
		for _, w := range d.wrap(l, windowWidth, "", 10) {
			if y+4.5 > windowBottom {
				return
			}
			d.text(windowX, y, windowWidth, w, "", 10, "L")
			y += 4.5
		}
	}
}

// meta writes label–value pairs left of the window.
func (d *doc) meta(pairs [][2]string) {
	y := windowY
	for _, p := range pairs {
		if p[1] == "" {
			continue
		}
		d.text(left, y, metaLabelW, p[0], "", textPt, "L")
		lines := d.wrap(p[1], windowX-left-metaLabelW-4, "", textPt)
		for _, l := range lines {
			d.text(left+metaLabelW, y, windowX-left-metaLabelW-4, l, "", textPt, "L")
			y += textLine
		}
	}
}

// heading starts the content under the document's title. The title
// itself (which carries the document's number) is written by finish, on
// the first page and in the head of every further page: an invoice is
// laid out before its number is drawn (see PrepareInvoice), and a title
// is one line of fixed place, so its text never moves anything else.
func (d *doc) heading(title string) {
	d.title = title
	d.y = titleY + 9
}

// paragraph writes wrapped text, breaking pages as needed.
func (d *doc) paragraph(s, style string) {
	for _, l := range d.wrap(s, contentWidth, style, textPt) {
		d.need(textLine)
		d.text(left, d.y, contentWidth, l, style, textPt, "L")
		d.y += textLine
	}
}

// need starts a new page unless h more millimetres fit on this one.
func (d *doc) need(h float64) bool {
	if d.y+h <= d.bottom() {
		return false
	}
	d.newPage()
	return true
}

// newPage continues on a fresh page with a short head naming the document,
// and the table's header again when a table is in progress.
func (d *doc) newPage() {
	d.pdf.AddPage()
	// The head's left part, naming the document, is written by finish.
	d.text(left, top, contentWidth, d.lh.Company.Name, "", smallPt, "R")
	d.pdf.SetLineWidth(0.15)
	d.pdf.Line(left, top+4, right, top+4)
	d.y = top + 9
	if d.cols != nil {
		d.tableHeader()
	}
}

// startTable begins a table: its header now and after every page break.
// The header goes to a new page with at least one row.
func (d *doc) startTable(cols []column) {
	d.cols = nil
	d.need(headerH + textLine + 2*rowPad)
	d.cols = cols
	d.tableHeader()
}

// endTable stops repeating the header.
func (d *doc) endTable() {
	if d.ruleY > 0 {
		d.rule(d.ruleY)
	}
	d.cols, d.ruleY = nil, 0
}

func (d *doc) tableHeader() {
	p := d.pdf
	p.SetFillColor(shade, shade, shade)
	p.Rect(left, d.y, contentWidth, headerH, "F")
	p.SetFillColor(0, 0, 0)
	x := left
	for _, c := range d.cols {
		d.text(x+cellPad, d.y+1.4, c.width-2*cellPad, c.title, "B", 8.5, c.align)
		x += c.width
	}
	d.y += headerH
	d.ruleY = 0
}

// row draws a table row, on a new page (with the header) when it does not
// fit on this one.
func (d *doc) row(r row) {
	style := ""
	if r.bold {
		style = "B"
	}
	lines := make([][]string, len(d.cols))
	height := 1
	for i, c := range d.cols {
		if i >= len(r.cells) {
			break
		}
		switch {
		case r.span && i == 0:
			lines[i] = d.wrap(r.cells[0], contentWidth-2*cellPad, style, textPt)
		case c.wrap:
			lines[i] = d.wrap(r.cells[i], c.width-2*cellPad, style, textPt)
		default:
			lines[i] = []string{r.cells[i]}
		}
		height = max(height, len(lines[i]))
	}
	pad := rowPad
	if r.tight {
		pad = 0.2
	}
	h := float64(height)*textLine + 2*pad
	if d.need(h) {
		pad = rowPad // the first row on a page has no row above
	}
	if !r.tight && d.ruleY > 0 {
		d.rule(d.ruleY)
	}
	x := left
	for i, c := range d.cols {
		w := c.width
		if r.span {
			w = contentWidth
		}
		for j, l := range lines[i] {
			d.text(x+cellPad, d.y+pad+float64(j)*textLine, w-2*cellPad, l, style, textPt, c.align)
		}
		if r.span {
			break
		}
		x += c.width
	}
	d.y += h
	d.ruleY = d.y
}

// rule draws the thin line between two table rows.
func (d *doc) rule(y float64) {
	d.pdf.SetDrawColor(200, 200, 200)
	d.pdf.SetLineWidth(0.1)
	d.pdf.Line(left, y, right, y)
	d.pdf.SetDrawColor(0, 0, 0)
}

// total is a line of the totals block.
type total struct {
	label  string
	amount string
	bold   bool
	rule   bool // a line above it
}

// totals draws the totals block at the right, kept on one page, and
// beside it at the left a note (the payment terms).
func (d *doc) totals(currency string, ts []total, note string) {
	const labelX, curX, amountX, noteW = 95.0, 160.0, 170.0, 70.0
	h := 3 + float64(len(ts))*(textLine+0.6)
	noteLines := d.wrap(note, noteW, "", textPt)
	if note == "" {
		noteLines = nil
	}
	h = max(h, 3+float64(len(noteLines))*textLine)
	d.need(h)
	d.y += 3
	for i, l := range noteLines {
		d.text(left, d.y+float64(i)*textLine, noteW, l, "", textPt, "L")
	}
	end := d.y + float64(len(noteLines))*textLine
	defer func() { d.y = max(d.y, end) }()
	for _, t := range ts {
		style := ""
		if t.bold {
			style = "B"
		}
		if t.rule {
			d.pdf.SetLineWidth(0.2)
			d.pdf.Line(labelX, d.y, right, d.y)
			d.y += 0.6
		}
		d.text(labelX, d.y, curX-labelX-2, t.label, style, textPt, "L")
		d.text(curX, d.y, amountX-curX, currency, style, textPt, "L")
		d.text(amountX, d.y, right-amountX-cellPad, t.amount, style, textPt, "R")
		d.y += textLine + 0.6
	}
}

// footerLines are the footer's lines below the bank line: the company's
// invoice footer, wrapped.
func (d *doc) footerLines() []string {
	if strings.TrimSpace(d.lh.Footer) == "" {
		return nil
	}
	return d.wrap(strings.TrimSpace(d.lh.Footer), contentWidth-35, "", footerPt)
}

// finish draws every page's title — the document's on the first page,
// the short continuation head on the others — and footer, now that the
// title and the number of pages are known, and writes the file.
func (d *doc) finish() ([]byte, error) {
	p := d.pdf
	n := p.PageCount()
	bank := ""
	if d.lh.IBAN != "" {
		bank = d.t.iban + " " + qrbill.FormatIBAN(d.lh.IBAN)
		if d.lh.BankName != "" {
			bank = d.t.bank + ": " + d.lh.BankName + " · " + bank
		}
	}
	for i := 1; i <= n; i++ {
		p.SetPage(i)
		// fpdf remembers font and colours per document, not per page:
		// back on an earlier page they must be set again, else the text
		// takes whatever that page's stream last set (a grey ground).
		p.SetFont(pdfdoc.Font, "B", 1)
		p.SetFillColor(0, 0, 0)
		p.SetTextColor(0, 0, 0)
		p.SetDrawColor(0, 0, 0)
		if i == 1 {
			d.text(left, titleY, contentWidth, d.title, "B", 15, "L")
		} else {
			d.text(left, top, contentWidth, fmt.Sprintf(d.t.continued, d.title), "", smallPt, "L")
		}
		y := d.footerTop(i == d.slipPage)
		p.SetLineWidth(0.15)
		p.Line(left, y, right, y)
		y += 1.5
		d.text(left, y, contentWidth-35, bank, "", footerPt, "L")
		d.text(right-35, y, 35, fmt.Sprintf(d.t.page, i, n), "", footerPt, "R")
		for _, l := range d.footer {
			y += footerLine
			d.text(left, y, contentWidth-35, l, "", footerPt, "L")
		}
	}
	if p.Err() {
		return nil, fmt.Errorf("salespdf: lay out: %w", p.Error())
	}
	var buf bytes.Buffer
	if err := p.Output(&buf); err != nil {
		return nil, fmt.Errorf("salespdf: write PDF: %w", err)
	}
	return buf.Bytes(), nil
}
