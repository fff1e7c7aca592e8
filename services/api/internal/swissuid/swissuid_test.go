package swissuid

import (
	"errors"
	"testing"
)

func TestParse(t *testing.T) {
	valid := []struct{ in, want string }{
		{"CHE-116.281.710", "CHE-116.281.710"}, // the example of the UID register's documentation
		{"CHE-116.281.710 MWST", "CHE-116.281.710 MWST"},
		{"CHE-116.281.710 TVA", "CHE-116.281.710 TVA"},
		{"CHE-116.281.710 IVA", "CHE-116.281.710 IVA"},
		{"CHE116281710MWST", "CHE-116.281.710 MWST"},
		{"CHE-116281710", "CHE-116.281.710"},
		{" CHE-123.456.788 ", "CHE-123.456.788"}, // 1·5+2·4+3·3+4·2+5·7+6·6+7·5+8·4 = 168; 11 − 168 mod 11 = 8
		{"CHE-100.000.006", "CHE-100.000.006"},
	}
	for _, tt := range valid {
		u, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := u.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	invalid := []struct {
		in   string
		want error
	}{
		{"CHE-116.281.711", ErrChecksum},
		{"CHE-123.456.789", ErrChecksum},
		{"CHE-100.000.04X", ErrFormat},
		{"CHE-100.000.160", ErrChecksum}, // remainder 10: never assigned
		{"CHE-116.281.71", ErrFormat},
		{"CHE-116.281.7100", ErrFormat},
		{"CHE-1162.81.710", ErrFormat},
		{"CHE-116.281710", ErrFormat},
		{"che-116.281.710", ErrFormat},
		{"DE-116.281.710", ErrFormat},
		{"CHE-116.281.710 VAT", ErrFormat},
		{"CHE-116.281.710 mwst", ErrFormat},
		{"", ErrFormat},
	}
	for _, tt := range invalid {
		if _, err := Parse(tt.in); !errors.Is(err, tt.want) {
			t.Errorf("Parse(%q) = %v, want %v", tt.in, err, tt.want)
		}
	}
}

func TestCheckDigit(t *testing.T) {
	if d, ok := CheckDigit("11628171"); !ok || d != '0' {
		t.Errorf("CheckDigit(11628171) = %c, %v", d, ok)
	}
	if _, ok := CheckDigit("10000016"); ok {
		t.Error("remainder 10 must have no check digit")
	}
	if _, ok := CheckDigit("1234567"); ok {
		t.Error("seven digits accepted")
	}
}
