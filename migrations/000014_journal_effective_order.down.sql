-- Back to the journal in id order (000005's indexes).
DROP INDEX movements_item_idx;
DROP INDEX movements_location_idx;
DROP INDEX movements_to_location_idx;
DROP INDEX movements_type_idx;
DROP INDEX movements_created_by_idx;
DROP INDEX movements_supplier_idx;
DROP INDEX movements_customer_idx;
CREATE INDEX movements_item_idx ON movements (item_id, id DESC);
CREATE INDEX movements_location_idx ON movements (location_id, id DESC);
CREATE INDEX movements_to_location_idx ON movements (to_location_id, id DESC) WHERE to_location_id IS NOT NULL;
CREATE INDEX movements_type_idx ON movements (type, id DESC);
CREATE INDEX movements_created_by_idx ON movements (created_by, id DESC);
CREATE INDEX movements_supplier_idx ON movements (supplier_id, id DESC) WHERE supplier_id IS NOT NULL;
CREATE INDEX movements_customer_idx ON movements (customer_id, id DESC) WHERE customer_id IS NOT NULL;
