DROP TABLE expense_vat;
DROP TABLE expenses;
DROP TABLE expense_categories;
DELETE FROM files WHERE owner_kind = 'expense_receipt';
ALTER TABLE files DROP CONSTRAINT files_owner_kind_check;
ALTER TABLE files ADD CONSTRAINT files_owner_kind_check
    CHECK (owner_kind IN ('company_logo', 'invoice', 'credit_note', 'document_logo'));
