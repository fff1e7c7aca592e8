package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/uuid"
)

// recorded is one request the stand-in api received.
type recorded struct {
	Method, Path, Auth, IfMatch, IdempotencyKey, ForwardedFor, UserAgent string
	Body                                                                 map[string]any
}

// recordingAPI answers every request with status and body and records it.
func recordingAPI(t *testing.T, status int, header map[string]string, body string) (*Client, *[]recorded) {
	t.Helper()
	var got []recorded
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := recorded{Method: r.Method, Path: r.URL.Path, Auth: r.Header.Get("Authorization"),
			IfMatch: r.Header.Get("If-Match"), IdempotencyKey: r.Header.Get("Idempotency-Key"),
			ForwardedFor: r.Header.Get("X-Forwarded-For"), UserAgent: r.Header.Get("User-Agent")}
		if b, _ := io.ReadAll(r.Body); len(b) > 0 {
			if err := json.Unmarshal(b, &rec.Body); err != nil {
				t.Errorf("request body is not JSON: %s", b)
			}
		}
		got = append(got, rec)
		for k, v := range header {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(api.Close)
	return newClient(t, api.URL, time.Second), &got
}

const userJSON = `{"id":7,"email":"anna@example.ch","name":"Anna","role":"clerk","language":"de",
	"disabled":false,"created_at":"2029-01-01T00:00:00Z","updated_at":"2029-01-01T00:00:00Z"}`

func TestAuthOperations(t *testing.T) {
	ctx := WithClient(context.Background(), "203.0.113.9", "Firefox/140")
	bearer := BearerToken("tok-1")
	sid := uuid.MustParse("5b7f7c4e-1f0a-4c52-9d7e-5d2c43b0a001")
	tests := []struct {
		name   string
		status int
		header map[string]string
		body   string
		call   func(c *Client) (any, error)
		want   any
		req    recorded
	}{
		{
			name: "refresh", status: 200,
			body: `{"access_token":"a2","token_type":"Bearer","expires_in":900,"refresh_token":"dpr_2",
				"refresh_expires_at":"2029-02-01T00:00:00Z","session_id":"` + sid.String() + `","user":` + userJSON + `}`,
			call: func(c *Client) (any, error) {
				p, err := c.Refresh(ctx, "dpr_1")
				return p.AccessToken + " " + p.RefreshToken, err
			},
			want: "a2 dpr_2",
			req: recorded{Method: "POST", Path: "/api/v1/auth/refresh", ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140",
				Body: map[string]any{"refresh_token": "dpr_1"}},
		},
		{
			name: "logout", status: 204,
			call: func(c *Client) (any, error) { return nil, c.Logout(ctx, bearer) },
			req: recorded{Method: "POST", Path: "/api/v1/auth/logout", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
		{
			name: "sessions", status: 200,
			body: `{"items":[{"id":"` + sid.String() + `","created_at":"2029-01-01T00:00:00Z","last_used_at":"2029-01-01T00:00:00Z",
				"expires_at":"2029-02-01T00:00:00Z","current":true,"user_agent":"Firefox"}]}`,
			call: func(c *Client) (any, error) {
				s, err := c.Sessions(ctx, bearer)
				if len(s) != 1 {
					return len(s), err
				}
				return s[0].ID.String() + " " + *s[0].UserAgent, err
			},
			want: sid.String() + " Firefox",
			req: recorded{Method: "GET", Path: "/api/v1/auth/sessions", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
		{
			name: "revoke others", status: 200, body: `{"revoked":3}`,
			call: func(c *Client) (any, error) { return c.RevokeOtherSessions(ctx, bearer) },
			want: 3,
			req: recorded{Method: "DELETE", Path: "/api/v1/auth/sessions", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
		{
			name: "revoke one", status: 204,
			call: func(c *Client) (any, error) { return nil, c.RevokeSession(ctx, bearer, sid) },
			req: recorded{Method: "DELETE", Path: "/api/v1/auth/sessions/" + sid.String(), Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
		{
			name: "update me", status: 200, header: map[string]string{"ETag": `"4"`}, body: userJSON,
			call: func(c *Client) (any, error) {
				name := "Anna B."
				u, etag, err := c.UpdateMe(ctx, bearer, `"3"`, MeUpdate{Name: &name})
				return u.Name + " " + etag, err
			},
			want: `Anna "4"`,
			req: recorded{Method: "PATCH", Path: "/api/v1/me", Auth: "Bearer tok-1", IfMatch: `"3"`,
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140", Body: map[string]any{"name": "Anna B."}},
		},
		{
			name: "change password", status: 204,
			call: func(c *Client) (any, error) { return nil, c.ChangePassword(ctx, bearer, "old one", "new one") },
			req: recorded{Method: "POST", Path: "/api/v1/me/password", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140",
				Body: map[string]any{"current_password": "old one", "new_password": "new one"}},
		},
		{
			name: "tokens", status: 200,
			body: `{"items":[{"id":4,"name":"scanner","scope":"read","prefix":"dpx_abcdefgh","expires_at":"2029-02-01T00:00:00Z","created_at":"2029-01-01T00:00:00Z"}]}`,
			call: func(c *Client) (any, error) {
				ts, err := c.Tokens(ctx, bearer)
				if len(ts) != 1 {
					return len(ts), err
				}
				return ts[0].Name, err
			},
			want: "scanner",
			req: recorded{Method: "GET", Path: "/api/v1/tokens", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
		{
			name: "create token", status: 201,
			body: `{"id":5,"name":"erp","scope":"write","prefix":"dpx_12345678","expires_at":"2029-02-01T00:00:00Z","created_at":"2029-01-01T00:00:00Z","token":"dpx_secret"}`,
			call: func(c *Client) (any, error) {
				tok, err := c.CreateToken(ctx, bearer, "key-1", APITokenCreate{Name: "erp", Scope: TokenScopeWrite, ExpiresInDays: 90})
				return tok.Token, err
			},
			want: "dpx_secret",
			req: recorded{Method: "POST", Path: "/api/v1/tokens", Auth: "Bearer tok-1", IdempotencyKey: "key-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140",
				Body: map[string]any{"name": "erp", "scope": "write", "expires_in_days": float64(90)}},
		},
		{
			name: "revoke token", status: 204,
			call: func(c *Client) (any, error) { return nil, c.RevokeToken(ctx, bearer, 5) },
			req: recorded{Method: "DELETE", Path: "/api/v1/tokens/5", Auth: "Bearer tok-1",
				ForwardedFor: "203.0.113.9", UserAgent: "Firefox/140"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, got := recordingAPI(t, tt.status, tt.header, tt.body)
			result, err := tt.call(c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if diff := cmp.Diff(tt.want, result); diff != "" {
				t.Errorf("result (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]recorded{tt.req}, *got); diff != "" {
				t.Errorf("request (-want +got):\n%s", diff)
			}
		})
	}
}

// TestRetryAfter checks that a rate_limited answer carries the api's wait.
func TestRetryAfter(t *testing.T) {
	c, _ := recordingAPI(t, http.StatusTooManyRequests, map[string]string{"Retry-After": "17"},
		`{"error":{"code":"rate_limited","message":"Too many failed attempts.","request_id":"r1"}}`)
	_, err := c.Login(context.Background(), "anna@example.ch", "pw", "")
	status, apiErr := Status(err)
	if status != http.StatusTooManyRequests || apiErr == nil || apiErr.RetryAfter != 17 || apiErr.Code != ErrorErrorCodeRateLimited {
		t.Fatalf("Status(err) = %d, %+v", status, apiErr)
	}
}

func TestStatusOfOtherErrors(t *testing.T) {
	if s, e := Status(errors.New("x")); s != 0 || e != nil {
		t.Errorf("Status(foreign) = %d, %v", s, e)
	}
	refused := &CallError{Kind: KindRefused, Err: errors.New("refused")}
	if s, e := Status(refused); s != 0 || e != nil {
		t.Errorf("Status(refused) = %d, %v", s, e)
	}
}

// TestSuccessWithoutBody checks that a 2xx answer without the promised
// document is an error, not a zero value handed to a page.
func TestSuccessWithoutBody(t *testing.T) {
	c, _ := recordingAPI(t, 201, nil, `{"id":5}`)
	_, err := c.CreateToken(context.Background(), BearerToken("t"), "", APITokenCreate{Name: "x", Scope: TokenScopeRead, ExpiresInDays: 1})
	if KindOf(err) != KindInvalid {
		t.Errorf("CreateToken without token: %v, want kind invalid", err)
	}
}

// The api refuses a header with invalid UTF-8 or control characters, so the
// browser's User-Agent is made acceptable before it is forwarded: an odd
// browser must not make every page fail.
func TestForwardedUserAgentIsAcceptableText(t *testing.T) {
	for _, tc := range []struct{ sent, forwarded string }{
		{"Firefox/140", "Firefox/140"},
		{"Mozilla/5.0 (Zürich)", "Mozilla/5.0 (Zürich)"},
		{"bad\xff\xfebytes", "bad\uFFFDbytes"},
		{"nul\x00tab\tdel\x7f", "nultabdel"},
		{"non\uFFFEchar\uFDD0", "nonchar"},
	} {
		req, err := http.NewRequest(http.MethodGet, "http://api.invalid/", nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := forwardClient(WithClient(context.Background(), "", tc.sent), req); err != nil {
			t.Fatal(err)
		}
		if got := req.Header.Get("User-Agent"); got != tc.forwarded {
			t.Errorf("User-Agent %q forwarded as %q, want %q", tc.sent, got, tc.forwarded)
		}
	}
}
