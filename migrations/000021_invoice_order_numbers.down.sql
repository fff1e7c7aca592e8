CREATE OR REPLACE FUNCTION invoices_frozen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be deleted', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    IF (NEW.id, NEW.seq, NEW.number, NEW.customer_id, NEW.customer_number, NEW.customer_name, NEW.currency,
        NEW.issue_date, NEW.due_date, NEW.payment_terms, NEW.bill_to, NEW.company, NEW.logo_file_id, NEW.lines,
        NEW.empties, NEW.totals, NEW.payable, NEW.reference_type, NEW.reference, NEW.bill, NEW.pdf_file_id,
        NEW.created_by, NEW.created_at, NEW.request_key, NEW.request_hash)
       IS DISTINCT FROM
       (OLD.id, OLD.seq, OLD.number, OLD.customer_id, OLD.customer_number, OLD.customer_name, OLD.currency,
        OLD.issue_date, OLD.due_date, OLD.payment_terms, OLD.bill_to, OLD.company, OLD.logo_file_id, OLD.lines,
        OLD.empties, OLD.totals, OLD.payable, OLD.reference_type, OLD.reference, OLD.bill, OLD.pdf_file_id,
        OLD.created_by, OLD.created_at, OLD.request_key, OLD.request_hash) THEN
        RAISE EXCEPTION 'invoice % is issued and cannot be changed', OLD.number USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END $$;

ALTER TABLE invoices DROP COLUMN order_ids, DROP COLUMN order_numbers;
