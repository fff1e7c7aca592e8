package ledger

import (
	"math"
	"testing"

	"github.com/depotix/depotix/services/api/internal/money"
)

func TestParseAndFormatMicros(t *testing.T) {
	for _, tc := range []struct {
		in      string
		want    int64
		format  string
		invalid bool
	}{
		{in: "1", want: 1_000_000, format: "1.00"},
		{in: "1.1", want: 1_100_000, format: "1.10"},
		{in: "29.90", want: 29_900_000, format: "29.90"},
		{in: "1.245833", want: 1_245_833, format: "1.245833"},
		{in: "0.000001", want: 1, format: "0.000001"},
		{in: " 0.5 ", want: 500_000, format: "0.50"},
		{in: "999999999999.999999", want: 999_999_999_999_999_999, format: "999999999999.999999"},
		{in: "1.2345678", invalid: true},
		{in: "-1", invalid: true},
		{in: "1'000", invalid: true},
		{in: "1,5", invalid: true},
		{in: "1.", invalid: true},
		{in: ".5", invalid: true},
		{in: "", invalid: true},
		{in: "1e3", invalid: true},
		{in: "1000000000000", invalid: true},
	} {
		got, err := ParseMicros(tc.in)
		if tc.invalid {
			if err == nil {
				t.Errorf("ParseMicros(%q) = %d, want an error", tc.in, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("ParseMicros(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
			continue
		}
		if f := FormatMicros(got); f != tc.format {
			t.Errorf("FormatMicros(%d) = %q, want %q", got, f, tc.format)
		}
	}
	if f := FormatMicros(-1_500_000); f != "-1.50" {
		t.Errorf("FormatMicros(-1500000) = %q", f)
	}
	if f := FormatMicros(math.MinInt64); f != "-9223372036854.775808" {
		t.Errorf("FormatMicros(MinInt64) = %q", f)
	}
}

func TestMicrosToAmount(t *testing.T) {
	for _, tc := range []struct {
		micros int64
		want   money.Amount
	}{
		{0, 0}, {4_999, 0}, {5_000, 1}, {14_999, 1}, {15_000, 2}, {1_245_833, 125},
		{-5_000, -1}, {-4_999, 0}, {110_000_000, 11_000},
	} {
		if got := MicrosToAmount(tc.micros); got != tc.want {
			t.Errorf("MicrosToAmount(%d) = %d, want %d", tc.micros, got, tc.want)
		}
	}
}

func TestCostPerBaseUnitRoundsHalfAwayFromZero(t *testing.T) {
	for _, tc := range []struct {
		cost, factor, want int64
	}{
		{29_900_000, 24, 1_245_833}, // 1245833.33
		{1_000_000, 3, 333_333},     // 333333.33
		{2_000_000, 3, 666_667},     // 666666.67
		{5, 2, 3},                   // 2.5 rounds up
		{3, 2, 2},                   // 1.5
		{1, 2, 1},                   // 0.5
		{1, 3, 0},                   // 0.33
		{7, 1, 7},
		{0, 24, 0},
		{MaxUnitCostMicros, 100_000_000_000, 100}, // the largest pallet factor
	} {
		if got := costPerBaseUnit(tc.cost, tc.factor); got != tc.want {
			t.Errorf("costPerBaseUnit(%d, %d) = %d, want %d", tc.cost, tc.factor, got, tc.want)
		}
	}
}

func TestMovingAverage(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		onHand, avg, qty, cost, want int64
	}{
		{"worked example: 100 @ 1.00 + 50 @ 1.30", 100, 1_000_000, 50, 1_300_000, 1_100_000},
		{"first receipt takes its cost", 0, 0, 10, 2_500_000, 2_500_000},
		{"empty stock forgets the old average", 0, 9_000_000, 10, 2_500_000, 2_500_000},
		{"free goods lower the average", 100, 1_000_000, 100, 0, 500_000},
		{"rounds half up", 1, 0, 1, 1, 1},         // 0.5
		{"rounds down below half", 2, 0, 1, 1, 0}, // 0.33
		{"large values do not overflow", 1_000_000_000_000, MaxUnitCostMicros, 1_000_000_000_000, MaxUnitCostMicros, MaxUnitCostMicros},
	} {
		if got := movingAverage(tc.onHand, tc.avg, tc.qty, tc.cost); got != tc.want {
			t.Errorf("%s: movingAverage(%d, %d, %d, %d) = %d, want %d", tc.name, tc.onHand, tc.avg, tc.qty, tc.cost, got, tc.want)
		}
	}
}

func TestAverageWithout(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		onHand, avg, qty, cost, want int64
	}{
		// 100 @ 1.00, 50 @ 1.30 (avg 1.10), 50 @ 1.50 (avg 1.20); removing
		// the 50 @ 1.30 leaves 100 @ 1.00 + 50 @ 1.50 = 175 / 150.
		{"removes the receipt's value", 200, 1_200_000, 50, 1_300_000, 1_166_667},
		{"never below zero", 10, 1_000_000, 5, 5_000_000, 0},
		{"nothing left keeps the average", 50, 1_300_000, 50, 1_300_000, 1_300_000},
		{"more removed than held keeps the average", 10, 1_300_000, 50, 1_300_000, 1_300_000},
		{"a result beyond int64 keeps the average", math.MaxInt64 / 2, math.MaxInt64 / 2, math.MaxInt64/2 - 1, 0, math.MaxInt64 / 2},
	} {
		if got := averageWithout(tc.onHand, tc.avg, tc.qty, tc.cost); got != tc.want {
			t.Errorf("%s: averageWithout(%d, %d, %d, %d) = %d, want %d", tc.name, tc.onHand, tc.avg, tc.qty, tc.cost, got, tc.want)
		}
	}
}

func TestValueMicros(t *testing.T) {
	if v, ok := valueMicros(150, 1_100_000); !ok || v != 165_000_000 {
		t.Errorf("valueMicros(150, 1.10) = %d, %v", v, ok)
	}
	if v, ok := valueMicros(0, math.MaxInt64); !ok || v != 0 {
		t.Errorf("valueMicros(0, max) = %d, %v", v, ok)
	}
	if _, ok := valueMicros(math.MaxInt64/2, 3); ok {
		t.Error("valueMicros accepted an overflowing product")
	}
}
