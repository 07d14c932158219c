import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';
import type { MigrationContext } from '../../migration/migration-rule.js';
import { findLiveTable } from '../../migration/find-live-table.js';

/** The live column is NOT NULL already (and no earlier pending migration dropped that): SET NOT NULL is a no-op. */
function alreadyNotNull(context: MigrationContext, table: string, column: string): boolean {
  if (context.live === undefined) return false;
  if (context.live.pendingEarlier.some((op) => op.kind === 'drop-not-null' && op.table === table && op.column === column)) return false;
  const wanted = column.toLowerCase();
  const live = findLiveTable(context.live.schema, table).table?.columns.find((c) => c.name.toLowerCase() === wanted);
  return live !== undefined && !live.nullable;
}

/**
 * SET NOT NULL scans the whole table under ACCESS EXCLUSIVE, unless (PostgreSQL 12+) a validated
 * CHECK (col IS NOT NULL) already proves it: then it is instant. A VALIDATE CONSTRAINT on the
 * table earlier in the same file, or in an earlier migration of the directory, is taken as that
 * proof. With the live schema, a column already NOT NULL there is not flagged (nothing to scan).
 */
export const setNotNull: MigrationRule = {
  severity: 'error',
  summary: 'SET NOT NULL on an existing column scans the table under ACCESS EXCLUSIVE',
  dialects: ['postgres'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'set-not-null')
      .filter((op) => !fresh.has(op.table))
      .filter((op) => !alreadyNotNull(context, op.table, op.column))
      .filter((op) => !operationsOf(context.earlier, 'validate-constraint').some((v) => v.table === op.table))
      .filter(
        (op) =>
          !operationsOf(context.operations, 'validate-constraint').some((v) => v.table === op.table && v.location.line < op.location.line),
      )
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `SET NOT NULL on ${op.table}.${op.column} scans every row while holding ACCESS EXCLUSIVE (all reads and writes wait)`,
        hint: `ALTER TABLE ${op.table} ADD CONSTRAINT ${op.column}_not_null CHECK (${op.column} IS NOT NULL) NOT VALID; then in a later migration VALIDATE CONSTRAINT ${op.column}_not_null; then SET NOT NULL (instant on PostgreSQL 12+) and DROP CONSTRAINT ${op.column}_not_null.`,
      }));
  },
};
