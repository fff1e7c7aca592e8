package i18n

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Unit names are the depot's own words, typed into each item ("Flasche",
// "crate", "Harass"), in whatever language the depot writes them, so their
// plural follows the word, not the page's language: "48 Flaschen" on an
// English page too. unitPlurals knows the units of the beverage trade in
// German and English; a word it does not know is shown as typed, whole.
var unitPlurals = map[string]string{
	// German.
	"flasche": "flaschen", "dose": "dosen", "harass": "harasse", "kiste": "kisten", "kasten": "kästen",
	"karton": "kartons", "fass": "fässer", "stück": "stück", "palette": "paletten", "gebinde": "gebinde",
	"packung": "packungen", "pack": "packs", "sack": "säcke", "beutel": "beutel", "tray": "trays",
	"sixpack": "sixpacks", "einheit": "einheiten", "liter": "liter", "glas": "gläser", "becher": "becher",
	"schachtel": "schachteln", "rolle": "rollen", "zeile": "zeilen", "tetrapack": "tetrapacks",
	"fässchen": "fässchen", "kanister": "kanister", "träger": "träger", "gebindeeinheit": "gebindeeinheiten",
	// English.
	"bottle": "bottles", "can": "cans", "crate": "crates", "case": "cases", "box": "boxes", "keg": "kegs",
	"barrel": "barrels", "piece": "pieces", "carton": "cartons", "pallet": "pallets", "unit": "units",
	"package": "packages", "bag": "bags", "six-pack": "six-packs", "litre": "litres",
	"glass": "glasses", "cup": "cups", "roll": "rolls", "line": "lines", "carrier": "carriers", "jar": "jars",
}

// UnitPlural is the plural of a unit's name as the depot typed it,
// keeping a capital first letter ("Harass" → "Harasse"); a name it does
// not know comes back unchanged.
func UnitPlural(name string) string {
	plural, ok := unitPlurals[strings.ToLower(name)]
	if !ok {
		return name
	}
	if r, _ := utf8.DecodeRuneInString(name); unicode.IsUpper(r) {
		p, size := utf8.DecodeRuneInString(plural)
		return string(unicode.ToUpper(p)) + plural[size:]
	}
	return plural
}

// UnitCount writes a number and a unit's name, in the plural unless the
// number is one: "48 Flaschen", "1 Flasche". formatted is n as the page
// writes numbers ("1’200").
func UnitCount(n int64, formatted, name string) string {
	if name == "" {
		return formatted
	}
	if n != 1 && n != -1 {
		name = UnitPlural(name)
	}
	return formatted + " " + name
}

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
