import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DbSession } from '../dialect.js';
import { ensureBookkeeping } from '../migrations/ledger.js';
import { parseMigrationFile } from '../migrations/parse-migration-file.js';
import type { Migration } from '../migrations/migration.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../testing/db-targets.js';
import { runBackfill, type BackfillTick } from './run-backfill.js';

describe('runBackfill brakes (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let session: DbSession;
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    session = await target.dialect.connect(s.url);
    await ensureBookkeeping(target.dialect, session);
    await session.query('CREATE TABLE items (id int PRIMARY KEY, v int)');
    await session.query('INSERT INTO items SELECT g, NULL FROM generate_series(1, 1000) g');
    await session.query('ANALYZE items');
  });
  after(async () => {
    await session?.close();
    await s?.drop();
  });

  it('waits as long as the caller throttle and the database load say, and reports progress per batch', { timeout: 30_000 }, async () => {
    const parsed = parseMigrationFile(
      '-- baton: phase=backfill table=items key=id batch=100\nUPDATE items SET v = id WHERE id >= :start AND id < :end;',
      '/x/0001_fill.sql',
    ).migration;
    assert.ok(parsed);
    const { declaredPhase: _p, source: _s, ...rest } = parsed;
    const migration: Migration = { ...rest, phase: 'backfill' };
    const throttleAnswers = [30, 0, 0, 0, 45, 0];
    const loadAnswers = [0, 7, 0];
    const waits: number[] = [];
    const ticks: BackfillTick[] = [];
    const result = await runBackfill({
      dialect: { ...target.dialect, countLongRunningQueries: async () => loadAnswers.shift() ?? 0 },
      session,
      migration,
      profile: { name: 'short', lockTimeoutMs: 2000, statementTimeoutMs: 0 },
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      delay: async (ms) => void waits.push(ms),
      now: Date.now,
      throttle: async () => throttleAnswers.shift() ?? 0,
      load: { maxLongQueries: 5, longQuerySeconds: 10, pauseMs: 77 },
      batchLimits: { targetLockMs: 40, maxLockMs: 100, min: 100, max: 100 },
      onProgress: (t) => ticks.push(t),
    });
    assert.deepEqual(waits, [30, 77, 45]);
    assert.equal(result.throttledMs, 152);
    assert.equal(result.rowsDone, 1000);
    assert.equal(result.batches, 10);
    assert.deepEqual(
      ticks.map((t) => t.fraction),
      [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
    );
    assert.deepEqual(ticks.map((t) => t.lastKey).slice(0, 2), ['["100"]', '["200"]']);
    assert.equal(Number((await session.query('SELECT count(*) AS n FROM items WHERE v = id')).rows[0]?.n), 1000);
    const again = await runBackfill({
      dialect: target.dialect,
      session,
      migration,
      profile: { name: 'short', lockTimeoutMs: 2000, statementTimeoutMs: 0 },
      retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 },
      delay: async () => undefined,
      now: Date.now,
    });
    assert.equal(again.batchesThisRun, 0, 'a finished backfill does nothing when run again');
  });
});
