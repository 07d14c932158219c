import type { Finding } from './finding.js';
import type { MigrationPhase } from './migration/migration-phase.js';
import { lintMigration } from './migration/lint-migration.js';

export type { Finding, Severity } from './finding.js';
export type { MigrationPhase } from './migration/migration-phase.js';

/**
 * Lints one migration file (header lines, up SQL, optional down SQL) and classifies it.
 * `phase` is the declared phase unless the SQL contradicts it (then the analysed one, with a
 * `phase-mismatch` error finding); with no declaration it is the analysed phase. The down part
 * is parsed (syntax errors are reported) but not linted: it only runs to undo this migration.
 * Throws SqlParseError (a BatonError, code SQL_PARSE, message `file:line:column: reason`, and
 * `line`/`column` fields).
 */
export function analyzeMigration(
  sql: string,
  options: { dialect: 'postgres' | 'mysql'; file?: string },
): { phase: MigrationPhase; findings: Finding[] } {
  const { phase, findings } = lintMigration(sql, options);
  return { phase, findings };
}
