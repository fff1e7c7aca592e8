-- A search's total is the sum of its alternatives, each counted without the
-- matches of the ones before it (docs/sales.md, "The invoice list at 50,000
-- invoices"): the indexes of the later alternatives carry the columns the
-- earlier ones test, so that each part is still counted from the index alone.
DROP INDEX invoices_customer_name_idx;
CREATE INDEX invoices_customer_name_idx ON invoices (customer_name, id) INCLUDE (number);
DROP INDEX invoices_customer_number_idx;
CREATE INDEX invoices_customer_number_idx ON invoices (customer_number, id DESC) INCLUDE (number, customer_name);

-- The paid ones, newest first: the newest invoices are mostly open, so
-- walking the primary key read hundreds of wide rows to find a page of them.
-- The predicate is the opposite of invoices_unsettled_idx's, spelled as the
-- list spells it.
CREATE INDEX invoices_settled_idx ON invoices (id DESC) WHERE payable - credited - paid <= 0;
