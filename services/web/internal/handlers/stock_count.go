package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// A count sheet is a stock-take of one location: the sheet lists what the
// ledger holds there (one api call), the person fills in what they count,
// and one submit sends every filled line to the api's count, which books
// each difference as an adjustment in one transaction. Each row carries its
// item in a hidden field, so the posted sheet is read from itself, never
// from a stock list that may have changed since it was printed. The first
// submit button adds an item by its code (or only re-checks): an Enter
// never books. After booking, the confirmation page reads the booked
// adjustments back by their ids and shows only the differences.

// countSheetItems is how many items one sheet lists: the api's largest
// page, and at most what one count may book (500 lines).
const countSheetItems = 500

func (s *server) countRoutes(e *echo.Echo) {
	getHead(e, views.CountSheetPath, s.countSheet, s.requireSignIn)
	e.POST(views.CountSheetPath, s.postCount, s.requireSignIn)
	getHead(e, views.CountSheetPath+"/done", s.countDone, s.requireSignIn)
}

// countLocation reads the location id of a sheet; 0 when none is given.
func countLocation(raw string) (int64, error) {
	if strings.TrimSpace(raw) == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || id <= 0 {
		return 0, echo.ErrNotFound
	}
	return id, nil
}

// countData is what a sheet shows besides the typed values: the location,
// the choices and what the ledger holds there, by item.
type countData struct {
	locations []apiclient.Location
	stock     apiclient.StockList
	items     map[int64]apiclient.Item // items not in stock, by id
	found     []apiclient.Item         // the add_code search
}

// loadCount reads a sheet's data: at once the locations, the stock at loc
// and, when code is set, the items it finds; then, at once, the items among
// ids the stock does not list (rows added by code), usually none.
func (s *server) loadCount(ctx context.Context, who SignedIn, loc int64, ids []int64, code string) (countData, error) {
	d := countData{items: map[int64]apiclient.Item{}}
	limit := countSheetItems
	calls := []func() error{
		func() (err error) { d.locations, err = s.allLocations(ctx, who.Bearer); return err },
	}
	if loc > 0 {
		calls = append(calls, func() (err error) {
			d.stock, err = s.api.Stock(ctx, who.Bearer, apiclient.ListStockParams{LocationID: &loc, Limit: &limit})
			return err
		})
	}
	if code != "" {
		calls = append(calls, func() (err error) {
			d.found, err = s.api.LookupItems(ctx, who.Bearer, code, itemCandidates)
			return err
		})
	}
	if err := parallel(calls...); err != nil {
		return d, err
	}
	listed := map[int64]bool{}
	for _, l := range d.stock.Items {
		listed[l.ItemID] = true
	}
	var missing []int64
	for _, id := range ids {
		if !listed[id] {
			missing = append(missing, id)
		}
	}
	items := make([]apiclient.Item, len(missing))
	calls = calls[:0]
	for i, id := range missing {
		calls = append(calls, func() (err error) { items[i], err = s.api.LookupItem(ctx, who.Bearer, id); return err })
	}
	if err := parallel(calls...); err != nil {
		return d, err
	}
	for _, it := range items {
		d.items[it.ID] = it
	}
	return d, nil
}

// locationLabel is a location as a sheet names it ("WH1 — Hauptlager"); ""
// when loc is not among ls.
func locationLabel(ls []apiclient.Location, loc int64) string {
	for _, o := range locationOptions(ls) {
		if o.Value == strconv.FormatInt(loc, 10) {
			return o.Label
		}
	}
	return ""
}

// stockRow is a sheet's row of an item the stock list holds.
func stockRow(l apiclient.StockLine) views.CountRow {
	it := apiclient.Item{ID: l.ItemID, Sku: l.Sku, Name: l.Name, BaseUnit: l.BaseUnit,
		PackageUnit: l.PackageUnit, PackageSize: l.PackageSize, PalletSize: l.PalletSize}
	return views.CountRow{Item: views.NewMovementItem(it), Line: l}
}

// itemRow is a sheet's row of an item the location holds none of.
func itemRow(it apiclient.Item) views.CountRow {
	return views.CountRow{Item: views.NewMovementItem(it), Line: apiclient.StockLine{ItemID: it.ID, Sku: it.Sku,
		Name: it.Name, BaseUnit: it.BaseUnit, PackageUnit: it.PackageUnit, PackageSize: it.PackageSize, PalletSize: it.PalletSize}}
}

func (s *server) countSheet(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	loc, err := countLocation(c.QueryParam("location"))
	if err != nil {
		return err
	}
	d, err := s.loadCount(ctx, who, loc, nil, "")
	if err != nil {
		return err
	}
	v := views.CountSheetView{LocationID: loc, Locations: locationOptions(d.locations),
		Form: views.Form{Values: map[string]string{}, IdempotencyKey: newIdempotencyKey()}}
	if loc > 0 {
		if v.LocationLabel = locationLabel(d.locations, loc); v.LocationLabel == "" {
			return echo.ErrNotFound
		}
		for i, l := range d.stock.Items {
			row := stockRow(l)
			v.Rows = append(v.Rows, row)
			v.Form.Values[views.LineField(i, "unit")] = views.DefaultCountUnit(row.Item)
		}
		if d.stock.NextCursor != nil {
			v.Truncated = len(v.Rows)
		}
	}
	return s.renderCountSheet(c, http.StatusOK, v)
}

func (s *server) renderCountSheet(c echo.Context, status int, v views.CountSheetView) error {
	p := s.page(c, views.NavStock)
	t := i18n.Counts(p.Lang)
	p.Title = t.Title
	if v.LocationLabel != "" {
		p.Title = strings.ReplaceAll(t.TitleAt, "{location}", v.LocationLabel)
	}
	return render(c, status, views.CountSheet(p, v))
}

// postedCount is a posted sheet: its rows' items, in order, and every value.
type postedCount struct {
	location int64
	ids      []int64
	values   map[string]string
}

func readPostedCount(c echo.Context) (postedCount, error) {
	loc, err := countLocation(c.FormValue("location"))
	if err != nil || loc == 0 {
		return postedCount{}, echo.ErrNotFound
	}
	n, _ := strconv.Atoi(c.FormValue("rows"))
	n = max(0, min(n, countSheetItems+itemCandidates))
	pc := postedCount{location: loc, values: formValues(c, "note", "add_code")}
	for i := range n {
		id, err := strconv.ParseInt(c.FormValue(views.LineField(i, "item_id")), 10, 64)
		if err != nil || id <= 0 {
			continue // a row the form did not make
		}
		j := len(pc.ids)
		pc.ids = append(pc.ids, id)
		// Renumbered without gaps, as the re-rendered sheet names them.
		pc.values[views.LineField(j, "quantity")] = strings.TrimSpace(c.FormValue(views.LineField(i, "quantity")))
		pc.values[views.LineField(j, "unit")] = c.FormValue(views.LineField(i, "unit"))
	}
	return pc, nil
}

func (s *server) postCount(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	lang := s.lang(c)
	t := i18n.Counts(lang)
	msg := i18n.For(lang)
	pc, err := readPostedCount(c)
	if err != nil {
		return err
	}
	book := c.FormValue("action") == "book"
	code := strings.TrimSpace(pc.values["add_code"])
	if book {
		code = "" // booking books what is on the sheet
	}

	d, err := s.loadCount(ctx, who, pc.location, pc.ids, code)
	if err != nil && !isStatus(err, http.StatusNotFound) {
		return err
	}
	v := views.CountSheetView{LocationID: pc.location, Locations: locationOptions(d.locations),
		Form: views.Form{Values: pc.values, IdempotencyKey: postedIdempotencyKey(c), Errors: map[string]string{}}}
	if v.LocationLabel = locationLabel(d.locations, pc.location); v.LocationLabel == "" || err != nil {
		return echo.ErrNotFound // the location, or an item of the sheet, is gone
	}
	inStock := map[int64]apiclient.StockLine{}
	for _, l := range d.stock.Items {
		inStock[l.ItemID] = l
	}
	onSheet := map[int64]bool{}
	for _, id := range pc.ids {
		if l, ok := inStock[id]; ok {
			v.Rows = append(v.Rows, stockRow(l))
		} else {
			v.Rows = append(v.Rows, itemRow(d.items[id]))
		}
		onSheet[id] = true
	}

	if !book {
		status := http.StatusOK
		if code != "" {
			if problem := s.addCountRow(t, &v, code, d.found, onSheet, inStock); problem != "" {
				v.Form.Errors["add_code"], v.Form.Error = problem, msg.FormHasErrors
				status = http.StatusUnprocessableEntity
			}
		}
		return s.renderCountSheet(c, status, v)
	}

	in := apiclient.CountInput{LocationID: pc.location, Lines: []apiclient.CountLine{}}
	if note := strings.TrimSpace(pc.values["note"]); note != "" {
		in.Note = &note
	}
	rename := map[string]string{}
	for i, id := range pc.ids {
		raw := pc.values[views.LineField(i, "quantity")]
		if raw == "" {
			continue // not counted
		}
		qty, ok := wholeCount(raw)
		if !ok {
			v.Form.Errors[views.LineField(i, "quantity")] = t.NotWhole
			continue
		}
		line := apiclient.CountLine{ItemID: id, Quantity: qty}
		if u := pc.values[views.LineField(i, "unit")]; u != "" {
			unit := apiclient.QuantityUnit(u)
			line.Unit = &unit
		}
		for _, f := range []string{"item_id", "quantity", "unit"} {
			rename[views.LineField(len(in.Lines), f)] = views.LineField(i, f)
		}
		in.Lines = append(in.Lines, line)
	}
	switch {
	case len(v.Form.Errors) > 0:
		v.Form.Error = msg.FormHasErrors
		return s.renderCountSheet(c, http.StatusUnprocessableEntity, v)
	case len(in.Lines) == 0:
		v.Form.Error = t.NothingCounted
		return s.renderCountSheet(c, http.StatusUnprocessableEntity, v)
	}
	booked, err := s.api.BookCount(ctx, who.Bearer, v.Form.IdempotencyKey, in)
	if err != nil {
		status, ok := s.formFailure(c, err, &v.Form, rename, t.APIFields, i18n.Movements(lang).APIFields)
		if !ok {
			return err
		}
		// A row's item is a hidden field: its problem (gone, archived,
		// twice on the sheet) is shown beside the row's count.
		for field, text := range v.Form.Errors {
			if row, found := strings.CutSuffix(field, ".item_id"); found && v.Form.Errors[row+".quantity"] == "" {
				v.Form.Errors[row+".quantity"] = text
			}
		}
		return s.renderCountSheet(c, status, v)
	}
	q := url.Values{"location": {strconv.FormatInt(pc.location, 10)}, "lines": {strconv.Itoa(len(in.Lines))}}
	for _, d := range booked.Differences {
		q.Add("m", strconv.FormatInt(d.MovementID, 10))
	}
	return c.Redirect(http.StatusSeeOther, views.CountSheetPath+"/done?"+q.Encode())
}

// addCountRow adds the item code finds to the sheet, with the unit a fresh
// sheet preselects; it returns why it could not.
func (s *server) addCountRow(t *i18n.CountsText, v *views.CountSheetView, code string, found []apiclient.Item,
	onSheet map[int64]bool, inStock map[int64]apiclient.StockLine) string {
	item, several := pickItem(code, found)
	switch {
	case item == nil && len(several) == 0:
		return strings.ReplaceAll(t.AddNotFound, "{code}", code)
	case item == nil:
		return strings.NewReplacer("{n}", strconv.Itoa(len(several)), "{code}", code).Replace(t.AddAmbiguous)
	case onSheet[item.ID]:
		return strings.ReplaceAll(t.AddOnSheet, "{sku}", item.Sku)
	}
	row := itemRow(*item)
	if l, ok := inStock[item.ID]; ok {
		row = stockRow(l)
	}
	i := len(v.Rows)
	v.Rows = append(v.Rows, row)
	v.Form.Values[views.LineField(i, "unit")] = views.DefaultCountUnit(row.Item)
	v.Form.Values["add_code"] = ""
	return ""
}

// wholeCount reads a count as typed: a whole number of 0 or more, Swiss
// grouping allowed ("1’200").
func wholeCount(raw string) (int64, bool) {
	clean := strings.NewReplacer("’", "", "'", "", " ", "").Replace(raw)
	n, err := strconv.ParseInt(clean, 10, 64)
	if err != nil || n < 0 || n > apiclient.LimitCountLineQuantityMaximum {
		return 0, false
	}
	return n, true
}

// countDone confirms a count: the adjustments it booked, read back by id,
// shown as differences.
func (s *server) countDone(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	q := c.QueryParams()
	loc, err := countLocation(q.Get("location"))
	if err != nil || loc == 0 {
		return echo.ErrNotFound
	}
	lines, _ := strconv.Atoi(q.Get("lines"))
	var ids []int64
	for _, raw := range q["m"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 || len(ids) >= countSheetItems {
			return echo.ErrNotFound
		}
		ids = append(ids, id)
	}
	d, err := s.loadCount(ctx, who, loc, nil, "")
	if err != nil {
		return err
	}
	ms := make([]apiclient.Movement, len(ids))
	calls := make([]func() error, len(ids))
	for i, id := range ids {
		calls[i] = func() (err error) { ms[i], err = s.api.Movement(ctx, who.Bearer, id); return err }
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	units := map[int64]string{}
	for _, l := range d.stock.Items {
		units[l.ItemID] = l.BaseUnit
	}
	v := views.CountDoneView{LocationID: loc, LocationLabel: locationLabel(d.locations, loc), Lines: max(lines, len(ids))}
	for _, m := range ms {
		if m.Type != apiclient.MovementTypeAdjust || m.LocationID != loc || m.Counted == nil {
			return echo.ErrNotFound // not a difference of this count
		}
		v.Rows = append(v.Rows, views.CountDoneRow{ItemID: m.ItemID, SKU: m.ItemSku, Name: m.ItemName, BaseUnit: units[m.ItemID],
			Ledger: *m.Counted - m.QuantityBase, Counted: *m.Counted, Difference: m.QuantityBase, MovementID: m.ID})
	}
	p := s.page(c, views.NavStock)
	p.Title = strings.ReplaceAll(i18n.Counts(p.Lang).DoneTitle, "{location}", v.LocationLabel)
	return render(c, http.StatusOK, views.CountDone(p, v))
}
