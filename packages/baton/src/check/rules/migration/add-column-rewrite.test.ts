import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('add-column-rewrite: volatile defaults, serial, stored generated', { timeout: 30_000 }, () => {
  assertRuleExamples('add-column-rewrite', {
    postgres: {
      fail: [
        'ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();',
        'ALTER TABLE users ADD COLUMN seq bigserial;',
        "ALTER TABLE users ADD COLUMN display_name text GENERATED ALWAYS AS (first || ' ' || last) STORED;",
      ],
      pass: [
        'ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();',
        'ALTER TABLE users ADD COLUMN n int DEFAULT 0;',
        'CREATE TABLE t (id bigserial PRIMARY KEY);',
      ],
    },
    mysql: {
      fail: ['ALTER TABLE users ADD COLUMN token CHAR(36) DEFAULT (UUID());', 'ALTER TABLE users ADD COLUMN seq BIGINT AUTO_INCREMENT;'],
      pass: [
        'ALTER TABLE users ADD COLUMN created_at DATETIME DEFAULT CURRENT_TIMESTAMP;',
        'ALTER TABLE users ADD COLUMN n INT DEFAULT 0;',
      ],
    },
  });
});
