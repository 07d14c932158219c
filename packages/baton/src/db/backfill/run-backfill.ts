import type { DbSession, Dialect, TimeoutProfile } from '../dialect.js';
import type { Migration } from '../migrations/migration.js';
import { withLockRetry, type RetryPolicy } from '../migrations/lock-retry.js';
import { bindRange } from '../migrations/parse-migration-file.js';
import { readProgress, startProgress, type BackfillProgress } from './backfill-progress.js';

/** Progress of a running backfill, after each committed batch. */
export interface BackfillTick {
  version: number;
  rowsDone: number;
  batches: number;
  /** 0..1 of the key range walked. */
  fraction: number;
  lastKey: string;
  maxKey: string;
}

export interface BackfillOptions {
  dialect: Dialect;
  session: DbSession;
  migration: Migration;
  profile: TimeoutProfile;
  retry: RetryPolicy;
  delay(ms: number): Promise<void>;
  now(): number;
  signal?: AbortSignal;
  /** Caller's brake (the engine plugs in probe p99 / error rate): ms to wait, 0 = go. */
  throttle?: () => Promise<number>;
  /** Pause while more than `maxLongQueries` statements run longer than `longQuerySeconds`. */
  load?: { maxLongQueries: number; longQuerySeconds: number; pauseMs: number };
  onProgress?(tick: BackfillTick): void;
  onLockRetry?(): void;
}

export interface BackfillResult {
  rowsDone: number;
  batches: number;
  /** Batches this call ran (the rest were done before a crash). */
  batchesThisRun: number;
  resumedFromKey: string | null;
  /** The longest batch transaction: the longest time this backfill held row locks. */
  longestBatchMs: number;
  throttledMs: number;
}

/**
 * Runs a backfill migration in key-range batches [start, end), each its own short transaction
 * that also advances the checkpoint row, so a crash loses at most the batch in flight (rolled back)
 * and a rerun starts after the last committed batch. The range is fixed at the first start (min..max
 * of the key): rows inserted later are written by new code, which already fills the new column.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const { dialect, session, migration } = options;
  const spec = migration.backfill;
  if (!spec) throw new Error(`migration ${migration.version} is not a backfill`);
  let progress: BackfillProgress = (await readProgress(dialect, session, migration.version)) ?? (await startProgress(dialect, session, migration.version, spec));
  const resumedFromKey = progress.batches > 0 ? progress.lastKey.toString() : null;
  let batchesThisRun = 0;
  let longestBatchMs = 0;
  let throttledMs = 0;
  const span = progress.maxKey - progress.minKey + 1n;
  const p = (n: number) => dialect.param(n);
  while (progress.lastKey < progress.maxKey) {
    options.signal?.throwIfAborted();
    throttledMs += await brake(options);
    const start = progress.lastKey + 1n;
    const stop = start + BigInt(spec.batch) > progress.maxKey + 1n ? progress.maxKey + 1n : start + BigInt(spec.batch);
    const sql = bindRange(migration.up, start, stop);
    const began = options.now();
    const changed = await withLockRetry(
      async () => {
        await session.query('BEGIN');
        try {
          await dialect.setTimeouts(session, options.profile, 'local');
          const { rowCount } = await session.query(sql);
          await session.query(
            `UPDATE baton_backfill_progress SET last_key = ${p(1)}, rows_done = rows_done + ${p(2)}, batches = batches + 1,
                    updated_at = CURRENT_TIMESTAMP WHERE version = ${p(3)}`,
            [(stop - 1n).toString(), rowCount, migration.version],
          );
          await session.query('COMMIT');
          return rowCount;
        } catch (error) {
          await session.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      options.retry,
      { isLockTimeout: (e) => dialect.isLockTimeout(e), delay: options.delay, onRetry: () => options.onLockRetry?.() },
    );
    longestBatchMs = Math.max(longestBatchMs, options.now() - began);
    batchesThisRun++;
    progress = { ...progress, lastKey: stop - 1n, rowsDone: progress.rowsDone + changed, batches: progress.batches + 1 };
    options.onProgress?.({
      version: migration.version,
      rowsDone: progress.rowsDone,
      batches: progress.batches,
      fraction: span > 0n ? Number(progress.lastKey - progress.minKey + 1n) / Number(span) : 1,
      lastKey: progress.lastKey.toString(),
      maxKey: progress.maxKey.toString(),
    });
  }
  await session.query(`UPDATE baton_backfill_progress SET done = ${dialect.name === 'postgres' ? 'true' : '1'} WHERE version = ${p(1)}`, [migration.version]);
  return { rowsDone: progress.rowsDone, batches: progress.batches, batchesThisRun, resumedFromKey, longestBatchMs, throttledMs };
}

/** Waits while the caller's throttle or the database's load says so; returns the time waited. */
async function brake(options: BackfillOptions): Promise<number> {
  let waited = 0;
  for (;;) {
    let ms = options.throttle ? Math.max(0, await options.throttle()) : 0;
    if (ms === 0 && options.load) {
      const busy = await options.dialect.countLongRunningQueries(options.session, options.load.longQuerySeconds);
      if (busy > options.load.maxLongQueries) ms = options.load.pauseMs;
    }
    if (ms === 0) return waited;
    await options.delay(ms);
    waited += ms;
    options.signal?.throwIfAborted();
  }
}
