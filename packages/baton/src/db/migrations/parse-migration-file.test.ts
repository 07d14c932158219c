import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMigrationFile } from './parse-migration-file.js';
import { splitSql } from './split-sql.js';

describe('parseMigrationFile', () => {
  it('reads headers, up and down SQL, and fingerprints the whole file', () => {
    const text =
      '-- baton: phase=expand\nALTER TABLE users ADD COLUMN full_name text;\n-- baton: down\nALTER TABLE users DROP COLUMN full_name;\n';
    const { migration, problems } = parseMigrationFile(text, '/m/0002_add_full_name.sql');
    assert.deepEqual(problems, []);
    assert.equal(migration?.version, 2);
    assert.equal(migration?.name, 'add_full_name');
    assert.equal(migration?.declaredPhase, 'expand');
    assert.equal(migration?.up, 'ALTER TABLE users ADD COLUMN full_name text;');
    assert.equal(migration?.down, 'ALTER TABLE users DROP COLUMN full_name;');
    assert.equal(migration?.timeout, 'short');
    assert.match(migration?.checksum ?? '', /^[0-9a-f]{64}$/);
    assert.notEqual(parseMigrationFile(`${text} `, '/m/0002_add_full_name.sql').migration?.checksum, migration?.checksum);
  });

  it('runs CONCURRENTLY outside a transaction under the long profile, and refuses it inside BEGIN/COMMIT', () => {
    const ok = parseMigrationFile('CREATE INDEX CONCURRENTLY users_name ON users (full_name);', '/m/0005_idx.sql');
    assert.equal(ok.migration?.concurrently, true);
    assert.equal(ok.migration?.timeout, 'long');
    const bad = parseMigrationFile('BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (c);\nCOMMIT;', '/m/0005_idx.sql');
    assert.deepEqual(
      bad.problems.map((p) => p.code),
      ['concurrently-in-transaction'],
    );
    assert.equal(parseMigrationFile('ALTER TABLE t VALIDATE CONSTRAINT c;', '/m/0006_v.sql').migration?.timeout, 'long');
  });

  it('checks backfill headers and placeholders', () => {
    const good = parseMigrationFile(
      '-- baton: phase=backfill table=users key=id batch=500\nUPDATE users SET a = b WHERE id >= :start AND id < :end;',
      '/m/0003_b.sql',
    );
    assert.deepEqual(good.migration?.backfill, { table: 'users', key: ['id'], batch: 500, bounds: 'range' });
    const keyset = parseMigrationFile(
      '-- baton: phase=backfill table=orders key=tenant_id,id\nUPDATE orders SET a = b WHERE :batch AND a IS NULL;',
      '/m/0003_b.sql',
    );
    assert.deepEqual(keyset.problems, []);
    assert.deepEqual(keyset.migration?.backfill, { table: 'orders', key: ['tenant_id', 'id'], batch: 1000, bounds: 'keyset' });
    const primary = parseMigrationFile('-- baton: phase=backfill table=orders\nUPDATE orders SET a = b WHERE :batch;', '/m/0003_b.sql');
    assert.deepEqual(primary.migration?.backfill?.key, [], 'no key= means the primary key, read from the live table');
    const bad = parseMigrationFile('-- baton: phase=backfill table=users key=id batch=0\nUPDATE users SET a = b;', '/m/0003_b.sql');
    assert.deepEqual(bad.problems.map((p) => p.message).length, 2);
    const composite = parseMigrationFile(
      '-- baton: phase=backfill table=t key=a,b\nUPDATE t SET v = 1 WHERE a >= :start AND a < :end;',
      '/m/0003_b.sql',
    );
    assert.match(composite.problems.map((p) => p.message).join('\n'), /composite key needs :batch/);
  });

  it('rejects bad names, unknown keys and malformed headers with line numbers', () => {
    assert.equal(parseMigrationFile('SELECT 1;', '/m/3_x.sql').problems[0]?.code, 'bad-name');
    const { problems } = parseMigrationFile(
      '-- a comment\n-- baton: phase=expand speed=fast\n-- baton: phase\nCREATE TABLE a (id int);',
      '/m/0001_a.sql',
    );
    assert.deepEqual(
      problems.map((p) => [p.code, p.line]),
      [
        ['unknown-header', 2],
        ['bad-header', 3],
      ],
    );
  });
});

describe('splitSql', () => {
  it('splits at top-level semicolons only', () => {
    const script = `CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;
-- a comment; with a semicolon
INSERT INTO t VALUES ('a;b', "c;d");
/* block; comment */ SELECT 2`;
    assert.deepEqual(splitSql(script).length, 3);
    assert.match(splitSql(script)[1] ?? '', /^-- a comment; with a semicolon\nINSERT/);
    assert.deepEqual(splitSql('  ;\n-- only a comment\n'), []);
  });
});
