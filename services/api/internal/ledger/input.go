package ledger

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

// Limits of a movement's input.
const (
	MaxEnteredQuantity = 1_000_000_000
	// MaxQuantityBase bounds one movement in base units, so that no sum of
	// realistic movements comes near the range of int64.
	MaxQuantityBase = 1_000_000_000_000
	MaxReasonLength = 200
	MaxNoteLength   = 2000
	MaxKeyLength    = 200
	// MaxClockSkew is how far in the future an effective time may lie: the
	// client's clock may be a little ahead of ours.
	MaxClockSkew = time.Minute
	// DefaultMaxBackdate is how far back a movement may be dated unless the
	// service is configured otherwise.
	DefaultMaxBackdate = 30 * 24 * time.Hour
)

// Input is a movement to book, as a client asks for it. Field names in
// validation errors are the JSON names.
type Input struct {
	Type       Type  `json:"type"` // any type but Reversal (see Service.Reverse)
	ItemID     int64 `json:"item_id"`
	LocationID int64 `json:"location_id"` // for a transfer, the source
	// ToLocationID is a transfer's target, and only a transfer's.
	ToLocationID *int64 `json:"to_location_id"`
	// Quantity is a positive number of Unit; for an adjust, the counted
	// quantity, which may be zero.
	Quantity int64          `json:"quantity"`
	Unit     catalogue.Unit `json:"unit"` // empty means base
	// UnitCost is a receipt's cost of one entered Unit in micros (see
	// ParseMicros); nil for an unpriced receipt.
	UnitCost   *int64 `json:"unit_cost"`
	SupplierID *int64 `json:"supplier_id"` // receipts
	CustomerID *int64 `json:"customer_id"` // issues and returns
	Reason     string `json:"reason"`      // required for defect and write_off
	Note       string `json:"note"`
	// EffectiveAt is when the goods moved; nil means now.
	EffectiveAt *time.Time `json:"effective_at"`
	// RequestKey is the client's Idempotency-Key, if any: a second request
	// with the same key and input gets the first one's movement.
	RequestKey string `json:"-"`
}

// ReversalInput is what a client says about undoing a movement.
type ReversalInput struct {
	Reason      string     `json:"reason"`
	Note        string     `json:"note"`
	EffectiveAt *time.Time `json:"effective_at"` // nil means now
	RequestKey  string     `json:"-"`
}

func (in *Input) normalize() {
	in.Type = Type(strings.ToLower(strings.TrimSpace(string(in.Type))))
	in.Unit = catalogue.Unit(strings.ToLower(strings.TrimSpace(string(in.Unit))))
	if in.Unit == "" {
		in.Unit = catalogue.UnitBase
	}
	in.Reason = strings.TrimSpace(in.Reason)
	in.Note = strings.TrimSpace(in.Note)
	in.EffectiveAt = normalizeTime(in.EffectiveAt)
}

func (in *ReversalInput) normalize() {
	in.Reason = strings.TrimSpace(in.Reason)
	in.Note = strings.TrimSpace(in.Note)
	in.EffectiveAt = normalizeTime(in.EffectiveAt)
}

// normalizeTime keeps what PostgreSQL stores (UTC, microseconds), so that
// what was asked and what is stored compare equal.
func normalizeTime(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC().Truncate(time.Microsecond)
	return &u
}

// validate checks what can be checked without reading other records.
func (in Input) validate(now time.Time, maxBackdate time.Duration) error {
	p := problems{}
	switch {
	case in.Type == Reversal:
		p.add("type", "reversal cannot be booked directly; reverse the movement instead")
	case !in.Type.Valid():
		p.add("type", "must be receipt, issue, return, defect, write_off, adjust or transfer")
	}
	p.id("item_id", &in.ItemID)
	p.id("location_id", &in.LocationID)
	switch in.Unit {
	case catalogue.UnitBase, catalogue.UnitPackage, catalogue.UnitPallet:
	default:
		p.add("unit", "must be base, package or pallet")
	}
	minQty := int64(1)
	if in.Type == Adjust {
		minQty = 0
	}
	if in.Quantity < minQty || in.Quantity > MaxEnteredQuantity {
		p.add("quantity", fmt.Sprintf("must be a whole number between %d and %d", minQty, MaxEnteredQuantity))
	}
	if in.Type == Transfer {
		switch {
		case in.ToLocationID == nil:
			p.add("to_location_id", "is required for a transfer")
		case *in.ToLocationID == in.LocationID:
			p.add("to_location_id", "must differ from location_id")
		default:
			p.id("to_location_id", in.ToLocationID)
		}
	} else if in.ToLocationID != nil {
		p.add("to_location_id", "is only used by transfers")
	}
	if in.UnitCost != nil {
		switch {
		case in.Type != Receipt:
			p.add("unit_cost", "is only used by receipts")
		case *in.UnitCost < 0 || *in.UnitCost > MaxUnitCostMicros:
			p.add("unit_cost", "must be between 0 and 10000000")
		}
	}
	if in.SupplierID != nil {
		if in.Type != Receipt {
			p.add("supplier_id", "is only used by receipts")
		}
		p.id("supplier_id", in.SupplierID)
	}
	if in.CustomerID != nil {
		if in.Type != Issue && in.Type != Return {
			p.add("customer_id", "is only used by issues and returns")
		}
		p.id("customer_id", in.CustomerID)
	}
	p.line("reason", in.Reason, MaxReasonLength)
	p.text("note", in.Note, MaxNoteLength)
	switch in.Type {
	case Receipt:
		if in.SupplierID == nil && in.Note == "" {
			p.add("supplier_id", "is required unless a note says where the goods come from")
		}
	case Issue:
		if in.CustomerID == nil && in.Note == "" {
			p.add("customer_id", "is required unless a note says where the goods go")
		}
	case Return:
		if in.CustomerID == nil {
			p.add("customer_id", "is required: who returns the goods")
		}
	case Defect, WriteOff:
		if in.Reason == "" {
			p.add("reason", "is required")
		}
	}
	p.effectiveAt(in.EffectiveAt, now, maxBackdate)
	p.key(in.RequestKey)
	return p.err()
}

func (in ReversalInput) validate(id int64, now time.Time, maxBackdate time.Duration) error {
	if id <= 0 {
		return apperr.New(apperr.CodeNotFound, "Movement not found.")
	}
	p := problems{}
	p.line("reason", in.Reason, MaxReasonLength)
	p.text("note", in.Note, MaxNoteLength)
	p.effectiveAt(in.EffectiveAt, now, maxBackdate)
	p.key(in.RequestKey)
	return p.err()
}

// fingerprint identifies what was asked, so that a retry under the same
// request key can be told from a different request reusing it.
func fingerprint(kind string, v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// Only plain fields: cannot happen.
		panic(fmt.Sprintf("ledger: fingerprint %T: %v", v, err))
	}
	h := sha256.New()
	h.Write([]byte(kind))
	h.Write([]byte{0})
	h.Write(b)
	return h.Sum(nil)
}

// problems collects one message per offending field (the first found wins).
type problems map[string]string

func (p problems) add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return apperr.Validation("Check the marked fields.", p)
}

func (p problems) id(field string, v *int64) {
	if v != nil && *v <= 0 {
		p.add(field, "must be a positive id")
	}
}

// line checks a one-line text: at most max characters, no control characters.
func (p problems) line(field, v string, max int) {
	p.length(field, v, max, unicode.IsControl)
}

// text is line for multi-line fields: line breaks and tabs are allowed.
func (p problems) text(field, v string, max int) {
	p.length(field, v, max, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
}

func (p problems) length(field, v string, max int, bad func(rune) bool) {
	switch {
	case utf8.RuneCountInString(v) > max:
		p.add(field, fmt.Sprintf("must be at most %d characters", max))
	case !utf8.ValidString(v) || strings.ContainsFunc(v, bad):
		p.add(field, "must not contain control characters")
	}
}

func (p problems) effectiveAt(t *time.Time, now time.Time, maxBackdate time.Duration) {
	switch {
	case t == nil:
	case t.After(now.Add(MaxClockSkew)):
		p.add("effective_at", "must not be in the future")
	case t.Before(now.Add(-maxBackdate)):
		p.add("effective_at", fmt.Sprintf("must not be more than %s in the past", days(maxBackdate)))
	}
}

func (p problems) key(k string) {
	switch {
	case len(k) > MaxKeyLength:
		p.add("request_key", fmt.Sprintf("must be at most %d bytes", MaxKeyLength))
	case !utf8.ValidString(k) || strings.ContainsFunc(k, unicode.IsControl):
		p.add("request_key", "must not contain control characters")
	}
}

// days writes a duration of whole days as "30 days", others as Go does.
func days(d time.Duration) string {
	const day = 24 * time.Hour
	if d%day == 0 {
		if d == day {
			return "1 day"
		}
		return fmt.Sprintf("%d days", d/day)
	}
	return d.String()
}
