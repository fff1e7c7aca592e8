DROP TRIGGER item_stock_stock_inserted ON stock;
DROP FUNCTION item_stock_stock_inserted();

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
