import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-database', { timeout: 30_000 }, () => {
  assertRuleExamples('drop-database', {
    postgres: { fail: ['-- baton: phase=contract\nDROP DATABASE prod;'], pass: ['DROP TABLE IF EXISTS scratch;'] },
    mysql: { fail: ['DROP DATABASE prod;', 'DROP SCHEMA prod;'], pass: ['DROP TABLE scratch;'] },
  });
});
