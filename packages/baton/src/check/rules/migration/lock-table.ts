import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** An explicit table lock blocks traffic for the rest of the migration's transaction. */
export const lockTable: MigrationRule = {
  severity: 'error',
  summary: 'LOCK TABLE blocks application traffic for the rest of the transaction',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'lock-table').map((op) => ({
      location: op.location,
      message: `locks table ${op.table} explicitly: application queries on it wait until the migration commits`,
      hint: "Remove the LOCK; rely on the statement's own lock taken with a short lock_timeout (baton sets it and retries), or restructure with expand/contract.",
    })),
};
