import { BatonError, isBatonError } from '../../errors.js';
import type { DbSession, Dialect } from '../dialect.js';
import { parseConnectionUrl } from '../connection-url.js';
import { dialectForUrl } from '../dialects.js';
import type { BatchSizerLimits } from '../backfill/batch-sizer.js';
import { runBackfill, type AppLatency, type BackfillTick } from '../backfill/run-backfill.js';
import { discoverMigrations } from './discover-migrations.js';
import { ensureBookkeeping, ledgerProblems, readLedger, recordApplied, removeApplied, type AppliedMigration } from './ledger.js';
import { defaultRetryPolicy, withLockRetry, type RetryPolicy } from './lock-retry.js';
import type { Migration, MigrationPhase } from './migration.js';
import type { MigrationAnalyzer } from './migration-analyzer.js';
import { MigrationsInvalidError } from './migration-problem.js';
import { planIndexRepairs, type IndexRepair } from './index-repairs.js';
import { acquireRunnerLock } from './runner-lock.js';
import { splitSql, stripComments } from './split-sql.js';
import { defaultTimeoutProfiles, type TimeoutProfiles } from './timeout-profiles.js';

/** Options shared by migrate and revert. Production defaults for every injectable. */
export interface MigrateOptions {
  url: string;
  dir: string;
  /** Apply only pending migrations of this phase (the leading run of them); default: all pending. */
  phase?: MigrationPhase;
  /** Apply only these versions (still in order, still contiguous with what is applied). */
  versions?: readonly number[];
  /** Recorded in the ledger: which release applied the migration. */
  release?: string;
  profiles?: TimeoutProfiles;
  retry?: RetryPolicy;
  /** How long to wait for another runner's lock. Default 60 s. */
  lockWaitMs?: number;
  analyze?: MigrationAnalyzer;
  throttle?: () => Promise<number>;
  load?: { maxLongQueries: number; longQuerySeconds: number; pauseMs: number };
  /** The app's p99 as the probe sees it: backfill batches shrink while it is over the limit. */
  latency?: AppLatency;
  /** Lock-time goals and bounds of the adaptive backfill batch size. */
  batchLimits?: BatchSizerLimits;
  signal?: AbortSignal;
  delay?: (ms: number) => Promise<void>;
  now?: () => number;
  onProgress?(message: string, fraction?: number): void;
  onBackfill?(tick: BackfillTick): void;
  /** Called just before a migration starts (the step checkpoints here). */
  beforeApply?(m: Migration): Promise<void>;
}

export interface AppliedReport {
  version: number;
  name: string;
  phase: MigrationPhase;
  durationMs: number;
  /** Lock timeouts that were retried. */
  lockRetries: number;
  /** For a backfill: rows, batches, and the longest batch transaction (the longest lock hold). */
  backfill?: {
    rowsDone: number;
    batches: number;
    batchesThisRun: number;
    longestBatchMs: number;
    /** Batches the server ended at the lock cap and baton retried at half the size. */
    batchesOverCap: number;
    throttledMs: number;
    batchSizes: { min: number; max: number };
    durationMs: number;
  };
}

export interface MigrateResult {
  applied: AppliedReport[];
  /** INVALID indexes found before the first migration ran, and what was done about each. */
  indexRepairs: IndexRepair[];
  /** Versions already in the ledger before this run. */
  alreadyApplied: number[];
  /** Pending versions left for a later phase. */
  pending: number[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Applies pending migrations: validate the folder, connect, take the runner lock, verify ledger
 * checksums, then run each migration under its timeout profile with lock-timeout retries. Postgres
 * runs each migration (and its ledger row) in one transaction unless it uses CONCURRENTLY.
 */
export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const dialect = dialectForUrl(options.url);
  const { migrations } = await discoverMigrations(options.dir, {
    dialect: dialect.name,
    ...(options.analyze ? { analyze: options.analyze } : {}),
  });
  return withRunner(dialect, migrations, options, async (session, applied) => {
    const done = new Set(applied.map((a) => a.version));
    const pending = migrations.filter((m) => !done.has(m.version));
    const selected = selectPending(pending, options);
    const indexRepairs = selected.length > 0 ? await repairInvalidIndexes(dialect, session, selected, options) : [];
    const reports: AppliedReport[] = [];
    for (const [i, m] of selected.entries()) {
      options.signal?.throwIfAborted();
      options.onProgress?.(`applying ${m.version}_${m.name} (${m.phase})`, i / selected.length);
      await options.beforeApply?.(m);
      reports.push(await applyOne(dialect, session, m, options));
    }
    const appliedNow = new Set(reports.map((r) => r.version));
    return {
      applied: reports,
      indexRepairs,
      alreadyApplied: [...done].sort((a, b) => a - b),
      pending: pending.filter((m) => !appliedNow.has(m.version)).map((m) => m.version),
    };
  });
}

/**
 * Before the first migration runs: finds INVALID indexes (an interrupted CREATE INDEX
 * CONCURRENTLY), drops the ones a migration about to run will build again (concurrently, under the
 * long profile: it waits for open transactions but blocks no reads or writes), and reports the rest.
 * Runs under the runner lock, so no other baton runner is mid-build; builds by other sessions are
 * seen in pg_stat_progress_create_index and left alone.
 */
async function repairInvalidIndexes(
  dialect: Dialect,
  session: DbSession,
  selected: Migration[],
  options: MigrateOptions,
): Promise<IndexRepair[]> {
  const repairs = planIndexRepairs(await dialect.describeTables(session), selected, await dialect.indexBuildsInProgress(session));
  const profile = (options.profiles ?? defaultTimeoutProfiles).long;
  for (const repair of repairs) {
    options.onProgress?.(repair.description);
    if (repair.action !== 'rebuild') continue;
    await dialect.setTimeouts(session, profile, 'session');
    await withLockRetry(() => session.query(dialect.dropIndexOnlineSql(repair.index, repair.table)), options.retry ?? defaultRetryPolicy, {
      isLockTimeout: (e) => dialect.isLockTimeout(e),
      delay: options.delay ?? sleep,
    });
  }
  return repairs;
}

/** Pending migrations to run now: the leading run of the requested phase, in version order. */
function selectPending(pending: Migration[], options: MigrateOptions): Migration[] {
  const rank: Record<MigrationPhase, number> = { expand: 0, backfill: 1, contract: 2 };
  const out: Migration[] = [];
  for (const m of pending) {
    if (options.versions && !options.versions.includes(m.version)) break;
    if (options.phase && m.phase !== options.phase) {
      if (out.length === 0 && rank[m.phase] < rank[options.phase]) {
        throw new BatonError(
          'MIGRATION_ORDER',
          `cannot run ${options.phase} migrations: ${m.version}_${m.name} (${m.phase}) is still pending`,
          {
            hint: `run the ${m.phase} phase first`,
          },
        );
      }
      break;
    }
    out.push(m);
  }
  return out;
}

/** Connects, locks, checks the ledger, runs `body`, always unlocks and disconnects. */
export async function withRunner<T>(
  dialect: Dialect,
  migrations: readonly Migration[],
  options: MigrateOptions,
  body: (session: DbSession, applied: AppliedMigration[]) => Promise<T>,
): Promise<T> {
  const session = await dialect.connect(options.url, { applicationName: 'baton-migrate' });
  try {
    // MariaDB's GET_LOCK is server-wide (pg advisory locks are per database): name the database so
    // two apps sharing a server do not serialize each other's migrations.
    const unlock = await acquireRunnerLock(dialect, session, {
      name: `baton_migrations:${parseConnectionUrl(options.url).database}`.slice(0, 64),
      delay: options.delay ?? sleep,
      now: options.now ?? Date.now,
      ...(options.lockWaitMs === undefined ? {} : { waitMs: options.lockWaitMs }),
      onBusy: (ms) => options.onProgress?.(`waiting for another migration runner (${Math.round(ms / 1000)} s)`),
    });
    try {
      await ensureBookkeeping(dialect, session);
      const applied = await readLedger(dialect, session);
      const problems = ledgerProblems(applied, migrations);
      if (problems.length > 0) throw new MigrationsInvalidError(problems);
      return await body(session, applied);
    } finally {
      await unlock();
    }
  } finally {
    await session.close();
  }
}

async function applyOne(dialect: Dialect, session: DbSession, m: Migration, options: MigrateOptions): Promise<AppliedReport> {
  try {
    return await applyUnwrapped(dialect, session, m, options);
  } catch (error) {
    if (isBatonError(error) || (error instanceof Error && error.name === 'AbortError')) throw error;
    // A statement the server refused is an expected outcome of a bad migration, not a baton bug.
    const message = error instanceof Error ? error.message : String(error);
    const partial = m.backfill
      ? 'committed batches stay done; the next run resumes after them'
      : dialect.transactionalDdl && !m.concurrently
        ? 'the migration was rolled back as a whole'
        : 'statements before the failing one stay applied (no transactional DDL here)';
    throw new BatonError('MIGRATION_FAILED', `${m.version}_${m.name} failed: ${message}`, {
      cause: error,
      hint: `${partial}; fix the migration with a new file (never edit an applied one) or fix the data, then run again`,
    });
  }
}

async function applyUnwrapped(dialect: Dialect, session: DbSession, m: Migration, options: MigrateOptions): Promise<AppliedReport> {
  const profiles = options.profiles ?? defaultTimeoutProfiles;
  const profile = profiles[m.timeout];
  const retry = options.retry ?? defaultRetryPolicy;
  const delay = options.delay ?? sleep;
  const now = options.now ?? Date.now;
  let lockRetries = 0;
  const deps = {
    isLockTimeout: (e: unknown) => dialect.isLockTimeout(e),
    delay,
    onRetry: (n: number, ms: number) => {
      lockRetries++;
      options.onProgress?.(`${m.version}_${m.name}: lock not granted within ${profile.lockTimeoutMs} ms, retry ${n} in ${ms} ms`);
    },
  };
  const started = now();
  let backfill: AppliedReport['backfill'];
  if (m.backfill) {
    const { resumedFromKey: _resumed, ...figures } = await runBackfill({
      dialect,
      session,
      migration: m,
      profile,
      retry,
      delay,
      now,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.throttle ? { throttle: options.throttle } : {}),
      ...(options.load ? { load: options.load } : {}),
      ...(options.latency ? { latency: options.latency } : {}),
      ...(options.batchLimits ? { batchLimits: options.batchLimits } : {}),
      onProgress: (t) => {
        options.onBackfill?.(t);
        options.onProgress?.(`${m.version}_${m.name}: ${t.rowsDone} rows, ${t.batches} batches`, t.fraction);
      },
      onLockRetry: () => lockRetries++,
    });
    backfill = figures;
    await recordApplied(dialect, session, m, now() - started, options.release);
  } else if (dialect.transactionalDdl && !m.concurrently) {
    await withLockRetry(
      async () => {
        await session.query('BEGIN');
        try {
          await dialect.setTimeouts(session, profile, 'local');
          for (const statement of splitSql(m.up)) await session.query(statement);
          await recordApplied(dialect, session, m, now() - started, options.release);
          await session.query('COMMIT');
        } catch (error) {
          await session.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
      },
      retry,
      deps,
    );
  } else {
    // One statement at a time, each retried on its own: MariaDB commits DDL implicitly and
    // CONCURRENTLY refuses transactions, so a whole-file retry would re-run finished statements.
    await dialect.setTimeouts(session, profile, 'session');
    for (const statement of splitSql(m.up)) {
      options.signal?.throwIfAborted();
      await withLockRetry(() => session.query(statement), retry, deps);
    }
    await recordApplied(dialect, session, m, now() - started, options.release);
  }
  return { version: m.version, name: m.name, phase: m.phase, durationMs: now() - started, lockRetries, ...(backfill ? { backfill } : {}) };
}

/**
 * Runs the down SQL of the given applied migrations, newest first, and removes their ledger rows.
 * Only expand migrations are undone: a down for a contract would need data that is gone.
 */
export async function revert(options: MigrateOptions & { versions: readonly number[] }): Promise<number[]> {
  const dialect = dialectForUrl(options.url);
  const { migrations } = await discoverMigrations(options.dir, {
    dialect: dialect.name,
    ...(options.analyze ? { analyze: options.analyze } : {}),
  });
  return withRunner(dialect, migrations, options, async (session, applied) => {
    const done = new Set(applied.map((a) => a.version));
    const targets = migrations.filter((m) => options.versions.includes(m.version) && done.has(m.version)).reverse();
    for (const m of targets) {
      if (m.phase !== 'expand' || m.down === undefined) {
        throw new BatonError('MIGRATION_IRREVERSIBLE', `${m.version}_${m.name} (${m.phase}) has no down SQL baton may run`, {
          hint: 'restore the verified backup, or write a forward fix',
        });
      }
    }
    const profiles = options.profiles ?? defaultTimeoutProfiles;
    const deps = { isLockTimeout: (e: unknown) => dialect.isLockTimeout(e), delay: options.delay ?? sleep };
    for (const m of targets) {
      options.onProgress?.(`reverting ${m.version}_${m.name}`);
      const down = splitSql(m.down ?? '');
      // DROP INDEX CONCURRENTLY, like CREATE, refuses a transaction and takes no blocking lock.
      const concurrently = /\bconcurrently\b/i.test(stripComments(m.down ?? ''));
      const profile = concurrently ? profiles.long : profiles.short;
      if (dialect.transactionalDdl && !concurrently) {
        await withLockRetry(
          async () => {
            await session.query('BEGIN');
            try {
              await dialect.setTimeouts(session, profile, 'local');
              for (const s of down) await session.query(s);
              await removeApplied(dialect, session, m.version);
              await session.query('COMMIT');
            } catch (error) {
              await session.query('ROLLBACK').catch(() => undefined);
              throw error;
            }
          },
          options.retry ?? defaultRetryPolicy,
          deps,
        );
      } else {
        await dialect.setTimeouts(session, profile, 'session');
        for (const s of down) await withLockRetry(() => session.query(s), options.retry ?? defaultRetryPolicy, deps);
        await removeApplied(dialect, session, m.version);
      }
    }
    return targets.map((m) => m.version);
  });
}
