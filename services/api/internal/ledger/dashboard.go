package ledger

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/depotix/depotix/services/api/internal/money"
)

// The dashboard sums up the stock and the ledger's recent activity. Its
// figures are kept current by the bookings themselves (see migration
// 000008): the store reads a few small rows, whatever the size of the
// catalogue and the journal. Days are cut here, in the organisation's
// time zone, from movements counted per hour in UTC.

// What the dashboard shows.
const (
	// DefaultZone is the organisation's time zone unless configured
	// otherwise: days and weeks begin at its midnight.
	DefaultZone = "Europe/Zurich"
	// DashboardCurrency is the currency of the headline stock value; items
	// kept in other currencies are summed apart, never converted.
	DashboardCurrency   = money.CHF
	DashboardCategories = 10 // categories named in the value by category
	DashboardLowStock   = 10 // items listed of those at or below their minimum
	DashboardRecent     = 10 // most recent movements
	DashboardDays       = 30 // days of movement counts, today included
)

// Figures is what a store reads for the dashboard, from one snapshot.
type Figures struct {
	// Categories holds the stock value of each currency and category that
	// has any (CategoryID 0: the items without a category), each rounded
	// to minor units.
	Categories []CategoryValue
	// Currencies holds the stock value of each currency, rounded once.
	Currencies []CurrencyValue
	// LowStockCount counts the active items whose available stock (good
	// less reserved) is at or below their minimum; LowStock lists the
	// first of them by name, with the available stock as Good.
	LowStockCount int64
	LowStock      []LowStockItem
	// Hours holds the number of movements effective in each hour (UTC, on
	// the hour) from the time asked for on; hours without any are absent.
	Hours map[time.Time]int64
	// Recent holds the movements that took effect last, in the journal's
	// order: the dashboard shows their effective time.
	Recent []Movement
}

// CategoryValue is the stock value of one category's items in one
// currency.
type CategoryValue struct {
	Currency   string
	CategoryID int64 // 0: no category
	Name       string
	Value      money.Amount
}

// CurrencyValue is the stock value of the items kept in one currency.
type CurrencyValue struct {
	Currency string
	Value    money.Amount
}

// LowStockItem is an active item at or below its minimum.
type LowStockItem struct {
	ItemID              int64
	SKU, Name, BaseUnit string
	Good, MinStock      int64
	ReorderQty          int64
	PreferredSupplierID *int64
}

// DayCount is the number of movements effective on one local day.
type DayCount struct {
	Date      time.Time // midnight, in the dashboard's zone
	Movements int64
}

// Dashboard is the overview the web's start page shows.
type Dashboard struct {
	AsOf time.Time
	Zone *time.Location
	// StockValue is the value of the items kept in DashboardCurrency;
	// ByCategory splits it into the DashboardCategories most valuable
	// categories, highest first, then the items without a category;
	// OtherCategories is the value of the remaining categories.
	StockValue      money.Amount
	ByCategory      []CategoryValue
	OtherCategories money.Amount
	// OtherCurrencies is the stock value of items in other currencies.
	OtherCurrencies []CurrencyValue
	LowStockCount   int64
	LowStock        []LowStockItem
	// MovementsToday counts the movements effective since local midnight,
	// MovementsThisWeek those since Monday 00:00 local time.
	MovementsToday    int64
	MovementsThisWeek int64
	Recent            []Movement
	// PerDay counts the movements of the last DashboardDays local days,
	// oldest first, today last.
	PerDay []DayCount
}

// Dashboard reads the figures of the start page.
func (s *Service) Dashboard(ctx context.Context) (Dashboard, error) {
	if s.zoneErr != nil {
		return Dashboard{}, fmt.Errorf("ledger: the dashboard's time zone: %w", s.zoneErr)
	}
	now := s.now()
	today := midnight(now, s.zone)
	first := today.AddDate(0, 0, -(DashboardDays - 1))
	f, err := s.store.Figures(ctx, first.UTC(), DashboardLowStock, DashboardRecent)
	if err != nil {
		return Dashboard{}, err
	}
	d := Dashboard{AsOf: now.UTC(), Zone: s.zone, LowStockCount: f.LowStockCount, LowStock: f.LowStock, Recent: f.Recent}
	d.StockValue, d.ByCategory, d.OtherCategories, d.OtherCurrencies = splitValues(f)
	d.PerDay, d.MovementsToday, d.MovementsThisWeek = countDays(f.Hours, first, today, s.zone)
	return d, nil
}

// midnight is the start of t's day in zone.
func midnight(t time.Time, zone *time.Location) time.Time {
	l := t.In(zone)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, zone)
}

// dayNumber counts calendar days, so that days of 23 or 25 hours (summer
// time) are one day each.
func dayNumber(t time.Time) int64 {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / (24 * 60 * 60)
}

// countDays adds hourly counts into the days from first to today (local
// midnights). An hour belongs to the local day it begins in: the zone's
// offsets are whole hours, so no hour spans two days.
func countDays(hours map[time.Time]int64, first, today time.Time, zone *time.Location) (days []DayCount, todayCount, weekCount int64) {
	days = make([]DayCount, DashboardDays)
	for i := range days {
		days[i].Date = first.AddDate(0, 0, i)
	}
	base := dayNumber(first)
	sinceMonday := int64((today.Weekday() + 6) % 7) // Monday 0 … Sunday 6
	last := int64(DashboardDays - 1)
	for hour, n := range hours {
		i := dayNumber(hour.In(zone)) - base
		if i < 0 || i > last {
			continue // before the window, or a moment of tomorrow (clock skew)
		}
		days[i].Movements += n
		if i >= last-sinceMonday {
			weekCount += n
		}
		if i == last {
			todayCount += n
		}
	}
	return days, todayCount, weekCount
}

// splitValues picks the headline currency's value apart into its most
// valuable categories, the items without one and the rest.
func splitValues(f Figures) (total money.Amount, top []CategoryValue, rest money.Amount, others []CurrencyValue) {
	others = []CurrencyValue{}
	for _, c := range f.Currencies {
		if c.Currency == DashboardCurrency {
			total = c.Value
		} else if c.Value != 0 {
			others = append(others, c)
		}
	}
	slices.SortFunc(others, func(a, b CurrencyValue) int { return cmp.Compare(a.Currency, b.Currency) })
	var named []CategoryValue
	var none *CategoryValue
	for _, c := range f.Categories {
		switch {
		case c.Currency != DashboardCurrency || c.Value == 0:
		case c.CategoryID == 0:
			none = &c
		default:
			named = append(named, c)
		}
	}
	slices.SortFunc(named, func(a, b CategoryValue) int {
		return cmp.Or(cmp.Compare(b.Value, a.Value), cmp.Compare(a.Name, b.Name), cmp.Compare(a.CategoryID, b.CategoryID))
	})
	top = []CategoryValue{}
	for i, c := range named {
		if i < DashboardCategories {
			top = append(top, c)
		} else {
			rest += c.Value
		}
	}
	if none != nil {
		top = append(top, *none)
	}
	return total, top, rest, others
}
