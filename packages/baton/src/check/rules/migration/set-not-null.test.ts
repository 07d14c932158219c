import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('set-not-null: flagged unless a validated CHECK precedes it', { timeout: 30_000 }, () => {
  assertRuleExamples('set-not-null', {
    postgres: {
      fail: ['-- baton: phase=contract\nALTER TABLE users ALTER COLUMN email SET NOT NULL;'],
      pass: [
        '-- baton: phase=contract\nALTER TABLE users VALIDATE CONSTRAINT email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT email_not_null;',
        'ALTER TABLE users ADD CONSTRAINT email_not_null CHECK (email IS NOT NULL) NOT VALID;',
      ],
    },
  });
});
