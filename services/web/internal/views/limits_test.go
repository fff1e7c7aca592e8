package views

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/depotix/depotix/services/web/internal/apiclient"
)

// The forms' limits are the contract's: no maxlength, min or max of a form
// is a number written here (it would be a copy that drifts, as supplier
// notes did: 2,000 in the contract, 4,000 in the form). Each is an
// apiclient.Limit... constant generated from openapi.yaml, or one of the
// widths below, which TestFormWidthsFitTheContract checks.
func TestFormLimitsComeFromTheContract(t *testing.T) {
	literal := regexp.MustCompile(`(MaxLength:\s*[0-9]+|maxlength="[0-9]+"|\bmin="[0-9]+"|\bmax="[0-9]+")`)
	// The one number allowed: a movement other than a stock-take moves at
	// least one unit (the contract's minimum is an adjust's 0).
	allowed := map[string]int{"movements.templ: min=\"1\"": 1}
	var files []string
	for _, pattern := range []string{"*.templ", "*.go", "../handlers/*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	if len(files) < 10 {
		t.Fatalf("only %d files found", len(files))
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, "_templ.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range literal.FindAllString(string(src), -1) {
			key := filepath.Base(f) + ": " + m
			if allowed[key] > 0 {
				allowed[key]--
				continue
			}
			t.Errorf("%s: a form limit written as a number; take it from apiclient.Limit...", key)
		}
	}
}

// The widths of inputs whose contract rule is a pattern or a type fit what
// the rule allows.
func TestFormWidthsFitTheContract(t *testing.T) {
	gtin := regexp.MustCompile(apiclient.LimitItemInputEanUnitPattern)
	if !gtin.MatchString(strings.Repeat("4", GTINWidth)) || gtin.MatchString(strings.Repeat("4", GTINWidth+1)) {
		t.Errorf("GTINWidth %d is not the longest EAN of %s", GTINWidth, gtin)
	}
	country := regexp.MustCompile(apiclient.LimitCountryCodePattern)
	if !country.MatchString(strings.Repeat("C", CountryWidth)) || country.MatchString(strings.Repeat("C", CountryWidth+1)) {
		t.Errorf("CountryWidth %d is not a country code of %s", CountryWidth, country)
	}
	for _, p := range []struct{ name, pattern string }{
		{"Money", apiclient.LimitMoneyPattern}, {"Cost", apiclient.LimitCostPattern}, {"ABV", apiclient.LimitItemInputAbvPattern},
	} {
		longest := longestMatch(t, p.pattern)
		width := DecimalWidth
		if p.name == "ABV" {
			width = PercentWidth
		}
		if len(longest) > width {
			t.Errorf("%s: %q is longer than the input's width %d", p.name, longest, width)
		}
	}
	// Money as people type it, with grouping marks, fits too.
	if money := strings.Repeat("9", wholeDigits(t, apiclient.LimitMoneyPattern)); len([]rune(groupedAmount(money)))+3 > DecimalWidth {
		t.Errorf("the largest amount with grouping marks is wider than DecimalWidth %d", DecimalWidth)
	}
	if ReceiptMaxLines > apiclient.LimitReceiptInputLinesMaxItems {
		t.Errorf("the delivery form offers %d lines, the api takes %d", ReceiptMaxLines, apiclient.LimitReceiptInputLinesMaxItems)
	}
	if n := len(strconv.FormatInt(math.MaxInt64, 10)); IDWidth != n {
		t.Errorf("IDWidth %d, an int64 has %d digits", IDWidth, n)
	}
	if Digits(365) != 3 || Digits(1_000_000) != 7 {
		t.Errorf("Digits(365) = %d, Digits(1000000) = %d", Digits(365), Digits(1_000_000))
	}
}

var digitRun = regexp.MustCompile(`\\d\{(?:1,)?([0-9]+)\}`)

// wholeDigits reads the digits before the point a decimal pattern such as
// ^\d{1,13}(\.\d{1,2})?$ allows.
func wholeDigits(t *testing.T, pattern string) int {
	t.Helper()
	m := digitRun.FindStringSubmatch(pattern)
	if m == nil {
		t.Fatalf("no digit run in %s", pattern)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// longestMatch builds the longest string a decimal pattern of the form
// ^\d{1,W}(\.\d{1,F})?$ (or \d without a count) accepts, and checks the
// pattern does accept it.
func longestMatch(t *testing.T, pattern string) string {
	t.Helper()
	runs := digitRun.FindAllStringSubmatch(pattern, -1)
	if len(runs) != 2 {
		// ^\d{1,3}(\.\d)?$: one digit after the point.
		runs = append(runs, []string{"", "1"})
	}
	whole, _ := strconv.Atoi(runs[0][1])
	frac, _ := strconv.Atoi(runs[1][1])
	s := strings.Repeat("9", whole) + "." + strings.Repeat("9", frac)
	if !regexp.MustCompile(pattern).MatchString(s) {
		t.Fatalf("%q does not match %s", s, pattern)
	}
	return s
}

func groupedAmount(digits string) string {
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteRune('’')
		}
		b.WriteRune(r)
	}
	return b.String()
}
