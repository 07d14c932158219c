import type { MigrationContext } from './migration-rule.js';
import { operationsOf } from './operation.js';

/**
 * Tables this migration creates. No running code uses them yet and they are empty, so locks and
 * rewrites on them cost nothing: rules about locking skip them.
 */
export function createdTables(context: Pick<MigrationContext, 'operations'>): Set<string> {
  return new Set(operationsOf(context.operations, 'create-table').map((op) => op.table));
}
