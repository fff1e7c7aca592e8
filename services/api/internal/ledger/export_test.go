package ledger

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/catalogue"
)

func TestSignedQuantity(t *testing.T) {
	to := int64(2)
	for _, tc := range []struct {
		m    Movement
		want int64
	}{
		{Movement{Type: Receipt, LocationID: 1, QuantityBase: 5}, 5},
		{Movement{Type: Issue, LocationID: 1, QuantityBase: 5}, -5},
		{Movement{Type: Return, LocationID: 1, QuantityBase: 5}, 5},
		{Movement{Type: Defect, LocationID: 1, QuantityBase: 5}, -5},   // good turned defective
		{Movement{Type: WriteOff, LocationID: 1, QuantityBase: 5}, -5}, // defective taken out
		{Movement{Type: Adjust, LocationID: 1, QuantityBase: -3}, -3},
		{Movement{Type: Adjust, LocationID: 1, QuantityBase: 0}, 0},
		{Movement{Type: Transfer, LocationID: 1, ToLocationID: &to, QuantityBase: 5}, -5},
		{Movement{Type: Reversal, ReversedType: ptr(Issue), LocationID: 1, QuantityBase: 5}, 5},
		{Movement{Type: Reversal, ReversedType: ptr(WriteOff), LocationID: 1, QuantityBase: 5}, 5},
		{Movement{Type: Reversal, ReversedType: ptr(Transfer), LocationID: 1, ToLocationID: &to, QuantityBase: 5}, 5},
	} {
		if got := tc.m.SignedQuantity(); got != tc.want {
			t.Errorf("%s (reversing %v) of %d: %d, want %d", tc.m.Type, tc.m.ReversedType, tc.m.QuantityBase, got, tc.want)
		}
	}
}

func TestJournalRecord(t *testing.T) {
	at := time.Date(2025, 3, 10, 23, 30, 0, 123456000, time.FixedZone("CET", 3600))
	to, cost, rev := "WH-2", int64(1_245_833), int64(41)
	row := JournalRow{
		Movement: Movement{ID: 42, Type: Reversal, ReversedType: ptr(Transfer), ItemSKU: "LAGER-33", ItemName: "=Lager, \"hell\"",
			LocationID: 1, LocationCode: "WH1", ToLocationID: ptr[int64](2), ToLocationCode: &to, QuantityBase: 48, EnteredQuantity: 2, EnteredUnit: catalogue.UnitPackage,
			UnitFactor: 24, UnitCostMicros: &cost, Reason: "+falsch", Note: "Zeile 1\nZeile 2", ReversesID: &rev,
			EffectiveAt: at, CreatedAt: at.Add(time.Minute), SupplierName: "Brauerei", BookedByName: "Clara", BookedWithToken: "@erp"},
		UserEmail: "clara@depot.example",
	}
	zurich, err := time.LoadLocation(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	got := row.record(nil, zurich, false)
	// 23:30 at UTC+1 is 23:30 in Zurich in winter: local time, no zone mark.
	want := []string{"42", "2025-03-10 23:30:00", "reversal", "LAGER-33", "'=Lager, \"hell\"", "WH1", "WH-2", "48", "2", "package",
		"24", "1.245833", "Brauerei", "", "'+falsch", "Zeile 1\nZeile 2", "41", "'@erp (clara@depot.example)", "2025-03-10 23:31:00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if len(got) != len(journalColumns) {
		t.Errorf("%d cells for %d columns", len(got), len(journalColumns))
	}
	system := JournalRow{Movement: Movement{ID: 1, Type: Receipt, LocationID: 1, QuantityBase: 3}}.record(nil, zurich, false)
	if system[11] != "" || system[16] != "" || system[17] != "" || system[7] != "3" {
		t.Errorf("an unpriced receipt of the system: %q", system)
	}
}

// A German file names types and entered units in words, never codes.
func TestJournalWordsDE(t *testing.T) {
	for _, typ := range Types() {
		if journalTypesDE[typ] == "" {
			t.Errorf("type %s has no German word", typ)
		}
	}
	for _, u := range []catalogue.Unit{catalogue.UnitBase, catalogue.UnitPackage, catalogue.UnitPallet} {
		if journalUnitsDE[u] == "" {
			t.Errorf("unit %s has no German word", u)
		}
	}
	zurich, err := time.LoadLocation(DefaultZone)
	if err != nil {
		t.Fatal(err)
	}
	m := Movement{ID: 7, Type: Receipt, LocationID: 1, QuantityBase: 48, EnteredQuantity: 2, EnteredUnit: catalogue.UnitPackage,
		UnitFactor: 24, ItemBaseUnit: "Flasche", ItemPackageUnit: "Harass"}
	got := JournalRow{Movement: m}.record(nil, zurich, true)
	if got[2] != "Wareneingang" || got[9] != "Harass" {
		t.Errorf("German type and unit = %q, %q", got[2], got[9])
	}
	m.EnteredUnit = catalogue.UnitPallet
	if got := (JournalRow{Movement: m}).record(nil, zurich, true); got[9] != "Palette" {
		t.Errorf("German pallet = %q", got[9])
	}
	if got := (JournalRow{Movement: m}).record(nil, zurich, false); got[2] != "receipt" || got[9] != "pallet" {
		t.Errorf("English file keeps codes: %q, %q", got[2], got[9])
	}
}

// exportStore answers EachMovement with rows; the export needs nothing else.
type exportStore struct {
	Store
	rows []JournalRow
}

func (s exportStore) EachMovement(_ context.Context, _ Filter, fn func(JournalRow) error) error {
	for _, r := range s.rows {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// The journal's file opens in a Swiss Excel: byte-order mark, semicolons
// by default (commas on request), the header in the asked language, times
// in the organisation's zone (summer time too).
func TestExportMovementsDialects(t *testing.T) {
	summer := time.Date(2025, 7, 1, 12, 0, 0, 0, time.UTC)
	svc := NewService(exportStore{rows: []JournalRow{{Movement: Movement{ID: 7, Type: Receipt, LocationID: 1,
		LocationCode: "WH1", ItemSKU: "LAGER-33", ItemName: "Lager; hell", QuantityBase: 24, EnteredQuantity: 1,
		EnteredUnit: catalogue.UnitPackage, UnitFactor: 24, EffectiveAt: summer, CreatedAt: summer}}}}, Config{})
	for _, tc := range []struct {
		name      string
		d         catalogue.CSVDialect
		header    string
		rowPrefix string
	}{
		{"default", catalogue.CSVDialect{}, "id;effective_at;type;item_sku;item_name;", `7;2025-07-01 14:00:00;receipt;LAGER-33;"Lager; hell";`},
		{"German", catalogue.CSVDialect{German: true}, "Nr.;Wirksam am;Art;Artikelnummer;Artikel;", `7;2025-07-01 14:00:00;Wareneingang;`},
		{"comma", catalogue.CSVDialect{Separator: catalogue.SeparatorComma}, "id,effective_at,type,", `7,2025-07-01 14:00:00,receipt,LAGER-33,Lager; hell,`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			export, err := svc.ExportMovements(Filter{}, tc.d)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			if err := export(context.Background(), &b); err != nil {
				t.Fatal(err)
			}
			got, ok := strings.CutPrefix(b.String(), "\uFEFF")
			if !ok {
				t.Fatalf("no byte-order mark: %q", b.String())
			}
			lines := strings.Split(got, "\r\n")
			if len(lines) != 3 || !strings.HasPrefix(lines[0], tc.header) || !strings.HasPrefix(lines[1], tc.rowPrefix) {
				t.Errorf("file = %q", got)
			}
		})
	}
}
