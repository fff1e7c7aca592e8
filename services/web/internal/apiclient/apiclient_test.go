package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newClient returns a client for the api at url with a short timeout.
func newClient(t *testing.T, url string, timeout time.Duration) *Client {
	t.Helper()
	c, err := New(url, timeout)
	if err != nil {
		t.Fatalf("New(%q): %v", url, err)
	}
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// answerWith serves every request with status, Content-Type and body.
func answerWith(t *testing.T, status int, contentType, body string) *httptest.Server {
	t.Helper()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType != "" {
			w.Header().Set("Content-Type", contentType)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(api.Close)
	return api
}

func ptr[T any](v T) *T { return &v }

func TestReadiness(t *testing.T) {
	const jsonType = "application/json; charset=UTF-8"
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        Readiness
		wantKind    Kind // "" for success
	}{
		{
			name:   "ready",
			status: http.StatusOK,
			body:   `{"ok":true,"database":"ready","schema_version":3,"expected_schema_version":3,"version":"1.2.0"}`,
			want:   Readiness{Ok: true, Database: ReadinessDatabaseReady, SchemaVersion: 3, ExpectedSchemaVersion: 3, Version: "1.2.0"},
		},
		{
			name:   "503 carries the document",
			status: http.StatusServiceUnavailable,
			body:   `{"ok":false,"database":"unreachable","schema_version":0,"expected_schema_version":3,"reason":"connection refused","version":"1.2.0"}`,
			want: Readiness{Ok: false, Database: ReadinessDatabaseUnreachable, SchemaVersion: 0, ExpectedSchemaVersion: 3,
				Reason: ptr("connection refused"), Version: "1.2.0"},
		},
		{
			name:   "schema outdated",
			status: http.StatusServiceUnavailable,
			body:   `{"ok":false,"database":"schema_outdated","schema_version":2,"expected_schema_version":3,"reason":"run api migrate up","version":"1.2.0"}`,
			want: Readiness{Ok: false, Database: ReadinessDatabaseSchemaOutdated, SchemaVersion: 2, ExpectedSchemaVersion: 3,
				Reason: ptr("run api migrate up"), Version: "1.2.0"},
		},
		{
			name:   "unknown fields are ignored",
			status: http.StatusOK,
			body:   `{"ok":true,"database":"ready","schema_version":1,"expected_schema_version":1,"version":"x","uptime":"3h"}`,
			want:   Readiness{Ok: true, Database: ReadinessDatabaseReady, SchemaVersion: 1, ExpectedSchemaVersion: 1, Version: "x"},
		},
		{name: "garbage", status: http.StatusOK, body: `<html>proxy error</html>`, wantKind: KindInvalid},
		{name: "not JSON", status: http.StatusOK, contentType: "text/html",
			body: `{"ok":true,"database":"ready"}`, wantKind: KindInvalid},
		{name: "no content type", status: http.StatusServiceUnavailable, contentType: "-",
			body: `{"ok":false,"database":"unreachable"}`, wantKind: KindInvalid},
		{name: "empty body", status: http.StatusOK, body: ``, wantKind: KindInvalid},
		{name: "trailing data", status: http.StatusOK, body: `{"ok":true,"database":"ready"} {}`, wantKind: KindInvalid},
		{name: "not the document", status: http.StatusOK, body: `{"hello":"world"}`, wantKind: KindInvalid},
		{name: "wrong type", status: http.StatusOK, body: `{"ok":"yes","database":"ready"}`, wantKind: KindInvalid},
		{name: "200 but not ok", status: http.StatusOK, body: `{"ok":false,"database":"ready"}`, wantKind: KindInvalid},
		{name: "503 but ok", status: http.StatusServiceUnavailable, body: `{"ok":true,"database":"ready"}`, wantKind: KindInvalid},
		{name: "500 with error envelope", status: http.StatusInternalServerError,
			body: `{"error":{"code":"internal_error","message":"boom","request_id":"r"}}`, wantKind: KindStatus},
		{name: "404", status: http.StatusNotFound, body: `{}`, wantKind: KindStatus},
		{name: "redirect is not followed", status: http.StatusFound, body: ``, wantKind: KindStatus},
		{name: "too large", status: http.StatusOK, body: `{"ok":true,"database":"ready","version":"` + strings.Repeat("x", maxBody) + `"}`,
			wantKind: KindInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method != http.MethodGet || r.URL.Path != "/readyz" {
					t.Errorf("request %s %s, want GET /readyz", r.Method, r.URL.Path)
				}
				switch tt.contentType {
				case "":
					w.Header().Set("Content-Type", jsonType)
				case "-":
					// Stop net/http from sniffing one.
					w.Header()["Content-Type"] = nil
				default:
					w.Header().Set("Content-Type", tt.contentType)
				}
				if tt.status == http.StatusFound {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer api.Close()

			got, err := newClient(t, api.URL, 2*time.Second).Readiness(context.Background())
			if tt.wantKind != "" {
				if err == nil {
					t.Fatalf("Readiness = %+v, want an error of kind %s", got, tt.wantKind)
				}
				if k := KindOf(err); k != tt.wantKind {
					t.Errorf("KindOf(%v) = %s, want %s", err, k, tt.wantKind)
				}
				return
			}
			if err != nil {
				t.Fatalf("Readiness: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Readiness (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReadinessTimeoutIsQuick(t *testing.T) {
	release := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer api.Close()
	defer close(release)

	const timeout = 200 * time.Millisecond
	start := time.Now()
	_, err := newClient(t, api.URL, timeout).Readiness(context.Background())
	elapsed := time.Since(start)
	if k := KindOf(err); k != KindTimeout {
		t.Fatalf("KindOf(%v) = %s, want %s", err, k, KindTimeout)
	}
	// Generous bound: the point is that the client does not wait for the
	// server, which would never answer.
	if elapsed > 25*timeout {
		t.Errorf("Readiness returned after %s with a timeout of %s", elapsed, timeout)
	}
}

func TestTimeoutWhileReadingBody(t *testing.T) {
	release := make(chan struct{})
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = io.WriteString(w, `{"ok":true,`)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer api.Close()
	defer close(release)

	_, err := newClient(t, api.URL, 300*time.Millisecond).Readiness(context.Background())
	if k := KindOf(err); k != KindTimeout {
		t.Fatalf("KindOf(%v) = %s, want %s: a body cut off by the deadline is a timeout, not a bad document", err, k, KindTimeout)
	}
}

func TestReadinessHonoursContext(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	defer api.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := newClient(t, api.URL, time.Minute).Readiness(ctx)
	if !errors.Is(err, context.DeadlineExceeded) || KindOf(err) != KindTimeout {
		t.Fatalf("Readiness error = %v (kind %s), want the context's deadline as %s", err, KindOf(err), KindTimeout)
	}

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	if _, err := newClient(t, api.URL, time.Minute).Readiness(ctx); KindOf(err) != KindCanceled {
		t.Fatalf("Readiness error = %v (kind %s), want %s", err, KindOf(err), KindCanceled)
	}
}

func TestReadinessRefused(t *testing.T) {
	// Take a free port and release it, so nothing listens there.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	_, err = newClient(t, "http://"+addr, time.Second).Readiness(context.Background())
	if k := KindOf(err); k != KindRefused {
		t.Fatalf("KindOf(%v) = %s, want %s", err, k, KindRefused)
	}
	var e *CallError
	if !errors.As(err, &e) || e.Op != "GET /readyz" {
		t.Errorf("error %v does not name the operation", err)
	}
}

// TestClassify covers failures a test cannot provoke reliably on every
// machine (a resolver's answer, say) with the errors net/http returns.
func TestClassify(t *testing.T) {
	transport := func(err error) error {
		return &transportError{err: &url.Error{Op: "Get", URL: "http://api:8000/readyz", Err: err}}
	}
	tests := []struct {
		name string
		err  error
		want Kind
	}{
		{"dns", transport(&net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "api", IsNotFound: true}}), KindDNS},
		{"refused", transport(&net.OpError{Op: "dial", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}), KindRefused},
		{"reset", transport(&net.OpError{Op: "read", Err: os.NewSyscallError("read", syscall.ECONNRESET)}), KindNetwork},
		{"deadline", transport(context.DeadlineExceeded), KindTimeout},
		{"canceled", transport(context.Canceled), KindCanceled},
		{"net timeout", transport(&net.OpError{Op: "dial", Err: os.ErrDeadlineExceeded}), KindTimeout},
		{"too large", errTooLarge, KindInvalid},
		{"undecodable answer", &json.SyntaxError{}, KindInvalid},
	}
	for _, tt := range tests {
		if got := classify(tt.err); got != tt.want {
			t.Errorf("%s: classify(%v) = %s, want %s", tt.name, tt.err, got, tt.want)
		}
	}
}

func TestRequestIDAndBasePath(t *testing.T) {
	var gotID, gotPath, gotAccept, gotAuth string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotID = r.Header.Get("X-Request-ID")
		gotPath = r.URL.Path
		gotAccept = r.Header.Get("Accept")
		gotAuth = r.Header.Get("Authorization")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true,"database":"ready"}`)
	}))
	defer api.Close()

	ctx := WithRequestID(context.Background(), "req-123")
	if _, err := newClient(t, api.URL+"/prefix/", time.Second).Readiness(ctx); err != nil {
		t.Fatalf("Readiness: %v", err)
	}
	got := []string{gotID, gotPath, gotAccept, gotAuth}
	want := []string{"req-123", "/prefix/readyz", "application/json", ""}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request id, path, accept, authorization (-want +got):\n%s", diff)
	}

	// Without an id in the context no header is sent.
	if _, err := newClient(t, api.URL, time.Second).Readiness(context.Background()); err != nil {
		t.Fatalf("Readiness: %v", err)
	}
	if gotID != "" {
		t.Errorf("X-Request-ID = %q without an id in the context, want none", gotID)
	}
}

func TestLogin(t *testing.T) {
	const pair = `{"access_token":"at","token_type":"Bearer","expires_in":900,"refresh_token":"rt",
		"refresh_expires_at":"2030-01-02T03:04:05Z","session_id":"5b0c3f4e-8a51-4c5e-9b1e-1f0f8f3c2a10",
		"user":{"id":7,"email":"anna@example.ch","name":"Anna","role":"clerk","language":"de","disabled":false,
		"created_at":"2029-01-01T00:00:00Z","updated_at":"2029-01-01T00:00:00Z"}}`
	var got struct {
		method, path, contentType, requestID, auth string
		body                                       LoginRequest
	}
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.method, got.path = r.Method, r.URL.Path
		got.contentType = r.Header.Get("Content-Type")
		got.requestID = r.Header.Get("X-Request-ID")
		got.auth = r.Header.Get("Authorization")
		if err := json.NewDecoder(r.Body).Decode(&got.body); err != nil {
			t.Errorf("decode request body: %v", err)
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, pair)
	}))
	defer api.Close()

	ctx := WithRequestID(context.Background(), "req-login")
	tokens, err := newClient(t, api.URL, time.Second).Login(ctx, "anna@example.ch", "correct horse", "")
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if tokens.AccessToken != "at" || tokens.RefreshToken != "rt" || tokens.User.ID != 7 || tokens.User.Role != RoleClerk {
		t.Errorf("Login = %+v, want the decoded token pair", tokens)
	}
	wantReq := []string{http.MethodPost, "/api/v1/auth/login", "application/json", "req-login", "", "anna@example.ch", "correct horse"}
	gotReq := []string{got.method, got.path, got.contentType, got.requestID, got.auth, got.body.Email, got.body.Password}
	if diff := cmp.Diff(wantReq, gotReq); diff != "" {
		t.Errorf("request: method, path, content type, request id, authorization, email, password (-want +got):\n%s", diff)
	}
}

func TestMeSendsBearerToken(t *testing.T) {
	var auth []string
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = append(auth, r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "application/json")
		if r.Header.Get("Authorization") != "Bearer tok-1" {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":{"code":"unauthorized","message":"sign in first","request_id":"r-401"}}`)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		_, _ = io.WriteString(w, `{"id":7,"email":"anna@example.ch","name":"Anna","role":"viewer","language":"en",
			"disabled":false,"created_at":"2029-01-01T00:00:00Z","updated_at":"2029-01-01T00:00:00Z"}`)
	}))
	defer api.Close()
	c := newClient(t, api.URL, time.Second)

	me, etag, err := c.Me(context.Background(), BearerToken("tok-1"))
	if err != nil {
		t.Fatalf("Me: %v", err)
	}
	if me.ID != 7 || me.Name != "Anna" || LanguageOf(me.Language) != "en" || etag != `"v1"` {
		t.Errorf("Me = %+v, ETag %q", me, etag)
	}
	// Without a token no Authorization header is sent and the api's 401
	// comes back as its envelope.
	_, _, err = c.Me(context.Background(), BearerToken(""))
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != ErrorErrorCodeUnauthorized {
		t.Errorf("Me without a token: error %v, want an *APIError with code unauthorized", err)
	}
	if diff := cmp.Diff([]string{"Bearer tok-1", ""}, auth); diff != "" {
		t.Errorf("Authorization headers (-want +got):\n%s", diff)
	}
}

// TestAPIErrors checks that the api's error envelope becomes an *APIError
// whatever the status, and that other failed answers keep their kind.
func TestAPIErrors(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantKind    Kind
		want        *APIError // nil when no envelope is expected
	}{
		{
			name:        "422 with field errors",
			status:      http.StatusUnprocessableEntity,
			contentType: "application/json",
			body: `{"error":{"code":"validation_failed","message":"check the marked fields",
				"fields":{"email":{"code":"invalid_email","message":"must be an email address"},
				"name":{"code":"too_long","message":"must be at most 200 characters","params":{"max":200}}},"request_id":"r-422"}}`,
			wantKind: KindStatus,
			want: &APIError{Status: 422, Code: ErrorErrorCodeValidationFailed, Message: "check the marked fields",
				Fields: map[string]FieldError{
					"email": {Code: FieldCodeInvalidEmail, Message: "must be an email address"},
					"name":  {Code: FieldCodeTooLong, Message: "must be at most 200 characters", Params: &FieldParams{"max": 200.0}},
				}, RequestID: "r-422"},
		},
		{
			name:        "401",
			status:      http.StatusUnauthorized,
			contentType: "application/json",
			body:        `{"error":{"code":"unauthorized","message":"wrong email or password","request_id":"r-401"}}`,
			wantKind:    KindStatus,
			want: &APIError{Status: 401, Code: ErrorErrorCodeUnauthorized, Message: "wrong email or password",
				RequestID: "r-401"},
		},
		{
			name:        "429 with empty fields",
			status:      http.StatusTooManyRequests,
			contentType: "application/json",
			body:        `{"error":{"code":"rate_limited","message":"try again later","fields":{},"request_id":"r-429"}}`,
			wantKind:    KindStatus,
			want:        &APIError{Status: 429, Code: ErrorErrorCodeRateLimited, Message: "try again later", RequestID: "r-429"},
		},
		{
			name:        "status the contract does not list",
			status:      http.StatusInternalServerError,
			contentType: "application/json",
			body:        `{"error":{"code":"internal_error","message":"internal error","request_id":"r-500"}}`,
			wantKind:    KindStatus,
			want:        &APIError{Status: 500, Code: ErrorErrorCodeInternalError, Message: "internal error", RequestID: "r-500"},
		},
		{
			name:        "code newer than this client",
			status:      http.StatusConflict,
			contentType: "application/json",
			body:        `{"error":{"code":"rack_full","message":"no room","request_id":"r-409"}}`,
			wantKind:    KindStatus,
			want:        &APIError{Status: 409, Code: "rack_full", Message: "no room", RequestID: "r-409"},
		},
		{
			name:        "gateway error page",
			status:      http.StatusBadGateway,
			contentType: "text/html",
			body:        `<html>502 Bad Gateway</html>`,
			wantKind:    KindStatus,
		},
		{
			name:        "declared status with a broken body",
			status:      http.StatusUnauthorized,
			contentType: "application/json",
			body:        `{"error":`,
			wantKind:    KindInvalid,
		},
		{
			name:        "200 that is not a token pair",
			status:      http.StatusOK,
			contentType: "application/json",
			body:        `{}`,
			wantKind:    KindInvalid,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			api := answerWith(t, tt.status, tt.contentType, tt.body)
			_, err := newClient(t, api.URL, time.Second).Login(context.Background(), "anna@example.ch", "pw", "")
			if err == nil {
				t.Fatal("Login succeeded, want an error")
			}
			if k := KindOf(err); k != tt.wantKind {
				t.Errorf("KindOf(%v) = %s, want %s", err, k, tt.wantKind)
			}
			var callErr *CallError
			if !errors.As(err, &callErr) || callErr.Op != "POST /api/v1/auth/login" {
				t.Errorf("error %v is not a *CallError naming the operation", err)
			}
			var got *APIError
			errors.As(err, &got)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAPIErrorMessage(t *testing.T) {
	err := error(&CallError{Kind: KindStatus, Op: "POST /api/v1/users", Status: 422, Err: &APIError{
		Status: 422, Code: ErrorErrorCodeValidationFailed, Message: "check the fields",
		Fields: map[string]FieldError{"name": {Code: FieldCodeRequired, Message: "is required"},
			"email": {Code: FieldCodeTaken, Message: "is already taken"}}, RequestID: "r"}})
	want := "api POST /api/v1/users: status: 422 validation_failed: check the fields (email: taken is already taken; name: required is required)"
	if got := err.Error(); got != want {
		t.Errorf("Error() =\n%q, want\n%q", got, want)
	}
}

func TestBearerToken(t *testing.T) {
	tests := []struct {
		token string
		want  []string
	}{
		{token: "dpx_abc", want: []string{"Bearer dpx_abc"}},
		{token: "", want: nil},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if err := BearerToken(tt.token)(context.Background(), req); err != nil {
			t.Fatalf("BearerToken(%q): %v", tt.token, err)
		}
		if diff := cmp.Diff(tt.want, req.Header.Values("Authorization")); diff != "" {
			t.Errorf("BearerToken(%q): Authorization (-want +got):\n%s", tt.token, diff)
		}
	}
}

func TestLimitedBody(t *testing.T) {
	tests := []struct {
		size    int
		wantErr error
	}{
		{size: 0},
		{size: maxBody},
		{size: maxBody + 1, wantErr: errTooLarge},
	}
	for _, tt := range tests {
		b := &limitedBody{body: io.NopCloser(strings.NewReader(strings.Repeat("x", tt.size)))}
		got, err := io.ReadAll(b)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("size %d: ReadAll error %v, want %v", tt.size, err, tt.wantErr)
		}
		if tt.wantErr == nil && len(got) != tt.size {
			t.Errorf("size %d: read %d bytes", tt.size, len(got))
		}
		if len(got) > maxBody+1 {
			t.Errorf("size %d: read %d bytes, more than the limit allows", tt.size, len(got))
		}
	}
}

func TestNewRejectsBadSettings(t *testing.T) {
	tests := []struct {
		url     string
		timeout time.Duration
	}{
		{url: "api:8000", timeout: time.Second},
		{url: "ftp://api:8000", timeout: time.Second},
		{url: "http://", timeout: time.Second},
		{url: "http://api:8000/?x=1", timeout: time.Second},
		{url: "http://api:8000", timeout: 0},
	}
	for _, tt := range tests {
		if _, err := New(tt.url, tt.timeout); err == nil {
			t.Errorf("New(%q, %s) succeeded, want an error", tt.url, tt.timeout)
		}
	}
}

func TestKindOfForeignError(t *testing.T) {
	if k := KindOf(errors.New("other")); k != KindUnknown {
		t.Errorf("KindOf(foreign error) = %s, want %s", k, KindUnknown)
	}
}
