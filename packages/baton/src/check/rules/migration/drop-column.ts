import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** Dropping a column breaks every running pod that still selects or writes it. */
export const dropColumn: MigrationRule = {
  severity: 'error',
  summary: 'DROP COLUMN outside a contract-phase migration breaks the running release',
  dialects: ['postgres', 'mysql'],
  check: ({ operations, source }) =>
    // In a declared contract migration baton runs it only after every older pod is gone.
    source.declaredPhase === 'contract'
      ? []
      : operationsOf(operations, 'drop-column').map((op) => ({
          location: op.location,
          message: `drops column ${op.table}.${op.column} while the running release may still read or write it`,
          hint: `Expand/contract: ship code that no longer uses ${op.table}.${op.column}, then drop it in its own migration with "-- baton: phase=contract", which baton runs only after every old pod has drained.`,
        })),
};
