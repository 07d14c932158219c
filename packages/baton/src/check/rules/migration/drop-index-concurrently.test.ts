import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-index-concurrently', { timeout: 30_000 }, () => {
  assertRuleExamples('drop-index-concurrently', {
    postgres: { fail: ['DROP INDEX users_email_idx;'], pass: ['DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;'] },
  });
});
