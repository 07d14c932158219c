import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * PostgreSQL 11+ adds a column with a constant (or stable) default instantly; a volatile default
 * (random(), gen_random_uuid(), clock_timestamp()), a serial/identity or a stored generated
 * column must compute a value per row, so it rewrites the table under ACCESS EXCLUSIVE.
 */
export const addColumnRewrite: MigrationRule = {
  severity: 'error',
  summary: 'ADD COLUMN with a volatile default, serial/identity or stored generated value rewrites the table',
  dialects: ['postgres', 'mysql'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'add-column')
      .filter((op) => !fresh.has(op.table) && (op.default === 'volatile' || op.serial || op.generatedStored))
      .map((op) => {
        const why = op.serial
          ? 'a serial/identity/AUTO_INCREMENT value'
          : op.generatedStored
            ? 'a stored generated value'
            : 'a volatile default';
        return {
          location: op.location,
          table: op.table,
          message: `adds ${op.table}.${op.column} with ${why}: every row is rewritten while the table is locked`,
          hint: `Add ${op.column} without a default, then SET DEFAULT for new rows, and fill existing rows in a phase=backfill migration (batched by key with :start/:end).`,
        };
      });
  },
};
