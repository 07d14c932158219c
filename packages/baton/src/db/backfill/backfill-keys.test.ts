import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, beforeEach, describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import type { DbSession } from '../dialect.js';
import { migrate } from '../migrations/migrate.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../testing/db-targets.js';
import { keywordAnalyzer } from '../testing/keyword-analyzer.js';
import { writeMigrations } from '../testing/rename-fixtures.js';

const T = { timeout: 60_000 };
// Small fixed batches: every table below takes several batches, so boundaries are exercised.
const smallBatches = { targetLockMs: 40, maxLockMs: 100, min: 7, max: 7 };

for (const name of ['postgres', 'mariadb'] as const) {
  describe(`keyset backfill over any key (${name}, 127.0.0.1)`, () => {
    let target: DbTarget;
    let s: ScratchDatabase;
    let session: DbSession;
    const cleanups: (() => Promise<unknown>)[] = [];
    const dirs: string[] = [];
    before(async () => {
      target = await machineTarget(name);
    });
    // Each case gets its own database (the ledger would see a second 0001 as an edited file).
    beforeEach(async () => {
      s = await scratchDatabase(target);
      session = await target.dialect.connect(s.url);
      const [db, q] = [s, session];
      cleanups.push(async () => {
        await q.close();
        await db.drop();
      });
    });
    after(async () => {
      for (const c of cleanups) await c().catch(() => undefined);
      for (const d of dirs) await rm(d, { recursive: true, force: true });
    });
    const pg = () => target.dialect.name === 'postgres';
    async function backfill(files: Record<string, string>) {
      const dir = await writeMigrations(files);
      dirs.push(dir);
      return migrate({ url: s.url, dir, analyze: keywordAnalyzer, batchLimits: smallBatches });
    }
    const count = async (sql: string) => Number((await session.query(sql)).rows[0]?.n);

    it('walks a uuid primary key, each row once, and checkpoints the uuid', T, async () => {
      await session.query(
        pg()
          ? 'CREATE TABLE tokens (id uuid PRIMARY KEY, v int, hits int NOT NULL DEFAULT 0)'
          : 'CREATE TABLE tokens (id UUID PRIMARY KEY, v INT NULL, hits INT NOT NULL DEFAULT 0)',
      );
      await session.query(
        pg()
          ? 'INSERT INTO tokens (id) SELECT gen_random_uuid() FROM generate_series(1, 100)'
          : 'INSERT INTO tokens (id) SELECT UUID() FROM seq_1_to_100',
      );
      const result = await backfill({
        '0001_fill.sql': '-- baton: phase=backfill table=tokens\nUPDATE tokens SET v = 1, hits = hits + 1 WHERE :batch;\n',
      });
      assert.equal(result.applied[0]?.backfill?.rowsDone, 100);
      assert.equal(result.applied[0]?.backfill?.batches, 15, '100 keys in batches of 7');
      assert.equal(await count('SELECT COUNT(*) AS n FROM tokens WHERE v = 1 AND hits = 1'), 100);
      const last = JSON.parse(
        String((await session.query('SELECT last_key FROM baton_backfill_cursor WHERE version = 1')).rows[0]?.last_key),
      ) as string[];
      const max = String(
        (await session.query(pg() ? 'SELECT max(id::text) AS m FROM tokens' : 'SELECT MAX(id) AS m FROM tokens')).rows[0]?.m,
      );
      assert.deepEqual(last, [max]);
    });

    it('walks a composite (text, int) key declared with key=, in index order', T, async () => {
      await session.query(
        'CREATE TABLE notes (region VARCHAR(20) NOT NULL, seq INT NOT NULL, body VARCHAR(50) NULL, PRIMARY KEY (region, seq))',
      );
      const rows = ['eu', 'us', "o'hara", 'ap-south'].flatMap((r) =>
        Array.from({ length: 9 }, (_, i) => `('${r.replace("'", "''")}', ${i})`),
      );
      await session.query(`INSERT INTO notes (region, seq) VALUES ${rows.join(',')}`);
      const concat = pg() ? "region || ':' || seq" : "CONCAT(region, ':', seq)";
      const result = await backfill({
        '0001_fill.sql': `-- baton: phase=backfill table=notes key=region,seq\nUPDATE notes SET body = ${concat} WHERE :batch AND body IS NULL;\n`,
      });
      assert.equal(result.applied[0]?.backfill?.rowsDone, 36);
      assert.equal(await count(`SELECT COUNT(*) AS n FROM notes WHERE body = ${concat}`), 36);
    });

    it(
      'refuses a table without a primary key, a missing table, a non-unique key and :start/:end on a text key, before any change',
      T,
      async () => {
        const cases: [string, string, RegExp][] = [
          ['-- baton: phase=backfill table=loose\nUPDATE loose SET b = a WHERE :batch;', 'BACKFILL_NO_KEY', /loose has no primary key/],
          [
            '-- baton: phase=backfill table=ghosts\nUPDATE ghosts SET b = 1 WHERE :batch;',
            'BACKFILL_SCHEMA_MISMATCH',
            /ghosts does not exist/,
          ],
          ['-- baton: phase=backfill table=words key=g\nUPDATE words SET n = 1 WHERE :batch;', 'BACKFILL_KEY_NOT_UNIQUE', /not unique/],
          [
            '-- baton: phase=backfill table=words key=w\nUPDATE words SET n = 1 WHERE w >= :start AND w < :end;',
            'BACKFILL_KEY_TYPE',
            /one integer key/,
          ],
        ];
        for (const [sql, code, message] of cases) {
          const dir = await writeMigrations({ '0001_fill.sql': `${sql}\n` });
          dirs.push(dir);
          const fresh = await scratchDatabase(target);
          try {
            const q = await target.dialect.connect(fresh.url);
            await q.query('CREATE TABLE loose (a INT, b INT)');
            await q.query('INSERT INTO loose (a) VALUES (1), (2), (3)');
            await q.query('CREATE TABLE words (w VARCHAR(20) PRIMARY KEY, n INT NULL, g INT NOT NULL DEFAULT 0)');
            await q.query("INSERT INTO words (w) VALUES ('a'), ('b')");
            await q.query('CREATE INDEX words_g ON words (g)');
            await assert.rejects(migrate({ url: fresh.url, dir, analyze: keywordAnalyzer }), (e: unknown) => {
              assert.ok(isBatonError(e), String(e));
              assert.equal(e.code, code, e.message);
              assert.match(e.message, message);
              assert.match(e.hint ?? '', /nothing was changed/);
              return true;
            });
            assert.equal(Number((await q.query('SELECT COUNT(*) AS n FROM loose WHERE b IS NOT NULL')).rows[0]?.n), 0);
            assert.equal(Number((await q.query('SELECT COUNT(*) AS n FROM words WHERE n IS NOT NULL')).rows[0]?.n), 0);
            assert.equal(Number((await q.query('SELECT COUNT(*) AS n FROM baton_backfill_cursor')).rows[0]?.n), 0, 'no checkpoint written');
            await q.close();
          } finally {
            await fresh.drop();
          }
        }
      },
    );
  });
}
