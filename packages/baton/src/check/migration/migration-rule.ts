import type { Severity } from '../finding.js';
import type { SqlDialect } from '../sql/sql-dialect.js';
import type { SourcePosition } from '../sql/source-position.js';
import type { MigrationPhase } from './migration-phase.js';
import type { MigrationSource } from './migration-source.js';
import type { Operation } from './operation.js';

/** What a rule sees: one migration file, analysed. */
export interface MigrationContext {
  dialect: SqlDialect;
  source: MigrationSource;
  operations: readonly Operation[];
  /** The phase the operations call for (see classify-operations.ts). */
  analyzedPhase: MigrationPhase;
  /** Operations of the migrations before this one in its directory (empty for a lone file). */
  earlier: readonly Operation[];
}

/** One problem a rule found; the rule's id and severity are added by the caller. */
export interface RuleHit {
  message: string;
  hint: string;
  location: SourcePosition;
  /** Overrides the rule's default severity for this hit. */
  severity?: Severity;
}

/** A migration lint rule: one file in rules/migration/, one entry in the migration rule map. */
export interface MigrationRule {
  /** Default severity of the rule's hits. */
  severity: Severity;
  /** One line for SARIF's rule description and docs/check.md. */
  summary: string;
  /** Dialects the rule applies to. */
  dialects: readonly SqlDialect[];
  check(context: MigrationContext): RuleHit[];
}
