package handlers

import (
	"errors"
	"io"
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

// companyPath is Settings, Company.
const companyPath = "/settings/company"

func (s *server) companyRoutes(e *echo.Echo) {
	getHead(e, companyPath, s.companyPage, s.requireSignIn)
	e.POST(companyPath, s.saveCompany, s.requireSignIn)
	e.POST(companyPath+"/logo", s.uploadLogo, s.requireSignIn)
	s.uploads[http.MethodPost+" "+companyPath+"/logo"] = s.logoTooLarge
	e.POST(companyPath+"/logo/remove", s.removeLogo, s.requireSignIn)
	getHead(e, "/files/:id", s.serveFile, s.requireSignIn)
}

// companyFields are the profile form's field names, as the api names them.
var companyFields = []string{"name", "street", "building_number", "postal_code", "town", "country",
	"vat_number", "iban", "bank_name", "payment_terms_days", "invoice_footer", "invoice_prefix",
	"credit_note_prefix", "currency", "deposits_taxable"}

// companyValues are a stored profile as the form shows it.
func companyValues(p apiclient.CompanyProfile) map[string]string {
	deposits := ""
	if p.DepositsTaxable {
		deposits = "1"
	}
	return map[string]string{"name": p.Name, "street": p.Street, "building_number": p.BuildingNumber,
		"postal_code": p.PostalCode, "town": p.Town, "country": p.Country, "vat_number": p.VatNumber,
		"iban": p.Iban, "bank_name": p.BankName, "payment_terms_days": strconv.Itoa(p.PaymentTermsDays),
		"invoice_footer": p.InvoiceFooter, "invoice_prefix": p.InvoicePrefix,
		"credit_note_prefix": p.CreditNotePrefix, "currency": string(p.Currency), "deposits_taxable": deposits}
}

// fileURL is where the web serves a stored file: through this origin, with
// the person's token added on the way to the api.
func fileURL(f *apiclient.StoredFile) string {
	if f == nil {
		return ""
	}
	return "/files/" + strconv.FormatInt(f.ID, 10)
}

// companyForms are the page's two forms; nil takes the stored profile.
type companyForms struct {
	profile *views.Form
	logo    *views.Form
}

func (s *server) companyPage(c echo.Context) error {
	return s.renderCompany(c, http.StatusOK, companyForms{})
}

// renderCompany reads the profile and shows the page with forms (the
// posted ones after a refusal).
func (s *server) renderCompany(c echo.Context, status int, forms companyForms) error {
	who := s.signedIn(c)
	if !who.Perms.Can(roles.Users) {
		// Everyone may read the profile through the api; this page edits it.
		return echo.ErrForbidden
	}
	p, version, err := s.api.CompanyProfile(c.Request().Context(), who.Bearer)
	if err != nil {
		return err
	}
	page := s.page(c, views.NavCompany)
	page.Title = i18n.Company(page.Lang).Title
	v := views.CompanyView{Form: views.Form{Values: companyValues(p)}, Version: version,
		Missing: views.CompanyMissingLabels(page, p.MissingForQrBill), LogoURL: fileURL(p.Logo)}
	if forms.profile != nil {
		v.Form = *forms.profile
		if forms.profile.Values["version"] != "" {
			v.Version = forms.profile.Values["version"]
		}
	}
	v.LogoForm = views.Form{IdempotencyKey: newIdempotencyKey()}
	if forms.logo != nil {
		v.LogoForm = *forms.logo
	}
	return render(c, status, views.CompanyPage(page, v))
}

func (s *server) saveCompany(c echo.Context) error {
	who := s.signedIn(c)
	t := i18n.Company(s.lang(c))
	f := views.Form{Values: formValues(c, companyFields...), Errors: map[string]string{}}
	version := c.FormValue("version")
	terms, err := strconv.Atoi(strings.NewReplacer("’", "", "'", "", " ", "").Replace(f.Values["payment_terms_days"]))
	if err != nil {
		f.Errors["payment_terms_days"] = t.TermsWhole
		f.Error = i18n.For(s.lang(c)).FormHasErrors
		return s.renderCompany(c, http.StatusUnprocessableEntity, companyForms{profile: &f})
	}
	v := f.Values
	in := apiclient.CompanyProfileInput{Name: v["name"], Street: v["street"], BuildingNumber: v["building_number"],
		PostalCode: v["postal_code"], Town: v["town"], Country: v["country"], VatNumber: v["vat_number"],
		Iban: v["iban"], BankName: v["bank_name"], PaymentTermsDays: terms, InvoiceFooter: v["invoice_footer"],
		InvoicePrefix: v["invoice_prefix"], CreditNotePrefix: v["credit_note_prefix"],
		Currency: apiclient.Currency(v["currency"]), DepositsTaxable: v["deposits_taxable"] == "1"}
	if _, _, err := s.api.UpdateCompanyProfile(c.Request().Context(), who.Bearer, version, in); err != nil {
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			f.Values["version"] = version
			return s.renderCompany(c, status, companyForms{profile: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, companyPath, views.Flash{Kind: views.FlashSuccess, Text: t.Saved})
}

func (s *server) uploadLogo(c echo.Context) error {
	who := s.signedIn(c)
	t := i18n.Company(s.lang(c))
	// The key the form carried: a second submit of the same form (a double
	// click, a retry after a timeout) is answered once by the api.
	f := views.Form{Values: map[string]string{}, Errors: map[string]string{}, IdempotencyKey: postedIdempotencyKey(c)}
	name, content, problem := readUpload(c, t.LogoNoFile, s.logoTooLargeText(c, t))
	if problem != "" {
		f.Errors["file"] = problem
		f.Error = i18n.For(s.lang(c)).FormHasErrors
		return s.renderCompany(c, http.StatusUnprocessableEntity, companyForms{logo: &f})
	}
	_, _, err := s.api.UploadCompanyLogo(c.Request().Context(), who.Bearer, c.FormValue("version"), f.IdempotencyKey, name, content)
	if err != nil {
		if status, apiErr := apiclient.Status(err); status == http.StatusRequestEntityTooLarge {
			// Too large for the api (its limit may be below the web's).
			lang := s.lang(c)
			f.Errors["file"] = s.logoTooLargeText(c, t)
			if apiErr != nil {
				if fe, ok := apiErr.Fields["file"]; ok {
					f.Errors["file"] = i18n.For(lang).FieldProblem(lang, problemOf("file", fe), t.APIFields)
				}
			}
			f.Error = i18n.For(lang).FormHasErrors
			// The api keeps its refusal under the key: another file is a
			// new request.
			f.IdempotencyKey = newIdempotencyKey()
			return s.renderCompany(c, http.StatusUnprocessableEntity, companyForms{logo: &f})
		}
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderCompany(c, status, companyForms{logo: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, companyPath, views.Flash{Kind: views.FlashSuccess, Text: t.LogoUploaded})
}

// logoTooLarge is the logo form again after a body too large to read
// (limitBody): nothing was sent to the api.
func (s *server) logoTooLarge(c echo.Context) error {
	t := i18n.Company(s.lang(c))
	f := views.Form{Errors: map[string]string{"file": s.logoTooLargeText(c, t)},
		Error: i18n.For(s.lang(c)).FormHasErrors, IdempotencyKey: newIdempotencyKey()}
	return s.renderCompany(c, http.StatusRequestEntityTooLarge, companyForms{logo: &f})
}

// logoTooLargeText says how large a logo may be (FILE_MAX_BYTES).
func (s *server) logoTooLargeText(c echo.Context, t *i18n.CompanyText) string {
	return strings.ReplaceAll(t.LogoTooLarge, "{size}", format.New(s.lang(c), s.loc, s.now()).Bytes(s.fileLimit))
}

// removeLogo removes the logo; the page's version guards against removing
// a logo someone else has just uploaded.
func (s *server) removeLogo(c echo.Context) error {
	who := s.signedIn(c)
	t := i18n.Company(s.lang(c))
	if !who.Perms.Can(roles.Users) {
		return echo.ErrForbidden
	}
	if _, _, err := s.api.DeleteCompanyLogo(c.Request().Context(), who.Bearer, c.FormValue("version")); err != nil {
		f := views.Form{Errors: map[string]string{}}
		if status, ok := s.formFailure(c, err, &f, nil, t.APIFields); ok {
			return s.renderCompany(c, status, companyForms{logo: &f})
		}
		return err
	}
	return s.redirectWithFlash(c, companyPath, views.Flash{Kind: views.FlashSuccess, Text: t.LogoRemoved})
}

// readUpload reads the posted file (a logo, a bank file); problem says
// what is wrong ("" when nothing): noFile for a missing or empty one,
// tooLargeText for one over the limit. Its type is the api's to judge.
func readUpload(c echo.Context, noFile, tooLargeText string) (name string, content []byte, problem string) {
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return "", nil, tooLargeText
		}
		return "", nil, noFile
	}
	file, err := fh.Open()
	if err != nil {
		return "", nil, noFile
	}
	defer file.Close()
	content, err = io.ReadAll(file)
	if err != nil || len(content) == 0 {
		return "", nil, noFile
	}
	return fh.Filename, content, ""
}

// fileHeaders are the api's headers a served file keeps: its type and
// name, its ETag for revalidation, and what keeps it inert (nosniff, the
// sandbox CSP).
var fileHeaders = []string{"Content-Type", "Content-Length", "Content-Disposition", "ETag", "Cache-Control",
	"X-Content-Type-Options", "Content-Security-Policy"}

// serveFile passes a stored file from the api to the browser: the api
// decides who may see it and answers 304 to a current copy; the web adds
// the person's token and streams the bytes with the api's headers.
func (s *server) serveFile(c echo.Context) error {
	id, err := pathInt(c, "id")
	if err != nil {
		return err
	}
	who := s.signedIn(c)
	f, err := s.api.File(c.Request().Context(), who.Bearer, id, c.Request().Header.Get("If-None-Match"))
	if err != nil {
		return err
	}
	return passOn(c, f)
}

// passOn streams a download from the api to the browser with the api's
// headers (the api stays the only source and judge of access).
func passOn(c echo.Context, f apiclient.Download) error {
	defer f.Body.Close()
	h := c.Response().Header()
	for _, k := range fileHeaders {
		if v := f.Header.Get(k); v != "" {
			h.Set(k, v)
		}
	}
	// Whatever the api said, the browser must not guess another type or
	// run anything the file holds.
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	h.Add("Vary", "Cookie")
	c.Response().WriteHeader(f.Status)
	if f.Status == http.StatusNotModified || c.Request().Method == http.MethodHead {
		return nil
	}
	_, err := io.Copy(c.Response(), f.Body)
	return err
}
