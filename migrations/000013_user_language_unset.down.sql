-- Everyone without a language gets German, the default before 000013.
UPDATE users SET language = 'de' WHERE language IS NULL;
ALTER TABLE users ALTER COLUMN language SET NOT NULL;
ALTER TABLE users ALTER COLUMN language SET DEFAULT 'de';
