import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf, type HeavyLockCommand } from '../../migration/operation.js';

// The safe alternative for each command; a new command cannot be added without one.
const alternatives: Record<HeavyLockCommand, (table: string) => string> = {
  'VACUUM FULL': () => 'Use pg_repack (or REPACK CONCURRENTLY on PostgreSQL 19) outside the deploy; do not put it in a migration.',
  CLUSTER: () => 'Use pg_repack --order-by outside the deploy; do not put it in a migration.',
  REINDEX: (table) => `REINDEX ... CONCURRENTLY ${table}, alone in its migration (outside a transaction).`,
  'SET LOGGED': (table) =>
    `Leave ${table} as it is during the deploy; switching persistence rewrites it. Create a new logged table and copy in batches if needed.`,
  'SET UNLOGGED': (table) => `Leave ${table} as it is during the deploy; switching persistence rewrites it.`,
  'DETACH PARTITION': (table) =>
    `ALTER TABLE ${table} DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+), alone in its migration, outside a transaction.`,
  'REFRESH MATERIALIZED VIEW': (table) =>
    `REFRESH MATERIALIZED VIEW CONCURRENTLY ${table} (needs a unique index on the view), so reads continue.`,
};

/**
 * VACUUM FULL, CLUSTER, SET LOGGED/UNLOGGED rewrite the table under ACCESS EXCLUSIVE; REINDEX
 * blocks writes, DETACH PARTITION and REFRESH MATERIALIZED VIEW block reads: each for as long as
 * it runs, unless its CONCURRENTLY form is used.
 */
export const tableRewrite: MigrationRule = {
  severity: 'error',
  summary:
    'VACUUM FULL, CLUSTER, SET LOGGED, or REINDEX / DETACH PARTITION / REFRESH MATERIALIZED VIEW without CONCURRENTLY lock the table while they run',
  dialects: ['postgres'],
  smallTable: 'info',
  check: ({ operations }) =>
    operationsOf(operations, 'rewrite-table')
      .filter((op) => !op.concurrently)
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `${op.command} on ${op.table} locks it against application queries for as long as it runs`,
        hint: alternatives[op.command](op.table),
      })),
};
