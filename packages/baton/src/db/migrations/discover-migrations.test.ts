import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, describe, it } from 'node:test';
import { demoMigrationsDir, renameMigrations, writeMigrations } from '../testing/rename-fixtures.js';
import { discoverMigrations } from './discover-migrations.js';
import { MigrationsInvalidError } from './migration-problem.js';

// These run the real analyzer (check/analyze-migration.ts): the runner must agree with the linter.
describe('discoverMigrations with the real migration analyzer', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });
  async function folder(files: Record<string, string>): Promise<string> {
    const d = await writeMigrations(files);
    dirs.push(d);
    return d;
  }
  async function problems(files: Record<string, string>, dialect: 'postgres' | 'mysql' = 'postgres'): Promise<string[]> {
    try {
      await discoverMigrations(await folder(files), { dialect });
    } catch (error) {
      assert.ok(error instanceof MigrationsInvalidError, String(error));
      return error.problems.map((p) => p.code);
    }
    return [];
  }

  it('classifies the demo app rename 0001..0004 as expand, expand, backfill, contract', async () => {
    const { migrations } = await discoverMigrations(demoMigrationsDir, { dialect: 'postgres' });
    assert.deepEqual(
      migrations.map((m) => [m.version, m.phase]),
      [
        [1, 'expand'],
        [2, 'expand'],
        [3, 'backfill'],
        [4, 'contract'],
      ],
    );
    assert.deepEqual(migrations[2]?.backfill, { table: 'users', key: ['id'], batch: 1000, bounds: 'range' });
    assert.match(migrations[0]?.down ?? '', /DROP TABLE users/);
    assert.equal(migrations[3]?.down, undefined);
  });

  it('classifies the MariaDB rename the same way', async () => {
    const dir = await renameMigrations('mysql');
    dirs.push(dir);
    const { migrations } = await discoverMigrations(dir, { dialect: 'mysql' });
    assert.deepEqual(
      migrations.map((m) => m.phase),
      ['expand', 'expand', 'backfill', 'contract'],
    );
  });

  it('a declared phase earlier than the SQL is an error; a later one is allowed', async () => {
    assert.deepEqual(
      await problems({
        '0001_a.sql': 'CREATE TABLE a (id int, b int);',
        '0002_b.sql': '-- baton: phase=expand\nALTER TABLE a DROP COLUMN b;',
      }),
      ['phase-mismatch'],
    );
    assert.deepEqual(await problems({ '0001_a.sql': '-- baton: phase=contract\nCREATE TABLE a (id int);' }), []);
  });

  it('unparsable SQL is reported with its file, before any database is touched', async () => {
    assert.deepEqual(await problems({ '0001_a.sql': 'CREATE TABLE a (id int);', '0002_b.sql': 'CREAT TABEL b (id int);' }), ['sql-parse']);
  });

  it('reports every problem at once: a gap and an unknown header', async () => {
    const codes = await problems({
      '0001_a.sql': '-- baton: phase=expand colour=blue\nCREATE TABLE a (id int);',
      '0003_c.sql': 'CREATE TABLE c (id int);',
    });
    assert.deepEqual(codes.sort(), ['gap', 'unknown-header']);
  });
});
