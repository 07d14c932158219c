import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('alter-column-type', { timeout: 30_000 }, () => {
  assertRuleExamples('alter-column-type', {
    postgres: {
      fail: ['ALTER TABLE users ALTER COLUMN age TYPE bigint;'],
      pass: ['ALTER TABLE users ADD COLUMN age_new bigint;', 'CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;'],
    },
    mysql: {
      fail: ['ALTER TABLE users MODIFY COLUMN age BIGINT;', 'ALTER TABLE users CHANGE age age BIGINT;'],
      pass: ['ALTER TABLE users ADD COLUMN age_new BIGINT;'],
    },
  });
});
