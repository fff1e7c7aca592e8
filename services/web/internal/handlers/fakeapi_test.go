package handlers

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/depotix/depotix/services/web/internal/roles/rolestest"
)

// fakeAPI speaks the api's JSON for the operations the sign-in and profile
// pages use, with just enough state to tell a right call from a wrong one:
// one person, their tokens and sessions, and a log of every request.
type fakeAPI struct {
	mu sync.Mutex

	password string
	user     fakeUser
	version  int
	// accessTTL is expires_in of new access tokens; below a minute makes
	// the web refresh on the next request.
	accessTTL int
	// throttle: when > 0, login answers 429 with this Retry-After.
	throttle int
	// forbid: paths (METHOD /path) answered 403.
	forbid map[string]bool
	// delay holds every answer back this long (a slow api).
	delay time.Duration
	// perms, when set, are the person's permissions instead of their
	// role's (the web must follow the api's list, not the role's name).
	perms []string

	access   map[string]bool // valid access tokens
	refresh  map[string]bool // valid refresh tokens
	serial   int
	sessions []fakeSession
	tokens   []fakeToken
	// byKey remembers created tokens by Idempotency-Key, with the name
	// they were created with (another body under the key is refused).
	byKey map[string]fakeToken

	calls []string // "METHOD /path" of every request, in order
	// bodies holds the JSON body of each call, by "METHOD /path".
	bodies map[string][]map[string]any
	// bearers holds the Authorization header of each call.
	bearers []string
}

type fakeUser struct {
	ID       int64  `json:"id"`
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Language string `json:"language"`
	Disabled bool   `json:"disabled"`
	Created  string `json:"created_at"`
	Updated  string `json:"updated_at"`
}

// fakeMe is the person as sign-in, refresh and GET /me answer: with the
// permissions the contract grants their role (x-grants of openapi.yaml).
type fakeMe struct {
	fakeUser
	Permissions []string `json:"permissions"`
}

func (a *fakeAPI) me() fakeMe {
	if a.perms != nil {
		return fakeMe{fakeUser: a.user, Permissions: a.perms}
	}
	return fakeMe{fakeUser: a.user, Permissions: rolestest.Names(a.user.Role)}
}

type fakeSession struct {
	ID      string
	refresh string
}

type fakeToken struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Scope  string `json:"scope"`
	Prefix string `json:"prefix"`
	Expire string `json:"expires_at"`
	Create string `json:"created_at"`
	Secret string `json:"token,omitempty"`
}

const (
	annaEmail    = "anna@example.ch"
	annaPassword = "correct horse battery"
)

func newFakeAPI() *fakeAPI {
	return &fakeAPI{
		password: annaPassword,
		user: fakeUser{ID: 7, Email: annaEmail, Name: "Anna Muster", Role: "clerk", Language: "en",
			Created: "2025-01-01T00:00:00Z", Updated: "2025-01-01T00:00:00Z"},
		version:   3,
		accessTTL: 900,
		forbid:    map[string]bool{},
		access:    map[string]bool{},
		refresh:   map[string]bool{},
		byKey:     map[string]fakeToken{},
		bodies:    map[string][]map[string]any{},
	}
}

// callCount counts the requests made to "METHOD /path".
func (a *fakeAPI) callCount(call string) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	n := 0
	for _, c := range a.calls {
		if c == call {
			n++
		}
	}
	return n
}

func (a *fakeAPI) bodiesOf(call string) []map[string]any {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]map[string]any(nil), a.bodies[call]...)
}

// revokeAll ends every session (as a password change elsewhere would).
func (a *fakeAPI) revokeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access, a.refresh = map[string]bool{}, map[string]bool{}
}

// expireAccess makes every access token invalid but keeps refresh tokens.
func (a *fakeAPI) expireAccess() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.access = map[string]bool{}
}

func (a *fakeAPI) set(f func(a *fakeAPI)) {
	a.mu.Lock()
	defer a.mu.Unlock()
	f(a)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// problem is a field error as the api sends it.
type problem struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Params  map[string]any `json:"params,omitempty"`
}

// prob makes a field error; params come as name, value pairs.
func prob(code, message string, params ...any) problem {
	p := problem{Code: code, Message: message}
	for i := 0; i+1 < len(params); i += 2 {
		if p.Params == nil {
			p.Params = map[string]any{}
		}
		p.Params[params[i].(string)] = params[i+1]
	}
	return p
}

func apiError(w http.ResponseWriter, status int, code, message string, fields map[string]problem) {
	body := map[string]any{"code": code, "message": message, "request_id": "api-req-1"}
	if fields != nil {
		body["fields"] = fields
	}
	writeJSON(w, status, map[string]any{"error": body})
}

func (a *fakeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock()
	delay := a.delay
	a.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	call := r.Method + " " + r.URL.Path
	a.calls = append(a.calls, call)
	a.bearers = append(a.bearers, r.Header.Get("Authorization"))
	var body map[string]any
	if b, _ := io.ReadAll(r.Body); len(b) > 0 {
		_ = json.Unmarshal(b, &body)
		a.bodies[call] = append(a.bodies[call], body)
	}
	str := func(k string) string { s, _ := body[k].(string); return s }

	if r.URL.Path == "/readyz" {
		writeJSON(w, 200, map[string]any{"ok": true, "database": "ready", "schema_version": 5, "expected_schema_version": 5, "version": "2.0.1"})
		return
	}
	switch call {
	case "GET /api/v1/orders", "GET /api/v1/invoices":
		// A customer's page lists their orders and open invoices; pages
		// that are not about sales meet none (fakeapi_orders_test.go and
		// fakeapi_invoices_test.go serve real ones).
		writeJSON(w, 200, map[string]any{"items": []any{}, "total": 0})
		return
	case "POST /api/v1/auth/login":
		switch {
		case a.throttle > 0:
			w.Header().Set("Retry-After", strconv.Itoa(a.throttle))
			apiError(w, 429, "rate_limited", "Too many failed attempts.", nil)
		case str("email") == "" || str("password") == "":
			fields := map[string]problem{}
			for _, k := range []string{"email", "password"} {
				if str(k) == "" {
					fields[k] = prob("required", "is required")
				}
			}
			apiError(w, 422, "validation_failed", "Enter email and password.", fields)
		case str("email") != a.user.Email || str("password") != a.password:
			apiError(w, 401, "unauthorized", "Email or password is wrong.", nil)
		default:
			sid := uuid.NewString()
			writeJSON(w, 200, a.newPair(sid))
		}
		return
	case "POST /api/v1/auth/refresh":
		old := str("refresh_token")
		if !a.refresh[old] {
			apiError(w, 401, "unauthorized", "The session has ended; sign in again.", nil)
			return
		}
		delete(a.refresh, old)
		sid := ""
		for _, s := range a.sessions {
			if s.refresh == old {
				sid = s.ID
			}
		}
		writeJSON(w, 200, a.newPair(sid))
		return
	}

	// Everything else needs a valid access token.
	token := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !a.access[token] {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	if a.forbid[call] {
		apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
		return
	}
	switch {
	case call == "POST /api/v1/auth/logout":
		delete(a.access, token)
		w.WriteHeader(204)
	case call == "GET /api/v1/me":
		w.Header().Set("ETag", fmt.Sprintf(`"%d"`, a.version))
		writeJSON(w, 200, a.me())
	case call == "PATCH /api/v1/me":
		if m := r.Header.Get("If-Match"); m != "" && m != fmt.Sprintf(`"%d"`, a.version) {
			apiError(w, 412, "precondition_failed", "This record was changed by someone else.", nil)
			return
		}
		if name, ok := body["name"].(string); ok {
			if name == "" {
				apiError(w, 422, "validation_failed", "Check the marked fields.", map[string]problem{"name": prob("required", "is required")})
				return
			}
			a.user.Name = name
		}
		if lang, ok := body["language"].(string); ok {
			a.user.Language = lang
		}
		a.version++
		w.Header().Set("ETag", fmt.Sprintf(`"%d"`, a.version))
		writeJSON(w, 200, a.user)
	case call == "POST /api/v1/me/password":
		switch {
		case str("current_password") != a.password:
			apiError(w, 422, "validation_failed", "The current password is wrong.", map[string]problem{"current_password": prob("wrong_password", "is wrong")})
		case len(str("new_password")) < 10:
			apiError(w, 422, "validation_failed", "password does not meet the requirements", map[string]problem{"password": prob("too_short", "must be at least 10 characters", "min", 10)})
		default:
			a.password = str("new_password")
			w.WriteHeader(204)
		}
	case call == "GET /api/v1/auth/sessions":
		items := []map[string]any{}
		for i, s := range a.sessions {
			items = append(items, map[string]any{"id": s.ID, "created_at": "2025-06-01T08:00:00Z", "last_used_at": "2025-06-01T08:00:00Z",
				"expires_at": "2025-07-01T08:00:00Z", "current": i == len(a.sessions)-1, "user_agent": "Browser " + strconv.Itoa(i)})
		}
		writeJSON(w, 200, map[string]any{"items": items})
	case call == "DELETE /api/v1/auth/sessions":
		n := len(a.sessions) - 1
		a.sessions = a.sessions[len(a.sessions)-1:]
		writeJSON(w, 200, map[string]any{"revoked": n})
	case strings.HasPrefix(call, "DELETE /api/v1/auth/sessions/"):
		id := strings.TrimPrefix(call, "DELETE /api/v1/auth/sessions/")
		for i, s := range a.sessions {
			if s.ID == id {
				a.sessions = append(a.sessions[:i], a.sessions[i+1:]...)
				w.WriteHeader(204)
				return
			}
		}
		apiError(w, 404, "not_found", "No such session.", nil)
	case call == "GET /api/v1/tokens":
		items := []fakeToken{}
		for _, t := range a.tokens {
			t.Secret = ""
			items = append(items, t)
		}
		writeJSON(w, 200, map[string]any{"items": items})
	case call == "POST /api/v1/tokens":
		key := r.Header.Get("Idempotency-Key")
		if t, ok := a.byKey[key]; ok && key != "" {
			if t.Name != str("name") {
				apiError(w, 409, "idempotency_mismatch", "This Idempotency-Key was used with another request.", nil)
				return
			}
			writeJSON(w, 201, t)
			return
		}
		days, _ := body["expires_in_days"].(float64)
		if str("name") == "" || days < 1 || days > 730 {
			fields := map[string]problem{}
			if str("name") == "" {
				fields["name"] = prob("required", "is required")
			}
			if days < 1 || days > 730 {
				fields["expires_in_days"] = prob("out_of_range", "must be between 1 and 730", "min", 1, "max", 730)
			}
			apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
			return
		}
		a.serial++
		t := fakeToken{ID: int64(a.serial), Name: str("name"), Scope: str("scope"), Prefix: "dpx_" + strconv.Itoa(1000+a.serial),
			Expire: "2026-01-01T00:00:00Z", Create: "2025-06-01T08:00:00Z", Secret: "dpx_secret_" + strconv.Itoa(a.serial)}
		a.tokens = append(a.tokens, t)
		a.byKey[key] = t
		writeJSON(w, 201, t)
	case strings.HasPrefix(call, "DELETE /api/v1/tokens/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(call, "DELETE /api/v1/tokens/"), 10, 64)
		for i, t := range a.tokens {
			if t.ID == id {
				a.tokens = append(a.tokens[:i], a.tokens[i+1:]...)
				w.WriteHeader(204)
				return
			}
		}
		apiError(w, 404, "not_found", "No such token.", nil)
	default:
		apiError(w, 404, "not_found", "No such resource.", nil)
	}
}

// newPair issues tokens for session sid (a new session when it is not
// known yet). The caller holds the lock.
func (a *fakeAPI) newPair(sid string) map[string]any {
	a.serial++
	access := fmt.Sprintf("access-%d", a.serial)
	refresh := fmt.Sprintf("dpr_%d", a.serial)
	a.access[access], a.refresh[refresh] = true, true
	found := false
	for i := range a.sessions {
		if a.sessions[i].ID == sid {
			a.sessions[i].refresh, found = refresh, true
		}
	}
	if !found {
		a.sessions = append(a.sessions, fakeSession{ID: sid, refresh: refresh})
	}
	return map[string]any{
		"access_token": access, "token_type": "Bearer", "expires_in": a.accessTTL,
		"refresh_token": refresh, "refresh_expires_at": time.Now().Add(720 * time.Hour).UTC().Format(time.RFC3339),
		"session_id": sid, "user": a.me(),
	}
}
