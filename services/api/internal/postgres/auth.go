package postgres

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/auth"
	"github.com/depotix/depotix/services/api/internal/page"
)

// AuthStore keeps people, sessions, API tokens and login throttling.
type AuthStore struct{ pool *pgxpool.Pool }

// NewAuthStore returns the auth store on pool.
func NewAuthStore(pool *pgxpool.Pool) *AuthStore { return &AuthStore{pool: pool} }

var _ auth.Store = (*AuthStore)(nil)

const userColumns = `id, email, name, role, coalesce(language, ''), disabled_at IS NOT NULL AS disabled, last_login_at, version, created_at, updated_at`

type userRow struct {
	ID          int64
	Email       string
	Name        string
	Role        string
	Language    string
	Disabled    bool
	LastLoginAt *time.Time
	Version     int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (r userRow) user() auth.User {
	return auth.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: auth.Role(r.Role), Language: auth.Language(r.Language),
		Disabled: r.Disabled, LastLoginAt: r.LastLoginAt, Version: r.Version, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt}
}

func scanUser(row pgx.Row) (auth.User, error) {
	var r userRow
	err := row.Scan(r.dests()...)
	return r.user(), err
}

func (r *userRow) dests() []any {
	return []any{&r.ID, &r.Email, &r.Name, &r.Role, &r.Language, &r.Disabled, &r.LastLoginAt, &r.Version, &r.CreatedAt, &r.UpdatedAt}
}

const userNotFound = "No such person."

// UserByEmail returns the person and their password hash.
func (s *AuthStore) UserByEmail(ctx context.Context, email string) (auth.User, string, error) {
	var r userRow
	var hash string
	err := s.pool.QueryRow(ctx, `SELECT `+userColumns+`, password_hash FROM users WHERE email = $1`, email).
		Scan(&r.ID, &r.Email, &r.Name, &r.Role, &r.Language, &r.Disabled, &r.LastLoginAt, &r.Version, &r.CreatedAt, &r.UpdatedAt, &hash)
	if err != nil {
		return auth.User{}, "", mapError(err, userNotFound)
	}
	return r.user(), hash, nil
}

// UserByID returns one person.
func (s *AuthStore) UserByID(ctx context.Context, id int64) (auth.User, error) {
	u, err := scanUser(s.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id))
	return u, mapError(err, userNotFound)
}

// CountUsers counts every person, disabled ones included.
func (s *AuthStore) CountUsers(ctx context.Context) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n)
	return n, err
}

// CreateUser inserts a person.
func (s *AuthStore) CreateUser(ctx context.Context, actor audit.Actor, nu auth.NewUser) (auth.User, error) {
	var u auth.User
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		u, err = scanUser(tx.QueryRow(ctx, `
			INSERT INTO users (email, name, role, language, password_hash) VALUES ($1, $2, $3, $4, $5)
			RETURNING `+userColumns, nu.Email, nu.Name, nu.Role, nullIfEmpty(string(nu.Language)), nu.PasswordHash))
		if err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, "user", u.ID, audit.ActionCreate, nil, u)
	})
	return u, mapError(err, userNotFound)
}

// UpdateUser changes a person and ends sessions where the change requires it.
func (s *AuthStore) UpdateUser(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, ch auth.UserChanges, keepSession string) (auth.User, error) {
	var after auth.User
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := scanUser(tx.QueryRow(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if expectedVersion != 0 && before.Version != expectedVersion {
			return apperr.New(apperr.CodePrecondition, "This person was changed by someone else; reload and try again.")
		}
		after, err = scanUser(tx.QueryRow(ctx, `
			UPDATE users SET
				name = coalesce($2, name),
				role = coalesce($3, role),
				language = coalesce($4, language),
				disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at
				                   WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
				password_hash = coalesce($6, password_hash),
				version = version + 1
			WHERE id = $1
			RETURNING `+userColumns, id, ch.Name, ch.Role, ch.Language, ch.Disabled, ch.PasswordHash))
		if err != nil {
			return err
		}
		var reason auth.RevokeReason
		switch {
		case after.Disabled && !before.Disabled:
			reason = auth.ReasonUserDisabled
			if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, id); err != nil {
				return err
			}
		case ch.PasswordHash != nil:
			reason = auth.ReasonPasswordChanged
		case after.Role != before.Role:
			reason = auth.ReasonRoleChanged
		}
		if reason != "" {
			if _, err := tx.Exec(ctx, `
				UPDATE sessions SET revoked_at = now(), revoked_reason = $2
				WHERE user_id = $1 AND revoked_at IS NULL AND id::text <> $3`, id, reason, keepSession); err != nil {
				return err
			}
		}
		changes, err := audit.Diff(before, after, "version", "updated_at", "created_at", "last_login_at")
		if err != nil {
			return err
		}
		if ch.PasswordHash != nil {
			changes["password"] = audit.Change{From: "(hidden)", To: "(changed)"}
		}
		return appendAudit(ctx, tx, actor, audit.Record{Entity: "user", EntityID: strconv.FormatInt(id, 10), Action: audit.ActionUpdate, Changes: changes})
	})
	return after, mapError(err, userNotFound)
}

// ListUsers lists people ordered by email, with keyset paging on (email, id).
func (s *AuthStore) ListUsers(ctx context.Context, f auth.UserFilter, p page.Request) (page.Page[auth.User], error) {
	where := []string{"true"}
	args := []any{}
	arg := func(v any) string { args = append(args, v); return "$" + strconv.Itoa(len(args)) }
	if q := strings.TrimSpace(f.Query); q != "" {
		pat := "%" + escapeLike(strings.ToLower(q)) + "%"
		where = append(where, "(email || ' ' || lower(name)) LIKE "+arg(pat)) // users_search_trgm
	}
	if f.Role != "" {
		where = append(where, "role = "+arg(string(f.Role)))
	}
	if f.Disabled != nil {
		where = append(where, fmt.Sprintf("(disabled_at IS NOT NULL) = %s", arg(*f.Disabled)))
	}
	if len(f.IDs) > 0 {
		where = append(where, "id = ANY("+arg(f.IDs)+")")
	}
	filter := strings.Join(where, " AND ")
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM users WHERE `+filter, args...).Scan(&total); err != nil {
		return page.Page[auth.User]{}, err
	}
	// By name as the list shows it (case-insensitively), then email and
	// id, which are unique: users_name_idx (migration 000015). The cursor
	// carries all three, the name as PostgreSQL lowers it.
	if len(p.After) > 0 {
		if len(p.After) != 3 {
			return page.Page[auth.User]{}, page.InvalidCursor()
		}
		id, err := strconv.ParseInt(p.After[2], 10, 64)
		if err != nil {
			return page.Page[auth.User]{}, page.InvalidCursor()
		}
		filter += fmt.Sprintf(" AND (lower(name), email, id) > (%s, %s, %s)", arg(p.After[0]), arg(p.After[1]), arg(id))
	}
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+`, lower(name) FROM users WHERE `+filter+
		` ORDER BY lower(name), email, id LIMIT `+arg(p.Limit+1), args...)
	if err != nil {
		return page.Page[auth.User]{}, err
	}
	type keyed struct {
		u   auth.User
		key string
	}
	got, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (keyed, error) {
		var r userRow
		var key string
		err := row.Scan(append(r.dests(), &key)...)
		return keyed{r.user(), key}, err
	})
	if err != nil {
		return page.Page[auth.User]{}, err
	}
	out := page.Page[auth.User]{Items: make([]auth.User, 0, min(len(got), p.Limit)), Total: total}
	for _, k := range got[:min(len(got), p.Limit)] {
		out.Items = append(out.Items, k.u)
	}
	if len(got) > p.Limit {
		last := got[p.Limit-1]
		out.NextCursor = page.Cursor(auth.UserSort, last.key, last.u.Email, strconv.FormatInt(last.u.ID, 10))
	}
	return out, nil
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// Rehash stores a stronger hash of an unchanged password (no audit: nothing changed for people).
func (s *AuthStore) Rehash(ctx context.Context, userID int64, hash string) error {
	_, err := s.pool.Exec(ctx, `UPDATE users SET password_hash = $2 WHERE id = $1`, userID, hash)
	return err
}

func parseIP(s string) *netip.Addr {
	a, err := netip.ParseAddr(s)
	if err != nil {
		return nil
	}
	return &a
}

// CreateSession opens a session with its first refresh token and records the sign-in.
// language ("" for none) becomes the person's language when they have none.
func (s *AuthStore) CreateSession(ctx context.Context, actor audit.Actor, sess auth.Session, refreshHash []byte, language auth.Language) error {
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
			VALUES ($1, $2, $3, $3, $4, $5, $6)`,
			sess.ID, sess.UserID, sess.CreatedAt, sess.ExpiresAt, sess.UserAgent, parseIP(sess.IP)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`,
			refreshHash, sess.ID, sess.CreatedAt); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, sess.UserID, sess.CreatedAt); err != nil {
			return err
		}
		// A person without a language takes the one their first sign-in
		// names (the browser's); the trail says so like any change. Plain
		// UPDATEs only: the session's foreign key holds a key-share lock on
		// the person, and a SELECT ... FOR UPDATE here made two sign-ins of
		// one person deadlock.
		if language != "" {
			tag, err := tx.Exec(ctx, `UPDATE users SET language = $2 WHERE id = $1 AND language IS NULL`, sess.UserID, string(language))
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "user", EntityID: strconv.FormatInt(sess.UserID, 10),
					Action: audit.ActionUpdate, Changes: map[string]audit.Change{"language": {To: string(language)}}}); err != nil {
					return err
				}
			}
		}
		return appendAudit(ctx, tx, actor, audit.Record{Entity: "session", EntityID: sess.ID, Action: audit.ActionLogin,
			Changes: map[string]audit.Change{"ip": {To: sess.IP}, "user_agent": {To: sess.UserAgent}}})
	})
}

// Refresh rotates a refresh token, in one transaction holding the session's row lock.
func (s *AuthStore) Refresh(ctx context.Context, oldHash, newHash []byte, now time.Time, grace, sessionTTL time.Duration) (auth.RefreshOutcome, auth.Session, error) {
	outcome := auth.RefreshInvalid
	var sess auth.Session
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		var rotatedAt *time.Time
		var revoked, disabled bool
		var ip *netip.Addr
		err := tx.QueryRow(ctx, `
			SELECT r.rotated_at, s.id, s.user_id, s.created_at, s.expires_at, s.user_agent, s.ip,
			       s.revoked_at IS NOT NULL, u.disabled_at IS NOT NULL
			FROM refresh_tokens r
			JOIN sessions s ON s.id = r.session_id
			JOIN users u ON u.id = s.user_id
			WHERE r.token_hash = $1
			FOR UPDATE OF s`, oldHash).
			Scan(&rotatedAt, &sess.ID, &sess.UserID, &sess.CreatedAt, &sess.ExpiresAt, &sess.UserAgent, &ip, &revoked, &disabled)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		if ip != nil {
			sess.IP = ip.String()
		}
		if revoked || disabled || !sess.ExpiresAt.After(now) {
			return nil
		}
		if rotatedAt != nil && now.Sub(*rotatedAt) > grace {
			// A retired token came back: someone holds a copy. End the family.
			_, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = $2, revoked_reason = 'reuse_detected' WHERE id = $1`, sess.ID, now)
			outcome = auth.RefreshReused
			return err
		}
		if rotatedAt == nil {
			if _, err := tx.Exec(ctx, `UPDATE refresh_tokens SET rotated_at = $2 WHERE token_hash = $1`, oldHash, now); err != nil {
				return err
			}
			outcome = auth.RefreshRotated
		} else {
			outcome = auth.RefreshInGrace
		}
		if _, err := tx.Exec(ctx, `INSERT INTO refresh_tokens (token_hash, session_id, created_at) VALUES ($1, $2, $3)`, newHash, sess.ID, now); err != nil {
			return err
		}
		sess.LastUsedAt = now
		sess.ExpiresAt = now.Add(sessionTTL)
		_, err = tx.Exec(ctx, `UPDATE sessions SET last_used_at = $2, expires_at = $3 WHERE id = $1`, sess.ID, now, sess.ExpiresAt)
		return err
	})
	if err != nil {
		return auth.RefreshInvalid, auth.Session{}, fmt.Errorf("refresh: %w", err)
	}
	return outcome, sess, nil
}

// ActiveSession checks a session on every request: one primary-key join.
func (s *AuthStore) ActiveSession(ctx context.Context, sessionID string, userID int64, now time.Time) (auth.Role, time.Time, bool, error) {
	var role string
	var ends time.Time
	err := s.pool.QueryRow(ctx, `
		SELECT u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.id = $1 AND s.user_id = $2 AND s.revoked_at IS NULL AND s.expires_at > $3 AND u.disabled_at IS NULL`,
		sessionID, userID, now).Scan(&role, &ends)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", time.Time{}, false, nil
	}
	if err != nil {
		return "", time.Time{}, false, err
	}
	return auth.Role(role), ends, true, nil
}

// ListSessions lists a person's active sessions, newest first.
func (s *AuthStore) ListSessions(ctx context.Context, userID int64, now time.Time) ([]auth.Session, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, user_id, created_at, last_used_at, expires_at, user_agent, ip FROM sessions
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2
		ORDER BY created_at DESC LIMIT 200`, userID, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (auth.Session, error) {
		var sess auth.Session
		var ip *netip.Addr
		err := r.Scan(&sess.ID, &sess.UserID, &sess.CreatedAt, &sess.LastUsedAt, &sess.ExpiresAt, &sess.UserAgent, &ip)
		if ip != nil {
			sess.IP = ip.String()
		}
		return sess, err
	})
}

var errNoSession = apperr.New(apperr.CodeNotFound, "No such session.")

// RevokeSession ends one of the person's sessions.
func (s *AuthStore) RevokeSession(ctx context.Context, actor audit.Actor, userID int64, sessionID string, reason auth.RevokeReason) error {
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE sessions SET revoked_at = now(), revoked_reason = $3
			WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, sessionID, userID, reason)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return errNoSession
		}
		action := audit.ActionRevoke
		if reason == auth.ReasonLogout {
			action = audit.ActionLogout
		}
		return appendAudit(ctx, tx, actor, audit.Record{Entity: "session", EntityID: sessionID, Action: action})
	})
}

// RevokeOtherSessions ends all of a person's sessions except keep.
func (s *AuthStore) RevokeOtherSessions(ctx context.Context, actor audit.Actor, userID int64, keep string, reason auth.RevokeReason) (int, error) {
	var n int
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE sessions SET revoked_at = now(), revoked_reason = $3
			WHERE user_id = $1 AND revoked_at IS NULL AND id::text <> $2 RETURNING id::text`, userID, keep, reason)
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return err
		}
		n = len(ids)
		for _, id := range ids {
			if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "session", EntityID: id, Action: audit.ActionRevoke}); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

type tokenAudit struct {
	Name      string    `json:"name"`
	Scope     string    `json:"scope"`
	Prefix    string    `json:"prefix"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CreateAPIToken stores a new token's hash.
func (s *AuthStore) CreateAPIToken(ctx context.Context, actor audit.Actor, t auth.APIToken, hash []byte) (auth.APIToken, error) {
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `
			INSERT INTO api_tokens (user_id, name, token_hash, prefix, scope, expires_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			t.UserID, t.Name, hash, t.Prefix, t.Scope, t.ExpiresAt, t.CreatedAt).Scan(&t.ID); err != nil {
			return err
		}
		return auditDiff(ctx, tx, actor, "api_token", t.ID, audit.ActionCreate, nil,
			tokenAudit{Name: t.Name, Scope: string(t.Scope), Prefix: t.Prefix, ExpiresAt: t.ExpiresAt})
	})
	return t, mapError(err, "No such token.")
}

// ListAPITokens lists a person's tokens that still work.
func (s *AuthStore) ListAPITokens(ctx context.Context, userID int64, now time.Time) ([]auth.APIToken, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT id, user_id, name, scope, prefix, expires_at, last_used_at, created_at FROM api_tokens
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > $2 ORDER BY created_at DESC, id DESC`, userID, now)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (auth.APIToken, error) {
		var t auth.APIToken
		err := r.Scan(&t.ID, &t.UserID, &t.Name, &t.Scope, &t.Prefix, &t.ExpiresAt, &t.LastUsedAt, &t.CreatedAt)
		return t, err
	})
}

// RevokeAPIToken revokes one of the person's tokens.
func (s *AuthStore) RevokeAPIToken(ctx context.Context, actor audit.Actor, userID, tokenID int64) error {
	return inTx(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`, tokenID, userID)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return apperr.New(apperr.CodeNotFound, "No such token.")
		}
		return appendAudit(ctx, tx, actor, audit.Record{Entity: "api_token", EntityID: strconv.FormatInt(tokenID, 10), Action: audit.ActionRevoke})
	})
}

// APITokenPrincipal resolves a token and records its use; the write is
// skipped while the last one is under a minute old, so a busy integration
// does not turn every read into a write.
func (s *AuthStore) APITokenPrincipal(ctx context.Context, hash []byte, now time.Time) (auth.Principal, bool, error) {
	var p auth.Principal
	var lastUsed *time.Time
	var scope, role string
	err := s.pool.QueryRow(ctx, `
		SELECT t.id, t.user_id, t.scope, u.role, t.last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2 AND u.disabled_at IS NULL`, hash, now).
		Scan(&p.TokenID, &p.UserID, &scope, &role, &lastUsed)
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.Principal{}, false, nil
	}
	if err != nil {
		return auth.Principal{}, false, err
	}
	p.TokenScope, p.Role = auth.Scope(scope), auth.Role(role)
	if lastUsed == nil || now.Sub(*lastUsed) > time.Minute {
		if _, err := s.pool.Exec(ctx, `UPDATE api_tokens SET last_used_at = $2 WHERE id = $1`, p.TokenID, now); err != nil {
			return auth.Principal{}, false, err
		}
	}
	return p, true, nil
}

// ThrottleEntries reads the throttle state of keys.
func (s *AuthStore) ThrottleEntries(ctx context.Context, keys ...string) (map[string]auth.ThrottleEntry, error) {
	rows, err := s.pool.Query(ctx, `SELECT key, failures, last_failure, locked_until FROM login_throttle WHERE key = ANY($1)`, keys)
	if err != nil {
		return nil, err
	}
	out := map[string]auth.ThrottleEntry{}
	var key string
	var e auth.ThrottleEntry
	_, err = pgx.ForEachRow(rows, []any{&key, &e.Failures, &e.LastFailure, &e.LockedUntil}, func() error {
		out[key] = e
		return nil
	})
	return out, err
}

// RecordFailure counts a failure, starting over when the last one is older than window.
func (s *AuthStore) RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `
		INSERT INTO login_throttle AS t (key, failures, last_failure) VALUES ($1, 1, $2)
		ON CONFLICT (key) DO UPDATE SET
			failures = CASE WHEN t.last_failure < $2 - $3::interval THEN 1 ELSE t.failures + 1 END,
			last_failure = $2,
			locked_until = CASE WHEN t.locked_until > $2 THEN t.locked_until END
		RETURNING failures`, key, now, window).Scan(&n)
	return n, err
}

// LockKey locks a key until the given time.
func (s *AuthStore) LockKey(ctx context.Context, key string, until time.Time) error {
	_, err := s.pool.Exec(ctx, `UPDATE login_throttle SET locked_until = $2 WHERE key = $1`, key, until)
	return err
}

// ClearFailures forgets a key's failures after a successful sign-in.
func (s *AuthStore) ClearFailures(ctx context.Context, key string) error {
	_, err := s.pool.Exec(ctx, `DELETE FROM login_throttle WHERE key = $1`, key)
	return err
}

// nullIfEmpty is NULL for "", so that a column keeps "none" apart from a value.
func nullIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
