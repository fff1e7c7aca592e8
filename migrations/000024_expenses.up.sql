-- Expenses (issue 13): what the depot spends, with its input VAT
-- (Vorsteuer) per rate and its receipts (files owner kind
-- expense_receipt). Amounts are minor units of the expense's currency; a
-- EUR expense keeps the rate of the day the clerk entered (CHF per EUR,
-- six decimals as an integer) and its amount and VAT in CHF, which the
-- reports and the VAT return add up.

ALTER TABLE files DROP CONSTRAINT files_owner_kind_check;
ALTER TABLE files ADD CONSTRAINT files_owner_kind_check
    CHECK (owner_kind IN ('company_logo', 'invoice', 'credit_note', 'document_logo', 'expense_receipt'));

-- Categories are an admin-edited list. The seven built-in ones have a key
-- (a goods receipt's expense goes to 'purchase'); each says on which
-- figure of the VAT return its input VAT is claimed: 400 (material and
-- services) or 405 (investments and other operating costs).
CREATE TABLE expense_categories (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    key         text        UNIQUE CHECK (key IN ('purchase', 'transport', 'utilities', 'maintenance', 'office', 'marketing', 'other')),
    name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    vat_figure  integer     NOT NULL CHECK (vat_figure IN (400, 405)),
    archived_at timestamptz,
    version     integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX expense_categories_name_key ON expense_categories (lower(name));
CREATE TRIGGER expense_categories_touch BEFORE UPDATE ON expense_categories
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
INSERT INTO expense_categories (key, name, vat_figure) VALUES
    ('purchase', 'Wareneinkauf', 400),
    ('transport', 'Transport', 400),
    ('utilities', 'Energie und Wasser', 405),
    ('maintenance', 'Unterhalt und Reparaturen', 405),
    ('office', 'Büro und Verwaltung', 405),
    ('marketing', 'Werbung', 405),
    ('other', 'Übriger Aufwand', 405);

CREATE TABLE expenses (
    id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    date                date        NOT NULL,
    supplier_id         bigint      NOT NULL REFERENCES suppliers (id) ON DELETE RESTRICT,
    category_id         bigint      NOT NULL REFERENCES expense_categories (id) ON DELETE RESTRICT,
    currency            text        NOT NULL CHECK (currency IN ('CHF', 'EUR')),
    amount              bigint      NOT NULL CHECK (amount > 0 AND amount <= 10000000000),
    rate                bigint      NOT NULL CHECK (rate > 0 AND rate < 100000000),
    amount_chf          bigint      NOT NULL CHECK (amount_chf >= 0),
    -- Σ expense_vat.vat_chf, written with the lines.
    vat_chf             bigint      NOT NULL DEFAULT 0 CHECK (vat_chf >= 0),
    note                text        NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    status              text        NOT NULL CHECK (status IN ('open', 'paid')),
    paid_on             date,
    -- How many receipt files the expense has (the list filters on it).
    receipts            integer     NOT NULL DEFAULT 0 CHECK (receipts >= 0),
    -- The priced goods receipt that booked this expense, if one did.
    receipt_movement_id bigint      UNIQUE REFERENCES movements (id) ON DELETE RESTRICT,
    archived_at         timestamptz,
    version             integer     NOT NULL DEFAULT 1 CHECK (version >= 1),
    created_by          bigint      REFERENCES users (id) ON DELETE RESTRICT,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CHECK (currency <> 'CHF' OR rate = 1000000),
    CHECK ((status = 'paid') = (paid_on IS NOT NULL))
);
CREATE TRIGGER expenses_touch BEFORE UPDATE ON expenses
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();
-- The list (newest first), by supplier and by category.
CREATE INDEX expenses_date_idx ON expenses (date DESC, id DESC);
CREATE INDEX expenses_supplier_idx ON expenses (supplier_id, date DESC, id DESC);
CREATE INDEX expenses_category_idx ON expenses (category_id, date DESC, id DESC);

CREATE TABLE expense_vat (
    expense_id bigint  NOT NULL REFERENCES expenses (id) ON DELETE CASCADE,
    rate_bp    integer NOT NULL CHECK (rate_bp BETWEEN 1 AND 10000),
    vat        bigint  NOT NULL CHECK (vat > 0),
    vat_chf    bigint  NOT NULL CHECK (vat_chf >= 0),
    PRIMARY KEY (expense_id, rate_bp)
);
