import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('add-primary-key', { timeout: 30_000 }, () => {
  assertRuleExamples('add-primary-key', {
    postgres: {
      fail: ['ALTER TABLE events ADD PRIMARY KEY (id);'],
      pass: [
        'ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;',
        'CREATE TABLE t (id int);\nALTER TABLE t ADD PRIMARY KEY (id);',
      ],
    },
    mysql: { fail: ['ALTER TABLE events ADD PRIMARY KEY (id);'], pass: ['CREATE TABLE events (id BIGINT PRIMARY KEY);'] },
  });
});
