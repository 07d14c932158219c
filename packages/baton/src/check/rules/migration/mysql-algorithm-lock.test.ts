import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('mysql-algorithm-lock', { timeout: 30_000 }, () => {
  assertRuleExamples('mysql-algorithm-lock', {
    mysql: {
      fail: [
        'ALTER TABLE users ADD COLUMN a INT, ALGORITHM=COPY;',
        'ALTER TABLE users ADD COLUMN a INT, LOCK=EXCLUSIVE;',
        'CREATE INDEX i ON users (a) ALGORITHM=COPY;',
      ],
      pass: [
        'ALTER TABLE users ADD COLUMN a INT, ALGORITHM=INPLACE, LOCK=NONE;',
        'ALTER TABLE users ADD COLUMN a INT, ALGORITHM=INSTANT;',
        'CREATE INDEX i ON users (a) ALGORITHM=INPLACE LOCK=NONE;',
      ],
    },
  });
});
