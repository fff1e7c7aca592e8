-- A search's total is the sum of its ways of matching, each counted without
-- the matches of the ones before it (docs/sales.md, "The invoice list at
-- 50,000 invoices"): the names' invoices whose numbers a number prefix also
-- matches are found per name and number range, and a customer number's
-- invoices are told apart by the number and name its index carries.
DROP INDEX invoices_customer_name_idx;
CREATE INDEX invoices_customer_name_idx ON invoices (customer_name, number text_pattern_ops) INCLUDE (id);
DROP INDEX invoices_customer_number_idx;
CREATE INDEX invoices_customer_number_idx ON invoices (customer_number, id DESC) INCLUDE (number, customer_name);

-- The paid ones, newest first: the newest invoices are mostly open, so
-- walking the primary key read hundreds of wide rows to find a page of them.
-- The predicate is the opposite of invoices_unsettled_idx's, spelled as the
-- list spells it.
CREATE INDEX invoices_settled_idx ON invoices (id DESC) WHERE payable - credited - paid <= 0;

-- A name word is looked for in every name invoices were issued to, lower
-- case: kept lower case beside the name instead of lowered per row and
-- search (a few hundred names, twice per search, was a fifth of its time).
ALTER TABLE invoice_customer_names ADD COLUMN search text GENERATED ALWAYS AS (lower(name)) STORED;
DROP INDEX invoice_customer_names_trgm;
CREATE INDEX invoice_customer_names_trgm ON invoice_customer_names USING gin (search gin_trgm_ops);

-- How many invoices are unsettled, kept with every write that issues,
-- pays or credits one, so that the list's totals by payment state need not
-- count them (docs/sales.md): fully paid = all issued − unsettled; overdue
-- = unsettled − those not yet due; open and partially paid are among those
-- not yet due, which invoices_unsettled_due_idx counts alone (the invoices
-- of one payment term, against years of them).
CREATE TABLE invoices_unsettled (
    one      boolean PRIMARY KEY DEFAULT true CHECK (one),
    invoices bigint  NOT NULL CHECK (invoices >= 0)
);
INSERT INTO invoices_unsettled (invoices) SELECT count(*) FROM invoices WHERE payable - credited - paid > 0;
CREATE FUNCTION invoices_unsettled_count() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta integer := 0;
BEGIN
    IF NEW.payable - NEW.credited - NEW.paid > 0 THEN
        delta := 1;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.payable - OLD.credited - OLD.paid > 0 THEN
        delta := delta - 1;
    END IF;
    IF delta <> 0 THEN
        UPDATE invoices_unsettled SET invoices = invoices + delta;
    END IF;
    RETURN NULL;
END $$;
-- Deferred to the commit: the one row is locked last, when a transaction
-- holds every other lock it will take, so two writers of several invoices
-- (a bank import and a payment) cannot deadlock over it.
CREATE CONSTRAINT TRIGGER invoices_unsettled_count AFTER INSERT OR UPDATE OF payable, credited, paid ON invoices
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION invoices_unsettled_count();
-- Its predicate is invoices_unsettled_idx's spelled another way, and only
-- those counts spell it so: the planner then cannot take it for a page of
-- open invoices, which walks invoices_unsettled_idx newest first and stops
-- after one page, where this index would give all not yet due to sort.
CREATE INDEX invoices_unsettled_due_idx ON invoices (due_date) INCLUDE (paid) WHERE paid < payable - credited;

-- How many invoices were issued to each name, kept by the trigger that adds
-- the names: a name word's matches are counted from the names it matches
-- (an invoice's name never changes and invoices are never deleted).
ALTER TABLE invoice_customer_names ADD COLUMN invoices integer NOT NULL DEFAULT 0 CHECK (invoices >= 0);
UPDATE invoice_customer_names n SET invoices = (SELECT count(*) FROM invoices i WHERE i.customer_name = n.name);
CREATE OR REPLACE FUNCTION invoice_customer_names_add() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO invoice_customer_names AS n (name, invoices) VALUES (NEW.customer_name, 1)
        ON CONFLICT (name) DO UPDATE SET invoices = n.invoices + 1;
    RETURN NULL;
END $$;
