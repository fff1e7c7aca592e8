package ledger

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

func TestReceiptValidationNamesTheLines(t *testing.T) {
	good := ReceiptLine{ItemID: 1, LocationID: 2, Quantity: 3}
	for _, tc := range []struct {
		name string
		in   ReceiptInput
		want map[string]string
	}{
		{"fine", ReceiptInput{SupplierID: 4, Reference: " LS-77 ", Lines: []ReceiptLine{good, good}}, nil},
		{"no supplier, no lines", ReceiptInput{},
			map[string]string{"supplier_id": "is required: who delivered the goods", "lines": "must hold at least one line"}},
		{"too many lines", ReceiptInput{SupplierID: 4, Lines: make([]ReceiptLine, MaxReceiptLines+1)},
			map[string]string{"lines": "must hold at most 200 lines; split the delivery"}},
		{"bad third and fifth lines", ReceiptInput{SupplierID: 4, Lines: []ReceiptLine{good, good,
			{ItemID: 1, LocationID: 2, Quantity: 0}, good, {ItemID: -1, LocationID: 2, Quantity: 1, Unit: "crate", UnitCost: ptr[int64](-1)}}},
			map[string]string{
				"lines[2].quantity":  "must be a whole number between 1 and 1000000000",
				"lines[4].item_id":   "must be a positive id",
				"lines[4].unit":      "must be base, package or pallet",
				"lines[4].unit_cost": "must be between 0 and 10000000",
			}},
		{"a key too long for the lines' keys", ReceiptInput{SupplierID: 4, Lines: []ReceiptLine{good}, RequestKey: strings.Repeat("k", 197)},
			map[string]string{KeyField: "must be at most 196 characters for a receipt"}},
		{"reference on two lines, in the future", ReceiptInput{SupplierID: 4, Reference: "a\nb", EffectiveAt: ptr(testNow.Add(MaxClockSkew * 2)),
			Lines: []ReceiptLine{good}},
			map[string]string{"reference": "must not contain control characters", "effective_at": "must not be in the future"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			_, err := in.prepare(testNow, DefaultMaxBackdate)
			if diff := cmp.Diff(tc.want, fieldsOf(t, err)); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReceiptLinesAreReceiptsFromTheSupplier(t *testing.T) {
	in := ReceiptInput{SupplierID: 4, Reference: " LS-77 ", Lines: []ReceiptLine{
		{ItemID: 1, LocationID: 2, Quantity: 3, Unit: " Package ", UnitCost: ptr[int64](5)}, {ItemID: 6, LocationID: 2, Quantity: 1}}}
	callers := in.Lines
	lines, err := in.prepare(testNow, DefaultMaxBackdate)
	if err != nil {
		t.Fatal(err)
	}
	sup := int64(4)
	want := []Input{
		{Type: Receipt, ItemID: 1, LocationID: 2, Quantity: 3, Unit: catalogue.UnitPackage, UnitCost: ptr[int64](5), SupplierID: &sup, Note: "LS-77"},
		{Type: Receipt, ItemID: 6, LocationID: 2, Quantity: 1, Unit: catalogue.UnitBase, SupplierID: &sup, Note: "LS-77"},
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}
	if callers[0].Unit != " Package " {
		t.Errorf("the caller's line was changed: %q", callers[0].Unit)
	}
	// The fingerprint sees the normalised input: the same delivery typed
	// differently is the same request.
	other := ReceiptInput{SupplierID: 4, Reference: "LS-77", Lines: []ReceiptLine{
		{ItemID: 1, LocationID: 2, Quantity: 3, Unit: "package", UnitCost: ptr[int64](5)}, {ItemID: 6, LocationID: 2, Quantity: 1, Unit: "base"}}}
	if _, err := other.prepare(testNow, DefaultMaxBackdate); err != nil {
		t.Fatal(err)
	}
	if !cmp.Equal(fingerprint("receipt", in), fingerprint("receipt", other)) {
		t.Error("the same delivery has two fingerprints")
	}
}

func TestLineKeys(t *testing.T) {
	if got := []string{LineKey("k", 0), LineKey("k", 1), LineKey("k", 199)}; !cmp.Equal(got, []string{"k", "k\x1f2", "k\x1f200"}) {
		t.Errorf("line keys %q", got)
	}
	if n := len(LineKey(strings.Repeat("k", MaxReceiptKeyLength), MaxReceiptLines-1)); n > MaxKeyLength {
		t.Errorf("the longest line key has %d bytes", n)
	}
}

// receiptSnapshot holds beer (item 7, 100 bottles on hand at 1.00) and
// water (item 8, none), both at WH1 (1) and WH2 (2), and the supplier.
func receiptSnapshot() ReceiptSnapshot {
	water := ItemState{ID: 8, SKU: "WATER", Name: "Water", ItemUnits: ItemUnits{BaseUnit: "bottle"}}
	return ReceiptSnapshot{
		Items:     map[int64]ItemState{7: *beer(), 8: water},
		Locations: map[int64]LocationState{1: {ID: 1, Code: "WH1"}, 2: {ID: 2, Code: "WH2"}},
		Levels:    map[Place]Level{{7, 1}: {Good: 100}, {7, 2}: {}, {8, 1}: {}},
		Supplier:  &PartyState{ID: 4, Exists: true},
	}
}

// Several priced lines of one item move its average as booking them one
// after the other would; each line starts from the level the one before
// left.
func TestDecideReceiptChainsTheLines(t *testing.T) {
	sup := int64(4)
	line := func(item, loc, qty int64, unit catalogue.Unit, cost *int64) Input {
		in := Input{Type: Receipt, ItemID: item, LocationID: loc, Quantity: qty, Unit: unit, UnitCost: cost, SupplierID: &sup}
		in.normalize()
		return in
	}
	lines := []Input{
		line(7, 1, 1, catalogue.UnitPackage, ptr[int64](24*1_300_000)), // 24 at 1.30
		line(8, 1, 6, "", nil),
		line(7, 2, 76, "", ptr[int64](1_600_000)), // 76 at 1.60
		line(7, 1, 10, "", nil),
		line(7, 1, 10, "", ptr[int64](0)),
	}
	bookings, err := decideReceipt(lines, receiptSnapshot())
	if err != nil {
		t.Fatal(err)
	}
	// One by one, as single movements would be decided.
	snap := receiptSnapshot()
	var want []Booking
	for _, in := range lines {
		it := snap.Items[in.ItemID]
		b, err := decideMovement(in, Snapshot{Item: &it, Locations: snap.Locations,
			Levels: map[int64]Level{in.LocationID: snap.Levels[Place{in.ItemID, in.LocationID}]}})
		if err != nil {
			t.Fatal(err)
		}
		it.AvgUnitCostMicros, it.OnHand = b.Movement.AvgCostAfter, it.OnHand+b.Movement.QuantityBase
		snap.Items[in.ItemID] = it
		snap.Levels[Place{in.ItemID, in.LocationID}] = b.Levels[in.LocationID]
		want = append(want, b)
	}
	if diff := cmp.Diff(want, bookings); diff != "" {
		t.Errorf("bookings (-one by one +receipt):\n%s", diff)
	}
	// (100 × 1.00 + 24 × 1.30) / 124 = 1.058065; (124 × 1.058065 + 76 × 1.60) / 200 = 1.264000;
	// then 10 unpriced, then 10 free: 210 × 1.264 / 220 = 1.206545.
	avgs := []int64{}
	for _, b := range bookings {
		avgs = append(avgs, b.Movement.AvgCostAfter)
	}
	if diff := cmp.Diff([]int64{1_058_065, 0, 1_264_000, 1_264_000, 1_206_545}, avgs); diff != "" {
		t.Errorf("averages (-want +got):\n%s", diff)
	}
	if got := bookings[4].Levels[1]; got != (Level{Good: 144}) {
		t.Errorf("WH1 after the last line: %+v, want 144 good", got)
	}
}

func TestDecideReceiptNamesEveryBadLine(t *testing.T) {
	sup := int64(4)
	snap := receiptSnapshot()
	snap.Supplier.Archived = true
	snap.Locations[2] = LocationState{ID: 2, Code: "WH2", Archived: true}
	lines := []Input{
		{Type: Receipt, ItemID: 7, LocationID: 1, Quantity: 1},
		{Type: Receipt, ItemID: 9, LocationID: 1, Quantity: 1},
		{Type: Receipt, ItemID: 8, LocationID: 2, Quantity: 1, Unit: catalogue.UnitPackage},
	}
	for i := range lines {
		lines[i].SupplierID = &sup
		lines[i].normalize()
	}
	_, err := decideReceipt(lines, snap)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("err = %v, want a validation error", err)
	}
	want := map[string]string{
		"supplier_id":          "is archived",
		"lines[1].item_id":     "does not exist",
		"lines[2].location_id": "is archived",
	}
	if diff := cmp.Diff(want, e.Fields.Messages()); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
}
