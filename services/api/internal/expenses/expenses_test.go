package expenses

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/money"
)

func TestParseRate(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"1", 1_000_000}, {"0.9412", 941_200}, {"1.05", 1_050_000}, {" 0.000001 ", 1}, {"12.345678", 12_345_678},
	} {
		got, err := ParseRate(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseRate(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
		if back, _ := ParseRate(FormatRate(got)); back != got {
			t.Errorf("FormatRate(%d) = %q does not read back", got, FormatRate(got))
		}
	}
	for _, bad := range []string{"", "0", "0.0", "-1", "1.", ".5", "1,05", "1.0000001", "100", "1e3", "abc"} {
		if r, err := ParseRate(bad); err == nil {
			t.Errorf("ParseRate(%q) = %d, want an error", bad, r)
		}
	}
	if got := FormatRate(941_200); got != "0.941200" {
		t.Errorf("FormatRate = %q", got)
	}
}

func TestToCHFRoundsHalfAwayFromZero(t *testing.T) {
	for _, c := range []struct {
		amount money.Amount
		rate   int64
		want   money.Amount
	}{
		{10000, 1_000_000, 10000},
		{10000, 941_200, 9412},
		{1, 500_000, 1},                          // 0.005 → 0.01
		{1, 499_999, 0},                          // 0.004999… → 0.00
		{-1, 500_000, -1},                        // symmetric
		{MaxAmount, 99_999_999, 999_999_990_000}, // the largest product fits
	} {
		if got := ToCHF(c.amount, c.rate); got != c.want {
			t.Errorf("ToCHF(%d, %d) = %d, want %d", c.amount, c.rate, got, c.want)
		}
	}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

func service() *Service {
	return NewService(nil, func() time.Time { return time.Date(2026, 3, 14, 22, 30, 0, 0, time.UTC) }, nil, 0)
}

func valid() Fields {
	return Fields{Date: day("2026-03-14"), SupplierID: 3, CategoryID: 1, Currency: money.CHF, Amount: 10810,
		VAT: []VATLine{{RateBP: 810, VAT: 810}}, Status: Open}
}

func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	e, ok := apperr.As(err)
	if !ok || e.Code != apperr.CodeValidation {
		t.Fatalf("want a validation error, got %v", err)
	}
	var out []string
	for f := range e.Fields {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

func TestCheckCompletesAValidExpense(t *testing.T) {
	s := service()
	in := valid()
	in.Date = time.Date(2026, 3, 14, 18, 0, 0, 0, time.UTC)
	in.Note = "  Lieferung März  "
	got, err := s.check(in)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Date.Equal(day("2026-03-14")) || got.Rate != RateScale || got.VAT[0].VATCHF != 810 || got.Note != "Lieferung März" {
		t.Errorf("completed: %+v", got)
	}

	eur := valid()
	eur.Currency, eur.Rate, eur.Amount = money.EUR, 941_200, 11900
	eur.VAT = []VATLine{{RateBP: 1900, VAT: 1900}}
	eur.Status, eur.PaidOn = Paid, new(day("2026-03-01"))
	got, err = s.check(eur)
	if err != nil {
		t.Fatal(err)
	}
	if got.VAT[0].VATCHF != 1788 { // 19.00 EUR × 0.9412 = 17.8828 CHF
		t.Errorf("VAT in CHF: %d", got.VAT[0].VATCHF)
	}
}

func TestCheckNamesEveryBadField(t *testing.T) {
	s := service()
	for _, c := range []struct {
		name   string
		change func(*Fields)
		fields []string
	}{
		{"tomorrow", func(f *Fields) { f.Date = day("2026-03-15") }, []string{"date"}},
		{"no date", func(f *Fields) { f.Date = time.Time{} }, []string{"date"}},
		{"no supplier or category", func(f *Fields) { f.SupplierID, f.CategoryID = 0, -1 }, []string{"category_id", "supplier_id"}},
		{"unknown currency", func(f *Fields) { f.Currency = "USD" }, []string{"currency"}},
		{"EUR without a rate", func(f *Fields) { f.Currency = money.EUR }, []string{"rate"}},
		{"CHF at another rate", func(f *Fields) { f.Rate = 941_200 }, []string{"rate"}},
		{"nothing spent", func(f *Fields) { f.Amount, f.VAT = 0, nil }, []string{"amount"}},
		{"too much", func(f *Fields) { f.Amount = MaxAmount + 1 }, []string{"amount"}},
		{"VAT of the whole amount", func(f *Fields) { f.VAT[0].VAT = f.Amount }, []string{"vat"}},
		{"a rate twice", func(f *Fields) {
			f.VAT = []VATLine{{RateBP: 810, VAT: 100}, {RateBP: 810, VAT: 200}}
		}, []string{"vat[1].rate"}},
		{"a rate of 0 % and no VAT", func(f *Fields) { f.VAT = []VATLine{{RateBP: 0, VAT: 0}} }, []string{"vat[0].rate", "vat[0].vat"}},
		{"paid without a day", func(f *Fields) { f.Status = Paid }, []string{"paid_on"}},
		{"paid tomorrow", func(f *Fields) { f.Status, f.PaidOn = Paid, new(day("2026-03-15")) }, []string{"paid_on"}},
		{"open with a payment day", func(f *Fields) { f.PaidOn = new(day("2026-03-01")) }, []string{"paid_on"}},
		{"unknown status", func(f *Fields) { f.Status = "settled" }, []string{"status"}},
		{"note with a control character", func(f *Fields) { f.Note = "a\x00b" }, []string{"note"}},
	} {
		in := valid()
		in.VAT = slices.Clone(in.VAT)
		c.change(&in)
		_, err := s.check(in)
		if got := fieldsOf(t, err); !slices.Equal(got, c.fields) {
			t.Errorf("%s: problems with %v, want %v", c.name, got, c.fields)
		}
	}
}

func TestCategoryFields(t *testing.T) {
	ok := CategoryFields{Name: " Fahrzeuge ", VATFigure: FigureInvestment}
	ok.normalize()
	if err := ok.validate(); err != nil || ok.Name != "Fahrzeuge" {
		t.Errorf("valid category: %v, %q", err, ok.Name)
	}
	bad := CategoryFields{Name: "", VATFigure: 300}
	if got := fieldsOf(t, bad.validate()); !slices.Equal(got, []string{"name", "vat_figure"}) {
		t.Errorf("problems with %v", got)
	}
}
