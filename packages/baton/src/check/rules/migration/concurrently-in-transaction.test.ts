import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('concurrently-in-transaction', { timeout: 30_000 }, () => {
  assertRuleExamples('concurrently-in-transaction', {
    postgres: {
      fail: ['BEGIN;\nCREATE INDEX CONCURRENTLY i ON users (email);\nCOMMIT;', 'START TRANSACTION;\nDROP INDEX CONCURRENTLY i;\nCOMMIT;'],
      pass: ['CREATE INDEX CONCURRENTLY i ON users (email);', 'BEGIN;\nCOMMIT;\nCREATE INDEX CONCURRENTLY i ON users (email);'],
    },
  });
});
