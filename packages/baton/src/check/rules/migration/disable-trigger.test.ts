import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('disable-trigger', { timeout: 30_000 }, () => {
  assertRuleExamples('disable-trigger', {
    postgres: {
      fail: ['ALTER TABLE users DISABLE TRIGGER ALL;', 'ALTER TABLE users DISABLE TRIGGER audit;'],
      pass: ['ALTER TABLE users ENABLE TRIGGER audit;'],
    },
  });
});
