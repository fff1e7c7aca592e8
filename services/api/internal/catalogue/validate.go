package catalogue

import (
	"fmt"
	"net/mail"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

// problems collects one message per offending field (the first found wins).
type problems map[string]string

func (p problems) add(field, msg string) {
	if _, ok := p[field]; !ok {
		p[field] = msg
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return apperr.Validation("Check the marked fields.", p)
}

// line checks a one-line text field's length in characters; min 1 makes it
// required. Control characters (line breaks too) are refused.
func (p problems) line(field, v string, min, max int) {
	p.length(field, v, min, max, unicode.IsControl)
}

// text is line for multi-line fields: line breaks and tabs are allowed.
func (p problems) text(field, v string, min, max int) {
	p.length(field, v, min, max, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t' })
}

func (p problems) length(field, v string, min, max int, bad func(rune) bool) {
	n := utf8.RuneCountInString(v)
	switch {
	case n == 0 && min > 0:
		p.add(field, "is required")
	case n > max:
		p.add(field, fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(v, bad):
		p.add(field, "must not contain control characters")
	}
}

// code checks an identifier people type or scan (SKU, location code): no
// spaces or control characters, at most max characters.
func (p problems) code(field, v string, max int) {
	switch {
	case v == "":
		p.add(field, "is required")
	case utf8.RuneCountInString(v) > max:
		p.add(field, fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }):
		p.add(field, "must not contain spaces")
	}
}

func (p problems) intRange(field string, v, min, max int64) {
	if v < min || v > max {
		p.add(field, fmt.Sprintf("must be between %d and %d", min, max))
	}
}

func (p problems) amount(field string, a *money.Amount) {
	if a != nil && *a < 0 {
		p.add(field, "must not be negative")
	}
}

func (p problems) currency(field, v string) {
	if v != money.CHF && v != money.EUR {
		p.add(field, "must be CHF or EUR")
	}
}

func (p problems) country(field, v string) {
	if !ValidCountry(v) {
		p.add(field, "must be an ISO 3166 two-letter country code such as CH")
	}
}

func (p problems) email(field, v string) {
	if v == "" {
		return
	}
	p.line(field, v, 0, 254)
	// ParseAddress also accepts "Name <a@b>"; only the bare address is wanted.
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		p.add(field, "must be an e-mail address such as name@example.ch")
	}
}

func (p problems) phone(field, v string) {
	if v == "" {
		return
	}
	p.line(field, v, 0, 30)
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()/.", r):
		default:
			p.add(field, "may contain only digits, spaces and + - ( ) / .")
			return
		}
	}
	if digits < 3 {
		p.add(field, "must be a phone number")
	}
}

// trim trims every string a pointer in ss points to.
func trim(ss ...*string) {
	for _, s := range ss {
		*s = strings.TrimSpace(*s)
	}
}

// trimOrNil trims the optional strings and turns empty ones into nil, so a
// form's empty field means "none".
func trimOrNil(ss ...**string) {
	for _, s := range ss {
		if *s == nil {
			continue
		}
		v := strings.TrimSpace(**s)
		if v == "" {
			*s = nil
			continue
		}
		*s = &v
	}
}

// upperOr upper-cases s, or sets it to def when empty.
func upperOr(s *string, def string) {
	*s = strings.ToUpper(strings.TrimSpace(*s))
	if *s == "" {
		*s = def
	}
}
