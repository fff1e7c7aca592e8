package ledger

import (
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

// Costs are integers in millionths of the item's currency ("micros"): the
// cost of one bottle out of a crate bought for 29.90 is 1.245833 CHF, finer
// than Rappen. Floats never touch them.

// MicrosPerUnit is the number of micros in one franc or euro.
const MicrosPerUnit = 1_000_000

// MaxUnitCostMicros bounds a cost per entered unit: ten million francs.
const MaxUnitCostMicros = 10_000_000 * MicrosPerUnit

// Digits of a cost: the contract's Cost pattern says the same (a test in
// httpapi compares them).
const (
	MaxCostWholeDigits = 12
	CostDecimals       = 6
)

// errCostFormat reports a string that is not a non-negative decimal with at
// most six decimals.
func errCostFormat() error { return apperr.Amount(CostDecimals, "1.25") }

// ParseMicros reads a non-negative decimal cost such as "29.90" or
// "1.245833" into micros. Thousands separators, signs and more than six
// decimals are refused rather than guessed at.
func ParseMicros(s string) (int64, error) {
	whole, frac, hasDot := strings.Cut(strings.TrimSpace(s), ".")
	if whole == "" || len(frac) > CostDecimals || (hasDot && frac == "") || !allDigits(whole) || !allDigits(frac) || len(whole) > MaxCostWholeDigits {
		return 0, errCostFormat()
	}
	w, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return 0, errCostFormat()
	}
	frac += strings.Repeat("0", 6-len(frac))
	f, _ := strconv.ParseInt(frac, 10, 64)
	return w*MicrosPerUnit + f, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatMicros writes micros as a decimal with two to six decimals, as
// many as needed: 1100000 is "1.10", 1245833 is "1.245833".
func FormatMicros(micros int64) string {
	sign := ""
	u := uint64(micros)
	if micros < 0 {
		sign, u = "-", -u
	}
	frac := strconv.FormatUint(u%MicrosPerUnit+MicrosPerUnit, 10)[1:]
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return sign + strconv.FormatUint(u/MicrosPerUnit, 10) + "." + frac
}

// MicrosToAmount rounds micros to minor units (Rappen), halves away from
// zero.
func MicrosToAmount(micros int64) money.Amount {
	const perMinor = MicrosPerUnit / 100
	if micros < 0 {
		return -MicrosToAmount(-micros)
	}
	return money.Amount(divRound(micros, perMinor))
}

// divRound divides a >= 0 by b >= 1, rounding halves up (away from zero).
func divRound(a, b int64) int64 {
	q, r := a/b, a%b
	if r >= b-r {
		q++
	}
	return q
}

// costPerBaseUnit converts the cost of one entered unit, which holds factor
// base units, into the cost of one base unit, rounding halves away from zero.
func costPerBaseUnit(costPerEntered, factor int64) int64 {
	return divRound(costPerEntered, factor)
}

// movingAverage is the average cost per base unit after qty units at cost
// join onHand units at avg:
//
//	(onHand × avg + qty × cost) / (onHand + qty)
//
// rounded half away from zero. The products are taken in arbitrary
// precision; the result lies between avg and cost, so it fits.
func movingAverage(onHand, avg, qty, cost int64) int64 {
	if onHand+qty <= 0 {
		return avg
	}
	v := new(big.Int).Mul(big.NewInt(onHand), big.NewInt(avg))
	v.Add(v, new(big.Int).Mul(big.NewInt(qty), big.NewInt(cost)))
	return bigDivRound(v, big.NewInt(onHand+qty))
}

// averageWithout is the average cost per base unit after qty units bought at
// cost leave onHand units at avg: the value of what remains, never below
// zero, over the units that remain. With nothing left the average is kept,
// as it is when the result would not fit.
func averageWithout(onHand, avg, qty, cost int64) int64 {
	remaining := onHand - qty
	if remaining <= 0 {
		return avg
	}
	v := new(big.Int).Mul(big.NewInt(onHand), big.NewInt(avg))
	v.Sub(v, new(big.Int).Mul(big.NewInt(qty), big.NewInt(cost)))
	if v.Sign() < 0 {
		return 0
	}
	r := bigDivRound(v, big.NewInt(remaining))
	if r < 0 {
		return avg
	}
	return r
}

// bigDivRound divides v >= 0 by d >= 1, rounding halves up; -1 when the
// result does not fit an int64.
func bigDivRound(v, d *big.Int) int64 {
	q, r := new(big.Int).QuoRem(v, d, new(big.Int))
	if r.Lsh(r, 1).Cmp(d) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if !q.IsInt64() {
		return -1
	}
	return q.Int64()
}

// valueMicros is qty × avg, or false when it does not fit an int64.
func valueMicros(qty, avg int64) (int64, bool) {
	if qty == 0 || avg == 0 {
		return 0, true
	}
	if qty < 0 || avg < 0 || qty > math.MaxInt64/avg {
		return 0, false
	}
	return qty * avg, true
}
