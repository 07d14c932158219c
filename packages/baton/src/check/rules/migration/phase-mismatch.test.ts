import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeMigration } from '../../analyze-migration.js';
import { assertRuleExamples } from './rule-examples.js';

test('phase-mismatch: declaring an earlier phase than the SQL needs', { timeout: 30_000 }, () => {
  assertRuleExamples('phase-mismatch', {
    postgres: {
      fail: [
        '-- baton: phase=expand\nALTER TABLE users DROP COLUMN name;',
        '-- baton: phase=backfill table=users key=id batch=10\nALTER TABLE users ALTER COLUMN a TYPE bigint;',
      ],
      pass: [
        '-- baton: phase=contract\nALTER TABLE users DROP COLUMN name;',
        '-- baton: phase=contract\nDROP INDEX CONCURRENTLY users_old_idx;',
      ],
    },
  });
});

test('the phase returned is the declared one unless contradicted', { timeout: 30_000 }, () => {
  assert.equal(analyzeMigration('-- baton: phase=contract\nDROP INDEX CONCURRENTLY i;', { dialect: 'postgres' }).phase, 'contract');
  assert.equal(analyzeMigration('-- baton: phase=expand\nALTER TABLE users DROP COLUMN name;', { dialect: 'postgres' }).phase, 'contract');
});
