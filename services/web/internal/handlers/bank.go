package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/format"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// The bank import: upload a camt.054/.053 file (an upload route, so its
// body may be as large as FILE_MAX_BYTES plus the form), see the match
// report, and assign the credits that matched no invoice by hand.

const bankImportPath = "/bank-imports"

func (s *server) bankRoutes(e *echo.Echo) {
	getHead(e, bankImportPath, s.bankImportPage, s.requireSignIn)
	e.POST(bankImportPath, s.bankUpload, s.requireSignIn)
	s.uploads[http.MethodPost+" "+bankImportPath] = s.bankTooLarge
	getHead(e, bankImportPath+"/:id", s.bankReport, s.requireSignIn)
	e.POST("/bank-credits/:id/assign", s.bankAssign, s.requireSignIn)
}

func (s *server) bankImportPage(c echo.Context) error {
	return s.renderBankImport(c, http.StatusOK, views.BankImportView{Form: views.Form{IdempotencyKey: newIdempotencyKey()}})
}

// renderBankImport shows the upload form (v.Form) and the unmatched
// credits, with v.Assign as the refused assignment of credit v.AssignID.
func (s *server) renderBankImport(c echo.Context, status int, v views.BankImportView) error {
	ctx, who := c.Request().Context(), s.signedIn(c)
	limit := invoiceListLimit
	unmatched := apiclient.BankCreditStatusUnmatched
	params := apiclient.ListBankCreditsParams{Limit: &limit, Status: &unmatched}
	if cur := c.QueryParam("cursor"); cur != "" {
		params.Cursor = &cur
	}
	l, err := s.api.BankCredits(ctx, who.Bearer, params)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	p.Title = i18n.Invoices(p.Lang).ImportTitle
	v.CanWrite = who.Perms.Can(roles.Prices)
	v.MaxSize = p.Fmt.Bytes(s.fileLimit)
	v.Unmatched = l.Items
	if v.Assign.IdempotencyKey == "" {
		v.Assign.IdempotencyKey = newIdempotencyKey()
	}
	total := l.Total
	v.Pager = views.NewPager(bankImportPath, c.QueryParams(), l.NextCursor, &total)
	return render(c, status, views.BankImportPage(p, v))
}

func (s *server) bankUpload(c echo.Context) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Prices) {
		return echo.ErrForbidden
	}
	lang := s.lang(c)
	t, msg := i18n.Invoices(lang), i18n.For(lang)
	f := views.Form{Values: map[string]string{}, Errors: map[string]string{}, IdempotencyKey: postedIdempotencyKey(c)}
	name, content, problem := readUpload(c, t.NoFile, s.bankTooLargeText(c, t))
	if problem != "" {
		f.Errors["file"], f.Error = problem, msg.FormHasErrors
		return s.renderBankImport(c, http.StatusUnprocessableEntity, views.BankImportView{Form: f})
	}
	r, err := s.api.ImportBankFile(c.Request().Context(), who.Bearer, f.IdempotencyKey, name, content)
	if err != nil {
		if status, _ := apiclient.Status(err); status == http.StatusRequestEntityTooLarge {
			f.Errors["file"], f.Error = s.bankTooLargeText(c, t), msg.FormHasErrors
			f.IdempotencyKey = newIdempotencyKey()
			return s.renderBankImport(c, http.StatusUnprocessableEntity, views.BankImportView{Form: f})
		}
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderBankImport(c, status, views.BankImportView{Form: f})
		}
		return err
	}
	return s.redirectWithFlash(c, bankImportPath+"/"+strconv.FormatInt(r.ID, 10),
		views.Flash{Kind: views.FlashSuccess, Text: t.Imported})
}

// bankTooLarge is the upload form again after a body too large to read:
// nothing was sent to the api.
func (s *server) bankTooLarge(c echo.Context) error {
	lang := s.lang(c)
	t := i18n.Invoices(lang)
	f := views.Form{Errors: map[string]string{"file": s.bankTooLargeText(c, t)},
		Error: i18n.For(lang).FormHasErrors, IdempotencyKey: newIdempotencyKey()}
	return s.renderBankImport(c, http.StatusRequestEntityTooLarge, views.BankImportView{Form: f})
}

func (s *server) bankTooLargeText(c echo.Context, t *i18n.InvoicesText) string {
	return strings.ReplaceAll(t.FileTooLarge, "{size}", format.New(s.lang(c), s.loc, s.now()).Bytes(s.fileLimit))
}

func (s *server) bankReport(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	r, err := s.api.BankImport(c.Request().Context(), s.signedIn(c).Bearer, id)
	if err != nil {
		return err
	}
	p := s.page(c, views.NavInvoices)
	p.Title = i18n.Invoices(p.Lang).ImportTitle
	return render(c, http.StatusOK, views.BankReport(p, views.BankReportView{R: r}))
}

// bankAssign books an unmatched credit on the invoice whose number was
// typed: the number is looked up exactly, never guessed.
func (s *server) bankAssign(c echo.Context) error {
	who, id, err := s.priceWrite(c)
	if err != nil {
		return err
	}
	ctx, lang := c.Request().Context(), s.lang(c)
	t, msg := i18n.Invoices(lang), i18n.For(lang)
	number := strings.ToUpper(strings.TrimSpace(c.FormValue("invoice_number")))
	f := views.Form{Values: map[string]string{"invoice_number": number}, Errors: map[string]string{},
		IdempotencyKey: postedIdempotencyKey(c)}
	refuse := func(status int) error {
		return s.renderBankImport(c, status, views.BankImportView{Form: views.Form{IdempotencyKey: newIdempotencyKey()},
			Assign: f, AssignID: id})
	}
	var inv *apiclient.InvoiceSummary
	if number != "" {
		limit := 10
		l, err := s.api.Invoices(ctx, who.Bearer, apiclient.ListInvoicesParams{Q: &number, Limit: &limit})
		if err != nil {
			return err
		}
		for i := range l.Items {
			if l.Items[i].Number == number {
				inv = &l.Items[i]
			}
		}
	}
	if inv == nil {
		f.Errors["invoice_number"] = strings.ReplaceAll(t.NoSuchInvoice, "{number}", number)
		if number == "" {
			f.Errors["invoice_number"] = msg.FieldProblem(lang, i18n.Problem{Field: "invoice_number", Code: string(apiclient.FieldCodeRequired)}, t.APIFields)
		}
		f.Error = msg.FormHasErrors
		return refuse(http.StatusUnprocessableEntity)
	}
	bc, err := s.api.AssignBankCredit(ctx, who.Bearer, id, f.IdempotencyKey, inv.ID)
	if err != nil {
		status, ok := s.formFailure(c, err, &f, map[string]string{"invoice_id": "invoice_number"}, t.APIFields)
		if !ok {
			return err
		}
		return refuse(status)
	}
	p := s.page(c, views.NavInvoices)
	text := strings.NewReplacer("{amount}", p.Fmt.Money(bc.Amount, bc.Currency), "{number}", inv.Number).Replace(t.Assigned)
	return s.redirectWithFlash(c, bankImportPath, views.Flash{Kind: views.FlashSuccess, Text: text})
}
