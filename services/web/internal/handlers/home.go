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
	readiness, err := s.api.Readiness(c.Request().Context())
	if err != nil {
		// The page still renders and says the api is unreachable; the
		// cause goes to the log, not to the browser.
		s.log.Warn("api readiness failed",
			zap.Error(err),
			zap.String("kind", string(apiclient.KindOf(err))),
			zap.String("request_id", middleware.RequestIDOf(c)))
	}
	p := s.page(c, views.NavHome)
	p.Title = p.Msg.HomeTitle
	return render(c, http.StatusOK, views.Home(p, views.StatusRows(p.Msg, readiness, err)))
}
