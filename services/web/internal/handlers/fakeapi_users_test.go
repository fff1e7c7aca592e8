package handlers

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// peopleAPI adds the people and audit operations to fakeAPI: Anna (the
// fake's signed-in person, id 7) is one of the people, so her role there
// is the fake's. Everything else goes to fakeAPI.
type peopleAPI struct {
	*fakeAPI

	pmu    sync.Mutex
	people []fakePerson // besides Anna
	byKey  map[string]int64
	audit  []map[string]any
	// auditNext is the next_cursor of the first audit page.
	auditNext string
	// records answers GETs of other lists by path (the names the audit
	// trail looks up by `ids`), with the records whose ids were asked
	// for; a path not here goes to fakeAPI.
	records map[string][]map[string]any
	// queries holds the raw query of each GET, by path.
	queries map[string][]string
	// patches holds the body of each PATCH of a person.
	patches []map[string]any
}

func (a *peopleAPI) lastPatch() map[string]any {
	a.pmu.Lock()
	defer a.pmu.Unlock()
	if len(a.patches) == 0 {
		return nil
	}
	return a.patches[len(a.patches)-1]
}

type fakePerson struct {
	fakeUser
	version int
}

func newPeopleAPI(role string) *peopleAPI {
	a := newFakeAPI()
	a.user.Role = role
	return &peopleAPI{fakeAPI: a, byKey: map[string]int64{}, queries: map[string][]string{},
		people: []fakePerson{{fakeUser: fakeUser{ID: 9, Email: "beat@example.ch", Name: "Beat Keller", Role: "clerk", Language: "de",
			Created: "2025-02-01T00:00:00Z", Updated: "2025-02-01T00:00:00Z"}, version: 1}}}
}

// person returns the person with id (Anna as the fake knows her) and
// whether there is one. The caller holds pmu.
func (a *peopleAPI) person(id int64) (*fakePerson, bool) {
	for i := range a.people {
		if a.people[i].ID == id {
			return &a.people[i], true
		}
	}
	return nil, false
}

func (a *peopleAPI) queriesOf(path string) []string {
	a.pmu.Lock()
	defer a.pmu.Unlock()
	return append([]string(nil), a.queries[path]...)
}

func (a *peopleAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if recs, ok := a.records[r.URL.Path]; ok && r.Method == http.MethodGet {
		a.fakeAPI.mu.Lock()
		a.fakeAPI.calls = append(a.fakeAPI.calls, r.Method+" "+r.URL.Path)
		a.fakeAPI.mu.Unlock()
		a.pmu.Lock()
		a.queries[r.URL.Path] = append(a.queries[r.URL.Path], r.URL.RawQuery)
		a.pmu.Unlock()
		asked := fakeIDs(r.URL.Query().Get("ids"))
		items := []map[string]any{}
		for _, rec := range recs {
			if id, _ := rec["id"].(int); slices.Contains(asked, int64(id)) {
				items = append(items, rec)
			}
		}
		writeJSON(w, 200, map[string]any{"items": items, "total": len(items)})
		return
	}
	if !strings.HasPrefix(r.URL.Path, "/api/v1/users") && r.URL.Path != "/api/v1/audit" {
		a.fakeAPI.ServeHTTP(w, r)
		return
	}
	a.fakeAPI.mu.Lock()
	ok := a.fakeAPI.access[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
	role := a.fakeAPI.user.Role
	me := a.fakeAPI.user
	call := r.Method + " " + r.URL.Path
	a.fakeAPI.calls = append(a.fakeAPI.calls, call)
	a.fakeAPI.mu.Unlock()
	if !ok {
		apiError(w, 401, "unauthorized", "Sign in first.", nil)
		return
	}
	if r.URL.Path == "/api/v1/audit" {
		if role != "admin" && role != "manager" {
			apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
			return
		}
		a.serveAudit(w, r)
		return
	}
	if role != "admin" {
		apiError(w, 403, "forbidden", "You are not allowed to do this.", nil)
		return
	}
	a.pmu.Lock()
	defer a.pmu.Unlock()
	var body map[string]any
	if b, _ := io.ReadAll(r.Body); len(b) > 0 {
		_ = json.Unmarshal(b, &body)
	}
	str := func(k string) string { s, _ := body[k].(string); return s }
	switch {
	case call == "GET /api/v1/users":
		a.queries[r.URL.Path] = append(a.queries[r.URL.Path], r.URL.RawQuery)
		q := r.URL.Query()
		items := []fakeUser{me}
		for _, p := range a.people {
			items = append(items, p.fakeUser)
		}
		var out []fakeUser
		for _, u := range items {
			if s := q.Get("q"); s != "" && !strings.Contains(strings.ToLower(u.Name+" "+u.Email), strings.ToLower(s)) {
				continue
			}
			if role := q.Get("role"); role != "" && u.Role != role {
				continue
			}
			if d := q.Get("disabled"); d != "" && strconv.FormatBool(u.Disabled) != d {
				continue
			}
			out = append(out, u)
		}
		if out == nil {
			out = []fakeUser{}
		}
		writeJSON(w, 200, map[string]any{"items": out, "total": len(out)})
	case call == "POST /api/v1/users":
		key := r.Header.Get("Idempotency-Key")
		if id, ok := a.byKey[key]; ok {
			p, _ := a.person(id)
			writeJSON(w, 201, p.fakeUser)
			return
		}
		fields := map[string]problem{}
		if !strings.Contains(str("email"), "@") {
			fields["email"] = prob("invalid_email", "must be an email address")
		}
		for _, p := range a.people {
			if p.Email == str("email") {
				apiError(w, 409, "conflict", "This already exists.", map[string]problem{"email": prob("taken", "is already taken")})
				return
			}
		}
		if len(str("password")) < 10 {
			fields["password"] = prob("too_short", "must be at least 10 characters", "min", 10)
		}
		if len(fields) > 0 {
			apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
			return
		}
		p := fakePerson{fakeUser: fakeUser{ID: int64(20 + len(a.people)), Email: str("email"), Name: str("name"), Role: str("role"),
			Language: str("language"), Created: "2025-06-01T00:00:00Z", Updated: "2025-06-01T00:00:00Z"}, version: 1}
		a.people = append(a.people, p)
		a.byKey[key] = p.ID
		writeJSON(w, 201, p.fakeUser)
	case strings.HasPrefix(r.URL.Path, "/api/v1/users/"):
		id, _ := strconv.ParseInt(strings.TrimPrefix(r.URL.Path, "/api/v1/users/"), 10, 64)
		p, found := a.person(id)
		if id == me.ID {
			// Anna's record is the shared fake's: a change to it is hers.
			p, found = &fakePerson{fakeUser: me, version: 1}, true
			defer func() {
				a.fakeAPI.mu.Lock()
				a.fakeAPI.user = p.fakeUser
				a.fakeAPI.mu.Unlock()
			}()
		}
		if !found {
			apiError(w, 404, "not_found", "No such person.", nil)
			return
		}
		if r.Method == http.MethodPatch {
			a.patches = append(a.patches, body)
			if m := r.Header.Get("If-Match"); m != "" && m != fmt.Sprintf(`"%d"`, p.version) {
				apiError(w, 412, "precondition_failed", "This record was changed by someone else.", nil)
				return
			}
			fields := map[string]problem{}
			if d, ok := body["disabled"].(bool); ok && d && id == me.ID {
				fields["disabled"] = prob("cannot_disable_self", "you cannot disable yourself")
			}
			if role, ok := body["role"].(string); ok && id == me.ID && role != "admin" {
				fields["role"] = prob("cannot_demote_self", "you cannot take away your own admin role")
			}
			if pw, ok := body["password"].(string); ok && len(pw) < 10 {
				fields["password"] = prob("too_short", "must be at least 10 characters", "min", 10)
			}
			if len(fields) > 0 {
				apiError(w, 422, "validation_failed", "Check the marked fields.", fields)
				return
			}
			if v, ok := body["name"].(string); ok {
				p.Name = v
			}
			if v, ok := body["role"].(string); ok {
				p.Role = v
			}
			if v, ok := body["language"].(string); ok {
				p.Language = v
			}
			if v, ok := body["disabled"].(bool); ok {
				p.Disabled = v
			}
			p.version++
		}
		w.Header().Set("ETag", fmt.Sprintf(`"%d"`, p.version))
		writeJSON(w, 200, p.fakeUser)
	default:
		apiError(w, 404, "not_found", "No such resource.", nil)
	}
}

func (a *peopleAPI) serveAudit(w http.ResponseWriter, r *http.Request) {
	a.pmu.Lock()
	defer a.pmu.Unlock()
	a.queries[r.URL.Path] = append(a.queries[r.URL.Path], r.URL.RawQuery)
	q := r.URL.Query()
	if from, to := q.Get("from"), q.Get("to"); from != "" && to != "" && to <= from {
		apiError(w, 422, "validation_failed", "Check the time range.", map[string]problem{"to": prob("must_be_after", "must be after from", "other", "from")})
		return
	}
	out := map[string]any{"items": a.audit}
	if a.audit == nil {
		out["items"] = []any{}
	}
	if a.auditNext != "" && q.Get("cursor") == "" {
		out["next_cursor"] = a.auditNext
	}
	writeJSON(w, 200, out)
}
