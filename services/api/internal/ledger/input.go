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
	p := apperr.Problems{}
	switch {
	case in.Type == Reversal:
		p.Add("type", apperr.FieldError{Code: apperr.FieldReversal, Message: "reversal cannot be booked directly; reverse the movement instead"})
	case !in.Type.Valid():
		p.Add("type", apperr.NotAllowed(Receipt, Issue, Return, Defect, WriteOff, Adjust, Transfer))
	}
	p.ID("item_id", &in.ItemID)
	p.ID("location_id", &in.LocationID)
	switch in.Unit {
	case catalogue.UnitBase, catalogue.UnitPackage, catalogue.UnitPallet:
	default:
		p.Add("unit", apperr.NotAllowed(catalogue.UnitBase, catalogue.UnitPackage, catalogue.UnitPallet))
	}
	minQty := int64(1)
	if in.Type == Adjust {
		minQty = 0
	}
	if in.Quantity < minQty || in.Quantity > MaxEnteredQuantity {
		p.Add("quantity", apperr.OutOfRange(minQty, MaxEnteredQuantity).
			Because(fmt.Sprintf("must be a whole number between %d and %d", minQty, MaxEnteredQuantity)))
	}
	if in.Type == Transfer {
		switch {
		case in.ToLocationID == nil:
			p.Add("to_location_id", apperr.Required().Because("is required for a transfer"))
		case *in.ToLocationID == in.LocationID:
			p.Add("to_location_id", apperr.MustDiffer("location_id"))
		default:
			p.ID("to_location_id", in.ToLocationID)
		}
	} else if in.ToLocationID != nil {
		p.Add("to_location_id", onlyFor("is only used by transfers", Transfer))
	}
	if in.UnitCost != nil {
		switch {
		case in.Type != Receipt:
			p.Add("unit_cost", onlyFor("is only used by receipts", Receipt))
		case *in.UnitCost < 0 || *in.UnitCost > MaxUnitCostMicros:
			p.Add("unit_cost", apperr.OutOfRange(0, MaxUnitCostMicros/MicrosPerUnit))
		}
	}
	if in.SupplierID != nil {
		if in.Type != Receipt {
			p.Add("supplier_id", onlyFor("is only used by receipts", Receipt))
		}
		p.ID("supplier_id", in.SupplierID)
	}
	if in.CustomerID != nil {
		if in.Type != Issue && in.Type != Return {
			p.Add("customer_id", onlyFor("is only used by issues and returns", Issue, Return))
		}
		p.ID("customer_id", in.CustomerID)
	}
	p.Line("reason", in.Reason, 0, MaxReasonLength)
	p.Text("note", in.Note, 0, MaxNoteLength)
	switch in.Type {
	case Receipt:
		if in.SupplierID == nil && in.Note == "" {
			p.Add("supplier_id", apperr.FieldError{Code: apperr.FieldRequiredUnlessNote,
				Message: "is required unless a note says where the goods come from"})
		}
	case Issue:
		if in.CustomerID == nil && in.Note == "" {
			p.Add("customer_id", apperr.FieldError{Code: apperr.FieldRequiredUnlessNote,
				Message: "is required unless a note says where the goods go"})
		}
	case Return:
		if in.CustomerID == nil {
			p.Add("customer_id", apperr.Required().Because("is required: who returns the goods"))
		}
	case Defect, WriteOff:
		if in.Reason == "" {
			p.Add("reason", apperr.Required())
		}
	}
	checkEffectiveAt(p, in.EffectiveAt, now, maxBackdate)
	checkKey(p, in.RequestKey)
	return p.Check()
}

// onlyFor is the problem of a field that the movement's type does not use.
func onlyFor(message string, types ...Type) apperr.FieldError {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = string(t)
	}
	return apperr.FieldError{Code: apperr.FieldNotApplicable, Message: message}.With("used_by", strings.Join(names, ", "))
}

func (in ReversalInput) validate(id int64, now time.Time, maxBackdate time.Duration) error {
	if id <= 0 {
		return apperr.New(apperr.CodeNotFound, "Movement not found.")
	}
	p := apperr.Problems{}
	p.Line("reason", in.Reason, 0, MaxReasonLength)
	p.Text("note", in.Note, 0, MaxNoteLength)
	checkEffectiveAt(p, in.EffectiveAt, now, maxBackdate)
	checkKey(p, in.RequestKey)
	return p.Check()
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

func checkEffectiveAt(p apperr.Problems, t *time.Time, now time.Time, maxBackdate time.Duration) {
	switch {
	case t == nil:
	case t.After(now.Add(MaxClockSkew)):
		p.Add("effective_at", apperr.FieldError{Code: apperr.FieldInFuture, Message: "must not be in the future"})
	case t.Before(now.Add(-maxBackdate)):
		// Whole days, rounded up: the web says "at most 30 days ago".
		p.Add("effective_at", apperr.FieldError{Code: apperr.FieldTooOld,
			Message: fmt.Sprintf("must not be more than %s in the past", days(maxBackdate))}.
			With("max_days", int64((maxBackdate+24*time.Hour-1)/(24*time.Hour))))
	}
}

// checkKey checks the Idempotency-Key the request came with; the problem
// names the header, which is where the client sent it.
func checkKey(p apperr.Problems, k string) {
	switch {
	case !utf8.ValidString(k):
		p.Add(KeyField, apperr.InvalidUTF8())
	case utf8.RuneCountInString(k) > MaxKeyLength:
		p.Add(KeyField, apperr.TooLong(MaxKeyLength))
	case strings.ContainsFunc(k, unicode.IsControl):
		p.Add(KeyField, apperr.ControlChar())
	}
}

// KeyField names the request key in field errors: the header it comes in.
const KeyField = "Idempotency-Key"

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
