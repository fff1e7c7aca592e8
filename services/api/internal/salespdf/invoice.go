package salespdf

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/depotix/depotix/platform/unitwords"
	"github.com/depotix/depotix/services/api/internal/money"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/qrslip"
	"github.com/depotix/depotix/services/api/internal/sales"
)

// billedColumns are the columns of an invoice's and a credit note's lines.
func billedColumns(t texts) []column {
	return []column{
		{title: t.item, width: 24, align: "L"},
		{title: t.description, width: 63, align: "L", wrap: true},
		{title: t.quantity, width: 28, align: "R"},
		{title: t.unitPrice, width: 22, align: "R"},
		{title: t.vat, width: 14, align: "R"},
		{title: t.amount, width: 24, align: "R"},
	}
}

// RenderInvoice lays out an issued invoice with its QR bill. The bill is
// checked first: one qrbill refuses is an error (a *qrbill.Error), as is
// a logo that cannot be printed (ErrLogo). It is PrepareInvoice and
// Finish in one go, so both ways give the same bytes.
func RenderInvoice(inv Invoice) ([]byte, error) {
	if _, err := inv.Bill.Payload(); err != nil {
		return nil, err
	}
	p, err := PrepareInvoice(inv)
	if err != nil {
		return nil, err
	}
	return p.Finish(inv.Number, inv.Bill)
}

// PreparedInvoice is an invoice laid out but for what depends on its
// number: the number printed in its title and page heads, and the QR
// bill, whose reference is made of it. Finishing it is a fraction of the
// whole render, which lets an issue hold the gapless counter's lock only
// that long.
type PreparedInvoice struct {
	d        *doc
	lang     qrslip.Language
	finished bool
}

// PrepareInvoice lays out inv without its Number and Bill (both are
// ignored; Finish takes them): letterhead, addressee, the lines, totals
// and terms on as many pages as they need, and the place of the slip.
// Nothing of the layout depends on the number, so the pages break the
// same whatever number the invoice gets. A logo that cannot be printed
// is ErrLogo.
func PrepareInvoice(inv Invoice) (*PreparedInvoice, error) {
	d, err := newDoc(inv.Letterhead, inv.Language, inv.Created)
	if err != nil {
		return nil, err
	}
	t := d.t
	d.addressee(inv.BillTo)
	d.meta([][2]string{
		{t.date, formatDate(inv.Date)},
		{t.dueDate, formatDate(inv.DueDate)},
		{t.customerNo, customerNumber(inv.CustomerNo)},
		{ordersLabel(t, inv.OrderNumbers), strings.Join(inv.OrderNumbers, ", ")},
	})
	d.heading("")
	billedLines(d, inv.Lines, inv.Empties, len(inv.OrderNumbers) > 1, 1)
	terms := fmt.Sprintf(t.paymentTerms, days(inv.Date, inv.DueDate), formatDate(inv.DueDate))
	if days(inv.Date, inv.DueDate) <= 0 {
		terms = fmt.Sprintf(t.paymentNow, formatDate(inv.DueDate))
	}
	d.totals(inv.Totals.Currency, totalLines(t, inv.Totals, t.payable), terms)

	// The slip at the bottom of this page when the content ends above it
	// (and above the footer moved over it), else on a page of its own.
	d.endTable()
	if d.y > d.footerTop(true)-footerGap {
		d.newPage()
	}
	d.slipPage = d.pdf.PageNo()
	lang := qrslip.German
	if inv.Language == English {
		lang = qrslip.English
	}
	return &PreparedInvoice{d: d, lang: lang}, nil
}

// Finish prints the invoice's number and its QR bill (at the bottom of
// the last page) and writes the PDF. A bill qrbill refuses is an error (a
// *qrbill.Error). A prepared invoice is finished once: its document is
// spent afterwards, whatever the outcome.
func (p *PreparedInvoice) Finish(number string, bill qrbill.Bill) ([]byte, error) {
	if p.finished {
		return nil, errors.New("salespdf: this invoice was finished already")
	}
	p.finished = true
	d := p.d
	d.title = d.t.invoice + " " + number
	d.pdf.SetPage(d.slipPage)
	if err := qrslip.Draw(d.pdf, bill, qrslip.Options{Language: p.lang}); err != nil {
		return nil, err
	}
	return d.finish()
}

// ordersLabel is "Lieferschein" for one order, "Lieferscheine" for more.
func ordersLabel(t texts, numbers []string) string {
	if len(numbers) > 1 {
		return t.ordersNo
	}
	return t.deliveredWith
}

func customerNumber(n int64) string {
	if n == 0 {
		return ""
	}
	return strconv.FormatInt(n, 10)
}

// billedLines draws the lines (a deposit as its own row under its line,
// grouped by order when there are several) and the empties credited.
// sign is 1, or -1 for a credit note's amounts.
func billedLines(d *doc, lines []Line, empties []EmptiesLine, byOrder bool, sign money.Amount) {
	t := d.t
	d.startTable(billedColumns(t))
	order := ""
	for _, l := range lines {
		if byOrder && l.OrderNumber != order {
			order = l.OrderNumber
			d.row(row{cells: []string{t.deliveredWith + " " + order}, bold: true, span: true})
		}
		qty := unitwords.Count(l.Quantity, formatQuantity(l.Quantity), l.Unit) // "3 Harasse", "1 Harass"
		d.row(row{cells: []string{l.ItemSKU, l.ItemName, qty, formatAmount(l.UnitPrice),
			formatRate(l.VATRateBP), formatAmount(sign * l.Net)}})
		if l.Deposit != 0 || l.DepositNet != 0 {
			d.row(row{cells: []string{"", t.deposit + " " + l.ItemName, qty, formatAmount(l.Deposit),
				"", formatAmount(sign * l.DepositNet)}, tight: true})
		}
	}
	if len(empties) > 0 {
		d.row(row{cells: []string{t.empties}, bold: true, span: true})
		for _, e := range empties {
			d.row(row{cells: []string{e.ItemSKU, e.ItemName, unitwords.Count(e.Quantity, formatQuantity(e.Quantity), e.Unit),
				formatAmount(e.Deposit), "", formatAmount(-sign * e.Credit)}})
		}
	}
	d.endTable()
}

// totalLines is the totals block: net, deposits, empties credit, VAT per
// rate with its base, gross, the 0.05 rounding and what is payable (or
// credited). Totals come signed as the document has them.
func totalLines(t texts, ts sales.Totals, last string) []total {
	out := []total{{label: t.net, amount: formatAmount(ts.Net)}}
	if ts.Deposits != 0 {
		out = append(out, total{label: t.deposits, amount: formatAmount(ts.Deposits)})
	}
	if ts.EmptiesCredit != 0 {
		out = append(out, total{label: t.emptiesCredit, amount: formatAmount(-ts.EmptiesCredit)})
	}
	for _, g := range ts.VATGroups {
		out = append(out, total{label: fmt.Sprintf(t.vatOf, formatRate(g.RateBP), ts.Currency, formatAmount(g.Base)),
			amount: formatAmount(g.VAT)})
	}
	out = append(out, total{label: t.gross, amount: formatAmount(ts.Gross), rule: true})
	if ts.Rounding != 0 {
		out = append(out, total{label: t.rounding, amount: formatAmount(ts.Rounding)})
	}
	return append(out, total{label: last, amount: formatAmount(ts.Payable), bold: true, rule: true})
}
