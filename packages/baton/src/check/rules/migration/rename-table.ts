import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** Same problem as renaming a column, for every query of the table. */
export const renameTable: MigrationRule = {
  severity: 'error',
  summary: 'RENAME TABLE breaks the running release',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'rename-table').map((op) => ({
      location: op.location,
      message: `renames table ${op.table} to ${op.to}: pods of the running release still query ${op.table}`,
      hint: `Use three releases: (1) expand: CREATE TABLE ${op.to}, write to both tables, backfill ${op.to}; (2) read ${op.to} only; (3) contract: DROP TABLE ${op.table}. (On PostgreSQL a view named ${op.table} over ${op.to} can bridge one release.)`,
    })),
};
