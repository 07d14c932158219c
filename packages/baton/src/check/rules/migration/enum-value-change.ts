import type { MigrationRule } from '../../migration/migration-rule.js';
import { operationsOf } from '../../migration/operation.js';

/**
 * Renaming an enum value breaks every running pod that reads or writes the old label. Adding a
 * value is safe (old code never writes it), so only renames are flagged.
 */
export const enumValueChange: MigrationRule = {
  severity: 'error',
  summary: 'renaming an enum value breaks the running release',
  dialects: ['postgres'],
  check: ({ operations }) =>
    operationsOf(operations, 'alter-enum')
      .filter((op) => op.action === 'rename-value')
      .map((op) => ({
        location: op.location,
        message: `renames value '${op.value}' of enum ${op.type}: the running release still reads and writes '${op.value}'`,
        hint: `ALTER TYPE ${op.type} ADD VALUE '<new>' (expand), make the new release write '<new>' and read both, backfill rows from '${op.value}' in a phase=backfill migration, and stop using '${op.value}' afterwards.`,
      })),
};
