import type { MigrationRule, RuleHit } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';
import { hasBatchPlaceholders } from '../../sql/placeholders.js';

const required = ['table', 'key', 'batch'] as const;

/**
 * baton runs a backfill batch by batch over key ranges; that needs the table, its key and a batch
 * size in the header, and each statement bounded by :start/:end.
 */
export const backfillBatching: MigrationRule = {
  severity: 'error',
  summary: 'a backfill migration must declare table/key/batch and bound each statement by :start/:end',
  dialects: ['postgres', 'mysql'],
  check: ({ source, operations }) => {
    if (source.declaredPhase !== 'backfill') return [];
    const hits: RuleHit[] = [];
    const header = source.headers.get('phase')?.location ?? { line: 1, column: 1 };
    const missing = required.filter((key) => !source.headers.has(key));
    if (missing.length > 0) {
      hits.push({
        location: header,
        message: `backfill migration without ${missing.map((key) => `${key}=`).join(', ')} in its header`,
        hint: 'Declare the batches: "-- baton: phase=backfill table=users key=id batch=1000".',
      });
    }
    const batch = source.headers.get('batch');
    if (batch !== undefined && !/^[1-9]\d*$/.test(batch.value)) {
      hits.push({ location: batch.location, message: `batch=${batch.value} is not a positive integer`, hint: 'Use a row count such as batch=1000.' });
    }
    for (const op of operationsOf(operations, 'dml')) {
      if (hasBatchPlaceholders(op.sql)) continue;
      hits.push({
        location: op.location,
        message: `${op.verb.toUpperCase()} on ${op.table} is not bounded by :start/:end, so it runs as one unbatched statement`,
        hint: `Add "${op.hasWhere ? 'AND' : 'WHERE'} ${source.headers.get('key')?.value ?? 'id'} >= :start AND ${source.headers.get('key')?.value ?? 'id'} < :end"; baton substitutes each batch's range.`,
      });
    }
    return hits;
  },
};
