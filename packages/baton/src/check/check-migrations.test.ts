import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkMigrations } from './check-migrations.js';
import { exitCodeFor } from './exit-code-for.js';

const demoMigrations = fileURLToPath(new URL('../../../demo-app/migrations/', import.meta.url));

test('the demo-app migrations pass with no errors', { timeout: 30_000 }, async () => {
  const findings = await checkMigrations({ dir: demoMigrations, dialect: 'postgres' });
  assert.deepEqual(
    findings.filter((f) => f.severity === 'error'),
    [],
  );
  assert.equal(exitCodeFor(findings), 0);
});

test('a directory: parse errors become findings, duplicates and names are reported, history counts', { timeout: 30_000 }, async () => {
  const dir = await mkdtemp(join(tmpdir(), 'baton-check-'));
  try {
    await writeFile(
      join(dir, '0001_add.sql'),
      '-- baton: phase=expand\nALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;\n',
    );
    await writeFile(join(dir, '0002_validate.sql'), '-- baton: phase=expand\nALTER TABLE users VALIDATE CONSTRAINT email_nn;\n');
    await writeFile(join(dir, '0003_not_null.sql'), '-- baton: phase=contract\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\n');
    await writeFile(join(dir, '0003_rename.sql'), 'ALTER TABLE users RENAME COLUMN name TO full_name;\n');
    await writeFile(join(dir, '0004_broken.sql'), '-- baton: phase=expand\n\nALTER TABLE users ADD COLUMN ;\n');
    await writeFile(join(dir, '0006_gap.sql'), '-- baton: phase=expand\nALTER TABLE users ADD COLUMN b text;\n');
    await writeFile(join(dir, 'notes.sql'), 'SELECT 1;\n');
    await writeFile(join(dir, '0007_CamelCase.sql'), 'SELECT 1;\n');
    const findings = await checkMigrations({ dir, dialect: 'postgres' });
    const summary = findings.map((f) => `${f.ruleId}@${f.file?.slice(dir.length + 1)}:${f.line ?? '-'}`).sort();
    assert.deepEqual(summary, [
      'migration-file-name@0007_CamelCase.sql:-',
      'migration-file-name@notes.sql:-',
      'migration-order@0003_rename.sql:1',
      'migration-order@0006_gap.sql:1',
      'rename-column@0003_rename.sql:1',
      'sql-parse@0004_broken.sql:3',
    ]);
    assert.equal(exitCodeFor(findings), 1);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a missing directory is a BatonError', { timeout: 30_000 }, async () => {
  await assert.rejects(checkMigrations({ dir: '/nonexistent/baton-migrations', dialect: 'postgres' }), { code: 'MIGRATIONS_DIR' });
});

test('exitCodeFor', { timeout: 30_000 }, () => {
  assert.equal(exitCodeFor([]), 0);
  assert.equal(exitCodeFor([{ ruleId: 'x', severity: 'warning', message: 'm', hint: 'h' }]), 0);
  assert.equal(
    exitCodeFor([
      { ruleId: 'x', severity: 'info', message: 'm', hint: 'h' },
      { ruleId: 'y', severity: 'error', message: 'm', hint: 'h' },
    ]),
    1,
  );
});
