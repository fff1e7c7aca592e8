package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/views"
)

// home is the overview with the system status; it needs no sign-in, so an
// operator can see whether api and database are up.
func (s *server) home(c echo.Context) error {
	readiness, err := s.readiness(c)
	p := s.page(c, views.NavHome)
	p.Title = p.Msg.HomeTitle
	return render(c, http.StatusOK, views.Home(p, views.StatusRows(p.Msg, readiness, err)))
}

// readiness asks the api how it is. A page that shows the answer still
// renders when the api is unreachable, and says so; the cause goes to the
// log, not to the browser.
func (s *server) readiness(c echo.Context) (apiclient.Readiness, error) {
	readiness, err := s.api.Readiness(c.Request().Context())
	if err != nil {
		s.log.Warn("api readiness failed",
			zap.Error(err),
			zap.String("kind", string(apiclient.KindOf(err))),
			zap.String("request_id", middleware.RequestIDOf(c)))
	}
	return readiness, err
}
