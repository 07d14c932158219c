import { BatonError } from '../../errors.js';
import type { DbSession, Dialect } from '../dialect.js';
import type { BackfillKey } from './backfill-key.js';

/** The checkpoint row of one backfill in baton_backfill_cursor. Keys are their text forms. */
export interface BackfillCursor {
  version: number;
  keyColumns: string[];
  /** The last key when the backfill first started; rows after it were written by new code. null: the table was empty. */
  endKey: string[] | null;
  /** Every key up to and including this one is done (committed together with this value); null: none yet. */
  lastKey: string[] | null;
  rowsDone: number;
  keysDone: number;
  batches: number;
  /** The adapted batch size, so a resumed run starts where the last one had settled. */
  batchSize: number;
  estRows: number;
  done: boolean;
}

const keyArray = (v: unknown): string[] | null => (v == null ? null : (JSON.parse(String(v)) as unknown[]).map(String));

export async function readCursor(dialect: Dialect, session: DbSession, version: number): Promise<BackfillCursor | undefined> {
  const { rows } = await session.query(
    `SELECT key_columns, end_key, last_key, rows_done, keys_done, batches, batch_size, est_rows, done FROM baton_backfill_cursor WHERE version = ${dialect.param(1)}`,
    [version],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    version,
    keyColumns: keyArray(r.key_columns) ?? [],
    endKey: keyArray(r.end_key),
    lastKey: keyArray(r.last_key),
    rowsDone: Number(r.rows_done),
    keysDone: Number(r.keys_done),
    batches: Number(r.batches),
    batchSize: Number(r.batch_size),
    estRows: Number(r.est_rows),
    done: r.done === true || Number(r.done) === 1,
  };
}

/** Fixes the end of the walk (the largest key now) and writes the first checkpoint. */
export async function startCursor(
  dialect: Dialect,
  session: DbSession,
  version: number,
  key: BackfillKey,
  batchSize: number,
): Promise<BackfillCursor> {
  const cols = key.columns.map((c) => dialect.quoteIdent(c));
  const { rows } = await session.query(
    `SELECT ${cols.map((c, i) => `${dialect.keyAsText(c)} AS k${i}`).join(', ')} FROM ${dialect.quoteIdent(key.table.name)}
      ORDER BY ${cols.map((c) => `${c} DESC`).join(', ')} LIMIT 1`,
  );
  const endKey = rows[0] ? key.columns.map((_, i) => String(rows[0]?.[`k${i}`])) : null;
  const p = (n: number) => dialect.param(n);
  await session.query(
    `INSERT INTO baton_backfill_cursor (version, table_name, key_columns, end_key, last_key, batch_size, est_rows, done)
     VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, NULL, ${p(5)}, ${p(6)}, ${p(7)})`,
    [
      version,
      key.table.name,
      JSON.stringify(key.columns),
      endKey ? JSON.stringify(endKey) : null,
      batchSize,
      Math.round(key.table.rowEstimate),
      endKey === null,
    ],
  );
  return {
    version,
    keyColumns: key.columns,
    endKey,
    lastKey: null,
    rowsDone: 0,
    keysDone: 0,
    batches: 0,
    batchSize,
    estRows: key.table.rowEstimate,
    done: endKey === null,
  };
}

/** Refuses to resume a checkpoint written for another key (the walk order would differ). */
export function assertSameKey(cursor: BackfillCursor, key: BackfillKey, label: string): void {
  if (JSON.stringify(cursor.keyColumns) === JSON.stringify(key.columns)) return;
  throw new BatonError(
    'BACKFILL_SCHEMA_MISMATCH',
    `${label}: the checkpoint walks (${cursor.keyColumns.join(', ')}) but the table's key is now (${key.columns.join(', ')})`,
    {
      hint: 'the key changed since the backfill started; finish it with the old key or delete its row from baton_backfill_cursor to restart it (the UPDATE must be idempotent); nothing was changed',
    },
  );
}

/** Advances the checkpoint; runs inside the batch's transaction so both commit or neither. */
export async function advanceCursor(dialect: Dialect, session: DbSession, cursor: BackfillCursor): Promise<void> {
  const p = (n: number) => dialect.param(n);
  await session.query(
    `UPDATE baton_backfill_cursor SET last_key = ${p(1)}, rows_done = ${p(2)}, keys_done = ${p(3)}, batches = ${p(4)}, batch_size = ${p(5)},
            done = ${p(6)}, updated_at = CURRENT_TIMESTAMP WHERE version = ${p(7)}`,
    [
      cursor.lastKey ? JSON.stringify(cursor.lastKey) : null,
      cursor.rowsDone,
      cursor.keysDone,
      cursor.batches,
      cursor.batchSize,
      cursor.done,
      cursor.version,
    ],
  );
}
