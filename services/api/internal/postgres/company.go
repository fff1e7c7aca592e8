package postgres

import (
	"context"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/depotix/depotix/services/api/internal/audit"
	"github.com/depotix/depotix/services/api/internal/company"
	"github.com/depotix/depotix/services/api/internal/files"
)

// CompanyStore keeps the company profile (the organisation's one row) and
// the file store's rows; the logo is a file owned by the profile.
type CompanyStore struct {
	pool *pgxpool.Pool
}

// NewCompanyStore returns a store over pool.
func NewCompanyStore(pool *pgxpool.Pool) *CompanyStore { return &CompanyStore{pool: pool} }

var (
	_ company.Store = (*CompanyStore)(nil)
	_ files.Store   = (*CompanyStore)(nil)
)

const fileColumns = `f.id, f.owner_kind, f.owner_id, f.content_type, f.size, f.sha256, f.name, coalesce(f.created_by, 0), f.created_at`

func fileScan(f *files.File, sum *[]byte) []any {
	return []any{&f.ID, &f.Owner, &f.OwnerID, &f.Type, &f.Size, sum, &f.Name, &f.CreatedBy, &f.CreatedAt}
}

// GetFile returns a file with its bytes.
func (s *CompanyStore) GetFile(ctx context.Context, id int64) (files.File, []byte, error) {
	var f files.File
	var sum, content []byte
	err := s.pool.QueryRow(ctx, `SELECT `+fileColumns+`, f.content FROM files f WHERE f.id = $1`, id).
		Scan(append(fileScan(&f, &sum), &content)...)
	if err != nil {
		return files.File{}, nil, mapError(err, "No such file.")
	}
	f.SHA256 = hex.EncodeToString(sum)
	return f, content, nil
}

// GetFileInfo returns a file's description without its bytes, for a
// conditional request that may need no body at all.
func (s *CompanyStore) GetFileInfo(ctx context.Context, id int64) (files.File, error) {
	var f files.File
	var sum []byte
	err := s.pool.QueryRow(ctx, `SELECT `+fileColumns+` FROM files f WHERE f.id = $1`, id).Scan(fileScan(&f, &sum)...)
	if err != nil {
		return files.File{}, mapError(err, "No such file.")
	}
	f.SHA256 = hex.EncodeToString(sum)
	return f, nil
}

const profileColumns = `p.name, p.street, p.building_number, p.postal_code, p.town, p.country, p.vat_number, p.iban,
	p.bank_name, p.payment_terms_days, p.invoice_footer, p.invoice_prefix, p.credit_note_prefix, p.currency,
	p.deposits_taxable, p.version, p.updated_at, p.logo_file_id`

type queryer interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// readProfile reads the profile with its logo's description; lock takes
// the row for an update.
func readProfile(ctx context.Context, q queryer, lock bool) (company.Profile, error) {
	var p company.Profile
	f := &p.Fields
	var logoID *int64
	sql := `SELECT ` + profileColumns + ` FROM organisation p`
	if lock {
		sql += ` FOR UPDATE`
	}
	err := q.QueryRow(ctx, sql).Scan(&f.Name, &f.Street, &f.BuildingNumber, &f.PostalCode, &f.Town, &f.Country,
		&f.VATNumber, &f.IBAN, &f.BankName, &f.PaymentTermsDays, &f.InvoiceFooter, &f.InvoicePrefix,
		&f.CreditNotePrefix, &f.Currency, &f.DepositsTaxable, &p.Version, &p.UpdatedAt, &logoID)
	if err != nil {
		return company.Profile{}, mapError(err, "The company profile is missing; the database is not migrated.")
	}
	if logoID != nil {
		var lf files.File
		var sum []byte
		if err := q.QueryRow(ctx, `SELECT `+fileColumns+` FROM files f WHERE f.id = $1`, *logoID).Scan(fileScan(&lf, &sum)...); err != nil {
			return company.Profile{}, fmt.Errorf("read the logo's description: %w", err)
		}
		lf.SHA256 = hex.EncodeToString(sum)
		p.Logo = &lf
	}
	return p, nil
}

// GetProfile returns the profile.
func (s *CompanyStore) GetProfile(ctx context.Context) (company.Profile, error) {
	return readProfile(ctx, s.pool, false)
}

// UpdateProfile changes the fields under lock, with its audit record.
func (s *CompanyStore) UpdateProfile(ctx context.Context, actor audit.Actor, expectedVersion int, change func(*company.Fields) error) (company.Profile, error) {
	var out company.Profile
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := readProfile(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, expectedVersion, "company profile"); err != nil {
			return err
		}
		after := before.Fields
		if err := change(&after); err != nil {
			return err
		}
		if after == before.Fields {
			out = before
			return nil // nothing changed: no new version, no audit record
		}
		f := after
		if _, err := tx.Exec(ctx, `UPDATE organisation SET name = $1, street = $2, building_number = $3,
			postal_code = $4, town = $5, country = $6, vat_number = $7, iban = $8, bank_name = $9,
			payment_terms_days = $10, invoice_footer = $11, invoice_prefix = $12, credit_note_prefix = $13,
			currency = $14, deposits_taxable = $15, version = version + 1, updated_at = now()`,
			f.Name, f.Street, f.BuildingNumber, f.PostalCode, f.Town, f.Country, f.VATNumber, f.IBAN, f.BankName,
			f.PaymentTermsDays, f.InvoiceFooter, f.InvoicePrefix, f.CreditNotePrefix, f.Currency, f.DepositsTaxable); err != nil {
			return fmt.Errorf("update company profile: %w", err)
		}
		if err := auditDiff(ctx, tx, actor, "company_profile", 1, "update", before.Fields, after); err != nil {
			return err
		}
		out, err = readProfile(ctx, tx, false)
		return err
	})
	return out, mapError(err, "")
}

// ReplaceLogo inserts the new file, points the profile at it and deletes
// the old one, in one transaction: a failure leaves the old logo in place,
// and no logo file is ever left without its profile.
func (s *CompanyStore) ReplaceLogo(ctx context.Context, actor audit.Actor, expectedVersion int, n files.New) (company.Profile, error) {
	var out company.Profile
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := readProfile(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, expectedVersion, "company profile"); err != nil {
			return err
		}
		sum, err := hex.DecodeString(n.SHA256)
		if err != nil {
			return fmt.Errorf("file digest: %w", err)
		}
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO files (owner_kind, owner_id, content_type, size, sha256, name, content, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8::bigint, 0)) RETURNING id`,
			n.Owner, n.OwnerID, n.Type, len(n.Content), sum, n.Name, n.Content, actor.UserID).Scan(&id); err != nil {
			return fmt.Errorf("store file: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE organisation SET logo_file_id = $1, version = version + 1, updated_at = now()`, id); err != nil {
			return fmt.Errorf("set logo: %w", err)
		}
		changes := map[string]audit.Change{"logo_file_id": {From: nil, To: id}}
		if before.Logo != nil {
			changes["logo_file_id"] = audit.Change{From: before.Logo.ID, To: id}
			if _, err := tx.Exec(ctx, `DELETE FROM files WHERE id = $1`, before.Logo.ID); err != nil {
				return fmt.Errorf("delete the old logo: %w", err)
			}
		}
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "company_profile", EntityID: "1", Action: "update", Changes: changes}); err != nil {
			return err
		}
		out, err = readProfile(ctx, tx, false)
		return err
	})
	return out, mapError(err, "")
}

// RemoveLogo unsets the logo and deletes its file, in one transaction with
// its audit record. Without a logo (a retried removal) nothing is written:
// the version stays, so the caller's next write is not refused as stale.
func (s *CompanyStore) RemoveLogo(ctx context.Context, actor audit.Actor, expectedVersion int) (company.Profile, error) {
	var out company.Profile
	err := inTx(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := readProfile(ctx, tx, true)
		if err != nil {
			return err
		}
		if err := checkVersion(before.Version, expectedVersion, "company profile"); err != nil {
			return err
		}
		if before.Logo == nil {
			out = before
			return nil
		}
		if _, err := tx.Exec(ctx, `UPDATE organisation SET logo_file_id = NULL, version = version + 1, updated_at = now()`); err != nil {
			return fmt.Errorf("unset logo: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM files WHERE id = $1`, before.Logo.ID); err != nil {
			return fmt.Errorf("delete the logo: %w", err)
		}
		changes := map[string]audit.Change{"logo_file_id": {From: before.Logo.ID, To: nil}}
		if err := appendAudit(ctx, tx, actor, audit.Record{Entity: "company_profile", EntityID: "1", Action: "update", Changes: changes}); err != nil {
			return err
		}
		out, err = readProfile(ctx, tx, false)
		return err
	})
	return out, mapError(err, "")
}
