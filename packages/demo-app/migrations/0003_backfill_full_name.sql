-- baton: phase=backfill table=users key=id batch=1000
-- Rows written by v1 (and by v1 pods still draining while v2 rolled out) get full_name, one key
-- range per short transaction, so v3 (which reads full_name only) sees every user.
UPDATE users SET full_name = first_name || ' ' || last_name
WHERE id >= :start AND id < :end AND full_name IS NULL;
