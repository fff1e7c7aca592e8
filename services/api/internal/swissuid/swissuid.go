// Package swissuid checks the Swiss business identification number (UID,
// "CHE-123.456.789") and the VAT number built on it ("CHE-123.456.789
// MWST"), which the company profile prints on every invoice.
package swissuid

import (
	"errors"
	"fmt"
	"strings"
)

// Suffixes of a VAT number in the three official languages.
var vatSuffixes = []string{"MWST", "TVA", "IVA"}

// weights of the first eight digits for the modulo-11 check digit.
var weights = [8]int{5, 4, 3, 2, 7, 6, 5, 4}

// Errors of Parse, so a caller can map each to a field code.
var (
	ErrFormat   = errors.New("swissuid: not of the form CHE-123.456.789 with an optional MWST, TVA or IVA")
	ErrChecksum = errors.New("swissuid: check digit does not match")
)

// UID is a checked number: its nine digits and the VAT suffix, if any.
type UID struct {
	Digits string // nine digits, the last the check digit
	Suffix string // "", "MWST", "TVA" or "IVA"
}

// String writes the official form: "CHE-123.456.789" or
// "CHE-123.456.789 MWST".
func (u UID) String() string {
	s := "CHE-" + u.Digits[0:3] + "." + u.Digits[3:6] + "." + u.Digits[6:9]
	if u.Suffix != "" {
		s += " " + u.Suffix
	}
	return s
}

// CheckDigit computes the check digit of the first eight digits. ok is
// false when the remainder gives 10: such numbers are never assigned.
func CheckDigit(eight string) (digit byte, ok bool) {
	if len(eight) != 8 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 8; i++ {
		c := eight[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		sum += int(c-'0') * weights[i]
	}
	check := (11 - sum%11) % 11
	if check == 10 {
		return 0, false
	}
	return byte('0' + check), true
}

// Parse reads a UID or VAT number. It accepts the official form and the
// same with the dots, the hyphen or the space before the suffix left out
// ("CHE123456789MWST"); anything else is ErrFormat, and a wrong check
// digit ErrChecksum.
func Parse(s string) (UID, error) {
	s = strings.TrimSpace(s)
	rest, ok := strings.CutPrefix(s, "CHE")
	if !ok {
		return UID{}, ErrFormat
	}
	var u UID
	for _, suf := range vatSuffixes {
		if r, ok := strings.CutSuffix(rest, suf); ok {
			u.Suffix, rest = suf, strings.TrimSuffix(r, " ")
			break
		}
	}
	rest = strings.TrimPrefix(rest, "-")
	var digits strings.Builder
	for i, c := range rest {
		switch {
		case c >= '0' && c <= '9':
			digits.WriteRune(c)
		case c == '.' && (i == 3 || i == 7):
			// only where the official form puts them
		default:
			return UID{}, ErrFormat
		}
	}
	u.Digits = digits.String()
	if len(u.Digits) != 9 || (strings.Contains(rest, ".") && len(rest) != 11) {
		return UID{}, ErrFormat
	}
	check, ok := CheckDigit(u.Digits[:8])
	if !ok || check != u.Digits[8] {
		return UID{}, fmt.Errorf("%w: %s", ErrChecksum, s)
	}
	return u, nil
}
