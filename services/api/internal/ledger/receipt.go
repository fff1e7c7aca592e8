package ledger

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// A receipt books a delivery: several lines from one supplier, each an
// ordinary receipt movement, all in one transaction or none. Each line is
// decided by decideMovement, the rule every single receipt follows, on the
// state the lines before it left, so that several priced lines of one item
// move its average exactly as booking them one by one would.

// Limits of a receipt.
const (
	MaxReceiptLines    = 200
	MaxReferenceLength = 200
	// MaxReceiptKeyLength bounds a receipt's request key: its lines are
	// booked under the key and the key followed by a separator and the line
	// number, which must fit the ledger's MaxKeyLength.
	MaxReceiptKeyLength = MaxKeyLength - 4
)

// ReceiptInput is a delivery as a client enters it. Field names in
// validation errors are the JSON names; a line's fields are named
// lines[i].field, i counting from 0.
type ReceiptInput struct {
	SupplierID int64 `json:"supplier_id"`
	// Reference is the supplier's delivery note number or another
	// reference; every movement keeps it as its note.
	Reference string `json:"reference"`
	// EffectiveAt is when the goods arrived; nil means now.
	EffectiveAt *time.Time    `json:"effective_at"`
	Lines       []ReceiptLine `json:"lines"`
	// Expense, if set, books the delivery's purchase expense in the same
	// transaction (package expenses); every line must then be priced.
	Expense *ReceiptExpense `json:"expense"`
	// RequestKey is the client's Idempotency-Key, if any: a second request
	// with the same key and input gets the first one's movements.
	RequestKey string `json:"-"`
}

// ReceiptExpense is what the person booking a priced receipt chooses for
// the purchase expense it books; the expense's own rules check it.
type ReceiptExpense struct {
	Status string     `json:"status"` // open or paid
	PaidOn *time.Time `json:"paid_on"`
	Note   string     `json:"note"`
}

// ExpenseLine is a priced line as the receipt's expense counts it: the
// quantity and cost as entered.
type ExpenseLine struct {
	ItemID         int64
	Quantity       int64
	UnitCostMicros int64
}

// ReceiptLine is one item received at one location.
type ReceiptLine struct {
	ItemID     int64          `json:"item_id"`
	LocationID int64          `json:"location_id"`
	Quantity   int64          `json:"quantity"`
	Unit       catalogue.Unit `json:"unit"` // empty means base
	// UnitCost is the cost of one entered Unit in micros; nil for an
	// unpriced line.
	UnitCost *int64 `json:"unit_cost"`
}

// Place is an item at a location.
type Place struct {
	ItemID, LocationID int64
}

// ReceiptRequest tells a Store what to read and lock for a receipt.
type ReceiptRequest struct {
	// Places are the lines' items at their locations, sorted by item and
	// location, each once.
	Places []Place
	// PricedItems are the items whose average cost changes (sorted): they
	// are locked for update and their quantity on hand is read.
	PricedItems []int64
	SupplierID  int64
	// Lines is the number of movements to book.
	Lines int
	// Expense, if not nil, is the purchase expense to book with the
	// movements: what was chosen, the lines' values, the receipt's day in
	// the organisation's time zone and today there (at 00:00 UTC).
	Expense      *ReceiptExpense
	ExpenseLines []ExpenseLine
	ExpenseDay   time.Time
	Today        time.Time
	Key          string
	Fingerprint  []byte
}

// ItemIDs returns the items of the places, ascending, each once.
func (r ReceiptRequest) ItemIDs() []int64 {
	out := make([]int64, 0, len(r.Places))
	for _, p := range r.Places {
		out = append(out, p.ItemID)
	}
	return slices.Compact(out) // the places are sorted by item first
}

// LocationIDs returns the locations of the places, ascending, each once.
func (r ReceiptRequest) LocationIDs() []int64 {
	out := make([]int64, 0, len(r.Places))
	for _, p := range r.Places {
		out = append(out, p.LocationID)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// LineKey is the request key line i (from 0) of a receipt is booked under:
// the first line takes the client's key itself, so a single movement and a
// receipt cannot share one; the others add a separator no client key may
// contain (control characters are refused) and the line's number.
func LineKey(key string, i int) string {
	if i == 0 {
		return key
	}
	return key + "\x1f" + strconv.Itoa(i+1)
}

// ReceiptSnapshot is what a receipt is decided on, read under lock in its
// transaction.
type ReceiptSnapshot struct {
	// Items holds the requested items that exist; OnHand is read for the
	// priced ones.
	Items map[int64]ItemState
	// Locations holds the requested locations that exist.
	Locations map[int64]LocationState
	// Levels holds the stock at each requested place whose item and
	// location exist.
	Levels   map[Place]Level
	Supplier *PartyState
}

// CreateReceipt validates a delivery and books every line as a receipt
// movement in one transaction, returning the movements in the order of the
// lines. When any line has a problem nothing is booked and the validation
// error names every problem found. A repeated RequestKey with the same input
// returns the movements booked first; with other input it fails with
// apperr.CodeIdempotency.
func (s *Service) CreateReceipt(ctx context.Context, actor audit.Actor, in ReceiptInput) ([]Movement, error) {
	lines, err := in.prepare(s.now(), s.maxBackdate)
	if err != nil {
		return nil, err
	}
	req := ReceiptRequest{SupplierID: in.SupplierID, Lines: len(lines), Key: in.RequestKey}
	if in.Expense != nil {
		now := s.now()
		effective := now
		if in.EffectiveAt != nil {
			effective = *in.EffectiveAt
		}
		req.Expense, req.ExpenseDay, req.Today = in.Expense, dayIn(effective, s.Zone()), dayIn(now, s.Zone())
		for _, l := range in.Lines {
			req.ExpenseLines = append(req.ExpenseLines, ExpenseLine{ItemID: l.ItemID, Quantity: l.Quantity, UnitCostMicros: *l.UnitCost})
		}
	}
	priced := map[int64]bool{}
	for _, l := range lines {
		req.Places = append(req.Places, Place{l.ItemID, l.LocationID})
		if l.UnitCost != nil {
			priced[l.ItemID] = true
		}
	}
	slices.SortFunc(req.Places, comparePlaces)
	req.Places = slices.Compact(req.Places)
	req.PricedItems = slices.Sorted(maps.Keys(priced))
	if in.RequestKey != "" {
		req.Fingerprint = fingerprint("receipt", in)
	}
	return s.store.CreateReceipt(ctx, actor, req, func(snap ReceiptSnapshot) ([]Booking, error) {
		return decideReceipt(lines, snap)
	})
}

func comparePlaces(a, b Place) int {
	if a.ItemID != b.ItemID {
		return compareInt(a.ItemID, b.ItemID)
	}
	return compareInt(a.LocationID, b.LocationID)
}

func compareInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// prepare normalises in and checks what can be checked without reading
// other records; it returns each line as the receipt Input it books.
func (in *ReceiptInput) prepare(now time.Time, maxBackdate time.Duration) ([]Input, error) {
	in.Reference = strings.TrimSpace(in.Reference)
	in.Lines = slices.Clone(in.Lines) // normalised below; the caller's stay as they were
	in.EffectiveAt = normalizeTime(in.EffectiveAt)
	p := apperr.Problems{}
	switch {
	case in.SupplierID == 0:
		p.Add("supplier_id", apperr.Required().Because("is required: who delivered the goods"))
	default:
		p.ID("supplier_id", &in.SupplierID)
	}
	p.Line("reference", in.Reference, 0, MaxReferenceLength)
	checkEffectiveAt(p, in.EffectiveAt, now, maxBackdate)
	checkKey(p, in.RequestKey)
	if utf8.RuneCountInString(in.RequestKey) > MaxReceiptKeyLength {
		p.Add(KeyField, apperr.TooLong(MaxReceiptKeyLength).
			Because(fmt.Sprintf("must be at most %d characters for a receipt", MaxReceiptKeyLength)))
	}
	switch {
	case len(in.Lines) == 0:
		p.Add("lines", apperr.TooFew(1).Because("must hold at least one line"))
	case len(in.Lines) > MaxReceiptLines:
		p.Add("lines", apperr.TooMany(MaxReceiptLines).
			Because(fmt.Sprintf("must hold at most %d lines; split the delivery", MaxReceiptLines)))
	}
	if in.Expense != nil {
		for i, l := range in.Lines {
			if l.UnitCost == nil {
				p.Add(lineField(i, "unit_cost"), apperr.Required().Because("is required when the receipt books its expense"))
			}
		}
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	supplier := in.SupplierID
	out := make([]Input, len(in.Lines))
	for i := range in.Lines {
		l := &in.Lines[i]
		line := Input{Type: Receipt, ItemID: l.ItemID, LocationID: l.LocationID, Quantity: l.Quantity, Unit: l.Unit,
			UnitCost: l.UnitCost, SupplierID: &supplier, Note: in.Reference, EffectiveAt: in.EffectiveAt}
		line.normalize()
		// The fingerprint sees the unit as booked: "" and "base" are one request.
		l.Unit = line.Unit
		out[i] = line
		if err := line.validate(now, maxBackdate); err != nil {
			lineProblems(p, i, err)
		}
	}
	return out, p.Check()
}

// lineFields are the fields of a receipt's line; the others of a line's
// Input come from the receipt and were checked there.
var lineFields = []string{"item_id", "location_id", "quantity", "unit", "unit_cost"}

// lineProblems adds err's field problems to p under lines[i].
func lineProblems(p apperr.Problems, i int, err error) {
	e, _ := apperr.As(err)
	for field, problem := range e.Fields {
		if slices.Contains(lineFields, field) {
			p.Add(lineField(i, field), problem)
		}
	}
}

func lineField(i int, field string) string {
	return "lines[" + strconv.Itoa(i) + "]." + field
}

// decideReceipt decides every line on the state the lines before it left
// and returns one booking per line, in order. Every line is tried, so that
// the answer names all the problems at once.
func decideReceipt(lines []Input, snap ReceiptSnapshot) ([]Booking, error) {
	p := apperr.Problems{}
	checkParty(p, "supplier_id", snap.Supplier)
	items := maps.Clone(snap.Items)
	levels := maps.Clone(snap.Levels)
	out := make([]Booking, 0, len(lines))
	for i, in := range lines {
		place := Place{in.ItemID, in.LocationID}
		view := Snapshot{Locations: snap.Locations, Levels: map[int64]Level{in.LocationID: levels[place]}}
		if it, ok := items[in.ItemID]; ok {
			view.Item = &it
		}
		b, err := decideMovement(in, view)
		if err != nil {
			e, ok := apperr.As(err)
			if !ok {
				return nil, err
			}
			if len(e.Fields) == 0 {
				p.Add(lineField(i, "quantity"), apperr.InvalidFormat().Because(e.Message))
			}
			for field, problem := range e.Fields {
				p.Add(lineField(i, field), problem)
			}
			continue
		}
		it := *view.Item
		it.AvgUnitCostMicros = b.Movement.AvgCostAfter
		it.OnHand += b.Movement.QuantityBase
		items[in.ItemID] = it
		levels[place] = b.Levels[in.LocationID]
		out = append(out, b)
	}
	if err := p.Err("Check the marked fields; nothing was booked."); err != nil {
		return nil, err
	}
	return out, nil
}

// dayIn is t's calendar day in zone, at 00:00 UTC.
func dayIn(t time.Time, zone *time.Location) time.Time {
	y, m, d := t.In(zone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
