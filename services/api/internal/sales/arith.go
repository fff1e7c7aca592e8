package sales

import (
	"math"
	"math/big"

	"github.com/depotix/depotix/services/api/internal/money"
)

// maxAmount is the largest magnitude of an amount in minor units:
// money.MaxWholeDigits digits before the point and two after. Every
// product and sum is checked against it, so no computation wraps around.
var maxAmount = func() money.Amount {
	v := int64(1)
	for range money.MaxWholeDigits + 2 {
		v *= 10
	}
	return money.Amount(v - 1)
}()

// inRange reports whether a is an amount the system can hold.
func inRange(a money.Amount) bool { return a >= -maxAmount && a <= maxAmount }

// mulAmount is q × a, false when it overflows int64 or maxAmount.
func mulAmount(q int64, a money.Amount) (money.Amount, bool) {
	if q == 0 || a == 0 {
		return 0, true
	}
	p := q * int64(a)
	if p/q != int64(a) || (q == -1 && int64(a) == math.MinInt64) || (int64(a) == -1 && q == math.MinInt64) {
		return 0, false
	}
	return money.Amount(p), inRange(money.Amount(p))
}

// addAmount is a + b, false out of range (both are in range, so the int64
// sum itself cannot wrap).
func addAmount(a, b money.Amount) (money.Amount, bool) {
	s := a + b
	return s, inRange(a) && inRange(b) && inRange(s)
}

// mulInt is a × b for quantities, false when it overflows int64.
func mulInt(a, b int64) (int64, bool) {
	if a == 0 || b == 0 {
		return 0, true
	}
	p := a * b
	if p/b != a || (a == -1 && b == math.MinInt64) || (b == -1 && a == math.MinInt64) {
		return 0, false
	}
	return p, true
}

// VATOf is the VAT at rateBP basis points on base, rounded to the minor
// unit half away from zero: 0.405 → 0.41, −0.405 → −0.41. The product is
// exact (big integers), so no rate or base can overflow it.
func VATOf(base money.Amount, rateBP int) money.Amount {
	return money.Amount(divRound(big.NewInt(int64(base)), int64(rateBP), 10_000))
}

// divRound is x × m / d rounded half away from zero (d > 0). The result
// fits int64 for every |x| ≤ maxAmount and 0 ≤ m ≤ d.
func divRound(x *big.Int, m, d int64) int64 {
	n := new(big.Int).Mul(x, big.NewInt(m))
	neg := n.Sign() < 0
	n.Abs(n)
	n.Mul(n, big.NewInt(2))
	n.Add(n, big.NewInt(d))
	n.Quo(n, big.NewInt(2*d)) // floor((2|n| + d) / 2d) = round half up of |n|/d
	if neg {
		n.Neg(n)
	}
	return n.Int64()
}
