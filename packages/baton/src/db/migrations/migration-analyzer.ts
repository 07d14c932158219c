import { BatonError } from '../../errors.js';
import type { MigrationPhase } from './migration.js';

/** One finding of the migration linter (mirrors check/finding.ts, kept structural on purpose). */
export interface AnalyzerFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  hint: string;
  file?: string;
  line?: number;
  column?: number;
}

/**
 * The classification port: check/analyze-migration.ts implements it. Throws a BatonError with code
 * SQL_PARSE on SQL it cannot parse.
 */
export type MigrationAnalyzer = (
  sql: string,
  options: { dialect: 'postgres' | 'mysql'; file?: string },
) => { phase: MigrationPhase; findings: AnalyzerFinding[] };

/**
 * Loads the linter's analyzer. check/ sits above db/ in the layering, so db/ takes the analyzer as
 * an injected port and only defaults to check/'s, loaded lazily; a missing analyzer is a clear
 * error, never a silent "trust the header".
 */
export async function loadDefaultAnalyzer(): Promise<MigrationAnalyzer> {
  const specifier = '../../check/analyze-migration.js';
  try {
    const mod = (await import(specifier)) as { analyzeMigration?: MigrationAnalyzer };
    if (typeof mod.analyzeMigration === 'function') return mod.analyzeMigration;
  } catch (cause) {
    throw new BatonError('ANALYZER_MISSING', 'cannot load the migration analyzer (check/analyze-migration.js)', {
      cause,
      hint: 'rebuild baton (npx tsc -b packages/baton)',
    });
  }
  throw new BatonError('ANALYZER_MISSING', 'check/analyze-migration.js does not export analyzeMigration');
}
