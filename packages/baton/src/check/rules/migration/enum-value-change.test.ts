import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('enum-value-change: renames flagged, additions allowed', { timeout: 30_000 }, () => {
  assertRuleExamples('enum-value-change', {
    postgres: {
      fail: ["ALTER TYPE status RENAME VALUE 'gone' TO 'deleted';"],
      pass: ["ALTER TYPE status ADD VALUE 'deleted';", "ALTER TYPE status ADD VALUE 'paused' BEFORE 'gone';"],
    },
  });
});
