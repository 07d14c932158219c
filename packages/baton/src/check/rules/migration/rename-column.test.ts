import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test("rename-column: the seed's naive rename is rejected with the expand/contract hint", { timeout: 30_000 }, () => {
  const hits = assertRuleExamples('rename-column', {
    postgres: {
      fail: ['ALTER TABLE users RENAME COLUMN name TO full_name;', '-- baton: phase=contract\nALTER TABLE users RENAME name TO full_name;'],
      pass: ['ALTER TABLE users ADD COLUMN full_name text;'],
    },
    mysql: {
      fail: ['ALTER TABLE users RENAME COLUMN name TO full_name;', 'ALTER TABLE users CHANGE name full_name VARCHAR(200);'],
      pass: ['ALTER TABLE users ADD COLUMN full_name VARCHAR(200);'],
    },
  });
  const seed = hits[0];
  assert.equal(seed?.severity, 'error');
  assert.equal(seed?.line, 1);
  assert.match(seed?.message ?? '', /users\.name to full_name/);
  assert.match(seed?.hint ?? '', /three releases.*ADD COLUMN full_name.*backfill.*DROP COLUMN name/s);
});
