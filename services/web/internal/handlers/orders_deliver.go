package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The delivery screen: per line the quantity delivered (the order's by
// default; less is a short delivery, whose rest the api releases) and the
// empties the customer hands back, rows found by code like the order's
// lines. One api call delivers all or nothing.

func (s *server) orderDeliverForm(c echo.Context) error {
	who, id, err := s.recordFor(c, roles.Stock)
	if err != nil {
		return err
	}
	o, etag, err := s.api.Order(c.Request().Context(), who.Bearer, id)
	if err != nil {
		return err
	}
	if o.Status != apiclient.OrderStatusCONFIRMED {
		return s.orderWrongStatus(c, o)
	}
	v := views.DeliverView{O: o, Version: etag, Empties: views.OrderFormView{Lines: 1, Spare: views.OrderSpareLines,
		Form: views.Form{Values: map[string]string{}, IdempotencyKey: newIdempotencyKey()}}}
	for i, l := range o.Lines {
		v.Empties.Form.Values[views.LineField(i, "quantity")] = strconv.FormatInt(l.Quantity, 10)
	}
	return s.renderDeliver(c, http.StatusOK, v)
}

func (s *server) renderDeliver(c echo.Context, status int, v views.DeliverView) error {
	p := s.page(c, views.NavOrders)
	p.Title = strings.ReplaceAll(i18n.Orders(p.Lang).DeliverTitle, "{number}", v.O.Number)
	return render(c, status, views.OrderDeliver(p, v))
}

func (s *server) orderDeliver(c echo.Context) error {
	who, id, err := s.recordFor(c, roles.Stock)
	if err != nil {
		return err
	}
	ctx, lang := c.Request().Context(), s.lang(c)
	t, mt, msg := i18n.Orders(lang), i18n.Movements(lang), i18n.For(lang)
	version := c.FormValue("version")
	shown, _ := strconv.Atoi(c.FormValue("empties_rows"))
	rows := newOrderRows(c, "empties", max(shown, 1))
	var o apiclient.Order
	calls := append(rows.calls(s, ctx, who), func() (err error) { o, _, err = s.api.Order(ctx, who.Bearer, id); return err })
	if err := parallel(calls...); err != nil {
		return err
	}
	if o.Status != apiclient.OrderStatusCONFIRMED {
		return s.orderWrongStatus(c, o)
	}
	v := views.DeliverView{O: o, Version: version, Empties: views.OrderFormView{
		Form: views.Form{Values: map[string]string{}, IdempotencyKey: postedIdempotencyKey(c)}}}
	form := &v.Empties.Form
	problems := map[string]string{}
	delivered := make([]int64, len(o.Lines))
	short := false
	for i, l := range o.Lines {
		name := views.LineField(i, "quantity")
		text := strings.TrimSpace(c.FormValue(name))
		form.Values[name] = text
		n, ok := parseQuantity(text)
		if text == "" || !ok || n < 0 || n > l.Quantity {
			problems[name] = msg.FieldProblem(lang, quantityProblem("quantity", 0, l.Quantity), t.APIFields)
			continue
		}
		delivered[i] = n
		short = short || n < l.Quantity
	}

	action := c.FormValue("action")
	if c.FormValue("add_pick") != "" {
		action = "add"
	}
	addProblem := ""
	if action == "add" {
		addProblem = rows.addLine(t)
	}
	stock := orderLineContext{}
	rows.fill(&v.Empties, stock, mt, s.ledgerFormatter(c), string(o.Currency))
	v.Empties.Lines = min(max(len(rows.rows), 1), views.EmptiesMaxLines)
	v.Empties.Spare = min(views.OrderSpareLines, views.EmptiesMaxLines-v.Empties.Lines)
	if action != "deliver" {
		form.Errors = map[string]string{}
		for i, row := range rows.rows {
			if row["code"] != "" && rows.found[row["code"]] == nil {
				form.Errors[rowName("empties", i, "code")] = mt.LineUnknown
			}
		}
		if addProblem != "" {
			form.Errors["add_code"] = addProblem
		}
		if len(form.Errors) > 0 {
			form.Error = msg.FormHasErrors
		}
		return s.renderDeliver(c, http.StatusOK, v)
	}

	var empties []apiclient.EmptiesInput
	for _, line := range s.orderLinesInput(rows, false, problems, lang, mt, msg, t) {
		empties = append(empties, apiclient.EmptiesInput{ItemID: line.ItemID, Quantity: line.Quantity, Unit: line.Unit})
	}
	if len(problems) > 0 {
		form.Errors, form.Error = problems, msg.FormHasErrors
		return s.renderDeliver(c, http.StatusUnprocessableEntity, v)
	}
	in := apiclient.DeliveryInput{Delivered: &delivered}
	if len(empties) > 0 {
		in.Empties = &empties
	}
	rename := map[string]string{}
	for i := range empties {
		rename[rowName("empties", i, "item_id")] = rowName("empties", i, "code")
	}
	done, err := s.api.DeliverOrder(ctx, who.Bearer, id, version, form.IdempotencyKey, in)
	if err != nil {
		status, ok := s.orderFailure(c, err, form, o, rename)
		if !ok {
			return err
		}
		if status == http.StatusConflict {
			// Read afresh: the next attempt is based on what is there now.
			if fresh, etag, err := s.api.Order(ctx, who.Bearer, id); err == nil {
				if fresh.Status != apiclient.OrderStatusCONFIRMED {
					return s.orderWrongStatus(c, fresh)
				}
				v.O, v.Version = fresh, etag
			}
		}
		return s.renderDeliver(c, status, v)
	}
	text := t.DeliveredDone
	if short {
		text = t.ShortDone
	}
	return s.redirectWithFlash(c, views.OrderHref(done.ID),
		views.Flash{Kind: views.FlashSuccess, Text: strings.ReplaceAll(text, "{number}", done.Number)})
}
