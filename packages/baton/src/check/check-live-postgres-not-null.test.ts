// `check --database` and SET NOT NULL against the machine's PostgreSQL (127.0.0.1:5432): a
// validated CHECK (col IS NOT NULL) lets PostgreSQL 12+ skip the scan, a NOT VALID one does not.
// Each claim is first proven on the server: pg_stat_xact_user_tables counts the scan SET NOT NULL
// makes (inside a rolled-back transaction), then check must say the same.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { DbSession } from '../db/dialect.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { check } from '../operations/check.js';
import type { Finding } from './finding.js';

const T = { timeout: 60_000 };
const expand = '-- baton: phase=expand\n';
const contract = '-- baton: phase=contract\n';
// Every table counts as big: a small one would turn the scan finding into info and hide the difference.
const big = { rows: 0, bytes: 0 };

describe('baton check --database: SET NOT NULL and live CHECK constraints (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  const dirs: string[] = [];
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
    await q.query('CREATE TABLE accounts (id int PRIMARY KEY, email text, phone text, nick text)');
    await q.query("INSERT INTO accounts SELECT g, 'e' || g, 'p' || g, 'n' || g FROM generate_series(1, 50) g");
    await q.query('ALTER TABLE accounts ADD CONSTRAINT accounts_email_nn CHECK (email IS NOT NULL)');
    await q.query('ALTER TABLE accounts ADD CONSTRAINT accounts_phone_nn CHECK (phone IS NOT NULL) NOT VALID');
    await q.query('ANALYZE accounts');
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });
  const run = async (files: Record<string, string>): Promise<Finding[]> => {
    const dir = await writeMigrations(files);
    dirs.push(dir);
    return (await check({ migrations: { dir, dialect: 'postgres' }, database: { url: s.url, smallTable: big } })).findings;
  };
  const of = (findings: Finding[], ruleId: string): Finding[] => findings.filter((f) => f.ruleId === ruleId);
  /**
   * How many full scans of accounts `statements` make, measured on the server and rolled back.
   * The view also holds this session's counts not yet flushed, hence the difference; nothing is
   * flushed inside a transaction.
   */
  const scansOf = async (...statements: string[]): Promise<number> => {
    const scans = async () =>
      Number((await q.query(`SELECT seq_scan::int AS n FROM pg_stat_xact_user_tables WHERE relname = 'accounts'`)).rows[0]?.n);
    await q.query('BEGIN');
    try {
      const before = await scans();
      for (const sql of statements) await q.query(sql);
      return (await scans()) - before;
    } finally {
      await q.query('ROLLBACK');
    }
  };

  it('a live validated CHECK (email IS NOT NULL): the server skips the scan, and check says info naming the constraint', T, async () => {
    assert.equal(await scansOf('ALTER TABLE accounts ALTER COLUMN email SET NOT NULL'), 0);
    const [finding, ...more] = of(
      await run({ '0001_nn.sql': `${contract}ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n` }),
      'set-not-null',
    );
    assert.deepEqual(more, []);
    assert.equal(finding?.severity, 'info');
    assert.match(finding?.message ?? '', /validated constraint accounts_email_nn .*skips the table scan/);
    assert.match(finding?.hint ?? '', /ALTER TABLE accounts DROP CONSTRAINT accounts_email_nn, after the SET NOT NULL/);
    // Nothing was measured for it: the cost no longer depends on the size.
    assert.equal(finding?.live, undefined);
    // Free, but still contract: the running release may write NULL, which the column then refuses.
    const early = await run({ '0001_nn.sql': `${expand}ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n` });
    assert.equal(of(early, 'phase-mismatch')[0]?.severity, 'error');
  });

  it('a live NOT VALID CHECK (phone IS NOT NULL): the server scans, and check keeps the error, saying to validate first', T, async () => {
    assert.equal(await scansOf('ALTER TABLE accounts ALTER COLUMN phone SET NOT NULL'), 1);
    const [finding] = of(
      await run({ '0001_nn.sql': `${contract}ALTER TABLE accounts ALTER COLUMN phone SET NOT NULL;\n` }),
      'set-not-null',
    );
    assert.equal(finding?.severity, 'error');
    assert.match(finding?.message ?? '', /scans every row.*accounts_phone_nn CHECK \(phone IS NOT NULL\) is NOT VALID/);
    assert.match(finding?.hint ?? '', /VALIDATE CONSTRAINT accounts_phone_nn/);
    // No CHECK at all: the plain finding.
    const [plain] = of(await run({ '0001_nn.sql': `${contract}ALTER TABLE accounts ALTER COLUMN nick SET NOT NULL;\n` }), 'set-not-null');
    assert.equal(plain?.severity, 'error');
    assert.doesNotMatch(plain?.message ?? '', /live, constraint/);
  });

  it('earlier pending migrations are replayed: added NOT VALID then validated proves it; added only, or dropped, does not', T, async () => {
    const add = `${expand}ALTER TABLE accounts ADD CONSTRAINT accounts_nick_nn CHECK (nick IS NOT NULL) NOT VALID;\n`;
    const setNick = `${contract}ALTER TABLE accounts ALTER COLUMN nick SET NOT NULL;\n`;
    const proven = of(
      await run({
        '0001_add.sql': add,
        '0002_validate.sql': `${expand}ALTER TABLE accounts VALIDATE CONSTRAINT accounts_nick_nn;\n`,
        '0003_nn.sql': setNick,
      }),
      'set-not-null',
    );
    assert.deepEqual(
      proven.map((f) => [f.file?.replace(/.*\//, ''), f.severity]),
      [['0003_nn.sql', 'info']],
    );
    assert.match(proven[0]?.message ?? '', /accounts_nick_nn/);

    const [unvalidated] = of(await run({ '0001_add.sql': add, '0002_nn.sql': setNick }), 'set-not-null');
    assert.equal(unvalidated?.severity, 'error');
    assert.match(unvalidated?.message ?? '', /accounts_nick_nn .* is NOT VALID/);

    // Validating the live NOT VALID one in an earlier pending migration proves phone too.
    const [phone] = of(
      await run({
        '0001_validate.sql': `${expand}ALTER TABLE accounts VALIDATE CONSTRAINT accounts_phone_nn;\n`,
        '0002_nn.sql': `${contract}ALTER TABLE accounts ALTER COLUMN phone SET NOT NULL;\n`,
      }),
      'set-not-null',
    );
    assert.equal(phone?.severity, 'info');

    // A dropped CHECK (IF EXISTS included) proves nothing any more.
    const [dropped] = of(
      await run({
        '0001_drop.sql': `${expand}ALTER TABLE accounts DROP CONSTRAINT IF EXISTS accounts_email_nn;\n`,
        '0002_nn.sql': `${contract}ALTER TABLE accounts ALTER COLUMN email SET NOT NULL;\n`,
      }),
      'set-not-null',
    );
    assert.equal(dropped?.severity, 'error');
    assert.equal(
      await scansOf('ALTER TABLE accounts DROP CONSTRAINT accounts_email_nn', 'ALTER TABLE accounts ALTER COLUMN email SET NOT NULL'),
      1,
    );
  });
});
