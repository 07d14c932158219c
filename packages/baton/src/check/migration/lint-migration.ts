import type { Finding } from '../finding.js';
import { judgeBySize } from './judge-by-size.js';
import type { LiveContext } from './live-context.js';
import { classifyOperations } from './classify-operations.js';
import type { MigrationPhase } from './migration-phase.js';
import type { MigrationContext, MigrationRule } from './migration-rule.js';
import { readMigrationSource } from './migration-source.js';
import { mysqlOperations } from './mysql-operations.js';
import type { Operation } from './operation.js';
import { postgresOperations } from './postgres-operations.js';
import { migrationRules } from '../rules/migration-rules.js';
import { parseMysql } from '../sql/parse-mysql.js';
import { parsePostgres } from '../sql/parse-postgres.js';
import type { ParsedStatement } from '../sql/parsed-statement.js';
import type { SqlDialect } from '../sql/sql-dialect.js';

// Rule ids a `-- baton: allow=` header cannot silence: they decide when the file runs.
const unsuppressible = new Set(['phase-mismatch', 'mixed-phases', 'migration-header', 'migration-empty']);

const dialects: Record<
  SqlDialect,
  {
    parse: (text: string, options: { file?: string; lineOffset?: number }) => ParsedStatement[];
    operations: (statements: readonly ParsedStatement[]) => Operation[];
  }
> = {
  postgres: { parse: parsePostgres, operations: postgresOperations },
  mysql: { parse: parseMysql, operations: mysqlOperations },
};

/** What lintMigration returns: analyzeMigration's result plus the operations, for cross-file checks. */
export interface LintedMigration {
  phase: MigrationPhase;
  findings: Finding[];
  operations: Operation[];
  /** The SQL that is applied (headers and the down part removed). */
  up: string;
}

/**
 * Lints one migration file and classifies it. `phase` is the declared phase unless the SQL
 * contradicts it (then the analysed one, with a `phase-mismatch` error finding). The down part is
 * parsed (syntax errors are reported) but not linted: it only runs to undo this migration.
 * Throws SqlParseError (a BatonError, code SQL_PARSE, with file:line:column).
 */
export function lintMigration(
  sql: string,
  options: { dialect: SqlDialect; file?: string; earlier?: readonly Operation[]; live?: LiveContext },
): LintedMigration {
  const dialect = dialects[options.dialect];
  const fileOption = options.file === undefined ? {} : { file: options.file };
  const source = readMigrationSource(sql);
  const operations = dialect.operations(dialect.parse(source.up, fileOption));
  if (source.down !== undefined) dialect.parse(source.down.sql, { ...fileOption, lineOffset: source.down.lineOffset });
  const context: MigrationContext = {
    dialect: options.dialect,
    source,
    operations,
    analyzedPhase: classifyOperations(operations, options.live),
    earlier: options.earlier ?? [],
    ...(options.live ? { live: options.live } : {}),
  };

  const allowHeader = source.headers.get('allow');
  const allowed = new Set((allowHeader?.value ?? '').split(',').filter((id) => id !== ''));
  const problems = [...source.headerProblems];
  for (const id of allowed) {
    // A typo in allow= would otherwise silence nothing, silently.
    if (unsuppressible.has(id))
      problems.push({ message: `allow=${id}: ${id} cannot be silenced`, location: allowHeader?.location ?? { line: 1, column: 1 } });
    else if (!(id in migrationRules))
      problems.push({ message: `allow=${id}: no migration rule has that id`, location: allowHeader?.location ?? { line: 1, column: 1 } });
  }
  const findings: Finding[] = problems.map((problem) => ({
    ruleId: 'migration-header',
    severity: 'error',
    message: problem.message,
    hint: 'Header lines look like "-- baton: phase=expand" (keys: phase, timeout, table, key, batch, allow; allow= takes rule ids from docs/check.md).',
    ...fileOption,
    line: problem.location.line,
    column: problem.location.column,
  }));
  if (operations.length === 0) {
    findings.push({
      ruleId: 'migration-empty',
      severity: 'error',
      message: 'the migration has no SQL to apply',
      hint: 'Add the up SQL after the header, or delete the file.',
      ...fileOption,
      line: 1,
      column: 1,
    });
  }
  for (const [ruleId, rule] of Object.entries(migrationRules) as [string, MigrationRule][]) {
    if (!rule.dialects.includes(options.dialect) || (allowed.has(ruleId) && !unsuppressible.has(ruleId))) continue;
    for (const hit of rule.check(context)) {
      const severity = hit.severity ?? rule.severity;
      // With the live schema, a rewrite of a 10-row table is not the rewrite of a 100 GB one.
      const sized =
        options.live && rule.smallTable && hit.table !== undefined
          ? judgeBySize({ severity, message: hit.message, table: hit.table }, rule.smallTable, options.live)
          : { severity, message: hit.message };
      findings.push({
        ruleId,
        severity: sized.severity,
        message: sized.message,
        hint: hit.hint,
        ...(sized.live ? { live: sized.live } : {}),
        ...fileOption,
        line: hit.location.line,
        column: hit.location.column,
      });
    }
  }
  findings.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
  // A warning-level phase-mismatch (only the live schema makes the declared phase right) keeps it.
  const mismatch = findings.some((finding) => finding.ruleId === 'phase-mismatch' && finding.severity === 'error');
  const phase = source.declaredPhase !== undefined && !mismatch ? source.declaredPhase : context.analyzedPhase;
  return { phase, findings, operations, up: source.up };
}
