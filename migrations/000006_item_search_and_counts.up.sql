-- Item search as full text over the words of SKU, name, brand and EANs, with
-- typo tolerance from a vocabulary of those words: the trigram index over
-- the whole text (000004) had to recheck its similarity on every candidate
-- row, 30-80 ms for a broad term at 100,000 items. Now a search text is
-- turned into a tsquery first (each word, as a prefix, or-ed with the
-- vocabulary's words similar to it or containing it) and the items come
-- straight from a GIN index over stored vectors, with no recheck.
ALTER TABLE items ADD COLUMN search_tsv tsvector NOT NULL GENERATED ALWAYS AS (
    to_tsvector('simple'::regconfig,
        sku || ' ' || name || ' ' || brand || ' ' || coalesce(ean_unit, '') || ' ' || coalesce(ean_package, ''))) STORED;
-- fastupdate off, as for the trigram index it replaces (see 000004): a
-- pending list would make every search scan it until the next vacuum.
CREATE INDEX items_search_tsv ON items USING gin (search_tsv) WITH (fastupdate = off);
DROP INDEX items_search_trgm;

-- Every word without digits any item has had, for typo-tolerant matching
-- (numbers, SKUs and EANs are matched as typed or as prefixes only). Words
-- of renamed or deleted items stay: they cost a little space and match
-- nothing.
CREATE TABLE search_words (
    word text COLLATE "C" PRIMARY KEY
);
CREATE INDEX search_words_trgm ON search_words USING gin (word gin_trgm_ops) WITH (fastupdate = off);
INSERT INTO search_words (word)
SELECT DISTINCT w FROM items, unnest(tsvector_to_array(search_tsv)) w WHERE w !~ '[0-9]' ORDER BY w;

-- Sorted, so concurrent writers take the words' index entries in one order.
CREATE FUNCTION items_learn_words_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT DISTINCT w FROM new_items, unnest(tsvector_to_array(search_tsv)) w WHERE w !~ '[0-9]' ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER items_learn_words_inserted AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION items_learn_words_inserted();

CREATE FUNCTION items_learn_words_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO search_words (word)
    SELECT w FROM unnest(tsvector_to_array(NEW.search_tsv)) w WHERE w !~ '[0-9]' ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
-- Only when the searchable text changed: the ledger's updates of the
-- average cost must not pay for this.
CREATE TRIGGER items_learn_words_updated AFTER UPDATE OF sku, name, brand, ean_unit, ean_package ON items
    FOR EACH ROW WHEN (OLD.search_tsv IS DISTINCT FROM NEW.search_tsv) EXECUTE FUNCTION items_learn_words_updated();

-- tsquery_or / tsquery_and (the functions behind || and &&) as aggregates,
-- to build a query from a set of words.
CREATE AGGREGATE tsquery_or_all(tsquery) (SFUNC = tsquery_or, STYPE = tsquery);
CREATE AGGREGATE tsquery_and_all(tsquery) (SFUNC = tsquery_and, STYPE = tsquery);

-- The number of items per category and archived state, kept by triggers, so
-- the total of the unsearched list is exact and costs one small read instead
-- of counting index entries (1 ms for 10,000 of them, on every page).
CREATE TABLE item_counts (
    category_id bigint  NOT NULL, -- 0: no category
    archived    boolean NOT NULL,
    items       bigint  NOT NULL CHECK (items >= 0),
    PRIMARY KEY (category_id, archived)
);
INSERT INTO item_counts (category_id, archived, items)
SELECT coalesce(category_id, 0), archived_at IS NOT NULL, count(*) FROM items GROUP BY 1, 2;

-- Each trigger adds its changes in key order, so concurrent writers lock the
-- counters in one order.
CREATE FUNCTION item_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_counts AS c (category_id, archived, items)
    SELECT coalesce(category_id, 0), archived_at IS NOT NULL, count(*) FROM new_items GROUP BY 1, 2 ORDER BY 1, 2
    ON CONFLICT (category_id, archived) DO UPDATE SET items = c.items + EXCLUDED.items;
    RETURN NULL;
END $$;
CREATE TRIGGER item_counts_inserted AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION item_counts_inserted();

CREATE FUNCTION item_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_counts c SET items = c.items - d.n
      FROM (SELECT coalesce(category_id, 0) cat, archived_at IS NOT NULL arch, count(*) n
              FROM old_items GROUP BY 1, 2 ORDER BY 1, 2) d
     WHERE c.category_id = d.cat AND c.archived = d.arch;
    RETURN NULL;
END $$;
CREATE TRIGGER item_counts_deleted AFTER DELETE ON items
    REFERENCING OLD TABLE AS old_items FOR EACH STATEMENT EXECUTE FUNCTION item_counts_deleted();

CREATE FUNCTION item_counts_moved() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    from_cat bigint  := coalesce(OLD.category_id, 0);
    from_arc boolean := OLD.archived_at IS NOT NULL;
    to_cat   bigint  := coalesce(NEW.category_id, 0);
    to_arc   boolean := NEW.archived_at IS NOT NULL;
BEGIN
    -- The counter the item leaves exists; the one it joins may not yet.
    IF (from_cat, from_arc) < (to_cat, to_arc) THEN
        UPDATE item_counts SET items = items - 1 WHERE category_id = from_cat AND archived = from_arc;
    END IF;
    INSERT INTO item_counts AS c (category_id, archived, items) VALUES (to_cat, to_arc, 1)
    ON CONFLICT (category_id, archived) DO UPDATE SET items = c.items + 1;
    IF (from_cat, from_arc) > (to_cat, to_arc) THEN
        UPDATE item_counts SET items = items - 1 WHERE category_id = from_cat AND archived = from_arc;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER item_counts_moved AFTER UPDATE OF category_id, archived_at ON items
    FOR EACH ROW WHEN (OLD.category_id IS DISTINCT FROM NEW.category_id
                       OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
    EXECUTE FUNCTION item_counts_moved();
