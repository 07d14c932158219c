import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('create-index-concurrently', { timeout: 30_000 }, () => {
  assertRuleExamples('create-index-concurrently', {
    postgres: {
      fail: ['CREATE INDEX users_email_idx ON users (email);', 'CREATE UNIQUE INDEX u ON users (email);'],
      pass: ['CREATE INDEX CONCURRENTLY users_email_idx ON users (email);', 'CREATE TABLE t (a int);\nCREATE INDEX t_a ON t (a);'],
    },
  });
});
