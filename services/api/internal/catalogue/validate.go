package catalogue

import (
	"net/mail"
	"strings"
	"unicode"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

// The catalogue's own checks, on the api's one collector of field problems
// (apperr.Problems; the first problem found for a field wins).

// checkCode checks an identifier people type or scan (SKU, location code):
// no spaces or control characters, at most max characters.
func checkCode(p apperr.Problems, field, v string, max int) {
	p.Line(field, v, 1, max)
	if strings.ContainsFunc(v, unicode.IsSpace) {
		p.Add(field, apperr.ContainsSpaces())
	}
}

func checkAmount(p apperr.Problems, field string, a *money.Amount) {
	if a != nil && *a < 0 {
		p.Add(field, apperr.TooSmall(0))
	}
}

func checkCurrency(p apperr.Problems, field, v string) {
	if v != money.CHF && v != money.EUR {
		p.Add(field, apperr.NotAllowed(money.CHF, money.EUR))
	}
}

func checkCountry(p apperr.Problems, field, v string) {
	if !ValidCountry(v) {
		p.Add(field, apperr.FieldError{Code: apperr.FieldCountry, Message: "must be an ISO 3166 two-letter country code such as CH"})
	}
}

func checkEmail(p apperr.Problems, field, v string) {
	if v == "" {
		return
	}
	p.Line(field, v, 0, MaxEmail)
	// ParseAddress also accepts "Name <a@b>"; only the bare address is wanted.
	a, err := mail.ParseAddress(v)
	if err != nil || a.Address != v || !strings.Contains(v[strings.LastIndexByte(v, '@')+1:], ".") {
		p.Add(field, apperr.FieldError{Code: apperr.FieldEmail, Message: "must be an e-mail address such as name@example.ch"})
	}
}

func checkPhone(p apperr.Problems, field, v string) {
	if v == "" {
		return
	}
	p.Line(field, v, 0, MaxPhone)
	digits := 0
	for _, r := range v {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +-()/.", r):
		default:
			p.Add(field, apperr.FieldError{Code: apperr.FieldPhone, Message: "may contain only digits, spaces and + - ( ) / ."})
			return
		}
	}
	if digits < 3 {
		p.Add(field, apperr.FieldError{Code: apperr.FieldPhone, Message: "must be a phone number"})
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
