import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * NOT NULL without a default fails on PostgreSQL as soon as the table has rows, silently fills
 * zero values on MySQL, and in both cases the running release's INSERTs (which do not know the
 * column) start failing.
 */
export const addColumnNotNull: MigrationRule = {
  severity: 'error',
  summary: 'ADD COLUMN ... NOT NULL without a default breaks existing rows and old INSERTs',
  dialects: ['postgres', 'mysql'],
  check: ({ operations }) =>
    operationsOf(operations, 'add-column')
      .filter((op) => op.notNull && op.default === 'none' && !op.serial && !op.generatedStored)
      .map((op) => ({
        location: op.location,
        message: `adds ${op.table}.${op.column} NOT NULL without a default: existing rows have no value and the running release's INSERTs omit it`,
        hint: `Add ${op.column} nullable (or with a constant DEFAULT), backfill it in a phase=backfill migration, then enforce NOT NULL later (CHECK ... NOT VALID, VALIDATE, SET NOT NULL).`,
      })),
};
