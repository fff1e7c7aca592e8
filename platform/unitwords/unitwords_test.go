package unitwords

import (
	"strconv"
	"testing"
)

func TestCount(t *testing.T) {
	for _, tc := range []struct {
		n    int64
		name string
		want string
	}{
		{48, "Flasche", "48 Flaschen"},
		{1, "Flasche", "1 Flasche"},
		{-1, "Harass", "-1 Harass"},
		{-3, "Harass", "-3 Harasse"},
		{12, "Harass", "12 Harasse"},
		{2, "Fass", "2 Fässer"},
		{0, "bottle", "0 bottles"},
		{1, "crate", "1 crate"},
		{3, "box", "3 boxes"},
		{5, "Stück", "5 Stück"},
		{7, "Zeile", "7 Zeilen"},
		{2, "Kasten", "2 Kästen"},
		// A word it does not know stays whole, never cut or guessed.
		{9, "Bag-in-Box 10 l", "9 Bag-in-Box 10 l"},
		{4, "", "4"},
	} {
		if got := Count(tc.n, strconv.FormatInt(tc.n, 10), tc.name); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.name, got, tc.want)
		}
	}
}

func TestPlural(t *testing.T) {
	for name, want := range map[string]string{
		// A capital first letter stays: German nouns are typed with one.
		"Harass": "Harasse", "harass": "harasse", "Kasten": "Kästen", "keg": "kegs", "Palette": "Paletten",
		"Ölfass": "Ölfass", // not known: unchanged
	} {
		if got := Plural(name); got != want {
			t.Errorf("Plural(%q) = %q, want %q", name, got, want)
		}
	}
}
