import { BatonError } from '../../errors.js';
import type { DbSession, Dialect, TimeoutProfile } from '../dialect.js';
import type { Migration } from '../migrations/migration.js';
import { withLockRetry, type RetryPolicy } from '../migrations/lock-retry.js';
import { resolveBackfillKey, type BackfillKey } from './backfill-key.js';
import { advanceCursor, assertSameKey, readCursor, startCursor, type BackfillCursor } from './backfill-progress.js';
import { defaultBatchLimits, nextBatchSize, type BatchSizerLimits } from './batch-sizer.js';
import { KeysetBatch } from './keyset-batch.js';
import { limitsUnderCap, lockCapMs } from './lock-cap.js';

/** Progress of a running backfill, after each committed batch. */
export interface BackfillTick {
  version: number;
  rowsDone: number;
  batches: number;
  /** 0..1: keys walked over the table's estimated row count (1 once done). */
  fraction: number;
  /** The last committed key (JSON array of its columns' text forms). */
  lastKey: string;
  maxKey: string;
  /** The size the next batch will have. */
  batchSize: number;
  /** How long this batch held its row locks. */
  lockMs: number;
}

/** The application's latency as a probe sees it; the batch size halves while p99 is over the limit. */
export interface AppLatency {
  p99Ms(): number | undefined;
  maxP99Ms: number;
  /**
   * After the p99 shrank a batch, it is not read again for this long (default 1000 ms), so one
   * slow window halves the batch once, not once per batch while the window still holds it.
   */
  cooldownMs?: number;
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
  /** Shrinks batches while the app's p99 is over its limit. */
  latency?: AppLatency;
  /** Lock-time goals of the adaptive batch size (default: aim at 40 ms, never above 100 ms). */
  batchLimits?: BatchSizerLimits;
  onProgress?(tick: BackfillTick): void;
  onLockRetry?(): void;
}

export interface BackfillResult {
  rowsDone: number;
  batches: number;
  /** Batches this call ran (the rest were done before a crash). */
  batchesThisRun: number;
  /** The checkpointed key this call resumed after (JSON), or null when it started fresh. */
  resumedFromKey: string | null;
  /**
   * The longest batch transaction: the longest time this backfill held row locks, batches the
   * server ended at the lock cap included.
   */
  longestBatchMs: number;
  /** Batches the server ended at the lock cap (`maxLockMs`) and baton retried at half the size. */
  batchesOverCap: number;
  throttledMs: number;
  /** Smallest and largest batch size this call used. */
  batchSizes: { min: number; max: number };
  /** This call's time from the key check to the last commit (the whole backfill when it started fresh). */
  durationMs: number;
}

/**
 * Runs a backfill migration by keyset pagination: each batch is its own short transaction that
 * also advances the checkpoint (last committed key), so a crash loses at most the batch in
 * flight and a rerun continues after the last committed key. The walk ends at the largest key
 * present when the backfill first started: rows inserted later are written by new code, which
 * already fills the new column. The key is checked against the live table before any change.
 */
export async function runBackfill(options: BackfillOptions): Promise<BackfillResult> {
  const { dialect, session, migration } = options;
  const spec = migration.backfill;
  if (!spec) throw new Error(`migration ${migration.version} is not a backfill`);
  const key = await resolveBackfillKey(dialect, session, migration);
  const capMs = lockCapMs(options.batchLimits ?? defaultBatchLimits, dialect);
  const limits = limitsUnderCap(options.batchLimits ?? defaultBatchLimits, capMs);
  let cursor = await readCursor(dialect, session, migration.version);
  if (cursor) assertSameKey(cursor, key, `${migration.version}_${migration.name}`);
  cursor ??= await startCursor(dialect, session, migration.version, key, Math.min(limits.max, Math.max(limits.min, spec.batch)));
  const resumedFromKey = cursor.lastKey ? JSON.stringify(cursor.lastKey) : null;
  const batch = new KeysetBatch(dialect, key, migration);
  const started = options.now();
  const stats = {
    batchesThisRun: 0,
    longestBatchMs: 0,
    throttledMs: 0,
    min: cursor.batchSize,
    max: cursor.batchSize,
    latencyQuietUntil: 0,
    perKeyMs: undefined as number | undefined,
    batchesOverCap: 0,
    changeStartedAt: undefined as number | undefined,
    overCapStreak: 0,
    overCapStreakMs: 0,
  };
  // The lock cap (lock-cap.ts): the server ends any statement of a batch that runs past it,
  // waiting for a lock included. Set once for the session, not SET LOCAL per batch: two round
  // trips fewer per batch.
  await dialect.setTimeouts(session, { ...options.profile, statementTimeoutMs: capMs }, 'session');
  // The migrations after this one, and its ledger row, run under their own profile.
  const restore = () => dialect.setTimeouts(session, options.profile, 'session');
  try {
    while (!cursor.done && cursor.endKey) {
      options.signal?.throwIfAborted();
      stats.throttledMs += await brake(options);
      stats.changeStartedAt = undefined;
      try {
        cursor = await runOneBatch(options, key, batch, cursor, limits, stats);
        stats.overCapStreakMs = 0;
        stats.overCapStreak = 0;
      } catch (error) {
        if (!dialect.isStatementTimeout(error)) throw error;
        // Row locks were held from the changing statement's start; a bound query that timed out held none.
        const heldMs = stats.changeStartedAt === undefined ? 0 : options.now() - stats.changeStartedAt;
        cursor = await retryUnderCap(options, cursor, limits, capMs, stats, heldMs);
      }
    }
  } catch (error) {
    // The failure is what the caller needs; a session too broken to restore is closed by it anyway.
    await restore().catch(() => undefined);
    throw error;
  }
  await restore();
  return {
    rowsDone: cursor.rowsDone,
    batches: cursor.batches,
    batchesThisRun: stats.batchesThisRun,
    resumedFromKey,
    longestBatchMs: stats.longestBatchMs,
    batchesOverCap: stats.batchesOverCap,
    throttledMs: stats.throttledMs,
    batchSizes: { min: stats.min, max: stats.max },
    durationMs: options.now() - started,
  };
}

/**
 * A batch the server ended at the lock cap: its changes and its checkpoint were undone together,
 * so the next try is the same range at half the size. It held its locks for `heldMs`, and that
 * counts toward the longest lock. Once batches are at the smallest size and still end at the cap
 * (a session holds their rows' locks, or every row is that slow), baton waits with a growing
 * pause, as patient as the lock-timeout retries, then stops with the reason; nothing is lost.
 */
async function retryUnderCap(
  options: BackfillOptions,
  cursor: BackfillCursor,
  limits: BatchSizerLimits,
  capMs: number,
  stats: BatchStats,
  heldMs: number,
): Promise<BackfillCursor> {
  stats.batchesOverCap++;
  stats.longestBatchMs = Math.max(stats.longestBatchMs, heldMs);
  // The session's transaction, if the batch opened one, is already rolled back by runOneBatch.
  const smaller = nextBatchSize(cursor.batchSize, { keys: cursor.batchSize, lockMs: heldMs, lockTimedOut: true }, limits);
  if (smaller === cursor.batchSize) {
    const patienceMs = options.profile.lockTimeoutMs * (options.retry.retries + 1);
    if (stats.overCapStreakMs >= patienceMs) {
      const m = options.migration;
      throw new BatonError(
        'BACKFILL_BATCH_OVER_CAP',
        `backfill ${m.version}_${m.name}: batches of ${cursor.batchSize} rows of ${m.backfill?.table} kept running past the ${capMs} ms lock cap for ${Math.round(stats.overCapStreakMs / 1000)} s`,
        {
          hint: 'another session holds locks on those rows, or each row is that slow to change: find the blocker (pg_stat_activity / SHOW PROCESSLIST) and run baton again; it resumes after the last committed key, nothing is lost',
        },
      );
    }
    const pause = Math.min(1000, 25 * 2 ** stats.overCapStreak);
    await options.delay(pause);
    stats.overCapStreak++;
    stats.overCapStreakMs += pause + heldMs;
  }
  return { ...cursor, batchSize: smaller };
}

async function runOneBatch(
  options: BackfillOptions,
  key: BackfillKey,
  batch: KeysetBatch,
  cursor: BackfillCursor,
  limits: BatchSizerLimits,
  stats: BatchStats,
): Promise<BackfillCursor> {
  const { dialect, session, migration } = options;
  const end = cursor.endKey ?? [];
  const keyOf = (rows: Record<string, unknown>[]) => (rows[0] ? key.columns.map((_, i) => String(rows[0]?.[`k${i}`])) : undefined);
  // Bounds are read outside the transaction: picking them takes no lock.
  const bound = batch.upperBound(cursor.lastKey, end, cursor.batchSize);
  const upper = keyOf((await session.query(bound.sql, bound.params)).rows);
  // The walk ends at the end key: no key left after it, or this batch reaches it exactly.
  const last = upper === undefined || JSON.stringify(upper) === JSON.stringify(end);
  let first: string[] | undefined;
  if (cursor.lastKey === null && migration.backfill?.bounds === 'range') {
    const q = batch.firstKey(null, end);
    first = keyOf((await session.query(q.sql, q.params)).rows);
  }
  const statement = batch.statement(cursor.lastKey, upper ?? end, first ?? end);
  let lockTimedOut = false;
  let lockMs = 0;
  const size = cursor.batchSize;
  const next = (changed: number): BackfillCursor => ({
    ...cursor,
    lastKey: upper ?? end,
    rowsDone: cursor.rowsDone + changed,
    // A full batch covered exactly `size` keys; the last one at most that many (the fraction is 1 then).
    keysDone: cursor.keysDone + size,
    batches: cursor.batches + 1,
    done: last,
  });
  let advanced = next(0);
  const atomic = batch.withCheckpoint(statement, { ...advanced, lastKey: advanced.lastKey ?? end });
  await withLockRetry(
    async () => {
      const began = options.now();
      stats.changeStartedAt = began;
      if (atomic) {
        // One autocommit statement: the batch and its checkpoint commit together or not at all.
        try {
          const { rows } = await session.query(atomic.sql, atomic.params);
          if (Number(rows[0]?.checkpointed) !== 1) throw new Error(`backfill ${migration.version}: its checkpoint row is gone`);
          advanced = next(Number(rows[0]?.changed ?? 0));
          lockMs = options.now() - began;
          return;
        } catch (error) {
          if (dialect.isLockTimeout(error)) lockTimedOut = true;
          throw error;
        }
      }
      await session.query('BEGIN');
      try {
        const { rowCount } = await session.query(statement.sql, statement.params);
        advanced = next(rowCount);
        await advanceCursor(dialect, session, advanced);
        await session.query('COMMIT');
        lockMs = options.now() - began;
      } catch (error) {
        await session.query('ROLLBACK').catch(() => undefined);
        if (dialect.isLockTimeout(error)) lockTimedOut = true;
        throw error;
      }
    },
    options.retry,
    { isLockTimeout: (e) => dialect.isLockTimeout(e), delay: options.delay, onRetry: () => options.onLockRetry?.() },
  );
  // Sized from the full lock time, commit (WAL flush) included; checkpointed with the next batch.
  const latency = options.now() >= stats.latencyQuietUntil ? latencyOf(options) : {};
  // Per-key cost smoothed over batches, so one stalled batch (a CPU or fsync hiccup) does not set the size alone.
  const perKey = lockMs / Math.max(1, size);
  stats.perKeyMs = stats.perKeyMs === undefined ? perKey : 0.7 * stats.perKeyMs + 0.3 * perKey;
  const nextSize = nextBatchSize(size, { keys: size, lockMs, perKeyMs: stats.perKeyMs, lockTimedOut, ...latency }, limits);
  if (latency.appP99Ms !== undefined && latency.maxAppP99Ms !== undefined && latency.appP99Ms > latency.maxAppP99Ms) {
    stats.latencyQuietUntil = options.now() + (options.latency?.cooldownMs ?? 1000);
  }
  advanced = { ...advanced, batchSize: nextSize };
  stats.batchesThisRun++;
  stats.longestBatchMs = Math.max(stats.longestBatchMs, lockMs);
  stats.min = Math.min(stats.min, cursor.batchSize);
  stats.max = Math.max(stats.max, cursor.batchSize);
  options.onProgress?.({
    version: migration.version,
    rowsDone: advanced.rowsDone,
    batches: advanced.batches,
    fraction: advanced.done ? 1 : Math.min(0.999, advanced.keysDone / Math.max(1, advanced.estRows, advanced.keysDone + 1)),
    lastKey: JSON.stringify(advanced.lastKey),
    maxKey: JSON.stringify(end),
    batchSize: advanced.batchSize,
    lockMs,
  });
  return advanced;
}

interface BatchStats {
  batchesThisRun: number;
  longestBatchMs: number;
  min: number;
  max: number;
  latencyQuietUntil: number;
  perKeyMs?: number | undefined;
  batchesOverCap: number;
  /** When the current batch's changing statement started (its row locks are held from then). */
  changeStartedAt?: number | undefined;
  /** How many batches at the smallest size in a row ended at the cap, and for how long, pauses included. */
  overCapStreak: number;
  overCapStreakMs: number;
}

function latencyOf(options: BackfillOptions): { appP99Ms?: number; maxAppP99Ms?: number } {
  const p99 = options.latency?.p99Ms();
  return p99 === undefined || !options.latency ? {} : { appP99Ms: p99, maxAppP99Ms: options.latency.maxP99Ms };
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
