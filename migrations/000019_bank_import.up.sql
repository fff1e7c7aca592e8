-- Bank import (issue 12): camt.054/.053 files, the credits they carry and
-- how each was matched to an invoice. A credit is unique by the account
-- and the bank's reference (camt's BankRef), so importing the same data
-- twice books nothing twice.
CREATE TABLE bank_imports (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sha256       bytea       NOT NULL CHECK (length(sha256) = 32),
    file_name    text        NOT NULL CHECK (length(file_name) <= 200),
    kind         text        NOT NULL,
    message_id   text        NOT NULL,
    -- The file had been imported before (same bytes): a second upload
    -- books nothing and says so.
    repeated     boolean     NOT NULL,
    credits      integer     NOT NULL CHECK (credits >= 0),   -- new credits recorded
    duplicates   integer     NOT NULL CHECK (duplicates >= 0), -- credits already known
    skipped      integer     NOT NULL CHECK (skipped >= 0),    -- debits, pending entries
    created_by   bigint      REFERENCES users ON DELETE RESTRICT,
    created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX bank_imports_sha256_idx ON bank_imports (sha256);

CREATE TABLE bank_credits (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    import_id     bigint      NOT NULL REFERENCES bank_imports ON DELETE RESTRICT,
    iban          text        NOT NULL,
    bank_ref      text        NOT NULL,
    ref_source    text        NOT NULL,
    amount        bigint      NOT NULL CHECK (amount > 0),
    currency      text        NOT NULL,
    booking_date  date        NOT NULL,
    value_date    date,
    reference     text        NOT NULL,
    ref_type      text        NOT NULL,
    remittance    text        NOT NULL,
    debtor_name   text        NOT NULL,
    reversal      boolean     NOT NULL,
    -- matched: booked by its reference; assigned: booked by hand;
    -- unmatched: waiting for a person (reason says why).
    status        text        NOT NULL CHECK (status IN ('matched', 'assigned', 'unmatched')),
    reason        text        NOT NULL DEFAULT '' CHECK (reason IN ('', 'no_reference', 'unknown_reference', 'wrong_currency', 'reversal')),
    invoice_id    bigint      REFERENCES invoices ON DELETE RESTRICT,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bank_credits_booked_check CHECK ((status = 'unmatched') = (invoice_id IS NULL)),
    CONSTRAINT bank_credits_unmatched_check CHECK ((status = 'unmatched') = (reason <> ''))
);
CREATE UNIQUE INDEX bank_credits_bank_ref_key ON bank_credits (iban, bank_ref);
CREATE INDEX bank_credits_import_idx ON bank_credits (import_id, id);
CREATE INDEX bank_credits_status_idx ON bank_credits (status, id DESC);
CREATE INDEX bank_credits_invoice_idx ON bank_credits (invoice_id) WHERE invoice_id IS NOT NULL;

-- A payment booked from a bank credit names it (at most one payment each).
ALTER TABLE payments ADD COLUMN bank_credit_id bigint REFERENCES bank_credits ON DELETE RESTRICT;
CREATE UNIQUE INDEX payments_bank_credit_key ON payments (bank_credit_id) WHERE bank_credit_id IS NOT NULL;
