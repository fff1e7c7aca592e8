-- An invoice's orders, ids and numbers in the invoice's order, kept on its
-- row: they are part of what issuing freezes (an order's number never
-- changes, an invoiced order stays on its invoice), and every list page
-- showed them through two subqueries per row. invoice_orders stays: it
-- keeps each order on at most one invoice and finds an order's invoice.
ALTER TABLE invoices
    ADD COLUMN order_ids     bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN order_numbers text[]   NOT NULL DEFAULT '{}';

ALTER TABLE invoices DISABLE TRIGGER invoices_frozen;
UPDATE invoices i
   SET order_ids = o.ids, order_numbers = o.numbers
  FROM (SELECT io.invoice_id, array_agg(o.id ORDER BY io.position) AS ids,
               array_agg(o.number ORDER BY io.position) AS numbers
          FROM invoice_orders io JOIN orders o ON o.id = io.order_id
         GROUP BY io.invoice_id) o
 WHERE o.invoice_id = i.id;
ALTER TABLE invoices ENABLE TRIGGER invoices_frozen;
ALTER TABLE invoices ADD CONSTRAINT invoices_order_numbers_check
    CHECK (cardinality(order_ids) = cardinality(order_numbers));

CREATE OR REPLACE FUNCTION invoices_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.id, NEW.seq, NEW.number, NEW.customer_id, NEW.customer_number, NEW.customer_name, NEW.currency,
        NEW.issue_date, NEW.due_date, NEW.payment_terms, NEW.bill_to, NEW.company, NEW.logo_file_id, NEW.lines,
        NEW.empties, NEW.totals, NEW.payable, NEW.reference_type, NEW.reference, NEW.bill, NEW.pdf_file_id,
        NEW.created_by, NEW.created_at, NEW.request_key, NEW.request_hash, NEW.order_ids, NEW.order_numbers)
       IS DISTINCT FROM
       (OLD.id, OLD.seq, OLD.number, OLD.customer_id, OLD.customer_number, OLD.customer_name, OLD.currency,
        OLD.issue_date, OLD.due_date, OLD.payment_terms, OLD.bill_to, OLD.company, OLD.logo_file_id, OLD.lines,
        OLD.empties, OLD.totals, OLD.payable, OLD.reference_type, OLD.reference, OLD.bill, OLD.pdf_file_id,
        OLD.created_by, OLD.created_at, OLD.request_key, OLD.request_hash, OLD.order_ids, OLD.order_numbers) THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be changed', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;
