import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('table-rewrite: VACUUM FULL, CLUSTER, REINDEX', () => {
  assertRuleExamples('table-rewrite', {
    postgres: {
      fail: ['VACUUM FULL users;', 'CLUSTER users USING users_pkey;', 'REINDEX TABLE users;'],
      pass: ['VACUUM users;', 'REINDEX TABLE CONCURRENTLY users;'],
    },
  });
});
