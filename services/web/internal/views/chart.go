package views

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Charts are SVG drawn on the server: no chart library, no script. The
// geometry is worked out here and the templates only place the shapes, so
// a chart is tested like any other view model. Every chart has a title and
// a description for screen readers, and its numbers are also on the page
// as a table (ChartTable), for everyone who would rather read them.

// ChartDatum is one figure of a chart: its label, its value and the value
// as the page writes it ("CHF 1’234.50").
type ChartDatum struct {
	Label string
	Value float64
	Text  string
}

// Sizes of the drawings, in SVG user units; the SVG scales to its box.
const (
	chartWidth     = 640
	barLabelWidth  = 190
	barValueWidth  = 110
	barRowHeight   = 30
	barThickness   = 18
	columnsHeight  = 220
	columnsLeft    = 48
	columnsBottom  = 24
	columnsTop     = 12
	chartLabelRune = 26
)

// BarChart is a horizontal bar chart: one row per datum, label on the
// left, the bar, its value at the end.
type BarChart struct {
	ID, Title, Desc string
	Width, Height   int
	Bars            []Bar
	Data            []ChartDatum
}

// Bar is one row of a BarChart, placed.
type Bar struct {
	Label, Text    string
	FullLabel      string // Label before shortening, for the tooltip
	TruncatedLabel bool
	X, Y, W, H     float64
	LabelX, LabelY float64
	ValueX         float64
}

// NewBarChart lays out data as horizontal bars scaled to the largest
// value. Negative values count as zero (a stock value is never below it).
func NewBarChart(id, title, desc string, data []ChartDatum) BarChart {
	c := BarChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Data: data}
	c.Height = max(len(data), 1)*barRowHeight + 4
	maxV := 0.0
	for _, d := range data {
		maxV = math.Max(maxV, d.Value)
	}
	span := float64(chartWidth - barLabelWidth - barValueWidth)
	for i, d := range data {
		w := 0.0
		if maxV > 0 && d.Value > 0 {
			w = math.Max(d.Value/maxV*span, 1)
		}
		y := float64(i*barRowHeight) + float64(barRowHeight-barThickness)/2
		label, cut := shorten(d.Label, chartLabelRune)
		c.Bars = append(c.Bars, Bar{
			Label: label, FullLabel: d.Label, TruncatedLabel: cut, Text: d.Text,
			X: barLabelWidth, Y: y, W: w, H: barThickness,
			LabelX: barLabelWidth - 8, LabelY: y + barThickness/2 + 4,
			ValueX: barLabelWidth + w + 6,
		})
	}
	return c
}

// ColumnChart is a vertical column chart over days (or any sequence):
// columns side by side, a few labels under them, the scale on the left.
type ColumnChart struct {
	ID, Title, Desc string
	Width, Height   int
	Columns         []Column
	// Axis: the base line and the scale's top.
	AxisX1, AxisX2, AxisY float64
	TopLabel, ZeroLabel   string
	TopY                  float64
	Data                  []ChartDatum
}

// Column is one column of a ColumnChart, placed; Label is "" for columns
// whose label would crowd the axis.
type Column struct {
	X, Y, W, H     float64
	Label          string
	LabelX, LabelY float64
	Title          string // the column's own tooltip: label and value
}

// NewColumnChart lays out data as columns scaled to a round maximum. The
// last column's label is written under it, and every labelEvery-th before
// it, so the newest day is always named and labels never crowd.
func NewColumnChart(id, title, desc string, data []ChartDatum, labelEvery int, formatInt func(int64) string) ColumnChart {
	c := ColumnChart{ID: id, Title: title, Desc: desc, Width: chartWidth, Height: columnsHeight, Data: data}
	maxV := 0.0
	for _, d := range data {
		maxV = math.Max(maxV, d.Value)
	}
	top := niceCeiling(maxV)
	plotH := float64(columnsHeight - columnsBottom - columnsTop)
	plotW := float64(chartWidth - columnsLeft - 4)
	c.AxisX1, c.AxisX2, c.AxisY = columnsLeft, float64(chartWidth-4), float64(columnsHeight-columnsBottom)
	c.TopY = columnsTop + 4
	c.TopLabel, c.ZeroLabel = formatInt(int64(top)), formatInt(0)
	if len(data) == 0 {
		return c
	}
	slot := plotW / float64(len(data))
	gap := math.Min(4, slot/4)
	for i, d := range data {
		h := 0.0
		if top > 0 && d.Value > 0 {
			h = math.Max(d.Value/top*plotH, 1)
		}
		x := columnsLeft + float64(i)*slot + gap/2
		col := Column{X: x, Y: c.AxisY - h, W: slot - gap, H: h, Title: d.Label + ": " + d.Text}
		if labelEvery > 0 && (len(data)-1-i)%labelEvery == 0 {
			col.Label = d.Label
			col.LabelX, col.LabelY = x+(slot-gap)/2, c.AxisY+16
		}
		c.Columns = append(c.Columns, col)
	}
	return c
}

// niceCeiling rounds v up to 1, 2 or 5 times a power of ten, so the scale
// reads as a round number; 0 stays 0.
func niceCeiling(v float64) float64 {
	if v <= 0 {
		return 0
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

// shorten cuts a label to n runes, with an ellipsis; the chart's table
// keeps the whole label.
func shorten(s string, n int) (string, bool) {
	if utf8.RuneCountInString(s) <= n {
		return s, false
	}
	r := []rune(s)
	return string(r[:n-1]) + "…", true
}

// num writes an SVG coordinate.
func num(f float64) string {
	return strconv.FormatFloat(f, 'f', 1, 64)
}

// viewBox is the SVG viewBox of a w × h drawing.
func viewBox(w, h int) string {
	return "0 0 " + strconv.Itoa(w) + " " + strconv.Itoa(h)
}
