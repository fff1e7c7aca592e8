DROP TABLE IF EXISTS movements;
DROP FUNCTION IF EXISTS movements_append_only();
DROP TABLE IF EXISTS stock;
