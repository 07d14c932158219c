import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** An UPDATE or DELETE of every row, in one statement: one long lock on every row, and no undo. */
export const dmlWithoutWhere: MigrationRule = {
  severity: 'error',
  summary: 'UPDATE/DELETE without WHERE touches every row in one statement',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'dml')
      .filter((op) => op.verb !== 'insert' && !op.hasWhere)
      .map((op) => ({
        location: op.location,
        message: `${op.verb.toUpperCase()} on ${op.table} without WHERE: every row is locked until the statement ends`,
        hint: `Use a backfill migration: "-- baton: phase=backfill table=${op.table} key=id batch=1000" with "${op.verb.toUpperCase()} ... WHERE id >= :start AND id < :end", which baton runs in throttled, resumable batches.`,
      })),
};
