import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';
import type { MigrationContext } from '../../migration/migration-rule.js';
import { findLiveTable } from '../../migration/find-live-table.js';
import { typeChangeNeedsNoRewrite } from '../../migration/type-change-proof.js';

/**
 * The live column's type, when the live schema shows it as it will be when this migration runs
 * (no earlier pending migration adds or retypes that column).
 */
function liveType(context: MigrationContext, table: string, column: string): string | undefined {
  if (context.live === undefined || context.dialect !== 'postgres') return undefined;
  const touched = context.live.pendingEarlier.some(
    (op) => (op.kind === 'alter-column-type' || op.kind === 'add-column') && op.table === table && op.column === column,
  );
  if (touched) return undefined;
  const wanted = column.toLowerCase();
  return findLiveTable(context.live.schema, table).table?.columns.find((c) => c.name.toLowerCase() === wanted)?.type;
}

/**
 * A type change rewrites the table under an exclusive lock and changes what readers get. With
 * the live schema, a change PostgreSQL makes without a rewrite that readers cannot tell from the
 * old type (varchar growth, varchar to text) is not flagged: the live type proves it.
 */
export const alterColumnType: MigrationRule = {
  severity: 'error',
  summary: 'changing a column type rewrites the table and breaks readers of the old type',
  dialects: ['postgres', 'mysql'],
  smallTable: 'warning',
  check: (context) => {
    const fresh = createdTables(context);
    const how =
      context.dialect === 'postgres'
        ? 'rewrites the table and its indexes under ACCESS EXCLUSIVE'
        : 'copies the whole table (ALGORITHM=COPY) and blocks writes';
    return operationsOf(context.operations, 'alter-column-type')
      .filter((op) => !fresh.has(op.table))
      .filter((op) => {
        const from = liveType(context, op.table, op.column);
        return from === undefined || !typeChangeNeedsNoRewrite(from, op.type);
      })
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `changes the type of ${op.table}.${op.column} to ${op.type}: ${how}, and the running release still expects the old type`,
        hint: `Add a new column ${op.column}_new ${op.type}, write both from the new release, backfill it in batches (phase=backfill), switch reads, then drop ${op.column} in a phase=contract migration.${context.dialect === 'mysql' ? ' For a large table use gh-ost or pt-online-schema-change.' : ''}`,
      }));
  },
};
