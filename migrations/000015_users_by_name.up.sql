-- The list of people shows the name first and is sorted by it,
-- case-insensitively, then by email and id (both unique), and paged by all
-- three.
CREATE INDEX users_name_idx ON users (lower(name), email, id);
