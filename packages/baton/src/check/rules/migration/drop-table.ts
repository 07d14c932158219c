import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** Dropping a table breaks the running release and loses its data for good. */
export const dropTable: MigrationRule = {
  severity: 'error',
  summary: 'DROP TABLE outside a contract-phase migration breaks the running release and loses data',
  dialects: ['postgres', 'mysql'],
  check: ({ operations, source }) =>
    source.declaredPhase === 'contract'
      ? []
      : operationsOf(operations, 'drop-table').map((op) => ({
          location: op.location,
          message: `drops table ${op.table} while the running release may still use it`,
          hint: `Stop using ${op.table} in a release first, then drop it in a separate "-- baton: phase=contract" migration (run after the old pods drain, and after a backup).`,
        })),
};
