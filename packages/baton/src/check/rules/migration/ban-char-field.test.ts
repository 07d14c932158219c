import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('ban-char-field', { timeout: 30_000 }, () => {
  assertRuleExamples('ban-char-field', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN country char(2);', 'CREATE TABLE codes (code character(5));'],
      pass: ['ALTER TABLE users ADD COLUMN country text;', 'CREATE TABLE codes (code varchar);'],
    },
  });
});
