package postgres_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
	"github.com/depotix/depotix/services/api/internal/ledger"
)

// ledgerPropertySeed makes the random run repeatable; a failure prints it.
const ledgerPropertySeed = 20250310

// booked is a movement the model knows to have been booked, with the
// effects the model worked out for it on its own.
type booked struct {
	id       int64
	typ      ledger.Type
	effects  map[place]ledger.Level
	reversal bool
	reversed bool
}

// stockModel is the test's own account of what the stock must be.
type stockModel struct {
	levels map[place]ledger.Level
	moves  []*booked
}

// apply adds effects to the model when no level falls below zero and
// reports whether it did.
func (m *stockModel) apply(effects map[place]ledger.Level) bool {
	next := map[place]ledger.Level{}
	for p, e := range effects {
		l := m.levels[p]
		l.Good += e.Good
		l.Defective += e.Defective
		if l.Good < 0 || l.Defective < 0 {
			return false
		}
		next[p] = l
	}
	for p, l := range next {
		m.levels[p] = l
	}
	return true
}

type modelItem struct {
	id                      int64
	packageSize, palletSize int64
}

// A few hundred random movements and reversals over three items and three
// locations. After every step the stock table must equal both the model
// and the sum of the journal, nothing may be negative, the average-cost
// history must be unbroken, and a refused step must have changed nothing.
func TestLedgerRandomOperationsKeepStockEqualToTheJournal(t *testing.T) {
	seed := uint64(ledgerPropertySeed)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("random seed %d (ledgerPropertySeed)", seed)
		}
	})
	rng := rand.New(rand.NewPCG(seed, seed))
	env := newLedger(t)
	ctx := context.Background()
	items := []modelItem{
		{id: env.item(t, "WATER", 0, 0)},
		{id: env.item(t, "LAGER", 6, 10), packageSize: 6, palletSize: 10},
		{id: env.item(t, "COLA", 24, 0), packageSize: 24},
	}
	locs := []int64{env.location(t, "A"), env.location(t, "B"), env.location(t, "C")}
	sup, cus := env.supplier(t, "Brauerei"), env.customer(t, "Krone")
	model := stockModel{levels: map[place]ledger.Level{}}

	const steps = 400
	var booked_ int
	refused := map[apperr.Code]int{}
	bookedTypes, reversedTypes := map[ledger.Type]int{}, map[ledger.Type]int{}
	for step := range steps {
		it := items[rng.IntN(len(items))]
		loc := locs[rng.IntN(len(locs))]
		// Mostly a unit the item has; now and then one it lacks.
		units := []catalogue.Unit{catalogue.UnitBase}
		if it.packageSize > 0 {
			units = append(units, catalogue.UnitPackage)
		}
		if it.palletSize > 0 {
			units = append(units, catalogue.UnitPallet)
		}
		unit := units[rng.IntN(len(units))]
		if rng.IntN(12) == 0 {
			unit = catalogue.UnitPallet
		}
		factor := map[catalogue.Unit]int64{catalogue.UnitBase: 1, catalogue.UnitPackage: it.packageSize, catalogue.UnitPallet: it.packageSize * it.palletSize}[unit]
		qty := int64(1 + rng.IntN(12))
		base := qty * factor
		at := place{it.id, loc}

		var do func() (ledger.Movement, error)
		var wantCode apperr.Code // "" for success
		var effects map[place]ledger.Level
		var target *booked
		var typ ledger.Type
		what := fmt.Sprintf("step %d: ", step)
		op := rng.IntN(100)
		switch {
		case op < 20 && len(model.moves) > 0:
			// Mostly one of the latest, which can usually be undone.
			pick := rng.IntN(len(model.moves))
			if rng.IntN(3) > 0 {
				pick = max(0, len(model.moves)-1-rng.IntN(2))
			}
			target = model.moves[pick]
			do = func() (ledger.Movement, error) {
				return env.svc.Reverse(ctx, stockClerk, target.id, ledger.ReversalInput{Reason: "Korrektur"})
			}
			what += fmt.Sprintf("reverse %d", target.id)
			effects = map[place]ledger.Level{}
			for p, e := range target.effects {
				effects[p] = ledger.Level{Good: -e.Good, Defective: -e.Defective}
			}
			switch {
			case target.reversal || target.reversed:
				wantCode = apperr.CodeConflict
			case !model.apply(effects):
				wantCode = apperr.CodeInsufficient
			}
		default:
			in := ledger.Input{ItemID: it.id, LocationID: loc, Quantity: qty, Unit: unit}
			switch {
			case op < 30:
				in.Type, in.SupplierID = ledger.Receipt, &sup
				if rng.IntN(2) == 0 {
					in.UnitCost = i64(int64(rng.IntN(5_000_000)) * factor)
				}
				effects = map[place]ledger.Level{at: {Good: base}}
			case op < 48:
				in.Type, in.CustomerID = ledger.Issue, &cus
				effects = map[place]ledger.Level{at: {Good: -base}}
			case op < 53:
				in.Type, in.CustomerID = ledger.Return, &cus
				effects = map[place]ledger.Level{at: {Good: base}}
			case op < 63:
				// Breakage comes in bottles, a few at a time.
				in.Type, in.Reason, in.Unit, in.Quantity = ledger.Defect, "Bruch", catalogue.UnitBase, int64(1+rng.IntN(6))
				factor, base = 1, in.Quantity
				effects = map[place]ledger.Level{at: {Good: -base, Defective: base}}
			case op < 73:
				in.Type, in.Reason, in.Unit, in.Quantity = ledger.WriteOff, "entsorgt", catalogue.UnitBase, int64(1+rng.IntN(4))
				factor, base = 1, in.Quantity
				effects = map[place]ledger.Level{at: {Defective: -base}}
			case op < 83:
				in.Type = ledger.Adjust
				in.Quantity = int64(rng.IntN(8))
				base = in.Quantity * factor
				effects = map[place]ledger.Level{at: {Good: base - model.levels[at].Good}}
			default:
				to := locs[rng.IntN(len(locs))]
				for to == loc {
					to = locs[rng.IntN(len(locs))]
				}
				in.Type, in.ToLocationID = ledger.Transfer, &to
				effects = map[place]ledger.Level{at: {Good: -base}, {it.id, to}: {Good: base}}
			}
			typ = in.Type
			do = func() (ledger.Movement, error) { return env.svc.CreateMovement(ctx, stockClerk, in) }
			what += fmt.Sprintf("%s of item %d at %d, %d × %s", in.Type, it.id, loc, in.Quantity, unit)
			switch {
			case factor == 0:
				wantCode = apperr.CodeValidation
			case !model.apply(effects):
				wantCode = apperr.CodeInsufficient
			}
		}

		before, count := env.stockTable(t), env.movementCount(t)
		avgs := make([]int64, len(items))
		for i, it := range items {
			avgs[i] = env.avg(t, it.id)
		}
		m, err := do()
		if wantCode == "" {
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			model.moves = append(model.moves, &booked{id: m.ID, typ: typ, effects: effects, reversal: target != nil})
			if target != nil {
				target.reversed = true
				reversedTypes[target.typ]++
			} else {
				bookedTypes[typ]++
			}
			booked_++
		} else {
			if e, ok := apperr.As(err); !ok || e.Code != wantCode {
				t.Fatalf("%s: err = %v, want %s", what, err, wantCode)
			}
			if diff := cmp.Diff(before, env.stockTable(t)); diff != "" || env.movementCount(t) != count {
				t.Fatalf("%s was refused but changed the stock (-before +after):\n%s", what, diff)
			}
			for i, it := range items {
				if got := env.avg(t, it.id); got != avgs[i] {
					t.Fatalf("%s was refused but changed item %d's average from %d to %d", what, it.id, avgs[i], got)
				}
			}
			refused[wantCode]++
		}
		if diff := cmp.Diff(nonZero(model.levels), nonZero(env.stockTable(t))); diff != "" {
			t.Fatalf("%s: stock differs from the model (-model +table):\n%s", what, diff)
		}
		env.checkConsistent(t)
	}
	t.Logf("%d steps: %d booked %v, reversed %v, refused %v", steps, booked_, bookedTypes, reversedTypes, refused)
	if booked_ < steps/2 || refused[apperr.CodeInsufficient] < 10 || refused[apperr.CodeConflict] < 3 || refused[apperr.CodeValidation] < 3 {
		t.Errorf("the run booked %d and refused %v; tune the mix so that every path is exercised", booked_, refused)
	}
	for _, typ := range ledger.Types() {
		if typ != ledger.Reversal && (bookedTypes[typ] == 0 || reversedTypes[typ] == 0) {
			t.Errorf("the run booked %d and reversed %d movements of type %s; tune the mix so that every type is", bookedTypes[typ], reversedTypes[typ], typ)
		}
	}
}
