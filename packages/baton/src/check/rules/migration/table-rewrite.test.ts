import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('table-rewrite: heavy-lock maintenance commands', { timeout: 30_000 }, () => {
  assertRuleExamples('table-rewrite', {
    postgres: {
      fail: [
        'VACUUM FULL users;',
        'CLUSTER users USING users_pkey;',
        'REINDEX TABLE users;',
        'ALTER TABLE events SET LOGGED;',
        'ALTER TABLE events DETACH PARTITION events_2024;',
        'REFRESH MATERIALIZED VIEW stats;',
      ],
      pass: [
        'VACUUM users;',
        'REINDEX TABLE CONCURRENTLY users;',
        'ALTER TABLE events DETACH PARTITION events_2024 CONCURRENTLY;',
        'REFRESH MATERIALIZED VIEW CONCURRENTLY stats;',
      ],
    },
  });
});
