package ledger

import (
	"context"
	"testing"
	"time"
	_ "time/tzdata" // the tests must not depend on the host's zone files

	"github.com/google/go-cmp/cmp"

	"github.com/depotix/depotix/services/api/internal/money"
)

func zurich(t *testing.T) *time.Location {
	t.Helper()
	z, err := time.LoadLocation("Europe/Zurich")
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// figuresStore answers Figures with fixed figures and remembers what it was
// asked; the dashboard needs nothing else of a store.
type figuresStore struct {
	Store
	f     Figures
	since time.Time
}

func (s *figuresStore) Figures(_ context.Context, since time.Time, lowStock, recent int) (Figures, error) {
	s.since = since
	return s.f, nil
}

func TestDashboardCutsDaysInZurich(t *testing.T) {
	z := zurich(t)
	// Wednesday 14 January 2026, 10:00 in Zurich (CET, UTC+1).
	now := utc("2026-01-14T09:00:00Z")
	store := &figuresStore{f: Figures{Hours: map[time.Time]int64{
		utc("2026-01-13T23:00:00Z"): 2,  // 00:00–01:00 on the 14th: today
		utc("2026-01-13T22:00:00Z"): 3,  // 23:00 on the 13th: yesterday, this week
		utc("2026-01-11T23:00:00Z"): 4,  // Monday the 12th, 00:00: this week
		utc("2026-01-11T22:00:00Z"): 5,  // Sunday the 11th, 23:00: last week
		utc("2025-12-15T23:00:00Z"): 6,  // the 16th: the first of the 30 days
		utc("2025-12-15T22:00:00Z"): 7,  // the 15th: before them
		utc("2026-01-14T23:00:00Z"): 8,  // tomorrow (a clock ahead): not counted
		utc("2026-01-14T08:00:00Z"): 10, // 09:00 today
	}}}
	svc := NewService(store, Config{Now: func() time.Time { return now }, Zone: z})
	d, err := svc.Dashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if want := utc("2025-12-15T23:00:00Z"); !store.since.Equal(want) {
		t.Errorf("hours asked for from %s, want %s", store.since, want)
	}
	if d.MovementsToday != 12 || d.MovementsThisWeek != 19 {
		t.Errorf("today %d, this week %d; want 12 and 19", d.MovementsToday, d.MovementsThisWeek)
	}
	if len(d.PerDay) != DashboardDays {
		t.Fatalf("%d days", len(d.PerDay))
	}
	counts := map[string]int64{}
	for i, day := range d.PerDay {
		if day.Date.Location() != z || day.Date.Hour() != 0 || (i > 0 && !day.Date.After(d.PerDay[i-1].Date)) {
			t.Errorf("day %d: %s", i, day.Date)
		}
		if day.Movements != 0 {
			counts[day.Date.Format(time.DateOnly)] = day.Movements
		}
	}
	if d.PerDay[0].Date.Format(time.DateOnly) != "2025-12-16" || d.PerDay[29].Date.Format(time.DateOnly) != "2026-01-14" {
		t.Errorf("days from %s to %s", d.PerDay[0].Date, d.PerDay[29].Date)
	}
	want := map[string]int64{"2026-01-14": 12, "2026-01-13": 3, "2026-01-12": 4, "2026-01-11": 5, "2025-12-16": 6}
	if diff := cmp.Diff(want, counts); diff != "" {
		t.Errorf("per day (-want +got):\n%s", diff)
	}
}

// On a Monday the week is today; the day summer time begins has 23 hours.
func TestDashboardWeekStartsOnMondayAndDaysFollowSummerTime(t *testing.T) {
	z := zurich(t)
	now := utc("2026-03-30T06:00:00Z") // Monday 30 March, 08:00 CEST
	store := &figuresStore{f: Figures{Hours: map[time.Time]int64{
		utc("2026-03-29T22:00:00Z"): 1, // Monday 00:00 CEST
		utc("2026-03-29T21:00:00Z"): 2, // Sunday 23:00 CEST
		utc("2026-03-28T23:00:00Z"): 3, // Sunday 00:00 CET, the day of 23 hours
		utc("2026-03-28T22:00:00Z"): 4, // Saturday 23:00 CET
	}}}
	d, err := NewService(store, Config{Now: func() time.Time { return now }, Zone: z}).Dashboard(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if d.MovementsToday != 1 || d.MovementsThisWeek != 1 {
		t.Errorf("today %d, this week %d; want 1 and 1", d.MovementsToday, d.MovementsThisWeek)
	}
	last := d.PerDay[len(d.PerDay)-3:]
	got := []int64{last[0].Movements, last[1].Movements, last[2].Movements}
	if !cmp.Equal(got, []int64{4, 5, 1}) || last[1].Date.Format(time.DateOnly) != "2026-03-29" {
		t.Errorf("Saturday to Monday: %v (%s)", got, last[1].Date)
	}
}

func TestDashboardSplitsTheValue(t *testing.T) {
	var cats []CategoryValue
	for i := int64(1); i <= 12; i++ {
		cats = append(cats, CategoryValue{Currency: "CHF", CategoryID: i, Name: string(rune('A' + i)), Value: money.Amount(i * 100)})
	}
	cats = append(cats,
		CategoryValue{Currency: "CHF", CategoryID: 0, Value: 50},
		CategoryValue{Currency: "EUR", CategoryID: 3, Name: "D", Value: 999},
		CategoryValue{Currency: "CHF", CategoryID: 13, Name: "O", Value: 0})
	f := Figures{Categories: cats, Currencies: []CurrencyValue{{"EUR", 999}, {"CHF", 7851}}}
	total, top, rest, others := splitValues(f)
	if total != 7851 || rest != 300 {
		t.Errorf("total %d, rest %d", total, rest)
	}
	var ids []int64
	for _, c := range top {
		ids = append(ids, c.CategoryID)
	}
	if !cmp.Equal(ids, []int64{12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 0}) {
		t.Errorf("categories %v", ids)
	}
	if !cmp.Equal(others, []CurrencyValue{{"EUR", 999}}) {
		t.Errorf("other currencies %v", others)
	}
	if total, top, rest, others := splitValues(Figures{}); total != 0 || len(top) != 0 || top == nil || rest != 0 || others == nil {
		t.Errorf("nothing in stock: %v %v %v %v", total, top, rest, others)
	}
}

// Low stock needs a minimum: an empty item without one is never low.
func TestIsLow(t *testing.T) {
	for _, tc := range []struct {
		available, min int64
		want           bool
	}{
		{0, 0, false}, {5, 0, false}, {0, 1, true}, {5, 5, true}, {6, 5, false},
	} {
		if got := IsLow(tc.available, tc.min); got != tc.want {
			t.Errorf("IsLow(%d, %d) = %v, want %v", tc.available, tc.min, got, tc.want)
		}
		if got := (Totals{Good: tc.available, MinStock: tc.min}).BelowMinimum(); got != tc.want {
			t.Errorf("BelowMinimum(%d, %d) = %v, want %v", tc.available, tc.min, got, tc.want)
		}
	}
}
