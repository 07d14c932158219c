import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('set-schema', { timeout: 30_000 }, () => {
  assertRuleExamples('set-schema', {
    postgres: {
      fail: ['-- baton: phase=contract\nALTER TABLE users SET SCHEMA archive;'],
      pass: ['CREATE TABLE archive.users_old (id bigint);'],
    },
  });
});
