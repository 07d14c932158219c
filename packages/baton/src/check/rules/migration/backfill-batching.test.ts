import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('backfill-batching: header keys and :batch or :start/:end', { timeout: 30_000 }, () => {
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
        '-- baton: phase=backfill table=orders key=tenant_id;id\nUPDATE orders SET a = 1 WHERE :batch;',
      ],
      pass: [
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        '-- baton: phase=backfill table=users key=id\nUPDATE users SET full_name = name\nWHERE id >= :start AND id < :end AND full_name IS NULL;',
        '-- baton: phase=backfill table=orders key=tenant_id,id\nUPDATE orders SET total = net + tax WHERE :batch AND total IS NULL;',
        '-- baton: phase=backfill table=orders\nUPDATE orders SET total = net + tax WHERE :batch;',
      ],
    },
    mysql: {
      fail: ['-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name;'],
      pass: [
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        "-- baton: phase=backfill table=users\nUPDATE users SET full_name = CONCAT(first_name, ' ', last_name) WHERE :batch AND full_name IS NULL;",
      ],
    },
  });
  assert.match(hits[0]?.message ?? '', /without table= in its header/);
  assert.equal(hits[1]?.line, 2);
});
