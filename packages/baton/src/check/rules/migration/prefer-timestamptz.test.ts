import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('prefer-timestamptz', { timeout: 30_000 }, () => {
  assertRuleExamples('prefer-timestamptz', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN seen_at timestamp;', 'CREATE TABLE e (at timestamp(3) without time zone);'],
      pass: ['ALTER TABLE users ADD COLUMN seen_at timestamptz;', 'CREATE TABLE e (at timestamp with time zone);'],
    },
  });
});
