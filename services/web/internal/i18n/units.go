package i18n

import (
	"strings"

	"github.com/depotix/depotix/platform/unitwords"
)

// UnitPlural is the plural of a unit's name as the depot typed it
// ("Harass" → "Harasse"; unitwords.Plural, shared with the api's PDFs).
func UnitPlural(name string) string { return unitwords.Plural(name) }

// UnitCount writes a number and a unit's name, in the plural unless the
// number is one: "48 Flaschen", "1 Flasche" (unitwords.Count). formatted is
// n as the page writes numbers ("1’200").
func UnitCount(n int64, formatted, name string) string { return unitwords.Count(n, formatted, name) }

// countUnits fills each "{name} {unit}" of a field problem's text with the
// count and the unit's name, in the plural unless the count is one ("Only
// {available} {unit} available." → "Only 120 bottles available."): the api
// sends the item's own singular word as {unit}. Numbers come formatted
// ("1’200", "−3"); only ±1 is singular.
func countUnits(text string, params map[string]string) string {
	unit, ok := params["unit"]
	if !ok || !strings.Contains(text, " {unit}") {
		return text
	}
	for name, value := range params {
		key := "{" + name + "} {unit}"
		if name == "unit" || !strings.Contains(text, key) {
			continue
		}
		n := int64(0) // any count but one
		switch value {
		case "1", "-1", "−1":
			n = 1
		}
		text = strings.ReplaceAll(text, key, UnitCount(n, value, unit))
	}
	return text
}
