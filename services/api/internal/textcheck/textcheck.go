// Package textcheck is the api's one rule for the text it takes from a
// client: valid UTF-8 without control characters. PostgreSQL refuses NUL
// and invalid UTF-8 outright (a request carrying them used to end in a
// 500), and nobody means to send the other controls or Unicode's
// noncharacters; a client that does has a bug or is probing.
//
// The HTTP layer applies it to every query, path and header value and every
// string of a JSON body; the CSV importer to every cell. Length and
// one-line rules of single fields stay with the domain packages.
package textcheck

import (
	"unicode/utf8"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

// Problem is what is wrong with a text.
type Problem int

const (
	// OK is acceptable text.
	OK Problem = iota
	// InvalidUTF8 is a byte sequence that is not UTF-8 (also an escaped
	// lone surrogate in JSON, which is no character either).
	InvalidUTF8
	// ControlCharacter is a C0 or C1 control character (line breaks and
	// tabs aside where a text may have several lines) or a noncharacter
	// such as U+FFFE.
	ControlCharacter
)

// FieldError is the problem as the api reports it for a field (nothing for
// OK text).
func (p Problem) FieldError() (apperr.FieldError, bool) {
	switch p {
	case InvalidUTF8:
		return apperr.InvalidUTF8(), true
	case ControlCharacter:
		return apperr.ControlChar(), true
	}
	return apperr.FieldError{}, false
}

// Check returns the first problem of s. lines allows tab, line feed and
// carriage return, for text that may have several lines (a note, a cell);
// names, keys and the values of query parameters, paths and headers take
// none.
func Check(s string, lines bool) Problem {
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return InvalidUTF8
		}
		if !Allowed(r, lines) {
			return ControlCharacter
		}
		i += n
	}
	return OK
}

// Allowed tells whether the character r may appear in text (lines as in
// Check).
func Allowed(r rune, lines bool) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return lines
	case r < 0x20, r >= 0x7F && r <= 0x9F: // C0, DEL and C1
		return false
	case r >= 0xFDD0 && r <= 0xFDEF, r&0xFFFE == 0xFFFE: // noncharacters, U+FFFE and U+FFFF of every plane
		return false
	}
	return true
}
