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
  { id: 'sql-parse', severity: 'error', summary: "the SQL does not parse with the dialect's parser", kind: 'migration' },
  { id: 'migration-header', severity: 'error', summary: 'malformed "-- baton:" header line', kind: 'migration' },
  { id: 'migration-empty', severity: 'error', summary: 'a migration file with no SQL to apply', kind: 'migration' },
  {
    id: 'migration-order',
    severity: 'error',
    summary: 'migration versions must run 1, 2, 3... without duplicates or gaps',
    kind: 'migration',
  },
  {
    id: 'migration-file-name',
    severity: 'error',
    summary: 'a .sql file in the migrations folder not named NNNN_snake_name.sql',
    kind: 'migration',
  },
  {
    id: 'live-schema-mismatch',
    severity: 'error',
    summary: 'with --database: a pending migration names a table, column or index the live schema contradicts',
    kind: 'migration',
  },
  {
    id: 'invalid-index',
    severity: 'warning',
    summary: 'with --database: an INVALID index (interrupted CREATE INDEX CONCURRENTLY), and what migrate does about it',
    kind: 'migration',
  },
];

/** Every rule `baton check` can report, migration rules first; the SARIF output lists them all. */
export function ruleCatalog(): RuleDescription[] {
  return [
    ...builtIn,
    ...Object.entries(migrationRules).map(([id, rule]) => ({
      id,
      severity: rule.severity,
      summary: rule.summary,
      kind: 'migration' as const,
    })),
    ...Object.entries(manifestRules).map(([id, rule]) => ({
      id,
      severity: rule.severity,
      summary: rule.summary,
      kind: 'manifest' as const,
    })),
  ];
}
