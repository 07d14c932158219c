import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('constraint-not-valid: FOREIGN KEY and CHECK', { timeout: 30_000 }, () => {
  assertRuleExamples('constraint-not-valid', {
    postgres: {
      fail: [
        'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);',
        'ALTER TABLE users ADD CONSTRAINT age_positive CHECK (age > 0);',
        'ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);',
      ],
      pass: [
        'ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;',
        'ALTER TABLE orders VALIDATE CONSTRAINT orders_user_fk;',
        'CREATE TABLE t (a int);\nALTER TABLE t ADD CONSTRAINT a_pos CHECK (a > 0);',
      ],
    },
    mysql: {
      fail: ['ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);'],
      pass: ['ALTER TABLE orders ADD COLUMN user_id BIGINT;'],
    },
  });
});
