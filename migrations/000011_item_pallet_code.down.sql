DROP TRIGGER items_learn_words_updated ON items;
DROP INDEX items_search_tsv;
ALTER TABLE items DROP COLUMN search_tsv;
ALTER TABLE items ADD COLUMN search_tsv tsvector NOT NULL GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig,
        sku || ' ' || name || ' ' || brand || ' ' || coalesce(ean_unit, '') || ' ' || coalesce(ean_package, ''))) STORED;
CREATE INDEX items_search_tsv ON items USING gin (search_tsv) WITH (fastupdate = off);
CREATE TRIGGER items_learn_words_updated AFTER UPDATE OF sku, name, brand, ean_unit, ean_package ON items
    FOR EACH ROW WHEN (OLD.search_tsv IS DISTINCT FROM NEW.search_tsv) EXECUTE FUNCTION items_learn_words_updated();

DROP TRIGGER items_keep_codes ON items;
DROP FUNCTION items_keep_codes();
DROP TABLE item_codes;
DROP INDEX items_ean_pallet_key;
ALTER TABLE items DROP CONSTRAINT items_pallet_code_check;
ALTER TABLE items DROP COLUMN ean_pallet;
