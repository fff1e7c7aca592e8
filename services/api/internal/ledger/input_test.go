package ledger

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/catalogue"
)

func ptr[T any](v T) *T { return &v }

var testNow = time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)

// fieldsOf returns the messages of a validation error's fields, nil for
// no error.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	if err == nil {
		return nil
	}
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("err = %v, want a validation error", err)
	}
	return e.Fields.Messages()
}

func TestInputValidation(t *testing.T) {
	receipt := func(change func(*Input)) Input {
		in := Input{Type: Receipt, ItemID: 1, LocationID: 2, Quantity: 3, SupplierID: ptr[int64](4)}
		change(&in)
		return in
	}
	for _, tc := range []struct {
		name string
		in   Input
		want map[string]string // the fields with problems; nil for valid
	}{
		{"a receipt from a supplier", receipt(func(*Input) {}), nil},
		{"a receipt with a note instead", receipt(func(in *Input) { in.SupplierID, in.Note = nil, "Nachlieferung" }), nil},
		{"a receipt from nowhere", receipt(func(in *Input) { in.SupplierID = nil }),
			map[string]string{"supplier_id": "is required unless a note says where the goods come from"}},
		{"a priced receipt", receipt(func(in *Input) { in.UnitCost = ptr[int64](1_300_000) }), nil},
		{"a negative cost", receipt(func(in *Input) { in.UnitCost = ptr[int64](-1) }),
			map[string]string{"unit_cost": "must be between 0 and 10000000"}},
		{"an issue", Input{Type: Issue, ItemID: 1, LocationID: 2, Quantity: 1, CustomerID: ptr[int64](5)}, nil},
		{"an issue to nobody", Input{Type: Issue, ItemID: 1, LocationID: 2, Quantity: 1},
			map[string]string{"customer_id": "is required unless a note says where the goods go"}},
		{"an issue with a cost and a supplier", Input{Type: Issue, ItemID: 1, LocationID: 2, Quantity: 1, Note: "x",
			UnitCost: ptr[int64](1), SupplierID: ptr[int64](1)},
			map[string]string{"unit_cost": "is only used by receipts", "supplier_id": "is only used by receipts"}},
		{"a return needs its customer even with a note", Input{Type: Return, ItemID: 1, LocationID: 2, Quantity: 1, Note: "x"},
			map[string]string{"customer_id": "is required: who returns the goods"}},
		{"a defect needs a reason", Input{Type: Defect, ItemID: 1, LocationID: 2, Quantity: 1, Note: "x"},
			map[string]string{"reason": "is required"}},
		{"a write-off needs a reason", Input{Type: WriteOff, ItemID: 1, LocationID: 2, Quantity: 1, Reason: "  "},
			map[string]string{"reason": "is required"}},
		{"a write-off with a customer", Input{Type: WriteOff, ItemID: 1, LocationID: 2, Quantity: 1, Reason: "Bruch", CustomerID: ptr[int64](1)},
			map[string]string{"customer_id": "is only used by issues and returns"}},
		{"a stock-take may count zero", Input{Type: Adjust, ItemID: 1, LocationID: 2, Quantity: 0}, nil},
		{"other movements may not", Input{Type: Defect, ItemID: 1, LocationID: 2, Quantity: 0, Reason: "x"},
			map[string]string{"quantity": "must be a whole number between 1 and 1000000000"}},
		{"a count cannot be negative", Input{Type: Adjust, ItemID: 1, LocationID: 2, Quantity: -1},
			map[string]string{"quantity": "must be a whole number between 0 and 1000000000"}},
		{"a transfer", Input{Type: Transfer, ItemID: 1, LocationID: 2, ToLocationID: ptr[int64](3), Quantity: 1}, nil},
		{"a transfer to nowhere", Input{Type: Transfer, ItemID: 1, LocationID: 2, Quantity: 1},
			map[string]string{"to_location_id": "is required for a transfer"}},
		{"a transfer to itself", Input{Type: Transfer, ItemID: 1, LocationID: 2, ToLocationID: ptr[int64](2), Quantity: 1},
			map[string]string{"to_location_id": "must differ from location_id"}},
		{"a target on a receipt", receipt(func(in *Input) { in.ToLocationID = ptr[int64](3) }),
			map[string]string{"to_location_id": "is only used by transfers"}},
		{"a reversal cannot be booked directly", Input{Type: Reversal, ItemID: 1, LocationID: 2, Quantity: 1},
			map[string]string{"type": "reversal cannot be booked directly; reverse the movement instead"}},
		{"an unknown type and unit", Input{Type: "gift", ItemID: 0, LocationID: -1, Quantity: 1, Unit: "box", Note: "x"},
			map[string]string{
				"type":        "must be receipt, issue, return, defect, write_off, adjust or transfer",
				"item_id":     "must be a positive id",
				"location_id": "must be a positive id",
				"unit":        "must be base, package or pallet",
			}},
		{"too many", receipt(func(in *Input) { in.Quantity = MaxEnteredQuantity + 1 }),
			map[string]string{"quantity": "must be a whole number between 1 and 1000000000"}},
		{"control characters", receipt(func(in *Input) { in.Reason, in.Note = "a\nb", "line\nbreak\x00" }),
			map[string]string{"reason": "must not contain control characters", "note": "must not contain control characters"}},
		{"a long note", receipt(func(in *Input) { in.Note = strings.Repeat("ü", MaxNoteLength+1) }),
			map[string]string{"note": "must be at most 2000 characters"}},
		{"back-dated 30 days", receipt(func(in *Input) { in.EffectiveAt = ptr(testNow.Add(-DefaultMaxBackdate)) }), nil},
		{"back-dated 31 days", receipt(func(in *Input) { in.EffectiveAt = ptr(testNow.Add(-DefaultMaxBackdate - 24*time.Hour)) }),
			map[string]string{"effective_at": "must not be more than 30 days in the past"}},
		{"a minute ahead is clock skew", receipt(func(in *Input) { in.EffectiveAt = ptr(testNow.Add(MaxClockSkew)) }), nil},
		{"the future", receipt(func(in *Input) { in.EffectiveAt = ptr(testNow.Add(MaxClockSkew + time.Second)) }),
			map[string]string{"effective_at": "must not be in the future"}},
		{"a long key", receipt(func(in *Input) { in.RequestKey = strings.Repeat("k", MaxKeyLength+1) }),
			map[string]string{KeyField: "must be at most 200 characters"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.normalize()
			got := fieldsOf(t, in.validate(testNow, DefaultMaxBackdate))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// The codes and parameters are what clients translate; the messages above
// are for people reading the api's answers.
func TestInputProblemCodes(t *testing.T) {
	in := Input{Type: Receipt, ItemID: 1, LocationID: 2, Quantity: 0, Unit: "crate", UnitCost: ptr[int64](1),
		CustomerID: ptr[int64](3), Note: strings.Repeat("n", MaxNoteLength+1),
		EffectiveAt: ptr(testNow.Add(-DefaultMaxBackdate - time.Hour))}
	e, _ := apperr.As(in.validate(testNow, DefaultMaxBackdate))
	want := apperr.Problems{
		"quantity":     {Code: apperr.FieldOutOfRange, Params: apperr.Params{"min": int64(1), "max": int64(MaxEnteredQuantity)}},
		"unit":         {Code: apperr.FieldNotAllowed, Params: apperr.Params{"allowed": "base, package, pallet"}},
		"customer_id":  {Code: apperr.FieldNotApplicable, Params: apperr.Params{"used_by": "issue, return"}},
		"note":         {Code: apperr.FieldTooLong, Params: apperr.Params{"max": int64(MaxNoteLength)}},
		"effective_at": {Code: apperr.FieldTooOld, Params: apperr.Params{"max_days": int64(30)}},
	}
	got := apperr.Problems{}
	for f, p := range e.Fields {
		got[f] = apperr.FieldError{Code: p.Code, Params: p.Params}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	transfer := Input{Type: Transfer, ItemID: 1, LocationID: 2, ToLocationID: ptr[int64](2), Quantity: 1}
	transfer.normalize()
	e, _ = apperr.As(transfer.validate(testNow, DefaultMaxBackdate))
	if p := e.Fields["to_location_id"]; p.Code != apperr.FieldMustDiffer || p.Params["other"] != "location_id" {
		t.Errorf("to_location_id = %+v", p)
	}
}

func TestNormalize(t *testing.T) {
	in := Input{Type: " Receipt ", Unit: "", Reason: " r ", Note: " n ",
		EffectiveAt: ptr(time.Date(2025, 3, 1, 13, 0, 0, 123456789, time.FixedZone("CET", 3600)))}
	in.normalize()
	want := Input{Type: Receipt, Unit: catalogue.UnitBase, Reason: "r", Note: "n",
		EffectiveAt: ptr(time.Date(2025, 3, 1, 12, 0, 0, 123456000, time.UTC))}
	if diff := cmp.Diff(want, in); diff != "" {
		t.Errorf("normalize (-want +got):\n%s", diff)
	}
}

func TestFingerprintTellsRequestsApart(t *testing.T) {
	a := Input{Type: Issue, ItemID: 1, LocationID: 2, Quantity: 3, Note: "x", RequestKey: "k1"}
	b := a
	b.RequestKey = "k2" // the key itself is not part of what was asked
	c := a
	c.Quantity = 4
	if !bytes.Equal(fingerprint("movement", a), fingerprint("movement", b)) {
		t.Error("the same input under two keys has two fingerprints")
	}
	if bytes.Equal(fingerprint("movement", a), fingerprint("movement", c)) {
		t.Error("two quantities share a fingerprint")
	}
	if bytes.Equal(fingerprint("movement", a), fingerprint("reversal", a)) {
		t.Error("a movement and a reversal share a fingerprint")
	}
}

func TestFilterValidation(t *testing.T) {
	from := testNow
	for _, tc := range []struct {
		name string
		f    Filter
		want map[string]string
	}{
		{"empty", Filter{}, nil},
		{"everything", Filter{Type: Reversal, ItemID: ptr[int64](1), LocationID: ptr[int64](1), SupplierID: ptr[int64](1),
			CustomerID: ptr[int64](1), UserID: ptr[int64](1), From: &from, To: ptr(from.Add(time.Hour))}, nil},
		{"bad values", Filter{Type: "gift", ItemID: ptr[int64](0), UserID: ptr[int64](-1), From: &from, To: &from},
			map[string]string{
				"type":    "must be receipt, issue, return, defect, write_off, adjust, transfer or reversal",
				"item_id": "must be a positive id",
				"user_id": "must be a positive id",
				"to":      "must be after from",
			}},
	} {
		if diff := cmp.Diff(tc.want, fieldsOf(t, tc.f.validate())); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}
