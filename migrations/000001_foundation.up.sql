-- Foundation shared by every later table.

-- Trigram indexes make catalogue search fast and typo-tolerant (trusted
-- extension since PostgreSQL 13, so the database owner may create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Keeps updated_at honest whatever the writer forgets; tables opt in with
--   CREATE TRIGGER ... BEFORE UPDATE ... EXECUTE FUNCTION touch_updated_at();
CREATE FUNCTION touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END;
$$;

-- One row: the organisation this deployment serves. Reports cut days and
-- months in its time zone; money defaults to its currency.
CREATE TABLE organisation (
    id         boolean PRIMARY KEY DEFAULT true CHECK (id),
    name       text        NOT NULL DEFAULT '' CHECK (length(name) <= 200),
    time_zone  text        NOT NULL DEFAULT 'Europe/Zurich',
    currency   char(3)     NOT NULL DEFAULT 'CHF' CHECK (currency IN ('CHF', 'EUR')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TRIGGER organisation_touch BEFORE UPDATE ON organisation
    FOR EACH ROW EXECUTE FUNCTION touch_updated_at();

INSERT INTO organisation DEFAULT VALUES;
