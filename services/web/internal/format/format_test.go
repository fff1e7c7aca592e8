package format

import (
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zone files

	"github.com/depotix/depotix/services/web/internal/i18n"
)

func zurich(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(Zone)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestNumbers(t *testing.T) {
	var f Formatter
	tests := []struct {
		name, got, want string
	}{
		{"zero", f.Int(0), "0"},
		{"three digits", f.Int(999), "999"},
		{"four digits", f.Int(1234), "1’234"},
		{"millions", f.Int(1234567), "1’234’567"},
		{"negative", f.Int(-1234), "-1’234"},
		{"int64 min", Int(-9223372036854775808), "-9’223’372’036’854’775’808"},
		{"bytes in MB", f.Bytes(5 << 20), "5 MB"},
		{"bytes in KB", f.Bytes(1536 << 10), "1’536 KB"},
		{"bytes", f.Bytes(1500), "1’500 B"},
		{"one KB", f.Bytes(1024), "1 KB"},
		{"decimal", f.Decimal("1234.5"), "1’234.5"},
		{"negative decimal", f.Decimal("-1234567.125"), "-1’234’567.125"},
		{"decimal not a number", f.Decimal("12a4"), "12a4"},
		{"decimal empty", f.Decimal(""), ""},
		{"decimal trailing point", f.Decimal("12."), "12."},
		{"amount pads", f.Amount("1234.5"), "1’234.50"},
		{"amount whole", f.Amount("24"), "24.00"},
		{"amount three decimals stays", f.Amount("1.005"), "1.005"},
		{"money", f.Money("1234.50", "CHF"), "CHF 1’234.50"},
		{"money eur", f.Money("0.5", "EUR"), "EUR 0.50"},
		{"money no currency", f.Money("1000", ""), "1’000.00"},
		{"quantity", f.Quantity(2400, "bottle"), "2’400 bottles"},
		{"quantity bare", f.Quantity(12, ""), "12"},
		{"percent", f.Percent("8.1"), "8.1 %"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestDates(t *testing.T) {
	loc := zurich(t)
	// 23:30 UTC on 31 March 2025 is already 1 April in Zurich (summer time, +2).
	now := time.Date(2025, 4, 1, 10, 0, 0, 0, loc)
	en := New(i18n.English, loc, now)
	de := New(i18n.German, loc, now)
	late := time.Date(2025, 3, 31, 23, 30, 0, 0, time.UTC)
	winter := time.Date(2025, 1, 15, 7, 5, 0, 0, time.UTC)

	tests := []struct {
		name, got, want string
	}{
		{"date in zurich", en.Date(late), "01.04.2025"},
		{"time in zurich summer", en.Time(late), "01:30"},
		{"time in zurich winter", en.Time(winter), "08:05"},
		{"date time", de.DateTime(winter), "15.01.2025 08:05"},
		{"today", en.When(late), "today 01:30"},
		{"heute", de.When(late), "heute 01:30"},
		{"yesterday", en.When(time.Date(2025, 3, 31, 5, 0, 0, 0, time.UTC)), "yesterday 07:00"},
		{"gestern", de.When(time.Date(2025, 3, 31, 5, 0, 0, 0, time.UTC)), "gestern 07:00"},
		{"earlier", en.When(winter), "15.01.2025 08:05"},
		{"date value", en.DateValue(late), "2025-04-01"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.name, tt.got, tt.want)
		}
	}

	// "yesterday" is a calendar day in Zurich, also across the change to
	// summer time (30 March 2025 has 23 hours).
	afterChange := New(i18n.English, loc, time.Date(2025, 3, 31, 0, 30, 0, 0, loc))
	if got := afterChange.When(time.Date(2025, 3, 30, 0, 10, 0, 0, loc)); got != "yesterday 00:10" {
		t.Errorf("across DST: got %q", got)
	}
}

func TestParseDateValue(t *testing.T) {
	loc := zurich(t)
	f := New(i18n.German, loc, time.Now())
	want := time.Date(2025, 4, 1, 0, 0, 0, 0, loc)
	for _, in := range []string{"2025-04-01", "01.04.2025", "1.4.2025", " 2025-04-01 "} {
		got, err := f.ParseDateValue(in)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDateValue(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2025-13-01", "yesterday", "1/4/2025"} {
		if _, err := f.ParseDateValue(in); err == nil {
			t.Errorf("ParseDateValue(%q) accepted", in)
		}
	}
}

func TestNormalizeDecimal(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"1234.50", "1234.50", true},
		{"1’234.50", "1234.50", true},
		{"1'234.50", "1234.50", true},
		{"1 234,5", "1234.5", true},
		{" 24,90 ", "24.90", true},
		{"-3", "-3", true},
		{"1,234.50", "", false}, // a comma beside a point is ambiguous
		{"1.2.3", "", false},
		{"12 CHF", "", false},
		{"", "", false},
		{"abc", "", false},
	}
	for _, tt := range tests {
		got, ok := NormalizeDecimal(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("NormalizeDecimal(%q) = %q, %t; want %q, %t", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
