package handlers

import "github.com/labstack/echo/v4"

// deliveryNotePath is where an order's delivery note downloads; the order
// pages link to it.
const deliveryNotePath = "/orders/:id/delivery-note.pdf"

func (s *server) deliveryNoteRoutes(e *echo.Echo) {
	getHead(e, deliveryNotePath, s.deliveryNote, s.requireSignIn)
}

// deliveryNote streams the order's delivery note from the api, which
// renders it and decides who may read it.
func (s *server) deliveryNote(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	f, err := s.api.DeliveryNote(c.Request().Context(), who.Bearer, id, c.Request().Header.Get("If-None-Match"))
	if err != nil {
		return err
	}
	return passOn(c, f)
}
