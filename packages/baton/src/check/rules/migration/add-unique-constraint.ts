import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/** ADD UNIQUE builds its index under ACCESS EXCLUSIVE; building it concurrently first avoids that. */
export const addUniqueConstraint: MigrationRule = {
  severity: 'error',
  summary: 'ADD UNIQUE constraint builds an index under ACCESS EXCLUSIVE',
  dialects: ['postgres'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'add-constraint')
      .filter((op) => op.type === 'unique' && !op.usingIndex && !fresh.has(op.table))
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `adds UNIQUE constraint ${op.constraint} on ${op.table}: its index is built while all reads and writes wait`,
        hint: `CREATE UNIQUE INDEX CONCURRENTLY ${op.constraint}_idx ON ${op.table} (...) in its own migration, then ALTER TABLE ${op.table} ADD CONSTRAINT ${op.constraint} UNIQUE USING INDEX ${op.constraint}_idx (instant).`,
      }));
  },
};
