package handlers

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"go.uber.org/zap"

	"github.com/depotix/depotix/platform/middleware"
	"github.com/depotix/depotix/services/web/internal/apiclient"
	"github.com/depotix/depotix/services/web/internal/i18n"
	"github.com/depotix/depotix/services/web/internal/roles"
	"github.com/depotix/depotix/services/web/internal/views"
)

// CSV import and export of items, customers and suppliers.
//
// Import is two steps without server state: the uploaded file goes to the
// api's dry run, whose report is shown line by line; when it found no
// problem, the page's "import now" form carries the same file back, base64
// in a hidden field, and the second POST imports it for real. A file too
// large to carry within the request size limit is chosen again instead.
// The api checks the file again on the real import (all or nothing), so a
// file changed in between cannot slip through unchecked.

// carryLimit bounds the base64 text of a file carried to the second step:
// with the form around it the request stays below the web's body limit
// (WEB_BODY_LIMIT, 1 MiB by default).
const carryLimit = 900_000

func (s *server) csvRoutes(e *echo.Echo) {
	getHead(e, "/import/:kind", s.importPage, s.requireSignIn)
	e.POST("/import/:kind", s.importPost, s.requireSignIn)
}

// csvKind reads the kind from the path and checks the person may import it.
func (s *server) csvKind(c echo.Context) (apiclient.CSVKind, error) {
	kind := apiclient.CSVKind(c.Param("kind"))
	perm := roles.Catalogue
	switch kind {
	case apiclient.CSVItems, apiclient.CSVSuppliers:
	case apiclient.CSVCustomers:
		perm = roles.Customers
	default:
		return "", echo.ErrNotFound
	}
	if !s.signedIn(c).Perms.Can(perm) {
		return "", echo.ErrForbidden
	}
	return kind, nil
}

// importNote says what the person's role may not change in a file of kind
// ("" when it may change every column): the import offered is the one the
// api would take.
func importNote(kind apiclient.CSVKind, who SignedIn, t *i18n.CatalogueText) string {
	if kind == apiclient.CSVCustomers && !who.Perms.Can(roles.Prices) {
		return t.ImportPricesNote
	}
	return ""
}

func (s *server) renderImport(c echo.Context, status int, kind apiclient.CSVKind, v views.CatImportView) error {
	t := i18n.Catalogue(s.lang(c))
	nav := map[apiclient.CSVKind]string{apiclient.CSVItems: views.NavItems,
		apiclient.CSVCustomers: views.NavCustomers, apiclient.CSVSuppliers: views.NavSuppliers}[kind]
	p := s.page(c, nav)
	v.Kind = string(kind)
	v.KindLabel = t.Titles[string(kind)]
	v.Note = importNote(kind, s.signedIn(c), t)
	v.Action = "/import/" + string(kind)
	v.BackHref = "/" + string(kind)
	p.Title = catFillKind(t.ImportTitle, v.KindLabel)
	return render(c, status, views.CatImportPage(p, v))
}

func catFillKind(text, kind string) string { return strings.ReplaceAll(text, "{kind}", kind) }

func (s *server) importPage(c echo.Context) error {
	kind, err := s.csvKind(c)
	if err != nil {
		return err
	}
	return s.renderImport(c, http.StatusOK, kind, views.CatImportView{})
}

func (s *server) importPost(c echo.Context) error {
	kind, err := s.csvKind(c)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	t := i18n.Catalogue(lang)
	write := c.FormValue("step") == "write"
	csv, name, fileErr := readCSVUpload(c, write, t)
	if fileErr != "" {
		return s.renderImport(c, http.StatusUnprocessableEntity, kind,
			views.CatImportView{Form: views.Form{Errors: map[string]string{"file": fileErr}, Error: i18n.For(lang).FormHasErrors}})
	}
	who := s.signedIn(c)
	report, err := s.api.Import(c.Request().Context(), who.Bearer, kind, !write, csv)
	if err != nil {
		status, apiErr := apiclient.Status(err)
		switch {
		case status == http.StatusRequestEntityTooLarge:
			fileErr = t.ImportTooLarge
		case apiErr != nil && (status == http.StatusBadRequest || status == http.StatusUnprocessableEntity):
			// The file as a whole was refused: say the first problem, by
			// its code.
			fileErr = i18n.For(lang).FieldRejected
			if names := slices.Sorted(maps.Keys(apiErr.Fields)); len(names) > 0 {
				fileErr = i18n.For(lang).FieldProblem(lang, problemOf(names[0], apiErr.Fields[names[0]]), t.APIFields)
			}
		case apiErr != nil && status == http.StatusForbidden:
			return s.renderImport(c, http.StatusForbidden, kind, importRefusal(lang, name, csv, apiErr, t))
		default:
			return err
		}
		return s.renderImport(c, http.StatusUnprocessableEntity, kind,
			views.CatImportView{Form: views.Form{Errors: map[string]string{"file": fileErr}, Error: i18n.For(lang).FormHasErrors}})
	}
	summary := strings.NewReplacer("{rows}", strconv.Itoa(report.Rows), "{created}", strconv.Itoa(report.Created),
		"{updated}", strconv.Itoa(report.Updated), "{unchanged}", strconv.Itoa(report.Unchanged))
	if len(report.Problems) > 0 {
		v := views.CatImportView{Checked: true, FileName: name}
		for _, pr := range report.Problems {
			row := views.CatImportProblem{Line: pr.Line}
			if pr.Column != nil {
				row.Column = *pr.Column
			}
			// A column's problem is translated as that field's would be.
			row.Message = i18n.For(lang).FieldProblem(lang, problemFrom(row.Column, string(pr.Code), pr.Message, pr.Params), t.APIFields)
			if pr.Heading != nil {
				row.Heading = *pr.Heading // as the file names it ("Artikelnummer"), not by the api's name
			}
			v.Problems = append(v.Problems, row)
		}
		return s.renderImport(c, http.StatusUnprocessableEntity, kind, v)
	}
	if write {
		return s.redirectWithFlash(c, "/"+string(kind), views.Flash{Kind: views.FlashSuccess, Text: summary.Replace(t.ImportDone)})
	}
	v := views.CatImportView{Checked: true, FileName: name, Summary: summary.Replace(t.ImportSummary)}
	if carry := base64.StdEncoding.EncodeToString(csv); len(carry) <= carryLimit {
		v.Carry = carry
	}
	return s.renderImport(c, http.StatusOK, kind, v)
}

// importRefusal shows the api's refusal of a file for the person's role (a
// clerk's file that changes credit limits) on the import page, in the
// page's language: its explanation, and each column it names with why.
// The upload form stays below it for the corrected file; nothing was
// written.
func importRefusal(lang i18n.Lang, fileName string, file []byte, apiErr *apiclient.APIError, t *i18n.CatalogueText) views.CatImportView {
	msg := i18n.For(lang)
	v := views.CatImportView{Checked: true, FileName: fileName, Refused: forbiddenText(lang, msg, apiErr, t.ImportRefusals, t.APIFields)}
	for _, column := range slices.Sorted(maps.Keys(apiErr.Fields)) {
		v.Refusals = append(v.Refusals, views.CatImportProblem{Column: column, Heading: fileHeading(file, column),
			Message: msg.FieldProblem(lang, problemOf(column, apiErr.Fields[column]), t.APIFields)})
	}
	return v
}

// readCSVUpload returns the file of an import form: the carried one on the
// second step when there is one, else the uploaded file. The message says
// what is wrong with it ("" when nothing).
func readCSVUpload(c echo.Context, write bool, t *i18n.CatalogueText) ([]byte, string, string) {
	name := strings.TrimSpace(c.FormValue("filename"))
	if carry := c.FormValue("carry"); write && carry != "" {
		b, err := base64.StdEncoding.DecodeString(carry)
		if err != nil || len(b) == 0 {
			return nil, "", t.ImportNoFile
		}
		return b, name, ""
	}
	fh, err := c.FormFile("file")
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, "", t.ImportTooLarge
		}
		return nil, "", t.ImportNoFile
	}
	f, err := fh.Open()
	if err != nil {
		return nil, "", t.ImportNoFile
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		return nil, "", t.ImportNoFile
	}
	if len(b) == 0 {
		return nil, "", t.ImportNotText
	}
	return b, fh.Filename, ""
}

// exportCSV streams the api's CSV export of kind (filtered by the list's
// q and archived) to the browser, adding the person's bearer token.
func (s *server) exportCSV(kind apiclient.CSVKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		who := s.signedIn(c)
		lq := catReadListQuery(c, nil)
		resp, err := s.api.Export(c.Request().Context(), who.Bearer, kind, lq.q, lq.archived, s.csvDialect(c))
		if err != nil {
			return err
		}
		return s.relayCSV(c, resp, string(kind))
	}
}

// csvDialect is the file an export link asks for: the header in the page's
// language, semicolons unless the link says separator=comma.
func (s *server) csvDialect(c echo.Context) apiclient.CSVDialect {
	return apiclient.CSVDialect{Lang: string(s.lang(c)), Comma: c.QueryParam(views.SeparatorParam) == "comma"}
}

// relayCSV passes an export of the api (named name, for the file and the
// log) through to the browser as it arrives, and closes it.
//
// The status and headers go out before the first line, so a stream that
// breaks midway cannot become an error page any more. Ending the handler
// normally would then close the chunked answer as if it were whole, and the
// browser would keep a short file that looks complete; the connection is
// aborted instead (http.ErrAbortHandler, which net/http and the recover
// middleware pass on silently), so the download fails visibly.
func (s *server) relayCSV(c echo.Context, resp *http.Response, name string) error {
	defer resp.Body.Close()
	h := c.Response().Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	disposition := resp.Header.Get("Content-Disposition")
	if disposition == "" {
		disposition = `attachment; filename="` + name + `.csv"`
	}
	h.Set("Content-Disposition", disposition)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	c.Response().WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil // the answer is known; its lines need not travel
	}
	// The browser starts the download now, not when the first buffer of a
	// large export is full.
	c.Response().Flush()
	src := &readFailure{r: resp.Body}
	if _, err := io.Copy(c.Response(), src); err != nil {
		// Which end broke tells an operator where to look: the api (its
		// log under the same request id) or the browser's connection.
		broken := "browser"
		if src.err != nil {
			broken = "api"
		}
		s.log.Warn("csv export cut off", zap.String("kind", name), zap.String("broken", broken),
			zap.Error(err), zap.String("request_id", middleware.RequestIDOf(c)))
		panic(http.ErrAbortHandler)
	}
	return nil
}

// readFailure remembers the error of its reader other than io.EOF, so a
// failed copy can say whether reading or writing failed.
type readFailure struct {
	r   io.Reader
	err error
}

func (f *readFailure) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err != nil && err != io.EOF {
		f.err = err
	}
	return n, err
}

// fileHeading names column as the uploaded file's header does: its German
// label when the header has that ("Kreditlimite"), else the name itself,
// which is what an English file has. A refusal of the whole file (a 403)
// comes without the api's report, which would say it.
func fileHeading(file []byte, column string) string {
	label := i18n.Catalogue(i18n.German).Labels[column]
	line, _, _ := bytes.Cut(bytes.TrimPrefix(file, []byte("\uFEFF")), []byte("\n"))
	for _, cell := range strings.FieldsFunc(string(line), func(r rune) bool { return r == ';' || r == ',' }) {
		cell = strings.Trim(strings.TrimSpace(cell), `"`)
		if label != "" && strings.EqualFold(cell, label) {
			return cell
		}
	}
	return column
}
