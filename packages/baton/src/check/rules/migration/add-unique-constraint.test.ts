import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('add-unique-constraint', { timeout: 30_000 }, () => {
  assertRuleExamples('add-unique-constraint', {
    postgres: {
      fail: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);', 'ALTER TABLE users ADD COLUMN handle text UNIQUE;'],
      pass: ['ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;'],
    },
  });
});
