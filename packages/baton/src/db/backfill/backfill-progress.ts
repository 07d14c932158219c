import type { DbSession, Dialect } from '../dialect.js';
import type { BackfillSpec } from '../migrations/migration.js';

/** The checkpoint row of one backfill in baton_backfill_progress. */
export interface BackfillProgress {
  version: number;
  minKey: bigint;
  maxKey: bigint;
  /** Every key <= lastKey is done (committed together with this value). */
  lastKey: bigint;
  rowsDone: number;
  batches: number;
  done: boolean;
}

export async function readProgress(dialect: Dialect, session: DbSession, version: number): Promise<BackfillProgress | undefined> {
  const { rows } = await session.query(
    `SELECT min_key, max_key, last_key, rows_done, batches, done FROM baton_backfill_progress WHERE version = ${dialect.param(1)}`,
    [version],
  );
  const r = rows[0];
  if (!r) return undefined;
  return {
    version,
    minKey: BigInt(String(r.min_key)),
    maxKey: BigInt(String(r.max_key)),
    lastKey: BigInt(String(r.last_key)),
    rowsDone: Number(r.rows_done),
    batches: Number(r.batches),
    done: r.done === true || Number(r.done) === 1,
  };
}

/** Fixes the key range (min..max now) and writes the first checkpoint. An empty table is done at once. */
export async function startProgress(dialect: Dialect, session: DbSession, version: number, spec: BackfillSpec): Promise<BackfillProgress> {
  const key = dialect.quoteIdent(spec.key);
  const { rows } = await session.query(`SELECT MIN(${key}) AS lo, MAX(${key}) AS hi FROM ${dialect.quoteIdent(spec.table)}`);
  const lo = rows[0]?.lo;
  const hi = rows[0]?.hi;
  const minKey = lo == null ? 0n : BigInt(String(lo));
  const maxKey = hi == null ? -1n : BigInt(String(hi));
  const p = (n: number) => dialect.param(n);
  await session.query(
    `INSERT INTO baton_backfill_progress (version, table_name, key_column, min_key, max_key, last_key)
     VALUES (${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)})`,
    [version, spec.table, spec.key, minKey.toString(), maxKey.toString(), (minKey - 1n).toString()],
  );
  return { version, minKey, maxKey, lastKey: minKey - 1n, rowsDone: 0, batches: 0, done: false };
}
