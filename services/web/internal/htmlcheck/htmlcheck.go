// Package htmlcheck finds what the proxy's strict Content-Security-Policy
// would block in a rendered page: inline scripts, styles and event handlers,
// and anything loaded from another origin. Tests run every page through it.
package htmlcheck

import (
	"fmt"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Violations lists every CSP problem in page, or nothing.
func Violations(page string) []string {
	var out []string
	lower := strings.ToLower(page)
	// Text checks catch what a parser might normalise away.
	for _, s := range []string{"<style", " style="} {
		if strings.Contains(lower, s) {
			out = append(out, fmt.Sprintf("page contains %q", s))
		}
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
	if err != nil {
		return append(out, fmt.Sprintf("page does not parse: %v", err))
	}
	doc.Find("script:not([src])").Each(func(_ int, s *goquery.Selection) {
		out = append(out, "inline <script> without src")
	})
	doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, a := range s.Nodes[0].Attr {
			name := strings.ToLower(a.Key)
			switch {
			case strings.HasPrefix(name, "on"):
				out = append(out, fmt.Sprintf("<%s> has inline event handler %s", goquery.NodeName(s), name))
			case name == "src" || name == "href" || name == "action" || name == "srcset":
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") ||
					strings.HasPrefix(v, "javascript:") {
					out = append(out, fmt.Sprintf("<%s %s=%q> leaves the origin", goquery.NodeName(s), name, a.Val))
				}
			}
		}
	})
	return out
}
