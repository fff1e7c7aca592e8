package ledger

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// beer is counted in bottles, 24 to a crate, 40 crates to a pallet.
func beer() *ItemState {
	return &ItemState{ID: 7, SKU: "LAGER-33", Name: "Lager 33 cl", AvgUnitCostMicros: 1_000_000, OnHand: 100,
		ItemUnits: ItemUnits{BaseUnit: "bottle", PackageUnit: ptr("crate"), PackageSize: ptr[int64](24), PalletSize: ptr[int64](40)}}
}

func snapshot(levels map[int64]Level) Snapshot {
	return Snapshot{
		Item:      beer(),
		Locations: map[int64]LocationState{1: {ID: 1, Code: "WH1"}, 2: {ID: 2, Code: "WH2"}},
		Levels:    levels,
	}
}

func TestDecideMovement(t *testing.T) {
	start := map[int64]Level{1: {Good: 100, Defective: 5}, 2: {}}
	for _, tc := range []struct {
		name       string
		in         Input
		wantLevels map[int64]Level
		wantQty    int64 // QuantityBase
		wantFactor int64
		wantAvg    int64
	}{
		{"receipt of crates", Input{Type: Receipt, LocationID: 1, Quantity: 2, Unit: catalogue.UnitPackage},
			map[int64]Level{1: {Good: 148, Defective: 5}}, 48, 24, 1_000_000},
		{"priced receipt: cost per crate to cost per bottle, new average", Input{Type: Receipt, LocationID: 1, Quantity: 1,
			Unit: catalogue.UnitPallet, UnitCost: ptr[int64](40 * 24 * 1_300_000)},
			map[int64]Level{1: {Good: 1060, Defective: 5}}, 960, 960, 1_271_698}, // (100×1.00 + 960×1.30) / 1060
		{"issue", Input{Type: Issue, LocationID: 1, Quantity: 100},
			map[int64]Level{1: {Good: 0, Defective: 5}}, 100, 1, 1_000_000},
		{"return", Input{Type: Return, LocationID: 2, Quantity: 1, Unit: catalogue.UnitPackage},
			map[int64]Level{2: {Good: 24}}, 24, 24, 1_000_000},
		{"defect", Input{Type: Defect, LocationID: 1, Quantity: 10},
			map[int64]Level{1: {Good: 90, Defective: 15}}, 10, 1, 1_000_000},
		{"write-off", Input{Type: WriteOff, LocationID: 1, Quantity: 5},
			map[int64]Level{1: {Good: 100, Defective: 0}}, 5, 1, 1_000_000},
		{"stock-take counting less", Input{Type: Adjust, LocationID: 1, Quantity: 3, Unit: catalogue.UnitPackage},
			map[int64]Level{1: {Good: 72, Defective: 5}}, -28, 24, 1_000_000},
		{"stock-take counting more", Input{Type: Adjust, LocationID: 2, Quantity: 7},
			map[int64]Level{2: {Good: 7}}, 7, 1, 1_000_000},
		{"stock-take confirming", Input{Type: Adjust, LocationID: 1, Quantity: 100},
			map[int64]Level{1: {Good: 100, Defective: 5}}, 0, 1, 1_000_000},
		{"stock-take of nothing", Input{Type: Adjust, LocationID: 1, Quantity: 0},
			map[int64]Level{1: {Good: 0, Defective: 5}}, -100, 1, 1_000_000},
		{"transfer", Input{Type: Transfer, LocationID: 1, ToLocationID: ptr[int64](2), Quantity: 60},
			map[int64]Level{1: {Good: 40, Defective: 5}, 2: {Good: 60}}, 60, 1, 1_000_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.ItemID = 7
			in.normalize()
			b, err := decideMovement(in, snapshot(start))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.wantLevels, b.Levels); diff != "" {
				t.Errorf("levels (-want +got):\n%s", diff)
			}
			m := b.Movement
			if m.QuantityBase != tc.wantQty || m.UnitFactor != tc.wantFactor || m.AvgCostAfter != tc.wantAvg || m.AvgCostBefore != 1_000_000 {
				t.Errorf("quantity %d factor %d average %d→%d; want %d, %d, 1000000→%d",
					m.QuantityBase, m.UnitFactor, m.AvgCostBefore, m.AvgCostAfter, tc.wantQty, tc.wantFactor, tc.wantAvg)
			}
			if (m.Counted != nil) != (in.Type == Adjust) {
				t.Errorf("counted = %v for %s", m.Counted, in.Type)
			}
		})
	}
}

func TestDecideMovementRefusals(t *testing.T) {
	start := map[int64]Level{1: {Good: 30, Defective: 2}, 2: {}}
	noPackage := snapshot(start)
	noPackage.Item.PackageUnit, noPackage.Item.PackageSize, noPackage.Item.PalletSize = nil, nil, nil
	archivedItem := snapshot(start)
	archivedItem.Item.Archived = true
	archivedLocation := snapshot(start)
	archivedLocation.Locations[2] = LocationState{ID: 2, Code: "WH2", Archived: true}
	missing := snapshot(start)
	missing.Item = nil
	delete(missing.Locations, 2)
	missing.Supplier = &PartyState{ID: 9}
	archivedCustomer := snapshot(start)
	archivedCustomer.Customer = &PartyState{ID: 9, Exists: true, Archived: true}

	for _, tc := range []struct {
		name    string
		in      Input
		snap    Snapshot
		code    apperr.Code
		message string
		fields  map[string]string
	}{
		{"issue beyond stock, in crates", Input{Type: Issue, LocationID: 1, Quantity: 2, Unit: catalogue.UnitPackage}, snapshot(start),
			apperr.CodeInsufficient,
			"Not enough good stock of LAGER-33 at WH1: 2 crate (48 bottle) requested, 30 bottle (1 crate + 6 bottle) available.",
			map[string]string{"quantity": "is more than the 30 bottle (1 crate + 6 bottle) available"}},
		{"issue beyond stock, in bottles", Input{Type: Issue, LocationID: 1, Quantity: 31}, snapshot(start),
			apperr.CodeInsufficient,
			"Not enough good stock of LAGER-33 at WH1: 31 bottle requested, 30 bottle (1 crate + 6 bottle) available.",
			map[string]string{"quantity": "is more than the 30 bottle (1 crate + 6 bottle) available"}},
		{"transfer from an empty location", Input{Type: Transfer, LocationID: 2, ToLocationID: ptr[int64](1), Quantity: 1}, snapshot(start),
			apperr.CodeInsufficient, "Not enough good stock of LAGER-33 at WH2: 1 bottle requested, 0 bottle available.",
			map[string]string{"quantity": "is more than the 0 bottle available"}},
		{"defect beyond good stock", Input{Type: Defect, LocationID: 1, Quantity: 31, Reason: "x"}, snapshot(start),
			apperr.CodeInsufficient, "Not enough good stock of LAGER-33 at WH1: 31 bottle requested, 30 bottle (1 crate + 6 bottle) available.",
			map[string]string{"quantity": "is more than the 30 bottle (1 crate + 6 bottle) available"}},
		{"write-off beyond defective stock", Input{Type: WriteOff, LocationID: 1, Quantity: 3, Reason: "x"}, snapshot(start),
			apperr.CodeInsufficient, "Not enough defective stock of LAGER-33 at WH1: 3 bottle requested, 2 bottle available.",
			map[string]string{"quantity": "is more than the 2 bottle available"}},
		{"crates of an item without crates", Input{Type: Receipt, LocationID: 1, Quantity: 1, Unit: catalogue.UnitPackage}, noPackage,
			apperr.CodeValidation, "", map[string]string{"unit": "this item has no package"}},
		{"a quantity beyond int64", Input{Type: Receipt, LocationID: 1, Quantity: MaxEnteredQuantity, Unit: catalogue.UnitPallet},
			func() Snapshot {
				s := snapshot(start)
				s.Item.PackageSize, s.Item.PalletSize = ptr[int64](1_000_000), ptr[int64](100_000)
				return s
			}(),
			apperr.CodeValidation, "", map[string]string{"quantity": "is too large"}},
		{"a quantity beyond one movement's limit", Input{Type: Receipt, LocationID: 1, Quantity: 2_000_000, Unit: catalogue.UnitPallet},
			func() Snapshot {
				s := snapshot(start)
				s.Item.PackageSize, s.Item.PalletSize = ptr[int64](1000), ptr[int64](1000)
				return s
			}(),
			apperr.CodeValidation, "", map[string]string{"quantity": "must be at most 1000000000000 bottle in one movement"}},
		{"archived item", Input{Type: Receipt, LocationID: 1, Quantity: 1}, archivedItem,
			apperr.CodeValidation, "", map[string]string{"item_id": "is archived"}},
		{"archived target", Input{Type: Transfer, LocationID: 1, ToLocationID: ptr[int64](2), Quantity: 1}, archivedLocation,
			apperr.CodeValidation, "", map[string]string{"to_location_id": "is archived"}},
		{"missing records", Input{Type: Transfer, LocationID: 1, ToLocationID: ptr[int64](2), Quantity: 1}, missing,
			apperr.CodeValidation, "", map[string]string{"item_id": "does not exist", "to_location_id": "does not exist", "supplier_id": "does not exist"}},
		{"archived customer", Input{Type: Issue, LocationID: 1, Quantity: 1}, archivedCustomer,
			apperr.CodeValidation, "", map[string]string{"customer_id": "is archived"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.ItemID = 7
			in.normalize()
			_, err := decideMovement(in, tc.snap)
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.code {
				t.Fatalf("err = %v, want %s", err, tc.code)
			}
			if tc.message != "" && e.Message != tc.message {
				t.Errorf("message = %q\n         want %q", e.Message, tc.message)
			}
			if diff := cmp.Diff(tc.fields, e.Fields.Messages()); diff != "" {
				t.Errorf("fields (-want +got):\n%s", diff)
			}
		})
	}
}

// A refusal for want of stock says, in the field error's parameters, what
// was asked and what is there, so a client can say it in its language.
func TestShortageParams(t *testing.T) {
	start := map[int64]Level{1: {Good: 30, Defective: 2}}
	for _, tc := range []struct {
		name string
		in   Input
		want apperr.Params
	}{
		{"in base units", Input{Type: Issue, LocationID: 1, Quantity: 31}, apperr.Params{
			"requested": int64(31), "available": int64(30), "unit": "bottle", "kind": "good"}},
		{"in crates", Input{Type: Issue, LocationID: 1, Quantity: 2, Unit: catalogue.UnitPackage}, apperr.Params{
			"requested": int64(48), "available": int64(30), "unit": "bottle", "kind": "good",
			"entered": int64(2), "entered_unit": "package", "entered_unit_name": "crate"}},
		{"in pallets", Input{Type: Issue, LocationID: 1, Quantity: 1, Unit: catalogue.UnitPallet}, apperr.Params{
			"requested": int64(24 * 40), "available": int64(30), "unit": "bottle", "kind": "good",
			"entered": int64(1), "entered_unit": "pallet"}},
		{"defective", Input{Type: WriteOff, LocationID: 1, Quantity: 3, Reason: "x"}, apperr.Params{
			"requested": int64(3), "available": int64(2), "unit": "bottle", "kind": "defective"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.ItemID = 7
			in.normalize()
			_, err := decideMovement(in, snapshot(start))
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeInsufficient || e.Fields["quantity"].Code != apperr.FieldInsufficient {
				t.Fatalf("err = %v, want insufficient_stock with a quantity field", err)
			}
			if diff := cmp.Diff(tc.want, e.Fields["quantity"].Params); diff != "" {
				t.Errorf("params (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEffectsOfAReversalCancelTheOriginal(t *testing.T) {
	to := int64(2)
	for _, typ := range []Type{Receipt, Issue, Return, Defect, WriteOff, Adjust, Transfer} {
		m := Movement{Type: typ, LocationID: 1, QuantityBase: 5}
		if typ == Transfer {
			m.ToLocationID = &to
		}
		r := m
		r.Type, r.ReversedType = Reversal, &m.Type
		sum := map[int64]Level{}
		for _, e := range append(m.Effects(), r.Effects()...) {
			l := sum[e.LocationID]
			l.Good += e.Good
			l.Defective += e.Defective
			sum[e.LocationID] = l
		}
		for loc, l := range sum {
			if l != (Level{}) {
				t.Errorf("%s and its reversal leave %+v at location %d", typ, l, loc)
			}
		}
		if len(m.Effects()) == 0 {
			t.Errorf("%s has no effect", typ)
		}
	}
}

func TestDecideReversal(t *testing.T) {
	to := int64(2)
	receipt := Movement{ID: 11, Type: Receipt, ItemID: 7, LocationID: 1, QuantityBase: 50, EnteredQuantity: 50,
		EnteredUnit: catalogue.UnitBase, UnitFactor: 1, UnitCostMicros: ptr[int64](1_300_000),
		AvgCostBefore: 1_000_000, AvgCostAfter: 1_100_000}
	transfer := Movement{ID: 12, Type: Transfer, ItemID: 7, LocationID: 1, ToLocationID: &to, QuantityBase: 10, EnteredQuantity: 10,
		EnteredUnit: catalogue.UnitBase, UnitFactor: 1, AvgCostBefore: 1_000_000, AvgCostAfter: 1_000_000}
	reversed := transfer
	reversed.ReversedByID = ptr[int64](13)
	reversal := Movement{ID: 13, Type: Reversal, ReversesID: ptr[int64](12), ReversedType: ptr(Transfer), ItemID: 7, LocationID: 1, ToLocationID: &to, QuantityBase: 10}

	with := func(o Movement, levels map[int64]Level, avg, onHand int64) Snapshot {
		s := snapshot(levels)
		s.Item.AvgUnitCostMicros, s.Item.OnHand = avg, onHand
		s.Original = &o
		return s
	}
	t.Run("the latest priced receipt restores the previous average", func(t *testing.T) {
		b, err := decideReversal(ReversalInput{Reason: "falsch erfasst"}, with(receipt, map[int64]Level{1: {Good: 150}}, 1_100_000, 150))
		if err != nil {
			t.Fatal(err)
		}
		if b.Movement.AvgCostAfter != 1_000_000 || b.Levels[1] != (Level{Good: 100}) {
			t.Errorf("average %d, levels %v; want 1000000 and 100 good", b.Movement.AvgCostAfter, b.Levels)
		}
		if b.Movement.Type != Reversal || *b.Movement.ReversesID != 11 || *b.Movement.ReversedType != Receipt || b.Movement.Reason != "falsch erfasst" {
			t.Errorf("movement = %+v", b.Movement)
		}
	})
	t.Run("an older priced receipt is taken out of the value", func(t *testing.T) {
		b, err := decideReversal(ReversalInput{}, with(receipt, map[int64]Level{1: {Good: 200}}, 1_200_000, 200))
		if err != nil {
			t.Fatal(err)
		}
		if b.Movement.AvgCostAfter != 1_166_667 {
			t.Errorf("average = %d, want 1166667", b.Movement.AvgCostAfter)
		}
	})
	t.Run("a transfer goes back", func(t *testing.T) {
		b, err := decideReversal(ReversalInput{}, with(transfer, map[int64]Level{1: {Good: 0}, 2: {Good: 10}}, 1_000_000, 10))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(map[int64]Level{1: {Good: 10}, 2: {}}, b.Levels); diff != "" {
			t.Errorf("levels (-want +got):\n%s", diff)
		}
	})
	for _, tc := range []struct {
		name    string
		snap    Snapshot
		code    apperr.Code
		message string
	}{
		{"twice", with(reversed, map[int64]Level{1: {}, 2: {Good: 10}}, 0, 0), apperr.CodeConflict,
			"Movement 12 was already reversed by movement 13."},
		{"a reversal", with(reversal, map[int64]Level{1: {Good: 10}, 2: {}}, 0, 0), apperr.CodeConflict,
			"Movement 13 is itself a reversal and cannot be reversed; book the movement again instead."},
		{"when the goods are gone", with(transfer, map[int64]Level{1: {}, 2: {Good: 4}}, 0, 0), apperr.CodeInsufficient,
			"Movement 12 cannot be reversed: that needs 10 bottle of good stock of LAGER-33 at WH2, and only 4 bottle is there."},
	} {
		t.Run("refused: "+tc.name, func(t *testing.T) {
			_, err := decideReversal(ReversalInput{}, tc.snap)
			e, ok := apperr.As(err)
			if !ok || e.Code != tc.code || e.Message != tc.message {
				t.Fatalf("err = %v\nwant %s: %s", err, tc.code, tc.message)
			}
		})
	}
}

func TestApplyRefusesLevelsBeyondInt64(t *testing.T) {
	snap := snapshot(map[int64]Level{1: {Good: math.MaxInt64 - 5}})
	_, err := apply(snap, []Effect{{LocationID: 1, Good: 6}}, true, nil)
	if got := fieldsOf(t, err); got["quantity"] != "would take the stock beyond what can be counted" {
		t.Errorf("fields = %v", got)
	}
	if _, err := apply(snap, []Effect{{LocationID: 1, Good: 5}}, true, nil); err != nil {
		t.Errorf("the largest level was refused: %v", err)
	}
}

// Goods that confirmed orders reserved stay on the shelf for them: an
// issue, transfer or defect may take only the available part, and the
// refusal says how much is reserved; a stock-take books its count anyway.
func TestDecideMovementLeavesReservedGoods(t *testing.T) {
	start := map[int64]Level{1: {Good: 100, Reserved: 90}, 2: {}}
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"issue", Input{Type: Issue, LocationID: 1, Quantity: 11, Unit: catalogue.UnitBase}},
		{"transfer", Input{Type: Transfer, LocationID: 1, ToLocationID: ptr[int64](2), Quantity: 11, Unit: catalogue.UnitBase}},
		{"defect", Input{Type: Defect, LocationID: 1, Quantity: 11, Unit: catalogue.UnitBase, Reason: "broken"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decideMovement(tc.in, snapshot(start))
			e, ok := apperr.As(err)
			if !ok || e.Code != apperr.CodeInsufficient {
				t.Fatalf("err = %v, want insufficient stock", err)
			}
			f := e.Fields["quantity"]
			if f.Code != apperr.FieldInsufficient || f.Params["available"] != int64(10) || f.Params["reserved"] != int64(90) {
				t.Errorf("quantity = %+v, want available 10 and reserved 90", f)
			}
			want := "Not enough good stock of LAGER-33 at WH1: 11 bottle requested, 10 bottle available (90 bottle (3 crate + 18 bottle) more reserved by orders)."
			if e.Message != want {
				t.Errorf("message = %q\nwant      %q", e.Message, want)
			}
			tc.in.Quantity = 10
			b, err := decideMovement(tc.in, snapshot(start))
			if err != nil {
				t.Fatalf("the available 10 were refused: %v", err)
			}
			if got := b.Levels[1]; got.Good != 90 || got.Reserved != 90 {
				t.Errorf("level = %+v, want good 90 with 90 still reserved", got)
			}
		})
	}
	b, err := decideMovement(Input{Type: Adjust, LocationID: 1, Quantity: 50, Unit: catalogue.UnitBase}, snapshot(start))
	if err != nil {
		t.Fatalf("a count below the reservations was refused: %v", err)
	}
	if got := b.Levels[1]; got.Good != 50 || got.Available() != 0 {
		t.Errorf("level = %+v (available %d), want good 50 and nothing available", got, got.Available())
	}
}
