-- Who booked a movement or wrote an audit record (movements.created_by and
-- token_id, audit_log.user_id and token_id) were foreign keys. PostgreSQL
-- checks a foreign key by locking the referenced row FOR KEY SHARE until
-- commit. When many bookings of one person, or of one integration's API
-- token, run at once, each of them adds itself to a multixact of all the
-- others on that single row, and rewrites the row's lock: one writes-only
-- run of make bench each put 32 concurrent bookings of one user at 0.43 of
-- the transaction ceiling with these keys and 0.56 without them.
--
-- People and tokens are disabled or revoked, never deleted: no route
-- deletes them, and the triggers below refuse it, as movements refuse to
-- be changed. So a reference to one cannot dangle once written, and a row
-- trigger checks that it exists when a movement or an audit record is
-- written, without a lock, since nothing can delete the row meanwhile.

ALTER TABLE movements DROP CONSTRAINT movements_created_by_fkey;
ALTER TABLE movements DROP CONSTRAINT movements_token_id_fkey;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_user_id_fkey;
ALTER TABLE audit_log DROP CONSTRAINT audit_log_token_id_fkey;

CREATE FUNCTION never_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% are disabled or revoked, never deleted: the ledger and the audit trail name them', TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER users_never_deleted BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER users_no_truncate BEFORE TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();
CREATE TRIGGER api_tokens_never_deleted BEFORE DELETE ON api_tokens
    FOR EACH ROW EXECUTE FUNCTION never_deleted();
CREATE TRIGGER api_tokens_no_truncate BEFORE TRUNCATE ON api_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION never_deleted();

CREATE FUNCTION booker_exists() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    user_id  bigint;
    token_id bigint;
BEGIN
    IF TG_TABLE_NAME = 'movements' THEN
        user_id := NEW.created_by;
    ELSE
        user_id := NEW.user_id;
    END IF;
    token_id := NEW.token_id;
    IF user_id IS NOT NULL AND NOT EXISTS (SELECT FROM users WHERE id = user_id) THEN
        RAISE EXCEPTION 'user % does not exist', user_id
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    IF token_id IS NOT NULL AND NOT EXISTS (SELECT FROM api_tokens WHERE id = token_id) THEN
        RAISE EXCEPTION 'API token % does not exist', token_id
            USING ERRCODE = 'foreign_key_violation', TABLE = TG_TABLE_NAME;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER movements_booker_exists AFTER INSERT ON movements
    FOR EACH ROW EXECUTE FUNCTION booker_exists();
CREATE TRIGGER audit_log_booker_exists AFTER INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION booker_exists();
