import assert from 'node:assert/strict';
import { analyzeMigration, type Finding } from '../../analyze-migration.js';
import type { SqlDialect } from '../../sql/sql-dialect.js';

/** Failing and passing SQL for one rule in one dialect (test support). */
export interface RuleExamples {
  fail: string[];
  pass: string[];
}

/**
 * Asserts that `ruleId` fires on every failing example and stays silent on every passing one,
 * and returns the findings of the failing examples for closer assertions.
 */
export function assertRuleExamples(ruleId: string, examples: Partial<Record<SqlDialect, RuleExamples>>): Finding[] {
  const found: Finding[] = [];
  for (const [dialect, { fail, pass }] of Object.entries(examples) as [SqlDialect, RuleExamples][]) {
    for (const sql of fail) {
      const hits = analyzeMigration(sql, { dialect, file: 'test.sql' }).findings.filter((f) => f.ruleId === ruleId);
      assert.ok(hits.length > 0, `${ruleId} should fire on (${dialect}):\n${sql}`);
      for (const hit of hits) {
        assert.ok(hit.message.length > 0 && hit.hint.length > 0, `${ruleId} needs a message and a hint`);
        assert.equal(hit.file, 'test.sql');
        assert.ok((hit.line ?? 0) >= 1, 'findings carry a line');
      }
      found.push(...hits);
    }
    for (const sql of pass) {
      const hits = analyzeMigration(sql, { dialect, file: 'test.sql' }).findings.filter((f) => f.ruleId === ruleId);
      assert.deepEqual(hits, [], `${ruleId} should not fire on (${dialect}):\n${sql}`);
    }
  }
  return found;
}
