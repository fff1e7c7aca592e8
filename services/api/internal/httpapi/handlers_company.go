package httpapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/files"
	"github.com/depotix/depotix/services/api/internal/httpapi/oapi"
)

// FileReader reads stored files for the download route.
type FileReader interface {
	GetFile(ctx context.Context, id int64) (files.File, []byte, error)
	GetFileInfo(ctx context.Context, id int64) (files.File, error)
}

// logoPath is the upload route: its body may be as large as a file, so the
// api's general body limit does not apply to it (see uploadLimit).
const logoPath = "/api/v1/company/logo"

// multipartOverhead is what a multipart body may carry beyond its file:
// boundaries and part headers.
const multipartOverhead = 64 << 10

func (s *server) GetCompanyProfile(ctx context.Context, _ oapi.GetCompanyProfileRequestObject) (oapi.GetCompanyProfileResponseObject, error) {
	p, err := s.company.Get(ctx)
	if err != nil {
		return nil, err
	}
	return oapi.GetCompanyProfile200JSONResponse{Body: toCompanyProfile(p), Headers: oapi.GetCompanyProfile200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (s *server) UpdateCompanyProfile(ctx context.Context, r oapi.UpdateCompanyProfileRequestObject) (oapi.UpdateCompanyProfileResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	b := r.Body
	p, err := s.company.Update(ctx, principal(ctx).Actor(), v, company.Fields{
		Name: b.Name, Street: b.Street, BuildingNumber: b.BuildingNumber, PostalCode: b.PostalCode, Town: b.Town,
		Country: b.Country, VATNumber: b.VatNumber, IBAN: b.Iban, BankName: b.BankName,
		PaymentTermsDays: b.PaymentTermsDays, InvoiceFooter: b.InvoiceFooter, InvoicePrefix: b.InvoicePrefix,
		CreditNotePrefix: b.CreditNotePrefix, Currency: string(b.Currency), DepositsTaxable: b.DepositsTaxable,
	})
	if err != nil {
		return nil, err
	}
	return oapi.UpdateCompanyProfile200JSONResponse{Body: toCompanyProfile(p), Headers: oapi.UpdateCompanyProfile200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (s *server) UploadCompanyLogo(ctx context.Context, r oapi.UploadCompanyLogoRequestObject) (oapi.UploadCompanyLogoResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	u, err := readUpload(r.Body, "file", s.company.MaxFileSize())
	if err != nil {
		return nil, err
	}
	p, err := s.company.ReplaceLogo(ctx, principal(ctx).Actor(), v, u)
	if err != nil {
		return nil, err
	}
	return oapi.UploadCompanyLogo200JSONResponse{Body: toCompanyProfile(p), Headers: oapi.UploadCompanyLogo200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

func (s *server) DeleteCompanyLogo(ctx context.Context, r oapi.DeleteCompanyLogoRequestObject) (oapi.DeleteCompanyLogoResponseObject, error) {
	v, err := expectedVersion(r.Params.IfMatch)
	if err != nil {
		return nil, err
	}
	p, err := s.company.RemoveLogo(ctx, principal(ctx).Actor(), v)
	if err != nil {
		return nil, err
	}
	return oapi.DeleteCompanyLogo200JSONResponse{Body: toCompanyProfile(p), Headers: oapi.DeleteCompanyLogo200ResponseHeaders{ETag: etag(p.Version)}}, nil
}

// readUpload reads the one file part named field of a multipart body, at
// most max bytes of it; a larger file is 413 with too_large on the field.
// Every other part is unknown_field, and a body without the file part
// required on the field, all in one answer.
func readUpload(mr *multipart.Reader, field string, max int64) (files.Upload, error) {
	var u files.Upload
	found := false
	p := apperr.Problems{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return files.Upload{}, uploadError(err)
		}
		name := part.FormName()
		if name != field {
			_ = part.Close()
			if name == "" {
				name = "body"
			}
			p.Add(name, apperr.UnknownField())
			continue
		}
		if found {
			_ = part.Close()
			return files.Upload{}, apperr.FieldProblem("Send one file.", field, apperr.TooMany(1))
		}
		found = true
		content, err := io.ReadAll(io.LimitReader(part, max+1))
		if err != nil {
			return files.Upload{}, uploadError(err)
		}
		if int64(len(content)) > max {
			e := apperr.FieldProblem("The file is too large.", field,
				apperr.TooLarge(max).With("unit", "bytes").Because(fmt.Sprintf("must be at most %d bytes", max)))
			e.Code = apperr.CodePayloadTooLarge
			return files.Upload{}, e
		}
		u = files.Upload{Name: part.FileName(), Content: content}
	}
	if !found {
		p.Add(field, apperr.Required())
	}
	if err := p.Check(); err != nil {
		return files.Upload{}, err
	}
	return u, nil
}

// uploadError passes the body limit's refusal on and makes any other
// broken multipart body a bad request.
func uploadError(err error) error {
	var maxErr *http.MaxBytesError
	var httpErr *echo.HTTPError
	if errors.As(err, &maxErr) || (errors.As(err, &httpErr) && httpErr.Code == http.StatusRequestEntityTooLarge) {
		return apperr.New(apperr.CodePayloadTooLarge, "The request body is too large.")
	}
	return &apperr.Error{Code: apperr.CodeBadRequest, Message: "The body is not a readable multipart form.",
		Fields: apperr.Problems{"body": apperr.InvalidFormat()}, Err: err}
}

// ownerPermission is what a caller needs to read a file of an owner kind:
// whatever reading the owning record needs. A kind missing here is served
// to nobody.
func ownerPermission(k files.OwnerKind) (auth.Permission, bool) {
	switch k {
	case files.OwnerCompanyLogo, files.OwnerInvoice, files.OwnerCreditNote, files.OwnerDocumentLogo:
		return auth.PermRead, true
	case files.OwnerExpenseReceipt:
		return auth.PermFinance, true
	}
	return "", false
}

func (s *server) GetFile(ctx context.Context, r oapi.GetFileRequestObject) (oapi.GetFileResponseObject, error) {
	notFound := apperr.New(apperr.CodeNotFound, "No such file.")
	info, err := s.files.GetFileInfo(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	// A file whose owner the caller may not see is answered as missing, so
	// ids do not reveal what exists.
	if perm, ok := ownerPermission(info.Owner); !ok || !principal(ctx).Allows(perm) {
		return nil, notFound
	}
	if r.Params.IfNoneMatch != nil && etagMatches(*r.Params.IfNoneMatch, info.ETag()) {
		return fileResponse{file: info, notModified: true}, nil
	}
	f, content, err := s.files.GetFile(ctx, r.Id)
	if err != nil {
		return nil, err
	}
	return fileResponse{file: f, content: content}, nil
}

// etagMatches is If-None-Match's weak comparison: any listed tag equal to
// etag once W/ is dropped, or "*".
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}

// fileResponse writes a stored file with the headers that keep it inert.
type fileResponse struct {
	file        files.File
	content     []byte
	notModified bool
}

func (r fileResponse) VisitGetFileResponse(w http.ResponseWriter) error {
	h := w.Header()
	h.Set("ETag", r.file.ETag())
	// Revalidate every time (the ETag makes that cheap); private: a
	// shared cache must not hand it to someone not allowed to see it.
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", files.CSP)
	if r.notModified {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", string(r.file.Type))
	h.Set("Content-Disposition", files.ContentDisposition(r.file.Name))
	h.Set("Content-Length", strconv.Itoa(len(r.content)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(r.content)
	return err
}

func toStoredFile(f *files.File) *oapi.StoredFile {
	if f == nil {
		return nil
	}
	return &oapi.StoredFile{Id: f.ID, ContentType: oapi.StoredFileContentType(f.Type), Size: f.Size, Name: f.Name,
		Sha256: f.SHA256, Url: "/api/v1/files/" + strconv.FormatInt(f.ID, 10)}
}

func toCompanyProfile(p company.Profile) oapi.CompanyProfile {
	missing := p.MissingForQRBill()
	if missing == nil {
		missing = []string{}
	}
	return oapi.CompanyProfile{
		Name: p.Name, Street: p.Street, BuildingNumber: p.BuildingNumber, PostalCode: p.PostalCode, Town: p.Town,
		Country: p.Country, VatNumber: p.VATNumber, Iban: p.IBAN, BankName: p.BankName,
		PaymentTermsDays: p.PaymentTermsDays, InvoiceFooter: p.InvoiceFooter, InvoicePrefix: p.InvoicePrefix,
		CreditNotePrefix: p.CreditNotePrefix, Currency: oapi.Currency(p.Currency), DepositsTaxable: p.DepositsTaxable,
		Logo: toStoredFile(p.Logo), Version: p.Version, UpdatedAt: p.UpdatedAt, MissingForQrBill: missing,
	}
}
