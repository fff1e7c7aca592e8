-- A pallet's own GTIN (issue 11: scanning a pallet's code books pallets).
-- Like a package EAN it needs a package (a pallet counts packages); the
-- domain checks that it also has a pallet size and a valid check digit.
ALTER TABLE items ADD COLUMN ean_pallet text CHECK (ean_pallet ~ '^([0-9]{8}|[0-9]{12,14})$');
ALTER TABLE items ADD CONSTRAINT items_pallet_code_check CHECK (
    ean_pallet IS NULL OR (pallet_size IS NOT NULL AND ean_pallet <> ean_unit AND ean_pallet <> ean_package));
-- The per-column index finds an item by its pallet code (search's exact
-- match); item_codes below keeps a code unique across all three columns.
CREATE UNIQUE INDEX items_ean_pallet_key ON items (ean_pallet);

-- Every code of every item, whichever column holds it: a scanned code must
-- name one item and one unit, so a crate's code cannot be another item's
-- bottle code. The triggers keep it; its primary key refuses a code twice,
-- also between concurrent writers.
CREATE TABLE item_codes (
    code    text   PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES items ON DELETE CASCADE
);
CREATE INDEX item_codes_item_idx ON item_codes (item_id);

DO $$
DECLARE
    clash text;
BEGIN
    SELECT string_agg(DISTINCT code, ', ') INTO clash FROM (
        SELECT c.code FROM items i,
               LATERAL (VALUES (i.ean_unit), (i.ean_package)) AS c(code)
         WHERE c.code IS NOT NULL GROUP BY c.code HAVING count(*) > 1) d;
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION 'items share EANs between the unit and package columns (%): give each code one item before upgrading', clash;
    END IF;
END $$;
INSERT INTO item_codes (code, item_id)
SELECT c.code, i.id FROM items i, LATERAL (VALUES (i.ean_unit), (i.ean_package)) AS c(code)
 WHERE c.code IS NOT NULL;

-- A clash is raised as the unique violation of the column's own index
-- (items_<column>_key), so the store names the field as for the others.
CREATE FUNCTION items_keep_codes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    col text;
    val text;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.ean_unit IS NOT DISTINCT FROM OLD.ean_unit AND NEW.ean_package IS NOT DISTINCT FROM OLD.ean_package
           AND NEW.ean_pallet IS NOT DISTINCT FROM OLD.ean_pallet THEN
            RETURN NULL;
        END IF;
        DELETE FROM item_codes WHERE item_id = NEW.id;
    END IF;
    FOREACH col IN ARRAY ARRAY['ean_unit', 'ean_package', 'ean_pallet'] LOOP
        val := CASE col WHEN 'ean_unit' THEN NEW.ean_unit WHEN 'ean_package' THEN NEW.ean_package ELSE NEW.ean_pallet END;
        CONTINUE WHEN val IS NULL;
        BEGIN
            INSERT INTO item_codes (code, item_id) VALUES (val, NEW.id);
        EXCEPTION WHEN unique_violation THEN
            RAISE unique_violation USING MESSAGE = format('code %s is already taken', val),
                TABLE = 'items', CONSTRAINT = 'items_' || col || '_key';
        END;
    END LOOP;
    RETURN NULL;
END $$;
CREATE TRIGGER items_keep_codes AFTER INSERT OR UPDATE OF ean_unit, ean_package, ean_pallet ON items
    FOR EACH ROW EXECUTE FUNCTION items_keep_codes();

-- Search over the pallet code too: the stored vector gains the column
-- (and with it its index and the trigger that reads it).
DROP TRIGGER items_learn_words_updated ON items;
DROP INDEX items_search_tsv;
ALTER TABLE items DROP COLUMN search_tsv;
ALTER TABLE items ADD COLUMN search_tsv tsvector NOT NULL GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig,
        sku || ' ' || name || ' ' || brand || ' ' || coalesce(ean_unit, '') || ' ' || coalesce(ean_package, '')
        || ' ' || coalesce(ean_pallet, ''))) STORED;
CREATE INDEX items_search_tsv ON items USING gin (search_tsv) WITH (fastupdate = off);
CREATE TRIGGER items_learn_words_updated AFTER UPDATE OF sku, name, brand, ean_unit, ean_package, ean_pallet ON items
    FOR EACH ROW WHEN (OLD.search_tsv IS DISTINCT FROM NEW.search_tsv) EXECUTE FUNCTION items_learn_words_updated();
