// Package qrbill is the Swiss QR-bill (Implementation Guidelines v2.3) as
// data: a bill with structured addresses, its validation, its QR payload
// (the "SPC" text) and the reading of one, and the two payment references
// (QRR and SCOR). It knows nothing of HTTP, SQL or PDF: the invoice issues
// a Bill, the PDF renderer draws it, the bank import parses references.
//
// Validation refuses, never truncates: a name that does not fit or a
// character outside the guideline's set is an error naming the field, so
// the person fixes the source data instead of a bank rejecting the bill.
package qrbill

import (
	"fmt"
	"slices"
	"strings"
)

// Currency of a bill: the guideline allows CHF and EUR only.
type Currency string

// Currencies of the guideline.
const (
	CHF Currency = "CHF"
	EUR Currency = "EUR"
)

// ReferenceType says which payment reference a bill carries.
type ReferenceType string

// Reference types of the guideline.
const (
	// QRR is the 27-digit QR reference; only with a QR-IBAN.
	QRR ReferenceType = "QRR"
	// SCOR is the ISO 11649 creditor reference (RF…); only with a normal IBAN.
	SCOR ReferenceType = "SCOR"
	// NON is no reference; only with a normal IBAN.
	NON ReferenceType = "NON"
)

// Address is a structured address (type S). Combined addresses (type K)
// are refused by banks since November 2025, so there is no other kind.
type Address struct {
	Name           string // required, ≤ 70
	Street         string // optional, ≤ 70
	BuildingNumber string // optional, ≤ 16
	PostalCode     string // required, ≤ 16
	Town           string // required, ≤ 35
	Country        string // required, ISO 3166-1 alpha-2, e.g. "CH"
}

// Bill is one QR bill. Text fields are kept as they will be printed and
// encoded; Account and Reference in their electronic form (no spaces; see
// Compact).
type Bill struct {
	Account  string // IBAN or QR-IBAN of the creditor, CH or LI
	Creditor Address
	// Amount in minor units (Rappen, cents); meaningful only with
	// HasAmount. Without an amount the payer fills it in.
	Amount    int64
	HasAmount bool
	Currency  Currency
	// Debtor is the payer; nil leaves the fields blank for the payer to
	// fill in by hand.
	Debtor          *Address
	ReferenceType   ReferenceType
	Reference       string // electronic form: 27 digits (QRR), RF… (SCOR), empty (NON)
	Message         string // unstructured message, shown as additional information
	BillInformation string // structured bill information (e.g. Swico "//S1/…")
	// AlternativeSchemes are up to two parameter strings of other payment
	// procedures; read by Parse so a bill from elsewhere round-trips.
	AlternativeSchemes []string
}

// Limits of the guideline, in characters.
const (
	MaxName               = 70
	MaxStreet             = 70
	MaxBuildingNumber     = 16
	MaxPostalCode         = 16
	MaxTown               = 35
	MaxMessage            = 140 // message and bill information together
	MaxAlternativeScheme  = 100
	MaxAlternativeSchemes = 2
	// MinAmount and MaxAmount bound Amount in minor units: 0.01 to
	// 999 999 999.99.
	MinAmount int64 = 1
	MaxAmount int64 = 99_999_999_999
	// MaxPayloadBytes is what a QR code of version 25 with error
	// correction M holds in byte mode: the guideline's 997, counted in
	// UTF-8 bytes because that is what the code stores (a larger code
	// would not be readable at 46 mm).
	MaxPayloadBytes = 997
)

// Code is a stable machine code of what is wrong with one field. The
// codes that already exist in the api's contract (required, too_long,
// not_allowed, invalid_country) mean the same there.
type Code string

// Codes of Validate and Parse.
const (
	CodeRequired         Code = "required"              // empty
	CodeTooLong          Code = "too_long"              // {max} characters
	CodeCombinedTooLong  Code = "combined_too_long"     // {max} characters together with {other}
	CodeInvalidCharacter Code = "invalid_character"     // {character}: the first one outside the set, {position} from 1
	CodeInvalidCountry   Code = "invalid_country"       // not an ISO 3166-1 alpha-2 country
	CodeNotAllowed       Code = "not_allowed"           // {allowed}: the values, comma separated
	CodeInvalidIBAN      Code = "invalid_iban"          // {reason}: length, country, characters, checksum
	CodeQRIBANNeedsQRR   Code = "qr_iban_needs_qrr"     // a QR-IBAN takes only a QRR reference
	CodeQRRNeedsQRIBAN   Code = "qrr_needs_qr_iban"     // a QRR reference needs a QR-IBAN
	CodeInvalidReference Code = "invalid_reference"     // {reason}: length, characters, checksum
	CodeMustBeEmpty      Code = "must_be_empty"         // a reference with type NON
	CodeAmountRange      Code = "amount_out_of_range"   // {min}, {max} as decimals
	CodeTooMany          Code = "too_many"              // {max} entries
	CodePayloadTooLong   Code = "payload_too_long"      // field "payload": {max} bytes, {length}
	CodeInvalidPayload   Code = "invalid_payload"       // Parse: {reason}
	CodeInvalidAmount    Code = "invalid_amount"        // Parse: not a decimal with at most two decimals
	CodeAddressType      Code = "unsupported_address"   // Parse: an address type other than S
	CodeUltimateCreditor Code = "ultimate_creditor_set" // Parse: the reserved ultimate creditor is filled in
)

// Problem is what is wrong with one field. Field is a dotted path in the
// api's style: "creditor.name", "debtor.country", "account", "amount",
// "reference", "alternative_schemes.1"; empty for the payload as a whole.
type Problem struct {
	Field  string
	Code   Code
	Params map[string]string
}

// Error lists every problem of a bill, in field order. The api maps it to
// its error envelope field by field.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	parts := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		s := p.Field + ": " + string(p.Code)
		if len(p.Params) > 0 {
			keys := make([]string, 0, len(p.Params))
			for k := range p.Params {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			kv := make([]string, 0, len(keys))
			for _, k := range keys {
				kv = append(kv, k+"="+p.Params[k])
			}
			s += " (" + strings.Join(kv, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return "qrbill: " + strings.Join(parts, "; ")
}

// Has reports whether the error names field with code; for tests and for
// callers that react to one rule.
func (e *Error) Has(field string, code Code) bool {
	for _, p := range e.Problems {
		if p.Field == field && p.Code == code {
			return true
		}
	}
	return false
}

// problems collects Problems; its err is nil when there are none.
type problems struct{ list []Problem }

func (ps *problems) add(field string, code Code, kv ...string) {
	p := Problem{Field: field, Code: code}
	if len(kv) > 0 {
		p.Params = make(map[string]string, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			p.Params[kv[i]] = kv[i+1]
		}
	}
	ps.list = append(ps.list, p)
}

func (ps *problems) err() error {
	if len(ps.list) == 0 {
		return nil
	}
	return &Error{Problems: ps.list}
}

// FormatAmount writes minor units the way the style guide shows amounts on
// the slip: a space as thousands separator and a point before two
// decimals, "1 949.75".
func FormatAmount(minor int64) string {
	neg := minor < 0
	if neg {
		minor = -minor
	}
	whole := fmt.Sprintf("%d", minor/100)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	fmt.Fprintf(&b, ".%02d", minor%100)
	return b.String()
}

// payloadAmount writes minor units as the payload wants them: "1949.75".
func payloadAmount(minor int64) string {
	return fmt.Sprintf("%d.%02d", minor/100, minor%100)
}
