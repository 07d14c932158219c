import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** DROP INDEX takes ACCESS EXCLUSIVE on the table; queued behind a long query it stalls traffic. */
export const dropIndexConcurrently: MigrationRule = {
  severity: 'warning',
  summary: 'DROP INDEX without CONCURRENTLY takes ACCESS EXCLUSIVE on the table',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'drop-index')
      .filter((op) => !op.concurrently)
      .map((op) => ({
        location: op.location,
        message: `drops index ${op.index} without CONCURRENTLY: its table is locked against reads and writes while the drop waits and runs`,
        hint: `DROP INDEX CONCURRENTLY ${op.index}, alone in its migration (outside a transaction).`,
      })),
};
