-- baton: phase=expand
CREATE TABLE users (
  id bigserial PRIMARY KEY,
  first_name text NOT NULL,
  last_name text NOT NULL,
  created_at timestamptz DEFAULT now()
);
-- baton: down
DROP TABLE users;
