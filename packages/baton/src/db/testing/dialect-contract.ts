import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFile, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isBatonError } from '../../errors.js';
import { parseConnectionUrl, withDatabase } from '../connection-url.js';
import type { DbSession } from '../dialect.js';
import { createBackup } from '../backup/create-backup.js';
import { verifyBackup } from '../backup/verify-backup.js';
import { readLedger } from '../migrations/ledger.js';
import { migrate, revert, type MigrateOptions } from '../migrations/migrate.js';
import { MigrationsInvalidError } from '../migrations/migration-problem.js';
import { awaitOldSessionsGone } from '../sessions/await-old-sessions-gone.js';
import { startAppLoop } from './app-loop.js';
import type { DbTarget, ScratchDatabase } from './db-targets.js';
import { scratchDatabase } from './db-targets.js';
import { keywordAnalyzer } from './keyword-analyzer.js';
import { renameMigrations, writeMigrations } from './rename-fixtures.js';

const T = { timeout: 90_000 };
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * The one contract every database target passes: postgres, MariaDB and embedded postgres run the
 * same cases. `open` provides the target; `close` releases it.
 */
export function defineDialectContract(label: string, open: () => Promise<{ target: DbTarget; close(): Promise<void> }>): void {
  describe(`db contract: ${label}`, () => {
    let target: DbTarget;
    let close: () => Promise<void> = async () => undefined;
    const cleanups: (() => Promise<unknown>)[] = [];
    before(async () => {
      ({ target, close } = await open());
    });
    after(async () => {
      for (const c of cleanups.reverse()) await c().catch(() => undefined);
      await close();
    });
    async function db(): Promise<ScratchDatabase> {
      const s = await scratchDatabase(target);
      cleanups.push(() => s.drop());
      return s;
    }
    async function folder(files: Record<string, string>): Promise<string> {
      const dir = await writeMigrations(files);
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    }
    async function withSession<R>(url: string, fn: (s: DbSession) => Promise<R>): Promise<R> {
      const s = await target.dialect.connect(url);
      try {
        return await fn(s);
      } finally {
        await s.close();
      }
    }
    const isPg = () => target.dialect.name === 'postgres';
    const base = (o: Partial<MigrateOptions> & { url: string; dir: string }): MigrateOptions => ({ analyze: keywordAnalyzer, ...o });

    it('unreachable server and wrong credentials are BatonErrors that name the server and hide the password', T, async () => {
      const unreachable = new URL(withDatabase(target.adminUrl, 'x'));
      unreachable.port = '1';
      unreachable.password = 's3cret-pw';
      await assert.rejects(target.dialect.connect(unreachable.href), (e: unknown) => {
        assert.ok(isBatonError(e));
        assert.equal(e.code, 'DB_UNREACHABLE');
        assert.match(e.message, /127\.0\.0\.1:1/);
        assert.ok(!e.message.includes('s3cret-pw'));
        assert.ok(e.hint);
        return true;
      });
      const admin = new URL(target.adminUrl);
      admin.username = 'baton_no_such_user';
      admin.password = 's3cret-pw';
      await assert.rejects(target.dialect.connect(admin.href), (e: unknown) => {
        assert.ok(isBatonError(e));
        assert.equal(e.code, 'DB_AUTH_FAILED');
        assert.ok(!e.message.includes('s3cret-pw'), e.message);
        assert.ok(!String((e.cause as Error).message).includes('s3cret-pw'));
        return true;
      });
    });

    it('a readOnly session reads the catalogs but the server refuses its writes; views are other relations, not tables', T, async () => {
      const s = await db();
      await withSession(s.url, async (q) => {
        await q.query('CREATE TABLE ro_t (id int PRIMARY KEY)');
        await q.query('CREATE VIEW ro_v AS SELECT id FROM ro_t');
      });
      const ro = await target.dialect.connect(s.url, { readOnly: true });
      try {
        assert.deepEqual(
          (await target.dialect.describeTables(ro)).map((t) => t.name),
          ['ro_t'],
        );
        assert.ok((await target.dialect.listOtherRelations(ro)).includes('ro_v'));
        assert.ok(!(await target.dialect.listOtherRelations(ro)).includes('ro_t'));
        await assert.rejects(ro.query('INSERT INTO ro_t VALUES (1)'), /read.only/i);
        await assert.rejects(ro.query('CREATE TABLE ro_new (id int)'), /read.only/i);
      } finally {
        await ro.close();
      }
      assert.deepEqual(await withSession(s.url, (q) => target.dialect.listTables(q)), ['ro_t']);
    });

    it(
      'runs the users first/last -> full_name rename (expand, backfill, contract) under live v1/v2/v3 traffic without losing a row or failing a query',
      T,
      async () => {
        const s = await db();
        const dir = await renameMigrations(target.dialect.name);
        if (target.dialect.name !== 'postgres') cleanups.push(() => rm(dir, { recursive: true, force: true }));
        const progress: string[] = [];
        const opts = (phase: MigrateOptions['phase'], extra: Partial<MigrateOptions> = {}) =>
          // The real analyzer (check/analyze-migration.ts) classifies the shared rename files here.
          base({ url: s.url, dir, phase, release: 'rel-v2', onProgress: (m) => progress.push(m), analyze: undefined, ...extra });
        assert.deepEqual(
          (await migrate(opts('expand', { versions: [1] }))).applied.map((a) => a.version),
          [1],
        );
        await withSession(s.url, async (q) => {
          const values = Array.from({ length: 500 }, (_, i) => `('f${i}', 'l${i}')`).join(',');
          for (let k = 0; k < 5; k++) await q.query(`INSERT INTO users (first_name, last_name) VALUES ${values}`);
        });
        const v1 = await startAppLoop(target.dialect, s.url, 'rel-v1', 'v1');
        await sleep(150);
        assert.deepEqual(
          (await migrate(opts('expand'))).applied.map((a) => a.version),
          [2],
        );
        await sleep(150);
        const v2 = await startAppLoop(target.dialect, s.url, 'rel-v2', 'v2');
        await sleep(100);
        const s1 = await v1.stop();
        const backfill = await migrate(opts('backfill'));
        assert.deepEqual(
          backfill.applied.map((a) => a.version),
          [3],
        );
        const v3 = await startAppLoop(target.dialect, s.url, 'rel-v3', 'v3');
        const still = await awaitOldSessionsGone({ url: s.url, releases: ['rel-v1', 'rel-v2'], deadlineMs: 0 });
        assert.equal(still.kind, 'timeout', 'the v2 session is open and must be seen');
        assert.ok(still.kind === 'timeout' && still.sessions.some((x) => x.release === 'rel-v2'));
        await sleep(100);
        const s2 = await v2.stop();
        const gone = await awaitOldSessionsGone({ url: s.url, releases: ['rel-v1', 'rel-v2'], deadlineMs: 5000, pollMs: 50 });
        assert.equal(gone.kind, 'gone');
        assert.deepEqual(
          (await migrate(opts('contract'))).applied.map((a) => a.version),
          [4],
        );
        await sleep(200);
        const s3 = await v3.stop();
        for (const st of [s1, s2, s3]) {
          assert.deepEqual(st.errors, []);
          assert.deepEqual(st.wrong, []);
          assert.ok(st.queries > 0);
        }
        await withSession(s.url, async (q) => {
          const total = Number((await q.query('SELECT COUNT(*) AS n FROM users')).rows[0]?.n);
          const inserted = s1.expectedFullNames.length + s2.expectedFullNames.length + s3.expectedFullNames.length;
          assert.equal(total, 2500 + inserted);
          assert.equal(Number((await q.query('SELECT COUNT(*) AS n FROM users WHERE full_name IS NULL')).rows[0]?.n), 0);
          const names = new Set((await q.query('SELECT full_name FROM users')).rows.map((r) => String(r.full_name)));
          for (const n of [...s1.expectedFullNames, ...s2.expectedFullNames, ...s3.expectedFullNames]) assert.ok(names.has(n), `lost ${n}`);
          assert.ok(names.has('f0 l0') && names.has('f499 l499'));
          const ledger = await readLedger(target.dialect, q);
          assert.deepEqual(
            ledger.map((l) => [l.version, l.phase]),
            [
              [1, 'expand'],
              [2, 'expand'],
              [3, 'backfill'],
              [4, 'contract'],
            ],
          );
          assert.equal(ledger[0]?.checksum.length, 64);
        });
      },
    );

    it('a long transaction makes the ALTER give up its lock wait and retry, without queueing the app behind it', T, async () => {
      const s = await db();
      const dir = await folder({
        '0001_t.sql': '-- baton: phase=expand\nCREATE TABLE t (id INT PRIMARY KEY, v INT);\nINSERT INTO t VALUES (1, 1);\n',
        '0002_c.sql': '-- baton: phase=expand\nALTER TABLE t ADD COLUMN c INT;\n',
      });
      await migrate(base({ url: s.url, dir, versions: [1] }));
      const holder = await target.dialect.connect(s.url);
      const reader = await target.dialect.connect(s.url);
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT * FROM t');
        const holdMs = 4000;
        const released = sleep(holdMs).then(() => holder.query('COMMIT'));
        let readerRunning = true;
        let maxLatency = 0;
        const reads = (async () => {
          while (readerRunning) {
            const t0 = Date.now();
            await reader.query('SELECT COUNT(*) AS n FROM t');
            maxLatency = Math.max(maxLatency, Date.now() - t0);
            await sleep(20);
          }
        })();
        const t0 = Date.now();
        const result = await migrate(
          base({
            url: s.url,
            dir,
            profiles: {
              short: { name: 'short', lockTimeoutMs: 200, statementTimeoutMs: 0 },
              long: { name: 'long', lockTimeoutMs: 60_000, statementTimeoutMs: 0 },
            },
            retry: { retries: 40, baseDelayMs: 100, maxDelayMs: 400 },
          }),
        );
        const tookMs = Date.now() - t0;
        readerRunning = false;
        await reads;
        await released;
        const applied = result.applied[0];
        assert.equal(applied?.version, 2);
        assert.ok((applied?.lockRetries ?? 0) >= 1, 'the ALTER must have timed out on the lock and retried');
        assert.ok(tookMs >= holdMs - 500, 'it could only succeed once the long transaction ended');
        // Behaviour, not a benchmark: a reader queued behind a waiting ALTER would have waited the whole hold.
        assert.ok(maxLatency < holdMs - 1500, `a concurrent SELECT waited ${maxLatency} ms`);
        const cols = await reader.query(isPg() ? `SELECT c FROM t` : 'SELECT c FROM t');
        assert.equal(cols.rows.length, 1);
      } finally {
        await holder.close();
        await reader.close();
      }
    });

    it('gaps, duplicates, unknown headers, unparsable SQL and phase contradictions fail before anything runs', T, async () => {
      const s = await db();
      const cases: [Record<string, string>, string][] = [
        [{ '0001_a.sql': 'CREATE TABLE a (id INT);', '0003_c.sql': 'CREATE TABLE c (id INT);' }, 'gap'],
        [{ '0001_a.sql': 'CREATE TABLE a (id INT);', '0001_b.sql': 'CREATE TABLE b (id INT);' }, 'duplicate'],
        [{ '0001_a.sql': '-- baton: phase=expand colour=blue\nCREATE TABLE a (id INT);' }, 'unknown-header'],
        [{ '0001_a.sql': 'CREATE TABLE a (id INT);', '0002_b.sql': 'CREAT TABEL b (id INT);' }, 'sql-parse'],
        [
          { '0001_a.sql': 'CREATE TABLE a (id INT);', '0002_b.sql': '-- baton: phase=expand\nALTER TABLE a DROP COLUMN id;' },
          'phase-mismatch',
        ],
      ];
      for (const [files, code] of cases) {
        const dir = await folder(files);
        await assert.rejects(migrate(base({ url: s.url, dir })), (e: unknown) => {
          assert.ok(e instanceof MigrationsInvalidError, String(e));
          assert.ok(
            e.problems.some((p) => p.code === code),
            `${code}: ${e.message}`,
          );
          return true;
        });
      }
      await withSession(s.url, async (q) => assert.deepEqual(await target.dialect.listTables(q), []));
    });

    it('an applied migration whose file changed is a checksum mismatch before anything else runs', T, async () => {
      const s = await db();
      const dir = await folder({ '0001_a.sql': 'CREATE TABLE a (id INT);\n' });
      await migrate(base({ url: s.url, dir }));
      await appendFile(join(dir, '0001_a.sql'), '-- edited\n');
      await writeFile(join(dir, '0002_b.sql'), 'CREATE TABLE b (id INT);\n');
      await assert.rejects(migrate(base({ url: s.url, dir })), (e: unknown) => {
        assert.ok(isBatonError(e));
        assert.equal(e.code, 'MIGRATION_CHECKSUM_MISMATCH');
        assert.match(e.message, /0001_a\.sql/);
        return true;
      });
      await withSession(s.url, async (q) => assert.ok(!(await target.dialect.listTables(q)).includes('b')));
    });

    it(
      'a statement the server refuses fails the migration clearly; postgres keeps none of it, MariaDB keeps the statements before',
      T,
      async () => {
        const s = await db();
        const dir = await folder({ '0001_a.sql': 'CREATE TABLE a (id INT);\nCREATE TABLE a (id INT);\n' });
        await assert.rejects(migrate(base({ url: s.url, dir })), (e: unknown) => {
          assert.ok(isBatonError(e));
          assert.equal(e.code, 'MIGRATION_FAILED');
          assert.match(e.message, /^1_a failed: /);
          return true;
        });
        await withSession(s.url, async (q) => {
          assert.equal((await target.dialect.listTables(q)).includes('a'), !target.dialect.transactionalDdl);
          assert.equal((await readLedger(target.dialect, q)).length, 0);
        });
      },
    );

    it('two runners at once: the second waits or fails clearly, nothing is applied twice', T, async () => {
      const s = await db();
      const slow = isPg() ? 'SELECT pg_sleep(1.5);' : 'SELECT SLEEP(1.5);';
      const dir = await folder({ '0001_a.sql': 'CREATE TABLE a (id INT);\n', '0002_slow.sql': `CREATE TABLE b (id INT);\n${slow}\n` });
      let holding!: () => void;
      const aHolds = new Promise<void>((r) => (holding = r));
      const a = migrate(
        base({
          url: s.url,
          dir,
          beforeApply: async (m) => {
            if (m.version === 2) holding();
          },
        }),
      );
      await aHolds;
      const impatient = migrate(base({ url: s.url, dir, lockWaitMs: 300 }));
      const patient = migrate(base({ url: s.url, dir, lockWaitMs: 20_000 }));
      await assert.rejects(
        impatient,
        (e: unknown) => isBatonError(e) && e.code === 'MIGRATION_LOCK_BUSY' && /nothing was applied/.test(e.message),
      );
      assert.deepEqual(
        (await a).applied.map((x) => x.version),
        [1, 2],
      );
      const p = await patient;
      assert.deepEqual(p.applied, []);
      assert.deepEqual(p.alreadyApplied, [1, 2]);
      await withSession(s.url, async (q) => assert.equal((await readLedger(target.dialect, q)).length, 2));
    });

    it(
      'CREATE INDEX CONCURRENTLY runs outside a transaction under the runner lock while a second runner polls, without deadlock',
      T,
      async (t) => {
        if (!isPg()) {
          t.skip('MariaDB has no CONCURRENTLY (its online DDL needs no special path)');
          return;
        }
        const s = await db();
        const dir = await folder({
          '0001_t.sql':
            '-- baton: phase=expand\nCREATE TABLE t (id INT PRIMARY KEY, v INT);\nINSERT INTO t SELECT g, g FROM generate_series(1, 20000) g;\n',
          '0002_idx.sql': '-- baton: phase=expand\nCREATE INDEX CONCURRENTLY t_v ON t (v);\n-- baton: down\nDROP INDEX CONCURRENTLY t_v;\n',
        });
        await migrate(base({ url: s.url, dir, versions: [1] }));
        // An open transaction elsewhere: CONCURRENTLY must wait for it (long profile), not fail.
        const other = await target.dialect.connect(s.url);
        await other.query('BEGIN');
        await other.query('SELECT count(*) FROM t');
        let holding!: () => void;
        const aHolds = new Promise<void>((r) => (holding = r));
        const a = migrate(base({ url: s.url, dir, beforeApply: async () => holding() }));
        await aHolds;
        const b = migrate(base({ url: s.url, dir, lockWaitMs: 30_000 }));
        await sleep(500);
        await other.query('COMMIT');
        await other.close();
        const [ra, rb] = await Promise.all([a, b]);
        assert.deepEqual(
          ra.applied.map((x) => x.version),
          [2],
        );
        assert.deepEqual(rb.applied, []);
        await withSession(s.url, async (q) => {
          const idx = (
            await q.query(`SELECT i.indisvalid AS ok FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 't_v'`)
          ).rows[0];
          assert.equal(idx?.ok, true);
        });
        assert.deepEqual(await revert({ ...base({ url: s.url, dir }), versions: [2] }), [2]);
      },
    );

    it(
      'a backfill over a composite key killed mid-way (SIGKILL) resumes after the last committed key and fills every row once',
      T,
      async () => {
        const s = await db();
        // No key=: the primary key (tenant, id) is read from the live table; :batch takes its range.
        const dir = await folder({
          '0001_items.sql':
            '-- baton: phase=expand\nCREATE TABLE items (tenant INT NOT NULL, id INT NOT NULL, v INT NULL, touched INT NOT NULL DEFAULT 0, PRIMARY KEY (tenant, id));\n',
          '0002_fill.sql':
            '-- baton: phase=backfill table=items batch=100\nUPDATE items SET v = tenant * 10000 + id, touched = touched + 1 WHERE :batch;\n',
        });
        await migrate(base({ url: s.url, dir, phase: 'expand' }));
        await withSession(s.url, async (q) => {
          for (let k = 0; k < 5; k++) {
            const values = Array.from({ length: 1000 }, (_, i) => `(${k + 1}, ${i + 1})`).join(',');
            await q.query(`INSERT INTO items (tenant, id) VALUES ${values}`);
          }
        });
        const child = spawn(process.execPath, [new URL('./backfill-child.js', import.meta.url).pathname, s.url, dir], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let ticks = 0;
        let stderr = '';
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
        const killed = new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => {
            child.kill('SIGKILL');
            reject(new Error(`child made no progress: ${stderr}`));
          }, 30_000);
          child.stdout.on('data', (c: Buffer) => {
            ticks += c.toString().split('\n').filter(Boolean).length;
            if (ticks >= 5 && child.exitCode === null) child.kill('SIGKILL');
          });
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        await killed;
        assert.equal(child.signalCode, 'SIGKILL', `child ended by itself: ${stderr}`);
        const committed = await withSession(s.url, async (q) =>
          Number((await q.query('SELECT batches FROM baton_backfill_cursor WHERE version = 2')).rows[0]?.batches),
        );
        assert.ok(committed >= 5 && committed < 50, `committed ${committed}`);
        let firstBatchesSeen: number | undefined;
        const lastKey = await withSession(s.url, async (q) =>
          String((await q.query('SELECT last_key FROM baton_backfill_cursor WHERE version = 2')).rows[0]?.last_key),
        );
        assert.match(lastKey, /^\["\d+","\d+"\]$/, 'the checkpoint holds both key columns');
        const result = await migrate(
          base({
            url: s.url,
            dir,
            phase: 'backfill',
            batchLimits: { targetLockMs: 40, maxLockMs: 100, min: 100, max: 100 },
            onBackfill: (t) => {
              firstBatchesSeen ??= t.batches;
            },
          }),
        );
        assert.deepEqual(
          result.applied.map((a) => a.version),
          [2],
        );
        assert.equal(firstBatchesSeen, committed + 1, 'the rerun starts with the batch after the last committed one');
        await withSession(s.url, async (q) => {
          const stats = (
            await q.query(
              'SELECT COUNT(*) AS n, MIN(touched) AS lo, MAX(touched) AS hi, SUM(CASE WHEN v = tenant * 10000 + id THEN 1 ELSE 0 END) AS ok FROM items',
            )
          ).rows[0];
          assert.equal(Number(stats?.n), 5000);
          assert.equal(Number(stats?.lo), 1, 'every row filled');
          assert.equal(Number(stats?.hi), 1, 'no row updated twice: no finished batch was redone');
          assert.equal(Number(stats?.ok), 5000);
          const p = (await q.query('SELECT batches, rows_done FROM baton_backfill_cursor WHERE version = 2')).rows[0];
          assert.equal(Number(p?.batches), 50);
          assert.equal(Number(p?.rows_done), 5000);
        });
      },
    );

    it('backs up, proves the backup by restoring it into a scratch database, and fails a backup that cannot be restored', T, async () => {
      const s = await db();
      const dir = await mkdtemp(join(tmpdir(), 'baton-backups-'));
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      await withSession(s.url, async (q) => {
        await q.query('CREATE TABLE a (id INT PRIMARY KEY, note VARCHAR(50))');
        await q.query('CREATE TABLE b (id INT PRIMARY KEY)');
        await q.query(`INSERT INTO a VALUES ${Array.from({ length: 300 }, (_, i) => `(${i}, 'n${i}')`).join(',')}`);
      });
      const backup = await createBackup({ url: s.url, dir, label: 'test' });
      assert.ok(backup.fileBytes > 0 && backup.sourceBytes > 0);
      assert.deepEqual(backup.tables, { a: { min: 300, max: 300 }, b: { min: 0, max: 0 } });
      assert.ok(!JSON.stringify(backup).includes(parseConnectionUrl(s.url).password ?? '\u0000'));
      const verdict = await verifyBackup({ url: s.url, backup });
      assert.equal(verdict.ok, true, verdict.ok ? '' : verdict.reason);
      assert.deepEqual(verdict.ok && verdict.tables, { a: 300, b: 0 });

      const viaCommand = await createBackup({
        url: s.url,
        dir,
        label: 'cmd',
        method: {
          kind: 'command',
          argv: [process.execPath, '-e', 'process.stdout.write(require("fs").readFileSync(process.argv[1]))', backup.path],
          format: backup.format,
        },
      });
      assert.equal((await verifyBackup({ url: s.url, backup: viaCommand })).ok, true);

      const size = (await readFile(backup.path)).length;
      await truncate(backup.path, Math.floor(size / 2));
      const broken = await verifyBackup({ url: s.url, backup });
      assert.equal(broken.ok, false);
      assert.ok(!broken.ok && broken.reason.length > 0);
    });

    it('down migrations undo applied expand migrations in reverse; a contract has none baton will run', T, async () => {
      const s = await db();
      const dir = await folder({
        '0001_a.sql': '-- baton: phase=expand\nCREATE TABLE a (id INT);\n-- baton: down\nDROP TABLE a;\n',
        '0002_b.sql': '-- baton: phase=expand\nALTER TABLE a ADD COLUMN b INT;\n-- baton: down\nALTER TABLE a DROP COLUMN b;\n',
        '0003_c.sql': '-- baton: phase=contract\nALTER TABLE a DROP COLUMN b;\n',
      });
      await migrate(base({ url: s.url, dir, phase: 'expand' }));
      assert.deepEqual(await revert({ ...base({ url: s.url, dir }), versions: [1, 2] }), [2, 1]);
      await withSession(s.url, async (q) => {
        assert.deepEqual(
          await target.dialect.listTables(q),
          ['baton_backfill_cursor', 'baton_schema_migrations', ...(isPg() ? [] : ['baton_session_releases'])].sort(),
        );
        assert.equal((await readLedger(target.dialect, q)).length, 0);
      });
      await migrate(base({ url: s.url, dir }));
      await assert.rejects(
        revert({ ...base({ url: s.url, dir }), versions: [3] }),
        (e: unknown) => isBatonError(e) && e.code === 'MIGRATION_IRREVERSIBLE',
      );
    });
  });
}
