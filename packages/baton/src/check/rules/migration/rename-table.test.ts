import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('rename-table', () => {
  assertRuleExamples('rename-table', {
    postgres: { fail: ['ALTER TABLE users RENAME TO accounts;'], pass: ['CREATE TABLE accounts (id bigint PRIMARY KEY);'] },
    mysql: { fail: ['RENAME TABLE users TO accounts;', 'ALTER TABLE users RENAME TO accounts;'], pass: ['CREATE TABLE accounts (id BIGINT PRIMARY KEY);'] },
  });
});
