import type { MigrationRule, RuleHit } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf, type OperationOf } from '../../migration/operation.js';
import type { MigrationContext } from '../../migration/migration-rule.js';
import { findLiveTable } from '../../migration/find-live-table.js';
import type { LiveContext } from '../../migration/live-context.js';

/** The live column is NOT NULL already (and no earlier pending migration dropped that): SET NOT NULL is a no-op. */
function alreadyNotNull(context: MigrationContext, table: string, column: string): boolean {
  if (context.live === undefined) return false;
  if (context.live.pendingEarlier.some((op) => op.kind === 'drop-not-null' && op.table === table && op.column === column)) return false;
  const wanted = column.toLowerCase();
  const live = findLiveTable(context.live.schema, table).table?.columns.find((c) => c.name.toLowerCase() === wanted);
  return live !== undefined && !live.nullable;
}

function scanHit(op: OperationOf<'set-not-null'>, note = '', hint?: string): RuleHit {
  return {
    location: op.location,
    table: op.table,
    message: `SET NOT NULL on ${op.table}.${op.column} scans every row while holding ACCESS EXCLUSIVE (all reads and writes wait)${note}`,
    hint:
      hint ??
      `ALTER TABLE ${op.table} ADD CONSTRAINT ${op.column}_not_null CHECK (${op.column} IS NOT NULL) NOT VALID; then in a later migration VALIDATE CONSTRAINT ${op.column}_not_null; then SET NOT NULL (instant on PostgreSQL 12+) and DROP CONSTRAINT ${op.column}_not_null.`,
  };
}

/**
 * What the live schema (earlier pending migrations replayed) says of this SET NOT NULL, or
 * undefined when it holds no CHECK (column IS NOT NULL) to judge by. PostgreSQL 12+ skips the
 * scan when a validated CHECK implies the column has no NULL; a NOT VALID one only covers rows
 * written since it was added, so the scan stays.
 */
function judgeByLiveChecks(op: OperationOf<'set-not-null'>, live: LiveContext): RuleHit | undefined {
  const checks = live.replayed.notNullChecks(op.table, op.column);
  const proof = checks.find((c) => c.validated);
  if (proof !== undefined && live.schema.serverVersion >= 12) {
    // No `table`: the cost no longer grows with the table, so there is nothing to weigh.
    return {
      severity: 'info',
      location: op.location,
      message: `SET NOT NULL on ${op.table}.${op.column}: live, the validated constraint ${proof.name} CHECK (${op.column} IS NOT NULL) proves the column holds no NULL, so PostgreSQL skips the table scan (ACCESS EXCLUSIVE for milliseconds)`,
      hint: `Once the column is NOT NULL the CHECK is redundant (every write evaluates it for nothing): ALTER TABLE ${op.table} DROP CONSTRAINT ${proof.name}, after the SET NOT NULL.`,
    };
  }
  if (proof !== undefined)
    return scanHit(
      op,
      `; live, constraint ${proof.name} proves no NULL, but PostgreSQL ${live.schema.serverVersion} does not use it (12+ does)`,
    );
  const unproven = checks[0];
  if (unproven === undefined) return undefined;
  return scanHit(
    op,
    `; live, constraint ${unproven.name} CHECK (${op.column} IS NOT NULL) is NOT VALID, so it proves nothing about the rows already there`,
    `Validate it first, in an earlier migration: ALTER TABLE ${op.table} VALIDATE CONSTRAINT ${unproven.name} (it scans without blocking writes); then SET NOT NULL is instant, and DROP CONSTRAINT ${unproven.name} after it.`,
  );
}

/**
 * SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, unless (PostgreSQL 12+) a validated
 * CHECK (col IS NOT NULL) already proves it: then it is instant. A VALIDATE CONSTRAINT on the
 * table earlier in the same file, or in an earlier migration of the directory, is taken as that
 * proof. With the live schema, a column already NOT NULL there is not flagged (nothing to scan),
 * a validated CHECK (col IS NOT NULL) there (or added and validated by an earlier pending
 * migration) makes it `info` naming the constraint, and a NOT VALID one keeps the finding.
 */
export const setNotNull: MigrationRule = {
  severity: 'error',
  summary: 'SET NOT NULL on an existing column scans the table under ACCESS EXCLUSIVE',
  dialects: ['postgres'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    const validatedEarlier = (op: OperationOf<'set-not-null'>): boolean =>
      operationsOf(context.earlier, 'validate-constraint').some((v) => v.table === op.table);
    return operationsOf(context.operations, 'set-not-null')
      .filter((op) => !fresh.has(op.table))
      .filter((op) => !alreadyNotNull(context, op.table, op.column))
      .filter(
        (op) =>
          !operationsOf(context.operations, 'validate-constraint').some((v) => v.table === op.table && v.location.line < op.location.line),
      )
      .flatMap((op) => {
        const live = context.live === undefined ? undefined : judgeByLiveChecks(op, context.live);
        if (live !== undefined) return [live];
        return validatedEarlier(op) ? [] : [scanHit(op)];
      });
  },
};
