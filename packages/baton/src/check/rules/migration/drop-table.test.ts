import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-table: only in a contract-phase migration', { timeout: 30_000 }, () => {
  assertRuleExamples('drop-table', {
    postgres: { fail: ['DROP TABLE sessions;'], pass: ['-- baton: phase=contract\nDROP TABLE sessions;', 'DROP INDEX CONCURRENTLY i;'] },
    mysql: { fail: ['DROP TABLE sessions;'], pass: ['-- baton: phase=contract\nDROP TABLE sessions;'] },
  });
});
