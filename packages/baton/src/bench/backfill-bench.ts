// Backfill benchmark: baton's keyset backfill next to one big UPDATE doing the same work, with a
// concurrent point reader and writer measuring what users feel, beside pgroll's published figure.
// Run: npm run bench -- backfill-bench   (sizes and runs: BACKFILL_BENCH_SIZES=10000,1000000,10000000
//      BACKFILL_BENCH_TARGET_LOCK_MS=15 (the batch sizer's lock-time target; default baton's)
//      BACKFILL_BENCH_RUNS=3 BACKFILL_BENCH_ENGINES=postgres,mariadb, or the same as --sizes/--runs/--engines
//      when running dist/bench/backfill-bench.js directly)
// Prints figures; asserts nothing (timing goals are never test assertions).
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { DbSession } from '../db/dialect.js';
import { defaultBatchLimits } from '../db/backfill/batch-sizer.js';
import { migrate } from '../db/migrations/migrate.js';
import { machineTarget, scratchDatabase } from '../db/testing/db-targets.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { percentile, startLoad, type LoadFigures } from './backfill-bench-load.js';
import { benchEngines, type BenchEngine } from './backfill-bench-tables.js';

const { values } = parseArgs({
  strict: false,
  options: { sizes: { type: 'string' }, runs: { type: 'string' }, engines: { type: 'string' }, 'target-lock-ms': { type: 'string' } },
});
const str = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
const sizes = str(values.sizes, process.env.BACKFILL_BENCH_SIZES ?? '10000,1000000')
  .split(',')
  .map(Number);
const runs = Number(str(values.runs, process.env.BACKFILL_BENCH_RUNS ?? '3'));
// The batch sizer's lock-time target, to see the trade between throughput and lock waits (default: baton's).
const targetLockMs = Number(
  str(values['target-lock-ms'], process.env.BACKFILL_BENCH_TARGET_LOCK_MS ?? String(defaultBatchLimits.targetLockMs)),
);
const engines = str(values.engines, process.env.BACKFILL_BENCH_ENGINES ?? 'postgres,mariadb').split(',') as ('postgres' | 'mariadb')[];

interface RunFigures {
  setupMs: number;
  batonRowsPerS: number;
  singleRowsPerS: number;
  batonLockMs: number;
  singleLockMs: number;
  baseline: LoadFigures;
  baton: LoadFigures;
  single: LoadFigures;
  batches: number;
  batchSizes: { min: number; max: number };
  batchesOverCap: number;
}

async function checkFilled(session: DbSession, table: string): Promise<void> {
  const missing = Number((await session.query(`SELECT COUNT(*) AS n FROM ${table} WHERE full_name IS NULL`)).rows[0]?.n);
  if (missing !== 0) throw new Error(`${table}: ${missing} rows not filled`);
}

/** The control table's size: small enough to stay in the buffer cache at every bench size. */
const control = { table: 'bench_control', rows: 10_000 };

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function oneRun(engine: BenchEngine, rows: number): Promise<RunFigures> {
  const target = await machineTarget(engine.name);
  const db = await scratchDatabase(target);
  const dir = await writeMigrations({ '0001_backfill_full_name.sql': engine.migration('users_a') });
  const session = await target.dialect.connect(db.url);
  try {
    // Each table is created just before it is measured and dropped after, so neither side runs on
    // a table the other pushed out of the buffer cache (two 10M-row tables do not fit in 128 MB).
    await engine.create(session, control.table, control.rows);
    await engine.create(session, 'users_a', rows);
    // The writer's p99 with nothing else running: the bar the backfill is judged against.
    let load = await startLoad(db.url, 'users_a', rows, control);
    await sleep(3000);
    const baseline = await load.stop();

    load = await startLoad(db.url, 'users_a', rows, control);
    const current = load;
    let t0 = performance.now();
    const result = await migrate({
      url: db.url,
      dir,
      // The app's p99 as a probe would report it, against the goal itself (1.5x the baseline):
      // over it, batches halve down to the sizer's floor.
      latency: { p99Ms: () => current.recentWriteP99(), maxP99Ms: 1.5 * baseline.writeP99 },
      batchLimits: { ...defaultBatchLimits, targetLockMs },
    });
    // The backfill's own time (key check to last commit), as the single UPDATE's is its statement's;
    // migrate()'s one-off set-up (parse, runner lock, ledger) is printed apart.
    const migrateMs = performance.now() - t0;
    const baton = await load.stop();
    const figures = result.applied[0]?.backfill;
    const batonMs = figures?.durationMs ?? migrateMs;

    await checkFilled(session, 'users_a');
    await session.query('DROP TABLE users_a');
    await engine.create(session, 'users_b', rows);
    load = await startLoad(db.url, 'users_b', rows, control);
    t0 = performance.now();
    await session.query(engine.singleUpdate('users_b'));
    const singleMs = performance.now() - t0;
    const single = await load.stop();

    await checkFilled(session, 'users_b');
    return {
      setupMs: migrateMs - batonMs,
      batonRowsPerS: rows / (batonMs / 1000),
      singleRowsPerS: rows / (singleMs / 1000),
      batonLockMs: figures?.longestBatchMs ?? 0,
      singleLockMs: singleMs,
      baseline,
      baton,
      single,
      batches: figures?.batches ?? 0,
      batchSizes: figures?.batchSizes ?? { min: 0, max: 0 },
      batchesOverCap: figures?.batchesOverCap ?? 0,
    };
  } finally {
    await session.close();
    await db.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

// pgroll's CI benchmark (dev/benchmark-results, Nov 2024, PG 14-17 on a GitHub runner).
function pgrollFigure(rows: number): string {
  if (rows <= 10_000) return '50-56k (10k rows)';
  if (rows <= 100_000) return '21-28k (100k rows)';
  return '9.4-11k (300k rows; none larger)';
}

const median = (xs: number[]) => percentile(xs, 50);
const f = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: n < 100 ? 1 : 0 });

async function main(): Promise<void> {
  const table: string[] = [];
  table.push(
    '| engine | rows | baton rows/s | single UPDATE rows/s | baton / single | pgroll published rows/s | longest lock baton / single (ms) | writer p99 baseline / baton / single (ms) | writer p99 baton / baseline | control-table writer p99 baseline / baton / single (ms) | writes measured during baton | batches (size min-max) |',
  );
  table.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const name of engines) {
    const engine = benchEngines[name];
    for (const rows of sizes) {
      const all: RunFigures[] = [];
      for (let i = 0; i < runs; i++) {
        const r = await oneRun(engine, rows);
        all.push(r);
        console.log(
          `${engine.label} ${f(rows)} rows, run ${i + 1}/${runs}: baton ${f(r.batonRowsPerS)} rows/s, single ${f(r.singleRowsPerS)} rows/s (${(r.batonRowsPerS / r.singleRowsPerS).toFixed(2)}x), longest lock ${f(r.batonLockMs)} ms vs ${f(r.singleLockMs)} ms, writer p99 ${f(r.baseline.writeP99)} / ${f(r.baton.writeP99)} / ${f(r.single.writeP99)} ms, control table ${f(r.baseline.controlWriteP99)} / ${f(r.baton.controlWriteP99)} / ${f(r.single.controlWriteP99)} ms (${r.baseline.writes} / ${r.baton.writes} / ${r.single.writes} writes, ${r.baton.errors} / ${r.single.errors} failed), ${r.batches} batches of ${r.batchSizes.min}-${r.batchSizes.max} (${r.batchesOverCap} ended at the lock cap and retried), migrate() set-up ${f(r.setupMs)} ms`,
        );
      }
      const m = (pick: (r: RunFigures) => number) => median(all.map(pick));
      table.push(
        `| ${engine.label} | ${f(rows)} | ${f(m((r) => r.batonRowsPerS))} | ${f(m((r) => r.singleRowsPerS))} | ${m((r) => r.batonRowsPerS / r.singleRowsPerS).toFixed(2)}x | ${engine.name === 'postgres' ? pgrollFigure(rows) : 'none published (gh-ost and pt-osc publish whole-table copy times)'} | ${f(m((r) => r.batonLockMs))} / ${f(m((r) => r.singleLockMs))} | ${f(m((r) => r.baseline.writeP99))} / ${f(m((r) => r.baton.writeP99))} / ${f(m((r) => r.single.writeP99))} | ${m((r) => r.baton.writeP99 / r.baseline.writeP99).toFixed(2)}x | ${f(m((r) => r.baseline.controlWriteP99))} / ${f(m((r) => r.baton.controlWriteP99))} / ${f(m((r) => r.single.controlWriteP99))} | ${f(m((r) => r.baton.writes))} | ${f(m((r) => r.batches))} (${f(m((r) => r.batchSizes.min))}-${f(m((r) => r.batchSizes.max))}) |`,
      );
    }
  }
  console.log(
    `\nbackfill benchmark: batches aim at ${targetLockMs} ms of locks; median of ${runs} runs per row (ratios are medians of each run's ratio); the app is its own process: a point reader and a point writer (2 ms apart) on random ids; longest lock = longest batch transaction (baton) or the whole statement (single UPDATE); a p99 over fewer than 100 writes is their largest or second-largest write; the control table (10k rows, nothing else writes it) measures what the machine's shared CPU and WAL cost the app, no lock in it\n`,
  );
  console.log(table.join('\n'));
}

await main();
