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
	"github.com/depotix/depotix/services/api/internal/page"
)

// diffRow is a difference as a reader checks it.
type diffRow struct {
	SKU                         string
	Ledger, Counted, Difference int64
}

func diffRows(r ledger.CountResult) []diffRow {
	out := []diffRow{}
	for _, d := range r.Differences {
		out = append(out, diffRow{d.ItemSKU, d.Ledger, d.Counted, d.Difference})
	}
	return out
}

// A count books only its differences, each an adjust at the location,
// counted in any unit, and answers what the ledger held before.
func TestCountBooksTheDifferences(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wine, water, juice := env.item(t, "LAGER", 24, 40), env.item(t, "WINE", 6, 0), env.item(t, "WATER", 0, 0), env.item(t, "JUICE", 12, 0)
	wh, other := env.location(t, "WH1"), env.location(t, "WH2")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 100, Note: "x"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: wine, LocationID: wh, Quantity: 30, Note: "x"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: water, LocationID: wh, Quantity: 12, Note: "x"})
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: other, Quantity: 7, Note: "x"})
	before := env.movementCount(t)

	res, err := env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Note: "Inventur", Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 5, Unit: catalogue.UnitPackage},  // 120: up 20
		{ItemID: wine, Quantity: 4, Unit: catalogue.UnitPackage},  // 24: down 6
		{ItemID: water, Quantity: 12},                             // equal: nothing
		{ItemID: juice, Quantity: 2, Unit: catalogue.UnitPackage}, // never there: up 24
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := []diffRow{{"LAGER", 100, 120, 20}, {"WINE", 30, 24, -6}, {"JUICE", 0, 24, 24}}
	if diff := cmp.Diff(want, diffRows(res)); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	if res.Lines != 4 || res.LocationID != wh || res.Replayed {
		t.Errorf("result %+v", res)
	}
	if n := env.movementCount(t); n != before+3 {
		t.Errorf("%d movements booked, want 3", n-before)
	}
	for _, d := range res.Differences {
		m := d.Movement
		if m.Type != ledger.Adjust || m.LocationID != wh || m.Note != "Inventur" || m.Counted == nil || *m.Counted != d.Counted {
			t.Errorf("movement %+v", m)
		}
		stored := try(env.svc.Movement(ctx, m.ID)).must(t)
		if diff := cmp.Diff(stored, m); diff != "" {
			t.Errorf("movement as returned differs from the stored one (-stored +returned):\n%s", diff)
		}
		if n := len(trail(t, env.pool, "movement", fmt.Sprint(m.ID))); n != 1 {
			t.Errorf("%d audit records for movement %d", n, m.ID)
		}
	}
	got := nonZero(env.stockTable(t))
	wantStock := map[place]ledger.Level{{beer, wh}: {Good: 120}, {wine, wh}: {Good: 24}, {water, wh}: {Good: 12},
		{juice, wh}: {Good: 24}, {beer, other}: {Good: 7}}
	if diff := cmp.Diff(wantStock, got); diff != "" {
		t.Errorf("stock (-want +got):\n%s", diff)
	}
	env.checkConsistent(t)

	// Every count equal to the ledger books nothing and answers no
	// difference.
	before = env.movementCount(t)
	res = try(env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 120}, {ItemID: water, Quantity: 12}}})).must(t)
	if len(res.Differences) != 0 || res.Lines != 2 || env.movementCount(t) != before {
		t.Errorf("an equal count booked %+v", res)
	}
	// Counting nothing where something was empties the place.
	res = try(env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: other, Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 0}}})).must(t)
	if diff := cmp.Diff([]diffRow{{"LAGER", 7, 0, -7}}, diffRows(res)); diff != "" {
		t.Errorf("emptied (-want +got):\n%s", diff)
	}
	env.checkConsistent(t)
}

// A bad line books nothing and names its line; an item counted twice is
// refused at the second line, naming the first.
func TestCountIsAllOrNothing(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, water := env.item(t, "LAGER", 24, 0), env.item(t, "WATER", 0, 0)
	wh := env.location(t, "WH1")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: beer, LocationID: wh, Quantity: 50, Note: "x"})
	before := env.tableCounts(t)
	_, err := env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 10},
		{ItemID: water, Quantity: 1, Unit: catalogue.UnitPackage}, // water has no crates
		{ItemID: 999999, Quantity: 1},
		{ItemID: beer, Quantity: 3},
	}})
	e := wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["lines[3].item_id"].Code != apperr.FieldDuplicate || e.Fields["lines[3].item_id"].Params["line"] != int64(0) ||
		len(e.Fields) != 1 {
		t.Errorf("duplicate: fields %v", e.Fields)
	}
	_, err = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 10},
		{ItemID: water, Quantity: 1, Unit: catalogue.UnitPackage},
		{ItemID: 999999, Quantity: 1},
		{ItemID: beer, Quantity: -1, Unit: "box"},
	}})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	var codes []string
	for f, p := range e.Fields {
		codes = append(codes, f+" "+string(p.Code))
	}
	if diff := cmp.Diff([]string{"lines[3].item_id duplicate", "lines[3].quantity out_of_range", "lines[3].unit not_allowed"}, codes, cmpopts.SortSlices(func(a, b string) bool { return a < b })); diff != "" {
		t.Errorf("input problems (-want +got):\n%s", diff)
	}
	_, err = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{
		{ItemID: beer, Quantity: 10},
		{ItemID: water, Quantity: 1, Unit: catalogue.UnitPackage},
		{ItemID: 999999, Quantity: 1},
	}})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["lines[1].unit"].Code != apperr.FieldNoPackage || e.Fields["lines[2].item_id"].Code != apperr.FieldNotFound || len(e.Fields) != 2 {
		t.Errorf("snapshot problems: fields %v", e.Fields)
	}
	if after := env.tableCounts(t); after != before {
		t.Errorf("movements, audit records, stock and averages went from %v to %v", before, after)
	}
	// An archived or unknown location is the count's, not every line's.
	old := env.location(t, "OLD")
	env.archive(t, "locations", old)
	_, err = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: old, Lines: []ledger.CountLine{{ItemID: beer}, {ItemID: water}}})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["location_id"].Code != apperr.FieldArchived || len(e.Fields) != 1 {
		t.Errorf("archived location: fields %v", e.Fields)
	}
	_, err = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: 0, Lines: nil})
	e = wantLedgerCode(t, err, apperr.CodeValidation)
	if e.Fields["location_id"].Code != apperr.FieldRequired || e.Fields["lines"].Code != apperr.FieldTooFew {
		t.Errorf("empty count: fields %v", e.Fields)
	}
	if after := env.tableCounts(t); after != before {
		t.Errorf("movements, audit records, stock and averages went from %v to %v", before, after)
	}
	env.checkConsistent(t)
}

// Many copies of one count under one key at once book it once; the others
// get its differences back, marked as replayed. Another body under the key
// is refused.
func TestCountRequestKey(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, water, wine := env.item(t, "LAGER", 0, 0), env.item(t, "WATER", 0, 0), env.item(t, "WINE", 0, 0)
	wh := env.location(t, "WH1")
	env.book(t, ledger.Input{Type: ledger.Receipt, ItemID: water, LocationID: wh, Quantity: 9, Note: "x"})
	anna := audit.Actor{UserID: env.user(t, "anna@example.ch")}
	// The first line equal: the first difference holds the key.
	count := ledger.CountInput{LocationID: wh, RequestKey: "count-1", Lines: []ledger.CountLine{
		{ItemID: water, Quantity: 9}, {ItemID: beer, Quantity: 5}, {ItemID: wine, Quantity: 2}}}

	const copies = 12
	warm(t, env, copies)
	got := make([]ledger.CountResult, copies)
	var o outcomes
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range copies {
		wg.Go(func() {
			<-start
			res, err := env.svc.CreateCount(ctx, anna, count)
			o.add(err)
			got[i] = res
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
		if diff := cmp.Diff(got[0], got[i], cmpopts.IgnoreFields(ledger.CountResult{}, "Replayed"),
			cmpopts.IgnoreFields(ledger.Movement{}, "Replayed")); diff != "" {
			t.Fatalf("copy %d got other differences (-first +copy):\n%s", i, diff)
		}
		if !got[i].Replayed {
			booked++
		}
	}
	if booked != 1 {
		t.Fatalf("%d copies answered as the booking, want 1; the others are replays", booked)
	}
	if diff := cmp.Diff([]diffRow{{"LAGER", 0, 5, 5}, {"WINE", 0, 2, 2}}, diffRows(got[0])); diff != "" {
		t.Errorf("differences (-want +got):\n%s", diff)
	}
	if n := env.movementCount(t); n != 3 {
		t.Fatalf("%d movements, want 3", n)
	}
	other := count
	other.Lines = []ledger.CountLine{{ItemID: beer, Quantity: 6}}
	_, err := env.svc.CreateCount(ctx, anna, other)
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	_, err = env.svc.CreateMovement(ctx, anna, ledger.Input{Type: ledger.Adjust, ItemID: beer, LocationID: wh, Quantity: 5,
		RequestKey: "count-1"})
	wantLedgerCode(t, err, apperr.CodeIdempotency)
	env.checkConsistent(t)
}

// A count and issues of the same item at once, and two counts of the same
// items in opposite line orders at once: each books on the stock the other
// left, never on a stale one, and none deadlocks.
func TestCountsAndIssuesAtOnceStayConsistent(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	a, b := env.item(t, "A", 0, 0), env.item(t, "B", 0, 0)
	wh := env.location(t, "WH1")
	warm(t, env, 8)
	for round := range 6 {
		try(env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{
			{ItemID: a, Quantity: 100}, {ItemID: b, Quantity: 100}}})).must(t)

		// A count of 50 and an issue of 30, at once: either the count saw
		// 100 and the issue left 20, or the issue left 70, which the count
		// saw and set to 50.
		var count ledger.CountResult
		var countErr, issueErr error
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Go(func() {
			<-start
			count, countErr = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: []ledger.CountLine{{ItemID: a, Quantity: 50}}})
		})
		wg.Go(func() {
			<-start
			_, issueErr = env.svc.CreateMovement(ctx, stockClerk, ledger.Input{Type: ledger.Issue, ItemID: a, LocationID: wh, Quantity: 30, Note: "x"})
		})
		close(start)
		wg.Wait()
		if countErr != nil || issueErr != nil {
			t.Fatalf("round %d: count %v, issue %v", round, countErr, issueErr)
		}
		level := env.stockTable(t)[place{a, wh}].Good
		d := count.Differences[0]
		switch {
		case level == 20 && d.Ledger == 100 && d.Difference == -50:
		case level == 50 && d.Ledger == 70 && d.Difference == -20:
		default:
			t.Fatalf("round %d: stock %d after a count that saw %d (difference %d)", round, level, d.Ledger, d.Difference)
		}

		// Two counts, lines in opposite orders: one wins whole.
		start = make(chan struct{})
		results := make([]ledger.CountResult, 2)
		errs := make([]error, 2)
		for i, lines := range [][]ledger.CountLine{
			{{ItemID: a, Quantity: 10}, {ItemID: b, Quantity: 20}},
			{{ItemID: b, Quantity: 30}, {ItemID: a, Quantity: 40}},
		} {
			wg.Go(func() {
				<-start
				results[i], errs[i] = env.svc.CreateCount(ctx, stockClerk, ledger.CountInput{LocationID: wh, Lines: lines})
			})
		}
		close(start)
		wg.Wait()
		if errs[0] != nil || errs[1] != nil {
			t.Fatalf("round %d: counts %v, %v", round, errs[0], errs[1])
		}
		st := env.stockTable(t)
		got := [2]int64{st[place{a, wh}].Good, st[place{b, wh}].Good}
		if got != [2]int64{10, 20} && got != [2]int64{40, 30} {
			t.Fatalf("round %d: two counts left A %d, B %d: a mix of both", round, got[0], got[1])
		}
	}
}

// A location's contents: with Sublocations, what is stored at the location
// and at every location below it, added up per item.
func TestStockOfALocationAndBelow(t *testing.T) {
	env := newLedger(t)
	ctx := context.Background()
	beer, wine, water := env.item(t, "LAGER", 0, 0), env.item(t, "WINE", 0, 0), env.item(t, "WATER", 0, 0)
	wh, w2 := env.location(t, "WH1"), env.location(t, "WH2")
	zone := env.insertID(t, `INSERT INTO locations (code, name, kind, parent_id) VALUES ('Z1', 'Z1', 'zone', $1) RETURNING id`, wh)
	bin := env.insertID(t, `INSERT INTO locations (code, name, kind, parent_id) VALUES ('B1', 'B1', 'bin', $1) RETURNING id`, zone)
	for _, in := range []ledger.Input{
		{ItemID: beer, LocationID: wh, Quantity: 10}, {ItemID: beer, LocationID: bin, Quantity: 5},
		{ItemID: wine, LocationID: zone, Quantity: 3}, {ItemID: water, LocationID: w2, Quantity: 7},
	} {
		in.Type, in.Note = ledger.Receipt, "x"
		env.book(t, in)
	}
	type row struct {
		SKU  string
		Good int64
	}
	list := func(f ledger.StockFilter) []row {
		t.Helper()
		p, err := page.NewRequest(ptr(50), nil, ledger.StockSort)
		if err != nil {
			t.Fatal(err)
		}
		res := try(env.svc.ListStock(ctx, f, p)).must(t)
		out := []row{}
		for _, s := range res.Items {
			out = append(out, row{s.SKU, s.Good})
		}
		if res.Total != len(out) {
			t.Errorf("%+v: total %d for %d rows", f, res.Total, len(out))
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    ledger.StockFilter
		want []row
	}{
		{"the warehouse alone", ledger.StockFilter{LocationID: &wh}, []row{{"LAGER", 10}}},
		{"the warehouse and below", ledger.StockFilter{LocationID: &wh, Sublocations: true}, []row{{"LAGER", 15}, {"WINE", 3}}},
		{"the zone and below", ledger.StockFilter{LocationID: &zone, Sublocations: true}, []row{{"LAGER", 5}, {"WINE", 3}}},
		{"a bin has nothing below", ledger.StockFilter{LocationID: &bin, Sublocations: true}, []row{{"LAGER", 5}}},
		{"another warehouse", ledger.StockFilter{LocationID: &w2, Sublocations: true}, []row{{"WATER", 7}}},
	} {
		if diff := cmp.Diff(tc.want, list(tc.f)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
