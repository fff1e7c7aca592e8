package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// Orders: the list, the form of a new order or a DRAFT's changes, an
// order's page with the actions its status allows, and the delivery screen
// (orders_deliver.go). The api decides everything (prices, reservations,
// what a status allows); the pages find items by code as the receipt does
// and show each line's available stock at the order's location.

const orderListLimit = 50

func (s *server) orderRoutes(e *echo.Echo) {
	getHead(e, "/orders", s.orderList, s.requireSignIn)
	getHead(e, "/orders/new", s.orderNew, s.requireSignIn)
	getHead(e, views.OrderLinePath, s.orderLine, s.requireSignIn)
	e.POST("/orders", s.orderCreate, s.requireSignIn)
	getHead(e, "/orders/:id", s.orderDetail, s.requireSignIn)
	getHead(e, "/orders/:id/edit", s.orderEdit, s.requireSignIn)
	e.POST("/orders/:id", s.orderUpdate, s.requireSignIn)
	e.POST("/orders/:id/confirm", s.orderConfirm, s.requireSignIn)
	e.POST("/orders/:id/cancel", s.orderCancel, s.requireSignIn)
	getHead(e, "/orders/:id/deliver", s.orderDeliverForm, s.requireSignIn)
	e.POST("/orders/:id/deliver", s.orderDeliver, s.requireSignIn)
}

func (s *server) orderList(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	q := c.QueryParams()
	v := views.OrderListView{Filter: views.Form{Values: map[string]string{"q": q.Get("q")}},
		Statuses: map[string]bool{}, CanWrite: who.Perms.Can(roles.Stock)}
	limit := orderListLimit
	params := apiclient.ListOrdersParams{Limit: &limit}
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		params.Q = &text
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	var statuses []apiclient.OrderStatus
	for _, st := range q["status"] {
		if os := apiclient.OrderStatus(st); os.Valid() && !v.Statuses[st] {
			v.Statuses[st] = true
			statuses = append(statuses, os)
		}
	}
	if len(statuses) > 0 {
		params.Status = &statuses
	}
	l, err := s.api.Orders(ctx, who.Bearer, params)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavOrders)
	p.Title = i18n.Orders(p.Lang).Title
	v.Rows = views.NewOrderRows(p.Fmt, l.Items)
	total := l.Total
	v.Pager = views.NewPager("/orders", q, l.NextCursor, &total)
	return render(c, http.StatusOK, views.OrderList(p, v))
}

// orderRowFields are the fields of an order's line and a delivery's
// empties row.
var orderRowFields = []string{"code", "quantity", "unit", "unit_price"}

// rowName is the form name of row i's field.
func rowName(prefix string, i int, field string) string {
	return prefix + "[" + strconv.Itoa(i) + "]." + field
}

// postedRows reads the rows of prefix as posted: the shown ones and the
// spare ones the script may have revealed, without empty rows and without
// the one whose remove button was pressed, renumbered from 0.
func postedRows(c echo.Context, prefix string, shown int) []map[string]string {
	remove, err := strconv.Atoi(c.FormValue("remove"))
	if err != nil {
		remove = -1
	}
	var rows []map[string]string
	for i := range min(shown, views.OrderMaxLines) + views.OrderSpareLines {
		row := map[string]string{}
		for _, f := range orderRowFields {
			row[f] = strings.TrimSpace(c.FormValue(rowName(prefix, i, f)))
		}
		if i == remove || (row["code"] == "" && row["quantity"] == "") {
			continue
		}
		rows = append(rows, row)
	}
	return rows
}

// putRows writes rows into values as rows 0..n-1.
func putRows(values map[string]string, prefix string, rows []map[string]string) {
	for i, row := range rows {
		for f, v := range row {
			values[rowName(prefix, i, f)] = v
		}
	}
}

// orderRows is the state of an order's lines (or a delivery's empties)
// while a form is read: the rows, what their codes found, the add field.
type orderRows struct {
	prefix string
	rows   []map[string]string
	found  map[string]*apiclient.Item
	// add is the add field's text; pick a candidate's SKU chosen.
	add, pick string
	// added is what the add field found: one item, or candidates.
	added      *apiclient.Item
	candidates []apiclient.Item
	searched   bool
}

func newOrderRows(c echo.Context, prefix string, shown int) *orderRows {
	return &orderRows{prefix: prefix, rows: postedRows(c, prefix, shown),
		add: strings.TrimSpace(c.FormValue("add_code")), pick: strings.TrimSpace(c.FormValue("add_pick"))}
}

// calls are the lookups the rows need, all at once: one search per
// distinct code, and the add field's search.
func (r *orderRows) calls(s *server, ctx context.Context, who SignedIn) []func() error {
	codes := map[string]bool{}
	for _, row := range r.rows {
		if row["code"] != "" {
			codes[row["code"]] = true
		}
	}
	if r.pick != "" {
		codes[r.pick] = true
	}
	var calls []func() error
	r.found, calls = s.findItemCodes(ctx, who, codes)
	if r.pick == "" && r.add != "" {
		calls = append(calls, func() error {
			items, err := s.api.LookupItems(ctx, who.Bearer, r.add, itemCandidates)
			if err != nil {
				return err
			}
			r.searched = true
			r.added, r.candidates = pickItem(r.add, items)
			return nil
		})
	}
	return calls
}

// addLine carries out "add": the picked or found item becomes a new row
// (its code as scanned, so a crate's code counts crates), an empty add
// field an empty row. It returns the add field's problem, if any.
func (r *orderRows) addLine(t *i18n.OrdersText) string {
	switch {
	case r.pick != "":
		if it := r.found[r.pick]; it != nil {
			r.rows = append(r.rows, map[string]string{"code": it.Sku})
			r.add = ""
		}
	case r.add == "":
		r.rows = append(r.rows, map[string]string{})
	case r.added != nil:
		code := r.add
		if _, ok := codeUnit(code, *r.added); !ok {
			code = r.added.Sku // found by words: the row names it by SKU
		}
		r.found[code] = r.added
		r.rows = append(r.rows, map[string]string{"code": code})
		r.add = ""
	case r.searched && len(r.candidates) == 0:
		return strings.ReplaceAll(t.NoItem, "{q}", r.add)
	}
	return ""
}

// orderLineContext is what the rows' info needs: the items' stock, and the
// order's location.
type orderLineContext struct {
	location int64
	stock    map[int64]apiclient.ItemStock
}

// loadStock fetches the stock of every item the rows name, one call per
// distinct item, at once.
func (s *server) loadOrderStock(ctx context.Context, who SignedIn, items map[string]*apiclient.Item) (map[int64]apiclient.ItemStock, error) {
	out := map[int64]apiclient.ItemStock{}
	var mu sync.Mutex
	var calls []func() error
	asked := map[int64]bool{}
	for _, it := range items {
		if it == nil || asked[it.ID] {
			continue
		}
		asked[it.ID] = true
		calls = append(calls, func() error {
			st, err := s.api.ItemStock(ctx, who.Bearer, it.ID)
			if isStatus(err, http.StatusNotFound) {
				return nil // gone meanwhile: saving will say so
			}
			if err != nil {
				return err
			}
			mu.Lock()
			out[it.ID] = st
			mu.Unlock()
			return nil
		})
	}
	return out, parallel(calls...)
}

// fill puts the rows into v: their values, and per row the item its code
// found with what the row shows of it (available at the location, price,
// VAT and deposit of the row's unit). Unknown codes are marked when mark
// is set.
func (r *orderRows) fill(v *views.OrderFormView, lc orderLineContext, mt *i18n.MovementsText, f format.Formatter, currency string) {
	putRows(v.Form.Values, r.prefix, r.rows)
	v.Items, v.CodeUnits, v.Info = map[int]views.MovementItem{}, map[int]string{}, map[int]views.OrderLineInfo{}
	for i, row := range r.rows {
		it := r.found[row["code"]]
		if it == nil {
			continue
		}
		mi := views.NewMovementItem(*it)
		v.Items[i] = mi
		unit := row["unit"]
		if cu, ok := codeUnit(row["code"], *it); ok {
			v.CodeUnits[i] = string(cu)
			if unit == "" {
				unit = string(cu)
			}
		}
		if unit == "" {
			unit = "base"
		}
		v.Info[i] = orderLineInfo(*it, mi, unit, lc, mt, f, currency)
	}
	for _, it := range r.candidates {
		v.Candidates = append(v.Candidates, views.NewMovementItem(it))
	}
	v.Form.Values["add_code"] = r.add
}

// orderLineInfo is what a row shows of its item in unit.
func orderLineInfo(it apiclient.Item, mi views.MovementItem, unit string, lc orderLineContext, mt *i18n.MovementsText, f format.Formatter, currency string) views.OrderLineInfo {
	info := views.OrderLineInfo{Label: itemLabel(it), VAT: f.Percent(string(it.VatRate))}
	word := mi.UnitName(mt, unit)
	if currency == "" {
		currency = string(it.Currency)
	}
	if price := views.ItemUnitPrice(it, unit); price != "" {
		info.Price = f.Money(price, currency) + " / " + word
	}
	if d := views.ItemUnitDeposit(it, unit); d != 0 {
		info.Deposit = f.Money(views.CentsText(d), currency) + " / " + word
	}
	if st, ok := lc.stock[it.ID]; ok && lc.location != 0 {
		var available int64
		for _, l := range st.Locations {
			if l.LocationID == lc.location {
				available = l.Available
			}
		}
		info.Available = views.QuantityBreakdown(mt, f, views.BreakdownOf(available, mi), mi.BaseUnit, mi.PackageUnit)
	}
	return info
}

// orderFormPost is an order form as posted, being read.
type orderFormPost struct {
	v        views.OrderFormView
	rows     *orderRows
	customer *partnerField
}

func (s *server) readOrderForm(c echo.Context, order *apiclient.Order) (*orderFormPost, error) {
	ctx, who := c.Request().Context(), s.signedIn(c)
	shown, _ := strconv.Atoi(c.FormValue("lines"))
	v := views.OrderFormView{Order: order, Version: c.FormValue("version"), Prices: who.Perms.Can(roles.Prices),
		Form: views.Form{Values: formValues(c, "location_id", "delivery_date", "notes"), IdempotencyKey: postedIdempotencyKey(c)}}
	post := &orderFormPost{v: v, rows: newOrderRows(c, "lines", max(shown, 1)),
		customer: newPartnerField(false, c.FormValue("customer"), c.FormValue("customer_key"), c.FormValue("customer_key_for"), c.FormValue("customer_pick"))}
	var locations []apiclient.Location
	calls := append(post.rows.calls(s, ctx, who),
		post.customer.call(s, ctx, who),
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err })
	if err := parallel(calls...); err != nil {
		return nil, err
	}
	post.v.Locations = locationOptions(locations)
	return post, nil
}

// finish fills the form's rows and their info (one more round of calls:
// the stock of the items found) and sets how many rows show.
func (s *server) finishOrderForm(c echo.Context, post *orderFormPost, extraRow bool) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	stock, err := s.loadOrderStock(ctx, who, post.rows.found)
	if err != nil {
		return err
	}
	location, _ := strconv.ParseInt(post.v.Form.Values["location_id"], 10, 64)
	currency := ""
	if post.v.Order != nil {
		currency = string(post.v.Order.Currency)
	}
	post.rows.fill(&post.v, orderLineContext{location: location, stock: stock}, i18n.Movements(s.lang(c)), s.ledgerFormatter(c), currency)
	post.v.Lines = max(len(post.rows.rows), 1)
	if extraRow {
		post.v.Lines++
	}
	post.v.Lines = min(post.v.Lines, views.OrderMaxLines)
	post.v.Spare = min(views.OrderSpareLines, views.OrderMaxLines-post.v.Lines)
	return nil
}

func (s *server) renderOrderForm(c echo.Context, status int, v views.OrderFormView) error {
	p := s.page(c, views.NavOrders)
	t := i18n.Orders(p.Lang)
	p.Title = t.NewTitle
	if v.Order != nil {
		p.Title = strings.ReplaceAll(t.EditTitle, "{number}", v.Order.Number)
	}
	return render(c, status, views.OrderForm(p, v))
}

func (s *server) orderNew(c echo.Context) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	locations, err := s.api.LookupLocations(ctx, who.Bearer)
	if err != nil {
		return err
	}
	v := views.OrderFormView{Lines: views.OrderLines, Spare: views.OrderSpareLines, Prices: who.Perms.Can(roles.Prices),
		Locations: locationOptions(locations),
		Form:      views.Form{Values: map[string]string{}, IdempotencyKey: newIdempotencyKey()}}
	if len(v.Locations) == 1 {
		v.Form.Values["location_id"] = v.Locations[0].Value
	}
	return s.renderOrderForm(c, http.StatusOK, v)
}

func (s *server) orderEdit(c echo.Context) error {
	who, id, err := s.recordFor(c, roles.Stock)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var o apiclient.Order
	var etag string
	var locations []apiclient.Location
	if err := parallel(
		func() (err error) { o, etag, err = s.api.Order(ctx, who.Bearer, id); return err },
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
	); err != nil {
		return err
	}
	if o.Status != apiclient.OrderStatusDRAFT {
		return s.orderWrongStatus(c, o)
	}
	v := views.OrderFormView{Order: &o, Version: etag, Prices: who.Perms.Can(roles.Prices), Locations: locationOptions(locations),
		Form: views.Form{Values: map[string]string{"location_id": strconv.FormatInt(o.LocationID, 10), "notes": o.Notes}}}
	text := views.OrderCustomer(o.CustomerName, o.CustomerNumber)
	f := partnerField{text: text, key: partnerKey{id: o.CustomerID}}
	f.keep(v.Form.Values, "customer")
	if o.DeliveryDate != nil {
		v.Form.Values["delivery_date"] = o.DeliveryDate.Format(time.DateOnly)
	}
	rows := &orderRows{prefix: "lines", found: map[string]*apiclient.Item{}}
	var calls []func() error
	var mu sync.Mutex
	for _, l := range o.Lines {
		row := map[string]string{"code": l.ItemSku, "quantity": strconv.FormatInt(l.Quantity, 10), "unit": string(l.Unit)}
		if l.PriceOverridden && v.Prices {
			row["unit_price"] = l.UnitPrice
		}
		rows.rows = append(rows.rows, row)
		if _, ok := rows.found[l.ItemSku]; ok {
			continue
		}
		rows.found[l.ItemSku] = nil
		calls = append(calls, func() error {
			it, err := s.api.LookupItem(ctx, who.Bearer, l.ItemID)
			if isStatus(err, http.StatusNotFound) {
				return nil
			}
			mu.Lock()
			rows.found[l.ItemSku] = &it
			mu.Unlock()
			return err
		})
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	post := &orderFormPost{v: v, rows: rows}
	if err := s.finishOrderForm(c, post, false); err != nil {
		return err
	}
	return s.renderOrderForm(c, http.StatusOK, post.v)
}

func (s *server) orderCreate(c echo.Context) error {
	return s.saveOrder(c, nil, "")
}

func (s *server) orderUpdate(c echo.Context) error {
	who, id, err := s.recordFor(c, roles.Stock)
	if err != nil {
		return err
	}
	o, _, err := s.api.Order(c.Request().Context(), who.Bearer, id)
	if err != nil {
		return err
	}
	return s.saveOrder(c, &o, c.FormValue("version"))
}

// saveOrder answers the order form: "add" and "remove" come back with the
// lines changed; "save" creates the order (order nil) or replaces the
// DRAFT's, with the version it was based on.
func (s *server) saveOrder(c echo.Context, order *apiclient.Order, version string) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	ctx, lang := c.Request().Context(), s.lang(c)
	t, mt, msg := i18n.Orders(lang), i18n.Movements(lang), i18n.For(lang)
	post, err := s.readOrderForm(c, order)
	if err != nil {
		return err
	}
	v := &post.v
	problems := map[string]string{}
	customerProblem, choices := post.customer.settle(mt)
	post.customer.keep(v.Form.Values, "customer")
	v.Choices = choices
	if customerProblem != "" {
		problems["customer"] = customerProblem
	}
	action := c.FormValue("action")
	if c.FormValue("add_pick") != "" {
		action = "add"
	}
	if action != "save" {
		addProblem := ""
		if action == "add" {
			addProblem = post.rows.addLine(t)
		}
		if err := s.finishOrderForm(c, post, false); err != nil {
			return err
		}
		// Only what the person must act on is marked: an unknown code, the
		// add field, the customer.
		v.Form.Errors = map[string]string{}
		for i, row := range post.rows.rows {
			if row["code"] != "" && post.rows.found[row["code"]] == nil {
				v.Form.Errors[rowName("lines", i, "code")] = mt.LineUnknown
			}
		}
		if addProblem != "" {
			v.Form.Errors["add_code"] = addProblem
		}
		if customerProblem != "" && len(choices) == 0 {
			v.Form.Errors["customer"] = customerProblem
		}
		if len(v.Form.Errors) > 0 {
			v.Form.Error = msg.FormHasErrors
		}
		return s.renderOrderForm(c, http.StatusOK, *v)
	}

	in := apiclient.OrderInput{CustomerID: post.customer.key.id}
	in.LocationID, _ = strconv.ParseInt(v.Form.Values["location_id"], 10, 64)
	if notes := v.Form.Values["notes"]; notes != "" || order != nil {
		in.Notes = &notes
	}
	if d := v.Form.Values["delivery_date"]; d != "" {
		day, err := time.Parse(time.DateOnly, d)
		if err != nil {
			problems["delivery_date"] = msg.FieldRejected
		} else {
			in.DeliveryDate = &openapi_types.Date{Time: day}
		}
	}
	in.Lines = s.orderLinesInput(post.rows, v.Prices, problems, lang, mt, msg, t)
	if err := s.finishOrderForm(c, post, false); err != nil {
		return err
	}
	if len(in.Lines) == 0 && len(problems) == 0 {
		v.Form.Error = t.NoLines
		return s.renderOrderForm(c, http.StatusUnprocessableEntity, *v)
	}
	if len(problems) > 0 {
		v.Form.Errors, v.Form.Error = problems, msg.FormHasErrors
		return s.renderOrderForm(c, http.StatusUnprocessableEntity, *v)
	}
	rename := map[string]string{"customer_id": "customer"}
	for i := range in.Lines {
		rename[rowName("lines", i, "item_id")] = rowName("lines", i, "code")
	}
	var saved apiclient.Order
	if order == nil {
		saved, err = s.api.CreateOrder(ctx, who.Bearer, v.Form.IdempotencyKey, in)
	} else {
		saved, err = s.api.UpdateOrder(ctx, who.Bearer, order.ID, version, in)
	}
	if err != nil {
		status, ok := s.formFailure(c, err, &v.Form, rename, t.APIFields, mt.APIFields)
		if !ok {
			return err
		}
		if order != nil && status == http.StatusConflict {
			// Changed or confirmed meanwhile: say what it is now.
			if fresh, _, err := s.api.Order(ctx, who.Bearer, order.ID); err == nil && fresh.Status != apiclient.OrderStatusDRAFT {
				v.Form.Error = wrongStatusText(t, fresh)
			}
		}
		return s.renderOrderForm(c, status, *v)
	}
	return s.redirectWithFlash(c, views.OrderHref(saved.ID),
		views.Flash{Kind: views.FlashSuccess, Text: strings.ReplaceAll(t.Saved, "{number}", saved.Number)})
}

// orderLinesInput reads the rows into the api's lines, noting what is
// wrong with them in problems.
func (s *server) orderLinesInput(r *orderRows, prices bool, problems map[string]string, lang i18n.Lang, mt *i18n.MovementsText, msg *i18n.Messages, t *i18n.OrdersText) []apiclient.OrderLineInput {
	var out []apiclient.OrderLineInput
	for i, row := range r.rows {
		line := apiclient.OrderLineInput{}
		switch it := r.found[row["code"]]; {
		case row["code"] == "":
			problems[rowName(r.prefix, i, "code")] = mt.ItemRequired
		case it == nil:
			problems[rowName(r.prefix, i, "code")] = mt.LineUnknown
		default:
			line.ItemID = it.ID
			unit := row["unit"]
			if unit == "" {
				if cu, ok := codeUnit(row["code"], *it); ok {
					unit = string(cu)
				}
			}
			if unit != "" {
				u := apiclient.QuantityUnit(unit)
				line.Unit = &u
			}
		}
		qty, ok := parseQuantity(row["quantity"])
		if !ok || qty < 1 {
			problems[rowName(r.prefix, i, "quantity")] = msg.FieldProblem(lang,
				quantityProblem("quantity", 1, apiclient.LimitReceiptLineQuantityMaximum), mt.APIFields)
		}
		line.Quantity = qty
		if price := row["unit_price"]; price != "" && prices {
			if norm, ok := format.NormalizeDecimal(price); ok {
				line.UnitPrice = &norm
			} else {
				problems[rowName(r.prefix, i, "unit_price")] = msg.FieldProblem(lang,
					i18n.Problem{Field: "unit_price", Code: string(apiclient.FieldCodeInvalidFormat)}, t.APIFields)
			}
		}
		out = append(out, line)
	}
	return out
}

// orderLine answers movements.js for one line's code (and the order's
// location): its unit choice and what the line shows of the item.
func (s *server) orderLine(c echo.Context) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	ctx := c.Request().Context()
	code := strings.TrimSpace(c.QueryParam("code"))
	location, _ := strconv.ParseInt(c.QueryParam("location_id"), 10, 64)
	r := &orderRows{prefix: "lines", rows: []map[string]string{{"code": code}}, found: map[string]*apiclient.Item{}}
	if code != "" {
		if err := parallel(r.calls(s, ctx, who)...); err != nil {
			return err
		}
	}
	stock, err := s.loadOrderStock(ctx, who, r.found)
	if err != nil {
		return err
	}
	v := views.OrderFormView{Lines: 1, Form: views.Form{Values: map[string]string{}}}
	p := s.page(c, views.NavOrders)
	r.fill(&v, orderLineContext{location: location, stock: stock}, i18n.Movements(p.Lang), p.Fmt, "")
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.OrderLineAnswer(p, v, c.QueryParam("kind") != "empties"))
}

func (s *server) orderDetail(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	o, etag, err := s.api.Order(c.Request().Context(), who.Bearer, id)
	if err != nil {
		return err
	}
	return s.renderOrder(c, http.StatusOK, o, etag, views.Form{})
}

func (s *server) renderOrder(c echo.Context, status int, o apiclient.Order, etag string, f views.Form) error {
	return render(c, status, views.OrderDetail(s.orderPage(c, o), s.orderView(c, o, etag, f)))
}

// orderPage is the layout of an order's page.
func (s *server) orderPage(c echo.Context, o apiclient.Order) views.Page {
	p := s.page(c, views.NavOrders)
	p.Title = strings.ReplaceAll(i18n.Orders(p.Lang).OrderTitle, "{number}", o.Number)
	return p
}

// orderView is what an order's page shows, with fresh keys for its
// action forms (the invoice's too: a delivered order is invoiced from
// its page).
func (s *server) orderView(c echo.Context, o apiclient.Order, etag string, f views.Form) views.OrderView {
	perms := s.signedIn(c).Perms
	return views.OrderView{O: o, Version: etag, Form: f, CanWrite: perms.Can(roles.Stock),
		EmptiesCredit: views.OrderEmptiesCredit(o), ConfirmKey: newIdempotencyKey(),
		CancelKey: newIdempotencyKey(), InvoiceKey: newIdempotencyKey(),
		CanInvoice: perms.Can(roles.Prices) && o.Status == apiclient.OrderStatusDELIVERED}
}

// orderWrongStatus sends the person to the order's page, saying its status
// no longer allows what they asked.
func (s *server) orderWrongStatus(c echo.Context, o apiclient.Order) error {
	t := i18n.Orders(s.lang(c))
	return s.redirectWithFlash(c, views.OrderHref(o.ID), views.Flash{Kind: views.FlashError, Text: wrongStatusText(t, o)})
}

func wrongStatusText(t *i18n.OrdersText, o apiclient.Order) string {
	return strings.NewReplacer("{number}", o.Number, "{status}", views.OrderStatusText(t, string(o.Status))).Replace(t.WrongStatus)
}

func (s *server) orderConfirm(c echo.Context) error {
	return s.orderAction(c, func(ctx context.Context, who SignedIn, id int64, version, key string) (apiclient.Order, error) {
		return s.api.ConfirmOrder(ctx, who.Bearer, id, version, key)
	}, func(t *i18n.OrdersText) string { return t.Confirmed })
}

func (s *server) orderCancel(c echo.Context) error {
	return s.orderAction(c, func(ctx context.Context, who SignedIn, id int64, version, key string) (apiclient.Order, error) {
		return s.api.CancelOrder(ctx, who.Bearer, id, version, key)
	}, func(t *i18n.OrdersText) string { return t.Cancelled })
}

// orderAction runs confirm or cancel with the version the page showed; a
// refusal comes back on the order's page, read afresh, in its error
// summary: a shortfall per line, a status changed meanwhile.
func (s *server) orderAction(c echo.Context, act func(context.Context, SignedIn, int64, string, string) (apiclient.Order, error), done func(*i18n.OrdersText) string) error {
	who, id, err := s.recordFor(c, roles.Stock)
	if err != nil {
		return err
	}
	ctx, t := c.Request().Context(), i18n.Orders(s.lang(c))
	o, err := act(ctx, who, id, c.FormValue("version"), postedIdempotencyKey(c))
	if err == nil {
		return s.redirectWithFlash(c, views.OrderHref(o.ID),
			views.Flash{Kind: views.FlashSuccess, Text: strings.ReplaceAll(done(t), "{number}", o.Number)})
	}
	fresh, etag, ferr := s.api.Order(ctx, who.Bearer, id)
	if ferr != nil {
		return err
	}
	var f views.Form
	status, ok := s.orderFailure(c, err, &f, fresh, nil)
	if !ok {
		return err
	}
	return s.renderOrder(c, status, fresh, etag, f)
}

// orderFailure is formFailure for the orders' actions: a shortfall names
// each line and what is missing in the line's unit; a status the order no
// longer has says what it is now.
func (s *server) orderFailure(c echo.Context, err error, f *views.Form, o apiclient.Order, rename map[string]string) (int, bool) {
	lang := s.lang(c)
	t, mt := i18n.Orders(lang), i18n.Movements(lang)
	status, ok := s.formFailure(c, err, f, rename, t.APIFields, mt.APIFields)
	if !ok {
		return status, false
	}
	_, apiErr := apiclient.Status(err)
	if apiErr != nil && apiErr.Code == apiclient.ErrorErrorCodeInsufficientStock {
		for field, fe := range apiErr.Fields {
			if fe.Code == apiclient.FieldCodeInsufficientStock && strings.HasPrefix(field, "lines[") {
				f.Errors[field] = lineShortage(t, mt, problemOf(field, fe))
			}
		}
		f.Error = t.NotEnough
		if lang == i18n.English && apiErr.Message != "" {
			f.Error = apiErr.Message
		}
		return http.StatusConflict, true
	}
	if status == http.StatusConflict && len(f.Errors) == 0 && o.ID != 0 {
		f.Error = wrongStatusText(t, o)
	}
	return status, true
}

// lineShortage writes a line's shortfall: what is missing in the line's
// unit (rounded up, as the api gives it) and what is available in the
// item's base unit.
func lineShortage(t *i18n.OrdersText, mt *i18n.MovementsText, p i18n.Problem) string {
	count := func(n, unit string) string {
		v, _ := strconv.ParseInt(strings.NewReplacer("’", "", "−", "-").Replace(n), 10, 64)
		return i18n.UnitCount(v, n, unit)
	}
	missing := count(p.Params["missing"], p.Params["unit"])
	if n, ok := p.Params["missing_entered"]; ok {
		unit := p.Params["entered_unit_name"]
		if unit == "" {
			unit = mt.UnitNames[p.Params["entered_unit"]]
		}
		missing = count(n, unit)
	}
	return strings.NewReplacer("{missing}", missing, "{available}", count(p.Params["available"], p.Params["unit"])).Replace(t.Shortage)
}

// customerOrdersQuery finds a customer's orders in the list by their
// number.
func customerOrdersQuery(number int64) string {
	return url.QueryEscape(strconv.FormatInt(number, 10))
}

// customerRecentOrders is how many orders a customer's page lists.
const customerRecentOrders = 5

// customerSales is a customer's deposit account (from their record) and
// their latest orders.
func (s *server) customerSales(ctx context.Context, who SignedIn, p views.Page, cu apiclient.Customer) (views.CustomerSalesView, error) {
	limit := customerRecentOrders
	var l apiclient.OrderList
	var invoices []views.InvoiceRow
	if err := parallel(
		func() (err error) {
			l, err = s.api.Orders(ctx, who.Bearer, apiclient.ListOrdersParams{CustomerID: &cu.ID, Limit: &limit})
			return err
		},
		func() (err error) { invoices, err = s.customerOpenInvoices(ctx, who, p.Fmt, cu.ID); return err },
	); err != nil {
		return views.CustomerSalesView{}, err
	}
	v := views.CustomerSalesView{Orders: views.NewOrderRows(p.Fmt, l.Items), Query: customerOrdersQuery(cu.Number),
		CustomerID: cu.ID, Invoices: invoices}
	if cu.DepositBalance != nil {
		v.Deposits = *cu.DepositBalance
	}
	return v, nil
}
