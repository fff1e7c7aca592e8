CREATE OR REPLACE FUNCTION invoice_customer_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_customer_names (name) VALUES (NEW.customer_name) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
ALTER TABLE invoice_customer_names DROP COLUMN invoices;
DROP INDEX invoices_unsettled_due_idx;
DROP TRIGGER invoices_unsettled_count ON invoices;
DROP FUNCTION invoices_unsettled_count();
DROP TABLE invoices_unsettled;
DROP INDEX invoice_customer_names_trgm;
ALTER TABLE invoice_customer_names DROP COLUMN search;
CREATE INDEX invoice_customer_names_trgm ON invoice_customer_names USING gin (lower(name) gin_trgm_ops);
DROP INDEX invoices_settled_idx;
DROP INDEX invoices_customer_number_idx;
CREATE INDEX invoices_customer_number_idx ON invoices (customer_number, id DESC);
DROP INDEX invoices_customer_name_idx;
CREATE INDEX invoices_customer_name_idx ON invoices (customer_name, id);
