package qrbill

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/language"
)

// InCharacterSet reports whether r belongs to the guideline's Extended
// Latin set: U+0020–U+007E, U+00A0–U+017F, U+0218–U+021B and U+20AC. Line
// breaks and other control characters are outside it.
func InCharacterSet(r rune) bool {
	return (r >= 0x20 && r <= 0x7E) ||
		(r >= 0xA0 && r <= 0x17F) ||
		(r >= 0x218 && r <= 0x21B) ||
		r == 0x20AC
}

// firstInvalid returns the first character of s outside the set and its
// position from 1, or ok true when there is none. Invalid UTF-8 counts as
// outside (U+FFFD).
func firstInvalid(s string) (r rune, pos int, ok bool) {
	for _, c := range s {
		pos++
		if !InCharacterSet(c) {
			return c, pos, false
		}
	}
	return 0, 0, true
}

// text checks one free-text field: required or not, at most max
// characters, every character in the set.
func (ps *problems) text(field, value string, required bool, max int) {
	if value == "" {
		if required {
			ps.add(field, CodeRequired)
		}
		return
	}
	if n := utf8.RuneCountInString(value); n > max {
		ps.add(field, CodeTooLong, "max", strconv.Itoa(max))
	}
	if r, pos, ok := firstInvalid(value); !ok {
		ps.add(field, CodeInvalidCharacter, "character", string(r), "position", strconv.Itoa(pos))
	}
}

// validCountry reports whether code is an ISO 3166-1 alpha-2 country code
// in upper case ("CH", "LI", "DE"); macro regions and private-use codes
// are not countries.
func validCountry(code string) bool {
	if len(code) != 2 || code != strings.ToUpper(code) {
		return false
	}
	region, err := language.ParseRegion(code)
	return err == nil && region.IsCountry() && region.String() == code
}

// address checks a structured address under prefix ("creditor", "debtor").
func (ps *problems) address(prefix string, a Address) {
	ps.text(prefix+".name", a.Name, true, MaxName)
	ps.text(prefix+".street", a.Street, false, MaxStreet)
	ps.text(prefix+".building_number", a.BuildingNumber, false, MaxBuildingNumber)
	ps.text(prefix+".postal_code", a.PostalCode, true, MaxPostalCode)
	ps.text(prefix+".town", a.Town, true, MaxTown)
	switch {
	case a.Country == "":
		ps.add(prefix+".country", CodeRequired)
	case !validCountry(a.Country):
		ps.add(prefix+".country", CodeInvalidCountry)
	}
}

// Validate checks a bill against the guideline and returns every problem
// at once as an *Error (nil when the bill may be issued). Nothing is
// shortened or corrected: what does not fit is refused.
func (b Bill) Validate() error {
	var ps problems

	// Account and its reference rules.
	qrIBAN := false
	if b.Account == "" {
		ps.add("account", CodeRequired)
	} else if reason := checkIBAN(b.Account); reason != "" {
		ps.add("account", CodeInvalidIBAN, "reason", reason)
	} else {
		qrIBAN = IsQRIBAN(b.Account)
	}

	ps.address("creditor", b.Creditor)

	if b.HasAmount && (b.Amount < MinAmount || b.Amount > MaxAmount) {
		ps.add("amount", CodeAmountRange, "min", payloadAmount(MinAmount), "max", payloadAmount(MaxAmount))
	}
	switch b.Currency {
	case CHF, EUR:
	case "":
		ps.add("currency", CodeRequired)
	default:
		ps.add("currency", CodeNotAllowed, "allowed", "CHF,EUR")
	}

	if b.Debtor != nil {
		ps.address("debtor", *b.Debtor)
	}

	accountOK := b.Account != "" && checkIBAN(b.Account) == ""
	switch b.ReferenceType {
	case QRR:
		if accountOK && !qrIBAN {
			ps.add("reference_type", CodeQRRNeedsQRIBAN)
		}
		if b.Reference == "" {
			ps.add("reference", CodeRequired)
		} else if reason := checkQRR(b.Reference); reason != "" {
			ps.add("reference", CodeInvalidReference, "reason", reason)
		}
	case SCOR:
		if qrIBAN {
			ps.add("reference_type", CodeQRIBANNeedsQRR)
		}
		if b.Reference == "" {
			ps.add("reference", CodeRequired)
		} else if reason := checkSCOR(b.Reference); reason != "" {
			ps.add("reference", CodeInvalidReference, "reason", reason)
		}
	case NON:
		if qrIBAN {
			ps.add("reference_type", CodeQRIBANNeedsQRR)
		}
		if b.Reference != "" {
			ps.add("reference", CodeMustBeEmpty)
		}
	case "":
		ps.add("reference_type", CodeRequired)
	default:
		ps.add("reference_type", CodeNotAllowed, "allowed", "QRR,SCOR,NON")
	}

	ps.text("message", b.Message, false, MaxMessage)
	ps.text("bill_information", b.BillInformation, false, MaxMessage)
	if m, bi := utf8.RuneCountInString(b.Message), utf8.RuneCountInString(b.BillInformation); m <= MaxMessage && bi <= MaxMessage && m+bi > MaxMessage {
		ps.add("bill_information", CodeCombinedTooLong, "max", strconv.Itoa(MaxMessage), "other", "message")
	}

	if len(b.AlternativeSchemes) > MaxAlternativeSchemes {
		ps.add("alternative_schemes", CodeTooMany, "max", strconv.Itoa(MaxAlternativeSchemes))
	}
	for i, s := range b.AlternativeSchemes {
		// An empty scheme cannot be written: the payload would end in a
		// separator or lose the line.
		ps.text("alternative_schemes."+strconv.Itoa(i), s, true, MaxAlternativeScheme)
	}
	// Every field may be within its limit and the whole still too large
	// for the code (letters beyond ASCII take two or three bytes).
	if len(ps.list) == 0 {
		if n := len(b.payload()); n > MaxPayloadBytes {
			ps.add("payload", CodePayloadTooLong, "max", strconv.Itoa(MaxPayloadBytes), "length", strconv.Itoa(n))
		}
	}
	return ps.err()
}

// ValidateAddress checks a structured address on its own, with its fields
// named under prefix ("company" gives "company.town"; "" gives "town"), by the same rules
// as a bill's: the company profile keeps the creditor's address and must
// refuse what Validate would refuse at invoice time. nil when valid,
// else an *Error.
func ValidateAddress(prefix string, a Address) error {
	var ps problems
	ps.address(prefix, a)
	if prefix == "" {
		for i := range ps.list {
			ps.list[i].Field = strings.TrimPrefix(ps.list[i].Field, ".")
		}
	}
	return ps.err()
}
