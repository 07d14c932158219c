import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** TRUNCATE deletes every row at once (CASCADE: of referencing tables too) under ACCESS EXCLUSIVE. */
export const truncateTable: MigrationRule = {
  severity: 'error',
  summary: 'TRUNCATE loses data and takes ACCESS EXCLUSIVE',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'truncate').map((op) => ({
      location: op.location,
      message: `truncates ${op.table}${op.cascade ? ' with CASCADE (every referencing table is emptied too)' : ''}: all rows are lost and the running release sees an empty table`,
      hint: `If the data is obsolete, stop using ${op.table} first and drop it in a phase=contract migration after a backup; to delete some rows, use a batched phase=backfill DELETE with :start/:end.`,
    })),
};
