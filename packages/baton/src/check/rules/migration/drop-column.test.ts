import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-column: only in a contract-phase migration', { timeout: 30_000 }, () => {
  const [hit] = assertRuleExamples('drop-column', {
    postgres: {
      fail: ['ALTER TABLE users DROP COLUMN name;', '-- baton: phase=expand\nALTER TABLE users DROP COLUMN IF EXISTS name;'],
      pass: ['-- baton: phase=contract\nALTER TABLE users DROP COLUMN name;', 'ALTER TABLE users ADD COLUMN full_name text;'],
    },
    mysql: { fail: ['ALTER TABLE users DROP COLUMN name;'], pass: ['-- baton: phase=contract\nALTER TABLE users DROP COLUMN name;'] },
  });
  assert.match(hit?.message ?? '', /users\.name/);
  assert.match(hit?.hint ?? '', /phase=contract/);
});
