-- Uploaded files live in the database, so a pg_dumpall backup is complete and
-- every api replica sees the same files. Each file belongs to one record
-- (owner_kind + owner_id): who may read it follows who may read the owner.
CREATE TABLE files (
    id           bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_kind   text        NOT NULL CHECK (owner_kind IN ('company_logo')),
    owner_id     bigint      NOT NULL,
    content_type text        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp', 'application/pdf')),
    size         bigint      NOT NULL CHECK (size > 0),
    sha256       bytea       NOT NULL CHECK (length(sha256) = 32),
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    content      bytea       NOT NULL,
    created_by   bigint      REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    CHECK (octet_length(content) = size)
);
-- Images and PDFs are compressed already: keep PostgreSQL from trying again.
ALTER TABLE files ALTER COLUMN content SET STORAGE EXTERNAL;
CREATE INDEX files_owner_idx ON files (owner_kind, owner_id);

-- The company profile is the organisation's row (000001 made it with name,
-- time zone and currency): one row, so name and currency cannot disagree
-- between two tables. Invoices print it; the QR bill needs its structured
-- address and account.
ALTER TABLE organisation
    ADD COLUMN street             text    NOT NULL DEFAULT '',
    ADD COLUMN building_number    text    NOT NULL DEFAULT '',
    ADD COLUMN postal_code        text    NOT NULL DEFAULT '',
    ADD COLUMN town               text    NOT NULL DEFAULT '',
    ADD COLUMN country            text    NOT NULL DEFAULT 'CH',
    ADD COLUMN vat_number         text    NOT NULL DEFAULT '',
    ADD COLUMN iban               text    NOT NULL DEFAULT '' CHECK (iban !~ '\s'),
    ADD COLUMN bank_name          text    NOT NULL DEFAULT '',
    ADD COLUMN logo_file_id       bigint  REFERENCES files (id),
    ADD COLUMN payment_terms_days integer NOT NULL DEFAULT 30 CHECK (payment_terms_days BETWEEN 0 AND 365),
    ADD COLUMN invoice_footer     text    NOT NULL DEFAULT '',
    ADD COLUMN invoice_prefix     text    NOT NULL DEFAULT 'RE' CHECK (invoice_prefix ~ '^[A-Z]{1,6}$'),
    ADD COLUMN credit_note_prefix text    NOT NULL DEFAULT 'GS' CHECK (credit_note_prefix ~ '^[A-Z]{1,6}$'),
    ADD COLUMN deposits_taxable   boolean NOT NULL DEFAULT false,
    ADD COLUMN version            integer NOT NULL DEFAULT 1;
