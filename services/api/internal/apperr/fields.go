package apperr

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// FieldCode is a stable machine code of what is wrong with one field. A
// client translates by it (and by its Params), never by the English message.
// The list is documented in openapi.yaml (FieldError.code) and docs/api.md;
// a test keeps them equal to FieldCodes.
type FieldCode string

// Field codes. Never rename one: clients switch on them.
const (
	// Shape: what a request's schema says.
	FieldRequired     FieldCode = "required"      // absent or empty
	FieldUnknown      FieldCode = "unknown_field" // not a field of this body
	FieldWrongType    FieldCode = "wrong_type"    // {type}: integer, number, string, boolean, array, object
	FieldTooLong      FieldCode = "too_long"      // {max} characters
	FieldTooShort     FieldCode = "too_short"     // {min} characters
	FieldTooManyBytes FieldCode = "too_many_bytes"
	FieldOutOfRange   FieldCode = "out_of_range" // {min}, {max}
	FieldTooSmall     FieldCode = "too_small"    // {min}
	FieldTooLarge     FieldCode = "too_large"    // {max}, {unit} when it has one
	FieldTooFew       FieldCode = "too_few"      // {min} entries of a list
	FieldTooMany      FieldCode = "too_many"     // {max} entries of a list
	FieldNotAllowed   FieldCode = "not_allowed"  // {allowed}: the values, comma separated
	FieldFormat       FieldCode = "invalid_format"
	FieldInvalidJSON  FieldCode = "invalid_json"
	FieldInvalidUTF8  FieldCode = "invalid_utf8"
	FieldControlChar  FieldCode = "control_character"
	FieldSpaces       FieldCode = "contains_spaces"

	// Values with a meaning.
	FieldEmail      FieldCode = "invalid_email"
	FieldPhone      FieldCode = "invalid_phone"
	FieldCountry    FieldCode = "invalid_country"
	FieldPostalCode FieldCode = "invalid_postal_code"
	FieldGTIN       FieldCode = "invalid_gtin"
	FieldAmount     FieldCode = "invalid_amount"     // {decimals}: at most that many
	FieldPercentage FieldCode = "invalid_percentage" // {min}, {max}
	FieldCursor     FieldCode = "invalid_cursor"

	// Files and the company profile.
	FieldUnsupportedType  FieldCode = "unsupported_file_type" // {allowed}: the types, comma separated
	FieldInvalidCharacter FieldCode = "invalid_character"     // {character}, {position} from 1: outside the QR bill's set
	FieldInvalidIBAN      FieldCode = "invalid_iban"          // {reason}: length, country, characters, checksum
	FieldInvalidUID       FieldCode = "invalid_uid"           // {reason}: format, checksum

	// References and uniqueness.
	FieldNotFound  FieldCode = "not_found" // {name} or {number} when looked up by one
	FieldArchived  FieldCode = "archived"
	FieldTaken     FieldCode = "taken" // {sku} of the item holding it, when known
	FieldDuplicate FieldCode = "duplicate"
	FieldSame      FieldCode = "same_record" // {line}
	FieldAmbiguous FieldCode = "ambiguous"   // {count}, {name}

	// Rules between fields.
	FieldMustDiffer     FieldCode = "must_differ"    // {other}
	FieldMustBeAfter    FieldCode = "must_be_after"  // {other}
	FieldRequiredWith   FieldCode = "required_with"  // {other}
	FieldNotApplicable  FieldCode = "not_applicable" // {used_by}: the movement types that use it
	FieldNeedsPackage   FieldCode = "needs_package"  // only with a package size
	FieldMustBeAlcohol  FieldCode = "must_be_alcoholic"
	FieldRelevanceNeedQ FieldCode = "relevance_needs_q"

	// Locations.
	FieldWarehouseTop FieldCode = "warehouse_top_level"
	FieldSelf         FieldCode = "self_reference"
	FieldParentIsBin  FieldCode = "parent_is_bin"
	FieldCycle        FieldCode = "cycle"
	FieldHasChildren  FieldCode = "has_children"

	// Movements.
	FieldRequiredUnlessNote FieldCode = "required_unless_note"
	FieldReversal           FieldCode = "reversal_not_direct"
	FieldInFuture           FieldCode = "in_future"
	FieldTooOld             FieldCode = "too_old" // {max_days}
	FieldNoPackage          FieldCode = "no_package"
	FieldNoPallet           FieldCode = "no_pallet"
	FieldOverflow           FieldCode = "overflow"
	// FieldInsufficient: {requested} and {available} in base units of
	// {unit} (the item's base unit), {kind} good or defective; when the
	// quantity was entered in packages or pallets also {entered} and
	// {entered_unit} (package, pallet) with {entered_unit_name} (the item's
	// word for its package, when it has one).
	FieldInsufficient FieldCode = "insufficient_stock"

	// People and access.
	FieldSelfDisable      FieldCode = "cannot_disable_self"
	FieldSelfDemote       FieldCode = "cannot_demote_self"
	FieldNotPermitted     FieldCode = "not_permitted" // the role may not set it; {line} in an import
	FieldWrongPassword    FieldCode = "wrong_password"
	FieldPasswordTrivial  FieldCode = "password_trivial"
	FieldPasswordCommon   FieldCode = "password_common"
	FieldPasswordPersonal FieldCode = "password_personal"

	// CSV files. A problem of a whole line names no column.
	FieldUnknownColumn   FieldCode = "unknown_column" // {allowed}
	FieldDuplicateColumn FieldCode = "duplicate_column"
	FieldMissingColumn   FieldCode = "missing_column"
	FieldUnnamedColumn   FieldCode = "unnamed_column" // {column}: its position from 1
	FieldEmptyFile       FieldCode = "empty_file"
	FieldTooManyRows     FieldCode = "too_many_rows"    // {max}
	FieldCellCount       FieldCode = "wrong_cell_count" // {cells}, {expected}
	FieldInvalidCSV      FieldCode = "invalid_csv"      // {line}, {column} where the reader stopped
	FieldMoreProblems    FieldCode = "more_problems"    // {count} not listed
)

// FieldCodes returns every field code, in the order of the constants.
func FieldCodes() []FieldCode {
	return []FieldCode{
		FieldRequired, FieldUnknown, FieldWrongType, FieldTooLong, FieldTooShort, FieldTooManyBytes,
		FieldOutOfRange, FieldTooSmall, FieldTooLarge, FieldTooFew, FieldTooMany, FieldNotAllowed,
		FieldFormat, FieldInvalidJSON, FieldInvalidUTF8, FieldControlChar, FieldSpaces,
		FieldEmail, FieldPhone, FieldCountry, FieldPostalCode, FieldGTIN, FieldAmount, FieldPercentage, FieldCursor,
		FieldUnsupportedType, FieldInvalidCharacter, FieldInvalidIBAN, FieldInvalidUID,
		FieldNotFound, FieldArchived, FieldTaken, FieldDuplicate, FieldSame, FieldAmbiguous,
		FieldMustDiffer, FieldMustBeAfter, FieldRequiredWith, FieldNotApplicable, FieldNeedsPackage,
		FieldMustBeAlcohol, FieldRelevanceNeedQ,
		FieldWarehouseTop, FieldSelf, FieldParentIsBin, FieldCycle, FieldHasChildren,
		FieldRequiredUnlessNote, FieldReversal, FieldInFuture, FieldTooOld, FieldNoPackage, FieldNoPallet,
		FieldOverflow, FieldInsufficient,
		FieldSelfDisable, FieldSelfDemote, FieldNotPermitted, FieldWrongPassword, FieldPasswordTrivial, FieldPasswordCommon, FieldPasswordPersonal,
		FieldUnknownColumn, FieldDuplicateColumn, FieldMissingColumn, FieldUnnamedColumn, FieldEmptyFile,
		FieldTooManyRows, FieldCellCount, FieldInvalidCSV, FieldMoreProblems,
	}
}

// Params are a field error's named values. Values are int64 or string only
// (the contract says so), which the constructors below guarantee.
type Params map[string]any

// FieldError is what is wrong with one field: a stable code, a message in
// English for people, and the values the message names. It is also an
// error, so parsers (money, costs, CSV cells) can return one and the
// collector keeps its code.
type FieldError struct {
	Code    FieldCode `json:"code"`
	Message string    `json:"message"`
	Params  Params    `json:"params,omitempty"`
}

func (e FieldError) Error() string { return e.Message }

// Because returns e with another English message; code and params stay.
// Use it where the field deserves a more telling sentence than the
// generic one ("is required for a transfer").
func (e FieldError) Because(message string) FieldError {
	e.Message = message
	return e
}

// With returns e with one more parameter (an int64, int or string).
func (e FieldError) With(name string, value any) FieldError {
	p := make(Params, len(e.Params)+1)
	maps.Copy(p, e.Params)
	switch v := value.(type) {
	case int:
		p[name] = int64(v)
	case int64, string:
		p[name] = v
	default:
		panic(fmt.Sprintf("apperr: parameter %s of type %T; only integers and strings", name, value))
	}
	e.Params = p
	return e
}

func fe(code FieldCode, message string) FieldError { return FieldError{Code: code, Message: message} }

// Constructors of the field errors more than one package reports, with
// their English messages.

func Required() FieldError       { return fe(FieldRequired, "is required") }
func UnknownField() FieldError   { return fe(FieldUnknown, "is not a known field") }
func ControlChar() FieldError    { return fe(FieldControlChar, "must not contain control characters") }
func InvalidUTF8() FieldError    { return fe(FieldInvalidUTF8, "must be valid UTF-8 text") }
func ContainsSpaces() FieldError { return fe(FieldSpaces, "must not contain spaces") }
func NotFound() FieldError       { return fe(FieldNotFound, "does not exist") }
func Archived() FieldError       { return fe(FieldArchived, "is archived") }
func Taken() FieldError          { return fe(FieldTaken, "is already taken") }
func NotPermitted() FieldError   { return fe(FieldNotPermitted, "may not be set by your role") }
func InvalidFormat() FieldError  { return fe(FieldFormat, "is not in the expected format") }
func InvalidCursor() FieldError {
	return fe(FieldCursor, "is not a cursor from this list and sort order")
}
func PositiveID() FieldError          { return TooSmall(1).Because("must be a positive id") }
func Overflow() FieldError            { return fe(FieldOverflow, "is too large to count") }
func NeedsPackage() FieldError        { return fe(FieldNeedsPackage, "needs a package size") }
func InvalidJSON(m string) FieldError { return fe(FieldInvalidJSON, m) }

func WrongType(typ string) FieldError {
	return fe(FieldWrongType, "must be "+article(typ)+" "+typ).With("type", typ)
}

func TooLong(max int) FieldError {
	return fe(FieldTooLong, fmt.Sprintf("must be at most %d characters", max)).With("max", max)
}

func TooShort(min int) FieldError {
	return fe(FieldTooShort, fmt.Sprintf("must be at least %d characters", min)).With("min", min)
}

func TooManyBytes(max int) FieldError {
	return fe(FieldTooManyBytes, fmt.Sprintf("must be at most %d bytes", max)).With("max", max)
}

func OutOfRange(min, max int64) FieldError {
	return fe(FieldOutOfRange, fmt.Sprintf("must be between %d and %d", min, max)).With("min", min).With("max", max)
}

func TooSmall(min int64) FieldError {
	if min == 0 {
		return fe(FieldTooSmall, "must not be negative").With("min", min)
	}
	return fe(FieldTooSmall, fmt.Sprintf("must be at least %d", min)).With("min", min)
}

func TooLarge(max int64) FieldError {
	return fe(FieldTooLarge, fmt.Sprintf("must be at most %d", max)).With("max", max)
}

func TooFew(min int) FieldError {
	return fe(FieldTooFew, fmt.Sprintf("must hold at least %d entries", min)).With("min", min)
}

func TooMany(max int) FieldError {
	return fe(FieldTooMany, fmt.Sprintf("must hold at most %d entries", max)).With("max", max)
}

// NotAllowed refuses a value outside allowed, naming them: "must be
// receipt, issue or transfer".
func NotAllowed[S ~string](allowed ...S) FieldError {
	names := make([]string, len(allowed))
	for i, a := range allowed {
		names[i] = string(a)
	}
	return fe(FieldNotAllowed, "must be "+OneOf(names)).With("allowed", strings.Join(names, ", "))
}

// Amount refuses a decimal that is not one with at most decimals places.
func Amount(decimals int, example string) FieldError {
	return fe(FieldAmount, fmt.Sprintf("must be a decimal amount with at most %d decimals, such as %s", decimals, example)).
		With("decimals", decimals)
}

func MustDiffer(other string) FieldError {
	return fe(FieldMustDiffer, "must differ from "+other).With("other", other)
}

func MustBeAfter(other string) FieldError {
	return fe(FieldMustBeAfter, "must be after "+other).With("other", other)
}

// OneOf writes a list of choices as English does: "a, b or c".
func OneOf(names []string) string {
	switch len(names) {
	case 0:
		return ""
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}

// Problems collects what is wrong with the fields of one input: at most one
// error per field, the first found (the one to fix first).
type Problems map[string]FieldError

// Add records e for field unless field already has a problem.
func (p Problems) Add(field string, e FieldError) {
	if _, ok := p[field]; !ok {
		p[field] = e
	}
}

// AddErr records err for field: a FieldError as it is, any other error as
// an invalid format with its text.
func (p Problems) AddErr(field string, err error) {
	p.Add(field, AsField(err))
}

// AsField returns err as a field error: itself when it is one, else an
// invalid format with err's text.
func AsField(err error) FieldError {
	var e FieldError
	if errors.As(err, &e) {
		return e
	}
	return InvalidFormat().Because(err.Error())
}

// Merge adds the field problems of err (a validation error) and reports
// whether err was one; other errors are left to the caller.
func (p Problems) Merge(err error) bool {
	e, ok := As(err)
	if !ok || e.Code != CodeValidation {
		return false
	}
	for _, f := range slices.Sorted(maps.Keys(e.Fields)) {
		p.Add(f, e.Fields[f])
	}
	return true
}

// Messages returns the English message of each field's problem, nil for
// none: what a person reading logs or a test wants to see.
func (p Problems) Messages() map[string]string {
	if p == nil {
		return nil
	}
	out := make(map[string]string, len(p))
	for f, e := range p {
		out[f] = e.Message
	}
	return out
}

// Err returns the validation error of the problems with the message for
// the whole input, or nil when there are none.
func (p Problems) Err(message string) error {
	if len(p) == 0 {
		return nil
	}
	return Validation(message, p)
}

// Check is Err with the message most inputs use.
func (p Problems) Check() error { return p.Err("Check the marked fields.") }

// FieldProblem is a validation error of one field.
func FieldProblem(message, field string, e FieldError) *Error {
	return Validation(message, Problems{field: e})
}

// Line checks a one-line text field's length in characters (min 1 makes it
// required, a min above 1 a minimum length) and refuses invalid UTF-8 and
// control characters, line breaks among them.
func (p Problems) Line(field, v string, min, max int) {
	p.length(field, v, min, max, unicode.IsControl)
}

// Text is Line for multi-line fields: line breaks and tabs are allowed.
func (p Problems) Text(field, v string, min, max int) {
	p.length(field, v, min, max, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
}

func (p Problems) length(field, v string, min, max int, bad func(rune) bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && min > 0:
		p.Add(field, Required())
	case !utf8.ValidString(v):
		p.Add(field, InvalidUTF8())
	case n < min:
		p.Add(field, TooShort(min))
	case n > max:
		p.Add(field, TooLong(max))
	case strings.ContainsFunc(v, bad):
		p.Add(field, ControlChar())
	}
}

// Range checks that v lies between min and max, both included.
func (p Problems) Range(field string, v, min, max int64) {
	if v < min || v > max {
		p.Add(field, OutOfRange(min, max))
	}
}

// ID checks an optional reference: when given, a positive id.
func (p Problems) ID(field string, v *int64) {
	if v != nil && *v <= 0 {
		p.Add(field, PositiveID())
	}
}
