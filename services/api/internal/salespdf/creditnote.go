package salespdf

import (
	"errors"
	"fmt"
)

// RenderCreditNote lays out an issued credit note: the invoice it
// corrects, the reason, whether the goods came back, the credited lines
// and its negative totals. It has no QR bill. It is PrepareCreditNote
// and Finish in one go, so both ways give the same bytes.
func RenderCreditNote(cn CreditNote) ([]byte, error) {
	p, err := PrepareCreditNote(cn)
	if err != nil {
		return nil, err
	}
	return p.Finish(cn.Number)
}

// PreparedCreditNote is a credit note laid out but for its number (in
// its title and page heads), as PreparedInvoice is.
type PreparedCreditNote struct {
	d        *doc
	finished bool
}

// PrepareCreditNote lays out cn without its Number (ignored; Finish
// takes it). A logo that cannot be printed is ErrLogo.
func PrepareCreditNote(cn CreditNote) (*PreparedCreditNote, error) {
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
	d.heading("")
	d.paragraph(fmt.Sprintf(t.creditIntro, cn.InvoiceNumber), "")
	if cn.Reason != "" {
		d.paragraph(t.reason+": "+cn.Reason, "")
	}
	d.y += 2
	// Lines carry positive amounts; the credit shows them negative, as
	// its totals are.
	billedLines(d, cn.Lines, cn.Empties, false, -1)
	d.totals(cn.Totals.Currency, totalLines(t, cn.Totals, t.creditTotal), "")
	return &PreparedCreditNote{d: d}, nil
}

// Finish prints the credit note's number and writes the PDF, once.
func (p *PreparedCreditNote) Finish(number string) ([]byte, error) {
	if p.finished {
		return nil, errors.New("salespdf: this credit note was finished already")
	}
	p.finished = true
	p.d.title = p.d.t.creditNote + " " + number
	return p.d.finish()
}
