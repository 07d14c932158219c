import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('add-exclude-constraint', { timeout: 30_000 }, () => {
  assertRuleExamples('add-exclude-constraint', {
    postgres: {
      fail: ['ALTER TABLE bookings ADD CONSTRAINT no_overlap EXCLUDE USING gist (room WITH =, during WITH &&);'],
      pass: ['ALTER TABLE bookings ADD CONSTRAINT c CHECK (room > 0) NOT VALID;'],
    },
  });
});
