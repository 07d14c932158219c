import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** VACUUM FULL, CLUSTER and plain REINDEX hold ACCESS EXCLUSIVE (REINDEX: blocks writes) for the whole run. */
export const tableRewrite: MigrationRule = {
  severity: 'error',
  summary: 'VACUUM FULL / CLUSTER / REINDEX without CONCURRENTLY locks the table for the whole run',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'rewrite-table')
      .filter((op) => !op.concurrently)
      .map((op) => ({
        location: op.location,
        message: `${op.command} ${op.table} rewrites it while application queries wait`,
        hint: op.command === 'REINDEX'
          ? `REINDEX ... CONCURRENTLY ${op.table}, outside a transaction.`
          : 'Use pg_repack (or REPACK CONCURRENTLY on PostgreSQL 19) outside the deploy; do not put it in a migration.',
      })),
};
