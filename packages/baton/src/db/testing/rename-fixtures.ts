import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DialectName } from '../dialect.js';

/** Path of the demo app's migrations (postgres), relative to this compiled file. */
export const demoMigrationsDir = new URL('../../../../demo-app/migrations/', import.meta.url).pathname;

/** The users(first_name,last_name) -> full_name rename for MariaDB, same shape as the demo's. */
const mysqlRename: Record<string, string> = {
  '0001_create_users.sql': `-- baton: phase=expand
CREATE TABLE users (id BIGINT AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(100) NULL, last_name VARCHAR(100) NULL,
  created_at DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6)) ENGINE=InnoDB;
-- baton: down
DROP TABLE users;
`,
  '0002_add_full_name.sql': `-- baton: phase=expand
ALTER TABLE users ADD COLUMN full_name VARCHAR(255) NULL;
-- baton: down
ALTER TABLE users DROP COLUMN full_name;
`,
  '0003_backfill_full_name.sql': `-- baton: phase=backfill table=users key=id batch=1000
UPDATE users SET full_name = CONCAT(first_name, ' ', last_name)
WHERE id >= :start AND id < :end AND full_name IS NULL;
`,
  '0004_drop_first_last_name.sql': `-- baton: phase=contract
ALTER TABLE users DROP COLUMN first_name, DROP COLUMN last_name;
`,
};

/** A migrations folder for the rename in the given dialect (postgres: a copy of the demo's files). */
export async function renameMigrations(dialect: DialectName): Promise<string> {
  if (dialect === 'postgres') return demoMigrationsDir;
  return writeMigrations(mysqlRename);
}

/** Writes `files` (name -> text) into a fresh temp folder and returns it. */
export async function writeMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'baton-migrations-'));
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  return dir;
}
