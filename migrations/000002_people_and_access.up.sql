-- People, their sessions (refresh-token families), personal API tokens and
-- login throttling. Secrets are stored only as SHA-256 hashes.

CREATE TABLE users (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email               text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 254 AND position('@' IN email) > 1),
    name                text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    role                text        NOT NULL CHECK (role IN ('admin', 'manager', 'clerk', 'viewer')),
    language            text        NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
    password_hash       text        NOT NULL,
    disabled_at         timestamptz,
    last_login_at       timestamptz,
    -- Bumped on every change; the ETag of the user.
    version             integer     NOT NULL DEFAULT 1,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_search_trgm ON users USING gin ((email || ' ' || lower(name)) gin_trgm_ops);
CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- A session is one sign-in: one family of rotating refresh tokens. Access
-- tokens name their session, and every request checks it is still active,
-- so revoking a session (or disabling its user) takes effect at once.
CREATE TABLE sessions (
    id             uuid        PRIMARY KEY,
    user_id        bigint      NOT NULL REFERENCES users ON DELETE CASCADE,
    created_at     timestamptz NOT NULL DEFAULT now(),
    last_used_at   timestamptz NOT NULL DEFAULT now(),
    expires_at     timestamptz NOT NULL,
    revoked_at     timestamptz,
    revoked_reason text CHECK (revoked_reason IN ('logout', 'revoked', 'reuse_detected', 'password_changed', 'user_disabled', 'role_changed')),
    user_agent     text        NOT NULL DEFAULT '' CHECK (length(user_agent) <= 300),
    ip             inet
);
CREATE INDEX sessions_user_active ON sessions (user_id, created_at DESC) WHERE revoked_at IS NULL;

CREATE TABLE refresh_tokens (
    token_hash   bytea       PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id   uuid        NOT NULL REFERENCES sessions ON DELETE CASCADE,
    created_at   timestamptz NOT NULL DEFAULT now(),
    -- Set when the token was exchanged for a successor; a later use is reuse.
    rotated_at   timestamptz
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE api_tokens (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id      bigint      NOT NULL REFERENCES users ON DELETE CASCADE,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    token_hash   bytea       NOT NULL CHECK (length(token_hash) = 32),
    prefix       text        NOT NULL,
    scope        text        NOT NULL CHECK (scope IN ('read', 'write')),
    expires_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX api_tokens_hash_key ON api_tokens (token_hash);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at DESC);

-- Failed sign-ins per key ("account:<email>" or "ip:<address>"). Shared by
-- every api replica; rows expire by time, not by a janitor.
CREATE TABLE login_throttle (
    key           text        PRIMARY KEY,
    failures      integer     NOT NULL CHECK (failures >= 0),
    last_failure  timestamptz NOT NULL,
    locked_until  timestamptz
);
