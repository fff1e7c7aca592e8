package money

import "testing"

func TestParseAndString(t *testing.T) {
	good := map[string]Amount{"0": 0, "12": 1200, "12.5": 1250, "12.50": 1250, "-3.05": -305, "1234567.89": 123456789, " 7.10 ": 710}
	for in, want := range good {
		got, err := Parse(in)
		if err != nil || got != want {
			t.Errorf("Parse(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "-", "1.234", "1,50", "1'000.00", "12.", ".5", "abc", "1e3", "--1", "1234567890123456"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
	for a, want := range map[Amount]string{0: "0.00", 5: "0.05", 10: "0.10", 1999: "19.99", 123450: "1234.50", -305: "-3.05", -5: "-0.05", -100: "-1.00"} {
		if got := a.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int64(a), got, want)
		}
	}
}

func TestRound5(t *testing.T) {
	for in, want := range map[Amount]Amount{0: 0, 1: 0, 2: 0, 3: 5, 7: 5, 8: 10, 1234: 1235, 1232: 1230, -3: -5, -2: 0} {
		if got := in.Round5(); got != want {
			t.Errorf("Round5(%d) = %d, want %d", in, got, want)
		}
	}
}
