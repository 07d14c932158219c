// `check --database` against the machine's PostgreSQL (127.0.0.1:5432): each test gets its own
// scratch database, dropped afterwards. "Big" is made with a low --small-table-rows, not rows.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { isBatonError } from '../errors.js';
import type { DbSession } from '../db/dialect.js';
import { migrate } from '../db/migrations/migrate.js';
import { keywordAnalyzer } from '../db/testing/keyword-analyzer.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { check } from '../operations/check.js';
import type { Finding } from './finding.js';

const T = { timeout: 60_000 };
const expand = '-- baton: phase=expand\n';
const contract = '-- baton: phase=contract\n';

describe('baton check --database (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  const dirs: string[] = [];
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
    await q.query('CREATE TABLE users (id int PRIMARY KEY, email varchar(20), name text, score numeric(6,2))');
    await q.query("INSERT INTO users SELECT g, 'u' || g || '@x', 'n', 1 FROM generate_series(1, 12) g");
    await q.query('ANALYZE users');
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const run = async (files: Record<string, string>, smallTable?: { rows: number; bytes: number }): Promise<Finding[]> => {
    const dir = await writeMigrations(files);
    dirs.push(dir);
    const result = await check({
      migrations: { dir, dialect: 'postgres' },
      database: { url: s.url, ...(smallTable ? { smallTable } : {}) },
    });
    assert.equal(result.ok, !result.findings.some((f) => f.severity === 'error'));
    return result.findings;
  };
  const of = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId);

  it(
    'a lock on a small table is downgraded with its measured size; under a lower threshold it stays an error and says the size',
    T,
    async () => {
      const files = { '0001_idx.sql': `${expand}CREATE INDEX users_name ON users (name);\n` };
      const [small] = of(await run(files), 'create-index-concurrently');
      assert.equal(small?.severity, 'info');
      assert.match(small?.message ?? '', /table users has ~12 rows, \d+ kB: the lock is held for milliseconds/);
      assert.equal(small?.live?.table, 'users');
      assert.equal(small?.live?.rowEstimate, 12);
      assert.equal(small?.live?.small, true);
      assert.ok((small?.live?.totalBytes ?? 0) > 0);

      const [big] = of(await run(files, { rows: 5, bytes: 1024 * 1024 * 1024 }), 'create-index-concurrently');
      assert.equal(big?.severity, 'error');
      assert.match(big?.message ?? '', /\(live: table users has ~12 rows, \d+ kB\)$/);
      assert.equal(big?.live?.small, false);
      // The byte limit counts as well: an unanalysed table estimates 0 rows whatever its size.
      const [bytes] = of(await run(files, { rows: 1_000_000, bytes: 1024 }), 'create-index-concurrently');
      assert.equal(bytes?.severity, 'error');
    },
  );

  it('a type change the live type proves free (varchar growth, to text, numeric precision) is not flagged; a narrowing is', T, async () => {
    const free = await run({
      '0001_widen.sql': `${contract}ALTER TABLE users ALTER COLUMN email TYPE varchar(50);\nALTER TABLE users ALTER COLUMN name TYPE varchar;\nALTER TABLE users ALTER COLUMN score TYPE numeric(10,2);\n`,
    });
    assert.deepEqual(of(free, 'alter-column-type'), []);
    const narrowing = await run({ '0001_narrow.sql': `${contract}ALTER TABLE users ALTER COLUMN email TYPE varchar(10);\n` });
    assert.equal(of(narrowing, 'alter-column-type').length, 1);
    // Small table: still a warning (readers of the old type), never dropped.
    assert.equal(of(narrowing, 'alter-column-type')[0]?.severity, 'warning');
    // Without the live schema the same widening is flagged: only the live type proves it.
    const dir = await writeMigrations({ '0001_widen.sql': `${contract}ALTER TABLE users ALTER COLUMN email TYPE varchar(50);\n` });
    dirs.push(dir);
    const offline = await check({ migrations: { dir, dialect: 'postgres' } });
    assert.equal(of(offline.findings, 'alter-column-type').length, 1);
  });

  it(
    'the phase rules read the live type: a proven-free type change fits expand and contract alike, a narrowing stays contract',
    T,
    async () => {
      const widenAndAdd = 'ALTER TABLE users ADD COLUMN nick text;\nALTER TABLE users ALTER COLUMN email TYPE text;\n';
      // Declared contract: later than needed is safe, and nothing is mixed any more.
      const asContract = await run({ '0001_widen.sql': `${contract}${widenAndAdd}` });
      assert.deepEqual(
        asContract.filter((f) => f.severity !== 'info'),
        [],
      );
      // Offline the same file mixes expand and contract.
      const dir = await writeMigrations({ '0001_widen.sql': `${contract}${widenAndAdd}` });
      dirs.push(dir);
      const offline = await check({ migrations: { dir, dialect: 'postgres' } });
      assert.equal(of(offline.findings, 'mixed-phases').length, 1);
      // Declared expand: safe, but baton migrate classifies offline and would refuse it: a warning saying so.
      const asExpand = await run({ '0001_widen.sql': `${expand}${widenAndAdd}` });
      assert.deepEqual(
        asExpand.map((f) => [f.ruleId, f.severity, f.line]),
        [['phase-mismatch', 'warning', 3]],
      );
      assert.match(asExpand[0]?.message ?? '', /alter-column-type at line 3 is proven free.*baton migrate .* refuses phase=expand/);
      // Nor does it mix with a contract statement: it fits after the rollout as well.
      const withDrop = await run({
        '0001_widen.sql': `${contract}ALTER TABLE users DROP COLUMN name;\nALTER TABLE users ALTER COLUMN email TYPE text;\n`,
      });
      assert.deepEqual(of(withDrop, 'mixed-phases'), []);
      // A narrowing is still contract: an error in an expand file.
      const narrowing = await run({ '0001_narrow.sql': `${expand}ALTER TABLE users ALTER COLUMN email TYPE varchar(10);\n` });
      assert.equal(of(narrowing, 'phase-mismatch')[0]?.severity, 'error');
      // An earlier pending migration retyping the column makes the live type no proof.
      const retyped = await run({
        '0001_narrow.sql': `${contract}ALTER TABLE users ALTER COLUMN email TYPE varchar(10);\n`,
        '0002_widen.sql': `${contract}${widenAndAdd}`,
      });
      assert.equal(of(retyped, 'mixed-phases').length, 1);
    },
  );

  it(
    'a missing table or column, an existing column or index, a dropped index that is not there: live-schema-mismatch errors',
    T,
    async () => {
      const findings = await run({
        '0001_bad.sql': `${contract}ALTER TABLE users DROP COLUMN nickname;\nALTER TABLE ghosts ADD COLUMN x text;\nDROP INDEX CONCURRENTLY users_nope;\n`,
        '0002_dup.sql': `${expand}ALTER TABLE users ADD COLUMN name text;\nCREATE INDEX CONCURRENTLY users_pkey ON users (id);\n`,
      });
      const mismatches = of(findings, 'live-schema-mismatch');
      assert.deepEqual(
        mismatches.map((f) => [f.file?.replace(/.*\//, ''), f.line, f.severity]),
        [
          ['0001_bad.sql', 2, 'error'],
          ['0001_bad.sql', 3, 'error'],
          ['0001_bad.sql', 4, 'error'],
          ['0002_dup.sql', 2, 'error'],
          ['0002_dup.sql', 3, 'error'],
        ],
      );
      assert.match(mismatches[0]?.message ?? '', /drops column users.nickname, which does not exist in the live database/);
      assert.match(mismatches[0]?.hint ?? '', /the columns of users are: id, email, name, score/);
      assert.match(mismatches[1]?.message ?? '', /table ghosts, which does not exist in the live database/);
      assert.match(mismatches[2]?.message ?? '', /drops index users_nope, which does not exist/);
      assert.match(mismatches[3]?.message ?? '', /adds column users.name, which already exists/);
      assert.match(mismatches[4]?.message ?? '', /creates index users_pkey, which already exists/);
    },
  );

  it(
    'index columns and UPDATE ... SET targets the live table lacks are mismatches, as the server says; expressions are not judged',
    T,
    async () => {
      const bad = [
        'CREATE INDEX users_nick ON users (nick)',
        'CREATE INDEX users_inc ON users (id) INCLUDE (nick)',
        "UPDATE users SET nick = 'x' WHERE id = 1",
      ];
      const good = [
        'CREATE INDEX users_ok ON users (email, lower(name)) INCLUDE (score) WHERE id > 0',
        "UPDATE users SET name = 'n', score = score WHERE id = -1",
      ];
      // The server first: each bad statement fails for the missing column, each good one runs (rolled back).
      for (const sql of [...bad, ...good]) {
        await q.query('BEGIN');
        try {
          if (bad.includes(sql)) await assert.rejects(q.query(sql), /column "nick" (of relation "users" )?does not exist/);
          else await q.query(sql);
        } finally {
          await q.query('ROLLBACK');
        }
      }
      const findings = await run({ '0001_x.sql': `${expand}${[...bad, ...good].map((sql) => `${sql};`).join('\n')}\n` });
      const mismatches = of(findings, 'live-schema-mismatch');
      assert.deepEqual(
        mismatches.map((f) => f.line),
        [2, 3, 4],
      );
      assert.match(mismatches[0]?.message ?? '', /indexes column users\.nick, which does not exist in the live database/);
      assert.match(mismatches[2]?.message ?? '', /updates column users\.nick, which does not exist/);
      assert.match(mismatches[2]?.hint ?? '', /the columns of users are: id, email, name, score/);
      // A column an earlier pending migration adds is there.
      const added = await run({
        '0001_add.sql': `${expand}ALTER TABLE users ADD COLUMN nick text;\n`,
        '0002_x.sql': `${expand}${bad.map((sql) => `${sql};`).join('\n')}\n`,
      });
      assert.deepEqual(of(added, 'live-schema-mismatch'), []);
    },
  );

  it('what an earlier pending migration creates, or IF [NOT] EXISTS tolerates, is no mismatch', T, async () => {
    const findings = await run({
      '0001_t.sql': `${expand}CREATE TABLE orders (id bigint PRIMARY KEY);\n`,
      '0002_c.sql': `${expand}ALTER TABLE orders ADD COLUMN total bigint;\nALTER TABLE users ADD COLUMN IF NOT EXISTS name text;\n`,
      '0003_i.sql': `${expand}CREATE INDEX CONCURRENTLY orders_total ON orders (total);\n`,
      '0004_d.sql': `${contract}DROP INDEX CONCURRENTLY orders_total;\nALTER TABLE orders DROP COLUMN total;\n`,
    });
    assert.deepEqual(of(findings, 'live-schema-mismatch'), []);
  });

  it('applied migrations (in baton_schema_migrations) are not judged against the live schema; pending ones are', T, async () => {
    const own = await scratchDatabase(target);
    try {
      const dir = await writeMigrations({ '0001_t.sql': `${expand}CREATE TABLE t (id int PRIMARY KEY, v text);\n` });
      dirs.push(dir);
      await migrate({ url: own.url, dir, analyze: keywordAnalyzer });
      const { writeFile } = await import('node:fs/promises');
      await writeFile(`${dir}/0002_idx.sql`, `${expand}CREATE INDEX t_v ON t (v);\n`);
      const result = await check({ migrations: { dir, dialect: 'postgres' }, database: { url: own.url } });
      // 0001 creates t, which exists: applied, so no mismatch; 0002 is pending and sees t's size.
      assert.deepEqual(of(result.findings, 'live-schema-mismatch'), []);
      const [idx] = of(result.findings, 'create-index-concurrently');
      assert.equal(idx?.file?.replace(/.*\//, ''), '0002_idx.sql');
      assert.equal(idx?.severity, 'info');
      assert.equal(idx?.live?.table, 't');
    } finally {
      await own.drop();
    }
  });

  it('an INVALID index is a finding saying what migrate will do: rebuild (pending migration owns it) or report', T, async () => {
    const own = await scratchDatabase(target);
    const session = await target.dialect.connect(own.url);
    try {
      await session.query('CREATE TABLE t (id int PRIMARY KEY, email text)');
      await session.query("INSERT INTO t VALUES (1, 'a'), (2, 'a')");
      // Duplicates make the concurrent build fail half-way, leaving the index INVALID.
      await assert.rejects(session.query('CREATE UNIQUE INDEX CONCURRENTLY t_email ON t (email)'));
      await assert.rejects(session.query('CREATE UNIQUE INDEX CONCURRENTLY t_stray ON t (email)'));
      const dir = await writeMigrations({
        '0001_idx.sql': `${expand}CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON t (email);\n`,
      });
      dirs.push(dir);
      const result = await check({ migrations: { dir, dialect: 'postgres' }, database: { url: own.url } });
      const invalid = Object.fromEntries(of(result.findings, 'invalid-index').map((f) => [/index (\S+)/.exec(f.message)?.[1], f]));
      assert.equal(invalid.t_email?.severity, 'info');
      assert.match(invalid.t_email?.message ?? '', /DROP INDEX CONCURRENTLY, then 0001_idx builds it again/);
      assert.equal(invalid.t_email?.file?.replace(/.*\//, ''), '0001_idx.sql');
      assert.equal(invalid.t_stray?.severity, 'warning');
      assert.match(invalid.t_stray?.message ?? '', /no pending migration creates it/);
      // The INVALID t_email is the repair's business, not an "already exists" clash.
      assert.deepEqual(of(result.findings, 'live-schema-mismatch'), []);
    } finally {
      await session.close();
      await own.drop();
    }
  });

  it('writes nothing: same relations before and after, no baton table, and the session itself refuses writes', T, async () => {
    const catalog = async () =>
      (
        await q.query(
          `SELECT relname, relkind, relfilenode::text AS f FROM pg_class WHERE relnamespace = current_schema()::regnamespace ORDER BY relname`,
        )
      ).rows;
    const beforeCheck = await catalog();
    const rows = (await q.query('SELECT count(*)::int AS n FROM users')).rows[0]?.n;
    await run({ '0001_x.sql': `${expand}ALTER TABLE users ADD COLUMN x text;\n` });
    assert.deepEqual(await catalog(), beforeCheck);
    assert.ok(!beforeCheck.some((r) => String(r.relname).startsWith('baton_')));
    assert.equal((await q.query('SELECT count(*)::int AS n FROM users')).rows[0]?.n, rows);
    const readOnly = await target.dialect.connect(s.url, { readOnly: true });
    try {
      await assert.rejects(readOnly.query('CREATE TABLE baton_probe (id int)'), /read-only transaction/);
    } finally {
      await readOnly.close();
    }
  });

  it('an unreachable server is DB_UNREACHABLE before any finding; a missing database is DB_NOT_FOUND', T, async () => {
    const dir = await writeMigrations({ '0001_x.sql': `${expand}ALTER TABLE users ADD COLUMN x text;\n` });
    dirs.push(dir);
    await assert.rejects(
      check({ migrations: { dir, dialect: 'postgres' }, database: { url: 'postgres://postgres@127.0.0.1:1/app' } }),
      (e: unknown) => isBatonError(e) && e.code === 'DB_UNREACHABLE' && /127\.0\.0\.1:1/.test(e.message),
    );
    await assert.rejects(
      check({ migrations: { dir, dialect: 'postgres' }, database: { url: `${target.adminUrl.replace(/\/[^/]*$/, '')}/baton_no_such_db` } }),
      (e: unknown) => isBatonError(e) && e.code === 'DB_NOT_FOUND',
    );
  });
});
