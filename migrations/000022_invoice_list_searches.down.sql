DROP INDEX invoices_settled_idx;
DROP INDEX invoices_customer_number_idx;
CREATE INDEX invoices_customer_number_idx ON invoices (customer_number, id DESC);
DROP INDEX invoices_customer_name_idx;
CREATE INDEX invoices_customer_name_idx ON invoices (customer_name, id);
