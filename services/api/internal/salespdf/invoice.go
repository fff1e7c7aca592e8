package salespdf

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/money"
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
// a logo that cannot be printed (ErrLogo).
func RenderInvoice(inv Invoice) ([]byte, error) {
	if _, err := inv.Bill.Payload(); err != nil {
		return nil, err
	}
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
	d.heading(t.invoice + " " + inv.Number)
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
	if err := qrslip.Draw(d.pdf, inv.Bill, qrslip.Options{Language: lang}); err != nil {
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
		qty := formatQuantity(l.Quantity) + " " + l.Unit
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
			d.row(row{cells: []string{e.ItemSKU, e.ItemName, formatQuantity(e.Quantity) + " " + e.Unit,
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
