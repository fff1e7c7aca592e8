package seed

import "fmt"

// gtins hands out GTINs as GS1 Switzerland would: each brand owner has a
// company prefix (76 and five digits here), and its items are numbered
// within it. A unit has a GTIN-13; its case the GTIN-14 with indicator 1
// over the same twelve digits.
type gtins struct {
	company map[string]int64 // brand → company number
	next    map[string]int64 // brand → next item reference
}

func newGTINs() *gtins {
	return &gtins{company: map[string]int64{}, next: map[string]int64{}}
}

// issue returns the unit GTIN-13 and case GTIN-14 of brand's next item.
func (g *gtins) issue(brand string) (unit, pack string) {
	c, ok := g.company[brand]
	if !ok {
		// 7919 is prime to 90,000: distinct brands get distinct numbers.
		c = 10_000 + int64(len(g.company))*7919%90_000
		g.company[brand] = c
	}
	ref := g.next[brand]
	g.next[brand]++
	body := fmt.Sprintf("76%05d%05d", c, ref)
	return withCheckDigit(body), withCheckDigit("1" + body)
}

// withCheckDigit appends the GS1 check digit to digits.
func withCheckDigit(digits string) string {
	return digits + string(rune('0'+gtinCheckDigit(digits)))
}

// gtinCheckDigit computes the GS1 check digit of the digits before it:
// from the right, weights 3, 1, 3, ...; the digit tops the sum up to a
// multiple of ten.
func gtinCheckDigit(digits string) int {
	sum := 0
	for i := len(digits) - 1; i >= 0; i-- {
		d := int(digits[i] - '0')
		if (len(digits)-1-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10 - sum%10) % 10
}
