-- The journal shows when a movement took effect (effective_at), so it is
-- read in that order: effective_at DESC, id DESC (the id breaks ties). A
-- back-dated booking then sits where its time says, not where its id does.
-- Each filter's index ends in that order, so a page walks the index and
-- stops at the limit; the leading column still serves the foreign key
-- checks of deletes elsewhere. movements_effective_idx (effective_at, id)
-- serves the journal without a filter, read backwards.
DROP INDEX movements_item_idx;
DROP INDEX movements_location_idx;
DROP INDEX movements_to_location_idx;
DROP INDEX movements_type_idx;
DROP INDEX movements_created_by_idx;
DROP INDEX movements_supplier_idx;
DROP INDEX movements_customer_idx;
CREATE INDEX movements_item_idx ON movements (item_id, effective_at DESC, id DESC);
CREATE INDEX movements_location_idx ON movements (location_id, effective_at DESC, id DESC);
CREATE INDEX movements_to_location_idx ON movements (to_location_id, effective_at DESC, id DESC) WHERE to_location_id IS NOT NULL;
CREATE INDEX movements_type_idx ON movements (type, effective_at DESC, id DESC);
CREATE INDEX movements_created_by_idx ON movements (created_by, effective_at DESC, id DESC);
CREATE INDEX movements_supplier_idx ON movements (supplier_id, effective_at DESC, id DESC) WHERE supplier_id IS NOT NULL;
CREATE INDEX movements_customer_idx ON movements (customer_id, effective_at DESC, id DESC) WHERE customer_id IS NOT NULL;
