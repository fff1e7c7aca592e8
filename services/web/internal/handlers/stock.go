package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/views"
)

// stockPageSize is how many items one stock page lists.
const stockPageSize = 50

// stockList is the stock per item with its breakdown, filtered by
// category, location and low stock. The list, the categories and the
// locations are fetched at once.
func (s *server) stockList(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Movements(lang)
	msg := i18n.For(lang)
	q := c.QueryParams()
	v := views.StockView{Filter: views.Form{Values: map[string]string{
		"category_id": q.Get("category_id"), "location_id": q.Get("location_id"), "low": q.Get("low"),
		"below": q.Get("below")}}}
	problems := map[string]string{}
	limit := stockPageSize
	params := apiclient.ListStockParams{Limit: &limit}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	if id, ok := queryID(q, "category_id", problems, msg); ok {
		params.CategoryID = &id
	}
	if id, ok := queryID(q, "location_id", problems, msg); ok {
		params.LocationID = &id
		if q.Get("below") != "" {
			// A location's contents: what it and every location below it
			// hold.
			below := true
			params.Sublocations = &below
		}
	}
	if q.Get("low") != "" {
		low := true
		params.LowStock = &low
	}

	var list apiclient.StockList
	var categories []apiclient.Category
	var locations []apiclient.Location
	listCall := func() (err error) { list, err = s.api.Stock(ctx, who.Bearer, params); return err }
	if len(problems) > 0 {
		listCall = nil
	}
	err := parallel(
		listCall,
		func() (err error) { categories, err = s.api.LookupCategories(ctx, who.Bearer); return err },
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
	)
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		v.Filter.Errors, v.Filter.Error = problems, msg.FormHasErrors
	}
	names := make(map[int64]string, len(categories))
	for _, cat := range categories {
		names[cat.ID] = cat.Name
		v.Categories = append(v.Categories, views.Option{Value: strconv.FormatInt(cat.ID, 10), Label: cat.Name})
	}
	v.Locations = locationOptions(locations)
	for _, l := range list.Items {
		row := views.StockRow{L: l, Category: t.Uncategorised}
		if l.CategoryID != nil {
			// A category that is archived is not among the choices:
			// say so rather than show its number.
			row.Category = names[*l.CategoryID]
			if row.Category == "" {
				row.Category = t.UnknownCategory
			}
		}
		v.Rows = append(v.Rows, row)
	}
	v.Pager = views.NewPager("/stock", q, list.NextCursor, list.Total)

	p := s.page(c, views.NavStock)
	p.Title = t.StockTitle
	return render(c, http.StatusOK, views.Stock(p, v))
}
