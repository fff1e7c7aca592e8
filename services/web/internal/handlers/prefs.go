package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// setLanguage stores the chosen language in the dpx_lang cookie and, for a
// signed-in person, in their profile, then returns to the page it came
// from.
func (s *server) setLanguage(c echo.Context) error {
	lang, ok := i18n.Parse(c.FormValue("lang"))
	if !ok {
		return echo.ErrBadRequest
	}
	s.setCookie(c, cookieLang, string(lang), prefLifetime)
	v := s.visitorOf(c)
	v.lang = lang
	if v.sess != nil {
		l := apiclient.Language(lang)
		// No If-Match: the language is this person's latest wish whatever
		// else changed in their record.
		_, _, err := s.api.UpdateMe(c.Request().Context(), s.signedIn(c).Bearer, "", apiclient.MeUpdate{Language: &l})
		switch {
		case isStatus(err, http.StatusUnauthorized):
			return err
		case err != nil:
			// The cookie already holds the choice; the profile catches up
			// the next time it is saved.
			s.log.Warn("store language in profile", zap.Error(err), zap.String("request_id", middleware.RequestIDOf(c)))
		default:
			updated := *v.sess
			updated.Person.Language = string(lang)
			s.writeSession(c, &updated)
		}
	}
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue(views.NextFieldName)))
}

// setTheme stores light, dark or system in the dpx_theme cookie; the
// server sets <html data-theme> from it on every page.
func (s *server) setTheme(c echo.Context) error {
	t := c.FormValue("theme")
	switch t {
	case views.ThemeLight, views.ThemeDark, views.ThemeSystem:
	default:
		return echo.ErrBadRequest
	}
	s.setCookie(c, cookieTheme, t, prefLifetime)
	return c.Redirect(http.StatusSeeOther, safeNext(c.FormValue(views.NextFieldName)))
}
