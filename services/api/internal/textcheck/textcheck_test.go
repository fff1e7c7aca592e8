package textcheck

import (
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
)

func TestCheck(t *testing.T) {
	tests := []struct {
		name  string
		s     string
		lines bool
		want  Problem
	}{
		{"empty", "", false, OK},
		{"German and emoji", "Grüezi Älplermagronen 🍺", false, OK},
		{"a replacement character sent as such", "a\uFFFDb", false, OK},
		{"private use and format characters", "\uE000\u200B\u00AD", false, OK},
		{"highest character", "\U0010FFFD", false, OK},
		{"NUL", "a\x00b", true, ControlCharacter},
		{"escape", "a\x1bb", true, ControlCharacter},
		{"DEL", "a\x7fb", true, ControlCharacter},
		{"C1 next line", "a\u0085b", true, ControlCharacter},
		{"C1 last", "a\u009fb", true, ControlCharacter},
		{"U+FFFE", "a\uFFFEb", true, ControlCharacter},
		{"U+FFFF", "a\uFFFFb", true, ControlCharacter},
		{"plane 16 noncharacter", "a\U0010FFFFb", true, ControlCharacter},
		{"Arabic noncharacter block", "a\uFDD0b", true, ControlCharacter},
		{"line breaks and tab in a note", "one\r\ntwo\tthree\n", true, OK},
		{"line break in a name", "one\ntwo", false, ControlCharacter},
		{"tab in a name", "one\ttwo", false, ControlCharacter},
		{"lone byte", "a\xffb", true, InvalidUTF8},
		{"cut sequence", "a\xc3", true, InvalidUTF8},
		{"overlong slash", "\xc0\xaf", true, InvalidUTF8},
		{"encoded surrogate", "\xed\xa0\x80", true, InvalidUTF8},
		{"first problem wins", "\xff\x00", true, InvalidUTF8},
	}
	for _, tt := range tests {
		if got := Check(tt.s, tt.lines); got != tt.want {
			t.Errorf("%s: Check(%q, %v) = %v, want %v", tt.name, tt.s, tt.lines, got, tt.want)
		}
	}
}

func TestFieldErrors(t *testing.T) {
	for p, want := range map[Problem]apperr.FieldCode{InvalidUTF8: apperr.FieldInvalidUTF8, ControlCharacter: apperr.FieldControlChar} {
		if e, bad := p.FieldError(); !bad || e.Code != want || e.Message == "" {
			t.Errorf("%v: field error %+v, %v; want code %s with a message", p, e, bad, want)
		}
	}
	if _, bad := OK.FieldError(); bad {
		t.Error("OK text has a field error")
	}
}
