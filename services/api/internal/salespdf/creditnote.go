package salespdf

import "fmt"

// RenderCreditNote lays out an issued credit note: the invoice it
// corrects, the reason, whether the goods came back, the credited lines
// and its negative totals. It has no QR bill.
func RenderCreditNote(cn CreditNote) ([]byte, error) {
	d, err := newDoc(cn.Letterhead, cn.Language, cn.Created)
	if err != nil {
		return nil, err
	}
	t := d.t
	returned := t.no
	if cn.GoodsReturned {
		returned = t.yes
	}
	d.addressee(cn.BillTo)
	d.meta([][2]string{
		{t.date, formatDate(cn.Date)},
		{t.customerNo, customerNumber(cn.CustomerNo)},
		{t.invoiceNo, cn.InvoiceNumber},
		{t.goodsReturned, returned},
	})
	d.heading(t.creditNote + " " + cn.Number)
	d.paragraph(fmt.Sprintf(t.creditIntro, cn.InvoiceNumber), "")
	if cn.Reason != "" {
		d.paragraph(t.reason+": "+cn.Reason, "")
	}
	d.y += 2
	// Lines carry positive amounts; the credit shows them negative, as
	// its totals are.
	billedLines(d, cn.Lines, cn.Empties, false, -1)
	d.totals(cn.Totals.Currency, totalLines(t, cn.Totals, t.creditTotal), "")
	return d.finish()
}
