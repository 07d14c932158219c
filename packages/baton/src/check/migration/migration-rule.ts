import type { Severity } from '../finding.js';
import type { LiveContext } from './live-context.js';
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
  /** The phase the operations call for (see classify-operations.ts), judged with `live` when given. */
  analyzedPhase: MigrationPhase;
  /** Operations of the migrations before this one in its directory (empty for a lone file). */
  earlier: readonly Operation[];
  /**
   * The live database (`baton check --database`), for a pending migration only; undefined
   * otherwise. Earlier pending migrations have not run on it yet: `earlier` says what they do.
   */
  live?: LiveContext;
}

/** One problem a rule found; the rule's id and severity are added by the caller. */
export interface RuleHit {
  message: string;
  hint: string;
  location: SourcePosition;
  /** Overrides the rule's default severity for this hit. */
  severity?: Severity;
  /** The table whose size decides what the hit costs, for rules with `smallTable`. */
  table?: string;
}

/** A migration lint rule: one file in rules/migration/, one entry in the migration rule map. */
export interface MigrationRule {
  /** Default severity of the rule's hits. */
  severity: Severity;
  /** One line for SARIF's rule description and docs/check.md. */
  summary: string;
  /** Dialects the rule applies to. */
  dialects: readonly SqlDialect[];
  /**
   * For rules whose cost grows with the table (a rewrite, a scan, an index build under lock):
   * the severity of a hit on a table the live schema measures small. Absent: size never matters.
   */
  smallTable?: Severity;
  check(context: MigrationContext): RuleHit[];
}
