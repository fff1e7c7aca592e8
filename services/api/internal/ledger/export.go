package ledger

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// JournalRow is a movement as the journal's export writes it: with the
// names of its partners and of whoever booked it.
type JournalRow struct {
	Movement
	UserEmail string // empty for the system
}

// Export writes a file to w. It stops when ctx ends or a write fails.
type Export func(ctx context.Context, w io.Writer) error

// journalColumns are the export's columns, in order (the OpenAPI document
// describes each).
var journalColumns = []string{"id", "effective_at", "type", "item_sku", "item_name", "location", "to_location", "quantity",
	"entered_quantity", "entered_unit", "unit_factor", "unit_cost", "supplier", "customer", "reason", "note",
	"reverses_id", "booked_by", "created_at"}

// journalLabelsDE are the German header labels of the journal's columns.
var journalLabelsDE = map[string]string{
	"id": "Nr.", "effective_at": "Wirksam am", "type": "Art", "item_sku": "Artikelnummer", "item_name": "Artikel",
	"location": "Lagerort", "to_location": "Nach Lagerort", "quantity": "Menge", "entered_quantity": "Erfasste Menge",
	"entered_unit": "Erfasste Einheit", "unit_factor": "Einheiten je erfasste Einheit", "unit_cost": "Kosten pro Einheit",
	"supplier": "Lieferant", "customer": "Kunde", "reason": "Grund", "note": "Notiz", "reverses_id": "Storniert Nr.",
	"booked_by": "Gebucht von", "created_at": "Gebucht am",
}

// journalTypesDE names the movement types in a German file: a person
// reads "Wareneingang", not the code "receipt" (an English file keeps the
// codes, as its header keeps the column names). The web's words
// (i18n.MovementsText.TypeNames) are the same; TestJournalWordsDE ties
// the table to Types().
var journalTypesDE = map[Type]string{
	Receipt: "Wareneingang", Issue: "Warenausgang", Return: "Rücknahme", Defect: "Defekt",
	WriteOff: "Abschreibung", Adjust: "Inventur", Transfer: "Umlagerung", Reversal: "Storno",
}

// journalUnitsDE names an entered unit in a German file when the item has
// no word of its own for it.
var journalUnitsDE = map[catalogue.Unit]string{
	catalogue.UnitBase: "Grundeinheit", catalogue.UnitPackage: "Gebinde", catalogue.UnitPallet: "Palette",
}

// localTime is how the export writes a moment: in the organisation's zone,
// in a form spreadsheets read as a date and time in every language and
// that sorts as text.
const localTime = "2006-01-02 15:04:05"

// ExportMovements checks f and returns the export of the movements it
// selects, newest first, as CSV in dialect d (the catalogue's: byte-order
// mark, separator, header language), times in the organisation's zone.
func (s *Service) ExportMovements(f Filter, d catalogue.CSVDialect) (Export, error) {
	if err := f.validate(); err != nil {
		return nil, err
	}
	if s.zoneErr != nil {
		return nil, fmt.Errorf("ledger: the export's time zone: %w", s.zoneErr)
	}
	zone, store := s.zone, s.store
	return func(ctx context.Context, w io.Writer) error {
		cw := catalogue.NewCSVWriter(w, d)
		if err := cw.Write(d.Header(journalColumns, journalLabelsDE)); err != nil {
			return err
		}
		rec := make([]string, len(journalColumns))
		err := store.EachMovement(ctx, f, func(r JournalRow) error {
			return cw.Write(r.record(rec, zone, d.German))
		})
		if err != nil {
			return err
		}
		cw.Flush()
		return cw.Error()
	}, nil
}

// Zone is the organisation's time zone, in which exports write times; UTC
// when its zone data could not be loaded (then the export itself fails).
func (s *Service) Zone() *time.Location {
	if s.zoneErr != nil || s.zone == nil {
		return time.UTC
	}
	return s.zone
}

// record fills rec with r's cells. Text a person typed or named is escaped
// so that a spreadsheet does not run it as a formula; numbers are not, so
// that a negative quantity stays a number. A German file names the type
// and the entered unit in words.
func (r JournalRow) record(rec []string, zone *time.Location, german bool) []string {
	m := r.Movement
	text := catalogue.EscapeFormula
	rec = rec[:0]
	rec = append(rec,
		strconv.FormatInt(m.ID, 10),
		m.EffectiveAt.In(zone).Format(localTime),
		r.typeCell(german),
		text(m.ItemSKU),
		text(m.ItemName),
		text(m.LocationCode),
		text(deref(m.ToLocationCode)),
		strconv.FormatInt(m.SignedQuantity(), 10),
		strconv.FormatInt(m.EnteredQuantity, 10),
		r.unitCell(german),
		strconv.FormatInt(m.UnitFactor, 10),
		optional(m.UnitCostMicros, FormatMicros),
		text(m.SupplierName),
		text(m.CustomerName),
		text(m.Reason),
		text(m.Note),
		optional(m.ReversesID, func(id int64) string { return strconv.FormatInt(id, 10) }),
		text(r.bookedBy()),
		m.CreatedAt.In(zone).Format(localTime),
	)
	return rec
}

func (r JournalRow) typeCell(german bool) string {
	if w, ok := journalTypesDE[r.Type]; ok && german {
		return w
	}
	return string(r.Type)
}

// unitCell is the entered unit: its code in an English file; in a German
// one the item's own word for it ("Harass"), else the German word.
func (r JournalRow) unitCell(german bool) string {
	if !german {
		return string(r.EnteredUnit)
	}
	own := ""
	switch r.EnteredUnit {
	case catalogue.UnitBase:
		own = r.ItemBaseUnit
	case catalogue.UnitPackage:
		own = r.ItemPackageUnit
	}
	if own != "" {
		return catalogue.EscapeFormula(own)
	}
	if w, ok := journalUnitsDE[r.EnteredUnit]; ok {
		return w
	}
	return string(r.EnteredUnit)
}

// bookedBy names who booked the movement: the person's email, or with an
// API token the token's name and then the owner's email.
func (r JournalRow) bookedBy() string {
	if r.BookedWithToken != "" {
		return r.BookedWithToken + " (" + r.UserEmail + ")"
	}
	return r.UserEmail
}

// SignedQuantity is the change m made at its location (for a transfer, the
// source) in base units: positive for stock coming in, negative for stock
// going out. It is the change of good stock, or for a write-off, which only
// takes defective stock, of defective stock.
func (m Movement) SignedQuantity() int64 {
	for _, e := range m.Effects() {
		if e.LocationID != m.LocationID {
			continue
		}
		if e.Good != 0 {
			return e.Good
		}
		return e.Defective
	}
	return 0
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func optional(v *int64, format func(int64) string) string {
	if v == nil {
		return ""
	}
	return format(*v)
}
