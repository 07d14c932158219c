// Table set-up per engine for the backfill benchmark. Not part of baton.
import type { DbSession } from '../db/dialect.js';

export interface BenchEngine {
  name: 'postgres' | 'mariadb';
  label: string;
  create(session: DbSession, table: string, rows: number): Promise<void>;
  /** The backfill migration (keyset form) for `table`. */
  migration(table: string): string;
  /** The same work as one statement. */
  singleUpdate(table: string): string;
}

export const benchEngines: Record<'postgres' | 'mariadb', BenchEngine> = {
  postgres: {
    name: 'postgres',
    label: 'PostgreSQL',
    async create(session, table, rows) {
      await session.query(
        `CREATE TABLE ${table} (id bigint PRIMARY KEY, first_name text, last_name text, full_name text, seen int NOT NULL DEFAULT 0)`,
      );
      await session.query(
        `INSERT INTO ${table} (id, first_name, last_name) SELECT g, 'first' || g, 'last' || g FROM generate_series(1, ${rows}) g`,
      );
      await session.query(`VACUUM ANALYZE ${table}`);
    },
    migration: (table) =>
      `-- baton: phase=backfill table=${table}\nUPDATE ${table} SET full_name = first_name || ' ' || last_name WHERE :batch AND full_name IS NULL;\n`,
    singleUpdate: (table) => `UPDATE ${table} SET full_name = first_name || ' ' || last_name WHERE full_name IS NULL`,
  },
  mariadb: {
    name: 'mariadb',
    label: 'MariaDB',
    async create(session, table, rows) {
      await session.query(
        `CREATE TABLE ${table} (id BIGINT PRIMARY KEY, first_name VARCHAR(40), last_name VARCHAR(40), full_name VARCHAR(90), seen INT NOT NULL DEFAULT 0) ENGINE=InnoDB`,
      );
      // seq_1_to_N is MariaDB's sequence engine; insert in chunks so no single statement grows the undo log too far.
      const chunk = 500_000;
      for (let lo = 1; lo <= rows; lo += chunk) {
        const hi = Math.min(rows, lo + chunk - 1);
        await session.query(
          `INSERT INTO ${table} (id, first_name, last_name) SELECT seq, CONCAT('first', seq), CONCAT('last', seq) FROM seq_${lo}_to_${hi}`,
        );
      }
      await session.query(`ANALYZE TABLE ${table}`);
    },
    migration: (table) =>
      `-- baton: phase=backfill table=${table}\nUPDATE ${table} SET full_name = CONCAT(first_name, ' ', last_name) WHERE :batch AND full_name IS NULL;\n`,
    singleUpdate: (table) => `UPDATE ${table} SET full_name = CONCAT(first_name, ' ', last_name) WHERE full_name IS NULL`,
  },
};
