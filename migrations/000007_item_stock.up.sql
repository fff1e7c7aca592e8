-- Each item's stock over all locations, kept by triggers in the same
-- transaction as the stock rows, so the stock list, its low-stock filter
-- and the totals of both come from one narrow row per item instead of
-- summing stock rows per item (which forced a scan of every item to count
-- a list or find those below their minimum).
--
-- min_stock and archived repeat the item's, so "below minimum" is a
-- condition on this row alone and can have a partial index.
CREATE TABLE item_stock (
    item_id   bigint  PRIMARY KEY REFERENCES items ON DELETE CASCADE,
    good      bigint  NOT NULL DEFAULT 0 CHECK (good >= 0),
    defective bigint  NOT NULL DEFAULT 0 CHECK (defective >= 0),
    min_stock bigint  NOT NULL DEFAULT 0,
    archived  boolean NOT NULL DEFAULT false
);
-- The low-stock list: at or below the minimum, and listed (active, or
-- archived but still holding stock).
CREATE INDEX item_stock_low_idx ON item_stock (item_id)
    WHERE good <= min_stock AND (NOT archived OR good + defective > 0);
-- Archived items still holding stock, the small part of the stock list
-- that item_counts cannot count.
CREATE INDEX item_stock_archived_held_idx ON item_stock (item_id)
    WHERE archived AND good + defective > 0;

INSERT INTO item_stock (item_id, good, defective, min_stock, archived)
SELECT i.id, coalesce(s.good, 0), coalesce(s.defective, 0), i.min_stock, i.archived_at IS NOT NULL
  FROM items i LEFT JOIN (
      SELECT item_id, sum(good)::bigint good, sum(defective)::bigint defective FROM stock GROUP BY item_id) s
    ON s.item_id = i.id;

CREATE FUNCTION item_stock_items_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item_stock (item_id, min_stock, archived)
    SELECT id, min_stock, archived_at IS NOT NULL FROM new_items ORDER BY id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_items_inserted AFTER INSERT ON items
    REFERENCING NEW TABLE AS new_items FOR EACH STATEMENT EXECUTE FUNCTION item_stock_items_inserted();

CREATE FUNCTION item_stock_items_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock SET min_stock = NEW.min_stock, archived = NEW.archived_at IS NOT NULL
     WHERE item_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_items_updated AFTER UPDATE OF min_stock, archived_at ON items
    FOR EACH ROW WHEN (OLD.min_stock IS DISTINCT FROM NEW.min_stock
                       OR (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
    EXECUTE FUNCTION item_stock_items_updated();

-- Stock rows are created with a movement's first booking at a location (or
-- in bulk when data is loaded), changed by movements, and never deleted
-- while their item exists; each way adds its difference.
CREATE FUNCTION item_stock_stock_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock p SET good = p.good + n.good, defective = p.defective + n.defective
      FROM (SELECT item_id, sum(good)::bigint good, sum(defective)::bigint defective
              FROM new_stock GROUP BY item_id HAVING sum(good) <> 0 OR sum(defective) <> 0) n
     WHERE p.item_id = n.item_id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_stock_inserted AFTER INSERT ON stock
    REFERENCING NEW TABLE AS new_stock FOR EACH STATEMENT EXECUTE FUNCTION item_stock_stock_inserted();

CREATE FUNCTION item_stock_stock_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock SET good = good + NEW.good - OLD.good, defective = defective + NEW.defective - OLD.defective
     WHERE item_id = NEW.item_id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_stock_updated AFTER UPDATE OF good, defective ON stock
    FOR EACH ROW WHEN (OLD.good <> NEW.good OR OLD.defective <> NEW.defective)
    EXECUTE FUNCTION item_stock_stock_updated();

CREATE FUNCTION item_stock_stock_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock p SET good = p.good - o.good, defective = p.defective - o.defective
      FROM (SELECT item_id, sum(good)::bigint good, sum(defective)::bigint defective
              FROM old_stock GROUP BY item_id) o
     WHERE p.item_id = o.item_id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_stock_deleted AFTER DELETE ON stock
    REFERENCING OLD TABLE AS old_stock FOR EACH STATEMENT EXECUTE FUNCTION item_stock_stock_deleted();
