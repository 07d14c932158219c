import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('backfill-batching: header keys and :start/:end', { timeout: 30_000 }, () => {
  const hits = assertRuleExamples('backfill-batching', {
    postgres: {
      fail: [
        '-- baton: phase=backfill\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE full_name IS NULL;',
        '-- baton: phase=backfill table=users key=id batch=lots\nUPDATE users SET a = 1 WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id\nUPDATE users SET a = 1 WHERE id >= :start AND id < :end;\nUPDATE users SET b = 1 WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id\nALTER TABLE users ADD COLUMN b text;\nUPDATE users SET b = a WHERE id >= :start AND id < :end;',
        'UPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=public.users key=id\nUPDATE users SET a = 1 WHERE id >= :start AND id < :end;',
      ],
      pass: [
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id\nUPDATE users SET full_name = name\nWHERE id >= :start AND id < :end AND full_name IS NULL;',
      ],
    },
    mysql: {
      fail: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name;'],
      pass: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;'],
    },
  });
  assert.match(hits[0]?.message ?? '', /without table=, key= in its header/);
  assert.equal(hits[1]?.line, 2);
});
