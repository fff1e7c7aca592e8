package catalogue

// ValidGTIN reports whether s is a GTIN-8, GTIN-12 (UPC-A), GTIN-13 (EAN) or
// GTIN-14 of digits only whose last digit is the right check digit.
func ValidGTIN(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s[len(s)-1]-'0' == gtinCheckDigit(s[:len(s)-1])
}

// gtinCheckDigit computes the GS1 mod-10 check digit of body (all digits):
// weights 3 and 1 alternate from the rightmost digit, which weighs 3, so the
// same rule serves every length.
func gtinCheckDigit(body string) byte {
	sum := 0
	for i := len(body) - 1; i >= 0; i-- {
		d := int(body[i] - '0')
		if (len(body)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return byte((10 - sum%10) % 10)
}
