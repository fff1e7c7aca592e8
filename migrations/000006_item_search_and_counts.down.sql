DROP TRIGGER IF EXISTS item_counts_moved ON items;
DROP TRIGGER IF EXISTS item_counts_deleted ON items;
DROP TRIGGER IF EXISTS item_counts_inserted ON items;
DROP FUNCTION IF EXISTS item_counts_moved();
DROP FUNCTION IF EXISTS item_counts_deleted();
DROP FUNCTION IF EXISTS item_counts_inserted();
DROP TABLE IF EXISTS item_counts;
DROP AGGREGATE IF EXISTS tsquery_and_all(tsquery);
DROP AGGREGATE IF EXISTS tsquery_or_all(tsquery);
DROP TRIGGER IF EXISTS items_learn_words_updated ON items;
DROP TRIGGER IF EXISTS items_learn_words_inserted ON items;
DROP FUNCTION IF EXISTS items_learn_words_updated();
DROP FUNCTION IF EXISTS items_learn_words_inserted();
DROP TABLE IF EXISTS search_words;
CREATE INDEX IF NOT EXISTS items_search_trgm ON items USING gin (
    lower(sku || ' ' || name || ' ' || brand || ' ' || coalesce(ean_unit, '') || ' ' || coalesce(ean_package, ''))
    gin_trgm_ops) WITH (fastupdate = off);
DROP INDEX IF EXISTS items_search_tsv;
ALTER TABLE items DROP COLUMN IF EXISTS search_tsv;
