import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * Dropping NOT NULL is the normal expand step before new code stops writing a column, but code
 * of the running release that reads it may not expect NULL: worth a look, not a block.
 */
export const dropNotNull: MigrationRule = {
  severity: 'info',
  summary: 'DROP NOT NULL: readers in the running release may not expect NULL',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'drop-not-null').map((op) => ({
      location: op.location,
      message: `drops NOT NULL on ${op.table}.${op.column}: once new code writes NULL there, readers of the running release must cope with it`,
      hint: `Make sure every release still running reads ${op.table}.${op.column} NULL-safely before new code writes NULL.`,
    })),
};
