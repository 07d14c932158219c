import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import type { DbSession } from '../dialect.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../testing/db-targets.js';
import { keywordAnalyzer } from '../testing/keyword-analyzer.js';
import { writeMigrations } from '../testing/rename-fixtures.js';
import { migrate } from './migrate.js';
import { planMigrations } from './plan-migrations.js';

const T = { timeout: 60_000 };

describe('an interrupted CREATE INDEX CONCURRENTLY (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  let dir: string;
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const validity = async (name: string) =>
    (await q.query(`SELECT i.indisvalid AS ok FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1`, [name]))
      .rows[0]?.ok;

  it(
    'leaves an INVALID index; the plan says it will drop and rebuild it, migrate does so before the migration runs, and reports one it does not own',
    T,
    async () => {
      dir = await writeMigrations({
        '0001_t.sql': '-- baton: phase=expand\nCREATE TABLE t (id int PRIMARY KEY, email text);\n',
        '0002_email_idx.sql': '-- baton: phase=expand\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON t (email);\n',
      });
      await migrate({ url: s.url, dir, analyze: keywordAnalyzer, versions: [1] });
      // Duplicates make the concurrent build fail half-way: PostgreSQL leaves the index INVALID, as
      // after a crash or a killed session mid-build.
      await q.query("INSERT INTO t VALUES (1, 'a@x'), (2, 'a@x'), (3, 'b@x')");
      await assert.rejects(
        migrate({ url: s.url, dir, analyze: keywordAnalyzer }),
        (e: unknown) => isBatonError(e) && e.code === 'MIGRATION_FAILED',
      );
      assert.equal(await validity('t_email'), false, 'the failed build left an INVALID index');
      // One nobody's migration creates: reported, never touched.
      await assert.rejects(q.query('CREATE UNIQUE INDEX CONCURRENTLY t_stray ON t (email)'));
      assert.equal(await validity('t_stray'), false);

      const plan = await planMigrations({ url: s.url, dir, analyze: keywordAnalyzer });
      assert.deepEqual(
        plan.pending.map((p) => p.version),
        [2],
      );
      const byIndex = Object.fromEntries(plan.indexRepairs.map((r) => [r.index, r]));
      assert.equal(byIndex.t_email?.action, 'rebuild');
      assert.equal(byIndex.t_email?.migration, '0002_email_idx');
      assert.match(byIndex.t_email?.description ?? '', /INVALID .* DROP INDEX CONCURRENTLY, then 0002_email_idx builds it again/);
      assert.equal(byIndex.t_stray?.action, 'report');
      assert.match(byIndex.t_stray?.description ?? '', /CREATE UNIQUE INDEX CONCURRENTLY t_stray ON public\.t USING btree \(email\)/);
      assert.equal(await validity('t_email'), false, 'planning changed nothing');

      await q.query("UPDATE t SET email = 'c@x' WHERE id = 2");
      const progress: string[] = [];
      const result = await migrate({ url: s.url, dir, analyze: keywordAnalyzer, onProgress: (m) => progress.push(m) });
      assert.deepEqual(
        result.applied.map((a) => a.version),
        [2],
      );
      assert.deepEqual(result.indexRepairs.map((r) => [r.index, r.action]).sort(), [
        ['t_email', 'rebuild'],
        ['t_stray', 'report'],
      ]);
      assert.ok(
        progress.findIndex((m) => /t_email .*INVALID/.test(m)) < progress.findIndex((m) => /applying 2_email_idx/.test(m)),
        'repair is reported before the migration runs',
      );
      assert.equal(await validity('t_email'), true, 'IF NOT EXISTS would have kept the broken index; it was rebuilt');
      assert.equal(await validity('t_stray'), false, "not baton's: left as it was");
    },
  );
});

describe('an interrupted index build on MariaDB (127.0.0.1:3306)', () => {
  it('leaves nothing behind (InnoDB builds indexes atomically), so the rerun needs no repair', T, async () => {
    const target = await machineTarget('mariadb');
    const s = await scratchDatabase(target);
    const q = await target.dialect.connect(s.url);
    const dir = await writeMigrations({
      '0001_t.sql': '-- baton: phase=expand\nCREATE TABLE t (id INT PRIMARY KEY, email VARCHAR(50));\n',
      '0002_email_idx.sql': '-- baton: phase=expand\nALTER TABLE t ADD UNIQUE INDEX t_email (email), ALGORITHM=INPLACE, LOCK=NONE;\n',
    });
    try {
      await migrate({ url: s.url, dir, analyze: keywordAnalyzer, versions: [1] });
      await q.query("INSERT INTO t VALUES (1, 'a@x'), (2, 'a@x')");
      await assert.rejects(
        migrate({ url: s.url, dir, analyze: keywordAnalyzer }),
        (e: unknown) => isBatonError(e) && e.code === 'MIGRATION_FAILED',
      );
      assert.deepEqual(
        (await target.dialect.describeTables(q)).find((t) => t.name === 't')?.indexes.map((i) => i.name),
        ['PRIMARY'],
      );
      await q.query("UPDATE t SET email = 'b@x' WHERE id = 2");
      const result = await migrate({ url: s.url, dir, analyze: keywordAnalyzer });
      assert.deepEqual(result.indexRepairs, []);
      assert.deepEqual(
        result.applied.map((a) => a.version),
        [2],
      );
    } finally {
      await q.close();
      await s.drop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
