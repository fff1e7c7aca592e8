package apiclient

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
)

// CSV import and export of items, customers and suppliers.

// CSVKind names what a CSV file holds.
type CSVKind string

// The kinds the api imports and exports.
const (
	CSVItems     CSVKind = "items"
	CSVCustomers CSVKind = "customers"
	CSVSuppliers CSVKind = "suppliers"
)

// Import sends a CSV file to the api. With dryRun nothing is written. A
// file with errors is not an error here: the report (status 422) lists its
// problems by line and column, and nothing was written.
func (c *Client) Import(ctx context.Context, auth RequestEditorFn, kind CSVKind, dryRun bool, csv []byte) (ImportReport, error) {
	op := "POST /api/v1/" + string(kind) + "/import"
	const ct = "text/csv"
	var res interface {
		answer
		report() (*ImportReport, *ImportReport)
	}
	var err error
	switch kind {
	case CSVItems:
		var r *ImportItemsResponse
		r, err = c.api.ImportItemsWithBodyWithResponse(ctx, &ImportItemsParams{DryRun: &dryRun}, ct, bytes.NewReader(csv), auth)
		res = importItems{r}
	case CSVCustomers:
		var r *ImportCustomersResponse
		r, err = c.api.ImportCustomersWithBodyWithResponse(ctx, &ImportCustomersParams{DryRun: &dryRun}, ct, bytes.NewReader(csv), auth)
		res = importCustomers{r}
	case CSVSuppliers:
		var r *ImportSuppliersResponse
		r, err = c.api.ImportSuppliersWithBodyWithResponse(ctx, &ImportSuppliersParams{DryRun: &dryRun}, ct, bytes.NewReader(csv), auth)
		res = importSuppliers{r}
	default:
		return ImportReport{}, &CallError{Kind: KindInvalid, Op: op, Err: fmt.Errorf("unknown kind %q", kind)}
	}
	if err != nil {
		return ImportReport{}, callError(op, err)
	}
	ok, failed := res.report()
	switch res.StatusCode() {
	case http.StatusOK:
		if ok == nil {
			return ImportReport{}, invalid(op, http.StatusOK, "answer is not an import report")
		}
		return *ok, nil
	case http.StatusUnprocessableEntity:
		if failed == nil || len(failed.Problems) == 0 {
			// A 422 without a report is the api's ordinary error envelope.
			return ImportReport{}, statusError(op, res)
		}
		return *failed, nil
	}
	return ImportReport{}, statusError(op, res)
}

// The three generated answers differ only in type; these give them one
// shape for Import.
type importItems struct{ *ImportItemsResponse }
type importCustomers struct{ *ImportCustomersResponse }
type importSuppliers struct{ *ImportSuppliersResponse }

func (r importItems) report() (*ImportReport, *ImportReport) { return r.JSON200, r.JSON422 }
func (r importCustomers) report() (*ImportReport, *ImportReport) {
	return r.JSON200, r.JSON422
}
func (r importSuppliers) report() (*ImportReport, *ImportReport) {
	return r.JSON200, r.JSON422
}

// Export asks the api for a CSV file of kind, filtered by the search text q
// and archived ("", "true", "all"). On success the caller streams the
// answer's body to the browser and closes it.
//
// An export can be far larger than any other answer (100,000 items), so it
// bypasses the size bound of the other calls and their time limit for the
// whole call: the connection's own limits (connecting, waiting for the
// headers) still apply, and the web server's write timeout ends a stalled
// stream.
func (c *Client) Export(ctx context.Context, auth RequestEditorFn, kind CSVKind, q, archived string, d CSVDialect) (*http.Response, error) {
	op := "GET /api/v1/" + string(kind) + "/export"
	return c.streamCSV(ctx, auth, op, func(server string) (*http.Request, error) {
		switch kind {
		case CSVItems:
			p := ExportItemsParams{Q: optional(q), Lang: d.lang(), Separator: separator[ExportItemsParamsSeparator](d)}
			if archived != "" {
				a := ExportItemsParamsArchived(archived)
				p.Archived = &a
			}
			return NewExportItemsRequest(server, &p)
		case CSVCustomers:
			p := ExportCustomersParams{Q: optional(q), Lang: d.lang(), Separator: separator[ExportCustomersParamsSeparator](d)}
			if archived != "" {
				a := ExportCustomersParamsArchived(archived)
				p.Archived = &a
			}
			return NewExportCustomersRequest(server, &p)
		case CSVSuppliers:
			p := ExportSuppliersParams{Q: optional(q), Lang: d.lang(), Separator: separator[ExportSuppliersParamsSeparator](d)}
			if archived != "" {
				a := ExportSuppliersParamsArchived(archived)
				p.Archived = &a
			}
			return NewExportSuppliersRequest(server, &p)
		default:
			return nil, fmt.Errorf("unknown kind %q", kind)
		}
	})
}

// CSVDialect is the file an export is asked for: its header's language
// ("en" or "de"; "" leaves it to the api: the person's profile language)
// and whether its cells are separated by commas instead of semicolons.
type CSVDialect struct {
	Lang  string
	Comma bool
}

func (d CSVDialect) lang() *CSVLang {
	if d.Lang == "" {
		return nil
	}
	l := CSVLang(d.Lang)
	return &l
}

// separator is d's separator parameter for an operation's own type; nil
// (the api's default, semicolons) unless d asks for commas.
func separator[S ~string](d CSVDialect) *S {
	if !d.Comma {
		return nil
	}
	s := S("comma")
	return &s
}

// streamCSV sends the request newRequest makes for the api at server,
// asking for CSV, outside the size bound and whole-call time limit of the
// other calls (see Export), and returns the answer for the caller to stream
// and close.
func (c *Client) streamCSV(ctx context.Context, auth RequestEditorFn, op string, newRequest func(server string) (*http.Request, error)) (*http.Response, error) {
	raw, ok := c.api.ClientInterface.(*RawClient)
	if !ok {
		return nil, &CallError{Kind: KindInvalid, Op: op, Err: fmt.Errorf("client is %T", c.api.ClientInterface)}
	}
	req, err := newRequest(raw.Server)
	if err != nil {
		return nil, &CallError{Kind: KindInvalid, Op: op, Err: err}
	}
	req = req.WithContext(ctx)
	for _, edit := range append(raw.RequestEditors, auth) {
		if err := edit(ctx, req); err != nil {
			return nil, &CallError{Kind: KindInvalid, Op: op, Err: err}
		}
	}
	req.Header.Set("Accept", "text/csv")
	stream := &http.Client{Transport: c.http.Transport, CheckRedirect: c.http.CheckRedirect}
	resp, err := stream.Do(req)
	if err != nil {
		return nil, callError(op, &transportError{err: err})
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		return nil, statusError(op, rawAnswer{HTTPResponse: resp, body: body})
	}
	return resp, nil
}

// rawAnswer gives an answer read by hand the shape statusError reads.
type rawAnswer struct {
	HTTPResponse *http.Response
	body         []byte
}

func (r rawAnswer) StatusCode() int { return r.HTTPResponse.StatusCode }
func (r rawAnswer) GetBody() []byte { return r.body }
