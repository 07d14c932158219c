import { BatonError } from '../../errors.js';
import type { DbSession, Dialect } from '../dialect.js';
import type { Migration } from '../migrations/migration.js';
import type { LiveTable } from '../schema/live-schema.js';

/** The key a backfill walks, checked against the live table. */
export interface BackfillKey {
  table: LiveTable;
  columns: string[];
}

const integerType = /^(tinyint|smallint|mediumint|int|integer|bigint|int2|int4|int8)\b/i;
// Keys travel as text between batches; binary values would not survive that on MariaDB.
const binaryType = /\b(binary|varbinary|blob|tinyblob|mediumblob|longblob|bytea|bit)\b/i;

/**
 * Resolves and checks the key of a backfill against the live table, before any row changes:
 * the table and columns must exist, the key must be unique and NOT NULL (else a batch boundary
 * could split or repeat rows and a resume could not find its place), and an index must lead with
 * it (else every batch would scan the table). No key declared means the primary key; a table
 * without one is refused with the reason.
 */
export async function resolveBackfillKey(dialect: Dialect, session: DbSession, migration: Migration): Promise<BackfillKey> {
  const spec = migration.backfill;
  if (!spec) throw new Error(`migration ${migration.version} is not a backfill`);
  const label = `${migration.version}_${migration.name}`;
  const tables = await dialect.describeTables(session);
  const wanted = spec.table.toLowerCase();
  const table = tables.find((t) => t.name.toLowerCase() === wanted);
  if (!table) {
    throw new BatonError(
      'BACKFILL_SCHEMA_MISMATCH',
      `${label}: table ${spec.table} does not exist in the database, but the backfill expects it`,
      {
        hint: 'apply the expand migration that creates it first, or point baton at the right database; nothing was changed',
      },
    );
  }
  if (spec.key.length === 0 && table.primaryKey.length === 0) {
    throw new BatonError(
      'BACKFILL_NO_KEY',
      `${label}: table ${table.name} has no primary key, so baton cannot walk it in resumable batches`,
      {
        hint: "without a unique, NOT NULL key a batch boundary can split or repeat rows and a resume cannot find its place: add a primary key in an expand migration, or name a unique NOT NULL index's columns with key=; nothing was changed",
      },
    );
  }
  const columns = spec.key.length > 0 ? spec.key : table.primaryKey;
  const live = columns.map((name) => table.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()));
  const missing = columns.filter((_, i) => live[i] === undefined);
  if (missing.length > 0) {
    throw new BatonError(
      'BACKFILL_SCHEMA_MISMATCH',
      `${label}: table ${table.name} has no column ${missing.join(', ')}, but the backfill's key= names it`,
      {
        hint: `the key columns of ${table.name} are ${table.primaryKey.join(', ') || '(no primary key)'}; fix key= or apply the migration that adds the column; nothing was changed`,
      },
    );
  }
  const names = live.map((c) => c?.name ?? '');
  const nullable = live.filter((c) => c?.nullable).map((c) => c?.name);
  const unique = table.indexes.some((i) => i.unique && i.valid && i.columns.every((c) => names.includes(c)));
  if (!unique || nullable.length > 0) {
    throw new BatonError(
      'BACKFILL_KEY_NOT_UNIQUE',
      `${label}: key (${names.join(', ')}) of ${table.name} is not ${nullable.length > 0 ? `NOT NULL (${nullable.join(', ')} accepts NULL)` : 'unique (no unique index covers it)'}`,
      {
        hint: 'a backfill key must identify each row exactly once: use the primary key (leave key= out) or a unique index on NOT NULL columns; nothing was changed',
      },
    );
  }
  const leading = table.indexes.some((i) => i.valid && names.every((c, k) => i.columns[k] === c));
  if (!leading) {
    throw new BatonError(
      'BACKFILL_KEY_NOT_INDEXED',
      `${label}: no index of ${table.name} starts with (${names.join(', ')}), so every batch would scan the table`,
      {
        hint: "order key= as the index orders its columns (e.g. the primary key's order), or create the index first; nothing was changed",
      },
    );
  }
  const binary = live.filter((c) => c && binaryType.test(c.type)).map((c) => c?.name);
  if (binary.length > 0) {
    throw new BatonError(
      'BACKFILL_KEY_TYPE',
      `${label}: key column ${binary.join(', ')} of ${table.name} is binary; baton checkpoints keys as text`,
      {
        hint: 'walk a unique non-binary key instead (key=...); nothing was changed',
      },
    );
  }
  if (spec.bounds === 'range' && (names.length !== 1 || !integerType.test(live[0]?.type ?? ''))) {
    throw new BatonError(
      'BACKFILL_KEY_TYPE',
      `${label}: :start/:end bind one integer key, but the key of ${table.name} is (${names.join(', ')}: ${live.map((c) => c?.type).join(', ')})`,
      {
        hint: 'write WHERE :batch AND ... instead of the :start/:end range: baton then walks keys of any type, composite ones included; nothing was changed',
      },
    );
  }
  return { table, columns: names };
}
