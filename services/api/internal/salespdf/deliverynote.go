package salespdf

// RenderDeliveryNote lays out a delivery note: the delivery address in the
// window, the order's lines with ordered and delivered quantities in the
// unit ordered (delivered blank before the delivery), the empties taken
// back (no amounts: the invoice credits them), notes and a field for the
// customer's signature.
func RenderDeliveryNote(dn DeliveryNote) ([]byte, error) {
	d, err := newDoc(dn.Letterhead, dn.Language, dn.Created)
	if err != nil {
		return nil, err
	}
	t := d.t
	d.addressee(dn.ShipTo)
	customer := customerNumber(dn.CustomerNo)
	if dn.CustomerName != "" && dn.CustomerName != dn.ShipTo.Name {
		customer += " " + dn.CustomerName
	}
	dateLabel := t.date
	for _, l := range dn.Lines {
		if l.Delivered != nil {
			dateLabel = t.deliveryDate
		}
	}
	d.meta([][2]string{
		{dateLabel, formatDate(dn.Date)},
		{t.customerNo, customer},
		{t.orderNo, dn.OrderNumber},
	})
	d.heading(t.deliveryNote + " " + dn.OrderNumber)

	// The unit has a column of its own, named once in the singular as a
	// column's entries are ("Harass"), because two counts (ordered,
	// delivered) share it; where a count precedes a unit's name (invoice,
	// credit note) the name follows the count ("12 Harasse").
	d.startTable([]column{
		{title: t.item, width: 28, align: "L"},
		{title: t.description, width: 83, align: "L", wrap: true},
		{title: t.unit, width: 24, align: "L"},
		{title: t.ordered, width: 20, align: "R"},
		{title: t.delivered, width: 20, align: "R"},
	})
	for _, l := range dn.Lines {
		delivered := ""
		if l.Delivered != nil {
			delivered = formatQuantity(*l.Delivered)
		}
		d.row(row{cells: []string{l.ItemSKU, l.ItemName, l.Unit, formatQuantity(l.Ordered), delivered}})
	}
	d.endTable()

	if len(dn.Empties) > 0 {
		d.y += 5
		d.need(textLine * 3)
		d.text(left, d.y, contentWidth, t.emptiesTakenBack, "B", 10, "L")
		d.y += 6
		d.startTable([]column{
			{title: t.item, width: 28, align: "L"},
			{title: t.description, width: 103, align: "L", wrap: true},
			{title: t.unit, width: 24, align: "L"},
			{title: t.quantity, width: 20, align: "R"},
		})
		for _, e := range dn.Empties {
			d.row(row{cells: []string{e.ItemSKU, e.ItemName, e.Unit, formatQuantity(e.Quantity)}})
		}
		d.endTable()
	}

	if dn.Notes != "" {
		d.y += 5
		d.need(2 * textLine)
		d.text(left, d.y, contentWidth, t.notes, "B", textPt, "L")
		d.y += textLine + 0.5
		d.paragraph(dn.Notes, "")
	}
	d.signature()
	return d.finish()
}

// signature draws the field the customer signs: place and date, signature,
// name in block letters, each a line to write on with its label under it.
func (d *doc) signature() {
	const height = 30.0
	d.y += 8
	d.need(height)
	d.text(left, d.y, contentWidth, d.t.receivedBy, "B", textPt, "L")
	lineY := d.y + 18
	w := (contentWidth - 2*8) / 3
	d.pdf.SetLineWidth(0.25)
	for i, label := range []string{d.t.place, d.t.signature, d.t.blockLetters} {
		x := left + float64(i)*(w+8)
		d.pdf.Line(x, lineY, x+w, lineY)
		d.text(x, lineY+1, w, label, "", smallPt, "L")
	}
	d.y = lineY + 1 + smallLine
}
