import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('rename-table', { timeout: 30_000 }, () => {
  assertRuleExamples('rename-table', {
    postgres: { fail: ['ALTER TABLE users RENAME TO accounts;'], pass: ['CREATE TABLE accounts (id bigint PRIMARY KEY);'] },
    mysql: {
      fail: ['RENAME TABLE users TO accounts;', 'ALTER TABLE users RENAME TO accounts;'],
      pass: ['CREATE TABLE accounts (id BIGINT PRIMARY KEY);'],
    },
  });
});
