import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('prefer-robust-stmts', { timeout: 30_000 }, () => {
  assertRuleExamples('prefer-robust-stmts', {
    postgres: {
      fail: ['CREATE INDEX CONCURRENTLY a_x ON a (x);\nCREATE INDEX CONCURRENTLY a_y ON a (y);'],
      pass: [
        'CREATE INDEX CONCURRENTLY IF NOT EXISTS a_x ON a (x);\nCREATE INDEX CONCURRENTLY IF NOT EXISTS a_y ON a (y);',
        'CREATE INDEX CONCURRENTLY a_x ON a (x);',
        'CREATE TABLE a (id bigint);\nCREATE TABLE b (id bigint);',
      ],
    },
    mysql: {
      fail: ['CREATE TABLE a (id BIGINT PRIMARY KEY);\nCREATE TABLE b (id BIGINT PRIMARY KEY);'],
      pass: ['CREATE TABLE IF NOT EXISTS a (id BIGINT PRIMARY KEY);\nCREATE TABLE IF NOT EXISTS b (id BIGINT PRIMARY KEY);'],
    },
  });
});
