package password

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/google/go-cmp/cmp"
)

func TestCheck(t *testing.T) {
	const email, name = "Anna.Muster+depotix@example.ch", "Anna Muster"
	tests := []struct {
		name    string
		plain   string
		related []string
		want    apperr.FieldCode // "" = accepted
	}{
		{"passphrase", "correct horse battery staple", []string{email, name}, ""},
		{"exactly 10 characters", "Zq8!mT3#pL", nil, ""},
		{"9 characters", "Zq8!mT3#p", nil, apperr.FieldTooShort},
		{"empty", "", nil, apperr.FieldTooShort},
		{"10 unicode characters, 20 bytes", "ŁódźKraków", nil, ""},
		{"unicode counted in characters not bytes", "Łódź-Kr", nil, apperr.FieldTooShort},
		// "e" + combining acute is two code points but one character: after
		// NFC this is 9 characters, so too short although it has 11 code points.
		{"NFD input counted after NFC", "cafe\u0301cafe\u0301x", nil, apperr.FieldTooShort},
		{"256 bytes", strings.Repeat("Depotix-", 32), nil, ""},
		{"257 bytes", strings.Repeat("Depotix-", 32) + "!", nil, apperr.FieldTooManyBytes},
		{"86 characters, 258 bytes", strings.Repeat("€", 86), nil, apperr.FieldTooManyBytes},
		{"NUL byte", "valid\x00password123", nil, apperr.FieldControlChar},
		{"newline", "line\nbreak-password", nil, apperr.FieldControlChar},
		{"invalid UTF-8", "abc\xffdefghijk", nil, apperr.FieldInvalidUTF8},
		{"repeated character", "aaaaaaaaaa", nil, apperr.FieldPasswordTrivial},
		{"repeated unicode character", "ääääääääääää", nil, apperr.FieldPasswordTrivial},
		{"repeated pair", "abababababab", nil, apperr.FieldPasswordTrivial},
		{"repeated four", "ab1!ab1!ab1!a", nil, apperr.FieldPasswordTrivial},
		{"five-character unit is not trivial", "ab1!Xab1!Xab1!X", nil, ""},
		{"digit run", "1234567890", nil, apperr.FieldPasswordTrivial},
		{"digit run wrapping", "7890123456", nil, apperr.FieldPasswordTrivial},
		{"descending digits", "0987654321", nil, apperr.FieldPasswordTrivial},
		{"letter run", "abcdefghij", nil, apperr.FieldPasswordTrivial},
		{"letter run upper case", "ABCDEFGHIJKL", nil, apperr.FieldPasswordTrivial},
		{"descending letters", "zyxwvutsrq", nil, apperr.FieldPasswordTrivial},
		{"common", "password123", nil, apperr.FieldPasswordCommon},
		{"common, other case", "PassWord1234", nil, apperr.FieldPasswordCommon},
		{"common keyboard walk", "qwertyuiop", nil, apperr.FieldPasswordCommon},
		{"common with digits", "1q2w3e4r5t", nil, apperr.FieldPasswordCommon},
		{"contains email local part", "my-anna-secret-2024", []string{email}, apperr.FieldPasswordPersonal},
		{"contains a part of the local part", "muster!Zq8mT3pL", []string{email}, apperr.FieldPasswordPersonal},
		{"contains the name, other case", "ANNAMUSTER-zq8", []string{name}, apperr.FieldPasswordPersonal},
		{"email domain is not personal", "example-zq8!mT3", []string{email}, ""},
		{"unicode name", "Yılmaz-und-Co-42", []string{"Ümit Yılmaz"}, apperr.FieldPasswordPersonal},
		{"name given in NFD matches NFC password", "x-no\u00eblle-2024", []string{"Noe\u0308lle Keller"}, apperr.FieldPasswordPersonal},
		{"password given in NFD matches NFC name", "x-noe\u0308lle-2024", []string{"No\u00eblle Keller"}, apperr.FieldPasswordPersonal},
		{"short name parts are ignored", "a-lion-in-the-wu-tang", []string{"Li Wu"}, ""},
		{"short name parts joined", "liwu-secret-99", []string{"Li Wu"}, apperr.FieldPasswordPersonal},
		{"empty related inputs", "Zq8!mT3#pL", []string{"", "@", "  "}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Check(tt.plain, tt.related...)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Check(%q) = %v, want nil", tt.plain, err)
				}
				return
			}
			e, ok := apperr.As(err)
			if !ok {
				t.Fatalf("Check(%q) = %v, want an *apperr.Error", tt.plain, err)
			}
			if e.Code != apperr.CodeValidation || e.Message != "password does not meet the requirements" || len(e.Fields) != 1 {
				t.Fatalf("Check(%q) = %v", tt.plain, e)
			}
			if got := e.Fields["password"].Code; got != tt.want {
				t.Errorf("Check(%q): code %s, want %s", tt.plain, got, tt.want)
			}
		})
	}
}

// The limits reach clients as parameters, not only in the English text.
func TestProblemsCarryTheLimits(t *testing.T) {
	for plain, want := range map[string]apperr.FieldError{
		"short":                 apperr.TooShort(MinLength),
		strings.Repeat("€", 86): apperr.TooManyBytes(MaxBytes),
	} {
		e, _ := apperr.As(Check(plain))
		if diff := cmp.Diff(want, e.Fields["password"]); diff != "" {
			t.Errorf("Check(%q) (-want +got):\n%s", plain, diff)
		}
	}
}

func TestCommonPasswordList(t *testing.T) {
	set := commonPasswords()
	if len(set) < 10_000 {
		t.Fatalf("common password list has %d entries, want at least 10,000", len(set))
	}
	for _, pw := range []string{"123456", "password", "qwerty", "iloveyou", "password123", "football123"} {
		if !isCommon(pw) {
			t.Errorf("isCommon(%q) = false, want true", pw)
		}
	}
	if isCommon("Z9!kq-depotix-unlikely") {
		t.Errorf("isCommon found an unlikely password")
	}

	// The file itself: one lowercase entry per line, no blanks, no duplicates,
	// most common first.
	r, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(r)
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(lines) != len(set) {
		t.Errorf("%d lines but %d distinct entries: blanks or duplicates", len(lines), len(set))
	}
	for i, l := range lines {
		if l == "" || l != strings.ToLower(l) || strings.TrimSpace(l) != l {
			t.Errorf("line %d %q: want a non-empty lowercase entry without surrounding space", i+1, l)
		}
	}
	if diff := cmp.Diff([]string{"123456", "password", "12345678"}, lines[:3]); diff != "" {
		t.Errorf("list does not start with the most common passwords (-want +got):\n%s", diff)
	}
}

func TestLoadListRejectsCorruptData(t *testing.T) {
	if _, err := loadList([]byte("not gzip")); err == nil {
		t.Error("loadList(not gzip) succeeded, want an error")
	}
}

func BenchmarkCheck(b *testing.B) {
	commonPasswords() // load outside the timing
	for b.Loop() {
		_ = Check("correct horse battery staple", "anna.muster@example.ch", "Anna Muster")
	}
}
