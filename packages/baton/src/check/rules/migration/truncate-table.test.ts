import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('truncate', { timeout: 30_000 }, () => {
  assertRuleExamples('truncate', {
    postgres: {
      fail: ['TRUNCATE sessions;', 'TRUNCATE users CASCADE;'],
      pass: ['-- baton: phase=backfill table=sessions key=id batch=1000\nDELETE FROM sessions WHERE id >= :start AND id < :end;'],
    },
    mysql: { fail: ['TRUNCATE TABLE sessions;'], pass: ['DELETE FROM sessions WHERE id = 1;'] },
  });
});
