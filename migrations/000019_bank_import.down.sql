DROP INDEX payments_bank_credit_key;
ALTER TABLE payments DROP COLUMN bank_credit_id;
DROP TABLE bank_credits;
DROP TABLE bank_imports;
