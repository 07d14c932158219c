// `check --database` against the machine's MariaDB (127.0.0.1:3306): a scratch database per
// file, dropped afterwards. "Big" is made with a low --small-table-rows, not with rows.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { isBatonError } from '../errors.js';
import type { DbSession } from '../db/dialect.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { check } from '../operations/check.js';
import type { Finding } from './finding.js';

const T = { timeout: 60_000 };

describe('baton check --database (mariadb 127.0.0.1:3306)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  const dirs: string[] = [];
  before(async () => {
    target = await machineTarget('mariadb');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
    await q.query('CREATE TABLE users (id int PRIMARY KEY, email varchar(20), name text) ENGINE=InnoDB');
    await q.query("INSERT INTO users VALUES (1, 'a', 'n'), (2, 'b', 'n'), (3, 'c', 'n')");
    await q.query('ANALYZE TABLE users');
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const run = async (files: Record<string, string>, smallTable?: { rows: number; bytes: number }): Promise<Finding[]> => {
    const dir = await writeMigrations(files);
    dirs.push(dir);
    return (await check({ migrations: { dir, dialect: 'mysql' }, database: { url: s.url, ...(smallTable ? { smallTable } : {}) } }))
      .findings;
  };
  const of = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId);

  it('an ALGORITHM=COPY alter of a small table is info with its size; under a lower threshold an error with the size', T, async () => {
    const files = { '0001_copy.sql': '-- baton: phase=expand\nALTER TABLE users ADD COLUMN nick varchar(10), ALGORITHM=COPY;\n' };
    const [small] = of(await run(files), 'mysql-algorithm-lock');
    assert.equal(small?.severity, 'info');
    assert.match(small?.message ?? '', /table users has ~3 rows, \d+ kB: the lock is held for milliseconds/);
    assert.equal(small?.live?.rowEstimate, 3);
    const [big] = of(await run(files, { rows: 1, bytes: 1024 * 1024 * 1024 }), 'mysql-algorithm-lock');
    assert.equal(big?.severity, 'error');
    assert.match(big?.message ?? '', /\(live: table users has ~3 rows, \d+ kB\)$/);
  });

  it('a missing column or table and an existing column are live-schema-mismatch errors', T, async () => {
    const findings = await run({
      '0001_bad.sql':
        '-- baton: phase=contract\nALTER TABLE users DROP COLUMN nickname;\nALTER TABLE ghosts ADD COLUMN x int;\nALTER TABLE users ADD COLUMN email varchar(20);\n',
    });
    const mismatches = of(findings, 'live-schema-mismatch');
    assert.deepEqual(
      mismatches.map((f) => [f.line, f.severity]),
      [
        [2, 'error'],
        [3, 'error'],
        [4, 'error'],
      ],
    );
    assert.match(mismatches[0]?.message ?? '', /users\.nickname, which does not exist/);
    assert.match(mismatches[1]?.message ?? '', /table ghosts, which does not exist/);
    assert.match(mismatches[2]?.message ?? '', /users\.email, which already exists/);
  });

  it(
    'index columns and UPDATE ... SET targets the live table lacks are mismatches, as the server says; a JOIN update is not judged',
    T,
    async () => {
      const bad = [
        'CREATE INDEX users_nick ON users (nick)',
        'ALTER TABLE users ADD INDEX users_nick2 (email, nick)',
        "UPDATE users SET nick = 'x' WHERE id = 1",
      ];
      const good = [
        'ALTER TABLE users ADD INDEX users_ok (email, name(10))',
        "UPDATE users AS u SET u.name = 'n' WHERE id = -1",
        "UPDATE users u JOIN users v ON v.id = u.id SET v.name = 'n' WHERE u.id = -1",
      ];
      // The server first, on a copy so the live table stays as check reads it.
      await q.query('CREATE TABLE probe LIKE users');
      try {
        for (const sql of [...bad, ...good]) {
          const onProbe = sql.replace(/\busers\b/g, 'probe');
          if (bad.includes(sql)) await assert.rejects(q.query(onProbe), /Unknown column 'nick'|Key column 'nick' doesn't exist/);
          else await q.query(onProbe);
        }
      } finally {
        await q.query('DROP TABLE probe');
      }
      const findings = await run({ '0001_x.sql': `-- baton: phase=expand\n${[...bad, ...good].map((sql) => `${sql};`).join('\n')}\n` });
      const mismatches = of(findings, 'live-schema-mismatch');
      assert.deepEqual(
        mismatches.map((f) => f.line),
        [2, 3, 4],
      );
      assert.match(mismatches[1]?.message ?? '', /indexes column users\.nick, which does not exist/);
      assert.match(mismatches[2]?.message ?? '', /updates column users\.nick, which does not exist/);
    },
  );

  it('writes nothing: same tables and rows before and after, no baton table, and the session itself refuses writes', T, async () => {
    const tables = async () =>
      (await q.query('SELECT TABLE_NAME AS t, CREATE_TIME AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() ORDER BY 1'))
        .rows;
    const beforeCheck = await tables();
    await run({ '0001_x.sql': '-- baton: phase=expand\nALTER TABLE users ADD COLUMN x text;\n' });
    assert.deepEqual(await tables(), beforeCheck);
    assert.deepEqual(
      beforeCheck.map((r) => r.t),
      ['users'],
    );
    assert.equal((await q.query('SELECT count(*) AS n FROM users')).rows[0]?.n, 3);
    const readOnly = await target.dialect.connect(s.url, { readOnly: true });
    try {
      await assert.rejects(readOnly.query("INSERT INTO users VALUES (9, 'z', 'z')"), /READ ONLY/i);
    } finally {
      await readOnly.close();
    }
  });

  it('an unreachable server is DB_UNREACHABLE; a URL without a database is DB_URL_INVALID', T, async () => {
    const dir = await writeMigrations({ '0001_x.sql': '-- baton: phase=expand\nALTER TABLE users ADD COLUMN x text;\n' });
    dirs.push(dir);
    await assert.rejects(
      check({ migrations: { dir, dialect: 'mysql' }, database: { url: 'mysql://root@127.0.0.1:1/app' } }),
      (e: unknown) => isBatonError(e) && e.code === 'DB_UNREACHABLE',
    );
    // A server URL without a database has no schema to read: said so, not N "missing table" errors.
    await assert.rejects(
      check({ migrations: { dir, dialect: 'mysql' }, database: { url: target.adminUrl } }),
      (e: unknown) => isBatonError(e) && e.code === 'DB_URL_INVALID' && /names no database/.test(e.message),
    );
  });
});
