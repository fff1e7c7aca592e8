package handlers

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// A delivery is booked through the api's receipts endpoint: every line a
// receipt from one supplier, all in one transaction or none. Lines name
// their item by a code (a scanned EAN or a SKU); the form finds the items
// when it is checked or sent, one search per distinct code, at once. The
// supplier is typed too (a name or an exact "s12") and resolved by one
// search at the same time, so the form lists no suppliers.

// receiptLineFields are each line's fields.
var receiptLineFields = []string{"code", "quantity", "unit", "unit_cost"}

func (s *server) receiptForm(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	v := views.ReceiptFormView{Lines: views.ReceiptLines, Form: views.Form{
		Values: map[string]string{"location_id": c.QueryParam("location_id")}, IdempotencyKey: newIdempotencyKey()}}
	var item *apiclient.Item
	itemCall := func() error { return nil }
	if id, _ := strconv.ParseInt(c.QueryParam("item_id"), 10, 64); id > 0 {
		itemCall = func() error {
			it, err := s.api.LookupItem(ctx, who.Bearer, id)
			if isStatus(err, http.StatusNotFound) {
				return nil // gone meanwhile: an empty first line
			}
			item = &it
			return err
		}
	}
	if err := s.loadReceiptChoices(c, &v, itemCall); err != nil {
		return err
	}
	if item != nil {
		// The one-click "receive" of a low item: its code on the first
		// line, its usual order as the quantity, its preferred supplier.
		v.Form.Values[views.LineField(0, "code")] = item.Sku
		v.Found = map[int]string{0: itemLabel(*item)}
		v.Items = map[int]views.MovementItem{0: views.NewMovementItem(*item)}
		v.CodeUnits = map[int]string{0: string(apiclient.QuantityUnitBase)} // by its SKU
		if err := s.loadLineStock(c, &v, map[string]*apiclient.Item{item.Sku: item}); err != nil {
			return err
		}
		if item.ReorderQty > 0 {
			v.Form.Values[views.LineField(0, "quantity")] = strconv.FormatInt(item.ReorderQty, 10)
		}
		if item.PreferredSupplierID != nil {
			if sp, ok := s.preferredSupplier(c, *item.PreferredSupplierID); ok {
				f := partnerField{supplier: true, text: supplierText(sp), key: partnerKey{supplier: true, id: sp.ID}}
				f.keep(v.Form.Values, "supplier")
			}
		}
	}
	return s.renderReceiptForm(c, http.StatusOK, v)
}

// preferredSupplier is an item's preferred supplier, for the "receive"
// link's form; false when it is gone or archived (the person then types
// the supplier).
func (s *server) preferredSupplier(c echo.Context, id int64) (apiclient.Supplier, bool) {
	sp, _, err := s.api.Supplier(c.Request().Context(), s.signedIn(c).Bearer, id)
	if err != nil || sp.Archived {
		// Only a convenience: the person types the supplier instead.
		return apiclient.Supplier{}, false
	}
	return sp, true
}

// loadReceiptChoices fetches the locations (and whatever else the caller
// needs, at the same time).
func (s *server) loadReceiptChoices(c echo.Context, v *views.ReceiptFormView, also ...func() error) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	var locations []apiclient.Location
	calls := append([]func() error{
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
	}, also...)
	if err := parallel(calls...); err != nil {
		return err
	}
	v.Locations = locationOptions(locations)
	if len(v.Locations) == 1 && v.Form.Values["location_id"] == "" {
		v.Form.Values["location_id"] = v.Locations[0].Value
	}
	return nil
}

func (s *server) renderReceiptForm(c echo.Context, status int, v views.ReceiptFormView) error {
	p := s.page(c, views.NavMovements)
	p.Title = i18n.Movements(p.Lang).TypeNames["receipt"]
	return render(c, status, views.ReceiptForm(p, v))
}

func itemLabel(it apiclient.Item) string {
	return it.Sku + " — " + it.Name
}

// receiptLinesPosted is how many lines the posted form had, within bounds.
func receiptLinesPosted(c echo.Context) int {
	n, err := strconv.Atoi(c.FormValue("lines"))
	if err != nil || n < 1 {
		return views.ReceiptLines
	}
	return min(n, views.ReceiptMaxLines)
}

func (s *server) bookReceipt(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Movements(lang)
	msg := i18n.For(lang)
	v := postedReceiptForm(c)
	val := v.Form.Values
	used, codes := receiptLinesInUse(val, v.Lines)

	// Find every distinct code at once (with the choices the form shows).
	found, calls := s.findItemCodes(ctx, who, codes)
	supplier := newPartnerField(true, val["supplier"], c.FormValue("supplier_key"), c.FormValue("supplier_key_for"), c.FormValue("supplier_pick"))
	calls = append(calls, supplier.call(s, ctx, who))
	if err := s.loadReceiptChoices(c, &v, calls...); err != nil {
		return err
	}

	problems := map[string]string{}
	supplierProblem, choices := supplier.settle(t)
	supplier.keep(val, "supplier")
	v.Choices = choices
	if supplierProblem != "" {
		problems["supplier"] = supplierProblem
	}
	r := receiptReading{lang: lang, t: t, msg: msg, prices: who.Perms.Can(roles.Prices), problems: problems}
	in, rename := r.input(c, s, &v, used, found, supplier.key.id)

	if c.FormValue("action") != "book" {
		if err := s.loadLineStock(c, &v, found); err != nil {
			return err
		}
		return s.renderReceiptCheck(c, v, len(used), problems, t)
	}
	if len(used) == 0 {
		v.Form.Error = msg.FieldProblem(lang, i18n.Problem{Field: "lines", Code: string(apiclient.FieldCodeTooFew),
			Params: map[string]string{"min": format.Int(apiclient.LimitReceiptInputLinesMinItems)}}, t.APIFields)
		return s.renderReceiptForm(c, http.StatusUnprocessableEntity, v)
	}
	if len(problems) > 0 {
		v.Form.Errors, v.Form.Error = problems, msg.FormHasErrors
		if err := s.loadLineStock(c, &v, found); err != nil {
			return err
		}
		return s.renderReceiptForm(c, http.StatusUnprocessableEntity, v)
	}

	booked, err := s.api.BookReceipt(ctx, who.Bearer, v.Form.IdempotencyKey, in)
	if err != nil {
		status, ok := s.ledgerFailure(c, err, &v.Form, rename)
		if !ok {
			return err
		}
		return s.renderReceiptForm(c, status, v)
	}
	q := url.Values{"type": {"receipt"}, "partner": {supplier.text}, "partner_key": {supplier.key.String()}}
	text := strings.ReplaceAll(t.ReceiptBooked, "{n}", strconv.Itoa(len(booked.Movements)))
	if len(booked.Movements) == 1 {
		text = t.ReceiptBookedOne
	}
	return s.redirectWithFlash(c, "/journal?"+q.Encode(), views.Flash{Kind: views.FlashSuccess, Text: text})
}

// postedReceiptForm is the receipt form as posted, with as many lines as
// it had.
func postedReceiptForm(c echo.Context) views.ReceiptFormView {
	lines := receiptLinesPosted(c)
	names := []string{"supplier", "reference", "location_id", "effective"}
	for i := range lines {
		for _, f := range receiptLineFields {
			names = append(names, views.LineField(i, f))
		}
	}
	return views.ReceiptFormView{Lines: lines, Form: views.Form{Values: formValues(c, names...),
		IdempotencyKey: postedIdempotencyKey(c)}}
}

// loadLineStock adds each found item's available stock, in its units, to
// the lines that name it: one call per distinct item, all at once.
func (s *server) loadLineStock(c echo.Context, v *views.ReceiptFormView, found map[string]*apiclient.Item) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	t, f := i18n.Movements(s.lang(c)), s.ledgerFormatter(c)
	stock := map[int64]string{}
	var mu sync.Mutex
	var calls []func() error
	for _, it := range found {
		if it == nil {
			continue
		}
		if _, asked := stock[it.ID]; asked {
			continue
		}
		stock[it.ID] = ""
		calls = append(calls, func() error {
			st, err := s.api.ItemStock(ctx, who.Bearer, it.ID)
			if isStatus(err, http.StatusNotFound) {
				return nil // gone meanwhile: booking will say so
			}
			if err != nil {
				return err
			}
			pkg := ""
			if st.PackageUnit != nil {
				pkg = *st.PackageUnit
			}
			text := views.QuantityBreakdown(t, f, st.AvailableBreakdown, st.BaseUnit, pkg)
			mu.Lock()
			stock[it.ID] = text
			mu.Unlock()
			return nil
		})
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	v.Stock = map[int]string{}
	for i, it := range v.Items {
		v.Stock[i] = stock[it.ID]
	}
	return nil
}

// receiptLine answers movements.js for one line's code (q): its unit
// choice, the item it names and that item's stock, as ReceiptLineAnswer.
func (s *server) receiptLine(c echo.Context) error {
	if !s.signedIn(c).Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	ctx, who := c.Request().Context(), s.signedIn(c)
	code := strings.TrimSpace(c.QueryParam("code"))
	v := views.ReceiptFormView{Lines: 1, Form: views.Form{Values: map[string]string{views.LineField(0, "code"): code}}}
	found := map[string]*apiclient.Item{}
	if code != "" {
		var calls []func() error
		found, calls = s.findItemCodes(ctx, who, map[string]bool{code: true})
		if err := parallel(calls...); err != nil {
			return err
		}
	}
	v.Found, v.Items, v.CodeUnits = map[int]string{}, map[int]views.MovementItem{}, map[int]string{}
	if it := found[code]; it != nil {
		v.Found[0], v.Items[0] = itemLabel(*it), views.NewMovementItem(*it)
		if unit, ok := codeUnit(code, *it); ok {
			v.CodeUnits[0] = string(unit)
		}
	}
	if err := s.loadLineStock(c, &v, found); err != nil {
		return err
	}
	p := s.page(c, views.NavMovements)
	c.Response().Header().Set("Cache-Control", "no-store")
	return render(c, http.StatusOK, views.ReceiptLineAnswer(p, i18n.Movements(p.Lang), v))
}

// receiptLinesInUse returns the lines in use, in order (empty ones are left
// out), and the distinct codes they name.
func receiptLinesInUse(val map[string]string, lines int) ([]int, map[string]bool) {
	var used []int
	codes := map[string]bool{}
	for i := range lines {
		code, qty := val[views.LineField(i, "code")], val[views.LineField(i, "quantity")]
		if code == "" && qty == "" {
			continue
		}
		used = append(used, i)
		if code != "" {
			codes[code] = true
		}
	}
	return used, codes
}

// findItemCodes returns the calls that look up each code, one search each,
// and the map they fill: the item a code names exactly, nil for none.
func (s *server) findItemCodes(ctx context.Context, who SignedIn, codes map[string]bool) (map[string]*apiclient.Item, []func() error) {
	found := make(map[string]*apiclient.Item, len(codes))
	var calls []func() error
	var mu sync.Mutex
	for code := range codes {
		calls = append(calls, func() error {
			items, err := s.api.LookupItems(ctx, who.Bearer, code, itemCandidates)
			if err != nil {
				return err
			}
			var hit *apiclient.Item
			for i := range items {
				if exactItem(code, items[i]) {
					hit = &items[i]
					break
				}
			}
			mu.Lock()
			found[code] = hit
			mu.Unlock()
			return nil
		})
	}
	return found, calls
}

// receiptReading turns a posted receipt form into the api's receipt, in
// the person's language, collecting what is wrong with it in problems.
type receiptReading struct {
	lang     i18n.Lang
	t        *i18n.MovementsText
	msg      *i18n.Messages
	prices   bool // the person may set costs
	problems map[string]string
}

// input builds the receipt from the lines in use, noting each line's item
// in v, and returns it with rename: the api's field names (of the lines in
// use) mapped back to the form's.
func (r receiptReading) input(c echo.Context, s *server, v *views.ReceiptFormView, used []int, found map[string]*apiclient.Item, supplierID int64) (apiclient.ReceiptInput, map[string]string) {
	val := v.Form.Values
	v.Found, v.Items, v.CodeUnits = map[int]string{}, map[int]views.MovementItem{}, map[int]string{}
	in := apiclient.ReceiptInput{}
	in.SupplierID = supplierID
	if ref := val["reference"]; ref != "" {
		in.Reference = &ref
	}
	location, _ := strconv.ParseInt(val["location_id"], 10, 64)
	when, ok := s.effectiveAt(c, val["effective"])
	if !ok {
		r.problems["effective"] = r.msg.FieldRejected
	}
	in.EffectiveAt = when
	rename := map[string]string{"effective_at": "effective", "supplier_id": "supplier"}
	for k, i := range used {
		in.Lines = append(in.Lines, r.line(v, i, location, found))
		for _, f := range []string{"item_id", "location_id", "quantity", "unit", "unit_cost"} {
			to := views.LineField(i, f)
			switch f {
			case "item_id":
				to = views.LineField(i, "code")
			case "location_id":
				to = "location_id"
			}
			rename[views.LineField(k, f)] = to
		}
	}
	return in, rename
}

// line reads the form's line i into a line of the receipt.
func (r receiptReading) line(v *views.ReceiptFormView, i int, location int64, found map[string]*apiclient.Item) apiclient.ReceiptLine {
	val, t, msg, lang := v.Form.Values, r.t, r.msg, r.lang
	code := val[views.LineField(i, "code")]
	line := apiclient.ReceiptLine{LocationID: location}
	switch it := found[code]; {
	case code == "":
		r.problems[views.LineField(i, "code")] = t.ItemRequired
	case it == nil:
		r.problems[views.LineField(i, "code")] = t.LineUnknown
	default:
		line.ItemID = it.ID
		v.Found[i] = itemLabel(*it)
		v.Items[i] = views.NewMovementItem(*it)
		if unit, ok := codeUnit(code, *it); ok {
			v.CodeUnits[i] = string(unit)
		}
	}
	qty, ok := parseQuantity(val[views.LineField(i, "quantity")])
	if !ok || qty < 1 {
		r.problems[views.LineField(i, "quantity")] = msg.FieldProblem(lang,
			quantityProblem("quantity", apiclient.LimitReceiptLineQuantityMinimum, apiclient.LimitReceiptLineQuantityMaximum), t.APIFields)
	}
	line.Quantity = qty
	// "As scanned" (no unit chosen) counts in the unit the code names:
	// a crate's code books crates.
	u := val[views.LineField(i, "unit")]
	if u == "" {
		u = v.CodeUnits[i]
	}
	if u != "" {
		unit := apiclient.QuantityUnit(u)
		line.Unit = &unit
	}
	if cost := val[views.LineField(i, "unit_cost")]; cost != "" && r.prices {
		if norm, ok := normalizeCost(cost); ok {
			line.UnitCost = &norm
		} else {
			r.problems[views.LineField(i, "unit_cost")] = msg.FieldProblem(lang,
				i18n.Problem{Field: "unit_cost", Code: string(apiclient.FieldCodeInvalidFormat)}, t.APIFields)
		}
	}
	return line
}

// renderReceiptCheck answers "check": it shows what each code found, and
// more lines when every line is in use; nothing is booked, the
// key stays for the booking. Only unknown codes and the supplier are marked.
func (s *server) renderReceiptCheck(c echo.Context, v views.ReceiptFormView, used int, problems map[string]string, t *i18n.MovementsText) error {
	if lines := v.Lines; used == lines && lines < views.ReceiptMaxLines {
		v.Lines = min(lines+views.ReceiptLines, views.ReceiptMaxLines)
	}
	for name, text := range problems {
		if (strings.HasSuffix(name, ".code") && text == t.LineUnknown) || name == "supplier" {
			if v.Form.Errors == nil {
				v.Form.Errors = map[string]string{}
			}
			v.Form.Errors[name] = text
		}
	}
	return s.renderReceiptForm(c, http.StatusOK, v)
}
