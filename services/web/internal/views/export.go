package views

import "strings"

// SeparatorParam is the web's (and the api's) query parameter that asks an
// export for commas instead of semicolons.
const SeparatorParam = "separator"

// WithSeparatorComma is href asking for the comma-separated file.
func WithSeparatorComma(href string) string {
	sep := "?"
	if strings.Contains(href, "?") {
		sep = "&"
	}
	return href + sep + SeparatorParam + "=comma"
}
