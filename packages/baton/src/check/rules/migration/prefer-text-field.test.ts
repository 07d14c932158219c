import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('prefer-text-field', { timeout: 30_000 }, () => {
  assertRuleExamples('prefer-text-field', {
    postgres: {
      fail: ['ALTER TABLE users ADD COLUMN nick varchar(40);', 'CREATE TABLE tags (id bigint, label varchar(20));'],
      pass: ['ALTER TABLE users ADD COLUMN nick text;', 'CREATE TABLE tags (id bigint, label varchar);'],
    },
  });
});
