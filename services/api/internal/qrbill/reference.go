package qrbill

import (
	"fmt"
	"strconv"
	"strings"
)

// Compact removes the spaces a person or a printed slip puts into an IBAN
// or a reference and upper-cases its letters, giving the electronic form
// Validate and the payload use. It changes nothing else: a wrong character
// stays and is refused.
func Compact(s string) string {
	return strings.ToUpper(strings.ReplaceAll(s, " ", ""))
}

// mod97 is the ISO 7064 MOD 97-10 remainder of s with letters as A=10 …
// Z=35 (IBAN and ISO 11649 share it). ok is false for any other character.
func mod97(s string) (rem int, ok bool) {
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			rem = (rem*10 + int(r-'0')) % 97
		case r >= 'A' && r <= 'Z':
			rem = (rem*100 + int(r-'A') + 10) % 97
		default:
			return 0, false
		}
	}
	return rem, true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func isUpperAlnum(s string) bool {
	for _, r := range s {
		if !(r >= '0' && r <= '9') && !(r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return s != ""
}

// IBANLength is the length of a Swiss or Liechtenstein IBAN.
const IBANLength = 21

// checkIBAN returns the reason an account is not a CH/LI IBAN in
// electronic form, or "" when it is one.
func checkIBAN(iban string) string {
	switch {
	case len(iban) != IBANLength:
		return "length"
	case iban[:2] != "CH" && iban[:2] != "LI":
		return "country"
	// CHkk + 5-digit institution id + 12 alphanumerics.
	case !isDigits(iban[2:9]) || !isUpperAlnum(iban[9:]):
		return "characters"
	}
	if rem, ok := mod97(iban[4:] + iban[:4]); !ok || rem != 1 {
		return "checksum"
	}
	return ""
}

// ValidIBAN reports whether iban (electronic form) is a CH or LI IBAN with
// a correct check.
func ValidIBAN(iban string) bool { return checkIBAN(iban) == "" }

// IsQRIBAN reports whether a valid IBAN is a QR-IBAN: its institution id
// (characters 5 to 9) lies in 30000–31999. Such an account takes only QRR
// references.
func IsQRIBAN(iban string) bool {
	if !ValidIBAN(iban) {
		return false
	}
	iid := iban[4:9]
	return iid >= "30000" && iid <= "31999"
}

// FormatIBAN shows an IBAN in groups of four: "CH44 3199 9123 0008 8901 2".
func FormatIBAN(iban string) string { return groups(iban, 4) }

func groups(s string, n int) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && i%n == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// QRR references.

// QRRLength is the length of a QR reference: 26 digits and a check digit.
const QRRLength = 27

// mod10Table is the table of the recursive modulo-10 check digit of the
// Swiss payment slips (the same as the old ESR reference).
var mod10Table = [10]int{0, 9, 4, 6, 8, 2, 7, 1, 3, 5}

// mod10Check is the recursive modulo-10 check digit of a string of digits.
func mod10Check(digits string) byte {
	carry := 0
	for i := 0; i < len(digits); i++ {
		carry = mod10Table[(carry+int(digits[i]-'0'))%10]
	}
	return byte('0' + (10-carry)%10)
}

// checkQRR returns the reason ref is not a QR reference, or "".
func checkQRR(ref string) string {
	switch {
	case len(ref) != QRRLength:
		return "length"
	case !isDigits(ref):
		return "characters"
	case mod10Check(ref[:QRRLength-1]) != ref[QRRLength-1]:
		return "checksum"
	case strings.Count(ref, "0") == QRRLength:
		// All zeros passes the check digit but is no reference at all.
		return "zero"
	}
	return ""
}

// ValidQRR reports whether ref is a 27-digit QR reference with a correct
// check digit.
func ValidQRR(ref string) bool { return checkQRR(ref) == "" }

// QRR field widths of BuildQRR's scheme.
const (
	QRRCustomerDigits = 10
	QRRInvoiceDigits  = 16
)

// BuildQRR makes the QR reference of an invoice: the customer number in
// ten digits, the invoice number in sixteen, both zero-padded, and the
// check digit. Both are the records' numbers as plain integers (the
// invoice number without its prefix), so the reference a bank returns in a
// camt.054 names customer and invoice without a lookup table, and stays
// unique because invoice numbers are.
func BuildQRR(customer, invoice uint64) (string, error) {
	const maxCustomer, maxInvoice = 9_999_999_999, 9_999_999_999_999_999
	if customer > maxCustomer {
		return "", fmt.Errorf("qrbill: customer number %d has more than %d digits", customer, QRRCustomerDigits)
	}
	if invoice > maxInvoice {
		return "", fmt.Errorf("qrbill: invoice number %d has more than %d digits", invoice, QRRInvoiceDigits)
	}
	if customer == 0 && invoice == 0 {
		return "", fmt.Errorf("qrbill: a QR reference of customer 0 and invoice 0 is all zeros")
	}
	body := fmt.Sprintf("%0*d%0*d", QRRCustomerDigits, customer, QRRInvoiceDigits, invoice)
	return body + string(mod10Check(body)), nil
}

// SplitQRR reads back the customer and invoice numbers of a reference
// made by BuildQRR (ok is false for an invalid reference).
func SplitQRR(ref string) (customer, invoice uint64, ok bool) {
	if !ValidQRR(ref) {
		return 0, 0, false
	}
	// Both parts are digits of bounded length: parsing cannot fail.
	customer, _ = strconv.ParseUint(ref[:QRRCustomerDigits], 10, 64)
	invoice, _ = strconv.ParseUint(ref[QRRCustomerDigits:QRRLength-1], 10, 64)
	return customer, invoice, true
}

// FormatQRR shows a QR reference as the slip does: two digits, then groups
// of five, "21 00000 00003 13947 14300 09017".
func FormatQRR(ref string) string {
	if len(ref) <= 2 {
		return ref
	}
	return ref[:2] + " " + groups(ref[2:], 5)
}

// SCOR references (ISO 11649).

// SCOR lengths: "RF", two check digits, 1 to 21 characters.
const (
	SCORMinLength = 5
	SCORMaxLength = 25
)

// checkSCOR returns the reason ref is not an ISO 11649 reference, or "".
func checkSCOR(ref string) string {
	switch {
	case len(ref) < SCORMinLength || len(ref) > SCORMaxLength:
		return "length"
	case ref[:2] != "RF" || !isDigits(ref[2:4]) || !isUpperAlnum(ref[4:]):
		return "characters"
	}
	if rem, ok := mod97(ref[4:] + ref[:4]); !ok || rem != 1 {
		return "checksum"
	}
	return ""
}

// ValidSCOR reports whether ref is an ISO 11649 creditor reference in
// electronic form (upper case, no spaces).
func ValidSCOR(ref string) bool { return checkSCOR(ref) == "" }

// BuildSCOR makes the ISO 11649 reference of a creditor's own reference
// (1 to 21 letters and digits; lower case is taken as upper case): "RF",
// the two check digits, the reference.
func BuildSCOR(ref string) (string, error) {
	ref = strings.ToUpper(ref)
	if len(ref) < 1 || len(ref) > SCORMaxLength-4 || !isUpperAlnum(ref) {
		return "", fmt.Errorf("qrbill: a creditor reference is 1 to %d letters and digits, not %q", SCORMaxLength-4, ref)
	}
	rem, _ := mod97(ref + "RF00")
	return fmt.Sprintf("RF%02d%s", 98-rem, ref), nil
}

// FormatSCOR shows a creditor reference in groups of four.
func FormatSCOR(ref string) string { return groups(ref, 4) }

// FormatReference shows a reference of the given type as the slip does.
func FormatReference(t ReferenceType, ref string) string {
	switch t {
	case QRR:
		return FormatQRR(ref)
	case SCOR:
		return FormatSCOR(ref)
	}
	return ref
}

// IBANProblem returns why iban (electronic form, see Compact) is not a CH
// or LI IBAN — "length", "country", "characters" or "checksum", the
// {reason} of CodeInvalidIBAN — or "" when it is one.
func IBANProblem(iban string) string { return checkIBAN(iban) }
