import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('dml-without-where', { timeout: 30_000 }, () => {
  assertRuleExamples('dml-without-where', {
    postgres: {
      fail: ["UPDATE users SET full_name = first_name || ' ' || last_name;", 'DELETE FROM sessions;'],
      pass: ['-- baton: phase=backfill table=users key=id batch=500\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;'],
    },
    mysql: { fail: ['DELETE FROM sessions;'], pass: ['DELETE FROM sessions WHERE id >= :start AND id < :end;'] },
  });
});
