import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('lock-table', { timeout: 30_000 }, () => {
  assertRuleExamples('lock-table', {
    postgres: { fail: ['LOCK TABLE users IN ACCESS EXCLUSIVE MODE;'], pass: ["SET lock_timeout = '2s';"] },
    mysql: { fail: ['LOCK TABLES users WRITE;'], pass: ['ALTER TABLE users ADD COLUMN a INT;'] },
  });
});
