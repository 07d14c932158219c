import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('backfill-batching: header keys and :start/:end', () => {
  const hits = assertRuleExamples('backfill-batching', {
    postgres: {
      fail: [
        '-- baton: phase=backfill\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE full_name IS NULL;',
        '-- baton: phase=backfill table=users key=id batch=lots\nUPDATE users SET a = 1 WHERE id >= :start AND id < :end;',
      ],
      pass: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;'],
    },
    mysql: {
      fail: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name;'],
      pass: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;'],
    },
  });
  assert.match(hits[0]?.message ?? '', /table=, key=, batch=/);
  assert.equal(hits[1]?.line, 2);
});
