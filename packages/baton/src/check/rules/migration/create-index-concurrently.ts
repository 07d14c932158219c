import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/** A plain CREATE INDEX holds a SHARE lock for the whole build: every write waits. */
export const createIndexConcurrently: MigrationRule = {
  severity: 'error',
  summary: 'CREATE INDEX without CONCURRENTLY blocks writes for the whole build',
  dialects: ['postgres'],
  smallTable: 'info',
  check: (context) => {
    const fresh = createdTables(context);
    return operationsOf(context.operations, 'create-index')
      .filter((op) => !op.concurrently && !fresh.has(op.table))
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `creates index ${op.index} on ${op.table} without CONCURRENTLY: INSERT/UPDATE/DELETE on ${op.table} block until it is built`,
        hint: `CREATE ${op.unique ? 'UNIQUE ' : ''}INDEX CONCURRENTLY ${op.index} ON ${op.table} (...), alone in its migration (it cannot run in a transaction); if it fails, DROP INDEX CONCURRENTLY the INVALID leftover before retrying.`,
      }));
  },
};
