package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/apperr"
	"github.com/depotix/depotix/services/api/internal/audit"
)

// inTx runs fn in one transaction: committed when fn returns nil, rolled back
// otherwise (also on panic). Every multi-step write goes through here.
func inTx(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, pool, fn)
}

// inSnapshot runs fn in one read-only transaction that sees one snapshot:
// for reads of a record whose parts (lines, payments, …) belong together.
func inSnapshot(ctx context.Context, pool *pgxpool.Pool, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
}

// insertAuditSQL writes one audit record; auditArgs are its arguments.
var insertAuditSQL = auditInsertSQL(1)

// auditInsertSQL writes an audit record whose auditArgs start at $first;
// a caller may add a FROM clause (one record per row).
func auditInsertSQL(first int) string {
	return fmt.Sprintf(`
	INSERT INTO audit_log (user_id, token_id, request_id, entity, entity_id, action, changes)
	SELECT NULLIF($%d::bigint, 0), NULLIF($%d::bigint, 0), $%d::text, $%d::text, $%d::text, $%d::text, $%d::jsonb`,
		first, first+1, first+2, first+3, first+4, first+5, first+6)
}

func auditArgs(actor audit.Actor, rec audit.Record) []any {
	changes := rec.Changes
	if changes == nil {
		changes = map[string]audit.Change{}
	}
	return []any{actor.UserID, actor.TokenID, actor.RequestID, rec.Entity, rec.EntityID, rec.Action, changes}
}

// appendAudit writes one audit record inside the caller's transaction.
func appendAudit(ctx context.Context, tx pgx.Tx, actor audit.Actor, rec audit.Record) error {
	if _, err := tx.Exec(ctx, insertAuditSQL, auditArgs(actor, rec)...); err != nil {
		return fmt.Errorf("append audit record: %w", err)
	}
	return nil
}

// auditDiff appends an audit record of the fields that changed between before
// and after (either may be nil for create or delete).
func auditDiff(ctx context.Context, tx pgx.Tx, actor audit.Actor, entity string, id int64, action string, before, after any, skip ...string) error {
	changes, err := audit.Diff(before, after, append(skip, "version", "updated_at", "created_at")...)
	if err != nil {
		return err
	}
	return appendAudit(ctx, tx, actor, audit.Record{Entity: entity, EntityID: strconv.FormatInt(id, 10), Action: action, Changes: changes})
}

// PostgreSQL error codes the stores translate into domain errors.
const (
	codeUniqueViolation     = "23505"
	codeForeignKeyViolation = "23503"
)

// mapError turns the database errors that are the caller's fault into domain
// errors; others pass through (and become 500s).
func mapError(err error, notFound string) error {
	if err == nil {
		return nil
	}
	if _, ok := apperr.As(err); ok {
		return err // already a domain error, perhaps wrapping the database's
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return apperr.New(apperr.CodeNotFound, notFound)
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case codeUniqueViolation:
			return &apperr.Error{Code: apperr.CodeConflict, Message: "This already exists.", Fields: uniqueField(pgErr.TableName, pgErr.ConstraintName), Err: err}
		case codeForeignKeyViolation:
			return &apperr.Error{Code: apperr.CodeConflict, Message: "Other records refer to this one, or a referenced record does not exist.", Err: err}
		}
	}
	return err
}

// uniqueField names the field behind a unique index named <table>_<field>_key
// (the naming every migration follows), so the client learns which field clashed.
func uniqueField(table, constraint string) apperr.Problems {
	name, ok := strings.CutSuffix(constraint, "_key")
	if !ok {
		return nil
	}
	if field, ok := strings.CutPrefix(name, table+"_"); ok && field != "" {
		return apperr.Problems{field: apperr.Taken()}
	}
	return nil
}
