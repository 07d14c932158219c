import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('domain-constraint', { timeout: 30_000 }, () => {
  const hits = assertRuleExamples('domain-constraint', {
    postgres: {
      fail: ['ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0);', 'CREATE DOMAIN positive AS int CHECK (VALUE > 0);'],
      pass: ['ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 0) NOT VALID;', 'CREATE DOMAIN label AS text;'],
    },
  });
  assert.deepEqual(
    hits.map((h) => h.severity),
    ['error', 'warning'],
  );
});
