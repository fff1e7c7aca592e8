DROP TRIGGER audit_log_booker_exists ON audit_log;
DROP TRIGGER movements_booker_exists ON movements;
DROP FUNCTION booker_exists();
DROP TRIGGER api_tokens_no_truncate ON api_tokens;
DROP TRIGGER api_tokens_never_deleted ON api_tokens;
DROP TRIGGER users_no_truncate ON users;
DROP TRIGGER users_never_deleted ON users;
DROP FUNCTION never_deleted();

ALTER TABLE audit_log ADD CONSTRAINT audit_log_token_id_fkey FOREIGN KEY (token_id) REFERENCES api_tokens ON DELETE SET NULL;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_user_id_fkey FOREIGN KEY (user_id) REFERENCES users ON DELETE SET NULL;
ALTER TABLE movements ADD CONSTRAINT movements_token_id_fkey FOREIGN KEY (token_id) REFERENCES api_tokens ON DELETE RESTRICT;
ALTER TABLE movements ADD CONSTRAINT movements_created_by_fkey FOREIGN KEY (created_by) REFERENCES users ON DELETE RESTRICT;
