package views

import (
	"strconv"
	"strings"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

// DashboardView is the start page of a signed-in person, made from the
// api's one dashboard answer.
type DashboardView struct {
	D apiclient.Dashboard
	// Value is the stock value with its currency; Others the value kept
	// in other currencies ("" when there is none).
	Value      string
	Others     string
	ValueChart BarChart
	DayChart   ColumnChart
	// DayTotal is the sum of DayChart's columns.
	DayTotal int64
}

// dayLabelEvery is how often a day is named under the movements chart:
// weekly, so 30 days read without crowding.
const dayLabelEvery = 7

// NewDashboardView lays out the figures and charts of d.
func NewDashboardView(t *i18n.DashboardText, f format.Formatter, d apiclient.Dashboard) DashboardView {
	v := DashboardView{D: d, Value: f.Money(d.StockValue, string(d.Currency))}
	var others []string
	for _, o := range d.OtherCurrencies {
		others = append(others, f.Money(o.Value, string(o.Currency)))
	}
	if len(others) > 0 {
		v.Others = fill(t.OtherCurrencies, "list", strings.Join(others, ", "))
	}

	var values []ChartDatum
	for _, cv := range d.StockValueByCategory {
		label := t.NoCategory
		if cv.Name != nil && *cv.Name != "" {
			label = *cv.Name
		}
		values = append(values, ChartDatum{Label: label, Value: moneyValue(cv.Value), Text: f.Money(cv.Value, string(d.Currency))})
	}
	if moneyValue(d.OtherCategoriesValue) > 0 {
		values = append(values, ChartDatum{Label: t.OtherCategories, Value: moneyValue(d.OtherCategoriesValue),
			Text: f.Money(d.OtherCategoriesValue, string(d.Currency))})
	}
	v.ValueChart = NewBarChart("chart-value", t.ValueChartTitle, fill(t.ValueChartDesc, "currency", string(d.Currency)), values)

	var days []ChartDatum
	for _, dc := range d.MovementsPerDay {
		v.DayTotal += dc.Movements
		days = append(days, ChartDatum{Label: dc.Date.Format("02.01."), Value: float64(dc.Movements), Text: f.Int(dc.Movements)})
	}
	desc := t.DayChartDesc
	if n := len(d.MovementsPerDay); n > 0 {
		desc = strings.NewReplacer("{from}", f.Date(d.MovementsPerDay[0].Date.Time),
			"{to}", f.Date(d.MovementsPerDay[n-1].Date.Time), "{n}", f.Int(v.DayTotal)).Replace(desc)
	} else {
		desc = strings.NewReplacer("{from}", "–", "{to}", "–", "{n}", "0").Replace(desc)
	}
	v.DayChart = NewColumnChart("chart-days", t.DayChartTitle, desc, days, dayLabelEvery, f.Int)
	return v
}

// moneyValue reads the api's decimal for drawing; the page writes the
// string itself, so no rounding reaches a figure anyone reads.
func moneyValue(s string) float64 {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v < 0 {
		return 0
	}
	return v
}

// DashboardDayDate is a day of the movements table, written in full.
func DashboardDayDate(f format.Formatter, d apiclient.DayCount) string {
	return f.Date(d.Date.Time)
}

// receiveURL is the receipt form with the low item already on its first
// line.
func receiveURL(it apiclient.LowStockItem) string {
	return "/movements/new/receipt?item_id=" + itoa(it.ItemID)
}
