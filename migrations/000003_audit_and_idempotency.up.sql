-- The audit trail: appended in the same transaction as the change it
-- describes, never updated or deleted (enforced by the trigger below).
CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    user_id     bigint      REFERENCES users ON DELETE SET NULL,
    token_id    bigint      REFERENCES api_tokens ON DELETE SET NULL,
    request_id  text        NOT NULL DEFAULT '',
    entity      text        NOT NULL,
    entity_id   text        NOT NULL,
    action      text        NOT NULL,
    changes     jsonb       NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, id DESC);
CREATE INDEX audit_log_user ON audit_log (user_id, id DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- ON DELETE SET NULL of a removed user is the one update allowed.
    IF TG_OP = 'UPDATE' AND NEW.id = OLD.id AND NEW.at = OLD.at AND NEW.request_id = OLD.request_id
       AND NEW.entity = OLD.entity AND NEW.entity_id = OLD.entity_id AND NEW.action = OLD.action
       AND NEW.changes = OLD.changes
       AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id)
       AND (NEW.token_id IS NULL OR NEW.token_id = OLD.token_id) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Idempotency keys: the first request with a key stores its answer; a retry
-- with the same body gets that answer, another body a 409. Scoped per user so
-- two integrations cannot collide on a key.
CREATE TABLE idempotency_keys (
    user_id       bigint      NOT NULL REFERENCES users ON DELETE CASCADE,
    key           text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    method        text        NOT NULL,
    path          text        NOT NULL,
    request_hash  bytea       NOT NULL,
    -- NULL while the first request is still running.
    status        integer,
    response_body bytea,
    response_headers jsonb,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
