import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('drop-not-null is an info finding', { timeout: 30_000 }, () => {
  const [hit] = assertRuleExamples('drop-not-null', {
    postgres: {
      fail: ['ALTER TABLE users ALTER COLUMN name DROP NOT NULL;'],
      pass: ["ALTER TABLE users ALTER COLUMN name SET DEFAULT '';"],
    },
  });
  if (hit?.severity !== 'info') throw new Error('expected info');
});
