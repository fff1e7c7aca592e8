package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/views"
)

// journalExport streams the journal as CSV, filtered as the journal page
// is: the browser cannot send the bearer token itself, so this route adds
// it and passes the api's answer through as it arrives, without holding a
// million lines in memory. A filter that cannot be read, or an item code
// that finds nothing, goes back to the journal, which says why.
func (s *server) journalExport(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	q := c.QueryParams()
	back := views.JournalPageURL(q)
	lp, problems := s.journalParams(c, q)
	if len(problems) > 0 {
		return c.Redirect(http.StatusSeeOther, back)
	}
	if code := q.Get("item"); code != "" {
		found, err := s.api.LookupItems(ctx, who.Bearer, code, itemCandidates)
		if err != nil {
			return err
		}
		item, _ := pickItem(code, found)
		if item == nil {
			return c.Redirect(http.StatusSeeOther, back)
		}
		lp.ItemID = &item.ID
	}
	params := apiclient.ExportMovementsParams{Type: lp.Type, ItemID: lp.ItemID, LocationID: lp.LocationID,
		SupplierID: lp.SupplierID, CustomerID: lp.CustomerID, UserID: lp.UserID, From: lp.From, To: lp.To}
	resp, err := s.api.ExportJournal(ctx, who.Bearer, params, s.csvDialect(c))
	if err != nil {
		if isStatus(err, http.StatusBadRequest) || isStatus(err, http.StatusUnprocessableEntity) {
			return c.Redirect(http.StatusSeeOther, back)
		}
		return err
	}
	return s.relayCSV(c, resp, "movements")
}
