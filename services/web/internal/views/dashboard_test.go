package views

import (
	"strings"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
)

func TestNiceCeiling(t *testing.T) {
	for v, want := range map[float64]float64{0: 0, 0.3: 0.5, 1: 1, 7: 10, 12: 20, 45: 50, 100: 100, 101: 200, 12345.6: 20000} {
		if got := niceCeiling(v); got != want {
			t.Errorf("niceCeiling(%v) = %v, want %v", v, got, want)
		}
	}
}

func TestBarChartLayout(t *testing.T) {
	c := NewBarChart("c", "T", "D", []ChartDatum{
		{Label: "Beer", Value: 100, Text: "CHF 100.00"},
		{Label: "Water", Value: 25, Text: "CHF 25.00"},
		{Label: "A category with a very long name indeed", Value: 0, Text: "CHF 0.00"},
	})
	span := float64(chartWidth - barLabelWidth - barValueWidth)
	if c.Bars[0].W != span || c.Bars[1].W != span/4 || c.Bars[2].W != 0 {
		t.Errorf("bar widths = %v %v %v, want scaled to the largest", c.Bars[0].W, c.Bars[1].W, c.Bars[2].W)
	}
	if c.Bars[1].Y <= c.Bars[0].Y || c.Height != 3*barRowHeight+4 {
		t.Errorf("rows: y %v then %v, height %d", c.Bars[0].Y, c.Bars[1].Y, c.Height)
	}
	if !c.Bars[2].TruncatedLabel || !strings.HasSuffix(c.Bars[2].Label, "…") || c.Bars[2].FullLabel != "A category with a very long name indeed" {
		t.Errorf("long label = %q", c.Bars[2].Label)
	}
}

func TestColumnChartLayout(t *testing.T) {
	data := make([]ChartDatum, 30)
	for i := range data {
		data[i] = ChartDatum{Label: "d" + itoa(int64(i)), Value: float64(i % 5), Text: itoa(int64(i % 5))}
	}
	f := testPage(i18n.English, "").Fmt
	c := NewColumnChart("c", "T", "D", data, 7, f.Int)
	if c.TopLabel != "5" || c.ZeroLabel != "0" {
		t.Errorf("scale %q..%q", c.ZeroLabel, c.TopLabel)
	}
	var labels []string
	for i, col := range c.Columns {
		if col.Y+col.H != c.AxisY {
			t.Errorf("column %d does not stand on the axis", i)
		}
		if i > 0 && col.X <= c.Columns[i-1].X {
			t.Errorf("column %d not right of %d", i, i-1)
		}
		if col.Label != "" {
			labels = append(labels, col.Label)
		}
	}
	if got := strings.Join(labels, " "); got != "d1 d8 d15 d22 d29" {
		t.Errorf("labels = %q", got)
	}
	if c.Columns[4].H <= c.Columns[3].H || c.Columns[5].H != 0 {
		t.Errorf("heights %v, %v, %v do not follow 3, 4, 0", c.Columns[3].H, c.Columns[4].H, c.Columns[5].H)
	}
	if last := c.Columns[29]; last.X+last.W > c.AxisX2 {
		t.Errorf("last column ends at %v beyond the axis %v", last.X+last.W, c.AxisX2)
	}
}

func sampleDashboard() apiclient.Dashboard {
	beer := "Beer"
	days := make([]apiclient.DayCount, 30)
	for i := range days {
		days[i] = apiclient.DayCount{Date: openapi_types.Date{Time: time.Date(2025, 5, 4+i, 0, 0, 0, 0, time.UTC)}, Movements: int64(i)}
	}
	return apiclient.Dashboard{
		AsOf: testNow, Currency: "CHF", StockValue: "1234.50",
		StockValueByCategory: []apiclient.CategoryValue{{Name: &beer, Value: "1000.00"}, {Value: "234.50"}},
		OtherCategoriesValue: "0.00",
		LowStockCount:        1,
		LowStockItems:        []apiclient.LowStockItem{{ItemID: 4, Sku: "W", Name: "Water", BaseUnit: "bottle", Good: 2, MinStock: 10, ReorderQty: 24}},
		MovementsToday:       2, MovementsThisWeek: 9, MovementsPerDay: days,
	}
}

func TestDashboardComponent(t *testing.T) {
	p := signedInPage(i18n.German, NavHome, "clerk")
	t1 := i18n.Dashboard(i18n.German)
	v := NewDashboardView(t1, p.Fmt, sampleDashboard())
	if v.DayTotal != 435 {
		t.Errorf("day total = %d", v.DayTotal)
	}
	doc := renderDoc(t, Dashboard(p, v))
	svg := doc.Find(`svg[data-testid="chart-days"]`)
	if role, _ := svg.Attr("role"); role != "img" {
		t.Errorf("chart role = %q", role)
	}
	if lb, _ := svg.Attr("aria-labelledby"); lb != "chart-days-title chart-days-desc" {
		t.Errorf("aria-labelledby = %q", lb)
	}
	if got := svg.Find("desc").Text(); got != "Bewegungen pro Tag vom 04.05.2025 bis 02.06.2025; insgesamt 435. Die Zahlen stehen in der Tabelle darunter." {
		t.Errorf("desc = %q", got)
	}
	if n := doc.Find(`[data-testid="dashboard-days-table"] tbody tr`).Length(); n != 30 {
		t.Errorf("day table rows = %d", n)
	}
	if got := doc.Find(`[data-testid="dashboard-value-table"] tbody tr th`).Eq(1).Text(); got != "Ohne Kategorie" {
		t.Errorf("uncategorised = %q", got)
	}
	// "Other categories" only when they hold value.
	if doc.Find(`[data-testid="chart-value"] rect`).Length() != 2 {
		t.Error("a zero rest of categories should not be drawn")
	}
	if doc.Find(`[data-testid="dashboard-receive-4"]`).Length() != 1 || doc.Find(`[data-testid="dashboard-all-low"]`).Length() != 0 {
		t.Error("clerk: one receive button, no link to more")
	}
	if got := text(doc, "dashboard-stock-value"); got != "CHF 1’234.50" {
		t.Errorf("stock value = %q", got)
	}

	empty := apiclient.Dashboard{AsOf: testNow, Currency: "CHF", StockValue: "0.00", OtherCategoriesValue: "0.00"}
	doc = renderDoc(t, Dashboard(p, NewDashboardView(t1, p.Fmt, empty)))
	if text(doc, "dashboard-no-value") == "" || text(doc, "dashboard-no-low") == "" {
		t.Error("an empty depot should say there is nothing yet")
	}
}

func TestStatusPageComponent(t *testing.T) {
	p := testPage(i18n.English, "")
	doc := renderDoc(t, StatusPage(p, []StatusRow{{TestID: "status-api", Status: StatusOK, Text: "api: reachable"}}))
	if got := doc.Find("h1").Text(); got != "System status" {
		t.Errorf("h1 = %q", got)
	}
	if text(doc, "status-api-text") != "api: reachable" {
		t.Error("status rows missing")
	}
}
