-- Invoices, credit notes and payments (issue 12).
--
-- An issued invoice is a frozen snapshot: lines, empties, the billing
-- address, the company profile, the totals and the QR bill are kept as they
-- were printed (JSONB), and the PDF's bytes sit in the files store (owner
-- kind invoice), so every download is byte-identical. Only the account
-- columns (paid, credited) and the version change afterwards; a trigger
-- refuses anything else. Numbers come from gapless counters (one row per
-- document kind, updated in the issuing transaction: a rolled-back issue
-- gives its number back).

ALTER TABLE files DROP CONSTRAINT files_owner_kind_check;
ALTER TABLE files ADD CONSTRAINT files_owner_kind_check
    CHECK (owner_kind IN ('company_logo', 'invoice', 'credit_note', 'document_logo'));
-- A document's logo is a copy of the company logo as it was when the
-- document was issued, kept once per content: replacing or removing the
-- company logo leaves issued documents' letterheads alone.
CREATE UNIQUE INDEX files_document_logo_key ON files (sha256) WHERE owner_kind = 'document_logo';

-- Issued documents' files never change and are never deleted.
CREATE FUNCTION files_document_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'file % belongs to an issued document and cannot be changed', OLD.id
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER files_document_frozen BEFORE UPDATE OR DELETE ON files
    FOR EACH ROW WHEN (OLD.owner_kind IN ('invoice', 'credit_note', 'document_logo'))
    EXECUTE FUNCTION files_document_frozen();

-- The last number given per document kind. Issuing updates its kind's row
-- (locking it until commit): concurrent issues number one after the other,
-- and a rollback gives the number back.
CREATE TABLE document_numbers (
    kind text   NOT NULL PRIMARY KEY CHECK (kind IN ('invoice', 'credit_note')),
    last bigint NOT NULL CHECK (last BETWEEN 0 AND 99999999)
);
INSERT INTO document_numbers (kind, last) VALUES ('invoice', 0), ('credit_note', 0);

CREATE TABLE invoices (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq              bigint      NOT NULL CHECK (seq BETWEEN 1 AND 99999999),
    number           text        NOT NULL CHECK (number ~ '^[A-Z]{1,6}[0-9]{6,8}$'),
    customer_id      bigint      NOT NULL REFERENCES customers ON DELETE RESTRICT,
    customer_number  bigint      NOT NULL,
    customer_name    text        NOT NULL,
    currency         text        NOT NULL CHECK (currency IN ('CHF', 'EUR')),
    issue_date       date        NOT NULL,
    due_date         date        NOT NULL CHECK (due_date >= issue_date),
    payment_terms    integer     NOT NULL CHECK (payment_terms BETWEEN 0 AND 365),
    bill_to          jsonb       NOT NULL,
    company          jsonb       NOT NULL,
    logo_file_id     bigint      REFERENCES files ON DELETE RESTRICT,
    lines            jsonb       NOT NULL,
    empties          jsonb       NOT NULL,
    totals           jsonb       NOT NULL,
    payable          bigint      NOT NULL,
    reference_type   text        NOT NULL CHECK (reference_type IN ('QRR', 'SCOR', 'NON')),
    reference        text        NOT NULL,
    bill             jsonb       NOT NULL,
    pdf_file_id      bigint      NOT NULL REFERENCES files ON DELETE RESTRICT,
    -- The account: Σ credit notes' payable (as a positive amount) and Σ
    -- payments, kept with the rows they sum in the same transaction.
    credited         bigint      NOT NULL DEFAULT 0 CHECK (credited >= 0),
    paid             bigint      NOT NULL DEFAULT 0 CHECK (paid >= 0),
    version          integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by       bigint      REFERENCES users ON DELETE RESTRICT,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    request_key      text        CHECK (length(request_key) BETWEEN 1 AND 200),
    request_hash     bytea,
    CONSTRAINT invoices_request_check CHECK ((request_key IS NULL) = (request_hash IS NULL))
);
CREATE UNIQUE INDEX invoices_number_key ON invoices (number);
CREATE UNIQUE INDEX invoices_seq_key ON invoices (seq);
CREATE UNIQUE INDEX invoices_reference_key ON invoices (reference) WHERE reference <> '';
CREATE UNIQUE INDEX invoices_request_key_key ON invoices (coalesce(created_by, 0), request_key) WHERE request_key IS NOT NULL;
-- The list: newest first; per customer; the unsettled ones (open,
-- partially paid, overdue) through a partial index, so a status filter
-- walks only them; number prefixes; customer names.
CREATE INDEX invoices_customer_idx ON invoices (customer_id, id DESC);
CREATE INDEX invoices_unsettled_idx ON invoices (id DESC, due_date) WHERE payable - credited - paid > 0;
CREATE INDEX invoices_number_prefix_idx ON invoices (number text_pattern_ops);
CREATE INDEX invoices_customer_number_idx ON invoices (customer_number, id DESC);
CREATE INDEX invoices_customer_name_trgm ON invoices USING gin (lower(customer_name) gin_trgm_ops) WITH (fastupdate = off);
CREATE INDEX invoices_logo_idx ON invoices (logo_file_id) WHERE logo_file_id IS NOT NULL;
CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

-- Issued means immutable: only the account and the version may change,
-- and an invoice is never deleted.
CREATE FUNCTION invoices_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.id, NEW.seq, NEW.number, NEW.customer_id, NEW.customer_number, NEW.customer_name, NEW.currency,
        NEW.issue_date, NEW.due_date, NEW.payment_terms, NEW.bill_to, NEW.company, NEW.logo_file_id, NEW.lines,
        NEW.empties, NEW.totals, NEW.payable, NEW.reference_type, NEW.reference, NEW.bill, NEW.pdf_file_id,
        NEW.created_by, NEW.created_at, NEW.request_key, NEW.request_hash)
       IS DISTINCT FROM
       (OLD.id, OLD.seq, OLD.number, OLD.customer_id, OLD.customer_number, OLD.customer_name, OLD.currency,
        OLD.issue_date, OLD.due_date, OLD.payment_terms, OLD.bill_to, OLD.company, OLD.logo_file_id, OLD.lines,
        OLD.empties, OLD.totals, OLD.payable, OLD.reference_type, OLD.reference, OLD.bill, OLD.pdf_file_id,
        OLD.created_by, OLD.created_at, OLD.request_key, OLD.request_hash) THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be changed', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER invoices_frozen BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_frozen();

-- The orders an invoice bills: each order on at most one invoice.
CREATE TABLE invoice_orders (
    invoice_id bigint  NOT NULL REFERENCES invoices ON DELETE RESTRICT,
    position   integer NOT NULL CHECK (position >= 0),
    order_id   bigint  NOT NULL REFERENCES orders ON DELETE RESTRICT,
    PRIMARY KEY (invoice_id, position)
);
CREATE UNIQUE INDEX invoice_orders_order_key ON invoice_orders (order_id);

CREATE TABLE credit_notes (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    seq            bigint      NOT NULL CHECK (seq BETWEEN 1 AND 99999999),
    number         text        NOT NULL CHECK (number ~ '^[A-Z]{1,6}[0-9]{6,8}$'),
    invoice_id     bigint      NOT NULL REFERENCES invoices ON DELETE RESTRICT,
    customer_id    bigint      NOT NULL REFERENCES customers ON DELETE RESTRICT,
    issue_date     date        NOT NULL,
    reason         text        NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    return_goods   boolean     NOT NULL,
    location_id    bigint      REFERENCES locations ON DELETE RESTRICT,
    bill_to        jsonb       NOT NULL,
    company        jsonb       NOT NULL,
    logo_file_id   bigint      REFERENCES files ON DELETE RESTRICT,
    -- Lines and empties with the index of the invoice's line they credit.
    lines          jsonb       NOT NULL,
    empties        jsonb       NOT NULL,
    totals         jsonb       NOT NULL,
    payable        bigint      NOT NULL CHECK (payable <= 0),
    pdf_file_id    bigint      NOT NULL REFERENCES files ON DELETE RESTRICT,
    created_by     bigint      REFERENCES users ON DELETE RESTRICT,
    created_at     timestamptz NOT NULL DEFAULT now(),
    request_key    text        CHECK (length(request_key) BETWEEN 1 AND 200),
    request_hash   bytea,
    CONSTRAINT credit_notes_request_check CHECK ((request_key IS NULL) = (request_hash IS NULL)),
    CONSTRAINT credit_notes_location_check CHECK (NOT return_goods OR location_id IS NOT NULL)
);
CREATE UNIQUE INDEX credit_notes_number_key ON credit_notes (number);
CREATE UNIQUE INDEX credit_notes_seq_key ON credit_notes (seq);
CREATE UNIQUE INDEX credit_notes_request_key_key ON credit_notes (coalesce(created_by, 0), request_key) WHERE request_key IS NOT NULL;
CREATE INDEX credit_notes_invoice_idx ON credit_notes (invoice_id, id);
CREATE INDEX credit_notes_customer_idx ON credit_notes (customer_id, id DESC);
CREATE INDEX credit_notes_location_idx ON credit_notes (location_id) WHERE location_id IS NOT NULL;
CREATE INDEX credit_notes_logo_idx ON credit_notes (logo_file_id) WHERE logo_file_id IS NOT NULL;
CREATE FUNCTION credit_notes_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'credit note % is issued and cannot be changed', OLD.number USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER credit_notes_frozen BEFORE UPDATE OR DELETE ON credit_notes FOR EACH ROW EXECUTE FUNCTION credit_notes_frozen();

-- The return movements a credit note with a goods return booked.
CREATE TABLE credit_note_movements (
    credit_note_id bigint NOT NULL REFERENCES credit_notes ON DELETE RESTRICT,
    movement_id    bigint NOT NULL REFERENCES movements ON DELETE RESTRICT,
    PRIMARY KEY (credit_note_id, movement_id)
);
CREATE INDEX credit_note_movements_movement_idx ON credit_note_movements (movement_id);

CREATE TABLE payments (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    invoice_id   bigint      NOT NULL REFERENCES invoices ON DELETE RESTRICT,
    date         date        NOT NULL,
    amount       bigint      NOT NULL CHECK (amount BETWEEN 1 AND 999999999999999),
    note         text        NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    created_by   bigint      REFERENCES users ON DELETE RESTRICT,
    created_at   timestamptz NOT NULL DEFAULT now(),
    request_key  text        CHECK (length(request_key) BETWEEN 1 AND 200),
    request_hash bytea,
    CONSTRAINT payments_request_check CHECK ((request_key IS NULL) = (request_hash IS NULL))
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id, id);
CREATE UNIQUE INDEX payments_request_key_key ON payments (coalesce(created_by, 0), request_key) WHERE request_key IS NOT NULL;

-- A credit note's entry in the customer's deposit account.
ALTER TABLE deposit_entries ADD COLUMN credit_note_id bigint REFERENCES credit_notes ON DELETE RESTRICT;
CREATE UNIQUE INDEX deposit_entries_credit_note_key ON deposit_entries (credit_note_id) WHERE credit_note_id IS NOT NULL;
