import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('prefer-jsonb', { timeout: 30_000 }, () => {
  assertRuleExamples('prefer-jsonb', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN prefs json;', 'CREATE TABLE events (id bigint, payload json);'],
      pass: ['ALTER TABLE users ADD COLUMN prefs jsonb;', 'CREATE TABLE events (id bigint, payload jsonb);'],
    },
  });
});
