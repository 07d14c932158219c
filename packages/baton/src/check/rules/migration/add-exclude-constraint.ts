import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/** EXCLUDE constraints have no NOT VALID form: adding one always scans under ACCESS EXCLUSIVE. */
export const addExcludeConstraint: MigrationRule = {
  severity: 'warning',
  summary: 'ADD EXCLUDE constraint scans the table under ACCESS EXCLUSIVE (no NOT VALID form)',
  dialects: ['postgres'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'add-constraint')
      .filter((op) => op.type === 'exclude' && !fresh.has(op.table))
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `adds EXCLUDE constraint ${op.constraint} on ${op.table}: builds its index and checks every row while the table is locked`,
        hint: 'There is no online way: schedule it in a low-traffic window with a short lock_timeout, or enforce the rule in a new table populated by the application.',
      }));
  },
};
