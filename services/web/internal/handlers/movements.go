package handlers

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The stock ledger's pages: booking movements, one movement and its
// reversal, the journal (movements_journal.go) and the stock list
// (stock.go). Every page makes its api calls at once where they do not
// depend on each other (parallel), and never one call per row.

func (s *server) movementRoutes(e *echo.Echo) {
	getHead(e, "/movements", s.movementsHome, s.requireSignIn)
	getHead(e, views.PartnerSuggestionsPath, s.partnerSuggestions, s.requireSignIn)
	getHead(e, views.ReceiptLinePath, s.receiptLine, s.requireSignIn)
	getHead(e, "/movements/new/:type", s.movementForm, s.requireSignIn)
	e.POST("/movements/new/:type", s.bookMovement, s.requireSignIn)
	getHead(e, "/movements/:id", s.movementDetail, s.requireSignIn)
	e.POST("/movements/:id/reverse", s.reverseMovement, s.requireSignIn)
	getHead(e, "/journal", s.journal, s.requireSignIn)
	getHead(e, "/journal/export", s.journalExport, s.requireSignIn)
	getHead(e, "/stock", s.stockList, s.requireSignIn)
}

// recentMovements is how many movements the movements page lists.
const recentMovements = 10

// itemCandidates is how many items a search offers to choose from.
const itemCandidates = 10

func (s *server) movementsHome(c echo.Context) error {
	who := s.signedIn(c)
	limit := recentMovements
	// The latest movements, named by the api: one call.
	list, err := s.api.Movements(c.Request().Context(), who.Bearer, apiclient.ListMovementsParams{Limit: &limit})
	if err != nil {
		return err
	}
	p := s.page(c, views.NavMovements)
	t := i18n.Movements(p.Lang)
	p.Title = t.Title
	return render(c, http.StatusOK, views.MovementsHome(p, views.NewJournalRows(t, list.Items, who.Person.ID)))
}

// peopleCall returns the call that offers the people as the journal's
// "booked by" choice, for those who may list people (admins; people are
// few); for everyone else it is nil and the journal offers "only mine".
func (s *server) peopleCall(ctx context.Context, who SignedIn, into *[]views.Option) func() error {
	if !who.Perms.Can(roles.Users) {
		return nil
	}
	return func() error {
		users, err := s.api.LookupUsers(ctx, who.Bearer)
		*into = peopleOptions(users)
		return err
	}
}

// movementFormFields are the fields of the single-movement forms.
var movementFormFields = []string{"location_id", "to_location_id", "quantity", "unit",
	"customer", "reason", "note", "effective"}

// movementRename maps the api's field names in errors to the form's.
var movementRename = map[string]string{"customer_id": "customer"}

// movementType reads the form's type from the path; a type without a form
// is a 404, and a person whose role may not book gets 403.
func (s *server) movementType(c echo.Context) (string, error) {
	typ := c.Param("type")
	if !views.IsMovementType(typ) {
		return "", echo.ErrNotFound
	}
	if !s.signedIn(c).Perms.Can(roles.Stock) {
		return "", echo.ErrForbidden
	}
	return typ, nil
}

func (s *server) movementForm(c echo.Context) error {
	typ, err := s.movementType(c)
	if err != nil {
		return err
	}
	if typ == "receipt" {
		return s.receiptForm(c)
	}
	v := views.MovementFormView{
		Type:  typ,
		Query: strings.TrimSpace(c.QueryParam("q")),
		Form: views.Form{
			Values:         map[string]string{"location_id": c.QueryParam("location_id"), "unit": c.QueryParam("unit")},
			IdempotencyKey: newIdempotencyKey(),
		},
	}
	itemID, _ := strconv.ParseInt(c.QueryParam("item_id"), 10, 64)
	if err := s.loadMovementForm(c, &v, itemID); err != nil {
		return err
	}
	return s.renderMovementForm(c, http.StatusOK, v)
}

func (s *server) renderMovementForm(c echo.Context, status int, v views.MovementFormView) error {
	p := s.page(c, views.NavMovements)
	p.Title = i18n.Movements(p.Lang).TypeNames[v.Type]
	return render(c, status, views.MovementForm(p, v))
}

// loadMovementForm fetches what the form of v.Type offers, at once: the
// locations and the item — by id, or found by v.Query (a scanned EAN or
// SKU picks its item directly). The customer is typed, so no list of
// customers is fetched.
func (s *server) loadMovementForm(c echo.Context, v *views.MovementFormView, itemID int64) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	var locations []apiclient.Location
	var item *apiclient.Item
	var found []apiclient.Item
	calls := []func() error{
		func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err },
	}
	switch {
	case itemID > 0:
		calls = append(calls, func() error {
			it, err := s.api.LookupItem(ctx, who.Bearer, itemID)
			if isStatus(err, http.StatusNotFound) {
				return nil // gone meanwhile: the form asks for an item again
			}
			item = &it
			return err
		})
	case v.Query != "":
		calls = append(calls, func() (err error) {
			found, err = s.api.LookupItems(ctx, who.Bearer, v.Query, itemCandidates)
			return err
		})
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	v.Locations = locationOptions(locations)
	if len(v.Locations) == 1 && v.Form.Values["location_id"] == "" {
		v.Form.Values["location_id"] = v.Locations[0].Value
	}
	if item == nil && v.Query != "" {
		item, found = pickItem(v.Query, found)
		v.NotFound = item == nil && len(found) == 0
		for _, it := range found {
			v.Candidates = append(v.Candidates, views.NewMovementItem(it))
		}
	}
	if item != nil {
		mi := views.NewMovementItem(*item)
		v.Item = &mi
		if err := s.loadItemStock(c, v, item.ID); err != nil {
			return err
		}
		// The code found the item: its unit is the one counted, unless the
		// form already says which (a unit in the address, or as posted).
		if unit, ok := codeUnit(v.Query, *item); ok && unit != apiclient.QuantityUnitBase && v.Form.Values["unit"] == "" {
			v.Form.Values["unit"] = string(unit)
			v.CodeUnit = string(unit)
		}
	}
	return nil
}

// loadItemStock adds where the form's item is stocked, so the person sees
// what the chosen location holds before booking. It is one call more,
// after the item is known (found by a code, its id is not known before).
func (s *server) loadItemStock(c echo.Context, v *views.MovementFormView, itemID int64) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	st, err := s.api.ItemStock(ctx, who.Bearer, itemID)
	if isStatus(err, http.StatusNotFound) {
		return nil // gone meanwhile: booking will say so
	}
	if err != nil {
		return err
	}
	t, f := i18n.Movements(s.lang(c)), s.ledgerFormatter(c)
	v.Stock, v.StockKnown = views.NewMovementStock(t, f, st), true
	v.NoStock = views.QuantityBreakdown(t, f, apiclient.Breakdown{}, st.BaseUnit, "")
	return nil
}

// pickItem chooses the item a search means: the one whose SKU or EAN is
// exactly the query (what a scanner types), else the only one found. With
// several and none exact, they are the candidates to choose from.
func pickItem(q string, found []apiclient.Item) (*apiclient.Item, []apiclient.Item) {
	for i := range found {
		if exactItem(q, found[i]) {
			return &found[i], nil
		}
	}
	if len(found) == 1 {
		return &found[0], nil
	}
	return nil, found
}

func exactItem(q string, it apiclient.Item) bool {
	_, ok := codeUnit(q, it)
	return ok
}

// codeUnit says which unit of it the code q names: a package's or a
// pallet's GTIN names that unit, the SKU and the unit's EAN the base unit.
// ok is false when q is none of the item's codes. A scanned crate counts
// crates: "12" after it must book 12 crates, not 12 bottles.
func codeUnit(q string, it apiclient.Item) (unit apiclient.QuantityUnit, ok bool) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return "", false
	case it.EanPackage != nil && *it.EanPackage == q && it.PackageSize != nil:
		return apiclient.QuantityUnitPackage, true
	case it.EanPallet != nil && *it.EanPallet == q && it.PackageSize != nil && it.PalletSize != nil:
		return apiclient.QuantityUnitPallet, true
	case strings.EqualFold(it.Sku, q), it.EanUnit != nil && *it.EanUnit == q:
		return apiclient.QuantityUnitBase, true
	}
	return "", false
}

func locationOptions(ls []apiclient.Location) []views.Option {
	out := make([]views.Option, 0, len(ls))
	for _, l := range ls {
		label := l.Code
		if l.Name != "" && l.Name != l.Code {
			label += " — " + l.Name
		}
		out = append(out, views.Option{Value: strconv.FormatInt(l.ID, 10), Label: label})
	}
	return out
}

func (s *server) bookMovement(c echo.Context) error {
	typ, err := s.movementType(c)
	if err != nil {
		return err
	}
	if typ == "receipt" {
		return s.bookReceipt(c)
	}
	ctx, who := c.Request().Context(), s.signedIn(c)
	lang := s.lang(c)
	t := i18n.Movements(lang)
	v := views.MovementFormView{Type: typ, Form: views.Form{
		Values: formValues(c, movementFormFields...), IdempotencyKey: postedIdempotencyKey(c)}}
	itemID, _ := strconv.ParseInt(c.FormValue("item_id"), 10, 64)
	if itemID < 1 {
		v.Form.Error = t.ItemRequired
		if err := s.loadMovementForm(c, &v, 0); err != nil {
			return err
		}
		return s.renderMovementForm(c, http.StatusUnprocessableEntity, v)
	}

	// refuse re-renders the form with what was typed and the messages.
	refuse := func(status int) error {
		if err := s.loadMovementForm(c, &v, itemID); err != nil {
			return err
		}
		return s.renderMovementForm(c, status, v)
	}
	// The customer as typed: resolved by one search unless it is exact.
	// Nothing is booked until it names one customer.
	var customer partnerKey
	var customerProblem string
	if typ == "issue" || typ == "return" {
		f := newPartnerField(false, v.Form.Values["customer"], c.FormValue("customer_key"), c.FormValue("customer_key_for"), c.FormValue("customer_pick"))
		if err := parallel(f.call(s, ctx, who)); err != nil {
			return err
		}
		customerProblem, v.Choices = f.settle(t)
		f.keep(v.Form.Values, "customer")
		customer = f.key
	}
	in, problems := s.movementInput(c, typ, itemID, customer.id, v.Form.Values)
	if customerProblem != "" {
		problems["customer"] = customerProblem
	}
	if len(problems) > 0 {
		v.Form.Errors, v.Form.Error = problems, i18n.For(lang).FormHasErrors
		return refuse(http.StatusUnprocessableEntity)
	}
	booked, err := s.api.BookMovement(ctx, who.Bearer, v.Form.IdempotencyKey, in)
	if err != nil {
		status, ok := s.ledgerFailure(c, err, &v.Form, movementRename)
		if !ok {
			return err
		}
		return refuse(status)
	}
	return s.redirectWithFlash(c, "/movements/"+strconv.FormatInt(booked.ID, 10),
		views.Flash{Kind: views.FlashSuccess, Text: bookedText(t, s.ledgerFormatter(c), booked, c.FormValue("base_unit"))})
}

// bookedText is the flash after a booking: what was booked, in base units
// as the api counted them. base is the item's base unit as the form showed
// it (only words; the number is the api's).
func bookedText(t *i18n.MovementsText, f format.Formatter, m apiclient.Movement, base string) string {
	base = strings.TrimSpace(base)
	if base == "" || len(base) > 30 {
		base = t.UnitNames["base"]
	}
	n := m.QuantityBase
	if m.Type == apiclient.MovementTypeAdjust && m.Counted != nil {
		n = *m.Counted
	}
	if n < 0 {
		n = -n
	}
	if n != 1 {
		base = i18n.UnitPlural(base) // "48 Flaschen"; the generic word has no plural here
	}
	return strings.NewReplacer("{type}", t.TypeNames[string(m.Type)], "{n}", f.Int(n),
		"{unit}", base).Replace(t.Booked)
}

// movementInput turns a posted form into the api's input. Values the
// browser should have sent as numbers but did not are reported as the api
// would word them, so they read like the api's other messages.
func (s *server) movementInput(c echo.Context, typ string, itemID, customerID int64, values map[string]string) (apiclient.MovementInput, map[string]string) {
	lang := s.lang(c)
	t := i18n.Movements(lang)
	msg := i18n.For(lang)
	problems := map[string]string{}
	in := apiclient.MovementInput{Type: apiclient.MovementInputType(typ), ItemID: itemID}
	in.LocationID, _ = strconv.ParseInt(values["location_id"], 10, 64)

	qty, ok := parseQuantity(values["quantity"])
	if !ok {
		// An adjust counts what is there, which may be nothing; every
		// other movement moves at least one.
		minQty := int64(1)
		if typ == "adjust" {
			minQty = apiclient.LimitMovementInputQuantityMinimum
		}
		problems["quantity"] = msg.FieldProblem(lang, quantityProblem("quantity", minQty, apiclient.LimitMovementInputQuantityMaximum), t.APIFields)
	}
	in.Quantity = qty
	if u := values["unit"]; u != "" {
		unit := apiclient.QuantityUnit(u)
		in.Unit = &unit
	}
	if typ == "transfer" {
		to, _ := strconv.ParseInt(values["to_location_id"], 10, 64)
		in.ToLocationID = &to
	}
	if customerID > 0 && (typ == "issue" || typ == "return") {
		in.CustomerID = &customerID
	}
	if r := values["reason"]; r != "" {
		in.Reason = &r
	}
	if n := values["note"]; n != "" {
		in.Note = &n
	}
	when, ok := s.effectiveAt(c, values["effective"])
	if !ok {
		problems["effective"] = msg.FieldRejected
	}
	in.EffectiveAt = when
	return in, problems
}

// quantityProblem is the api's problem of a quantity out of range, for a
// quantity the browser sent that is not a number at all.
func quantityProblem(field string, min, max int64) i18n.Problem {
	return i18n.Problem{Field: field, Code: string(apiclient.FieldCodeOutOfRange),
		Params: map[string]string{"min": format.Int(min), "max": format.Int(max)}}
}

// parseQuantity reads a whole number as people type it ("1’200").
func parseQuantity(s string) (int64, bool) {
	s = strings.NewReplacer("’", "", "'", "", " ", "").Replace(strings.TrimSpace(s))
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// normalizeCost reads a cost as people type it ("12,40") into the api's
// decimal with at most six places.
func normalizeCost(s string) (string, bool) {
	s = strings.NewReplacer("’", "", "'", "", " ", "").Replace(strings.TrimSpace(s))
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	// The contract's pattern of a cost decides, not a copy of its digits.
	if !regexp.MustCompile(apiclient.LimitCostPattern).MatchString(s) {
		return "", false
	}
	return s, true
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// ledgerFormatter is the page's formatter for a handler that needs one
// before (or without) making the page.
func (s *server) ledgerFormatter(c echo.Context) format.Formatter {
	return format.New(s.lang(c), s.loc, s.now())
}

// effectiveAt reads the form's date: empty or today means now (nil, the
// api's default); an earlier day means noon of that day in the
// organisation's zone, so the movement falls on that day wherever it is
// read.
func (s *server) effectiveAt(c echo.Context, value string) (*time.Time, bool) {
	if value == "" {
		return nil, true
	}
	f := s.ledgerFormatter(c)
	day, err := f.ParseDateValue(value)
	if err != nil {
		return nil, false
	}
	if f.DateValue(day) == f.DateValue(s.now()) {
		return nil, true
	}
	noon := day.Add(12 * time.Hour).UTC()
	return &noon, true
}

// ledgerFailure is formFailure for bookings: besides the field problems it
// explains a refusal for want of stock (insufficient_stock, a 409 that is
// not "changed meanwhile") in the page's language, with the quantities the
// api gives.
func (s *server) ledgerFailure(c echo.Context, err error, f *views.Form, rename map[string]string) (int, bool) {
	lang := s.lang(c)
	t := i18n.Movements(lang)
	status, ok := s.formFailure(c, err, f, rename, t.APIFields)
	if !ok {
		return status, false
	}
	var apiErr *apiclient.APIError
	if errors.As(err, &apiErr) && apiErr.Code == apiclient.ErrorErrorCodeInsufficientStock {
		// What was asked and what is there come as the quantity's
		// parameters; the field says what is there, the form the whole.
		f.Error = t.Insufficient
		if fe, ok := apiErr.Fields["quantity"]; ok && fe.Code == apiclient.FieldCodeInsufficientStock {
			f.Error = t.ShortageText(problemOf("quantity", fe))
		}
		status = http.StatusConflict
	}
	return status, true
}

// reversedText says what a reversal undid, in words ("Receipt reversed:
// 48 bottles Mineral 1.5 l."), not by the original's number.
func reversedText(t *i18n.MovementsText, f format.Formatter, rev apiclient.Movement) string {
	typ := t.TypeNames[string(apiclient.MovementTypeReversal)]
	if rev.ReversedType != nil {
		typ = t.TypeNames[string(*rev.ReversedType)]
	}
	qty := f.Quantity(rev.QuantityBase, views.MovementUnitWord(t, rev, apiclient.QuantityUnitBase, rev.QuantityBase))
	return strings.NewReplacer("{type}", typ, "{quantity}", qty, "{item}", rev.ItemName).Replace(t.Reversed)
}

func (s *server) movementDetail(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	v, err := s.loadMovement(c, id)
	if err != nil {
		return err
	}
	v.Reverse = views.Form{IdempotencyKey: newIdempotencyKey()}
	return s.renderMovement(c, http.StatusOK, v)
}

func (s *server) renderMovement(c echo.Context, status int, v views.MovementView) error {
	p := s.page(c, views.NavJournal)
	p.Title = views.MovementTitle(i18n.Movements(p.Lang), p.Fmt, v.M)
	return render(c, status, views.MovementDetail(p, v))
}

// loadMovement fetches a movement, which comes with its partner's name and
// who booked it.
func (s *server) loadMovement(c echo.Context, id int64) (views.MovementView, error) {
	ctx, who := c.Request().Context(), s.signedIn(c)
	m, err := s.api.Movement(ctx, who.Bearer, id)
	if err != nil {
		return views.MovementView{}, err
	}
	return views.MovementView{M: m, CanReverse: who.Perms.Can(roles.Stock) && views.Reversible(m),
		Partner: views.MovementPartner(i18n.Movements(s.lang(c)), m), By: views.MovementBy(i18n.Movements(s.lang(c)), m, who.Person.ID)}, nil
}

func (s *server) reverseMovement(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	ctx, who := c.Request().Context(), s.signedIn(c)
	if !who.Perms.Can(roles.Stock) {
		return echo.ErrForbidden
	}
	t := i18n.Movements(s.lang(c))
	f := views.Form{Values: formValues(c, "reason"), IdempotencyKey: postedIdempotencyKey(c)}
	in := apiclient.ReversalInput{}
	if r := f.Values["reason"]; r != "" {
		in.Reason = &r
	}
	rev, err := s.api.ReverseMovement(ctx, who.Bearer, f.IdempotencyKey, id, in)
	if err != nil {
		status, ok := s.ledgerFailure(c, err, &f, nil)
		if !ok {
			return err
		}
		v, lerr := s.loadMovement(c, id)
		if lerr != nil {
			return lerr
		}
		if !v.CanReverse {
			// Reversed meanwhile (by this very form sent twice, say):
			// show the movement as it is now.
			return s.redirectWithFlash(c, "/movements/"+strconv.FormatInt(id, 10),
				views.Flash{Kind: views.FlashInfo, Text: i18n.For(s.lang(c)).Conflict.Text})
		}
		v.Reverse = f
		return s.renderMovement(c, status, v)
	}
	return s.redirectWithFlash(c, "/movements/"+strconv.FormatInt(rev.ID, 10),
		views.Flash{Kind: views.FlashSuccess, Text: reversedText(t, s.ledgerFormatter(c), rev)})
}
