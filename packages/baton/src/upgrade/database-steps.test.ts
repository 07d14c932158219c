// The database part of `baton plan` against the machine's PostgreSQL (127.0.0.1:5432): it names
// the pending migrations with their phase and the INVALID-index repairs migrate will do, and
// writes nothing. One scratch database, dropped afterwards.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { DbSession } from '../db/dialect.js';
import { migrate } from '../db/migrations/migrate.js';
import { keywordAnalyzer } from '../db/testing/keyword-analyzer.js';
import { writeMigrations } from '../db/testing/rename-fixtures.js';
import { machineTarget, scratchDatabase, type DbTarget, type ScratchDatabase } from '../db/testing/db-targets.js';
import { formatPlan } from '../cli/format-plan.js';
import { specSchema } from '../spec/schema.js';
import { databaseSteps } from './database-steps.js';

const files = [
  { name: '0001_t.sql', text: '-- baton: phase=expand\nCREATE TABLE t (id int PRIMARY KEY, email text);\n' },
  { name: '0002_email.sql', text: '-- baton: phase=expand\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS t_email ON t (email);\n' },
  { name: '0003_drop.sql', text: '-- baton: phase=contract\nALTER TABLE t DROP COLUMN email;\n' },
];

const spec = specSchema.parse({
  apiVersion: 'baton.dev/v1alpha1',
  kind: 'Upgrade',
  app: 'web',
  namespace: 'shop',
  manifests: ['k8s/'],
  image: { ref: 'shop/web:v2' },
  database: { dialect: 'postgres', url: { env: 'APP_DB' }, migrations: { dir: 'migrations' } },
});

describe('databaseSteps: pending migrations and index repairs in the plan (postgres 127.0.0.1:5432)', () => {
  let target: DbTarget;
  let s: ScratchDatabase;
  let q: DbSession;
  let dir: string;
  before(async () => {
    target = await machineTarget('postgres');
    s = await scratchDatabase(target);
    q = await target.dialect.connect(s.url);
    dir = await writeMigrations({ '0001_t.sql': files[0]?.text ?? '' });
    await migrate({ url: s.url, dir, analyze: keywordAnalyzer });
    await q.query("INSERT INTO t VALUES (1, 'a'), (2, 'a')");
    // Duplicates make the concurrent build fail half-way: t_email is left INVALID.
    await assert.rejects(q.query('CREATE UNIQUE INDEX CONCURRENTLY t_email ON t (email)'));
  });
  after(async () => {
    await q?.close();
    await s?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists 0002 (expand) and 0003 (contract), and the rebuild of t_email by 0002, in data and in the text plan', {
    timeout: 60_000,
  }, async () => {
    const tablesBefore = await target.dialect.listTables(q);
    const planned = await databaseSteps(
      { spec, migrations: files, backupDir: '.baton/backups' },
      { env: { APP_DB: s.url }, fromVersion: 'v1', toVersion: 'v2' },
    );
    assert.deepEqual(planned?.migrations?.pending, [
      { version: 2, name: 'email', phase: 'expand' },
      { version: 3, name: 'drop', phase: 'contract' },
    ]);
    assert.deepEqual(
      planned?.migrations?.indexRepairs.map((r) => [r.index, r.action, r.migration]),
      [['t_email', 'rebuild', '0002_email']],
    );
    assert.deepEqual(await target.dialect.listTables(q), tablesBefore, 'planning wrote nothing');

    const text = formatPlan({
      app: 'web',
      namespace: 'shop',
      strategy: 'rolling',
      from: null,
      to: { version: 'v2', image: 'shop/web:v2' },
      steps: [],
      drift: [],
      warnings: [],
      ...(planned?.migrations ? { migrations: planned.migrations } : {}),
    });
    assert.match(text, /Migrations:\n {2}0002_email {2}expand\n {2}0003_drop {2}contract\n/);
    assert.match(text, /INVALID indexes .*:\n {2}rebuild: index t_email on t is INVALID .*then 0002_email builds it again/);
  });

  it('an applied migration edited since is refused at plan time (exit 2 code), before the backup and migrate', {
    timeout: 60_000,
  }, async () => {
    const edited = [{ name: '0001_t.sql', text: `${files[0]?.text ?? ''}-- a later edit\n` }, ...files.slice(1)];
    await assert.rejects(
      databaseSteps(
        { spec, migrations: edited, backupDir: '.baton/backups' },
        { env: { APP_DB: s.url }, fromVersion: 'v1', toVersion: 'v2' },
      ),
      (e: Error & { code?: string }) =>
        e.code === 'MIGRATION_CHECKSUM_MISMATCH' && /0001_t\.sql.*an applied migration was edited/.test(e.message),
    );
  });
});
