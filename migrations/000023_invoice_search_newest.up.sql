-- The newest invoices of each customer name a search word matches, read
-- name by name and merged (postgres/invoices.go): a common word's names
-- have thousands of invoices, which the search used to read and sort.
CREATE INDEX invoices_customer_name_id_idx ON invoices (customer_name, id DESC);
