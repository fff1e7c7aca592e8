package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/static"
)

// routes registers every page. A page group adds one line here calling its
// own routes function (func (s *server) itemRoutes(e *echo.Echo) in
// items.go), so groups do not edit each other's files. Pages that need a
// signed-in person pass s.requireSignIn.
func (s *server) routes(e *echo.Echo) {
	getHead(e, "/healthz", s.healthz)
	getHead(e, static.URLPrefix+"*", s.static)

	s.authRoutes(e)
	s.prefsRoutes(e)
	s.profileRoutes(e)
	s.itemRoutes(e)
	s.catalogueRoutes(e)
	s.movementRoutes(e)
	s.countRoutes(e)
	s.dashboardRoutes(e)
	s.userRoutes(e)
	s.companyRoutes(e)
	s.deliveryNoteRoutes(e)
	s.auditRoutes(e)
	s.orderRoutes(e)
	s.invoiceRoutes(e)
}

func (s *server) authRoutes(e *echo.Echo) {
	getHead(e, "/login", s.loginPage)
	e.POST("/login", s.login)
	e.POST("/logout", s.logout)
}

func (s *server) prefsRoutes(e *echo.Echo) {
	e.POST("/prefs/language", s.setLanguage)
	e.POST("/prefs/theme", s.setTheme)
}

func (s *server) profileRoutes(e *echo.Echo) {
	getHead(e, "/profile", s.profilePage, s.requireSignIn)
	e.POST("/profile", s.saveDetails, s.requireSignIn)
	e.POST("/profile/password", s.changePassword, s.requireSignIn)
	e.POST("/profile/sessions/revoke-others", s.revokeOtherSessions, s.requireSignIn)
	e.POST("/profile/sessions/:id/revoke", s.revokeSession, s.requireSignIn)
	e.POST("/profile/tokens", s.createToken, s.requireSignIn)
	e.POST("/profile/tokens/:id/revoke", s.revokeToken, s.requireSignIn)
}

// isSafe reports whether a method only reads (no CSRF check needed).
func isSafe(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}
