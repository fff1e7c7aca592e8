package orders

import (
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
	"github.com/depotix/depotix/services/api/internal/sales"
)

func ptr[T any](v T) *T { return &v }

// confirmed is a CONFIRMED order at location 5 of beer, counted in
// bottles, 24 to a crate.
func confirmed(lines ...Line) ActionSnapshot {
	return ActionSnapshot{
		Order: Order{ID: 1, Number: "LS-2026-0001", CustomerID: 9, LocationID: 5, LocationCode: "WH", Status: sales.Confirmed, Lines: lines},
		Items: map[int64]sales.Item{7: {ID: 7, SKU: "LAGER", ItemFields: catalogue.ItemFields{BaseUnit: "bottle",
			PackageUnit: ptr("crate"), PackageSize: ptr[int64](24), DepositUnit: 30, Returnable: true}}},
		Ledger: map[int64]ledger.ItemState{7: {ID: 7, SKU: "LAGER", AvgUnitCostMicros: 900_000,
			ItemUnits: ledger.ItemUnits{BaseUnit: "bottle", PackageUnit: ptr("crate"), PackageSize: ptr[int64](24)}}},
		Levels: map[Place]ledger.Level{},
	}
}

func crates(n int64) Line {
	return Line{Line: sales.Line{ItemID: 7, Unit: catalogue.UnitPackage, Quantity: n, Factor: 24, QuantityBase: 24 * n, UnitPrice: 3360, Deposit: 720},
		ItemSKU: "LAGER"}
}

func TestDecideConfirmSharesStockFirstLineFirst(t *testing.T) {
	snap := confirmed(crates(1), crates(1))
	snap.Levels[Place{ItemID: 7, LocationID: 5}] = ledger.Level{Good: 60, Reserved: 20}
	_, err := decideConfirm(snap)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeInsufficient {
		t.Fatalf("err = %v, want insufficient stock", err)
	}
	if _, bad := e.Fields["lines[0].quantity"]; bad || len(e.Fields) != 1 {
		t.Errorf("fields = %v, want only line 1 short", e.Fields)
	}
	f := e.Fields["lines[1].quantity"]
	if f.Params["available"] != int64(16) || f.Params["missing"] != int64(8) || f.Params["missing_entered"] != int64(1) {
		t.Errorf("lines[1] = %+v, want 16 available, 8 bottles (1 crate) missing", f)
	}
	if !strings.Contains(e.Message, "line 2 (LAGER): 8 bottle missing") {
		t.Errorf("message = %q", e.Message)
	}

	snap.Levels[Place{ItemID: 7, LocationID: 5}] = ledger.Level{Good: 68, Reserved: 20}
	plan, err := decideConfirm(snap)
	if err != nil || plan.Reserved[Place{ItemID: 7, LocationID: 5}] != 48 || plan.Status != sales.Confirmed {
		t.Errorf("plan = %+v, %v; want 48 reserved", plan, err)
	}
}

func TestDecideDeliveryShortWithEmpties(t *testing.T) {
	snap := confirmed(crates(2))
	snap.Levels[Place{ItemID: 7, LocationID: 5}] = ledger.Level{Good: 48, Reserved: 48}
	snap.Empties = &LocationState{ID: 8, Code: "LEERGUT", Empties: true}
	plan, err := decideDelivery(sales.DeliveryInput{Delivered: []int64{1},
		Empties: []sales.EmptiesInput{{ItemID: 7, Unit: catalogue.UnitPackage, Quantity: 3}}}, snap)
	if err != nil {
		t.Fatal(err)
	}
	at, empties := Place{ItemID: 7, LocationID: 5}, Place{ItemID: 7, LocationID: 8}
	if plan.Good[at] != -24 || plan.Reserved[at] != -48 || plan.Good[empties] != 72 {
		t.Errorf("changes: good %v reserved %v", plan.Good, plan.Reserved)
	}
	if len(plan.Issues) != 1 || plan.Issues[0].EnteredQuantity != 1 || *plan.Issues[0].CustomerID != 9 ||
		len(plan.Returns) != 1 || plan.Returns[0].Type != ledger.Return || plan.Returns[0].LocationID != 8 {
		t.Errorf("movements: %+v %+v", plan.Issues, plan.Returns)
	}
	if plan.Charged != 720 || plan.Credited != 3*720 {
		t.Errorf("deposits charged %d credited %d, want 7.20 and 21.60", plan.Charged, plan.Credited)
	}

	snap.Levels[Place{ItemID: 7, LocationID: 5}] = ledger.Level{Good: 30, Reserved: 48}
	_, err = decideDelivery(sales.DeliveryInput{}, snap)
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeInsufficient || e.Fields["lines[0].quantity"].Params["missing"] != int64(18) {
		t.Errorf("err = %v, want 18 bottles missing on line 0", err)
	}
}

func TestDecideDraftRefusesTheEmptiesLocation(t *testing.T) {
	_, err := decideDraft(Input{}, Snapshot{Customer: &CustomerState{ID: 1, Name: "Krone", Currency: "CHF"},
		Location: &LocationState{ID: 8, Code: "LEERGUT", Empties: true}}, false)
	e, ok := apperr.As(err)
	if !ok || e.Fields["location_id"].Code != apperr.FieldNotAllowed {
		t.Errorf("err = %v, want location_id not_allowed", err)
	}
	_, err = decideDraft(Input{}, Snapshot{Order: &Order{Number: "LS-2026-0003", Status: sales.Confirmed}}, false)
	if !sales.IsStatusError(err) || !strings.Contains(err.Error(), "LS-2026-0003 is CONFIRMED") {
		t.Errorf("editing a confirmed order: %v", err)
	}
}

// A clerk saving a DRAFT whose crates a manager priced keeps the manager's
// price on that line; a line the clerk adds takes the item's price.
func TestDecideDraftKeepsManagersPrice(t *testing.T) {
	manager := crates(3)
	manager.UnitPrice, manager.PriceOverridden = 3000, true
	snap := Snapshot{Order: &Order{Number: "LS-2026-0004", Status: sales.Draft, Lines: []Line{manager}},
		Customer: &CustomerState{ID: 1, Name: "Krone", Currency: "CHF"}, Location: &LocationState{ID: 5, Code: "WH"},
		Items: map[int64]sales.Item{7: {ID: 7, SKU: "LAGER", ItemFields: catalogue.ItemFields{BaseUnit: "bottle",
			PackageUnit: ptr("crate"), PackageSize: ptr[int64](24), SalesPriceUnit: 140, Currency: "CHF"}}}}
	in := Input{CustomerID: 1, LocationID: 5, Lines: []sales.LineInput{
		{ItemID: 7, Unit: catalogue.UnitPackage, Quantity: 5},
		{ItemID: 7, Unit: catalogue.UnitPackage, Quantity: 1},
	}}
	d, err := decideDraft(in, snap, false)
	if err != nil {
		t.Fatal(err)
	}
	if l := d.Lines[0]; l.UnitPrice != 3000 || !l.PriceOverridden || l.Quantity != 5 {
		t.Errorf("the manager's line after the clerk's edit: %+v", l)
	}
	if l := d.Lines[1]; l.UnitPrice != 3360 || l.PriceOverridden {
		t.Errorf("the clerk's new line: %+v", l)
	}
}
