package catalogue

import "testing"

func TestValidGTIN(t *testing.T) {
	for _, tc := range []struct {
		code string
		want bool
	}{
		{"96385074", true},        // GTIN-8, GS1's example
		{"96385070", false},       // wrong check digit
		{"12345670", true},        // GTIN-8
		{"036000291452", true},    // GTIN-12 (UPC-A)
		{"036000291453", false},   // wrong check digit
		{"4006381333931", true},   // GTIN-13
		{"4006381333932", false},  // wrong check digit
		{"7610029000009", true},   // GTIN-13, Swiss prefix
		{"7610029000000", false},  // wrong check digit
		{"10614141000415", true},  // GTIN-14
		{"10614141000416", false}, // wrong check digit
		{"00012345600012", true},  // GTIN-14 with leading zeros
		{"", false},
		{"1234567", false},         // 7 digits
		{"40063813339", false},     // 11 digits
		{"100614141000415", false}, // 15 digits
		{"400638133393A", false},   // letter
		{"4006381 33931", false},   // space
		{"-006381333931", false},
	} {
		if got := ValidGTIN(tc.code); got != tc.want {
			t.Errorf("ValidGTIN(%q) = %v, want %v", tc.code, got, tc.want)
		}
	}
}
