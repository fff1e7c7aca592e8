// Package apiclient is the web service's typed client for the Depotix api.
//
// The wire types and the low-level client (ClientWithResponses) are
// generated from the api's contract, services/api/openapi.yaml, into
// client.gen.go; see services/web/oapi-codegen.yaml. Client wraps them with
// what every call needs: a time limit, the X-Request-ID of the browser
// request it serves (so one id follows a click through web and api logs),
// a bound on the size of answers, and errors that say what went wrong
// (*CallError with a Kind, and *APIError for the api's error envelope)
// without showing internals.
package apiclient

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// maxBody bounds how much of an api answer is read: a broken or hostile
// upstream must not make web buffer without limit. The largest answers are
// list pages (at most 500 rows), far below this.
const maxBody = 8 << 20

// Client calls the api.
type Client struct {
	api  *ClientWithResponses
	http *http.Client
}

// New returns a client for the api at baseURL (http or https, a host and an
// optional path prefix). timeout bounds each call as a whole; connecting,
// the TLS handshake and waiting for response headers are bounded by it too,
// so a hung api is noticed at the stage where it hangs.
func New(baseURL string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return nil, fmt.Errorf("api base URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("api base URL %q: want http(s)://host[:port][/path]", baseURL)
	}
	if timeout <= 0 {
		return nil, fmt.Errorf("api timeout %s: want a positive duration", timeout)
	}

	dialer := &net.Dialer{Timeout: timeout, KeepAlive: 30 * time.Second}
	transport := &http.Transport{
		// The api is a neighbour on the internal network; an HTTP_PROXY meant
		// for the outside world must not capture these calls.
		Proxy:                 nil,
		DialContext:           dialer.DialContext,
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		ExpectContinueTimeout: time.Second,
		MaxIdleConns:          64,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
		// A neighbour's answers cost less to read than to inflate; the api
		// would otherwise send its cached lists gzipped.
		DisableCompression: true,
	}
	hc := &http.Client{
		Transport: transport,
		Timeout:   timeout,
		// The api never redirects. A redirect means something else answers
		// at API_URL; following it could carry a person's token elsewhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	api, err := NewClientWithResponses(strings.TrimRight(baseURL, "/"),
		WithHTTPClient(doer{http: hc}),
		WithRequestEditorFn(acceptJSON),
		WithRequestEditorFn(forwardRequestID),
		WithRequestEditorFn(forwardClient),
	)
	if err != nil {
		return nil, fmt.Errorf("api client: %w", err)
	}
	return &Client{api: api, http: hc}, nil
}

// CloseIdleConnections releases pooled connections (at shutdown).
func (c *Client) CloseIdleConnections() { c.http.CloseIdleConnections() }

type requestIDKey struct{}

// WithRequestID returns a context whose api calls carry id as X-Request-ID.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestIDFrom returns the id stored by WithRequestID, or "".
func RequestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// forwardRequestID sends the id of the browser request being served, so the
// api logs its part under the same id.
func forwardRequestID(ctx context.Context, req *http.Request) error {
	if id := RequestIDFrom(ctx); id != "" {
		req.Header.Set("X-Request-ID", id)
	}
	return nil
}

type clientKey struct{}

type clientInfo struct{ ip, userAgent string }

// WithClient returns a context whose api calls name the browser they are
// made for: its address (X-Forwarded-For) and its User-Agent. The api
// throttles sign-in attempts per address and lists sessions by device, so
// it must see the person's browser, not the web service.
func WithClient(ctx context.Context, ip, userAgent string) context.Context {
	return context.WithValue(ctx, clientKey{}, clientInfo{ip: ip, userAgent: printable(userAgent)})
}

// printable makes a browser's header text acceptable to the api, which
// refuses invalid UTF-8, control characters and noncharacters in every header
// (422): one odd User-Agent must not make every page fail. Invalid bytes
// become U+FFFD, the others are dropped.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE {
			return -1
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// forwardClient sends what WithClient stored. The api trusts
// X-Forwarded-For only from private addresses, where web runs.
func forwardClient(ctx context.Context, req *http.Request) error {
	ci, ok := ctx.Value(clientKey{}).(clientInfo)
	if !ok {
		return nil
	}
	if ci.ip != "" {
		req.Header.Set("X-Forwarded-For", ci.ip)
	}
	if ci.userAgent != "" {
		req.Header.Set("User-Agent", ci.userAgent)
	}
	return nil
}

func acceptJSON(_ context.Context, req *http.Request) error {
	req.Header.Set("Accept", "application/json")
	return nil
}

// BearerToken authenticates one call as the signed-in person. Methods take
// it as their auth argument and pass it to the generated call, as Me does;
// handlers get it from the session (see handlers' signedIn).
// An empty token sends no Authorization header, so the api answers 401 as
// for anyone not signed in.
func BearerToken(token string) RequestEditorFn {
	return func(_ context.Context, req *http.Request) error {
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		return nil
	}
}

// Readiness asks the api whether it can serve requests. A 503 carrying the
// readiness document is an answer, not an error: the api is reachable and
// says why it is not ready. Transport failures, other statuses and bodies
// that are not the document are errors (see CallError).
func (c *Client) Readiness(ctx context.Context) (Readiness, error) {
	const op = "GET /readyz"
	res, err := c.api.GetReadinessWithResponse(ctx)
	if err != nil {
		return Readiness{}, callError(op, err)
	}
	status := res.StatusCode()
	var doc *Readiness
	switch status {
	case http.StatusOK:
		doc = res.JSON200
	case http.StatusServiceUnavailable:
		doc = res.JSON503
	default:
		return Readiness{}, statusError(op, res)
	}
	switch {
	case doc == nil:
		return Readiness{}, invalid(op, status, "answer is not JSON (Content-Type %q)", res.ContentType())
	case doc.Database == "":
		return Readiness{}, invalid(op, status, `answer has no "database" field`)
	case doc.Ok != (status == http.StatusOK):
		return Readiness{}, invalid(op, status, "status %d contradicts ok=%t", status, doc.Ok)
	}
	return *doc, nil
}

// Login signs a person in with email and password. Wrong credentials are an
// *APIError with code unauthorized; a rule broken by the input is
// validation_failed with Fields; too many attempts are rate_limited.
// language ("de", "en"; "" for none) is the language the browser signs in
// with: the api saves it for a person who has none yet.
func (c *Client) Login(ctx context.Context, email, password, language string) (TokenPair, error) {
	const op = "POST /api/v1/auth/login"
	body := LoginJSONRequestBody{Email: email, Password: password}
	if language != "" {
		l := Language(language)
		body.Language = &l
	}
	res, err := c.api.LoginWithResponse(ctx, body)
	if err != nil {
		return TokenPair{}, callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return TokenPair{}, statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.AccessToken == "" {
		return TokenPair{}, invalid(op, http.StatusOK, "answer is not a token pair")
	}
	return *res.JSON200, nil
}

// Me returns the person the access token belongs to, with the permissions
// their role holds, and the ETag of that record (for If-Match on UpdateMe).
// A missing, expired or revoked token is an *APIError with code
// unauthorized.
func (c *Client) Me(ctx context.Context, auth RequestEditorFn) (Me, string, error) {
	const op = "GET /api/v1/me"
	res, err := c.api.GetMeWithResponse(ctx, auth)
	if err != nil {
		return Me{}, "", callError(op, err)
	}
	if res.StatusCode() != http.StatusOK {
		return Me{}, "", statusError(op, res)
	}
	if res.JSON200 == nil || res.JSON200.ID == 0 {
		return Me{}, "", invalid(op, http.StatusOK, "answer is not a person")
	}
	return *res.JSON200, res.HTTPResponse.Header.Get("ETag"), nil
}

// doer is the generated client's HTTP transport. It marks transport
// failures (so they are told apart from answers that do not decode) and
// bounds the size of every answer.
type doer struct{ http *http.Client }

func (d doer) Do(req *http.Request) (*http.Response, error) {
	resp, err := d.http.Do(req)
	if err != nil {
		return nil, &transportError{err: err}
	}
	resp.Body = &limitedBody{body: resp.Body}
	return resp, nil
}

// transportError is a failure to exchange bytes with the api, as opposed to
// an answer that arrived but is not what the contract says.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

var errTooLarge = fmt.Errorf("answer larger than %d bytes", maxBody)

// limitedBody reads at most maxBody bytes and fails with errTooLarge when the
// answer has more.
type limitedBody struct {
	body io.ReadCloser
	read int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.read > maxBody {
		return 0, errTooLarge
	}
	// One byte past the limit tells a body of exactly maxBody bytes from a
	// longer one.
	if rest := maxBody + 1 - b.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n, err := b.body.Read(p)
	b.read += int64(n)
	switch {
	case b.read > maxBody:
		return n, errTooLarge
	case err != nil && err != io.EOF: // io.EOF must stay unwrapped
		return n, &transportError{err: err}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.body.Close() }
