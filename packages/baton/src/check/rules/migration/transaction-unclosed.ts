import type { MigrationRule } from '../../migration/migration-rule.js';
import type { Operation } from '../../migration/operation.js';

/**
 * A BEGIN with no COMMIT leaves the migration's locks held until the connection closes (and on
 * PostgreSQL the ledger row of the migration is then rolled back with it).
 */
export const transactionUnclosed: MigrationRule = {
  severity: 'error',
  summary: 'BEGIN without a matching COMMIT',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) => {
    let open: Operation | undefined;
    for (const op of operations) {
      if (op.kind !== 'transaction') continue;
      open = op.action === 'begin' ? op : undefined;
    }
    return open === undefined
      ? []
      : [
          {
            location: open.location,
            message: 'BEGIN is never committed: every lock taken after it is held until the connection closes',
            hint: 'End the block with COMMIT, or drop BEGIN/COMMIT altogether: baton already runs each migration in a transaction when the dialect allows it.',
          },
        ];
  },
};
