import type { Severity } from './finding.js';
import { manifestRules } from './rules/manifest-rules.js';
import { migrationRules } from './rules/migration-rules.js';

/** What a report needs to describe a rule. */
export interface RuleDescription {
  id: string;
  severity: Severity;
  summary: string;
  kind: 'migration' | 'manifest';
}

// Findings raised by the checkers themselves rather than by a rule file.
const builtIn: RuleDescription[] = [
  { id: 'sql-parse', severity: 'error', summary: 'the SQL does not parse with the dialect\'s parser', kind: 'migration' },
  { id: 'migration-header', severity: 'error', summary: 'malformed "-- baton:" header line', kind: 'migration' },
  { id: 'migration-order', severity: 'error', summary: 'two migrations share a version number', kind: 'migration' },
  { id: 'migration-file-name', severity: 'warning', summary: 'a .sql file that is not named NNNN_name.sql is never run', kind: 'migration' },
];

/** Every rule `baton check` can report, migration rules first; the SARIF output lists them all. */
export function ruleCatalog(): RuleDescription[] {
  return [
    ...builtIn,
    ...Object.entries(migrationRules).map(([id, rule]) => ({ id, severity: rule.severity, summary: rule.summary, kind: 'migration' as const })),
    ...Object.entries(manifestRules).map(([id, rule]) => ({ id, severity: rule.severity, summary: rule.summary, kind: 'manifest' as const })),
  ];
}
