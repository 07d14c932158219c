import type { MigrationRule } from '../../migration/migration-rule.js';
import type { Operation } from '../../migration/operation.js';

function isConcurrent(op: Operation): boolean {
  // REFRESH MATERIALIZED VIEW CONCURRENTLY is allowed in a transaction; the others are not.
  if (op.kind === 'rewrite-table') return op.concurrently && op.command !== 'REFRESH MATERIALIZED VIEW';
  return (op.kind === 'create-index' || op.kind === 'drop-index') && op.concurrently;
}

/**
 * PostgreSQL refuses CONCURRENTLY inside a transaction block; a migration that wraps it in
 * BEGIN/COMMIT fails at run time (and a runner that wraps the whole file does the same).
 */
export const concurrentlyInTransaction: MigrationRule = {
  severity: 'error',
  summary: 'CONCURRENTLY inside a transaction block fails',
  dialects: ['postgres'],
  check: ({ operations }) => {
    const hits = [];
    let open = false;
    for (const op of operations) {
      if (op.kind === 'transaction') open = op.action === 'begin';
      else if (open && isConcurrent(op)) {
        hits.push({
          location: op.location,
          message: `${op.kind === 'rewrite-table' ? op.command : op.kind.replace('-', ' ').toUpperCase()} CONCURRENTLY inside BEGIN ... COMMIT: PostgreSQL rejects it in a transaction block`,
          hint: 'Remove BEGIN/COMMIT and put the CONCURRENTLY statement alone in its own migration file; baton runs such files outside a transaction.',
        });
      }
    }
    return hits;
  },
};
