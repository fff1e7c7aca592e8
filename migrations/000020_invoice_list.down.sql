CREATE INDEX invoices_customer_name_trgm ON invoices USING gin (lower(customer_name) gin_trgm_ops) WITH (fastupdate = off);
DROP INDEX invoices_customer_name_idx;
DROP TRIGGER invoice_customer_names_add ON invoices;
DROP FUNCTION invoice_customer_names_add();
DROP TABLE invoice_customer_names;
DROP INDEX invoices_number_prefix_idx;
CREATE INDEX invoices_number_prefix_idx ON invoices (number text_pattern_ops);
DROP INDEX invoices_unsettled_idx;
CREATE INDEX invoices_unsettled_idx ON invoices (id DESC, due_date) WHERE payable - credited - paid > 0;
