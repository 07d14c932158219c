import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * baton runs each PostgreSQL migration in one transaction together with its ledger row. A COMMIT
 * in the file ends that transaction early: what follows, the ledger row included, runs outside it,
 * so a failure leaves the migration applied but unrecorded (and the next run applies it again).
 */
export const transactionNesting: MigrationRule = {
  severity: 'error',
  summary: "BEGIN/COMMIT/ROLLBACK in a PostgreSQL migration break baton's one transaction per migration",
  dialects: ['postgres'],
  check: ({ operations }) => {
    // CONCURRENTLY files run outside a transaction; concurrently-in-transaction reports those.
    if (operations.some((op) => (op.kind === 'create-index' || op.kind === 'drop-index') && op.concurrently)) return [];
    return operationsOf(operations, 'transaction').map((op) => ({
      location: op.location,
      message: `${op.action.toUpperCase()} inside a migration: baton already runs the file and its ledger row in one transaction, and this ${op.action === 'begin' ? "nests (PostgreSQL only warns) and the matching COMMIT ends baton's transaction early" : 'ends it early, so the ledger row is written outside it'}`,
      hint: 'Remove BEGIN/COMMIT/ROLLBACK: each migration is already atomic. Split work that must commit separately into separate migrations.',
    }));
  },
};
