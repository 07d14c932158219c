import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('backfill-outside-backfill-phase', { timeout: 30_000 }, () => {
  assertRuleExamples('backfill-outside-backfill-phase', {
    postgres: {
      fail: [
        'ALTER TABLE users ADD COLUMN full_name text;\nUPDATE users SET full_name = name WHERE full_name IS NULL;',
        'ALTER TABLE archive ADD COLUMN note text;\nINSERT INTO archive SELECT id, name FROM users;',
      ],
      pass: [
        '-- baton: phase=backfill table=users key=id batch=1000\nUPDATE users SET full_name = name WHERE id >= :start AND id < :end;',
        'CREATE TABLE flags (id int);\nUPDATE flags SET id = 1 WHERE id = 0;',
      ],
    },
  });
});
