LOCK TABLE items, item_stock, stock, movements IN SHARE ROW EXCLUSIVE MODE;

DROP TABLE deposit_entries;
DROP TABLE order_empties;
DROP TABLE order_lines;
DROP TABLE orders;
DROP TABLE order_numbers;
DROP INDEX locations_empties_key;
ALTER TABLE locations DROP COLUMN empties;

DROP INDEX item_stock_low_idx;
CREATE INDEX item_stock_low_idx ON item_stock (item_id)
    WHERE min_stock > 0 AND good <= min_stock AND (NOT archived OR good + defective > 0);

CREATE OR REPLACE FUNCTION dashboard_item_stock_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
    last_id  bigint;
BEGIN
    WITH d AS (
        SELECT coalesce(i.category_id, 0) AS category_id, i.currency,
               ((n.good + n.defective) - (o.good + o.defective))::numeric * i.avg_unit_cost_micros AS value,
               (n.min_stock > 0 AND n.good <= n.min_stock AND NOT n.archived)::int
                 - (o.min_stock > 0 AND o.good <= o.min_stock AND NOT o.archived)::int AS low
          FROM old_rows o JOIN new_rows n ON n.item_id = o.item_id JOIN items i ON i.id = n.item_id),
    appended AS (
        INSERT INTO dashboard_changes (figure, category_id, currency, amount)
        SELECT 'stock_value', category_id, currency, sum(value) FROM d GROUP BY 2, 3 HAVING sum(value) <> 0
        UNION ALL
        SELECT 'low_stock', 0, '', sum(low) FROM d HAVING sum(low) <> 0
        RETURNING change_id)
    SELECT min(change_id), max(change_id) INTO first_id, last_id FROM appended;
    PERFORM dashboard_appended(first_id, last_id);
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION dashboard_item_stock_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    first_id bigint;
    last_id  bigint;
BEGIN
    WITH appended AS (
        INSERT INTO dashboard_changes (figure, amount)
        SELECT 'low_stock', -count(*) FROM old_rows
         WHERE min_stock > 0 AND good <= min_stock AND NOT archived HAVING count(*) > 0
        RETURNING change_id)
    SELECT min(change_id), max(change_id) INTO first_id, last_id FROM appended;
    PERFORM dashboard_appended(first_id, last_id);
    RETURN NULL;
END $$;

DROP TRIGGER item_stock_stock_updated ON stock;
CREATE OR REPLACE FUNCTION item_stock_stock_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock SET good = good + NEW.good - OLD.good, defective = defective + NEW.defective - OLD.defective
     WHERE item_id = NEW.item_id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_stock_updated AFTER UPDATE OF good, defective ON stock
    FOR EACH ROW WHEN (OLD.good <> NEW.good OR OLD.defective <> NEW.defective)
    EXECUTE FUNCTION item_stock_stock_updated();

ALTER TABLE item_stock DROP COLUMN reserved;
ALTER TABLE stock DROP COLUMN reserved;

-- The low-stock counter is recounted by the old rule.
DELETE FROM dashboard_changes WHERE figure = 'low_stock';
DELETE FROM dashboard_totals WHERE figure = 'low_stock';
INSERT INTO dashboard_totals (figure, amount)
SELECT 'low_stock', count(*) FROM item_stock WHERE min_stock > 0 AND good <= min_stock AND NOT archived;
