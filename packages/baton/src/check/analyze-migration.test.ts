import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isBatonError } from '../errors.js';
import { analyzeMigration, type MigrationPhase } from './analyze-migration.js';
import { SqlParseError } from './sql/sql-parse-error.js';

// The classification table: what each kind of change is, with no phase declared.
const classification: [string, MigrationPhase][] = [
  ['ALTER TABLE users ADD COLUMN full_name text;', 'expand'],
  ['CREATE TABLE audit (id bigint PRIMARY KEY, at timestamptz);', 'expand'],
  ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', 'expand'],
  ['ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;', 'expand'],
  ['ALTER TABLE orders VALIDATE CONSTRAINT fk;', 'expand'],
  ["ALTER TYPE status ADD VALUE 'paused';", 'expand'],
  ['ALTER TABLE users ALTER COLUMN name DROP NOT NULL;', 'expand'],
  ['SET lock_timeout = 1000;', 'expand'],
  ['UPDATE users SET full_name = name WHERE id >= :start AND id < :end;', 'backfill'],
  ['DELETE FROM sessions WHERE id >= :start AND id < :end;', 'backfill'],
  ['INSERT INTO users_v2 (id, name) SELECT id, name FROM users WHERE id >= :start AND id < :end;', 'backfill'],
  ['ALTER TABLE users DROP COLUMN name;', 'contract'],
  ['DROP TABLE sessions;', 'contract'],
  ['ALTER TABLE users RENAME COLUMN name TO full_name;', 'contract'],
  ['ALTER TABLE users RENAME TO accounts;', 'contract'],
  ['ALTER TABLE users ALTER COLUMN age TYPE bigint;', 'contract'],
  ['ALTER TABLE users ALTER COLUMN email SET NOT NULL;', 'contract'],
  ["ALTER TYPE status RENAME VALUE 'a' TO 'b';", 'contract'],
  ['TRUNCATE sessions;', 'contract'],
  ['ALTER TABLE users ADD COLUMN full_name text;\nUPDATE users SET full_name = name WHERE id < 10;', 'expand'],
  ['ALTER TABLE users ADD COLUMN full_name text;\nALTER TABLE users DROP COLUMN name;', 'contract'],
];

test('classification table (postgres)', { timeout: 30_000 }, () => {
  for (const [sql, phase] of classification) {
    assert.equal(analyzeMigration(sql, { dialect: 'postgres' }).phase, phase, sql);
  }
});

test('classification (mysql)', { timeout: 30_000 }, () => {
  const mysql: [string, MigrationPhase][] = [
    ['ALTER TABLE users ADD COLUMN full_name VARCHAR(200);', 'expand'],
    ['UPDATE users SET full_name = name WHERE id >= :start AND id < :end;', 'backfill'],
    ['ALTER TABLE users DROP COLUMN name;', 'contract'],
    ['ALTER TABLE users CHANGE name full_name VARCHAR(200);', 'contract'],
    ['ALTER TABLE users MODIFY age BIGINT;', 'contract'],
  ];
  for (const [sql, phase] of mysql) assert.equal(analyzeMigration(sql, { dialect: 'mysql' }).phase, phase, sql);
});

test('a clean expand migration in the documented format has no findings', { timeout: 30_000 }, () => {
  const sql = [
    '-- baton: phase=expand',
    'ALTER TABLE users ADD COLUMN full_name text;',
    '-- baton: down',
    'ALTER TABLE users DROP COLUMN full_name;',
    '',
  ].join('\n');
  assert.deepEqual(analyzeMigration(sql, { dialect: 'postgres', file: '0002_full_name.sql' }), { phase: 'expand', findings: [] });
});

test('unparsable SQL throws SQL_PARSE with file:line:column, in up and in down', { timeout: 30_000 }, () => {
  const broken = '-- baton: phase=expand\nALTER TABLE users ADD COLUMN a text;\nALTER TABLE users ADD COLUMN ;\n';
  assert.throws(
    () => analyzeMigration(broken, { dialect: 'postgres', file: '0003_x.sql' }),
    (error: unknown) => {
      assert.ok(isBatonError(error) && error instanceof SqlParseError);
      assert.equal(error.code, 'SQL_PARSE');
      assert.equal(error.line, 3);
      assert.match(error.message, /^0003_x\.sql:3:\d+: syntax error/);
      return true;
    },
  );
  const brokenDown = 'ALTER TABLE users ADD COLUMN a text;\n-- baton: down\n\nALTER TABLE users DROP COLUMN;\n';
  assert.throws(
    () => analyzeMigration(brokenDown, { dialect: 'postgres' }),
    (error: unknown) => error instanceof SqlParseError && error.line === 4,
  );
  assert.throws(
    () => analyzeMigration('SELECT 1;\n\nALTER TABLE t ADD COLUMN;', { dialect: 'mysql', file: 'm.sql' }),
    (error: unknown) => {
      assert.ok(error instanceof SqlParseError);
      assert.equal(error.line, 3);
      assert.match(error.message, /^m\.sql:3:/);
      return true;
    },
  );
});

test(':start/:end placeholders parse and keep columns exact', { timeout: 30_000 }, () => {
  const sql =
    '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET b = x::text WHERE id >= :start AND id < :end AND b IS NULL;';
  assert.deepEqual(analyzeMigration(sql, { dialect: 'postgres' }), { phase: 'backfill', findings: [] });
  assert.deepEqual(analyzeMigration(sql.replace('x::text', 'CAST(x AS CHAR)'), { dialect: 'mysql' }).findings, []);
});

test('findings point at the statement line, after comments', { timeout: 30_000 }, () => {
  const sql =
    '-- baton: phase=expand\n\n-- add the new column\nALTER TABLE users ADD COLUMN a text;\n  /* block */ CREATE INDEX i ON users (a);';
  const [finding] = analyzeMigration(sql, { dialect: 'postgres', file: 'f.sql' }).findings;
  assert.deepEqual(
    { rule: finding?.ruleId, line: finding?.line, column: finding?.column },
    { rule: 'create-index-concurrently', line: 5, column: 15 },
  );
});

test('allow= silences a rule for the file, but never phase-mismatch', { timeout: 30_000 }, () => {
  const sql =
    '-- baton: phase=expand allow=create-index-concurrently,phase-mismatch\nCREATE INDEX i ON tiny (a);\nALTER TABLE t DROP COLUMN c;';
  const ids = analyzeMigration(sql, { dialect: 'postgres' }).findings.map((f) => f.ruleId);
  assert.ok(!ids.includes('create-index-concurrently'));
  assert.ok(ids.includes('phase-mismatch'));
  const headerMessages = analyzeMigration(sql, { dialect: 'postgres' })
    .findings.filter((f) => f.ruleId === 'migration-header')
    .map((f) => f.message);
  assert.deepEqual(headerMessages, ['allow=phase-mismatch: phase-mismatch cannot be silenced']);
  const typo = analyzeMigration('-- baton: allow=create-index-concurrent\nCREATE INDEX i ON t (a);', { dialect: 'postgres' }).findings.map(
    (f) => `${f.ruleId}: ${f.message.split(':')[0]}`,
  );
  assert.deepEqual(typo, [
    'migration-header: allow=create-index-concurrent',
    'create-index-concurrently: creates index i on t without CONCURRENTLY',
  ]);
});

test('bad headers are error findings, as the migration runner would refuse them', { timeout: 30_000 }, () => {
  const headerProblems = (sql: string): string[] =>
    analyzeMigration(sql, { dialect: 'postgres' })
      .findings.filter((f) => f.ruleId === 'migration-header')
      .map((f) => `${f.line}: ${f.message}`);
  assert.deepEqual(headerProblems('-- baton: phase=later\nSELECT 1;'), [
    '1: unknown phase "later" (expected expand, backfill or contract)',
  ]);
  assert.deepEqual(headerProblems('-- baton: phase=expand\n-- baton: owner=me timeout=forever\nSELECT 1;'), [
    '2: unknown header key "owner" (known: phase, timeout, table, key, batch, allow)',
    '2: timeout must be short or long (got "forever")',
  ]);
  assert.deepEqual(headerProblems('-- baton: phase=expand table=users\nSELECT 1;'), ['1: "table" only applies to phase=backfill']);
  assert.deepEqual(headerProblems('-- baton: phase=expand phase=contract\nSELECT 1;'), ['1: header key "phase" given twice']);
  assert.deepEqual(headerProblems('-- baton: phase=expand timeout=long\nSELECT 1;'), []);
});

test('a migration without SQL is an error', { timeout: 30_000 }, () => {
  const [finding] = analyzeMigration('-- baton: phase=expand\n-- nothing yet\n', { dialect: 'postgres', file: 'f.sql' }).findings;
  assert.equal(finding?.ruleId, 'migration-empty');
});

test('valid MySQL the parser lacks is recognised by shape, never hiding other actions', { timeout: 30_000 }, () => {
  const ids = (sql: string): string[] => analyzeMigration(sql, { dialect: 'mysql' }).findings.map((f) => f.ruleId);
  assert.deepEqual(
    ids(
      "ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';\nALTER TABLE users ALTER nickname DROP DEFAULT;\nALTER TABLE users RENAME INDEX a TO b;",
    ),
    [],
  );
  assert.deepEqual(ids('ALTER TABLE users CONVERT TO CHARACTER SET utf8mb4;'), ['alter-column-type']);
  assert.throws(
    () => analyzeMigration('ALTER TABLE users ALTER COLUMN a SET DEFAULT 1, DROP COLUMN b;', { dialect: 'mysql' }),
    SqlParseError,
  );
});

test('positions stay exact after non-ASCII text (parser offsets are UTF-8 bytes)', { timeout: 30_000 }, () => {
  const sql = "-- naïve café migration ✓\nCOMMENT ON TABLE users IS 'utilisateurs été';\n  CREATE INDEX i ON users (email);\n";
  const [finding] = analyzeMigration(sql, { dialect: 'postgres' }).findings;
  assert.deepEqual([finding?.ruleId, finding?.line, finding?.column], ['create-index-concurrently', 3, 3]);
  assert.throws(
    () => analyzeMigration("-- ✓ é\nSELECT 'é';\nSELEC 1;", { dialect: 'postgres' }),
    (error: unknown) => error instanceof SqlParseError && error.line === 3 && error.column === 1,
  );
});
