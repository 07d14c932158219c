import { test } from 'node:test';
import { assertRuleExamples } from './rule-examples.js';

test('create-trigger', { timeout: 30_000 }, () => {
  assertRuleExamples('create-trigger', {
    postgres: {
      fail: ['CREATE TRIGGER sync_name BEFORE INSERT OR UPDATE ON users FOR EACH ROW EXECUTE FUNCTION sync_name();'],
      pass: ['CREATE TABLE audit (id bigint);\nCREATE TRIGGER a BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION f();'],
    },
  });
});
