package views

import (
	"strings"

	"github.com/mileusna/useragent"

	"github.com/depotix/depotix/services/web/internal/i18n"
)

// DeviceName names the device behind a browser's User-Agent for people:
// "Firefox on Windows", "Safari on iPhone". A browser the parser does not
// know is "A program on Linux"; an empty description is the profile's
// "unknown device". The raw string belongs in a tooltip at most.
func DeviceName(lang i18n.Lang, raw string) string {
	t := i18n.Profile(lang)
	if strings.TrimSpace(raw) == "" {
		return t.UnknownDevice
	}
	ua := useragent.Parse(raw)
	browser := ua.Name
	if browser == "" || browser == raw {
		browser = t.UnknownBrowser
	}
	system := ua.Device // "iPhone", "iPad": what people call their phone
	if system == "" {
		system = ua.OS
	}
	if system == "" {
		return browser
	}
	return strings.NewReplacer("{browser}", browser, "{system}", system).Replace(t.DeviceName)
}
