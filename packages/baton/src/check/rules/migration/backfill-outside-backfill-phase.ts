import type { MigrationRule } from '../../migration/migration-rule.js';
import { createdTables } from '../../migration/created-tables.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * Data changes inside a schema migration run in the DDL's transaction: the DDL's locks are held
 * for the whole data change, and a large table turns that into an outage.
 */
export const backfillOutsideBackfillPhase: MigrationRule = {
  severity: 'warning',
  summary: 'data backfill inside a schema (expand/contract) migration holds DDL locks for its duration',
  dialects: ['postgres', 'mysql'],
  check: (context) => {
    if (context.source.declaredPhase === 'backfill' || context.analyzedPhase === 'backfill') return [];
    const fresh = createdTables(context);
    return (
      operationsOf(context.operations, 'dml')
        // UPDATE/DELETE without WHERE are dml-without-where's errors; everything else lands here.
        .filter((op) => (op.hasWhere || op.verb === 'insert') && !fresh.has(op.table))
        .map((op) => ({
          location: op.location,
          message: `${op.verb.toUpperCase()} on ${op.table} inside a schema migration: unbatched, and it runs under the DDL's locks`,
          hint: `Move it to its own "-- baton: phase=backfill table=${op.table} key=id batch=1000" migration using WHERE id >= :start AND id < :end.`,
        }))
    );
  },
};
