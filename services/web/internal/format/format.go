// Package format writes numbers, money, quantities, dates and times the Swiss
// way, for pages in either language.
//
// Decision: numbers use the Swiss grouping in both languages — the right
// single quotation mark U+2019 every three digits and a point before the
// decimals (1’234.50) — because the depot, its invoices and its people are
// Swiss, and a figure read out from an English screen must look the same on a
// German one. Dates are dd.mm.yyyy and times 24-hour hh:mm, in the
// organisation's time zone (Europe/Zurich), in both languages too. Only words
// ("today", "yesterday") change with the language.
package format

import (
	"strconv"
	"strings"
	"time"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// Group is the digit grouping mark: U+2019 RIGHT SINGLE QUOTATION MARK.
const Group = "’"

// Zone is the organisation's time zone. The binary embeds the time zone
// database (time/tzdata in main), so it loads on images without one.
const Zone = "Europe/Zurich"

// Formatter formats for one request: its language, the time zone, and the
// moment the page is made (so "today" means the same on the whole page).
type Formatter struct {
	Lang i18n.Lang
	Loc  *time.Location
	Now  time.Time
}

// New returns a formatter for lang in loc at now.
func New(lang i18n.Lang, loc *time.Location, now time.Time) Formatter {
	return Formatter{Lang: lang, Loc: loc, Now: now}
}

// Int writes n with grouping: 1’234’567, -1’234.
func (Formatter) Int(n int64) string {
	return Int(n)
}

// Int writes n with grouping: 1’234’567, -1’234.
func Int(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	return sign + group(s)
}

// Bytes writes a size as people read it: in MB or KB when it is a whole
// number of them (counted in 1024s, as the servers' size settings are),
// else in bytes: 5 MB, 640 KB, 1’500 B.
func (Formatter) Bytes(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return Int(n>>20) + " MB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return Int(n>>10) + " KB"
	}
	return Int(n) + " B"
}

// group inserts the grouping mark into a string of digits.
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
			b.WriteString(Group)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Decimal groups the whole part of a decimal string as the api sends it
// ("1234.5" → "1’234.5"). Anything that is not a plain decimal is returned
// unchanged: a page must never hide or alter a value it does not understand.
func (Formatter) Decimal(s string) string {
	whole, frac, ok := splitDecimal(s)
	if !ok {
		return s
	}
	out := group(strings.TrimPrefix(whole, "-"))
	if strings.HasPrefix(whole, "-") {
		out = "-" + out
	}
	if frac != "" {
		out += "." + frac
	}
	return out
}

// Amount writes a money amount with exactly two decimals: "1234.5" →
// "1’234.50". A value with more decimals, or not a decimal, is returned
// unchanged rather than rounded.
func (f Formatter) Amount(s string) string {
	whole, frac, ok := splitDecimal(s)
	if !ok || len(frac) > 2 {
		return s
	}
	frac += strings.Repeat("0", 2-len(frac))
	return f.Decimal(whole + "." + frac)
}

// Money writes an amount with its currency first, as Swiss invoices do:
// "CHF 1’234.50".
func (f Formatter) Money(amount, currency string) string {
	if currency == "" {
		return f.Amount(amount)
	}
	return currency + " " + f.Amount(amount)
}

// Quantity writes a count with its unit, in the plural unless the count
// is one: "1’234 bottles", "1 Flasche", "48 Flaschen". The unit's name is
// the caller's (translated) word or the item's own; i18n.UnitPlural knows
// the trade's words, and leaves others (and plurals) as they are.
func (Formatter) Quantity(n int64, unit string) string {
	if unit == "" {
		return Int(n)
	}
	if n != 1 && n != -1 {
		unit = i18n.UnitPlural(unit)
	}
	return Int(n) + " " + unit
}

// Percent writes a percentage from its decimal string: "8.1" → "8.1 %".
func (f Formatter) Percent(s string) string {
	return f.Decimal(s) + " %"
}

func splitDecimal(s string) (whole, frac string, ok bool) {
	whole, frac, _ = strings.Cut(s, ".")
	digits := strings.TrimPrefix(whole, "-")
	if digits == "" || !allDigits(digits) || !allDigits(frac) || strings.HasSuffix(s, ".") {
		return "", "", false
	}
	return whole, frac, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Date writes the calendar day of t in the organisation's zone: 02.01.2006.
func (f Formatter) Date(t time.Time) string {
	return t.In(f.Loc).Format("02.01.2006")
}

// Time writes the time of day of t in the organisation's zone: 15:04.
func (f Formatter) Time(t time.Time) string {
	return t.In(f.Loc).Format("15:04")
}

// DateTime writes day and time: 02.01.2006 15:04.
func (f Formatter) DateTime(t time.Time) string {
	return t.In(f.Loc).Format("02.01.2006 15:04")
}

// When writes a moment relative to the page's now where that reads better:
// "today 14:05", "yesterday 09:10", otherwise the date and time. Days are
// the organisation's calendar days, not 24-hour spans.
func (f Formatter) When(t time.Time) string {
	m := i18n.For(f.Lang)
	switch f.daysAgo(t) {
	case 0:
		return m.Today + " " + f.Time(t)
	case 1:
		return m.Yesterday + " " + f.Time(t)
	default:
		return f.DateTime(t)
	}
}

// daysAgo counts calendar days from t to now in the organisation's zone.
func (f Formatter) daysAgo(t time.Time) int {
	y1, m1, d1 := t.In(f.Loc).Date()
	y2, m2, d2 := f.Now.In(f.Loc).Date()
	a := time.Date(y1, m1, d1, 0, 0, 0, 0, time.UTC)
	b := time.Date(y2, m2, d2, 0, 0, 0, 0, time.UTC)
	return int(b.Sub(a).Hours() / 24)
}

// DateValue writes t as the value of an <input type="date">: 2006-01-02.
func (f Formatter) DateValue(t time.Time) string {
	return t.In(f.Loc).Format("2006-01-02")
}

// ParseDateValue reads an <input type="date"> value (2006-01-02) or a Swiss
// date (02.01.2006, 2.1.2006) as the start of that day in the organisation's
// zone.
func (f Formatter) ParseDateValue(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	t, err := time.ParseInLocation("2006-01-02", s, f.Loc)
	if err == nil {
		return t, nil
	}
	if t, err2 := time.ParseInLocation("2.1.2006", s, f.Loc); err2 == nil {
		return t, nil
	}
	return time.Time{}, err
}

// NormalizeDecimal turns what a person types into a number field into the
// api's decimal form: grouping marks (’ ' and spaces) are dropped, and a
// single comma is read as the decimal point ("1’234,50" → "1234.50"). It
// reports false when the result is not a plain decimal, so the form can say
// so before asking the api.
func NormalizeDecimal(input string) (string, bool) {
	s := strings.TrimSpace(input)
	s = strings.NewReplacer("’", "", "'", "", " ", "", "\u00a0", "", "\u202f", "").Replace(s)
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	if _, _, ok := splitDecimal(s); !ok {
		return "", false
	}
	return s, true
}
