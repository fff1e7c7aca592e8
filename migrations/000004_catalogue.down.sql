DROP TABLE IF EXISTS item_suppliers;
DROP TABLE IF EXISTS items;
DROP TABLE IF EXISTS locations;
DROP TABLE IF EXISTS customers;
DROP FUNCTION IF EXISTS customers_number_fixed();
DROP SEQUENCE IF EXISTS customers_number_seq;
DROP TABLE IF EXISTS suppliers;
DROP TABLE IF EXISTS categories;
