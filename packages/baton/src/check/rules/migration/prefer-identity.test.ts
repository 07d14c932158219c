import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('prefer-identity', { timeout: 30_000 }, () => {
  assertRuleExamples('prefer-identity', {
    postgres: {
      fail: ['CREATE TABLE orders (id bigserial PRIMARY KEY);'],
      pass: ['CREATE TABLE orders (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY);'],
    },
  });
});
