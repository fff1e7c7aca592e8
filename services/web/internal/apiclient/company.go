package apiclient

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
)

// CompanyProfile reads the company profile and its ETag.
func (c *Client) CompanyProfile(ctx context.Context, auth RequestEditorFn) (CompanyProfile, string, error) {
	const op = "GET /api/v1/company"
	res, err := c.api.GetCompanyProfileWithResponse(ctx, auth)
	if err != nil {
		return CompanyProfile{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return CompanyProfile{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Version == 0 {
		return CompanyProfile{}, "", invalid(op, http.StatusOK, "answer is not a company profile")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// UpdateCompanyProfile saves every field of the profile; ifMatch is the
// ETag the form was made from.
func (c *Client) UpdateCompanyProfile(ctx context.Context, auth RequestEditorFn, ifMatch string, in CompanyProfileInput) (CompanyProfile, string, error) {
	const op = "PUT /api/v1/company"
	var params UpdateCompanyProfileParams
	if ifMatch != "" {
		params.IfMatch = &ifMatch
	}
	res, err := c.api.UpdateCompanyProfileWithResponse(ctx, &params, in, auth)
	if err != nil {
		return CompanyProfile{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return CompanyProfile{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Version == 0 {
		return CompanyProfile{}, "", invalid(op, http.StatusOK, "answer is not a company profile")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// UploadCompanyLogo sends a picture as the new logo. The api judges its
// type from the content; name is only kept for the download.
func (c *Client) UploadCompanyLogo(ctx context.Context, auth RequestEditorFn, ifMatch, idempotencyKey, name string, content []byte) (CompanyProfile, string, error) {
	const op = "POST /api/v1/company/logo"
	body, contentType, err := fileBody(name, content)
	if err != nil {
		return CompanyProfile{}, "", callError(op, err)
	}
	var params UploadCompanyLogoParams
	if ifMatch != "" {
		params.IfMatch = &ifMatch
	}
	if idempotencyKey != "" {
		params.IdempotencyKey = &idempotencyKey
	}
	res, err := c.api.UploadCompanyLogoWithBodyWithResponse(ctx, &params, contentType, body, auth)
	if err != nil {
		return CompanyProfile{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return CompanyProfile{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Logo == nil {
		return CompanyProfile{}, "", invalid(op, http.StatusOK, "answer has no logo")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// DeleteCompanyLogo removes the logo; ifMatch is the ETag the page was
// made from.
func (c *Client) DeleteCompanyLogo(ctx context.Context, auth RequestEditorFn, ifMatch string) (CompanyProfile, string, error) {
	const op = "DELETE /api/v1/company/logo"
	var params DeleteCompanyLogoParams
	if ifMatch != "" {
		params.IfMatch = &ifMatch
	}
	res, err := c.api.DeleteCompanyLogoWithResponse(ctx, &params, auth)
	if err != nil {
		return CompanyProfile{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return CompanyProfile{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.Version == 0 {
		return CompanyProfile{}, "", invalid(op, http.StatusOK, "answer is not a company profile")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// fileBody is a multipart body with one part "file" holding content.
// The same file gives the same body: the api recognises a retried upload
// by its Idempotency-Key and the body's hash, and a random boundary would
// make every retry a different request. A boundary made of the content's
// own digest cannot occur in the content.
func fileBody(name string, content []byte) (io.Reader, string, error) {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	sum := sha256.Sum256(content)
	if err := w.SetBoundary("depotix-" + hex.EncodeToString(sum[:24])); err != nil {
		return nil, "", err
	}
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+quoteEscaper.Replace(name)+`"`)
	h.Set("Content-Type", "application/octet-stream")
	part, err := w.CreatePart(h)
	if err == nil {
		_, err = part.Write(content)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return nil, "", err
	}
	return &body, w.FormDataContentType(), nil
}

// quoteEscaper keeps a file name from ending the quoted parameter early
// (what mime/multipart does for CreateFormFile).
var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")

// Download is a stored file as the api serves it, for the web to pass on.
type Download struct {
	Status int         // 200, or 304 when ifNoneMatch named it
	Header http.Header // the api's headers: type, ETag, disposition, nosniff, CSP
	Body   io.ReadCloser
}

// File opens a stored file as the person may see it. The caller streams
// Body and closes it. ifNoneMatch is passed on, so the browser's cached copy
// is revalidated against the api's ETag.
func (c *Client) File(ctx context.Context, auth RequestEditorFn, id int64, ifNoneMatch string) (Download, error) {
	const op = "GET /api/v1/files/{id}"
	var params GetFileParams
	if ifNoneMatch != "" {
		params.IfNoneMatch = &ifNoneMatch
	}
	res, err := c.api.ClientInterface.GetFile(ctx, id, &params, auth)
	return download(op, res, err)
}

// download opens an answer that is a file to pass on (200 or 304); any
// other status is the api's error.
func download(op string, res *http.Response, err error) (Download, error) {
	if err != nil {
		return Download{}, callError(op, err)
	}
	switch res.StatusCode {
	case http.StatusOK, http.StatusNotModified:
		return Download{Status: res.StatusCode, Header: res.Header, Body: res.Body}, nil
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	return Download{}, statusError(op, rawAnswer{HTTPResponse: res, body: raw})
}
