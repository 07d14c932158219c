import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/** Moving a table to another schema renames it for every query of the running release. */
export const setSchema: MigrationRule = {
  severity: 'error',
  summary: 'ALTER TABLE ... SET SCHEMA renames the table for the running release',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'set-schema').map((op) => ({
      location: op.location,
      message: `moves ${op.table} to schema ${op.to}: queries of the running release that name it (through search_path) stop finding it`,
      hint: `Treat it as a rename: create ${op.to}.<table>, write both, backfill, switch reads, and drop the old one in a phase=contract migration; or leave a view in the old schema during the switch.`,
    })),
};
