package orders

import (
	"context"
	"fmt"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/qrbill"
	"github.com/depotix/depotix/services/api/internal/sales"
	"github.com/depotix/depotix/services/api/internal/salespdf"
)

// DeliveryNoteSource is what an order's delivery note is printed from,
// read in one snapshot (Store.DeliveryNote).
type DeliveryNoteSource struct {
	Order   Order
	Company company.Profile
	Logo    []byte // the logo's bytes; nil: none
	// EmptiesUnits names the units of the empties' items (the order's
	// lines carry their own).
	EmptiesUnits map[int64]ItemUnits
	// Language is the reader's ("de", "en"), "" when they chose none.
	Language string
}

// ItemUnits are an item's unit names.
type ItemUnits struct {
	Base, Package string
}

// DeliveryNote returns the printed content of an order's delivery note
// for the person userID (in their language, German when they have none).
// A DRAFT, whose lines may still change, and a CANCELLED order have none:
// a conflict naming the status.
func (s *Service) DeliveryNote(ctx context.Context, id, userID int64) (salespdf.DeliveryNote, error) {
	if id <= 0 {
		return salespdf.DeliveryNote{}, notFound()
	}
	src, err := s.store.DeliveryNote(ctx, id, userID)
	if err != nil {
		return salespdf.DeliveryNote{}, err
	}
	if st := src.Order.Status; st == sales.Draft || st == sales.Cancelled {
		return salespdf.DeliveryNote{}, apperr.New(apperr.CodeConflict, fmt.Sprintf(
			"Order %s is %s; a delivery note is printed once the order is confirmed.", src.Order.Number, st))
	}
	return DeliveryNoteOf(src, s.now().In(s.zone)), nil
}

// DeliveryNoteOf maps the source to the printed note. The note is dated
// the delivery day in the organisation's zone (the zone of today), else
// today (a note printed for picking), and created at the delivery, else
// at the order's last change: the same order prints the same bytes.
func DeliveryNoteOf(src DeliveryNoteSource, today time.Time) salespdf.DeliveryNote {
	o, p := src.Order, src.Company
	lang := salespdf.German
	if src.Language == string(salespdf.English) {
		lang = salespdf.English
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	dn := salespdf.DeliveryNote{
		Letterhead: salespdf.Letterhead{Company: p.Creditor(), VATNumber: p.VATNumber, IBAN: p.IBAN,
			BankName: p.BankName, Logo: src.Logo, Footer: p.InvoiceFooter},
		Language: lang, OrderNumber: o.Number, Date: day(today), CustomerNo: o.CustomerNumber,
		CustomerName: o.CustomerName,
		ShipTo: qrbill.Address{Name: o.ShipTo.Name, Street: o.ShipTo.Street, BuildingNumber: o.ShipTo.HouseNumber,
			PostalCode: o.ShipTo.PostalCode, Town: o.ShipTo.Town, Country: o.ShipTo.Country},
		Notes: o.Notes, Created: o.UpdatedAt,
	}
	if p.Logo != nil && src.Logo != nil {
		dn.Letterhead.LogoType = string(p.Logo.Type)
	}
	if o.DeliveredAt != nil {
		dn.Date = day(o.DeliveredAt.In(today.Location()))
		dn.Created = *o.DeliveredAt
	}
	for _, l := range o.Lines {
		dn.Lines = append(dn.Lines, salespdf.DeliveryLine{ItemSKU: l.ItemSKU, ItemName: l.ItemName,
			Unit: salespdf.UnitName(lang, l.Unit, l.BaseUnit, l.PackageUnit), Ordered: l.Quantity, Delivered: l.Delivered})
	}
	for _, e := range o.Empties {
		u := src.EmptiesUnits[e.ItemID]
		dn.Empties = append(dn.Empties, salespdf.EmptiesLine{OrderNumber: o.Number, ItemSKU: e.ItemSKU,
			ItemName: e.ItemName, Unit: salespdf.UnitName(lang, e.Unit, u.Base, u.Package), Quantity: e.Quantity,
			Deposit: e.Deposit, Credit: e.Credit()})
	}
	return dn
}
