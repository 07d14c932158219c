import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import type { DbSession } from '../dialect.js';
import { migrate } from '../migrations/migrate.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../testing/db-targets.js';
import { writeMigrations } from '../testing/rename-fixtures.js';

const T = { timeout: 60_000 };
const limits = { targetLockMs: 40, maxLockMs: 100, min: 50, max: 400 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const name of ['postgres', 'mariadb'] as const) {
  describe(`backfill lock cap: no batch holds its locks past maxLockMs (${name}, 127.0.0.1)`, () => {
    let target: DbTarget;
    let s: ScratchDatabase;
    let session: DbSession;
    let blocker: DbSession;
    let dir: string;
    before(async () => {
      target = await machineTarget(name);
      s = await scratchDatabase(target);
      session = await target.dialect.connect(s.url);
      blocker = await target.dialect.connect(s.url);
      const concat = name === 'postgres' ? "'n' || id" : "CONCAT('n', id)";
      dir = await writeMigrations({
        '0001_fill.sql': `-- baton: phase=backfill table=items\nUPDATE items SET label = ${concat} WHERE :batch AND label IS NULL;\n`,
      });
    });
    after(async () => {
      await blocker?.close();
      await session?.close();
      await s?.drop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });
    async function freshTable() {
      await session.query('DROP TABLE IF EXISTS items');
      await session.query('CREATE TABLE items (id int PRIMARY KEY, label varchar(20))');
      await session.query(
        name === 'postgres'
          ? 'INSERT INTO items SELECT g, NULL FROM generate_series(1, 2000) g'
          : 'INSERT INTO items SELECT seq, NULL FROM seq_1_to_2000',
      );
      await session.query('DROP TABLE IF EXISTS baton_schema_migrations');
      await session.query('DROP TABLE IF EXISTS baton_backfill_cursor');
    }
    const filled = async () => Number((await session.query('SELECT COUNT(*) AS n FROM items WHERE label IS NOT NULL')).rows[0]?.n);

    it(
      'a batch stuck behind another session is ended at the cap and retried smaller; the backfill finishes once the lock goes',
      T,
      async () => {
        await freshTable();
        await blocker.query('BEGIN');
        await blocker.query('SELECT id FROM items WHERE id = 1500 FOR UPDATE');
        const release = sleep(1500).then(() => blocker.query('COMMIT'));
        const result = await migrate({ url: s.url, dir, batchLimits: limits });
        await release;
        const figures = result.applied[0]?.backfill;
        assert.ok(figures);
        assert.equal(await filled(), 2000);
        assert.ok(figures.batchesOverCap >= 1, `batches ended at the cap: ${figures.batchesOverCap}`);
        // Without the cap the batch holding row 1500 would have waited the whole 1.5 s on it.
        assert.ok(figures.longestBatchMs < 1000, `longest lock ${figures.longestBatchMs} ms`);
      },
    );

    it('batches that keep ending at the cap stop with the reason after the lock-retry patience; a rerun resumes', T, async () => {
      await freshTable();
      await blocker.query('BEGIN');
      await blocker.query('SELECT id FROM items WHERE id = 1500 FOR UPDATE');
      try {
        await assert.rejects(
          migrate({ url: s.url, dir, batchLimits: limits, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 1 } }),
          (e: unknown) =>
            isBatonError(e) && e.code === 'BACKFILL_BATCH_OVER_CAP' && /lock cap/.test(e.message) && /nothing is lost/.test(e.hint ?? ''),
        );
      } finally {
        await blocker.query('COMMIT');
      }
      const before = await filled();
      assert.ok(before > 0 && before < 2000, `rows before row 1500 were committed: ${before}`);
      const again = await migrate({ url: s.url, dir, batchLimits: limits });
      assert.equal(await filled(), 2000);
      assert.ok((again.applied[0]?.backfill?.batchesThisRun ?? 0) > 0);
    });
  });
}
