-- baton: phase=expand
-- v2 writes full_name beside the old columns; v3 writes only full_name, so the old columns must
-- accept NULL before v3 runs (dropping NOT NULL only relaxes a constraint: old code is unaffected).
ALTER TABLE users ADD COLUMN full_name text;
ALTER TABLE users ALTER COLUMN first_name DROP NOT NULL;
ALTER TABLE users ALTER COLUMN last_name DROP NOT NULL;
-- baton: down
ALTER TABLE users DROP COLUMN full_name;
