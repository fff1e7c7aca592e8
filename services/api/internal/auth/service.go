package auth

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/page"
)

// PasswordHasher hashes and verifies passwords (internal/password).
type PasswordHasher interface {
	Hash(ctx context.Context, plain string) (string, error)
	Verify(ctx context.Context, plain, encoded string) (ok, needsRehash bool, err error)
	VerifyDummy(ctx context.Context)
}

// PasswordPolicy rejects weak passwords with a validation error.
type PasswordPolicy func(plain string, related ...string) error

// RevokeReason says why sessions ended.
type RevokeReason string

// Reasons stored with revoked sessions.
const (
	ReasonLogout          RevokeReason = "logout"
	ReasonRevoked         RevokeReason = "revoked"
	ReasonReuse           RevokeReason = "reuse_detected"
	ReasonPasswordChanged RevokeReason = "password_changed"
	ReasonUserDisabled    RevokeReason = "user_disabled"
	ReasonRoleChanged     RevokeReason = "role_changed"
)

// RefreshOutcome is what the store found for a presented refresh token.
type RefreshOutcome int

// Outcomes of a refresh.
const (
	RefreshRotated RefreshOutcome = iota // valid: a successor was stored
	RefreshInGrace                       // just rotated by a concurrent refresh: a sibling was stored
	RefreshReused                        // rotated long ago: the session was revoked
	RefreshInvalid                       // unknown, expired, revoked session or disabled user
)

// NewUser is a person to create.
type NewUser struct {
	Email        string
	Name         string
	Role         Role
	Language     Language
	PasswordHash string
}

// UserChanges are the fields of a person to change; nil leaves a field alone.
type UserChanges struct {
	Name         *string
	Role         *Role
	Language     *Language
	Disabled     *bool
	PasswordHash *string
}

// UserSort is the order of the list of people, for page.NewRequest: by
// name, case-insensitively, then email and id.
const UserSort = "name,email,id"

// UserFilter narrows a list of people.
type UserFilter struct {
	Query    string
	Role     Role
	Disabled *bool
	IDs      []int64 // only these people; empty for all
}

// MaxListIDs bounds UserFilter.IDs (the contract's `ids`).
const MaxListIDs = 100

// Store keeps auth state; every write appends its audit record in the same transaction.
type Store interface {
	UserByEmail(ctx context.Context, email string) (User, string, error)
	UserByID(ctx context.Context, id int64) (User, error)
	CountUsers(ctx context.Context) (int, error)
	CreateUser(ctx context.Context, actor audit.Actor, u NewUser) (User, error)
	// UpdateUser applies ch if the stored version is expectedVersion (0: no
	// check). A change of role, password or disabling ends the person's
	// sessions, and disabling also revokes their API tokens, in the same
	// transaction; keepSession survives a person's own password change.
	UpdateUser(ctx context.Context, actor audit.Actor, id int64, expectedVersion int, ch UserChanges, keepSession string) (User, error)
	ListUsers(ctx context.Context, f UserFilter, p page.Request) (page.Page[User], error)
	Rehash(ctx context.Context, userID int64, hash string) error

	CreateSession(ctx context.Context, actor audit.Actor, s Session, refreshHash []byte, language Language) error
	Refresh(ctx context.Context, oldHash, newHash []byte, now time.Time, grace, sessionTTL time.Duration) (RefreshOutcome, Session, error)
	// ActiveSession returns the user's current role and the session's end
	// when the session is active and its user enabled.
	ActiveSession(ctx context.Context, sessionID string, userID int64, now time.Time) (Role, time.Time, bool, error)
	ListSessions(ctx context.Context, userID int64, now time.Time) ([]Session, error)
	RevokeSession(ctx context.Context, actor audit.Actor, userID int64, sessionID string, reason RevokeReason) error
	RevokeOtherSessions(ctx context.Context, actor audit.Actor, userID int64, keep string, reason RevokeReason) (int, error)

	CreateAPIToken(ctx context.Context, actor audit.Actor, t APIToken, hash []byte) (APIToken, error)
	ListAPITokens(ctx context.Context, userID int64, now time.Time) ([]APIToken, error)
	RevokeAPIToken(ctx context.Context, actor audit.Actor, userID, tokenID int64) error
	// APITokenPrincipal resolves an active token of an enabled user and marks it used.
	APITokenPrincipal(ctx context.Context, hash []byte, now time.Time) (Principal, bool, error)

	ThrottleEntries(ctx context.Context, keys ...string) (map[string]ThrottleEntry, error)
	RecordFailure(ctx context.Context, key string, now time.Time, window time.Duration) (int, error)
	LockKey(ctx context.Context, key string, until time.Time) error
	ClearFailures(ctx context.Context, key string) error
}

// Config holds the tunables of sign-in.
type Config struct {
	AccessTTL    time.Duration // access token lifetime (~15 min)
	SessionTTL   time.Duration // a session ends this long after its last refresh
	RefreshGrace time.Duration // a just-rotated refresh token still works this long (two tabs)
	Throttle     ThrottlePolicy
	MaxTokenDays int
}

// Service implements the rules of people and access.
type Service struct {
	store  Store
	hasher PasswordHasher
	policy PasswordPolicy
	signer *Signer
	cfg    Config
	now    Clock
	// sessions, when set, spares the database the session check of most
	// requests; see RememberSessions.
	sessions *sessionMemo
}

// NewService wires the auth rules.
func NewService(store Store, hasher PasswordHasher, policy PasswordPolicy, signer *Signer, cfg Config, now Clock) *Service {
	return &Service{store: store, hasher: hasher, policy: policy, signer: signer, cfg: cfg, now: now}
}

var errBadCredentials = apperr.New(apperr.CodeUnauthorized, "Email or password is wrong.")

// RateLimitError tells the client how long to wait.
type RateLimitError struct {
	Err        *apperr.Error
	RetryAfter time.Duration
}

func (e *RateLimitError) Error() string { return e.Err.Error() }

// Unwrap lets apperr.As find the domain error inside.
func (e *RateLimitError) Unwrap() error { return e.Err }

// RetryAfterSeconds rounds the wait up to whole seconds (at least 1).
func (e *RateLimitError) RetryAfterSeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

func rateLimited(wait time.Duration) error {
	return &RateLimitError{
		Err:        apperr.New(apperr.CodeRateLimited, fmt.Sprintf("Too many failed attempts. Try again in %d seconds.", max(1, int(math.Ceil(wait.Seconds()))))),
		RetryAfter: wait,
	}
}

// NormalizeEmail lower-cases and trims an address; the stored form.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Login checks email and password and opens a session.
func (s *Service) Login(ctx context.Context, email, password string, client ClientInfo, requestID string) (Tokens, error) {
	email = NormalizeEmail(email)
	if email == "" || password == "" {
		return Tokens{}, apperr.Validation("Enter email and password.", requiredFields(map[string]string{"email": email, "password": password}))
	}
	now := s.now()
	if err := s.checkThrottle(ctx, now, email, client.IP); err != nil {
		return Tokens{}, err
	}
	user, hash, err := s.store.UserByEmail(ctx, email)
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeNotFound {
		s.hasher.VerifyDummy(ctx) // same cost as a real check: timing reveals nothing
		return Tokens{}, s.failed(ctx, now, email, client.IP)
	}
	if err != nil {
		return Tokens{}, err
	}
	ok, rehash, err := s.hasher.Verify(ctx, password, hash)
	if err != nil {
		return Tokens{}, fmt.Errorf("verify password of user %d: %w", user.ID, err)
	}
	if !ok || user.Disabled {
		return Tokens{}, s.failed(ctx, now, email, client.IP)
	}
	if err := s.store.ClearFailures(ctx, accountKey(email)); err != nil {
		return Tokens{}, err
	}
	if rehash {
		if newHash, err := s.hasher.Hash(ctx, password); err == nil {
			if err := s.store.Rehash(ctx, user.ID, newHash); err != nil {
				return Tokens{}, err
			}
		}
	}
	return s.openSession(ctx, user, client, audit.Actor{UserID: user.ID, RequestID: requestID})
}

func requiredFields(values map[string]string) apperr.Problems {
	out := apperr.Problems{}
	for k, v := range values {
		if v == "" {
			out.Add(k, apperr.Required())
		}
	}
	return out
}

func (s *Service) checkThrottle(ctx context.Context, now time.Time, email, ip string) error {
	keys := []string{accountKey(email)}
	if ip != "" {
		keys = append(keys, ipKey(ip))
	}
	entries, err := s.store.ThrottleEntries(ctx, keys...)
	if err != nil {
		return err
	}
	var wait time.Duration
	for key, e := range entries {
		wait = max(wait, s.cfg.Throttle.wait(e, now, strings.HasPrefix(key, "ip:")))
	}
	if wait > 0 {
		return rateLimited(wait)
	}
	return nil
}

func (s *Service) failed(ctx context.Context, now time.Time, email, ip string) error {
	keys := []string{accountKey(email)}
	if ip != "" {
		keys = append(keys, ipKey(ip))
	}
	for _, key := range keys {
		n, err := s.store.RecordFailure(ctx, key, now, s.cfg.Throttle.Window)
		if err != nil {
			return err
		}
		if until := s.cfg.Throttle.lockUntil(n, now, strings.HasPrefix(key, "ip:")); until != nil {
			if err := s.store.LockKey(ctx, key, *until); err != nil {
				return err
			}
		}
	}
	return errBadCredentials
}

func (s *Service) openSession(ctx context.Context, user User, client ClientInfo, actor audit.Actor) (Tokens, error) {
	now := s.now()
	sess := Session{
		ID: uuid.NewString(), UserID: user.ID, CreatedAt: now, LastUsedAt: now,
		ExpiresAt: now.Add(s.cfg.SessionTTL), UserAgent: truncate(client.UserAgent, MaxUserAgentLength), IP: client.IP,
	}
	refresh := newSecret("dpr_")
	// Only a language the person could choose is saved; anything else
	// leaves them without one, as before.
	first := client.Language
	if first != LangDE && first != LangEN {
		first = ""
	}
	if err := s.store.CreateSession(ctx, actor, sess, HashSecret(refresh), first); err != nil {
		return Tokens{}, err
	}
	if user.Language == "" {
		user.Language = first
	}
	user.LastLoginAt = &now
	return s.tokens(user, sess, refresh)
}

func (s *Service) tokens(user User, sess Session, refresh string) (Tokens, error) {
	access, err := s.signer.Sign(user.ID, sess.ID)
	if err != nil {
		return Tokens{}, err
	}
	return Tokens{AccessToken: access, AccessExpiresIn: s.signer.TTL(), RefreshToken: refresh,
		RefreshExpiresAt: sess.ExpiresAt, SessionID: sess.ID, User: user}, nil
}

var errSessionEnded = apperr.New(apperr.CodeUnauthorized, "The session has ended; sign in again.")

// Refresh exchanges a refresh token for a new pair (rotation). A token that
// was rotated more than the grace period ago is a stolen copy: its whole
// session is revoked.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	if !strings.HasPrefix(refreshToken, "dpr_") {
		return Tokens{}, errSessionEnded
	}
	next := newSecret("dpr_")
	outcome, sess, err := s.store.Refresh(ctx, HashSecret(refreshToken), HashSecret(next), s.now(), s.cfg.RefreshGrace, s.cfg.SessionTTL)
	if err != nil {
		return Tokens{}, err
	}
	if outcome != RefreshRotated && outcome != RefreshInGrace {
		return Tokens{}, errSessionEnded
	}
	user, err := s.store.UserByID(ctx, sess.UserID)
	if err != nil {
		return Tokens{}, err
	}
	return s.tokens(user, sess, next)
}

var errNotAuthenticated = apperr.New(apperr.CodeUnauthorized, "Sign in first: the access token is missing, expired or revoked.")

// Authenticate resolves a bearer token (access token or personal API token).
func (s *Service) Authenticate(ctx context.Context, bearer, requestID string) (Principal, error) {
	now := s.now()
	if strings.HasPrefix(bearer, "dpx_") {
		p, ok, err := s.store.APITokenPrincipal(ctx, HashSecret(bearer), now)
		if err != nil {
			return Principal{}, err
		}
		if !ok {
			return Principal{}, errNotAuthenticated
		}
		p.RequestID = requestID
		return p, nil
	}
	userID, sessionID, err := s.signer.Verify(bearer)
	if err != nil {
		return Principal{}, errNotAuthenticated
	}
	generation, memo := s.sessions.generation()
	if role, ok := s.sessions.recall(generation, sessionID, userID, now); ok {
		return Principal{UserID: userID, Role: role, SessionID: sessionID, RequestID: requestID}, nil
	}
	role, ends, ok, err := s.store.ActiveSession(ctx, sessionID, userID, now)
	if err != nil {
		return Principal{}, err
	}
	if !ok {
		return Principal{}, errNotAuthenticated
	}
	if memo {
		s.sessions.remember(generation, sessionID, userID, role, ends)
	}
	return Principal{UserID: userID, Role: role, SessionID: sessionID, RequestID: requestID}, nil
}

// Logout ends the caller's session (an API token has none to end).
func (s *Service) Logout(ctx context.Context, p Principal) error {
	if p.SessionID == "" {
		return apperr.New(apperr.CodeBadRequest, "API tokens have no session to end; revoke the token instead.")
	}
	return s.store.RevokeSession(ctx, p.Actor(), p.UserID, p.SessionID, ReasonLogout)
}

// Sessions lists the caller's active sessions.
func (s *Service) Sessions(ctx context.Context, p Principal) ([]Session, error) {
	return s.store.ListSessions(ctx, p.UserID, s.now())
}

// RevokeSession ends one of the caller's sessions.
func (s *Service) RevokeSession(ctx context.Context, p Principal, sessionID string) error {
	if _, err := uuid.Parse(sessionID); err != nil {
		return apperr.New(apperr.CodeNotFound, "No such session.")
	}
	return s.store.RevokeSession(ctx, p.Actor(), p.UserID, sessionID, ReasonRevoked)
}

// RevokeOtherSessions ends every session of the caller but the current one.
func (s *Service) RevokeOtherSessions(ctx context.Context, p Principal) (int, error) {
	return s.store.RevokeOtherSessions(ctx, p.Actor(), p.UserID, p.SessionID, ReasonRevoked)
}

// CreateUserInput is a person to create, with a plain password.
type CreateUserInput struct {
	Email    string
	Name     string
	Role     Role
	Language Language
	Password string
}

// CreateUser adds a person (admins, or the bootstrap on first start).
func (s *Service) CreateUser(ctx context.Context, actor audit.Actor, in CreateUserInput) (User, error) {
	in.Email = NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	fields := apperr.Problems{}
	fields.Line("email", in.Email, 1, MaxEmailLength)
	if _, err := mail.ParseAddress(in.Email); err != nil || strings.ContainsAny(in.Email, " <>") {
		fields.Add("email", apperr.FieldError{Code: apperr.FieldEmail, Message: "must be an email address"})
	}
	validateName(in.Name, fields)
	if !in.Role.Valid() {
		fields.Add("role", apperr.NotAllowed(Roles...))
	}
	if in.Language != "" {
		validateLanguage(in.Language, fields)
	}
	if err := s.checkPassword(in.Password, in.Email, in.Name); err != nil && !fields.Merge(err) {
		return User{}, err
	}
	if err := fields.Check(); err != nil {
		return User{}, err
	}
	hash, err := s.hasher.Hash(ctx, in.Password)
	if err != nil {
		return User{}, err
	}
	return s.store.CreateUser(ctx, actor, NewUser{Email: in.Email, Name: in.Name, Role: in.Role, Language: in.Language, PasswordHash: hash})
}

// Limits of a person's and a token's fields; the contract and the database
// repeat them, and tests compare the copies with these (see
// catalogue/limits.go).
const (
	MaxNameLength      = 200
	MaxEmailLength     = 254
	MaxTokenNameLength = 100
	// MaxTokenDays is how long an API token may live; Config.MaxTokenDays
	// is set to it.
	MaxTokenDays = 730
	// MaxUserAgentLength bounds the browser description kept with a
	// session; a longer one is cut.
	MaxUserAgentLength = 300
)

func validateName(name string, fields apperr.Problems) {
	fields.Line("name", name, 1, MaxNameLength)
}

func validateLanguage(lang Language, fields apperr.Problems) {
	if lang != LangDE && lang != LangEN {
		fields.Add("language", apperr.NotAllowed(LangDE, LangEN))
	}
}

func (s *Service) checkPassword(plain, email, name string) error {
	local, _, _ := strings.Cut(email, "@")
	return s.policy(plain, local, name)
}

// EnsureAdmin creates the first admin when nobody exists yet; it does nothing
// once any person exists, so a changed ADMIN_PASSWORD never overrides a real one.
//
// language is the admin's ("" for none yet: their first sign-in names it,
// from the browser; see Login).
func (s *Service) EnsureAdmin(ctx context.Context, email, name, password string, language Language) (created bool, err error) {
	n, err := s.store.CountUsers(ctx)
	if err != nil || n > 0 {
		return false, err
	}
	_, err = s.CreateUser(ctx, audit.System("bootstrap"), CreateUserInput{Email: email, Name: name, Role: RoleAdmin, Language: language, Password: password})
	if e, ok := apperr.As(err); ok && e.Code == apperr.CodeConflict {
		return false, nil // another replica created it a moment ago
	}
	return err == nil, err
}

// UpdateUserInput changes a person (admin).
type UpdateUserInput struct {
	Name     *string
	Role     *Role
	Language *Language
	Disabled *bool
	Password *string
}

// UpdateUser changes a person's name, role, language, password or enabled
// state. Admins cannot lock themselves out.
func (s *Service) UpdateUser(ctx context.Context, p Principal, id int64, expectedVersion int, in UpdateUserInput) (User, error) {
	current, err := s.store.UserByID(ctx, id)
	if err != nil {
		return User{}, err
	}
	fields := apperr.Problems{}
	ch := UserChanges{Language: in.Language, Disabled: in.Disabled, Role: in.Role}
	if in.Name != nil {
		name := strings.TrimSpace(*in.Name)
		validateName(name, fields)
		ch.Name = &name
	}
	if in.Role != nil && !in.Role.Valid() {
		fields.Add("role", apperr.NotAllowed(Roles...))
	}
	if in.Language != nil {
		validateLanguage(*in.Language, fields)
	}
	if id == p.UserID {
		if in.Disabled != nil && *in.Disabled {
			fields.Add("disabled", apperr.FieldError{Code: apperr.FieldSelfDisable, Message: "you cannot disable yourself"})
		}
		if in.Role != nil && *in.Role != RoleAdmin {
			fields.Add("role", apperr.FieldError{Code: apperr.FieldSelfDemote, Message: "you cannot take away your own admin role"})
		}
	}
	if in.Password != nil {
		name := current.Name
		if ch.Name != nil {
			name = *ch.Name
		}
		if err := s.checkPassword(*in.Password, current.Email, name); err != nil && !fields.Merge(err) {
			return User{}, err
		}
	}
	if err := fields.Check(); err != nil {
		return User{}, err
	}
	if in.Password != nil {
		hash, err := s.hasher.Hash(ctx, *in.Password)
		if err != nil {
			return User{}, err
		}
		ch.PasswordHash = &hash
	}
	return s.store.UpdateUser(ctx, p.Actor(), id, expectedVersion, ch, "")
}

// UpdateMe changes the caller's own name or language.
func (s *Service) UpdateMe(ctx context.Context, p Principal, expectedVersion int, name *string, lang *Language) (User, error) {
	fields := apperr.Problems{}
	ch := UserChanges{Language: lang}
	if name != nil {
		n := strings.TrimSpace(*name)
		validateName(n, fields)
		ch.Name = &n
	}
	if lang != nil {
		validateLanguage(*lang, fields)
	}
	if err := fields.Check(); err != nil {
		return User{}, err
	}
	return s.store.UpdateUser(ctx, p.Actor(), p.UserID, expectedVersion, ch, p.SessionID)
}

// ChangePassword sets the caller's password after checking the current one;
// every other session of theirs ends.
func (s *Service) ChangePassword(ctx context.Context, p Principal, current, next string) error {
	user, hash, err := s.userWithHash(ctx, p.UserID)
	if err != nil {
		return err
	}
	now := s.now()
	if err := s.checkThrottle(ctx, now, user.Email, ""); err != nil {
		return err
	}
	ok, _, err := s.hasher.Verify(ctx, current, hash)
	if err != nil {
		return err
	}
	if !ok {
		if err := s.failed(ctx, now, user.Email, ""); !errors.Is(err, errBadCredentials) {
			return err
		}
		return apperr.FieldProblem("The current password is wrong.", "current_password",
			apperr.FieldError{Code: apperr.FieldWrongPassword, Message: "is wrong"})
	}
	if err := s.checkPassword(next, user.Email, user.Name); err != nil {
		return err
	}
	newHash, err := s.hasher.Hash(ctx, next)
	if err != nil {
		return err
	}
	_, err = s.store.UpdateUser(ctx, p.Actor(), p.UserID, 0, UserChanges{PasswordHash: &newHash}, p.SessionID)
	return err
}

func (s *Service) userWithHash(ctx context.Context, id int64) (User, string, error) {
	u, err := s.store.UserByID(ctx, id)
	if err != nil {
		return User{}, "", err
	}
	_, hash, err := s.store.UserByEmail(ctx, u.Email)
	return u, hash, err
}

// User returns one person.
func (s *Service) User(ctx context.Context, id int64) (User, error) { return s.store.UserByID(ctx, id) }

// Users lists people.
func (s *Service) Users(ctx context.Context, f UserFilter, p page.Request) (page.Page[User], error) {
	if f.Role != "" && !f.Role.Valid() {
		return page.Page[User]{}, apperr.FieldProblem("Check the filters.", "role", apperr.NotAllowed(Roles...))
	}
	if len(f.IDs) > MaxListIDs {
		return page.Page[User]{}, apperr.FieldProblem("Check the filters.", "ids", apperr.TooMany(MaxListIDs))
	}
	return s.store.ListUsers(ctx, f, p)
}

// CreatedToken is a new API token with its secret, shown once.
type CreatedToken struct {
	APIToken
	Secret string
}

// CreateAPIToken issues a personal token for the caller.
func (s *Service) CreateAPIToken(ctx context.Context, p Principal, name string, scope Scope, days int) (CreatedToken, error) {
	name = strings.TrimSpace(name)
	fields := apperr.Problems{}
	fields.Line("name", name, 1, MaxTokenNameLength)
	if scope != ScopeRead && scope != ScopeWrite {
		fields.Add("scope", apperr.NotAllowed(ScopeRead, ScopeWrite))
	}
	fields.Range("expires_in_days", int64(days), 1, int64(s.cfg.MaxTokenDays))
	if err := fields.Check(); err != nil {
		return CreatedToken{}, err
	}
	secret := newSecret("dpx_")
	now := s.now()
	t, err := s.store.CreateAPIToken(ctx, p.Actor(), APIToken{
		UserID: p.UserID, Name: name, Scope: scope, Prefix: secret[:12],
		ExpiresAt: now.AddDate(0, 0, days), CreatedAt: now,
	}, HashSecret(secret))
	if err != nil {
		return CreatedToken{}, err
	}
	return CreatedToken{APIToken: t, Secret: secret}, nil
}

// APITokens lists the caller's active tokens.
func (s *Service) APITokens(ctx context.Context, p Principal) ([]APIToken, error) {
	return s.store.ListAPITokens(ctx, p.UserID, s.now())
}

// RevokeAPIToken revokes one of the caller's tokens.
func (s *Service) RevokeAPIToken(ctx context.Context, p Principal, id int64) error {
	return s.store.RevokeAPIToken(ctx, p.Actor(), p.UserID, id)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
