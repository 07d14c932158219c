import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('mixed-phases', { timeout: 30_000 }, () => {
  assertRuleExamples('mixed-phases', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN full_name text;\nALTER TABLE users DROP COLUMN name;'],
      pass: [
        'ALTER TABLE users ADD COLUMN full_name text;\nCREATE INDEX CONCURRENTLY i ON users (full_name);',
        '-- baton: phase=contract\nALTER TABLE users DROP COLUMN name;\nDROP INDEX CONCURRENTLY users_name_idx;',
      ],
    },
    mysql: {
      fail: ['ALTER TABLE users ADD COLUMN full_name TEXT, DROP COLUMN name;'],
      pass: ['ALTER TABLE users ADD COLUMN full_name TEXT;'],
    },
  });
});
