-- A movement's first booking at a location creates the stock row with
-- INSERT ... ON CONFLICT DO NOTHING, and every booking runs that statement.
-- 000007 kept item_stock from it with a statement trigger, which PostgreSQL
-- runs (and collects a transition table for) even when the statement
-- inserts nothing: about 0.1 ms of every booking for no change. A row
-- trigger that fires only for rows holding stock costs nothing there; new
-- stock rows from the ledger hold none. Bulk loads (COPY of stock levels)
-- now update item_stock row by row, which is slower but rare.
DROP TRIGGER item_stock_stock_inserted ON stock;
DROP FUNCTION item_stock_stock_inserted();

CREATE FUNCTION item_stock_stock_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE item_stock SET good = good + NEW.good, defective = defective + NEW.defective
     WHERE item_id = NEW.item_id;
    RETURN NULL;
END $$;
CREATE TRIGGER item_stock_stock_inserted AFTER INSERT ON stock
    FOR EACH ROW WHEN (NEW.good <> 0 OR NEW.defective <> 0)
    EXECUTE FUNCTION item_stock_stock_inserted();
