-- A person may have no language yet: the first admin created without
-- ADMIN_LANGUAGE, or anyone created without one, takes the language their
-- first sign-in names (the browser's). NULL is "none yet"; the check still
-- allows only the languages the screens have.
ALTER TABLE users ALTER COLUMN language DROP DEFAULT;
ALTER TABLE users ALTER COLUMN language DROP NOT NULL;
