import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('add-column-not-null', { timeout: 30_000 }, () => {
  assertRuleExamples('add-column-not-null', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN full_name text NOT NULL;'],
      pass: ['ALTER TABLE users ADD COLUMN full_name text;', "ALTER TABLE users ADD COLUMN status text NOT NULL DEFAULT 'active';"],
    },
    mysql: {
      fail: ['ALTER TABLE users ADD COLUMN full_name VARCHAR(200) NOT NULL;'],
      pass: ["ALTER TABLE users ADD COLUMN status VARCHAR(20) NOT NULL DEFAULT 'active';"],
    },
  });
});
