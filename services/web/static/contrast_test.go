package static

import (
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// themeColours reads the colour custom properties of the block of app.css
// that starts with selector.
func themeColours(t *testing.T, css, selector string) map[string]string {
	t.Helper()
	start := strings.Index(css, selector+" {")
	if start < 0 {
		t.Fatalf("app.css has no block %q", selector)
	}
	block := css[start : start+strings.Index(css[start:], "}")]
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`--([a-z-]+):\s*(#[0-9a-fA-F]{6})\s*;`).FindAllStringSubmatch(block, -1) {
		out[m[1]] = strings.ToLower(m[2])
	}
	return out
}

// luminance is WCAG 2's relative luminance of #rrggbb.
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	var l [3]float64
	for i := range l {
		v, err := strconv.ParseUint(hex[1+2*i:3+2*i], 16, 8)
		if err != nil {
			t.Fatalf("colour %q: %v", hex, err)
		}
		c := float64(v) / 255
		if c <= 0.03928 {
			l[i] = c / 12.92
		} else {
			l[i] = math.Pow((c+0.055)/1.055, 2.4)
		}
	}
	return 0.2126*l[0] + 0.7152*l[1] + 0.0722*l[2]
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// Both themes keep WCAG AA: 4.5:1 for text on the backgrounds it is drawn
// on, 3:1 for control borders and the focus ring (non-text contrast).
func TestThemesKeepAAContrast(t *testing.T) {
	raw, err := os.ReadFile("app.css")
	if err != nil {
		t.Fatal(err)
	}
	css := string(raw)
	light := themeColours(t, css, ":root")
	dark := themeColours(t, css, `:root[data-theme="dark"]`)
	system := themeColours(t, css, `  :root[data-theme="system"]`)
	for name, v := range dark {
		if system[name] != v {
			t.Errorf("the system dark theme's --%s is %q, the dark theme's %q", name, system[name], v)
		}
	}
	pairs := []struct {
		fg, bg string
		min    float64
	}{
		{"text", "bg", 4.5}, {"text", "surface", 4.5},
		{"muted", "bg", 4.5}, {"muted", "surface", 4.5},
		{"accent", "bg", 4.5}, {"accent", "surface", 4.5}, // links
		{"accent-text", "accent", 4.5}, // buttons
		{"ok", "ok-bg", 4.5}, {"bad", "bad-bg", 4.5}, {"warn", "warn-bg", 4.5}, {"info", "info-bg", 4.5},
		{"ok", "surface", 4.5}, {"bad", "surface", 4.5}, // field messages beside inputs
		{"text", "ok-bg", 4.5}, {"text", "bad-bg", 4.5}, {"text", "warn-bg", 4.5}, {"text", "info-bg", 4.5},
		{"control-border", "surface", 3}, {"control-border", "bg", 3},
		{"focus", "surface", 3}, {"focus", "bg", 3},
	}
	for theme, colours := range map[string]map[string]string{"light": light, "dark": dark} {
		for _, p := range pairs {
			fg, bg := colours[p.fg], colours[p.bg]
			if fg == "" || bg == "" {
				t.Errorf("%s theme: --%s or --%s is not a #rrggbb colour", theme, p.fg, p.bg)
				continue
			}
			if c := contrast(t, fg, bg); c < p.min {
				t.Errorf("%s theme: --%s %s on --%s %s is %.2f:1, want at least %.1f:1", theme, p.fg, fg, p.bg, bg, c, p.min)
			}
		}
	}
}
