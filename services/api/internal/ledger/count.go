package ledger

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// A count is a stock-take of several items at one location: each line says
// how much of an item was counted there, and every line whose count differs
// from the ledger becomes an adjust movement (good := counted), all in one
// transaction or none. A line equal to the ledger books nothing. Each line
// is decided by decideMovement, the rule of a single adjust, on the levels
// read under lock, so a count and the bookings around it never interleave.

// MaxCountLines bounds a count: a sheet of one location, split larger ones.
const MaxCountLines = 500

// CountInput is a stock-take as a client enters it. Field names in
// validation errors are the JSON names; a line's fields are named
// lines[i].field, i counting from 0.
type CountInput struct {
	LocationID int64 `json:"location_id"`
	// Note is kept by every movement booked ("stock-take March").
	Note string `json:"note"`
	// EffectiveAt is when the count was made; nil means now.
	EffectiveAt *time.Time  `json:"effective_at"`
	Lines       []CountLine `json:"lines"`
	// RequestKey is the client's Idempotency-Key, if any: a second request
	// with the same key and input gets the first one's differences.
	RequestKey string `json:"-"`
}

// CountLine is one item counted: Quantity of Unit (empty means base).
type CountLine struct {
	ItemID   int64          `json:"item_id"`
	Quantity int64          `json:"quantity"`
	Unit     catalogue.Unit `json:"unit"`
}

// CountRequest tells a Store what to read and lock for a count.
type CountRequest struct {
	LocationID int64
	// Places are the lines' items at the location, sorted by item, each
	// once (a count refuses an item twice).
	Places []Place
	// Lines is the number of lines; at most this many movements are
	// booked.
	Lines       int
	Key         string
	Fingerprint []byte
}

// CountDifference is one line whose count differed from the ledger, and
// the adjust movement that booked it. Quantities are in base units.
type CountDifference struct {
	ItemID   int64
	ItemSKU  string
	ItemName string
	// Ledger is the good stock the ledger held before the count, Counted
	// what was counted, Difference = Counted - Ledger (never 0).
	Ledger, Counted, Difference int64
	Movement                    Movement
}

// CountResult is what a count booked.
type CountResult struct {
	LocationID int64
	// Lines is the number of lines counted, Differences those booked, in
	// the order of the lines.
	Lines       int
	Differences []CountDifference
	// Replayed says the differences were booked by an earlier request
	// under the same key.
	Replayed bool
}

// Difference reads a stock-take's difference back from its adjust
// movement, which keeps the count and the change it made.
func Difference(m Movement) (CountDifference, error) {
	if m.Type != Adjust || m.Counted == nil {
		return CountDifference{}, fmt.Errorf("ledger: movement %d is not a stock-take", m.ID)
	}
	return CountDifference{
		ItemID: m.ItemID, ItemSKU: m.ItemSKU, ItemName: m.ItemName,
		Ledger: *m.Counted - m.QuantityBase, Counted: *m.Counted, Difference: m.QuantityBase,
		Movement: m,
	}, nil
}

// CreateCount validates a stock-take and books every difference as an
// adjust movement in one transaction. When any line has a problem nothing
// is booked and the validation error names every problem found. A repeated
// RequestKey with the same input returns the differences booked first; with
// other input it fails with apperr.CodeIdempotency. A count that found no
// difference books nothing and so keeps no key: its retry counts again,
// which books what changed meanwhile, as a new count would.
func (s *Service) CreateCount(ctx context.Context, actor audit.Actor, in CountInput) (CountResult, error) {
	lines, err := in.prepare(s.now(), s.maxBackdate)
	if err != nil {
		return CountResult{}, err
	}
	req := CountRequest{LocationID: in.LocationID, Lines: len(lines), Key: in.RequestKey}
	for _, l := range lines {
		req.Places = append(req.Places, Place{l.ItemID, l.LocationID})
	}
	slices.SortFunc(req.Places, comparePlaces)
	if in.RequestKey != "" {
		req.Fingerprint = fingerprint("count", in)
	}
	booked, err := s.store.CreateCount(ctx, actor, req, func(snap ReceiptSnapshot) ([]Booking, error) {
		return decideCount(in.LocationID, lines, snap)
	})
	if err != nil {
		return CountResult{}, err
	}
	out := CountResult{LocationID: in.LocationID, Lines: len(lines), Differences: make([]CountDifference, 0, len(booked))}
	for _, m := range booked {
		d, err := Difference(m)
		if err != nil {
			return CountResult{}, err
		}
		out.Replayed = out.Replayed || m.Replayed
		out.Differences = append(out.Differences, d)
	}
	return out, nil
}

// prepare normalises in and checks what can be checked without reading
// other records; it returns each line as the adjust Input it books.
func (in *CountInput) prepare(now time.Time, maxBackdate time.Duration) ([]Input, error) {
	in.Note = strings.TrimSpace(in.Note)
	in.Lines = slices.Clone(in.Lines) // normalised below; the caller's stay as they were
	in.EffectiveAt = normalizeTime(in.EffectiveAt)
	p := apperr.Problems{}
	switch {
	case in.LocationID == 0:
		p.Add("location_id", apperr.Required().Because("is required: where the stock was counted"))
	default:
		p.ID("location_id", &in.LocationID)
	}
	p.Text("note", in.Note, 0, MaxNoteLength)
	checkEffectiveAt(p, in.EffectiveAt, now, maxBackdate)
	checkKey(p, in.RequestKey)
	if utf8.RuneCountInString(in.RequestKey) > MaxReceiptKeyLength {
		p.Add(KeyField, apperr.TooLong(MaxReceiptKeyLength).
			Because(fmt.Sprintf("must be at most %d characters for a count", MaxReceiptKeyLength)))
	}
	switch {
	case len(in.Lines) == 0:
		p.Add("lines", apperr.TooFew(1).Because("must hold at least one line"))
	case len(in.Lines) > MaxCountLines:
		p.Add("lines", apperr.TooMany(MaxCountLines).
			Because(fmt.Sprintf("must hold at most %d lines; split the count", MaxCountLines)))
	}
	if err := p.Check(); err != nil {
		return nil, err
	}
	out := make([]Input, len(in.Lines))
	first := map[int64]int{} // item → its first line
	for i := range in.Lines {
		l := &in.Lines[i]
		line := Input{Type: Adjust, ItemID: l.ItemID, LocationID: in.LocationID, Quantity: l.Quantity, Unit: l.Unit,
			Note: in.Note, EffectiveAt: in.EffectiveAt}
		line.normalize()
		// The fingerprint sees the unit as booked: "" and "base" are one request.
		l.Unit = line.Unit
		out[i] = line
		if err := line.validate(now, maxBackdate); err != nil {
			lineProblems(p, i, err)
		}
		if j, ok := first[l.ItemID]; ok && l.ItemID > 0 {
			p.Add(lineField(i, "item_id"), apperr.FieldError{Code: apperr.FieldDuplicate,
				Message: fmt.Sprintf("is already counted in lines[%d]; count each item once", j)}.With("line", j))
		} else if !ok {
			first[l.ItemID] = i
		}
	}
	return out, p.Check()
}

// decideCount decides every line on the levels read under lock and returns
// a booking for each line whose count differs from the ledger, in line
// order. Every line is tried, so that the answer names all the problems at
// once.
func decideCount(location int64, lines []Input, snap ReceiptSnapshot) ([]Booking, error) {
	p := apperr.Problems{}
	checkLocation(p, Snapshot{Locations: snap.Locations}, "location_id", location)
	if err := p.Err("Check the marked fields; nothing was booked."); err != nil {
		return nil, err
	}
	items := maps.Clone(snap.Items)
	out := make([]Booking, 0, len(lines))
	for i, in := range lines {
		view := Snapshot{Locations: snap.Locations, Levels: map[int64]Level{location: snap.Levels[Place{in.ItemID, location}]}}
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
				if field != "location_id" { // checked above, once
					p.Add(lineField(i, field), problem)
				}
			}
			continue
		}
		if b.Movement.QuantityBase == 0 {
			continue // counted what the ledger says: nothing to book
		}
		out = append(out, b)
	}
	if err := p.Err("Check the marked fields; nothing was booked."); err != nil {
		return nil, err
	}
	return out, nil
}
