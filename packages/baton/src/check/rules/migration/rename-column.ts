import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * A rename is atomic but the rollout is not: during it, old pods use the old name and new pods
 * the new one, so one of them fails whichever way it runs.
 */
export const renameColumn: MigrationRule = {
  severity: 'error',
  summary: 'RENAME COLUMN breaks the running release (old and new code disagree on the name)',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'rename-column').map((op) => ({
      location: op.location,
      message: `renames column ${op.table}.${op.column} to ${op.to}: pods of the running release still query ${op.column}`,
      hint: `Use three releases: (1) expand: ADD COLUMN ${op.to}, write both columns, backfill ${op.to} from ${op.column} in a phase=backfill migration; (2) read ${op.to} only; (3) contract: DROP COLUMN ${op.column} in a phase=contract migration.`,
    })),
};
