import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** ALGORITHM=COPY rebuilds the table; LOCK=SHARED/EXCLUSIVE block writes (and reads) meanwhile. */
export const mysqlAlgorithmLock: MigrationRule = {
  severity: 'error',
  summary: 'ALTER TABLE with ALGORITHM=COPY or LOCK=SHARED/EXCLUSIVE blocks writes',
  dialects: ['mysql'],
  smallTable: 'info',
  check: ({ operations }) =>
    operationsOf(operations, 'mysql-table-options')
      .filter((op) => op.algorithm === 'COPY' || op.lock === 'SHARED' || op.lock === 'EXCLUSIVE')
      .map((op) => ({
        location: op.location,
        table: op.table,
        message: `alters ${op.table} with${op.algorithm === undefined ? '' : ` ALGORITHM=${op.algorithm}`}${op.lock === undefined ? '' : ` LOCK=${op.lock}`}: the table is copied/locked and writes block for the duration`,
        hint: 'Ask for ALGORITHM=INSTANT, or ALGORITHM=INPLACE, LOCK=NONE (MySQL then refuses instead of locking); if the change needs a copy, run it with gh-ost or pt-online-schema-change.',
      })),
};
