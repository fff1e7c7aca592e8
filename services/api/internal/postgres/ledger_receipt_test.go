package postgres_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// tableCounts counts what a booking writes.
func (e ledgerEnv) tableCounts(t testing.TB) [4]int64 {
	t.Helper()
	var c [4]int64
	if err := e.pool.QueryRow(context.Background(), `
		SELECT (SELECT count(*) FROM movements), (SELECT count(*) FROM audit_log),
		       (SELECT coalesce(sum(good), 0) FROM stock), (SELECT coalesce(sum(avg_unit_cost_micros), 0) FROM items)`).
		Scan(&c[0], &c[1], &c[2], &c[3]); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestReceiptBooksEveryLineAsAReceipt(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, water := env.item(t, "LAGER", 24, 40), env.item(t, "WATER", 6, 0)
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup := env.supplier(t, "Brauerei")
	clerk := audit.Actor{UserID: env.user(t, "clerk@example.ch"), RequestID: "req-receipt"}
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh1, Quantity: 100, Note: "Anfangsbestand"})

	ms, err := env.svc.CreateReceipt(ctx, clerk, ledger.ReceiptInput{SupplierID: sup, Reference: "LS-4711", Lines: []ledger.ReceiptLine{
		{ItemID: beer, LocationID: wh1, Quantity: 1, Unit: catalogue.UnitPallet, UnitCost: i64(960 * 1_200_000)},
		{ItemID: water, LocationID: wh2, Quantity: 10, Unit: catalogue.UnitPackage},
		{ItemID: beer, LocationID: wh2, Quantity: 40},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 3 {
		t.Fatalf("%d movements", len(ms))
	}
	for i, m := range ms {
		if m.Type != ledger.Receipt || m.SupplierID == nil || *m.SupplierID != sup || m.Note != "LS-4711" || m.CreatedBy != clerk.UserID ||
			(i > 0 && m.ID <= ms[i-1].ID) {
			t.Errorf("movement %d: %+v", i, m)
		}
		// What was returned is what was stored.
		stored := try(env.svc.Movement(ctx, m.ID)).must(t)
		if diff := cmp.Diff(stored, m); diff != "" {
			t.Errorf("movement %d as returned differs from the stored one (-stored +returned):\n%s", i, diff)
		}
	}
	if ms[0].QuantityBase != 960 || ms[1].QuantityBase != 60 || ms[2].QuantityBase != 40 {
		t.Errorf("quantities %d, %d, %d", ms[0].QuantityBase, ms[1].QuantityBase, ms[2].QuantityBase)
	}
	want := map[place]ledger.Level{{beer, wh1}: {Good: 1060}, {beer, wh2}: {Good: 40}, {water, wh2}: {Good: 60}}
	if diff := cmp.Diff(want, nonZero(env.stockTable(t))); diff != "" {
		t.Errorf("stock (-want +got):\n%s", diff)
	}
	// (100 × 0 + 960 × 1.20) / 1060, and the unpriced line keeps it.
	if got := env.avg(t, beer); got != 1_086_792 || ms[2].AvgCostBefore != got || ms[2].AvgCostAfter != got {
		t.Errorf("average %d; last line %d → %d", got, ms[2].AvgCostBefore, ms[2].AvgCostAfter)
	}
	if n := len(trail(t, env.pool, "movement", fmt.Sprint(ms[1].ID))); n != 1 {
		t.Errorf("%d audit records for the second line", n)
	}
	env.checkConsistent(t)
}

// A bad third line books nothing: no movement, no stock, no average, no
// audit record, and the answer names the line.
func TestReceiptIsAllOrNothing(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, water := env.item(t, "LAGER", 24, 0), env.item(t, "WATER", 0, 0)
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")
	before := env.tableCounts(t)
	_, err := env.svc.CreateReceipt(ctx, stockClerk, ledger.ReceiptInput{SupplierID: sup, Lines: []ledger.ReceiptLine{
		{ItemID: beer, LocationID: wh, Quantity: 5, UnitCost: i64(1_000_000)},
		{ItemID: water, LocationID: wh, Quantity: 5, UnitCost: i64(500_000)},
		{ItemID: water, LocationID: wh, Quantity: 1, Unit: catalogue.UnitPackage}, // water has no crates
		{ItemID: beer, LocationID: wh, Quantity: 1},
	}})
	e := wantLedgerCode(t, err, apperr.CodeValidation)
	if diff := cmp.Diff(apperr.Problems{"lines[2].unit": {Code: apperr.FieldNoPackage, Message: "this item has no package"}}, e.Fields); diff != "" {
		t.Errorf("fields (-want +got):\n%s", diff)
	}
	if after := env.tableCounts(t); after != before {
		t.Errorf("movements, audit records, stock and averages went from %v to %v", before, after)
	}
	// An archived location on the fourth line, an unknown item on the first.
	env.archive(t, "locations", env.location(t, "OLD"))
	_, err = env.svc.CreateReceipt(ctx, stockClerk, ledger.ReceiptInput{SupplierID: sup, Lines: []ledger.ReceiptLine{
		{ItemID: 999999, LocationID: wh, Quantity: 5},
		{ItemID: beer, LocationID: wh, Quantity: 5},
		{ItemID: beer, LocationID: wh, Quantity: 5},
		{ItemID: beer, LocationID: env.location(t, "OLD2"), Quantity: 1},
	}})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["lines[0].item_id"].Code != apperr.FieldNotFound || len(e.Fields) != 1 {
		t.Errorf("fields %v", e.Fields)
	}
	var old int64
	if err := env.pool.QueryRow(ctx, "SELECT id FROM locations WHERE code = 'OLD'").Scan(&old); err != nil {
		t.Fatal(err)
	}
	_, err = env.svc.CreateReceipt(ctx, stockClerk, ledger.ReceiptInput{SupplierID: sup, Lines: []ledger.ReceiptLine{
		{ItemID: beer, LocationID: wh, Quantity: 5}, {ItemID: beer, LocationID: old, Quantity: 1}}})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["lines[1].location_id"].Code != apperr.FieldArchived {
		t.Errorf("fields %v", e.Fields)
	}
	if n := env.movementCount(t); n != 0 {
		t.Errorf("%d movements booked", n)
	}
	env.checkConsistent(t)
}

func TestReceiptRequestKey(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, water := env.item(t, "LAGER", 0, 0), env.item(t, "WATER", 0, 0)
	wh := env.location(t, "WH1")
	sup := env.supplier(t, "Brauerei")
	anna := audit.Actor{UserID: env.user(t, "anna@example.ch")}
	delivery := ledger.ReceiptInput{SupplierID: sup, Reference: "LS-1", RequestKey: "delivery-1", Lines: []ledger.ReceiptLine{
		{ItemID: beer, LocationID: wh, Quantity: 5, UnitCost: i64(900_000)}, {ItemID: water, LocationID: wh, Quantity: 7}}}

	const copies = 12
	warm(t, env, copies)
	got := make([][]ledger.Movement, copies)
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range copies {
		wg.Go(func() {
			<-start
			ms, err := env.svc.CreateReceipt(ctx, anna, delivery)
			o.add(err)
			got[i] = ms
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	if o.count[""] != copies {
		t.Fatalf("outcomes %v", o.count)
	}
	booked := 0
	for i := range got {
		if diff := cmp.Diff(got[0], got[i], cmpopts.IgnoreFields(ledger.Movement{}, "Replayed")); diff != "" {
			t.Fatalf("copy %d got other movements (-first +copy):\n%s", i, diff)
		}
		if !got[i][0].Replayed || !got[i][1].Replayed {
			booked++
		}
	}
	if booked != 1 {
		t.Fatalf("%d copies answered as the booking, want 1; the others are replays", booked)
	}
	if n := env.movementCount(t); n != 2 {
		t.Fatalf("%d movements, want 2", n)
	}
	// Another body under the key, or a single movement under it, is refused.
	other := delivery
	other.Lines = []ledger.ReceiptLine{{ItemID: beer, LocationID: wh, Quantity: 6, UnitCost: i64(900_000)}}
	_, err := env.svc.CreateReceipt(ctx, anna, other)
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	_, err = env.svc.CreateMovement(ctx, anna, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 5,
		SupplierID: &sup, RequestKey: "delivery-1"})
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	// A receipt under a single movement's key is refused too.
	try(env.svc.CreateMovement(ctx, anna, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 1,
		SupplierID: &sup, RequestKey: "single-1"})).must(t)
	other.RequestKey = "single-1"
	_, err = env.svc.CreateReceipt(ctx, anna, other)
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	// Someone else's key is their own.
	ben := audit.Actor{UserID: env.user(t, "ben@example.ch")}
	theirs := try(env.svc.CreateReceipt(ctx, ben, delivery)).must(t)
	if theirs[0].ID == got[0][0].ID {
		t.Error("ben got anna's delivery")
	}
	if n := env.movementCount(t); n != 5 {
		t.Errorf("%d movements, want 5", n)
	}
	env.checkConsistent(t)
}

// Deliveries sharing items, their lines in opposite orders, from many
// clients at once: none deadlocks, every one is booked, and the stock is
// the sum of them all.
func TestReceiptsSharingItemsDoNotDeadlock(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	var items, locs []int64
	for i := range 4 {
		items = append(items, env.item(t, fmt.Sprintf("ITEM-%d", i), 6, 0))
	}
	for i := range 2 {
		locs = append(locs, env.location(t, fmt.Sprintf("WH%d", i)))
	}
	sup := env.supplier(t, "Brauerei")
	var forward []ledger.ReceiptLine
	for _, it := range items {
		for _, loc := range locs {
			forward = append(forward, ledger.ReceiptLine{ItemID: it, LocationID: loc, Quantity: 1, Unit: catalogue.UnitPackage,
				UnitCost: i64(6_000_000)})
		}
	}
	backward := make([]ledger.ReceiptLine, len(forward))
	for i, l := range forward {
		backward[len(forward)-1-i] = l
	}

	const pairs = 16
	warm(t, env, 2*pairs+4)
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 2 * pairs {
		lines := forward
		if i%2 == 1 {
			lines = backward
		}
		wg.Go(func() {
			<-start
			_, err := env.svc.CreateReceipt(ctx, audit.Actor{RequestID: fmt.Sprintf("req-%d", i)},
				ledger.ReceiptInput{SupplierID: sup, Lines: lines})
			o.add(err)
		})
	}
	// Single movements of the same items run between them.
	for i := range 4 {
		wg.Go(func() {
			<-start
			for k := range 5 {
				_, err := env.svc.CreateMovement(ctx, stockClerk, ledger.Input{Type: ledger.Receipt, ItemID: items[(i+k)%4],
					LocationID: locs[k%2], Quantity: 1, UnitCost: i64(2_000_000), SupplierID: &sup})
				o.add(err)
			}
		})
	}
	close(start)
	wg.Wait()
	o.check(t)
	if o.count[""] != 2*pairs+20 {
		t.Fatalf("outcomes %v, want all %d booked", o.count, 2*pairs+20)
	}
	if n := env.movementCount(t); n != 2*pairs*len(forward)+20 {
		t.Errorf("%d movements, want %d", n, 2*pairs*len(forward)+20)
	}
	var total int64
	for _, l := range env.stockTable(t) {
		total += l.Good
	}
	if want := int64(2*pairs*len(forward)*6 + 20); total != want {
		t.Errorf("%d units in stock, want %d", total, want)
	}
	env.checkConsistent(t)
}

// The average after several priced lines of one item is the average after
// booking them one by one.
func TestReceiptAverageEqualsBookingOneByOne(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	wh1, wh2 := env.location(t, "WH1"), env.location(t, "WH2")
	sup := env.supplier(t, "Brauerei")
	lines := func(item int64) []ledger.ReceiptLine {
		return []ledger.ReceiptLine{
			{ItemID: item, LocationID: wh1, Quantity: 3, Unit: catalogue.UnitPackage, UnitCost: i64(7_450_000)},
			{ItemID: item, LocationID: wh2, Quantity: 7, UnitCost: i64(1_333_333)},
			{ItemID: item, LocationID: wh1, Quantity: 11},
			{ItemID: item, LocationID: wh1, Quantity: 2, Unit: catalogue.UnitPackage, UnitCost: i64(0)},
			{ItemID: item, LocationID: wh2, Quantity: 1, UnitCost: i64(9_999_999)},
		}
	}
	together, alone := env.item(t, "TOGETHER", 6, 0), env.item(t, "ALONE", 6, 0)
	for _, it := range []int64{together, alone} {
		env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: it, LocationID: wh1, Quantity: 13, UnitCost: i64(1_100_000), SupplierID: &sup})
	}
	ms := try(env.svc.CreateReceipt(ctx, stockClerk, ledger.ReceiptInput{SupplierID: sup, Lines: lines(together)})).must(t)
	var single []ledger.Movement
	for _, l := range lines(alone) {
		single = append(single, env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: l.ItemID, LocationID: l.LocationID,
			Quantity: l.Quantity, Unit: l.Unit, UnitCost: l.UnitCost, SupplierID: &sup}))
	}
	ignore := cmpopts.IgnoreFields(ledger.Movement{}, "ID", "ItemID", "ItemSKU", "ItemName", "CreatedAt", "EffectiveAt")
	if diff := cmp.Diff(single, ms, ignore); diff != "" {
		t.Errorf("receipt lines differ from single receipts (-single +receipt):\n%s", diff)
	}
	if a, b := env.avg(t, together), env.avg(t, alone); a != b || a == 1_100_000 {
		t.Errorf("average %d after the receipt, %d one by one", a, b)
	}
	env.checkConsistent(t)
}
