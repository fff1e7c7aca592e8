// Package money holds amounts as integer minor units (Rappen, cents) and
// converts them to and from the decimal strings used on the wire. Floats
// never touch money.
package money

import (
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Amount is a sum in minor units: 1234.50 CHF is 123450.
type Amount int64

// Currencies accepted by the system.
const (
	CHF = "CHF"
	EUR = "EUR"
)

// MaxWholeDigits bounds the digits before the point of an amount (ten
// thousand billion), so that sums of realistic amounts stay far from the
// range of int64. The contract's Money pattern says the same (a test in
// httpapi compares them).
const MaxWholeDigits = 13

// errFormat reports a string that is not a decimal amount with at most two
// decimals.
func errFormat() error { return apperr.Amount(2, "12.50") }

// Parse reads "12", "12.5", "12.50", "-3.05". Thousands separators and more
// than two decimals are refused rather than guessed at.
func Parse(s string) (Amount, error) {
	s = strings.TrimSpace(s)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	if whole == "" || len(frac) > 2 || (hasDot && frac == "") || !digits(whole) || !digits(frac) || len(whole) > MaxWholeDigits {
		return 0, errFormat()
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, errFormat()
	}
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	a := Amount(w*100 + f)
	if neg {
		a = -a
	}
	return a, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// String formats with exactly two decimals: "1234.50".
func (a Amount) String() string {
	// Appended by hand: a list of invoices formats hundreds of amounts,
	// and fmt.Sprintf was a twentieth of the api's time on one.
	v := int64(a)
	b := make([]byte, 0, 24)
	if v < 0 {
		b, v = append(b, '-'), -v
	}
	b = strconv.AppendInt(b, v/100, 10)
	cents := v % 100
	b = append(b, '.', byte('0'+cents/10), byte('0'+cents%10))
	return string(b)
}

// Round5 rounds to the nearest 0.05 (Swiss cash rounding), halves away from zero.
func (a Amount) Round5() Amount {
	v := int64(a)
	neg := v < 0
	if neg {
		v = -v
	}
	v = (v + 2) / 5 * 5
	if neg {
		v = -v
	}
	return Amount(v)
}
