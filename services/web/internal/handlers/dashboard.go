package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The start page: the dashboard for a signed-in person, the public system
// status for everyone else (and at /status for everyone), so an operator
// can still see whether api and database are up without an account.

func (s *server) dashboardRoutes(e *echo.Echo) {
	getHead(e, "/", s.dashboard)
	getHead(e, "/status", s.statusPage)
}

func (s *server) dashboard(c echo.Context) error {
	if s.visitorOf(c).sess == nil {
		return s.home(c)
	}
	who := s.signedIn(c)
	d, err := s.api.Dashboard(c.Request().Context(), who.Bearer)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavHome)
	t := i18n.Dashboard(p.Lang)
	p.Title = t.Title
	return render(c, http.StatusOK, views.Dashboard(p, views.NewDashboardView(t, p.Fmt, d)))
}

// statusPage is the system status; it needs no sign-in.
func (s *server) statusPage(c echo.Context) error {
	readiness, err := s.readiness(c)
	p := s.page(c, "")
	p.Title = i18n.Dashboard(p.Lang).StatusTitle
	return render(c, http.StatusOK, views.StatusPage(p, views.StatusRows(p.Msg, readiness, err)))
}
