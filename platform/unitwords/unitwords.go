// Package unitwords writes a count of a unit in words: "48 Flaschen",
// "1 Flasche", "12 crates". Unit names are the depot's own words, typed
// into each item ("Flasche", "crate", "Harass"), in whatever language the
// depot writes them, so their plural follows the word, not the reader's
// language: "48 Flaschen" on an English page too. The web (its pages) and
// the api (its PDF documents) both print counts of units; this package is
// their one word list, so a page and the invoice it links to agree. It
// uses only the standard library.
package unitwords

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// plurals knows the units of the beverage trade in German and English, by
// the singular in lower case; a word it does not know is shown as typed,
// whole.
var plurals = map[string]string{
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

// Plural is the plural of a unit's name as the depot typed it, keeping a
// capital first letter ("Harass" → "Harasse"); a name it does not know
// comes back unchanged.
func Plural(name string) string {
	plural, ok := plurals[strings.ToLower(name)]
	if !ok {
		return name
	}
	if r, _ := utf8.DecodeRuneInString(name); unicode.IsUpper(r) {
		p, size := utf8.DecodeRuneInString(plural)
		return string(unicode.ToUpper(p)) + plural[size:]
	}
	return plural
}

// Count writes a number and a unit's name, in the plural unless the number
// is one or minus one: "48 Flaschen", "1 Flasche", "−1 Harass". formatted is
// n as the reader's page or document writes numbers ("1’200"); an empty
// name leaves the number alone.
func Count(n int64, formatted, name string) string {
	if name == "" {
		return formatted
	}
	if n != 1 && n != -1 {
		name = Plural(name)
	}
	return formatted + " " + name
}
