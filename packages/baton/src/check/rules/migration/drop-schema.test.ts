import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-schema', { timeout: 30_000 }, () => {
  assertRuleExamples('drop-schema', {
    postgres: {
      fail: ['-- baton: phase=contract\nDROP SCHEMA app CASCADE;', 'DROP SCHEMA app;'],
      pass: ['-- baton: phase=contract\nDROP SCHEMA app;', 'CREATE SCHEMA app;'],
    },
  });
});
