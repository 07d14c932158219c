import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('transaction-nesting', { timeout: 30_000 }, () => {
  assertRuleExamples('transaction-nesting', {
    postgres: {
      fail: ['BEGIN;\nALTER TABLE users ADD COLUMN x int;\nCOMMIT;', 'ALTER TABLE users ADD COLUMN x int;\nCOMMIT;'],
      pass: ['ALTER TABLE users ADD COLUMN x int;', 'CREATE INDEX CONCURRENTLY i ON users (x);'],
    },
  });
});
