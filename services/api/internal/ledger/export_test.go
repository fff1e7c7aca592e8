package ledger

import (
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
	got := row.record(nil)
	want := []string{"42", "2025-03-10T22:30:00Z", "reversal", "LAGER-33", "'=Lager, \"hell\"", "WH1", "WH-2", "48", "2", "package",
		"24", "1.245833", "Brauerei", "", "'+falsch", "Zeile 1\nZeile 2", "41", "'@erp (clara@depot.example)", "2025-03-10T22:31:00Z"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record (-want +got):\n%s", diff)
	}
	if len(got) != len(journalColumns) {
		t.Errorf("%d cells for %d columns", len(got), len(journalColumns))
	}
	system := JournalRow{Movement: Movement{ID: 1, Type: Receipt, LocationID: 1, QuantityBase: 3}}.record(nil)
	if system[11] != "" || system[16] != "" || system[17] != "" || system[7] != "3" {
		t.Errorf("an unpriced receipt of the system: %q", system)
	}
}
