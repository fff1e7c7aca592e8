package password

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"golang.org/x/text/unicode/norm"
)

// Limits of the password policy. Length is counted in characters (Unicode
// code points after NFC normalisation, so "é" typed as e + combining accent
// counts once, as it looks); the upper bound is in bytes because it exists to
// bound hashing input and request size, not to constrain people.
const (
	MinLength = 10
	MaxBytes  = 256
	// minRelatedLength is the shortest name or email part Check looks for in
	// a password: shorter ones ("li", "jo") occur by chance.
	minRelatedLength = 4
	// maxPatternLength is the longest unit whose repetition ("abcabcabca")
	// counts as a trivial password.
	maxPatternLength = 4
)

// Check reports problems under the "password" field with these codes:
// too_short {min}, too_many_bytes {max}, invalid_utf8, control_character,
// password_trivial, password_common and password_personal.
const (
	policyMessage   = "password does not meet the requirements"
	policyFieldName = "password"
)

// Check reports whether plain is acceptable as a new password. related are
// the account's other inputs (email address, name); a password containing one
// of them, or a part of one of at least 4 characters, is refused. The error
// is an *apperr.Error with code validation_failed and the problem under
// Fields["password"]; nil means acceptable.
func Check(plain string, related ...string) error {
	if problem, bad := reject(plain, related); bad {
		return apperr.FieldProblem(policyMessage, policyFieldName, problem)
	}
	return nil
}

func reject(plain string, related []string) (apperr.FieldError, bool) {
	if !utf8.ValidString(plain) {
		return apperr.InvalidUTF8(), true
	}
	pw := norm.NFC.String(plain)
	switch {
	case utf8.RuneCountInString(pw) < MinLength:
		return apperr.TooShort(MinLength), true
	case len(pw) > MaxBytes:
		return apperr.TooManyBytes(MaxBytes), true
	case strings.IndexFunc(pw, unicode.IsControl) >= 0:
		return apperr.ControlChar(), true
	}
	lower := strings.ToLower(pw)
	switch {
	case isTrivial([]rune(lower)):
		return apperr.FieldError{Code: apperr.FieldPasswordTrivial, Message: "must not be a repeated character or a simple sequence"}, true
	case isCommon(lower):
		return apperr.FieldError{Code: apperr.FieldPasswordCommon, Message: "is too common"}, true
	case containsRelated(lower, related):
		return apperr.FieldError{Code: apperr.FieldPasswordPersonal, Message: "must not contain your name or email"}, true
	}
	return apperr.FieldError{}, false
}

// isTrivial reports a password made of one short unit repeated
// ("aaaaaaaaaa", "abababababab") or a run of consecutive characters in
// either direction ("abcdefghij", "0987654321"); digits wrap around, so
// "1234567890" is a run.
func isTrivial(r []rune) bool {
	for k := 1; k <= maxPatternLength && k < len(r); k++ {
		if repeats(r, k) {
			return true
		}
	}
	return isRun(r, nextRune) || isRun(r, prevRune)
}

func repeats(r []rune, period int) bool {
	for i := period; i < len(r); i++ {
		if r[i] != r[i-period] {
			return false
		}
	}
	return true
}

func isRun(r []rune, step func(rune) rune) bool {
	for i := 1; i < len(r); i++ {
		if r[i] != step(r[i-1]) {
			return false
		}
	}
	return true
}

func nextRune(c rune) rune {
	if c == '9' {
		return '0'
	}
	return c + 1
}

func prevRune(c rune) rune {
	if c == '0' {
		return '9'
	}
	return c - 1
}

// containsRelated reports whether lower contains any of related, whole or in
// parts: for "Anna-Lena Muster" it looks for "annalenamuster", "anna",
// "lena" and "muster"; for an email address, the same on its local part.
func containsRelated(lower string, related []string) bool {
	for _, rel := range related {
		for _, tok := range relatedTokens(rel) {
			if strings.Contains(lower, tok) {
				return true
			}
		}
	}
	return false
}

func relatedTokens(s string) []string {
	s = strings.ToLower(norm.NFC.String(s))
	if at := strings.LastIndexByte(s, '@'); at >= 0 {
		s = s[:at]
	}
	parts := strings.FieldsFunc(s, func(c rune) bool { return !unicode.IsLetter(c) && !unicode.IsDigit(c) })
	var toks []string
	for _, p := range append(parts, strings.Join(parts, "")) {
		if utf8.RuneCountInString(p) >= minRelatedLength {
			toks = append(toks, p)
		}
	}
	return toks
}
