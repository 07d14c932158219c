-- baton: phase=contract
-- Only after every v1 and v2 pod is gone: v2 still reads the old columns as a fallback.
ALTER TABLE users DROP COLUMN first_name;
ALTER TABLE users DROP COLUMN last_name;
