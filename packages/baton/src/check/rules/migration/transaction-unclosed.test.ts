import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('transaction-unclosed', { timeout: 30_000 }, () => {
  assertRuleExamples('transaction-unclosed', {
    postgres: {
      fail: ['BEGIN;\nALTER TABLE users ADD COLUMN a text;', 'BEGIN;\nCOMMIT;\nSTART TRANSACTION;\nALTER TABLE users ADD COLUMN a text;'],
      pass: ['BEGIN;\nALTER TABLE users ADD COLUMN a text;\nCOMMIT;', 'ALTER TABLE users ADD COLUMN a text;'],
    },
    mysql: {
      fail: ['START TRANSACTION;\nUPDATE users SET a = 1 WHERE id = 1;'],
      pass: ['START TRANSACTION;\nUPDATE users SET a = 1 WHERE id = 1;\nCOMMIT;'],
    },
  });
});
