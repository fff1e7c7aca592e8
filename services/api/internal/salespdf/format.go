package salespdf

import (
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/api/internal/money"
)

// Swiss formats, the same in both languages: a Swiss document written in
// English still shows 1'234.50 and 07.12.2026.

// group writes the digits of a non-negative number with an apostrophe
// between thousands: 1234567 → "1'234'567".
func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte('\'')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// formatAmount writes minor units with two decimals and the thousands
// separator: "1'234.50", "-0.05".
func formatAmount(a money.Amount) string {
	v := int64(a)
	sign := ""
	if v < 0 {
		sign = "-"
	}
	// Via uint64: the most negative int64 has no positive twin.
	u := uint64(v)
	if v < 0 {
		u = uint64(-(v + 1)) + 1
	}
	return sign + group(strconv.FormatUint(u/100, 10)) + "." + pad2(u%100)
}

func pad2(n uint64) string {
	if n < 10 {
		return "0" + strconv.FormatUint(n, 10)
	}
	return strconv.FormatUint(n, 10)
}

// formatQuantity writes a whole quantity with the thousands separator.
func formatQuantity(q int64) string {
	if q < 0 {
		return "-" + formatQuantity(-q)
	}
	return group(strconv.FormatInt(q, 10))
}

// formatRate writes basis points as a percentage with at least one
// decimal, as Swiss rates are written: 810 → "8.1 %", 260 → "2.6 %",
// 775 → "7.75 %", 0 → "0.0 %".
func formatRate(bp int) string {
	whole, frac := bp/100, bp%100
	s := strconv.Itoa(whole) + "."
	if frac%10 == 0 {
		s += strconv.Itoa(frac / 10)
	} else {
		s += pad2(uint64(frac))
	}
	return s + " %"
}

// formatDate writes a calendar day as dd.mm.yyyy. The day is taken as
// given (a document's day is a calendar day, not an instant to convert).
func formatDate(t time.Time) string { return t.Format("02.01.2006") }

// days counts the calendar days from one day to another.
func days(from, to time.Time) int {
	a := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC)
	b := time.Date(to.Year(), to.Month(), to.Day(), 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}
