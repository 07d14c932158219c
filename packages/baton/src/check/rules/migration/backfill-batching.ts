import type { MigrationRule, RuleHit } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';
import { hasBatchPlaceholders } from '../../sql/placeholders.js';

// batch= may be left out (the runner starts at 1000 rows and adapts), and key= too (the primary key).
const required = ['table'] as const;
const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;
const keyList = /^[A-Za-z_][A-Za-z0-9_]*(,[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * baton runs a backfill batch by batch over key ranges; that needs the table, its key and a batch
 * size in the header, and each statement bounded by :start/:end.
 */
export const backfillBatching: MigrationRule = {
  severity: 'error',
  summary: 'a backfill migration must be declared, name its table, and hold one statement bounded by :batch (or :start/:end)',
  dialects: ['postgres', 'mysql'],
  check: ({ source, operations, analyzedPhase }) => {
    const first = operations[0]?.location ?? { line: 1, column: 1 };
    if (source.declaredPhase === undefined && analyzedPhase === 'backfill') {
      return [
        {
          location: first,
          message: 'a data-only migration without "-- baton: phase=backfill": baton would not run it in batches',
          hint: 'Declare it: "-- baton: phase=backfill table=<table>" (key= defaults to the primary key), and bound the statement with WHERE :batch AND ...',
        },
      ];
    }
    if (source.declaredPhase !== 'backfill') return [];
    const hits: RuleHit[] = [];
    const header = source.headers.get('phase')?.location ?? { line: 1, column: 1 };
    const missing = required.filter((key) => !source.headers.has(key));
    if (missing.length > 0) {
      hits.push({
        location: header,
        message: `backfill migration without ${missing.map((key) => `${key}=`).join(', ')} in its header`,
        hint: 'Declare the batches: "-- baton: phase=backfill table=users" (key= defaults to the primary key; batch= is the starting size, default 1000).',
      });
    }
    const table = source.headers.get('table');
    if (table !== undefined && !identifier.test(table.value)) {
      hits.push({
        location: table.location,
        message: `table=${table.value} is not a plain identifier`,
        hint: 'Name the table without schema or quotes, e.g. table=users.',
      });
    }
    const key = source.headers.get('key');
    if (key !== undefined && !keyList.test(key.value)) {
      hits.push({
        location: key.location,
        message: `key=${key.value} is not a comma-separated list of plain identifiers`,
        hint: 'Name the key columns in index order, e.g. key=id or key=tenant_id,id; leave key= out to use the primary key.',
      });
    }
    // The runner executes the file once per key range: only the one bounded DML statement belongs here.
    const statements = new Set(operations.map((op) => `${op.location.line}:${op.location.column}`));
    if (statements.size > 1) {
      hits.push({
        location: operations[1]?.location ?? first,
        message: `a backfill migration holds ${statements.size} statements; baton runs the file once per batch, so it must hold exactly one`,
        hint: 'Keep one UPDATE/DELETE/INSERT ... SELECT bounded by :batch here; move schema changes to an expand or contract migration and other backfills to their own files.',
      });
    }
    const batch = source.headers.get('batch');
    if (batch !== undefined && !/^[1-9]\d*$/.test(batch.value)) {
      hits.push({
        location: batch.location,
        message: `batch=${batch.value} is not a positive integer`,
        hint: 'Use a row count such as batch=1000.',
      });
    }
    for (const op of operationsOf(operations, 'dml')) {
      if (hasBatchPlaceholders(op.sql)) continue;
      hits.push({
        location: op.location,
        message: `${op.verb.toUpperCase()} on ${op.table} is not bounded by :batch (or :start/:end), so it runs as one unbatched statement`,
        hint: `Add "${op.hasWhere ? 'AND' : 'WHERE'} :batch"; baton substitutes each batch's key range (keyset pagination over the key, any type, composite included).`,
      });
    }
    return hits;
  },
};
