package handlers

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	openapi_types "github.com/oapi-codegen/runtime/types"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// Invoices: the list, issuing from delivered orders (an order's page or
// /invoices/new), an invoice's page with payments and credit notes, a
// credit note's page, and both PDFs as the api stored them. The api
// decides everything (numbers, totals, what a status allows); writes need
// prices.write, which the pages check before asking the api.

const invoiceListLimit = 50

func (s *server) invoiceRoutes(e *echo.Echo) {
	getHead(e, "/invoices", s.invoiceList, s.requireSignIn)
	getHead(e, "/invoices/new", s.invoiceNew, s.requireSignIn)
	e.POST("/invoices", s.invoiceIssue, s.requireSignIn)
	// /invoices/{id} and /invoices/{id}.pdf share the route: Echo's
	// parameters run to the next slash.
	getHead(e, "/invoices/:id", s.invoicePage, s.requireSignIn)
	e.POST("/invoices/:id/payments", s.invoicePayment, s.requireSignIn)
	e.POST("/invoices/:id/credit-notes", s.invoiceCredit, s.requireSignIn)
	getHead(e, "/credit-notes/:id", s.creditNotePage, s.requireSignIn)
	s.bankRoutes(e)
}

func (s *server) invoiceList(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	q := c.QueryParams()
	v := views.InvoiceListView{Filter: views.Form{Values: map[string]string{"q": q.Get("q")}},
		States: map[string]bool{}, CanWrite: who.Perms.Can(roles.Prices)}
	limit := invoiceListLimit
	params := apiclient.ListInvoicesParams{Limit: &limit}
	if text := strings.TrimSpace(q.Get("q")); text != "" {
		params.Q = &text
	}
	if cur := q.Get("cursor"); cur != "" {
		params.Cursor = &cur
	}
	if id, err := strconv.ParseInt(q.Get("customer_id"), 10, 64); err == nil && id > 0 {
		params.CustomerID = &id
		v.CustomerID = id
	}
	var states []apiclient.PaymentState
	for _, st := range q["status"] {
		if ps := apiclient.PaymentState(st); ps.Valid() && !v.States[st] {
			v.States[st] = true
			states = append(states, ps)
		}
	}
	if len(states) > 0 {
		params.Status = &states
	}
	var l apiclient.InvoiceList
	var customer apiclient.Customer
	calls := []func() error{func() (err error) { l, err = s.api.Invoices(ctx, who.Bearer, params); return err }}
	if v.CustomerID != 0 {
		calls = append(calls, func() (err error) {
			customer, _, err = s.api.Customer(ctx, who.Bearer, v.CustomerID)
			if isStatus(err, http.StatusNotFound) {
				return nil
			}
			return err
		})
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	t := i18n.Invoices(p.Lang)
	p.Title = t.Title
	if v.CustomerID != 0 {
		v.Customer = views.OrderCustomer(customer.Name, customer.Number)
		if customer.ID == 0 {
			v.Customer = i18n.Movements(p.Lang).UnknownCustomer
		}
	}
	v.Rows = views.NewInvoiceRows(p.Fmt, l.Items)
	total := l.Total
	v.Pager = views.NewPager("/invoices", q, l.NextCursor, &total)
	return render(c, http.StatusOK, views.InvoiceList(p, v))
}

// invoiceNew lists the delivered orders that wait for an invoice, found by
// the customer's name or number or an order number.
func (s *server) invoiceNew(c echo.Context) error {
	if !s.signedIn(c).Perms.Can(roles.Prices) {
		return echo.ErrForbidden
	}
	v := views.InvoiceNewView{Filter: views.Form{Values: map[string]string{"q": c.QueryParam("q")}},
		Form: views.Form{IdempotencyKey: newIdempotencyKey()}, Checked: map[int64]bool{}}
	if id, err := strconv.ParseInt(c.QueryParam("order_id"), 10, 64); err == nil {
		v.Checked[id] = true
	}
	return s.renderInvoiceNew(c, http.StatusOK, v, nil)
}

// renderInvoiceNew shows the delivered orders; ids are the orders a
// refused request named, in its order (nil for a fresh page).
func (s *server) renderInvoiceNew(c echo.Context, status int, v views.InvoiceNewView, ids []int64) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	limit := orderListLimit
	params := apiclient.ListOrdersParams{Limit: &limit, Status: &[]apiclient.OrderStatus{apiclient.OrderStatusDELIVERED}}
	if text := strings.TrimSpace(v.Filter.Value("q")); text != "" {
		params.Q = &text
	}
	l, err := s.api.Orders(ctx, who.Bearer, params)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	p.Title = i18n.Invoices(p.Lang).NewTitle
	v.Orders = views.NewOrderRows(p.Fmt, l.Items)
	if len(v.Form.Errors) > 0 {
		v.Form.Errors = rowProblems(v.Form.Errors, ids, l.Items)
	}
	return render(c, status, views.InvoiceNew(p, v))
}

// postedIDs reads the repeated form field name as ids, in the posted
// order, each once.
func postedIDs(c echo.Context, name string) []int64 {
	form, err := c.FormParams()
	if err != nil {
		return nil
	}
	var out []int64
	for _, raw := range form[name] {
		if id, err := strconv.ParseInt(raw, 10, 64); err == nil && id > 0 && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// invoiceIssue issues the invoice of the ticked orders (or the one order
// of an order's page). A refusal comes back where the person was: the
// order's page or the list of orders, in its error summary; a company
// profile that lacks what the QR bill needs is named and linked.
func (s *server) invoiceIssue(c echo.Context) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Prices) {
		return echo.ErrForbidden
	}
	ctx, lang := c.Request().Context(), s.lang(c)
	t := i18n.Invoices(lang)
	ids := postedIDs(c, "order_id")
	fromOrder := c.FormValue("from") == "order" && len(ids) == 1
	back := views.InvoiceNewView{Filter: views.Form{Values: map[string]string{"q": c.FormValue("q")}}, Checked: map[int64]bool{}}
	for _, id := range ids {
		back.Checked[id] = true
	}
	if len(ids) == 0 {
		back.Form = views.Form{Error: t.NoOrders, IdempotencyKey: postedIdempotencyKey(c)}
		return s.renderInvoiceNew(c, http.StatusUnprocessableEntity, back, nil)
	}
	inv, err := s.api.IssueInvoice(ctx, who.Bearer, postedIdempotencyKey(c), apiclient.InvoiceInput{OrderIds: ids})
	if err == nil {
		return s.redirectWithFlash(c, views.InvoiceHref(inv.ID),
			views.Flash{Kind: views.FlashSuccess, Text: strings.ReplaceAll(t.Issued, "{number}", inv.Number)})
	}
	f := views.Form{Values: map[string]string{}}
	status, ok := s.formFailure(c, err, &f, nil, t.APIFields)
	if !ok {
		return err
	}
	profileLink := issueProblems(t, err, &f)
	if fromOrder {
		o, etag, ferr := s.api.Order(ctx, who.Bearer, ids[0])
		if ferr != nil {
			return err
		}
		if status == http.StatusConflict && len(f.Errors) == 0 && o.Status != apiclient.OrderStatusDELIVERED {
			f.Error = wrongStatusText(i18n.Orders(lang), o)
		}
		v := s.orderView(c, o, etag, f)
		v.ProfileLink = profileLink
		return render(c, status, views.OrderDetail(s.orderPage(c, o), v))
	}
	// The api names orders by their place in the request; the page by
	// their row.
	back.Form = f
	back.ProfileLink = profileLink
	return s.renderInvoiceNew(c, status, back, ids)
}

// rowProblems moves the api's order_ids[i] problems (i: the place in the
// request) to the rows of those orders in the list shown; a problem of no
// row shown stays in the summary as text.
func rowProblems(errs map[string]string, ids []int64, rows []apiclient.OrderSummary) map[string]string {
	out := map[string]string{}
	for name, msg := range errs {
		out[name] = msg
	}
	for i, id := range ids {
		name := "order_ids[" + strconv.Itoa(i) + "]"
		msg, ok := errs[name]
		if !ok {
			continue
		}
		for row, o := range rows {
			if o.ID == id {
				delete(out, name)
				out["order_ids["+strconv.Itoa(row)+"]"] = msg
			}
		}
	}
	return out
}

// issueProblems turns a refusal naming the company profile's fields into
// one sentence listing them by label (the page links the profile) and
// reports whether it did.
func issueProblems(t *i18n.InvoicesText, err error, f *views.Form) bool {
	_, apiErr := apiclient.Status(err)
	if apiErr == nil {
		return false
	}
	missing := views.CompanyProblems(t, slices.Sorted(maps.Keys(apiErr.Fields)))
	if missing == "" {
		return false
	}
	for name := range f.Errors {
		if strings.HasPrefix(name, "company.") {
			delete(f.Errors, name)
		}
	}
	f.Error = strings.ReplaceAll(t.ProfileMissing, "{fields}", missing)
	return true
}

// invoicePage is an invoice's page, or its PDF (/invoices/{id}.pdf).
func (s *server) invoicePage(c echo.Context) error {
	if served, err := s.servePDF(c, s.api.InvoicePDF); served {
		return err
	}
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	return s.renderInvoice(c, http.StatusOK, id, nil, nil)
}

// pdfID reads the id of a document's PDF address ("5.pdf"); ok is false
// for the document's page, and a malformed id is a 404.
func pdfID(c echo.Context) (id int64, ok bool, err error) {
	raw, ok := strings.CutSuffix(c.Param("id"), ".pdf")
	if !ok {
		return 0, false, nil
	}
	id, err = strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 {
		return 0, true, echo.ErrNotFound
	}
	return id, true, nil
}

// servePDF answers a document's PDF address ("5.pdf") with the stored
// bytes open gives; served is false for the document's page.
func (s *server) servePDF(c echo.Context, open func(context.Context, apiclient.RequestEditorFn, int64, string) (apiclient.Download, error)) (served bool, err error) {
	id, ok, err := pdfID(c)
	if !ok || err != nil {
		return ok, err
	}
	f, err := open(c.Request().Context(), s.signedIn(c).Bearer, id, c.Request().Header.Get("If-None-Match"))
	if err != nil {
		return true, err
	}
	return true, passOn(c, f)
}

// priceWrite is the start of every invoice write: the person, who must
// hold prices.write (checked before the api is asked), and the record's
// id from the path.
func (s *server) priceWrite(c echo.Context) (SignedIn, int64, error) {
	return s.recordFor(c, roles.Prices)
}

// renderInvoice reads the invoice (and the locations goods may return to)
// and shows its page; payment and credit are the forms as posted after a
// refusal (nil: fresh ones).
func (s *server) renderInvoice(c echo.Context, status int, id int64, payment, credit *views.Form) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	canWrite := who.Perms.Can(roles.Prices)
	var in apiclient.Invoice
	var etag string
	var locations []apiclient.Location
	calls := []func() error{func() (err error) { in, etag, err = s.api.Invoice(ctx, who.Bearer, id); return err }}
	if canWrite {
		calls = append(calls, func() (err error) { locations, err = s.api.LookupLocations(ctx, who.Bearer); return err })
	}
	if err := parallel(calls...); err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	t := i18n.Invoices(p.Lang)
	p.Title = strings.ReplaceAll(t.InvoiceTitle, "{number}", in.Number)
	v := views.InvoiceView{I: in, Version: etag, CanWrite: canWrite,
		Locations: append([]views.Option{{Value: "", Label: "–"}}, locationOptions(locations)...)}
	v.LineCredited, v.EmptiesCredited = views.CreditedBefore(in)
	if payment != nil {
		v.Payment = *payment
	} else {
		v.Payment = views.Form{Values: map[string]string{"date": p.Fmt.DateValue(s.now())}, IdempotencyKey: newIdempotencyKey()}
		if !strings.HasPrefix(in.Outstanding, "-") && in.Outstanding != "0.00" {
			v.Payment.Values["amount"] = in.Outstanding
		}
	}
	if credit != nil {
		v.Credit = *credit
	} else {
		v.Credit = views.Form{Values: map[string]string{}, IdempotencyKey: newIdempotencyKey()}
	}
	return render(c, status, views.InvoiceDetail(p, v))
}

// invoicePayment records a payment with the version of the invoice the
// person saw (If-Match) and the form's key (a double click books once).
func (s *server) invoicePayment(c echo.Context) error {
	who, id, err := s.priceWrite(c)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	t, msg := i18n.Invoices(lang), i18n.For(lang)
	f := views.Form{Values: formValues(c, "date", "amount", "note"), Errors: map[string]string{}, IdempotencyKey: postedIdempotencyKey(c)}
	in := apiclient.PaymentInput{}
	amount, ok := format.NormalizeDecimal(f.Values["amount"])
	if !ok {
		f.Errors["amount"] = msg.FieldProblem(lang, i18n.Problem{Field: "amount", Code: string(apiclient.FieldCodeInvalidFormat)}, t.APIFields)
	}
	in.Amount = amount
	day, err := time.Parse(time.DateOnly, f.Values["date"])
	if err != nil {
		f.Errors["date"] = msg.FieldProblem(lang, i18n.Problem{Field: "date", Code: string(apiclient.FieldCodeRequired)}, t.APIFields)
	}
	in.Date = openapi_types.Date{Time: day}
	if note := f.Values["note"]; note != "" {
		in.Note = &note
	}
	if len(f.Errors) > 0 {
		f.Error = msg.FormHasErrors
		return s.renderInvoice(c, http.StatusUnprocessableEntity, id, &f, nil)
	}
	inv, err := s.api.CreatePayment(c.Request().Context(), who.Bearer, id, c.FormValue("version"), f.IdempotencyKey, in)
	if err != nil {
		status, ok := s.formFailure(c, err, &f, nil, t.APIFields)
		if !ok {
			return err
		}
		return s.renderInvoice(c, status, id, &f, nil)
	}
	p := s.page(c, views.NavInvoices)
	text := strings.NewReplacer("{amount}", p.Fmt.Money(amount, string(inv.Currency)), "{number}", inv.Number).Replace(t.PaymentBooked)
	return s.redirectWithFlash(c, views.InvoiceHref(inv.ID), views.Flash{Kind: views.FlashSuccess, Text: text})
}

// invoiceCredit issues a credit note: everything still open, or the
// quantities typed per line and empties (by the invoice's index, as the
// api counts them), with a goods return when ticked.
func (s *server) invoiceCredit(c echo.Context) error {
	who, id, err := s.priceWrite(c)
	if err != nil {
		return err
	}
	ctx, lang := c.Request().Context(), s.lang(c)
	t, msg := i18n.Invoices(lang), i18n.For(lang)
	inv, _, err := s.api.Invoice(ctx, who.Bearer, id)
	if err != nil {
		return err
	}
	f := views.Form{Values: formValues(c, "mode", "reason", "return_goods", "location_id"), Errors: map[string]string{},
		IdempotencyKey: postedIdempotencyKey(c)}
	in := apiclient.CreditNoteInput{}
	rename := map[string]string{}
	if f.Values["mode"] == "lines" {
		lines := creditEntries(c, f, "lines", len(inv.Lines), rename, lang, msg, t)
		empties := creditEntries(c, f, "empties", len(inv.Empties), rename, lang, msg, t)
		if len(lines) > 0 {
			in.Lines = &lines
		}
		if len(empties) > 0 {
			in.Empties = &empties
		}
		if len(lines)+len(empties) == 0 && len(f.Errors) == 0 {
			f.Error = t.CreditNothing
			return s.renderInvoice(c, http.StatusUnprocessableEntity, id, nil, &f)
		}
	} else {
		full := true
		in.Full = &full
	}
	if reason := f.Values["reason"]; reason != "" {
		in.Reason = &reason
	}
	if f.Values["return_goods"] == "1" {
		yes := true
		in.ReturnGoods = &yes
	}
	if loc, err := strconv.ParseInt(f.Values["location_id"], 10, 64); err == nil && loc > 0 {
		in.LocationID = &loc
	}
	if len(f.Errors) > 0 {
		f.Error = msg.FormHasErrors
		return s.renderInvoice(c, http.StatusUnprocessableEntity, id, nil, &f)
	}
	cn, err := s.api.CreateCreditNote(ctx, who.Bearer, id, c.FormValue("version"), f.IdempotencyKey, in)
	if err != nil {
		status, ok := s.formFailure(c, err, &f, rename, t.APIFields)
		if !ok {
			return err
		}
		return s.renderInvoice(c, status, id, nil, &f)
	}
	return s.redirectWithFlash(c, views.CreditNoteHref(cn.ID),
		views.Flash{Kind: views.FlashSuccess, Text: strings.ReplaceAll(t.CreditIssued, "{number}", cn.Number)})
}

// creditEntries reads the quantities typed for n lines (or empties) of
// prefix; an empty field is "none of this line". rename maps the api's
// entry numbers back to the form's fields.
func creditEntries(c echo.Context, f views.Form, prefix string, n int, rename map[string]string, lang i18n.Lang, msg *i18n.Messages, t *i18n.InvoicesText) []apiclient.CreditEntry {
	var out []apiclient.CreditEntry
	for i := range n {
		name := rowName(prefix, i, "quantity")
		raw := strings.TrimSpace(c.FormValue(name))
		f.Values[name] = raw
		if raw == "" {
			continue
		}
		qty, ok := parseQuantity(raw)
		if !ok || qty < 0 {
			f.Errors[name] = msg.FieldProblem(lang, i18n.Problem{Field: "quantity", Code: string(apiclient.FieldCodeInvalidFormat)}, t.APIFields)
			continue
		}
		if qty == 0 {
			continue
		}
		k := len(out)
		rename[rowName(prefix, k, "quantity")] = name
		rename[rowName(prefix, k, "line")] = name
		out = append(out, apiclient.CreditEntry{Line: i, Quantity: qty})
	}
	return out
}

// creditNotePage is a credit note's page, or its PDF
// (/credit-notes/{id}.pdf).
func (s *server) creditNotePage(c echo.Context) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	if served, err := s.servePDF(c, s.api.CreditNotePDF); served {
		return err
	}
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	cn, err := s.api.CreditNote(ctx, who.Bearer, id)
	if err != nil {
		return err
	}
	// The credit note's currency is its invoice's.
	inv, _, err := s.api.Invoice(ctx, who.Bearer, cn.InvoiceID)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	p.Title = strings.ReplaceAll(i18n.Invoices(p.Lang).CreditNoteTitle, "{number}", cn.Number)
	return render(c, http.StatusOK, views.CreditNoteDetail(p, views.CreditNoteView{N: cn, Currency: string(inv.Currency)}))
}

// customerOpenInvoices are a customer's invoices with something open
// (open, partially paid, overdue), newest first.
func (s *server) customerOpenInvoices(ctx context.Context, who SignedIn, f format.Formatter, customerID int64) ([]views.InvoiceRow, error) {
	limit := customerRecentOrders
	states := []apiclient.PaymentState{apiclient.PaymentStateOpen, apiclient.PaymentStatePartiallyPaid, apiclient.PaymentStateOverdue}
	l, err := s.api.Invoices(ctx, who.Bearer, apiclient.ListInvoicesParams{CustomerID: &customerID, Status: &states, Limit: &limit})
	if err != nil {
		return nil, err
	}
	return views.NewInvoiceRows(f, l.Items), nil
}
