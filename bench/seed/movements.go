package seed

import (
	"math/rand/v2"
	"time"
)

// Movement types, as the movements table names them.
var movementTypes = [...]string{"receipt", "issue", "return", "defect", "write_off", "adjust", "transfer"}

const (
	tReceipt uint8 = iota
	tIssue
	tReturn
	tDefect
	tWriteOff
	tAdjust
	tTransfer
)

var (
	defectReasons = []string{"Bruch beim Kommissionieren", "Haltbarkeit abgelaufen", "Etikette beschädigt", "Verschluss undicht", "Transportschaden"}
	issueNotes    = []string{"Barverkauf Rampe", "Eigenverbrauch Apéro", "Muster für Kunden"}
)

// movement is one row of movements as the seeder writes it; small, as a
// million of them are held in memory.
type movement struct {
	at                  int64 // effective and booked, Unix microseconds
	qtyBase             int64 // for adjust the change, which may be negative
	counted             int64 // adjust only
	enteredQty          int64
	unitCost            int64 // receipts: micros per base unit
	avgBefore, avgAfter int64
	item                int32 // index into the items
	loc, toLoc          int32 // location ids; toLoc 0 for none
	factor              int32
	customer            int32 // id or 0
	typ                 uint8
	pkg                 bool // entered in packages
	reason, note        int8 // index+1 into defectReasons/issueNotes, 0 for none
}

// level is an item's stock at one location.
type level struct {
	loc             int64
	good, defective int64
}

// ledger holds the state the movements are decided on, as the api keeps
// it: levels per item and location, and each item's moving-average cost.
type ledger struct {
	levels [][]level // per item index: one entry per stocked location
	avg    []int64   // per item index
}

func newLedger(items []item) *ledger {
	l := &ledger{levels: make([][]level, len(items)), avg: make([]int64, len(items))}
	for i, it := range items {
		l.levels[i] = make([]level, len(it.locations))
		for j, loc := range it.locations {
			l.levels[i][j].loc = loc
		}
	}
	return l
}

func (l *ledger) onHand(i int) int64 {
	var n int64
	for _, lv := range l.levels[i] {
		n += lv.good + lv.defective
	}
	return n
}

// movingAverage is the api's rule: (onHand × avg + qty × cost) / (onHand +
// qty), rounded half up. The seeded quantities and costs keep the products
// far inside int64.
func movingAverage(onHand, avg, qty, cost int64) int64 {
	if onHand+qty <= 0 {
		return avg
	}
	v, d := onHand*avg+qty*cost, onHand+qty
	q, r := v/d, v%d
	if 2*r >= d {
		q++
	}
	return q
}

// makeMovements books n movements over the year before end, in time order,
// on the items (popular ones more often), keeping every level at or above
// zero; l ends holding the levels and averages they add up to.
func makeMovements(r *rand.Rand, items []item, customers int, n int, end time.Time, l *ledger) []movement {
	out := make([]movement, n)
	start := end.Add(-365 * 24 * time.Hour)
	span := end.Sub(start).Microseconds()
	// A fixed permutation spreads the popular items over the catalogue.
	perm := r.Perm(len(items))
	for k := range out {
		u := r.Float64()
		i := perm[int(u*u*float64(len(items)))]
		it := &items[i]
		lv := l.levels[i]
		j := 0
		if len(lv) > 1 && r.IntN(5) == 0 {
			j = 1
		}
		m := movement{
			at: start.UnixMicro() + spread(span, k, n), item: int32(i), loc: int32(lv[j].loc), factor: 1,
			avgBefore: l.avg[i],
		}
		pkg := int64(0)
		if it.packageSize != nil {
			pkg = int64(*it.packageSize)
		}
		good := lv[j].good
		x := r.Float64()
		switch {
		case good < 6 || x < 0.34:
			m.typ = tReceipt
			if pkg > 0 {
				m.pkg, m.factor, m.enteredQty = true, int32(pkg), 1+r.Int64N(10)
			} else {
				m.enteredQty = 6 + r.Int64N(55)
			}
			m.qtyBase = m.enteredQty * int64(m.factor)
			// Prices move a little from delivery to delivery.
			m.unitCost = it.costMicros * (92 + r.Int64N(17)) / 100
		case x < 0.84:
			m.typ = tIssue
			if pkg > 0 && good >= pkg && r.IntN(2) == 0 {
				m.pkg, m.factor, m.enteredQty = true, int32(pkg), 1+r.Int64N(min(3, good/pkg))
			} else {
				m.enteredQty = 1 + r.Int64N(min(24, good))
			}
			m.qtyBase = m.enteredQty * int64(m.factor)
			if r.IntN(10) < 8 {
				m.customer = int32(1 + r.IntN(customers))
			} else {
				m.note = int8(1 + r.IntN(len(issueNotes)))
			}
		case x < 0.87:
			m.typ, m.enteredQty, m.customer = tReturn, 1+r.Int64N(6), int32(1+r.IntN(customers))
			m.qtyBase = m.enteredQty
		case x < 0.90:
			m.typ, m.enteredQty, m.reason = tDefect, 1+r.Int64N(min(3, good)), int8(1+r.IntN(len(defectReasons)))
			m.qtyBase = m.enteredQty
		case x < 0.92 && lv[j].defective > 0:
			m.typ, m.enteredQty, m.reason = tWriteOff, lv[j].defective, int8(1+r.IntN(len(defectReasons)))
			m.qtyBase = m.enteredQty
		case x < 0.96:
			m.typ = tAdjust
			m.counted = max(0, good+r.Int64N(6)-3)
			m.enteredQty, m.qtyBase = m.counted, m.counted-good
		case len(lv) > 1:
			m.typ, m.toLoc = tTransfer, int32(lv[1-j].loc)
			m.enteredQty = 1 + r.Int64N(good/2)
			m.qtyBase = m.enteredQty
		default:
			m.typ, m.enteredQty, m.note = tIssue, 1+r.Int64N(min(12, good)), 1
			m.qtyBase = m.enteredQty
		}
		if m.typ == tReceipt {
			l.avg[i] = movingAverage(l.onHand(i), l.avg[i], m.qtyBase, m.unitCost)
		}
		m.avgAfter = l.avg[i]
		apply(lv, j, m)
		out[k] = m
	}
	return out
}

// apply changes the levels of one item by m's effect (j is m's location).
func apply(lv []level, j int, m movement) {
	switch m.typ {
	case tReceipt, tReturn:
		lv[j].good += m.qtyBase
	case tIssue:
		lv[j].good -= m.qtyBase
	case tDefect:
		lv[j].good -= m.qtyBase
		lv[j].defective += m.qtyBase
	case tWriteOff:
		lv[j].defective -= m.qtyBase
	case tAdjust:
		lv[j].good += m.qtyBase
	case tTransfer:
		lv[j].good -= m.qtyBase
		lv[1-j].good += m.qtyBase
	}
}

// spread is span·k/n without the product: a year in microseconds times a
// million movements overflows int64.
func spread(span int64, k, n int) int64 {
	q, r := span/int64(n), span%int64(n)
	return q*int64(k) + r*int64(k)/int64(n)
}
