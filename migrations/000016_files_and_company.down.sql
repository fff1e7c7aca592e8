ALTER TABLE organisation
    DROP COLUMN street, DROP COLUMN building_number, DROP COLUMN postal_code, DROP COLUMN town,
    DROP COLUMN country, DROP COLUMN vat_number, DROP COLUMN iban, DROP COLUMN bank_name,
    DROP COLUMN logo_file_id, DROP COLUMN payment_terms_days, DROP COLUMN invoice_footer,
    DROP COLUMN invoice_prefix, DROP COLUMN credit_note_prefix, DROP COLUMN deposits_taxable,
    DROP COLUMN version;
DROP TABLE files;
